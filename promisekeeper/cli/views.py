"""Commands that read the ledger: the agenda, list, show, log."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

import typer

from promisekeeper.cli import context
from promisekeeper.cli.app import app
from promisekeeper.cli.whose import OwnerOpt, TeamOpt, asked_for, narrowed
from promisekeeper.errors import BadInput

LIST_VIEWS = ("overdue", "today", "week", "all")


def _version(value: bool) -> None:
    if value:
        from promisekeeper import __version__

        typer.echo(f"promisekeeper {__version__}")
        raise typer.Exit()


@app.callback()
def agenda(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")] = False,
    color: Annotated[str, typer.Option(
        "--color", metavar="auto|always|never",
        help="Colour the output: auto (on a terminal, unless NO_COLOR), always or never.")] = "auto",
    owner: OwnerOpt = None,
    team: TeamOpt = False,
) -> None:
    """Keep the promises you make to customers. With no command: the agenda."""
    from promisekeeper.lang.i18n import _
    from promisekeeper.views.output import COLOR_CHOICES

    rt = context.of(ctx)
    rt.speak()  # first: every line from here on, refusals too, is in the reader's language
    if color not in COLOR_CHOICES:
        raise BadInput(_("--color '{value}': use auto, always or never").format(value=color))
    context.check_config(ctx)
    rt.color = None if color == "auto" else color
    if ctx.invoked_subcommand is not None:
        if owner is not None or team:
            raise BadInput(_("--owner and --team go after the command, e.g. pk {command} --team").format(
                command=ctx.invoked_subcommand))
        return
    from promisekeeper.db import read_journal, read_promises, read_series
    from promisekeeper.views import caught_up, render
    from promisekeeper.windows import Windows

    whose = asked_for(rt, owner, team)
    with rt.db.reading() as reader:
        owners = narrowed(reader, whose, rt.view)
        at = Windows.at(rt.now, rt.zone)
        plan = read_promises.agenda(reader, at=at, filters=read_promises.Filters(owners=owners),
                                    section=render.SCREENFUL)
        caught = caught_up.missed(reader, now=rt.now, calendar=lambda: rt.calendar)
        plan = caught_up.agenda(plan, caught, now=rt.now, day_end=at.day_end)
        shown = plan.shown
        tried = read_journal.attempts(reader, [p.id for p in shown])
        series = read_series.check_ins(reader, [p.id for p in shown])
        waiting = _notices_waiting(rt, reader)
    from promisekeeper.lang.i18n import ngettext
    from promisekeeper.views.checkins import marked, projected
    from promisekeeper.views.render import more_overdue, more_today, overdue_heading, today_heading

    view = rt.view
    if waiting is not None:
        view.line(waiting)
    if not shown and owners is not None and owner is None:
        view.line(_("Nothing of yours is open. `pk --team` shows everyone's promises."))
        return
    if not shown:
        view.line(_('Nothing promised. Log one: pk add "Send the VPN config" --to "Eva" --due "tomorrow 10am"'))
        return
    rows = {promise.id: projected(view.cells(promise, None), promise.id) if promise.id in caught
            else marked(view.cells(promise, tried.get(promise.id)), promise.id, series) for promise in shown}
    view.align(list(rows.values()))
    view.promises(overdue_heading(len(plan.overdue) + plan.more_overdue), [rows[p.id] for p in plan.overdue],
                  style="bold red", more=more_overdue(plan.more_overdue))
    view.promises(today_heading(len(plan.today) + plan.more_today), [rows[p.id] for p in plan.today],
                  style="bold yellow", more=more_today(plan.more_today))
    if not plan.overdue and not plan.today:
        view.line(_("Nothing overdue or due today."))
        view.line()
    view.promises(_("Next up"), [rows[p.id] for p in plan.upcoming], style="bold")
    if plan.later:
        view.line(ngettext("…and {count} more: pk list", "…and {count} more: pk list", plan.later).format(count=render.grouped(plan.later)))


def _notices_waiting(rt: context.Context, reader: Any) -> Any:
    """ "2 notices waiting (pk outbox)" while any of yours are, else None."""
    from promisekeeper import owner as ownership
    from promisekeeper.db import read_outbox
    from promisekeeper.views.notices import waiting_line

    return waiting_line(read_outbox.waiting_count(reader, owner=ownership.me(rt.config.get("owner"))))


@app.command("list")
def list_promises(
    ctx: typer.Context,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only those whose deadline has passed.")] = False,
    today: Annotated[bool, typer.Option("--today", help="Due by midnight (overdue included).")] = False,
    week: Annotated[bool, typer.Option("--week", help="Due within 7 days (overdue included).")] = False,
    show_all: Annotated[bool, typer.Option("--all", help="Every promise, kept and released too.")] = False,
    to: Annotated[str | None, typer.Option("--to", help="Whose name contains this.", metavar="WHO")] = None,
    tag: Annotated[str | None, typer.Option("--tag", "-t", help="Carrying this tag.", metavar="TAG")] = None,
    ref: Annotated[str | None, typer.Option(help="With this ticket reference.", metavar="TICKET")] = None,
    at: Annotated[str | None, typer.Option(help='Judge "overdue" and "today" as of this moment, e.g. "tomorrow 9am".', metavar="WHEN")] = None,
    owner: OwnerOpt = None,
    team: TeamOpt = False,
    as_json: Annotated[bool, typer.Option("--json", help="A JSON array (see README for the keys).")] = False,
    series: Annotated[bool, typer.Option("--series", help="The series of check-ins instead (running ones; --all: ended too).")] = False,
) -> None:
    """Filtered views of your promises (default: every open one, by deadline)."""
    if series:
        _list_series(ctx, show_all=show_all, owner=owner, team=team, as_json=as_json)
        return
    from promisekeeper.db import read_journal, read_promises, read_series
    from promisekeeper.kinds import State
    from promisekeeper.lang.i18n import _, ngettext
    from promisekeeper.views import caught_up
    from promisekeeper.views.render import View, promise_json, write_json
    from promisekeeper.when import timefmt
    from promisekeeper.windows import local_day_end, overdue_before

    chosen = [name for name, flag in zip(LIST_VIEWS, (overdue, today, week, show_all)) if flag]
    if len(chosen) > 1:
        raise BadInput(_("choose one of {options}").format(options=" / ".join(f"--{name}" for name in chosen)))
    if at is not None and not at.strip():
        raise BadInput(_('--at needs a moment, e.g. --at "tomorrow 9am" or --at "fri 17:00"; leave it out to judge as of now'))
    rt = context.of(ctx)
    moment = rt.moment(at).at if at is not None else rt.now
    view_name = chosen[0] if chosen else ""
    bounds = read_promises.Bounds(
        before={"overdue": overdue_before(moment), "week": moment + timedelta(days=7)}.get(view_name),
        until=local_day_end(moment, rt.zone) if view_name == "today" else None,
    )
    states = tuple(State) if show_all else (State.OPEN,)
    whose = asked_for(rt, owner, team)
    view = View(now=moment, zone=rt.zone, out=rt.out) if at else rt.view
    with rt.db.reading() as reader:
        filters = read_promises.Filters(who=to, tag=tag, ref=ref, owners=narrowed(reader, whose, view))
        found = read_promises.promises(reader, states=states, bounds=bounds, filters=filters)
        caught = caught_up.missed(reader, now=moment, calendar=lambda: rt.calendar)
        tried = read_journal.attempts(reader, [p.id for p in found])
        check_ins = read_series.check_ins(reader, [p.id for p in found]) if not as_json else set()
    if as_json:
        write_json([caught_up.marked_json(promise_json(p, now=moment, zone=rt.zone, tried=tried.get(p.id)),
                                            caught.get(p.id)) for p in found])
        return
    if show_all:  # the missed check-ins stay listed, as what they are, beside their successors
        found = caught_up.closed_and_next(found, caught, now=moment)
    else:
        found = caught_up.rows(found, caught, bounds=bounds)
    count = len(found)
    if at:
        title = ngettext("{count} promise as of {moment}", "{count} promises as of {moment}", count).format(
            count=count, moment=timefmt.moment(moment, rt.zone, now=rt.now))
    else:
        title = ngettext("{count} promise", "{count} promises", count).format(count=count)
    if not found:
        if at:  # what "as of" was judged stays on the page, also when nothing matched
            view.line(title)
        view.line(_("No promises match."))
        return
    from promisekeeper.views.checkins import marked, projected

    view.promises(title, [
        projected(view.cells(promise, None), promise.id)
        if promise.id in caught and promise.state == State.OPEN
        else marked(view.cells(promise, tried.get(promise.id)), promise.id, check_ins) for promise in found])


def _list_series(ctx: typer.Context, *, show_all: bool, owner: str | None, team: bool, as_json: bool) -> None:
    from promisekeeper.db import read_series
    from promisekeeper.views import caught_up, checkins
    from promisekeeper.views.render import write_json
    from promisekeeper.when import timefmt

    rt = context.of(ctx)
    whose = asked_for(rt, owner, team)
    with rt.db.reading() as reader:
        owners = narrowed(reader, whose, rt.view)
        found = read_series.listing(reader, live_only=not show_all, owners=owners)
        records = {entry.series.id: read_series.record(reader, entry.series.id, now=rt.now) for entry in found}
        caught = caught_up.missed(reader, now=rt.now, calendar=lambda: rt.calendar)
    found, records = caught_up.listing(found, records, caught, now=rt.now, live_only=not show_all)
    if as_json:
        write_json([checkins.series_json(entry.series, None, records[entry.series.id]) | {
            "open_check_in": None if entry.open_id in caught else entry.open_id,
            "open_due_at": timefmt.iso(entry.open_due), "what": entry.what,
            "who": entry.who, "owner": entry.owner, "check_ins": entry.count,
        } | ({"missed_check_in": entry.open_id, "opens_at_next_change": True} if entry.open_id in caught else {})
            for entry in found])
        return
    checkins.show_listing(rt.view, found, caught)


@app.command()
def show(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="The promise's number or uuid prefix.")],
    as_json: Annotated[bool, typer.Option("--json", help="The promise and its events as JSON.")] = False,
) -> None:
    """One promise with its full history."""
    from promisekeeper.db import read_journal, read_outbox, read_promises, read_series, read_stats
    from promisekeeper.lang.i18n import _
    from promisekeeper.views import caught_up, details, journal
    from promisekeeper.views.render import promise_json, write_json

    rt = context.of(ctx)
    with rt.db.reading() as reader:
        promise = read_promises.find(reader, ident)
        events = read_journal.events(reader, promise_id=promise.id)
        undone = read_journal.undone_ids(reader, [e.id for e in events])
        tried = read_journal.attempts(reader, [promise.id]).get(promise.id)
        judged = read_stats.judgement(reader, now=rt.now, promise_id=promise.id)
        in_series = read_series.series_of(reader, promise.id)
        record = read_series.record(reader, in_series[0].id, now=rt.now) if in_series else None
        told = read_outbox.of_promise(reader, promise.id)
        pending = caught_up.missed(reader, now=rt.now, calendar=lambda: rt.calendar).get(promise.id) if in_series else None
    from promisekeeper.views import checkins, notices

    if pending is not None and record is not None:
        record = caught_up.record(record, pending, now=rt.now)

    if as_json:
        document = promise_json(promise, now=rt.now, zone=rt.zone, tried=tried)
        document["outcome"] = judged.outcome if judged else None
        if in_series:  # a single promise's JSON stays as it was
            document["series"] = checkins.series_json(*in_series, record)
        caught_up.marked_json(document, pending)
        document["events"] = [journal.event_json(e, undone=e.id in undone) for e in events]
        if told:
            document["notices"] = [notices.as_json(row) for row in told]
        write_json(document)
        return
    more = checkins.fields(rt.view, *in_series, record) if in_series and record else []
    if pending is not None:
        more += checkins.missed_fields(rt.view, pending.next_due)
    details.show(rt.view, promise, tried, judged, more)
    if told:
        rt.view.line("")
        notices.show_for_promise(rt.view, told)
    rt.view.line("")
    rt.view.line(_("History:"))
    journal.show_events(rt.view, events, undone)


@app.command()
def log(
    ctx: typer.Context,
    ident: Annotated[str | None, typer.Argument(metavar="ID", help="Only this promise's events.")] = None,
    limit: Annotated[int, typer.Option(help="How many of the most recent events (0 = all).", metavar="N")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="A JSON array of events.")] = False,
) -> None:
    """The event journal: every change, oldest first (the last 50 by default)."""
    from promisekeeper import limits
    from promisekeeper.db import read_journal, read_promises
    from promisekeeper.lang.i18n import _
    from promisekeeper.views import journal
    from promisekeeper.views.render import write_json

    if limit < 0:
        raise BadInput(_("--limit must be 0 (all) or more"))
    limits.count(limit, "--limit")
    rt = context.of(ctx)
    with rt.db.reading() as reader:
        promise_id = read_promises.find(reader, ident).id if ident else None
        events = read_journal.events(reader, promise_id=promise_id, limit=limit or None)
        undone = read_journal.undone_ids(reader, [e.id for e in events])
    if as_json:
        write_json([journal.event_json(e, undone=e.id in undone) for e in events])
        return
    if not events:
        rt.view.line(_("The journal is empty."))
        return
    journal.show_events(rt.view, events, undone, with_promise=promise_id is None)
