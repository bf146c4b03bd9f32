"""`pk sync caldav` / `pk sync vdir DIR`: open promises as VTODOs with alarms, only what changed."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer

from promisekeeper.cli import context
from promisekeeper.cli.app import HelpGroup, PKTyper, app
from promisekeeper.cli.whose import asked_for

if TYPE_CHECKING:
    from promisekeeper.sync.tasks import Outcome, Scope, Task

sync_app = PKTyper(cls=HelpGroup, help=(
    "Put your open promises in a task list as VTODOs with alarms (server changes are not pulled back)."))
app.add_typer(sync_app, name="sync")

TeamOption = Annotated[bool, typer.Option("--team", help="Everyone's open promises, not only yours.")]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing when all went well (for cron).")]


@sync_app.command("caldav")
def sync_caldav(ctx: typer.Context, team: TeamOption = False, quiet: QuietOption = False) -> None:
    """Send each changed promise to the CalDAV list caldav.url (password: PROMISEKEEPER_CALDAV_PASSWORD
    or caldav.password_command)."""
    from promisekeeper.sync import caldav_list

    rt = context.of(ctx)
    url, user = rt.config.get("caldav.url"), rt.config.get("caldav.user")
    tasks = caldav_list.TaskList(url, user, caldav_list.password(rt.config.get("caldav.password_command")))
    _run(rt, _scope(rt, caldav_list.target_key(url, user), team), tasks.put, tasks.shown, quiet)


@sync_app.command("vdir")
def sync_vdir(
    ctx: typer.Context,
    directory: Annotated[str, typer.Argument(metavar="DIR", help="The collection folder (it must exist).")],
    team: TeamOption = False, quiet: QuietOption = False,
) -> None:
    """Write each changed promise into DIR as <uuid>.ics (for vdirsyncer, khal, todoman)."""
    from promisekeeper.sync import vdir

    rt = context.of(ctx)
    folder = vdir.folder(directory)
    _run(rt, _scope(rt, vdir.target_key(folder), team), vdir.writer(folder), folder, quiet)


def _scope(rt: context.Context, target: str, team: bool) -> Scope:
    from datetime import timedelta

    from promisekeeper import owner as ownership
    from promisekeeper.config import lead_duration
    from promisekeeper.db import read_promises
    from promisekeeper.sync.tasks import Scope
    from promisekeeper.when.clock import local_zone_name

    whose = asked_for(rt, None, team)
    with rt.db.reading() as reader:
        present = read_promises.owners(reader)
    # Strictly yours (and nobody's), even where a view would show all: a promise handed on
    # leaves your list however few owners the database names.
    owners = None if team else (*ownership.spellings(present, whose.me or ""), None)
    lead = lead_duration(rt.config.get("remind.lead"))
    return Scope(target=target, owners=owners, zone=local_zone_name(), alarms=(lead, timedelta(0)))


def _run(rt: context.Context, scope: Scope, put: Callable[[Task], None], where: str, quiet: bool) -> None:
    from promisekeeper.sync.tasks import sync

    outcome = sync(rt.db.reading, rt.change, scope=scope, now=rt.now, put=put)
    if not quiet:
        _report(rt, outcome, where)


def _report(rt: context.Context, outcome: Outcome, where: str) -> None:
    from promisekeeper.lang.i18n import ngettext
    from promisekeeper.sanitize import clean

    rt.view.line(clean(ngettext(
        "{count} task sent to {where} ({unchanged} unchanged)",
        "{count} tasks sent to {where} ({unchanged} unchanged)", outcome.total,
    ).format(count=outcome.total, where=where, unchanged=outcome.unchanged)))
