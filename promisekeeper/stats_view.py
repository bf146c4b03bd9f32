"""Showing `pk stats`: Rich tables and a weekly bar chart on a terminal, plain lines when
piped, and the JSON contract documented in the README ("Honest accounting")."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from promisekeeper import timefmt
from promisekeeper.render import View
from promisekeeper.stats import Report, Tally
from promisekeeper.styled import Styled, user

BAR_WIDTH = 32
# Distinct characters as well as colours, so the chart still reads with NO_COLOR.
BAR_PARTS = (("kept", "█", "green"), ("late", "▓", "yellow"), ("broken", "░", "red"))
MEANING = {
    "kept": "done by the deadline",
    "late": "done after the deadline, never moved after it",
    "broken": "open past the deadline, or moved or released after it",
    "released": "cancelled before the deadline; not in the rate",
    "renegotiated": "moved before the deadline, with a reason",
}
NO_KEY = {"who": "(no name)", "via": "(no channel)", "tag": "(untagged)", "owner": "(no owner)"}


# -- JSON ----------------------------------------------------------------------------------


def report_json(report: Report) -> dict[str, Any]:
    """The stable JSON form: the totals' keys at the top, `groups` when --by is given."""
    document: dict[str, Any] = {
        "as_of": timefmt.iso(report.now),
        "since": timefmt.iso(report.since),
        "until": timefmt.iso(report.until),
        "by": report.by,
        **tally_json(report.totals),
    }
    if report.by is not None:
        document["groups"] = [_group_json(group, report.by) for group in report.groups]
    return document


def tally_json(tally: Tally) -> dict[str, Any]:
    return {
        "kept": tally.kept,
        "late": tally.late,
        "broken": tally.broken,
        "released": tally.released,
        "renegotiated": tally.renegotiated,
        "keep_rate": None if tally.keep_rate is None else round(tally.keep_rate, 4),
        "lateness_median_minutes": _minutes(tally.lateness_median_s),
        "lateness_p90_minutes": _minutes(tally.lateness_p90_s),
    }


def _group_json(tally: Tally, by: str) -> dict[str, Any]:
    head: dict[str, Any] = {"group": tally.group}
    if by == "week":
        head["start"] = timefmt.iso(tally.start)
    return head | tally_json(tally)


def _minutes(seconds: int | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)


# -- words ---------------------------------------------------------------------------------


def rate(tally: Tally) -> str:
    """ "83%", or "—" when nothing has a verdict yet."""
    return "—" if tally.keep_rate is None else f"{tally.keep_rate:.0%}"


def lateness(tally: Tally) -> str:
    """ "median 12m, p90 1h 05m", or "" when nothing was late."""
    if tally.lateness_median_s is None or tally.lateness_p90_s is None:
        return ""
    return (f"median {timefmt.span_seconds(tally.lateness_median_s)}, "
            f"p90 {timefmt.span_seconds(tally.lateness_p90_s)}")


def period(view: View, report: Report) -> str:
    """ "all time" / "since Mon 2 Nov 00:00" / "… until Mon 23 Nov 00:00", then the clock."""
    parts = []
    if report.since is not None:
        parts.append(f"since {timefmt.moment(report.since, view.zone, now=view.now)}")
    if report.until is not None:
        parts.append(f"until {timefmt.moment(report.until, view.zone, now=view.now)}")
    span = " ".join(parts) or "all time"
    return f"Promise outcomes, {span} (as of {timefmt.moment(report.now, view.zone, now=view.now)})"


def _summary_rows(tally: Tally) -> list[tuple[str, str, str]]:
    late_note = lateness(tally)
    rows = [("keep rate", rate(tally), f"{tally.kept} kept ÷ {tally.judged} kept, late or broken")]
    for name in ("kept", "late", "broken", "released", "renegotiated"):
        note = f"{MEANING[name]}; {late_note}" if name == "late" and late_note else MEANING[name]
        rows.append((name, str(getattr(tally, name)), note))
    return rows


# -- the whole report ------------------------------------------------------------------------


def show(view: View, report: Report) -> None:
    """The summary, then the groups (--by) or the weekly trend."""
    view.line(Styled(period(view, report), "bold"))
    if not report.totals.total:
        view.line("No promise was kept, broken or released in this period; nothing to count yet.")
        return
    summary(view, report.totals)
    if report.by is not None:
        view.line("")
        groups(view, report.groups, by=report.by)
    elif report.trend:
        view.line("")
        trend(view, report.trend)


def summary(view: View, tally: Tally) -> None:
    for label, value, note in _summary_rows(tally):
        view.line(Styled.assemble((f"{label:<13}", "bold"), " ", (f"{value:>5}", _style(label)), "  ", (note, "dim")))


def _style(label: str) -> str:
    return {"kept": "green", "late": "yellow", "broken": "red", "keep rate": "bold"}.get(label, "")


def trend(view: View, weeks: Sequence[Tally]) -> None:
    """One line per week: on a terminal a stacked bar of kept, late and broken, and the keep rate."""
    if not view.terminal:
        view.line("Weekly trend:")
        for week in weeks:
            view.line(f"{_week_label(view, week)}  {_counts(week)}  keep rate {rate(week)}")
        return
    legend = Styled("Weekly trend  ")
    for name, mark, style in BAR_PARTS:
        legend.append(f"{mark} {name}  ", style)
    view.line(legend)
    widest = max((week.judged for week in weeks), default=0)
    for week in weeks:
        chart = bar(week, widest)
        view.line(Styled.assemble(
            _week_label(view, week), "  ", chart, " " * (BAR_WIDTH - len(chart) + 1),
            f"{rate(week):>4}", "  ", (_counts(week), "dim"),
        ))


def bar(tally: Tally, widest: int, width: int = BAR_WIDTH) -> Styled:
    """A bar as long as this group's verdicts relative to the busiest, split by outcome."""
    text = Styled()
    if widest <= 0:
        return text
    for name, mark, style in BAR_PARTS:
        count = getattr(tally, name)
        cells = round(count * width / widest)
        text.append(mark * (cells or (1 if count else 0)), style)
    return text


def _counts(tally: Tally) -> str:
    return f"kept {tally.kept}  late {tally.late}  broken {tally.broken}  released {tally.released}"


def _week_label(view: View, week: Tally) -> str:
    """ "2026-W48  Mon 23 Nov" (the day padded, so plain lines stay in columns)."""
    if week.start is None:
        return week.group or ""
    return f"{week.group}  {timefmt.day_label(week.start.astimezone(view.zone).date()):<10}"


# -- --by ------------------------------------------------------------------------------------

_COLUMNS = ("kept", "late", "broken", "released", "renegotiated", "keep rate", "late median", "late p90")


def groups(view: View, found: Sequence[Tally], *, by: str) -> None:
    """A table with one row per group (weeks oldest first, names alphabetically)."""
    if not found:
        view.line("No outcomes to group.")
        return
    names = [_group_name(tally, by, view) for tally in found]
    cells = [[by, *_COLUMNS]] + [[name.plain, *_numbers(tally)] for name, tally in zip(names, found)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(cells[0]))]
    charts = _week_bars(view, found, by)
    header = "  ".join([cells[0][0].ljust(widths[0]), *(v.rjust(w) for v, w in zip(cells[0][1:], widths[1:]))])
    view.line(Styled(header.rstrip(), "bold" if view.terminal else ""))
    for name, row, chart in zip(names, cells[1:], charts):
        numbers = "  ".join(value.rjust(width) for value, width in zip(row[1:], widths[1:]))
        line = Styled.assemble(name, " " * (widths[0] - len(name)), "  ", numbers)
        if chart:
            line.append("  ").append(chart)
        view.line(line)


def _week_bars(view: View, found: Sequence[Tally], by: str) -> list[Styled]:
    if by != "week" or not view.terminal:
        return [Styled() for _ in found]
    widest = max((tally.judged for tally in found), default=0)
    return [bar(tally, widest, width=BAR_WIDTH // 2) for tally in found]


def _group_name(tally: Tally, by: str, view: View) -> Styled:
    if by == "week":
        return Styled(_week_label(view, tally))
    if tally.group is None:
        return Styled(NO_KEY.get(by, "(none)"), "dim italic")
    return user(tally.group)


def _numbers(tally: Tally) -> list[str]:
    def span(seconds: int | None) -> str:
        return "—" if seconds is None else timefmt.span_seconds(seconds)

    return [
        str(tally.kept), str(tally.late), str(tally.broken), str(tally.released),
        str(tally.renegotiated), rate(tally), span(tally.lateness_median_s), span(tally.lateness_p90_s),
    ]
