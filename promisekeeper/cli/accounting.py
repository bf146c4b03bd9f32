"""`pk stats`: the keep rate, lateness and renegotiations, honestly counted."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from promisekeeper.cli import context
from promisekeeper.cli.app import app
from promisekeeper.errors import BadInput

if TYPE_CHECKING:
    from promisekeeper.owner import Whose

MAX_TREND_WEEKS = 520


@app.command()
def stats(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option(metavar="WHEN", help='Outcomes decided from this moment, e.g. "2026-11-01", "last week", "4w ago".')] = None,
    until: Annotated[str | None, typer.Option(metavar="WHEN", help='…and before this one (not included), e.g. "this week".')] = None,
    by: Annotated[str | None, typer.Option(metavar="week|who|via|tag|owner", help="One row per week, person, channel, tag or owner.")] = None,
    weeks: Annotated[int, typer.Option(metavar="N", help="How many weeks the trend chart shows (without --by).")] = 8,
    owner: Annotated[str | None, typer.Option("--owner", metavar="NAME", help=(
        "Count one colleague's outcomes instead of yours (on a shared database)."))] = None,
    team: Annotated[bool, typer.Option("--team", help="Count everyone's outcomes.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="A JSON object (see README for the keys).")] = False,
) -> None:
    """Keep rate, lateness and renegotiations: kept, late, broken and released promises."""
    from promisekeeper import stats
    from promisekeeper.cli.whose import asked_for
    from promisekeeper.db import read_promises
    from promisekeeper.db.read_stats import Window
    from promisekeeper.views import stats as stats_view
    from promisekeeper.views.render import write_json

    grouping = stats.grouping(by)
    if not 1 <= weeks <= MAX_TREND_WEEKS:
        from promisekeeper.lang.i18n import _

        raise BadInput(_("--weeks must be between 1 and {most}").format(most=MAX_TREND_WEEKS))
    rt = context.of(ctx)
    window = Window(
        since=rt.moment(since, past=True).at if since is not None else None,
        until=rt.moment(until, past=True).at if until is not None else None,
    )
    whose = asked_for(rt, owner, team)
    with rt.db.reading() as reader:
        # An owner who has handed all their promises on still has outcomes to count.
        owners = whose.owners(read_promises.owners(reader), former=read_promises.former_owners(reader))
        report = stats.report(reader, now=rt.now, zone=rt.zone, window=window._replace(owners=owners),
                              by=grouping, trend_weeks=weeks, calendar=lambda: rt.calendar)
    if as_json:
        write_json(stats_view.report_json(report))
    else:
        stats_view.show(rt.view, report, counted=_counted(whose, owners))


def _counted(whose: Whose, owners: tuple[str | None, ...] | None) -> str | None:
    """Whose outcomes were counted, said when they are not everyone's."""
    from promisekeeper.lang.i18n import _
    from promisekeeper.sanitize import clean

    if owners is None:
        return None
    if whose.owner is None:
        return _("Your own outcomes ({name}); --team counts everyone's.").format(name=clean(whose.me or "?"))
    names = ", ".join(clean(name) if name else _("(no owner)") for name in owners)
    return _("The outcomes of {names}.").format(names=names)
