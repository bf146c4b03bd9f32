"""Showing `pk stats`: Rich tables and a weekly bar chart on a terminal, plain lines when
piped, and the JSON contract documented in the README ("Honest accounting")."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from promisekeeper.lang.i18n import N_, NP_, _, pgettext
from promisekeeper.stats import Report, Tally
from promisekeeper.views.render import View
from promisekeeper.views.styled import Styled, display_width, pad, user
from promisekeeper.when import timefmt

BAR_WIDTH = 32
# Distinct characters as well as colours, so the chart still reads with NO_COLOR.
BAR_PARTS = (("kept", "█", "green"), ("late", "▓", "yellow"), ("broken", "░", "red"))
MEANING = {
    "kept": N_("done by the deadline"),
    "late": N_("done after the deadline, never moved after it"),
    "broken": N_("open past the deadline, or moved or released after it"),
    "released": N_("cancelled before the deadline; not in the rate"),
    "renegotiated": N_("moved before the deadline, with a reason"),
}
NO_KEY = {"who": N_("(no name)"), "via": N_("(no channel)"), "tag": N_("(untagged)"), "owner": N_("(no owner)")}
# The names of the counts, as the summary, the legend and the columns head them (plural:
# they count promises).
COUNT_NAMES = {
    "kept": NP_("counted", "kept"), "late": NP_("counted", "late"), "broken": NP_("counted", "broken"),
    "released": NP_("counted", "released"), "renegotiated": NP_("counted", "renegotiated"),
    "keep rate": NP_("counted", "keep rate"), "late median": NP_("counted", "late median"),
    "late p90": NP_("counted", "late p90"),
}
# What --by groups by, as the table's first column heads it.
GROUP_NAMES = {
    "week": NP_("grouped by", "week"), "who": NP_("grouped by", "who"), "via": NP_("grouped by", "via"),
    "tag": NP_("grouped by", "tag"), "owner": NP_("grouped by", "owner"),
}


def count_name(name: str) -> str:
    """ "kept", "keep rate"… in the active language."""
    return pgettext("counted", COUNT_NAMES[name])


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
    if tally.keep_rate is None:
        return "—"
    # Translators: a keep rate; write the percent sign as your language does ("83 %").
    return pgettext("percent", "{percent}%").format(percent=f"{tally.keep_rate * 100:.0f}")


def lateness(tally: Tally) -> str:
    """ "median 12m, p90 1h 05m", or "" when nothing was late."""
    if tally.lateness_median_s is None or tally.lateness_p90_s is None:
        return ""
    return _("median {median}, p90 {p90}").format(
        median=timefmt.span_seconds(tally.lateness_median_s), p90=timefmt.span_seconds(tally.lateness_p90_s)
    )


def period(view: View, report: Report) -> str:
    """ "all time" / "since Mon 2 Nov 00:00" / "… until Mon 23 Nov 00:00", then the clock."""
    since, until = report.since, report.until
    if since is not None and until is not None:
        template = _("Promise outcomes, since {since} until {until} (as of {now})")
    elif since is not None:
        template = _("Promise outcomes, since {since} (as of {now})")
    elif until is not None:
        template = _("Promise outcomes, until {until} (as of {now})")
    else:
        template = _("Promise outcomes, all time (as of {now})")
    moments = {name: timefmt.moment(at, view.zone, now=view.now)
               for name, at in (("since", since), ("until", until), ("now", report.now)) if at is not None}
    return template.format(**moments)


def _summary_rows(tally: Tally) -> list[tuple[str, str, str]]:
    late_note = lateness(tally)
    rows = [(count_name("keep rate"), rate(tally),
             _("{kept} kept ÷ {judged} kept, late or broken").format(kept=tally.kept, judged=tally.judged))]
    for name in ("kept", "late", "broken", "released", "renegotiated"):
        meaning = _(MEANING[name])
        note = f"{meaning}; {late_note}" if name == "late" and late_note else meaning
        rows.append((count_name(name), str(getattr(tally, name)), note))
    return rows


# -- the whole report ------------------------------------------------------------------------


def show(view: View, report: Report, *, counted: str | None = None) -> None:
    """The summary, then the groups (--by) or the weekly trend; `counted` says whose
    outcomes these are, when they are not everyone's."""
    view.line(Styled(period(view, report), "bold"))
    if counted:
        view.line(Styled(counted, "dim"))
    if not report.totals.total:
        view.line(_("No promise was kept, broken or released in this period; nothing to count yet."))
        return
    summary(view, report.totals)
    if report.by is not None:
        view.line("")
        groups(view, report.groups, by=report.by)
    elif report.trend:
        view.line("")
        trend(view, report.trend)


def summary(view: View, tally: Tally) -> None:
    rows = _summary_rows(tally)
    width = max(len(label) for label, _value, _note in rows) + 1
    styles = [_STYLES.get(name, "") for name in ("keep rate", "kept", "late", "broken", "released", "renegotiated")]
    for (label, value, note), style in zip(rows, styles):
        view.line(Styled.assemble((f"{label:<{width}}", "bold"), " ", (f"{value:>5}", style), "  ", (note, "dim")))


_STYLES = {"kept": "green", "late": "yellow", "broken": "red", "keep rate": "bold"}


def trend(view: View, weeks: Sequence[Tally]) -> None:
    """One line per week: on a terminal a stacked bar of kept, late and broken, and the keep rate."""
    labels = _week_labels(view, weeks)
    if not view.terminal:
        view.line(_("Weekly trend:"))
        for week, label in zip(weeks, labels, strict=True):
            view.line(f"{label}  {_counts(week)}  {count_name('keep rate')} {rate(week)}")
        return
    legend = Styled(_("Weekly trend") + "  ")
    for name, mark, style in BAR_PARTS:
        legend.append(f"{mark} {count_name(name)}  ", style)
    view.line(legend)
    widest = max((week.judged for week in weeks), default=0)
    for week, label in zip(weeks, labels, strict=True):
        chart = bar(week, widest)
        view.line(Styled.assemble(
            label, "  ", chart, " " * (BAR_WIDTH - len(chart) + 1),
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
    names = ("kept", "late", "broken", "released")
    return "  ".join(f"{count_name(name)} {getattr(tally, name)}" for name in names)


def _week_labels(view: View, weeks: Sequence[Tally]) -> list[str]:
    """ "2026-W48  Mon 23 Nov" for each week, the days padded to the widest as the terminal
    shows them (a Hungarian "nov. 23., H" is wider than an English "Mon 23 Nov")."""
    days = [
        timefmt.day_label(week.start.astimezone(view.zone).date()) if week.start else None
        for week in weeks
    ]
    width = max((display_width(day) for day in days if day), default=0)
    return [
        f"{week.group}  {pad(day, width)}" if day is not None else week.group or ""
        for week, day in zip(weeks, days, strict=True)
    ]


# -- --by ------------------------------------------------------------------------------------

_COLUMNS = ("kept", "late", "broken", "released", "renegotiated", "keep rate", "late median", "late p90")


def groups(view: View, found: Sequence[Tally], *, by: str) -> None:
    """A table with one row per group (weeks oldest first, names alphabetically)."""
    if not found:
        view.line(_("No outcomes to group."))
        return
    weeks = _week_labels(view, found) if by == "week" else None
    names = [Styled(weeks[index]) if weeks else _group_name(tally, by)
             for index, tally in enumerate(found)]
    heading = pgettext("grouped by", GROUP_NAMES[by]) if by in GROUP_NAMES else by
    cells = [[heading, *map(count_name, _COLUMNS)]] + [[name.plain, *_numbers(tally)] for name, tally in zip(names, found)]
    widths = [max(display_width(row[i]) for row in cells) for i in range(len(cells[0]))]
    charts = _week_bars(view, found, by)
    header = "  ".join([pad(cells[0][0], widths[0]), *(_right(v, w) for v, w in zip(cells[0][1:], widths[1:]))])
    view.line(Styled(header.rstrip(), "bold" if view.terminal else ""))
    for name, row, chart in zip(names, cells[1:], charts):
        numbers = "  ".join(_right(value, width) for value, width in zip(row[1:], widths[1:]))
        line = Styled.assemble(name, " " * (widths[0] - display_width(name.plain)), "  ", numbers)
        if chart:
            line.append("  ").append(chart)
        view.line(line)


def _week_bars(view: View, found: Sequence[Tally], by: str) -> list[Styled]:
    if by != "week" or not view.terminal:
        return [Styled() for _ in found]
    widest = max((tally.judged for tally in found), default=0)
    return [bar(tally, widest, width=BAR_WIDTH // 2) for tally in found]


def _right(text: str, width: int) -> str:
    """`text` right-aligned in `width` terminal columns."""
    return " " * max(width - display_width(text), 0) + text


def _group_name(tally: Tally, by: str) -> Styled:
    if tally.group is None:
        return Styled(_(NO_KEY[by]) if by in NO_KEY else _("(none)"), "dim italic")
    return user(tally.group)


def _numbers(tally: Tally) -> list[str]:
    def span(seconds: int | None) -> str:
        return "—" if seconds is None else timefmt.span_seconds(seconds)

    return [
        str(tally.kept), str(tally.late), str(tally.broken), str(tally.released),
        str(tally.renegotiated), rate(tally), span(tally.lateness_median_s), span(tally.lateness_p90_s),
    ]
