"""Commands that look things up and change nothing: `pk search`, `pk when`, `pk help`."""

from __future__ import annotations

from typing import Annotated

import typer

from promisekeeper.cli import context
from promisekeeper.cli.app import app
from promisekeeper.cli.whose import OwnerOpt, TeamOpt, asked_for, narrowed
from promisekeeper.errors import BadInput

HELP_TOPICS = {"when": "when.txt"}


@app.command()
def search(
    ctx: typer.Context,
    words: Annotated[list[str], typer.Argument(metavar="TEXT", help="Words to find, e.g. vpn eva (each must be found).")],
    only_open: Annotated[bool, typer.Option("--open", help="Only open promises (default: kept and released too).")] = False,
    owner: OwnerOpt = None,
    team: TeamOpt = False,
    as_json: Annotated[bool, typer.Option("--json", help="A JSON array, as `pk list --json` prints.")] = False,
) -> None:
    """Find promises by words in what, who, contact, ticket, tags, notes and reasons."""
    from promisekeeper.db import read_journal, read_promises
    from promisekeeper.kinds import State
    from promisekeeper.lang.i18n import _, all_of, ngettext
    from promisekeeper.views.render import promise_json, write_json

    wanted = " ".join(words).split()
    if not wanted:
        raise BadInput(_('say what to look for, e.g. pk search vpn, or pk search "INC-4821"'))
    rt = context.of(ctx)
    states = (State.OPEN,) if only_open else tuple(State)
    whose = asked_for(rt, owner, team)
    with rt.db.reading() as reader:
        owners = narrowed(reader, whose, rt.view)
        found = read_promises.search(reader, words=wanted, states=states, owners=owners)
        tried = read_journal.attempts(reader, [p.id for p in found])
    if as_json:
        write_json([promise_json(p, now=rt.now, zone=rt.zone, tried=tried.get(p.id)) for p in found])
        return
    if not found:
        rt.view.line(_("No promise has {words}.").format(words=all_of([_("'{first}'").format(first=w) for w in wanted])))
        return
    title = ngettext("{count} promise found", "{count} promises found", len(found)).format(count=len(found))
    rt.view.promises(title, [rt.view.cells(promise, tried.get(promise.id)) for promise in found])


@app.command()
def when(
    ctx: typer.Context,
    phrase: Annotated[list[str], typer.Argument(metavar="PHRASE", help='A time phrase, e.g. "fri 3pm America/New_York".')],
    since: Annotated[bool, typer.Option("--since", help="Read it as --since and --until read it (backward).")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="A JSON object (see README for the keys).")] = False,
) -> None:
    """Show how a time phrase is read: the moment on your clock and theirs, the distance
    and the notes. Nothing is saved.

    The whole time language: `pk help when`.
    """
    from promisekeeper.views import explain
    from promisekeeper.views.render import write_json

    rt = context.of(ctx)
    text = " ".join(phrase)
    resolved = rt.moment(text, past=since)
    deadline, refusal = None, None
    if not since:
        try:
            deadline = rt.deadline(text).at
        except BadInput as error:
            refusal = str(error)
    reading = explain.Reading(text, resolved.at, resolved.zone, resolved.notes, since, deadline, refusal)
    if as_json:
        write_json(explain.reading_json(reading, zone=rt.zone))
    else:
        explain.show(rt.view, reading)


@app.command("help")
def help_(
    ctx: typer.Context,
    topic: Annotated[str | None, typer.Argument(metavar="TOPIC", help="when (the time language), or a command.")] = None,
) -> None:
    """Help on a topic (`pk help when`: the time language) or on a command."""
    if topic in HELP_TOPICS:
        typer.echo(topic_text(topic), nl=False)
        return
    root = ctx.find_root()
    command = root.command.get_command(root, topic) if topic else root.command  # type: ignore[attr-defined]
    if command is None:
        from promisekeeper.lang.i18n import _

        raise BadInput(_("no help on '{topic}'; topics: {topics}, or a command (`pk --help` lists them)").format(
            topic=topic, topics=", ".join(HELP_TOPICS)))
    if topic is None:
        typer.echo(root.get_help())
        return
    with command.make_context(topic, [], parent=root, resilient_parsing=True) as target:
        typer.echo(command.get_help(target))


def topic_text(topic: str) -> str:
    """A help page shipped with the package (the man page includes it too)."""
    from importlib.resources import files

    return (files("promisekeeper") / "help" / HELP_TOPICS[topic]).read_text(encoding="utf-8")
