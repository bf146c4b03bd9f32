"""Reading what the prompt schedule is made from: the open promises around now.

Standard library only and cheap to import: `pk prompt` reads here when its schedule is stale,
straight through sqlite3 (read-only, and without even a lock when it can), and through the
read half's `Reader` (libpq through ctypes, see db/libpq) for PostgreSQL. A database whose schema is not exactly this
version's is refused (`Unreadable`): the prompt then shows nothing rather than a wrong count.

On a database shared by several owners only the caller's own promises count (see `owner`).
"""

from __future__ import annotations

import os

from promisekeeper import owner as ownership

TYPE_CHECKING = False  # typing costs ~3 ms to import; checkers treat this as true
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from promisekeeper.db.reader import Reader
    from promisekeeper.db.target import Target

Deadline = tuple[int, int, str | None]  # due (epoch seconds), id, who

_OPEN = "FROM promise AS p WHERE p.state = 'open'"
# The owners named, one index probe each (a loose index scan): GROUP BY would read the
# whole owner index, ~14 ms at 100,000 promises. No owner (NULL) is not an owner.
OWNERS_SQL = (
    "WITH RECURSIVE o(name) AS (SELECT min(owner) FROM promise"
    " UNION ALL SELECT (SELECT min(owner) FROM promise WHERE owner > o.name) FROM o"
    " WHERE o.name IS NOT NULL) SELECT name FROM o WHERE name IS NOT NULL"
)
# The prompt's budget on PostgreSQL, within the 3 s the manual promises: libpq's shortest
# connect timeout (2 s), then a second for the statements, locks waited for included.
CONNECT_TIMEOUT_S = 2
STATEMENT_BUDGET_S = 1.0


class Unreadable(Exception):
    """The database could not be read (missing tables, corrupt, locked, another schema)."""


class Busy(Unreadable):
    """The server did not answer within the prompt's budget (a lock held, a server frozen):
    the data is there, so the segment may read as it last did."""


class Deadlines:
    """What a schedule is built from: open promises from `now` on, in deadline order.

    `overdue` counts those already overdue at `now`; `upcoming` holds (due, id, who) for
    those due in [now, end); `beyond` is the first one due at or after `end`, if any.
    Read with a `limit` and more are due in [now, end) than that, `upcoming` holds only the
    first `limit` and `due_by` is set: for each day end asked about whose day begins before
    the last of them is overdue, how many of those ahead of `now` are due by it (midnight
    included). The schedule then ends where the last one read falls overdue (`known_until`):
    up to there these say all there is, at a cost that does not grow with the promises.

    `check_ins`: the live series' open check-ins past their deadline (id, slot, due, first
    due, who, then the series as `SERIES_FIELDS`), which a series closes as missed at some
    moment; `check_in_due`: the earliest deadline still ahead of a live series' check-in
    (from then on, it too may be missed: the schedule ends there).
    """

    __slots__ = ("beyond", "check_in_due", "check_ins", "due_by", "overdue", "upcoming")

    def __init__(
        self, overdue: int, upcoming: list[Deadline], beyond: Deadline | None,
        due_by: dict[int, int] | None = None, check_ins: list[tuple[Any, ...]] | None = None,
        check_in_due: int | None = None,
    ) -> None:
        self.overdue = overdue
        self.upcoming = upcoming
        self.beyond = beyond
        self.due_by = due_by
        self.check_ins = check_ins or []
        self.check_in_due = check_in_due

    def known_until(self, until: int) -> int:
        """The end of the stretch up to `until` over which these deadlines tell everything."""
        if self.due_by is None or not self.upcoming:
            return until
        from promisekeeper.when.deadline import end_s

        return min(until, end_s(self.upcoming[-1][0]))


# The series, as read_series.SeriesRow takes them (standard library here: no import of it).
SERIES_FIELDS = (
    "s.id, s.uuid, s.rule, s.zone, s.start_at, s.first_slot, s.until_at, s.after_done, s.created_at, s.ended_at, s.tell"
)
# The live series' open check-ins, found from the series through the one-open-check-in index:
# led by the promises instead, SQLite would walk every overdue promise to find the few that
# are check-ins (45 ms at 100,000 promises, on every change and every rebuild).
LIVE_CHECK_INS = (
    "FROM series AS s CROSS JOIN promise AS p"
    " WHERE p.series_id = s.id AND p.state = 'open' AND s.ended_at IS NULL"
)


def series_statements(narrowing: str) -> tuple[str, str]:
    """The live series' check-ins past their deadline, and the first deadline still ahead."""
    overdue = (f"SELECT p.id, p.series_slot, p.due_at, p.original_due_at, p.who, {SERIES_FIELDS}"
               f" {LIVE_CHECK_INS}{narrowing} AND p.due_at < :now ORDER BY p.id")
    ahead = f"SELECT min(p.due_at) {LIVE_CHECK_INS}{narrowing} AND p.due_at >= :now"
    return overdue, ahead


class Statements:
    """The reads, narrowed to the promises of the owners `mine` (None: everyone's)."""

    __slots__ = ("beyond", "due_by", "narrowing", "overdue", "upcoming")

    def __init__(self, mine: tuple[str | None, ...] | None) -> None:
        from promisekeeper import windows  # datetime: not for a prompt whose schedule is fresh

        narrowing = ""
        if mine is not None:
            marks = ", ".join(f":owner{index}" for index in range(len(mine)))
            narrowing = f" AND p.owner IN ({marks})" if mine else " AND 1 = 0"
        self.narrowing = narrowing
        self.overdue = f"SELECT count(*) {_OPEN}{narrowing} AND {windows.OVERDUE_SQL}"
        ahead = f"SELECT p.due_at, p.id, p.who {_OPEN}{narrowing} AND {windows.AHEAD_SQL}"
        self.upcoming = f"{ahead} AND p.due_at < :end ORDER BY p.due_at, p.id"
        self.beyond = f"{ahead} AND p.due_at >= :end ORDER BY p.due_at, p.id LIMIT 1"
        # Those ahead of now due by a day's end: an index range, counted without reading rows.
        self.due_by = f"SELECT count(*) {_OPEN}{narrowing} AND {windows.TODAY_SQL}"


def read(run: Any, *, now: int, end: int, owner: str | None, limit: int | None = None,
         day_ends: Sequence[int] = ()) -> Deadlines:
    """The deadlines, through `run(sql, params) -> rows` on one consistent snapshot.

    With `limit`, at most that many upcoming ones are read (see `Deadlines.due_by`), and the
    counts asked for are of `day_ends`: the local midnights ending the days from `now` on.
    """
    mine = ownership.view([row[0] for row in run(OWNERS_SQL, {})], owner)
    sql = Statements(mine)
    from promisekeeper.when.deadline import end_s, overdue_before

    params: dict[str, Any] = {"now": now, "overdue_before": overdue_before(now), "end": end}
    params.update((f"owner{index}", name) for index, name in enumerate(mine or ()))
    overdue = int(run(sql.overdue, params)[0][0] or 0)
    series_overdue_sql, series_ahead_sql = series_statements(sql.narrowing)
    check_ins = [tuple(row) for row in run(series_overdue_sql, params)]
    ahead = run(series_ahead_sql, params)[0][0]
    check_in_due = None if ahead is None else int(ahead)
    if check_ins:
        # A series closing a missed check-in moves the day's counts, which the schedule then
        # works out from the deadlines themselves: all of them (rare: a check-in overdue).
        limit = None
    if limit is None:
        upcoming = [_deadline(row) for row in run(sql.upcoming, params)]
    else:  # one more than asked for tells whether there are more
        upcoming = [_deadline(row) for row in run(f"{sql.upcoming} LIMIT {int(limit) + 1}", params)]
        if len(upcoming) > limit >= 1:
            del upcoming[limit:]
            cut = end_s(upcoming[-1][0])
            due_by = {}
            for index, day_end in enumerate(day_ends):
                if index and day_ends[index - 1] >= cut:
                    break  # a day that begins after the schedule ends
                due_by[day_end] = int(run(sql.due_by, {**params, "day_end": day_end})[0][0] or 0)
            return Deadlines(overdue, upcoming, None, due_by, check_in_due=check_in_due)
    beyond = run(sql.beyond, params)
    return Deadlines(overdue, upcoming, _deadline(beyond[0]) if beyond else None, None, check_ins, check_in_due)


def _deadline(row: tuple[Any, ...]) -> Deadline:
    due, ident, who = row
    return int(due), int(ident), who


def read_reader(reader: Reader, **bounds: Any) -> Deadlines:
    """Through the read half (a database behind a URL, or inside a change); `bounds` as `read`'s."""
    return read(reader.all, **bounds)


# -- SQLite, read-only ---------------------------------------------------------------------------


def read_sqlite(path: str, **bounds: Any) -> Deadlines | None:
    """The deadlines in an SQLite file, read without writing, locking or creating anything.

    None when the file does not exist. With no -wal file no connection is open (any
    connection to a WAL database creates one), so the file is read as immutable: no
    locks, no -wal/-shm left behind. If a writer appeared meanwhile the read is redone
    as an ordinary read-only one, which sees its commits.
    """
    from promisekeeper.db.files import refused

    wal = path + "-wal"
    before = identity(path)
    if before is None:
        return None
    if refused(path) is not None:
        raise Unreadable("not a database of this user's")  # the prompt shows nothing; `pk list` says why
    if not os.path.exists(wal) and _in_wal_mode(path):
        found = _query(path, bounds, immutable=True)
        if not os.path.exists(wal) and identity(path) == before:
            return found
    return _query(path, bounds, immutable=False)


def identity(path: str) -> tuple[int, int, int, int] | None:
    """Which file is there, as it is now (None when there is none)."""
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns


def _in_wal_mode(path: str) -> bool:
    # Header bytes 18 and 19 are 2 in WAL mode; in rollback mode a writer changes the
    # file itself, so an immutable read could see half a commit.
    try:
        with open(path, "rb") as handle:
            header = handle.read(20)
    except OSError:
        return False
    return header[:16] == b"SQLite format 3\x00" and header[18:20] == b"\x02\x02"


def _uri(path: str, *, immutable: bool) -> str:
    escaped = path.replace("%", "%25").replace("?", "%3f").replace("#", "%23")
    return f"file:{escaped}?mode=ro" + ("&immutable=1" if immutable else "")


def _query(path: str, bounds: dict[str, Any], *, immutable: bool) -> Deadlines:
    import sqlite3

    try:
        connection = sqlite3.connect(_uri(path, immutable=immutable), uri=True, timeout=0.2)
    except sqlite3.Error as error:
        raise Unreadable(str(error)) from None
    try:
        connection.execute("BEGIN")  # one snapshot for every statement
        _require_current(connection.execute("PRAGMA user_version").fetchone()[0])
        return read(lambda sql, params: connection.execute(sql, params).fetchall(), **bounds)
    except sqlite3.Error as error:
        raise Unreadable(str(error)) from None
    finally:
        connection.close()


def _require_current(version: int | None) -> None:
    from promisekeeper.db.migrations import SCHEMA_VERSION

    if version != SCHEMA_VERSION:
        raise Unreadable(f"schema {version}, not this version's {SCHEMA_VERSION}")


# -- PostgreSQL ----------------------------------------------------------------------------------


def read_postgres(target: Target, **bounds: Any) -> Deadlines:
    """The deadlines in a PostgreSQL database, in one read-only snapshot; never upgrades it.

    A server that does not answer within CONNECT_TIMEOUT_S, or statements that take longer
    than STATEMENT_BUDGET_S (a lock held by another session), are Unreadable: a prompt waits
    no longer than that.
    """
    from promisekeeper.db import migrations
    from promisekeeper.db.reader import Reader, connect_postgres
    from promisekeeper.errors import PKError

    try:
        connection = connect_postgres(target, timeout=CONNECT_TIMEOUT_S, statement_s=STATEMENT_BUDGET_S,
                                      repeatable_read=True)
        try:
            with connection.cursor() as cursor:
                _require_current(migrations.recorded_version(cursor, target.engine))
            reader = Reader(connection, target.engine, target)
            return read_reader(reader, **bounds)
        finally:
            connection.close()
    except PKError as error:
        if "timeout" in str(error) or "locked" in str(error):
            raise Busy(str(error)) from None
        raise Unreadable(str(error)) from None
