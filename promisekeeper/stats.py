"""`pk stats`: totals, groups and the weekly trend, from the outcomes counted in SQL.

What each outcome means, and how it is counted, is said once, in `db.read_stats`; this
module chooses the weeks and the groups and puts the report together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta, tzinfo
from functools import partial
from typing import TYPE_CHECKING, NamedTuple

from promisekeeper.db import read_stats
from promisekeeper.db.read_stats import Judgement, Window
from promisekeeper.db.reader import Reader
from promisekeeper.errors import BadInput
from promisekeeper.lang import collation
from promisekeeper.when.clock import local_midnight

if TYPE_CHECKING:
    from promisekeeper.series.unwritten import Unwritten
    from promisekeeper.when.calendar import BusinessCalendar

__all__ = ["GROUPINGS", "Judgement", "Report", "Tally", "Week", "grouping", "report"]

GROUPINGS = ("week", "who", "via", "tag", "owner")
DEFAULT_TREND_WEEKS = 8


class Tally(NamedTuple):
    """The outcomes of one group of promises (or of all of them)."""

    group: str | None = None
    kept: int = 0
    late: int = 0
    broken: int = 0
    released: int = 0
    renegotiated: int = 0
    lateness_median_s: int | None = None
    lateness_p90_s: int | None = None
    start: datetime | None = None  # the week's first moment, for weekly groups

    @property
    def judged(self) -> int:
        """The promises the keep rate is taken over: released ones are not."""
        return self.kept + self.late + self.broken

    @property
    def total(self) -> int:
        return self.judged + self.released

    @property
    def keep_rate(self) -> float | None:
        return self.kept / self.judged if self.judged else None


class Week(NamedTuple):
    """A local week, Monday 00:00 to Monday 00:00, named like "2026-W48"."""

    start: datetime  # aware UTC
    end: datetime  # the next week's start
    monday: date

    @property
    def label(self) -> str:
        year, number, _ = self.monday.isocalendar()
        return f"{year}-W{number:02d}"


class Report(NamedTuple):
    """What `pk stats` shows: totals, optional groups and the weekly trend."""

    now: datetime
    since: datetime | None
    until: datetime | None
    by: str | None
    totals: Tally
    groups: list[Tally] = []
    trend: list[Tally] = []


# -- the questions ---------------------------------------------------------------------------


def grouping(name: str | None) -> str | None:
    """The --by value checked: one of GROUPINGS (any case), or None."""
    if name is None:
        return None
    wanted = name.strip().lower()
    if wanted not in GROUPINGS:
        from promisekeeper.lang.i18n import _

        raise BadInput(_("--by '{name}' is not a grouping; use one of: {groupings}").format(
            name=name, groupings=", ".join(GROUPINGS)))
    return wanted


def report(
    reader: Reader,
    *,
    now: datetime,
    zone: tzinfo,
    window: Window = Window(),
    by: str | None = None,
    trend_weeks: int = DEFAULT_TREND_WEEKS,
    calendar: Callable[[], BusinessCalendar] | None = None,
) -> Report:
    """Totals for the window, the groups asked for, and (without --by) a weekly trend.

    With `calendar`, the broken check-ins the next change writes for the series' missed
    slots count already (`series.unwritten`), so the figures do not move when it runs.
    """
    since, until = window.since, window.until
    if since is not None and until is not None and since >= until:
        from promisekeeper.lang.i18n import _

        raise BadInput(_("--since must come before --until"))
    by = grouping(by)
    asked = partial(Report, now=now, since=since, until=until, by=by)
    extra = _unwritten(reader, now=now, window=window, calendar=calendar)
    if by not in (None, "week"):
        totals, groups = _tally(reader, key=read_stats.GROUP_KEYS[by], now=now, window=window)
        groups = _with_unwritten(groups, [_group_names(each, by) for each in extra])
        return asked(totals=_plus_broken(totals, extra), groups=_by_name(groups))
    if by == "week":
        weeks = _weeks_with_outcomes(reader, now=now, zone=zone, since=since, until=until)
        totals, weekly = _tally_weeks(reader, weeks, now=now, window=window, extra=extra, zone=zone)
        return asked(totals=totals, groups=weekly if since else _from_first_outcome(weekly))
    weeks = recent_weeks(zone=zone, last=_last_moment(now, until), count=trend_weeks)
    first, _last = read_stats.moment_bounds(reader)  # a young database's trend starts at its first week
    weeks = [week for week in weeks if (since is None or week.end > since) and (first is None or week.end > first)]
    totals, trend = _tally_weeks(reader, weeks, now=now, window=window, extra=extra, zone=zone)
    return asked(totals=totals, trend=trend)


# -- the check-ins the next change writes ----------------------------------------------------------


def _unwritten(
    reader: Reader, *, now: datetime, window: Window, calendar: Callable[[], BusinessCalendar] | None,
) -> list[Unwritten]:
    """Those within the window: decided in [since, until), held by one of its owners (the
    missed check-in's owner, as the change copies it)."""
    if calendar is None:
        return []
    from promisekeeper.series import unwritten

    return [each for each in unwritten.broken(reader, now=now, calendar=calendar)
            if (window.since is None or each.decided_at >= window.since)
            and (window.until is None or each.decided_at < window.until)
            and (window.owners is None or each.owner in window.owners)]


def _group_names(each: Unwritten, by: str) -> tuple[str | None, ...]:
    """The groups a check-in counts in, as `read_stats.GROUP_KEYS` finds them in SQL: one
    per tag (none: the untagged group), else its one value."""
    if by == "tag":
        return each.tags or (None,)
    return ({"who": each.who, "via": each.via, "owner": each.owner}[by],)


def _plus_broken(tally: Tally, extra: Sequence[object]) -> Tally:
    return tally._replace(broken=tally.broken + len(extra)) if extra else tally


def _with_unwritten(groups: list[Tally], names: Iterable[tuple[str | None, ...]]) -> list[Tally]:
    """The groups with each still-unwritten broken check-in added to those it counts in
    (`names`: theirs, one tuple per check-in); a group it alone makes is added."""
    added: dict[str | None, int] = {}
    for each in names:
        for name in each:
            added[name] = added.get(name, 0) + 1
    if not added:
        return groups
    found = {tally.group: tally for tally in groups}
    for name, count in added.items():
        found[name] = found.get(name, Tally(group=name))._replace(broken=found.get(name, Tally()).broken + count)
    return list(found.values())


def _by_name(groups: list[Tally]) -> list[Tally]:
    """Groups in the language's alphabetical order (Éva beside Eva); promises without a
    name (channel, owner, tag) last."""
    from promisekeeper.lang.i18n import active

    key = collation.sorter(active())
    return sorted(groups, key=lambda tally: (tally.group is None, key(tally.group or "")))


def _tally(
    reader: Reader, *, key: read_stats.Key | None, now: datetime, window: Window,
    group_window: tuple[datetime | None, datetime | None] | None = None,
) -> tuple[Tally, list[Tally]]:
    totals, groups = read_stats.tally(reader, key=key, now=now, window=window, group_window=group_window)
    return (_as_tally(totals) if totals else Tally()), [_as_tally(counts) for counts in groups]


def _as_tally(counts: read_stats.Counts) -> Tally:
    return Tally(
        group=counts.group, kept=counts.kept, late=counts.late, broken=counts.broken,
        released=counts.released, renegotiated=counts.renegotiated,
        lateness_median_s=counts.lateness_median_s, lateness_p90_s=counts.lateness_p90_s,
    )


def _tally_weeks(
    reader: Reader, weeks: Sequence[Week], *, now: datetime, window: Window,
    extra: Sequence[Unwritten], zone: tzinfo,
) -> tuple[Tally, list[Tally]]:
    """The totals, and one Tally per week given (zeros for a week without outcomes);
    `extra`: broken check-ins still to be written, in the week of their deadline in `zone`."""
    if not weeks:
        return _plus_broken(_tally(reader, key=None, now=now, window=window)[0], extra), []
    since, until = window.since, window.until
    group_window = (max(weeks[0].start, since) if since else weeks[0].start,
                    min(weeks[-1].end, until) if until else weeks[-1].end)
    key = read_stats.week_key([(week.label, week.start) for week in weeks])
    totals, found = _tally(reader, key=key, now=now, window=window, group_window=group_window)
    found = _with_unwritten(found, [(week_of(each.decided_at, zone).label,) for each in extra
                                    if group_window[0] <= each.decided_at < group_window[1]])
    totals = _plus_broken(totals, extra)
    by_label = {tally.group: tally for tally in found}
    return totals, [by_label.get(week.label, Tally(group=week.label))._replace(start=week.start) for week in weeks]


def _from_first_outcome(weeks: list[Tally]) -> list[Tally]:
    """Weeks before the first one with an outcome are left out (they only hold creations)."""
    for index, week in enumerate(weeks):
        if week.total:
            return weeks[index:]
    return []


# -- the weeks ---------------------------------------------------------------------------


def week_of(moment: datetime, zone: tzinfo) -> Week:
    """The local week (Monday 00:00 onwards) that holds this moment."""
    local = moment.astimezone(zone)
    return _week(local.date() - timedelta(days=local.weekday()), zone)


def _week(monday: date, zone: tzinfo) -> Week:
    # Midnight in the zone, then UTC: a week that spans a DST change is 167 or 169 hours.
    return Week(start=local_midnight(monday, zone), end=local_midnight(monday + timedelta(days=7), zone), monday=monday)


def weeks_between(first: datetime, last: datetime, zone: tzinfo) -> list[Week]:
    """Every local week from the one holding `first` to the one holding `last`."""
    monday, final = week_of(first, zone).monday, week_of(last, zone).monday
    weeks: list[Week] = []
    while monday <= final:
        weeks.append(_week(monday, zone))
        monday += timedelta(days=7)
    return weeks


def recent_weeks(*, zone: tzinfo, last: datetime, count: int) -> list[Week]:
    """The `count` weeks ending with the one holding `last`, oldest first."""
    final = week_of(last, zone).monday
    return [_week(final - timedelta(days=7 * back), zone) for back in range(count - 1, -1, -1)]


def _weeks_with_outcomes(
    reader: Reader, *, now: datetime, zone: tzinfo, since: datetime | None, until: datetime | None
) -> list[Week]:
    """For --by week: from --since (else the earliest moment an outcome can have) to --until
    (else now, or the latest closing if the clock was set back)."""
    earliest, latest = read_stats.moment_bounds(reader)
    first = since or earliest
    if first is None:
        return []
    last = _last_moment(max(now, latest or now), until)
    return weeks_between(first, last, zone) if first <= last else []


def _last_moment(now: datetime, until: datetime | None) -> datetime:
    # --until is exclusive: the last week shown is the one holding the moment before it.
    return until - timedelta(seconds=1) if until is not None else now
