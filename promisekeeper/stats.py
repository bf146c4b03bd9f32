"""Honest accounting: what became of each promise, counted in SQL over the journal.

Every promise that is closed or past its deadline has exactly one outcome:

- kept:     done by its agreed deadline (done at the deadline itself counts as kept);
- late:     done after its deadline, and never moved after a deadline had passed;
- broken:   still open past its deadline, or moved after a deadline had passed (whatever
            happened later), or released after its deadline had passed;
- released: cancelled before its deadline; not part of the keep rate.

`renegotiated` counts, among those promises, the ones moved before their deadline with a
reason; it is not an outcome of its own. Undone events do not count, and a promise whose
`created` event was undone (logged by mistake) is left out until it is reopened.

Each outcome is dated by when it was decided, and `since`/`until` (half-open) select by that
date: kept, late and released by when the promise was closed; broken by the earliest deadline
it missed. The promise row holds the current state (the journal's sum); the journal supplies
the history: moves, and what was undone. One statement computes the totals and the groups
together; only one row per group comes back to Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import partial
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from promisekeeper.clock import local_midnight
from promisekeeper.errors import BadInput, StorageError

GROUPINGS = ("week", "who", "via", "tag", "owner")
DEFAULT_TREND_WEEKS = 8

# The history facts every verdict needs, read from the journal.
#
# Moments stay in the stored text form ('2026-11-24 09:00:00.000000', UTC), which sorts as
# time does, so judging and filtering 100,000 promises parses no dates; only the late ones'
# lateness does. A move's `from` (ISO with an offset) is brought to that form where it is read.
_HISTORY_SQL = """
undone AS (
    SELECT undoes AS id FROM event WHERE undoes IS NOT NULL
),
withdrawn AS (
    -- Undoing an add releases the promise; it was a mistake, not a promise, unless it was
    -- reopened afterwards. CROSS JOIN: start from the few undos, not from every event.
    SELECT created.promise_id AS id
    FROM event AS undo
    CROSS JOIN event AS created ON created.id = undo.undoes
    WHERE undo.undoes IS NOT NULL
      AND created.kind = 'created'
      AND NOT EXISTS (
          SELECT 1 FROM event AS reopened
          WHERE reopened.promise_id = created.promise_id
            AND reopened.kind = 'reopened'
            AND reopened.id > undo.id
            AND reopened.id NOT IN (SELECT id FROM undone)
      )
),
moves AS (
    SELECT promise_id,
           -- Moves after their deadline happen in time order, each from a deadline later
           -- than the last, so the smallest `from` is the first deadline missed.
           MIN(CASE WHEN late_move THEN strftime('%Y-%m-%d %H:%M:%f', moved_from) || '000' END) AS missed_at,
           MAX(NOT late_move) AS renegotiated
    FROM (
        SELECT promise_id,
               json_extract(data, '$.from') AS moved_from,
               -- The ledger records the verdict; an imported move may only have the times.
               COALESCE(json_extract(data, '$.after_deadline'),
                        julianday(json_extract(data, '$.from')) < julianday(at)) AS late_move
        FROM event
        WHERE kind = 'rescheduled' AND id NOT IN (SELECT id FROM undone)
    )
    -- "+": read the few moves in table order and sort them, rather than walk the whole
    -- journal through the promise index (four times slower at 300,000 events).
    GROUP BY +promise_id
)
"""

# One row per counted promise in [since, until): its outcome, when that was decided, how
# late it was kept (seconds, late ones only) and whether it was renegotiated in time; plus
# the one promise column the grouping needs (who, via, owner or tags), if any. Nested
# subqueries rather than a chain of CTEs: SQLite flattens them instead of copying each step.
_OUTCOMES_SQL = """
outcomes AS (
    SELECT * FROM (
        -- when each verdict was reached, and by how much a late one was late
        SELECT id, {column} outcome, renegotiated,
               CASE outcome WHEN 'broken' THEN COALESCE(missed_at, due_at) ELSE closed_at END AS decided_at,
               CASE outcome
                   WHEN 'late' THEN
                       CAST(ROUND((julianday(closed_at) - julianday(due_at)) * 86400) AS INTEGER)
               END AS late_s
        FROM (
            -- the verdict
            SELECT p.id, p.due_at, p.closed_at, m.missed_at, {source}
                   COALESCE(m.renegotiated, 0) AS renegotiated,
                   CASE
                       WHEN m.missed_at IS NOT NULL THEN 'broken'
                       WHEN p.state = 'open' THEN CASE WHEN p.due_at < :now THEN 'broken' END
                       WHEN p.state = 'released' THEN
                           CASE WHEN p.closed_at > p.due_at THEN 'broken' ELSE 'released' END
                       WHEN p.closed_at <= p.due_at THEN 'kept'
                       ELSE 'late'
                   END AS outcome
            FROM promise AS p
            LEFT JOIN moves AS m ON m.promise_id = p.id
            WHERE p.id NOT IN (SELECT id FROM withdrawn)
        )
        WHERE outcome IS NOT NULL
    )
    WHERE (:since IS NULL OR decided_at >= :since)
      AND (:until IS NULL OR decided_at < :until)
)
"""

# Part 0 is every outcome (the totals); part 1 the groups, within their own window (the
# weeks of a trend). Counts run over every outcome; the lateness percentiles rank only the
# late ones, by nearest rank: the value at rank ceil(p * n) of the n sorted ones.
_TALLY_SQL = """
counted AS (
    SELECT 0 AS part, NULL AS grp, outcome, renegotiated FROM outcomes
    {group_counted}
),
late AS (
    SELECT 0 AS part, NULL AS grp, late_s FROM outcomes WHERE outcome = 'late'
    {group_late}
),
counts AS (
    SELECT part, grp,
           SUM(outcome = 'kept') AS kept, SUM(outcome = 'late') AS late,
           SUM(outcome = 'broken') AS broken, SUM(outcome = 'released') AS released,
           SUM(renegotiated) AS renegotiated
    FROM counted
    GROUP BY part, grp
),
ranked AS (
    SELECT part, grp, late_s,
           ROW_NUMBER() OVER (PARTITION BY part, grp ORDER BY late_s) AS rank,
           COUNT(*) OVER (PARTITION BY part, grp) AS size
    FROM late
),
lateness AS (
    SELECT part, grp,
           MAX(CASE WHEN rank = (size + 1) / 2 THEN late_s END) AS median,
           MAX(CASE WHEN rank = (9 * size + 9) / 10 THEN late_s END) AS p90
    FROM ranked
    GROUP BY part, grp
)
SELECT c.part, c.grp, c.kept, c.late, c.broken, c.released, c.renegotiated, l.median, l.p90
FROM counts AS c
LEFT JOIN lateness AS l ON l.part = c.part AND l.grp IS c.grp
ORDER BY c.part, c.grp
"""
_IN_GROUP_WINDOW = (
    "(:group_since IS NULL OR o.decided_at >= :group_since) "
    "AND (:group_until IS NULL OR o.decided_at < :group_until)"
)
_GROUP_COUNTED = (
    "UNION ALL SELECT 1, {key}, o.outcome, o.renegotiated FROM outcomes AS o {join} WHERE " + _IN_GROUP_WINDOW
)
_GROUP_LATE = (
    "UNION ALL SELECT 1, {key}, o.late_s FROM outcomes AS o {join} "
    "WHERE o.outcome = 'late' AND " + _IN_GROUP_WINDOW
)


@dataclass(frozen=True)
class _Key:
    """How a grouping finds its key: an expression, a join, and the promise column it reads."""

    expression: str
    join: str = ""
    column: str = ""


# Fixed strings, never user input.
_GROUP_KEYS = {
    "who": _Key("o.who", column="who"),
    "via": _Key("o.via", column="via"),
    "owner": _Key("o.owner", column="owner"),
    # A promise with two tags counts in both groups; one with none in the NULL group.
    "tag": _Key("tag.value", "LEFT JOIN json_each(o.tags) AS tag", column="tags"),
    # "week" is built for the weeks asked about: see _week_key.
}


def _week_key(weeks: Sequence[Week]) -> _Key:
    """The week holding an outcome, by binary search over the week starts in a nested CASE.

    Seven comparisons of stored text for two years of weeks: cheaper per promise than a
    lookup in a table of weeks. Only outcomes from the first week's start reach it.
    """

    def search(part: Sequence[Week]) -> str:
        if len(part) == 1:
            return f"'{part[0].label}'"
        middle = len(part) // 2
        return (f"CASE WHEN o.decided_at < '{_stamp(part[middle].start)}' "
                f"THEN {search(part[:middle])} ELSE {search(part[middle:])} END")

    return _Key(search(weeks))


def _tally_statement(key: _Key | None) -> str:
    """The statement for the totals, and for the groups of `key` when there is one."""
    column = f"{key.column}," if key and key.column else ""
    outcomes = _OUTCOMES_SQL.format(source=f"p.{column}" if column else "", column=column)
    tally = _TALLY_SQL.format(
        group_counted=_GROUP_COUNTED.format(key=key.expression, join=key.join) if key else "",
        group_late=_GROUP_LATE.format(key=key.expression, join=key.join) if key else "",
    )
    return f"WITH {_HISTORY_SQL},{outcomes},{tally}"


def _judgement_statement() -> str:
    return f"WITH {_HISTORY_SQL},{_OUTCOMES_SQL.format(source='', column='')}" + """
        SELECT id, outcome, decided_at, late_s, renegotiated FROM outcomes
        WHERE :promise IS NULL OR id = :promise
        ORDER BY id
    """


# -- results -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
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


@dataclass(frozen=True)
class Judgement:
    """One promise's outcome, when it was decided, and how it got there."""

    promise_id: int
    outcome: str
    decided_at: datetime
    late_s: int | None
    renegotiated: bool


@dataclass(frozen=True)
class Week:
    """A local week, Monday 00:00 to Monday 00:00, named like "2026-W48"."""

    start: datetime  # aware UTC
    end: datetime  # the next week's start
    monday: date

    @property
    def label(self) -> str:
        year, number, _ = self.monday.isocalendar()
        return f"{year}-W{number:02d}"


@dataclass(frozen=True)
class Report:
    """What `pk stats` shows: totals, optional groups and the weekly trend."""

    now: datetime
    since: datetime | None
    until: datetime | None
    by: str | None
    totals: Tally
    groups: list[Tally] = field(default_factory=list)
    trend: list[Tally] = field(default_factory=list)


# -- the questions ---------------------------------------------------------------------------


def grouping(name: str | None) -> str | None:
    """The --by value checked: one of GROUPINGS (any case), or None."""
    if name is None:
        return None
    wanted = name.strip().lower()
    if wanted not in GROUPINGS:
        raise BadInput(f"--by {name!r} is not a grouping; use one of: {', '.join(GROUPINGS)}")
    return wanted


def report(
    session: Session,
    *,
    now: datetime,
    zone: tzinfo,
    since: datetime | None = None,
    until: datetime | None = None,
    by: str | None = None,
    trend_weeks: int = DEFAULT_TREND_WEEKS,
) -> Report:
    """Totals for [since, until), the groups asked for, and (without --by) a weekly trend."""
    _require_sqlite(session)
    if since is not None and until is not None and since >= until:
        raise BadInput("--since must come before --until")
    by = grouping(by)
    asked = partial(Report, now=now, since=since, until=until, by=by)
    if by not in (None, "week"):
        totals, groups = _tally(session, key=_GROUP_KEYS[by], now=now, since=since, until=until)
        return asked(totals=totals, groups=sorted(groups, key=_by_name))
    if by == "week":
        weeks = _weeks_with_outcomes(session, now=now, zone=zone, since=since, until=until)
        totals, weekly = _tally_weeks(session, weeks, now=now, since=since, until=until)
        return asked(totals=totals, groups=weekly if since else _from_first_outcome(weekly))
    weeks = recent_weeks(zone=zone, last=_last_moment(now, until), count=trend_weeks)
    weeks = [week for week in weeks if since is None or week.end > since]
    totals, trend = _tally_weeks(session, weeks, now=now, since=since, until=until)
    return asked(totals=totals, trend=trend)


def judgements(session: Session, *, now: datetime, promise_id: int | None = None) -> list[Judgement]:
    """Each counted promise's outcome, by id (one promise's when asked).

    For showing one promise and for tests; the statistics never load these rows.
    """
    _require_sqlite(session)
    params = {"now": _stamp(now), "since": None, "until": None, "promise": promise_id}
    rows = session.connection().execute(text(_judgement_statement()), params).all()
    return [
        Judgement(ident, outcome, _from_stamp(decided) or now, late_s, bool(renegotiated))
        for ident, outcome, decided, late_s, renegotiated in rows
    ]


def _by_name(tally: Tally) -> tuple[bool, str, str]:
    # Names alphabetically whatever their case; promises without one last.
    return (tally.group is None, (tally.group or "").casefold(), tally.group or "")


def _tally_weeks(
    session: Session, weeks: Sequence[Week], *, now: datetime, since: datetime | None, until: datetime | None
) -> tuple[Tally, list[Tally]]:
    """The totals, and one Tally per week given (zeros for a week without outcomes)."""
    if not weeks:
        return _tally(session, key=None, now=now, since=since, until=until)[0], []
    window = (max(weeks[0].start, since) if since else weeks[0].start,
              min(weeks[-1].end, until) if until else weeks[-1].end)
    totals, found = _tally(session, key=_week_key(weeks), now=now, since=since, until=until, group_window=window)
    by_label = {tally.group: tally for tally in found}
    return totals, [replace(by_label.get(week.label, Tally(group=week.label)), start=week.start) for week in weeks]


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
    session: Session, *, now: datetime, zone: tzinfo, since: datetime | None, until: datetime | None
) -> list[Week]:
    """For --by week: from --since (else the earliest moment an outcome can have) to --until
    (else now, or the latest closing if the clock was set back)."""
    earliest, latest = _moment_bounds(session)
    first = since or earliest
    if first is None:
        return []
    last = _last_moment(max(now, latest or now), until)
    return weeks_between(first, last, zone) if first <= last else []


def _moment_bounds(session: Session) -> tuple[datetime | None, datetime | None]:
    # An outcome is dated by a closing, a deadline or a former deadline, none of which comes
    # before the promise was made or after its closing: one pass over the promise table.
    row = session.connection().execute(text(
        "SELECT MIN(MIN(created_at), MIN(due_at), COALESCE(MIN(closed_at), MIN(due_at))),"
        " MAX(closed_at) FROM promise"
    )).one()
    return _from_stamp(row[0]), _from_stamp(row[1])


def _last_moment(now: datetime, until: datetime | None) -> datetime:
    # --until is exclusive: the last week shown is the one holding the moment before it.
    return until - timedelta(microseconds=1) if until is not None else now


# -- running the SQL -----------------------------------------------------------------------


def _tally(
    session: Session,
    *,
    key: _Key | None,
    now: datetime,
    since: datetime | None,
    until: datetime | None,
    group_window: tuple[datetime | None, datetime | None] | None = None,
) -> tuple[Tally, list[Tally]]:
    """The totals over [since, until) and, with a key, its groups (within group_window)."""
    group_since, group_until = group_window or (since, until)
    params = {
        "now": _stamp(now), "since": _stamp(since), "until": _stamp(until),
        "group_since": _stamp(group_since), "group_until": _stamp(group_until),
    }
    rows = session.connection().execute(text(_tally_statement(key)), params).all()
    totals = next((_row_tally(row) for row in rows if row[0] == 0), Tally())
    return totals, [_row_tally(row) for row in rows if row[0] == 1]


def _row_tally(row: Sequence[Any]) -> Tally:
    _part, group, kept, late, broken, released, renegotiated, median, p90 = row
    return Tally(
        group=None if group is None else str(group),
        kept=kept, late=late, broken=broken, released=released, renegotiated=renegotiated,
        lateness_median_s=median, lateness_p90_s=p90,
    )


def _stamp(moment: datetime | None) -> str | None:
    """A moment as the database stores it (naive UTC text), so text comparisons hold."""
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _from_stamp(stamp: str | None) -> datetime | None:
    return None if stamp is None else datetime.fromisoformat(stamp).replace(tzinfo=UTC)


def _require_sqlite(session: Session) -> None:
    dialect = session.connection().dialect.name
    if dialect != "sqlite":
        raise StorageError(f"pk stats reads SQLite databases only for now (this one is {dialect})")
