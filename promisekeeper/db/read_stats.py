"""Honest accounting in SQL: each promise's outcome, counted in one statement on either engine.

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
it missed. It counts for whoever held the promise at that moment (`held_by`): the owner who
closed it, or who had it when the deadline passed; handing on an overdue promise does not
hand on the deadline it missed.

The promise row holds the current state (the journal's sum); the journal supplies the
history: moves (a move's `due_at` column is the deadline it moved away from), changes of
hands (a hand-off's `owner` column is who had it before), and what was undone. Moments are epoch seconds, so lateness is a subtraction in any engine; only one
row per group comes back to Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from promisekeeper.db.read_journal import LIVE_SQL
from promisekeeper.db.reader import Reader
from promisekeeper.kinds import Kind
from promisekeeper.when.clock import epoch, from_epoch
from promisekeeper.when.deadline import end_sql, late_sql


def _history(*, one: bool = False) -> str:
    """The journal's verdicts the outcomes need; `one`: only those of the promise `:promise`
    (through the journal's indexes: `pk show` costs the same at any size)."""
    created_one = " AND created.promise_id = :promise" if one else ""
    moved_one = " AND e.promise_id = :promise" if one else ""
    return f"""
withdrawn AS (
    -- Undoing an add releases the promise; it was a mistake, not a promise, unless it was
    -- reopened afterwards.
    SELECT created.promise_id AS id
    FROM event AS undo
    JOIN event AS created ON created.id = undo.undoes
    WHERE undo.undoes IS NOT NULL
      AND created.kind = '{Kind.CREATED}'{created_one}
      AND NOT EXISTS (
          SELECT 1 FROM event AS e
          WHERE e.promise_id = created.promise_id
            AND e.kind = '{Kind.REOPENED}'
            AND e.id > undo.id
            AND {LIVE_SQL}
      )
),
moves AS (
    -- A move after its deadline (when.deadline: at or after the end of its minute) breaks the promise: moves happen in time
    -- order, each from a deadline later than the last, so the smallest such due_at is the
    -- first deadline missed.
    SELECT e.promise_id,
           MIN(CASE WHEN {late_sql('e.at', 'e.due_at')} THEN e.due_at END) AS missed_at,
           MAX(CASE WHEN {late_sql('e.at', 'e.due_at')} THEN 0 ELSE 1 END) AS renegotiated
    FROM event AS e
    WHERE e.kind = '{Kind.RESCHEDULED}' AND {LIVE_SQL}{moved_one}
    GROUP BY e.promise_id
)
"""


_HISTORY_SQL = _history()

# One row per counted promise in [since, until): its outcome, when that was decided, how
# late it was kept (seconds, late ones only) and whether it was renegotiated in time; plus
# the one promise column the grouping needs (who or via), if any, and who held it then.
_OUTCOMES_SQL = f"""
outcomes AS (
    SELECT * FROM (
        SELECT dated.*, {{held_by}} AS held_by FROM (
        SELECT id, {{column}} owner_now, outcome, renegotiated,
               CASE outcome WHEN 'broken' THEN COALESCE(missed_at, due_at) ELSE closed_at END AS decided_at,
               CASE outcome WHEN 'late' THEN closed_at - {end_sql('due_at')} END AS late_s
        FROM (
            SELECT p.id, p.due_at, p.closed_at, m.missed_at, {{source}} p.owner AS owner_now,
                   COALESCE(m.renegotiated, 0) AS renegotiated,
                   CASE
                       WHEN m.missed_at IS NOT NULL THEN 'broken'
                       WHEN p.state = 'open' THEN CASE WHEN {late_sql(':now', 'p.due_at')} THEN 'broken' END
                       WHEN p.state = 'released' THEN
                           CASE WHEN {late_sql('p.closed_at', 'p.due_at')} THEN 'broken' ELSE 'released' END
                       WHEN NOT {late_sql('p.closed_at', 'p.due_at')} THEN 'kept'
                       ELSE 'late'
                   END AS outcome
            FROM promise AS p
            LEFT JOIN moves AS m ON m.promise_id = p.id
            WHERE p.id NOT IN (SELECT id FROM withdrawn) {{narrowing}}
        ) AS verdicts
        WHERE outcome IS NOT NULL
        ) AS dated
    ) AS attributed
    WHERE {{window}} {{owners}}
)
"""

# Who held a promise when its outcome was decided: whoever had it before the first change
# of hands after that moment (a hand-off, or an older version's edit of the owner), else
# whoever has it now. Most promises never change hands: one set lookup answers for them, and
# only the others are searched (by the event index) for a change after the moment.
_CHANGES_OF_HANDS = f"(e.kind = '{Kind.HANDED_OFF}' OR (e.kind = '{Kind.EDITED}' AND e.owner IS NOT NULL))"
_HANDS_AFTER = (
    "SELECT {what} FROM event AS e WHERE e.promise_id = dated.id AND e.at > dated.decided_at"
    f" AND {_CHANGES_OF_HANDS} AND {LIVE_SQL}"
)
_HELD_BY_SQL = (
    f"CASE WHEN dated.id NOT IN (SELECT e.promise_id FROM event AS e WHERE {_CHANGES_OF_HANDS})"
    " THEN dated.owner_now"
    f" WHEN EXISTS ({_HANDS_AFTER.format(what='1')})"
    f" THEN ({_HANDS_AFTER.format(what='e.owner')} ORDER BY e.id LIMIT 1) ELSE dated.owner_now END"
)

# Part 0 is every outcome (the totals); part 1 the groups, within their own window (the
# weeks of a trend). Counts run over every outcome; the lateness percentiles rank only the
# late ones, by nearest rank: the value at rank ceil(p * n) of the n sorted ones.
_TALLY_SQL = """
counted AS (
    SELECT 0 AS part, CAST(NULL AS VARCHAR) AS grp, outcome, renegotiated, late_s FROM outcomes
    {group_counted}
),
counts AS (
    SELECT part, grp,
           SUM(CASE WHEN outcome = 'kept' THEN 1 ELSE 0 END) AS kept,
           SUM(CASE WHEN outcome = 'late' THEN 1 ELSE 0 END) AS late,
           SUM(CASE WHEN outcome = 'broken' THEN 1 ELSE 0 END) AS broken,
           SUM(CASE WHEN outcome = 'released' THEN 1 ELSE 0 END) AS released,
           SUM(renegotiated) AS renegotiated
    FROM counted
    GROUP BY part, grp
),
ranked AS (
    SELECT part, grp, late_s,
           ROW_NUMBER() OVER (PARTITION BY part, grp ORDER BY late_s) AS nth,
           COUNT(*) OVER (PARTITION BY part, grp) AS n
    FROM counted
    WHERE outcome = 'late'
),
lateness AS (
    SELECT part, grp,
           MAX(CASE WHEN nth = (n + 1) / 2 THEN late_s END) AS median,
           MAX(CASE WHEN nth = (9 * n + 9) / 10 THEN late_s END) AS p90
    FROM ranked
    GROUP BY part, grp
)
SELECT c.part, c.grp, c.kept, c.late, c.broken, c.released, c.renegotiated, l.median, l.p90
FROM counts AS c
LEFT JOIN lateness AS l
    ON l.part = c.part AND (l.grp = c.grp OR (l.grp IS NULL AND c.grp IS NULL))
"""
_GROUP_COUNTED = (
    "UNION ALL SELECT 1, {key}, o.outcome, o.renegotiated, o.late_s FROM outcomes AS o {join} WHERE {window}"
)


class Key(NamedTuple):
    """How a grouping finds its key: an expression, a join, and the promise column it reads."""

    expression: str
    join: str = ""
    column: str = ""


# Fixed strings, never user input.
GROUP_KEYS = {
    "who": Key("o.who", column="who"),
    "via": Key("o.via", column="via"),
    "owner": Key("o.held_by"),
    # A promise with two tags counts in both groups; one with none in the NULL group.
    "tag": Key("tag.tag", "LEFT JOIN promise_tag AS tag ON tag.promise_id = o.id"),
}


def week_key(starts: Sequence[tuple[str, datetime]]) -> Key:
    """The week holding an outcome, by binary search over the week starts in a nested CASE.

    Seven integer comparisons for two years of weeks: cheaper per promise than a lookup in
    a table of weeks. Only outcomes from the first week's start reach it.
    """

    def search(part: Sequence[tuple[str, datetime]]) -> str:
        if len(part) == 1:
            return f"'{part[0][0]}'"
        middle = len(part) // 2
        return (f"CASE WHEN o.decided_at < {epoch(part[middle][1])} "
                f"THEN {search(part[:middle])} ELSE {search(part[middle:])} END")

    return Key(search(starts))


class Counts(NamedTuple):
    """The outcomes of one group of promises (or of all of them), as counted."""

    group: str | None
    kept: int
    late: int
    broken: int
    released: int
    renegotiated: int
    lateness_median_s: int | None
    lateness_p90_s: int | None


class Window(NamedTuple):
    """Which outcomes count: decided in [since, until), of these owners (None: everyone's)."""

    since: datetime | None = None
    until: datetime | None = None
    owners: tuple[str | None, ...] | None = None


def tally(
    reader: Reader, *, key: Key | None, now: datetime, window: Window,
    group_window: tuple[datetime | None, datetime | None] | None = None,
) -> tuple[Counts | None, list[Counts]]:
    """The totals over the window and, with a key, its groups (within group_window)."""
    params: dict[str, Any] = {"now": epoch(now)}
    group_since, group_until = group_window or (window.since, window.until)
    attributed = window.owners is not None or (key is not None and key == GROUP_KEYS["owner"])
    statement = "WITH " + ",".join((
        _HISTORY_SQL,
        _OUTCOMES_SQL.format(
            source=f"p.{key.column}," if key and key.column else "",
            column=f"{key.column}," if key and key.column else "",
            held_by=_HELD_BY_SQL if attributed else "NULL",
            narrowing="",
            window=_decided(window.since, window.until, "", "w", params),
            owners=_owners(window.owners, params),
        ),
        _TALLY_SQL.format(group_counted=_GROUP_COUNTED.format(
            key=key.expression, join=key.join, window=_decided(group_since, group_until, "o.", "g", params),
        ) if key else ""),
    ))
    rows = [_counts(row) for row in reader.all(statement, params)]
    totals = next((counts for part, counts in rows if part == 0), None)
    return totals, [counts for part, counts in rows if part == 1]


def _decided(since: datetime | None, until: datetime | None, alias: str, name: str, params: dict[str, Any]) -> str:
    parts = ["1 = 1"]
    if since is not None:
        parts.append(f"{alias}decided_at >= :{name}_since")
        params[f"{name}_since"] = epoch(since)
    if until is not None:
        parts.append(f"{alias}decided_at < :{name}_until")
        params[f"{name}_until"] = epoch(until)
    return " AND ".join(parts)


def _owners(owners: tuple[str | None, ...] | None, params: dict[str, Any]) -> str:
    """Only the outcomes of these owners (by who held each promise when it was decided)."""
    if owners is None:
        return ""
    named = [owner for owner in owners if owner is not None]
    options = []
    if named:
        marks = []
        for index, owner in enumerate(named):
            params[f"owner{index}"] = owner
            marks.append(f":owner{index}")
        options.append(f"held_by IN ({', '.join(marks)})")
    if None in owners:
        options.append("held_by IS NULL")
    return f"AND ({' OR '.join(options) or '1 = 0'})"


def _counts(row: Sequence[Any]) -> tuple[int, Counts]:
    part, group, kept, late, broken, released, renegotiated, median, p90 = row
    return int(part), Counts(
        group=None if group is None else str(group), kept=int(kept), late=int(late),
        broken=int(broken), released=int(released), renegotiated=int(renegotiated or 0),
        lateness_median_s=None if median is None else int(median),
        lateness_p90_s=None if p90 is None else int(p90),
    )


# -- one promise at a time ------------------------------------------------------------------------


class Judgement(NamedTuple):
    """One promise's outcome, when it was decided, and how it got there."""

    promise_id: int
    outcome: str
    decided_at: datetime
    late_s: int | None
    renegotiated: bool


def judgements(reader: Reader, *, now: datetime, promise_id: int | None = None) -> list[Judgement]:
    """Each counted promise's outcome, by id (one promise's when asked)."""
    params: dict[str, Any] = {"now": epoch(now)}
    narrowing = ""
    if promise_id is not None:
        narrowing, params["promise"] = "AND p.id = :promise", promise_id
    outcomes = _OUTCOMES_SQL.format(source="", column="", held_by="NULL", narrowing=narrowing, window="1 = 1",
                                    owners="")
    statement = (f"WITH {_history(one=promise_id is not None)},{outcomes} SELECT id, outcome, decided_at, late_s, renegotiated"
                 " FROM outcomes ORDER BY id")
    return [
        Judgement(int(ident), outcome, from_epoch(decided), None if late is None else int(late), bool(renegotiated))
        for ident, outcome, decided, late, renegotiated in reader.all(statement, params)
    ]


def judgement(reader: Reader, *, now: datetime, promise_id: int) -> Judgement | None:
    """How one promise is judged now (None while its deadline is ahead and it is open)."""
    found = judgements(reader, now=now, promise_id=promise_id)
    return found[0] if found else None


def moment_bounds(reader: Reader) -> tuple[datetime | None, datetime | None]:
    """The earliest moment an outcome can be dated by, and the latest closing.

    An outcome is dated by a closing, a deadline or a former deadline, none of which comes
    before the promise was made or after its closing: one pass over the promise table.
    """
    row = reader.one("SELECT MIN(created_at), MIN(due_at), MIN(closed_at), MAX(closed_at) FROM promise")
    assert row is not None
    earliest = [value for value in row[:3] if value is not None]
    return (from_epoch(min(earliest)) if earliest else None,
            from_epoch(row[3]) if row[3] is not None else None)
