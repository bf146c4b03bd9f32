"""`pk stats`: the keep rate, lateness and renegotiations, honestly counted."""

from __future__ import annotations

from typing import Annotated

import typer

from promisekeeper.cli.app import app
from promisekeeper.cli import context
from promisekeeper.errors import BadInput

MAX_TREND_WEEKS = 520


@app.command()
def stats(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option(metavar="WHEN", help='Outcomes decided from this moment, e.g. "2026-11-01", "last week", "4w ago".')] = None,
    until: Annotated[str | None, typer.Option(metavar="WHEN", help='…and before this one (not included), e.g. "this week".')] = None,
    by: Annotated[str | None, typer.Option(metavar="week|who|via|tag|owner", help="One row per week, person, channel, tag or owner.")] = None,
    weeks: Annotated[int, typer.Option(metavar="N", help="How many weeks the trend chart shows (without --by).")] = 8,
    as_json: Annotated[bool, typer.Option("--json", help="A JSON object (see README for the keys).")] = False,
) -> None:
    """Keep rate, lateness and renegotiations: kept, late, broken and released promises."""
    from promisekeeper import stats, stats_view
    from promisekeeper.db.read_stats import Window
    from promisekeeper.render import write_json

    grouping = stats.grouping(by)
    if not 1 <= weeks <= MAX_TREND_WEEKS:
        from promisekeeper.i18n import _

        raise BadInput(_("--weeks must be between 1 and {most}").format(most=MAX_TREND_WEEKS))
    rt = context.of(ctx)
    window = Window(
        since=rt.moment(since, past=True).at if since is not None else None,
        until=rt.moment(until, past=True).at if until is not None else None,
    )
    with rt.db.reading() as reader:
        report = stats.report(reader, now=rt.now, zone=rt.zone, window=window, by=grouping, trend_weeks=weeks)
    if as_json:
        write_json(stats_view.report_json(report))
    else:
        stats_view.show(rt.view, report)
