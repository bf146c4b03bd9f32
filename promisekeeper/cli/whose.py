"""Whose promises a command shows: yours by default on a shared database, `--owner NAME`
one colleague's, `--team` everyone's (the rule itself is `owner.Whose`'s)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from promisekeeper.cli.context import Context
    from promisekeeper.db.reader import Reader
    from promisekeeper.owner import Whose
    from promisekeeper.views.render import View

OwnerOpt = Annotated[str | None, typer.Option(
    "--owner", metavar="NAME",
    help="One colleague's promises instead of yours (the name as you would say it: "
    "case and accents do not matter).")]
TeamOpt = Annotated[bool, typer.Option("--team", help="Everyone's promises, each naming its owner.")]


def asked_for(rt: Context, owner: str | None, team: bool) -> Whose:
    """What the options ask for, for the caller (config `owner`, else the login name)."""
    from promisekeeper import owner as ownership

    return ownership.Whose(ownership.me(rt.config.get("owner")), owner, team)


def narrowed(reader: Reader, whose: Whose, view: View | None = None) -> tuple[str | None, ...] | None:
    """The stored owner names to narrow by (None: everyone's); `view` is told whether its
    rows name their owners."""
    from promisekeeper.db import read_promises

    present = read_promises.owners(reader)
    if view is not None:
        view.owners = whose.labelled(present)
    return whose.owners(present)
