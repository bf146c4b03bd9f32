"""Series of check-ins, read over plain DB-API: a check-in's series, the series themselves,
and a series' record (how many of its check-ins were kept on time)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from promisekeeper.db.read_schedule import SERIES_FIELDS as SERIES_COLUMNS
from promisekeeper.db.reader import Reader
from promisekeeper.db.rows import moment
from promisekeeper.when.clock import epoch, from_epoch

_CHUNK = 500


class SeriesRow(NamedTuple):
    id: int
    uuid: str
    rule: str
    zone: str
    start_at: datetime
    first_slot: int
    until_at: datetime | None
    after_done: bool
    created_at: datetime
    ended_at: datetime | None
    tell: bool | None = None  # --tell/--no-tell given with --every; None: as any promise

    @classmethod
    def of(cls, row: tuple[Any, ...]) -> SeriesRow:
        ident, uuid, rule, zone, start, first, until, after_done, created, ended, tell = row
        return cls(ident, uuid, rule, zone, from_epoch(start), int(first), moment(until), bool(after_done),
                   from_epoch(created), moment(ended), None if tell is None else bool(tell))


class Record(NamedTuple):
    """How a series' check-ins turned out so far: kept on time, kept late, broken (missed,
    or released after their time), and how many are decided."""

    on_time: int
    late: int
    broken: int

    @property
    def decided(self) -> int:
        return self.on_time + self.late + self.broken


def series_of(reader: Reader, promise_id: int) -> tuple[SeriesRow, int] | None:
    """The series a promise is a check-in of, with its slot; None for a single promise."""
    row = reader.one(
        f"SELECT {SERIES_COLUMNS}, p.series_slot FROM promise AS p JOIN series AS s ON s.id = p.series_id"
        " WHERE p.id = :id", {"id": promise_id})
    return None if row is None else (SeriesRow.of(row[:-1]), int(row[-1]))


class Telling(NamedTuple):
    """What a notice about a check-in says of its series, and whether it tells by itself."""

    rule: str
    until_at: datetime | None
    tell: bool | None


def telling_of(reader: Reader, promise_id: int) -> Telling | None:
    """The series a promise is a check-in of, as its notices need it; None for a single promise."""
    row = reader.one("SELECT s.rule, s.until_at, s.tell FROM promise AS p JOIN series AS s ON s.id = p.series_id"
                     " WHERE p.id = :id", {"id": promise_id})
    return None if row is None else Telling(row[0], moment(row[1]), None if row[2] is None else bool(row[2]))


def memberships(reader: Reader) -> dict[int, tuple[SeriesRow, int]]:
    """Every check-in's series and slot, by promise id (for the export)."""
    series = {row[0]: SeriesRow.of(row) for row in reader.all(f"SELECT {SERIES_COLUMNS} FROM series AS s")}
    if not series:
        return {}
    rows = reader.all("SELECT id, series_id, series_slot FROM promise WHERE series_id IS NOT NULL")
    return {ident: (series[series_id], int(slot)) for ident, series_id, slot in rows}


def open_check_in(reader: Reader, series_id: int) -> int | None:
    """The id of a series' open check-in, if it has one."""
    value = reader.value("SELECT id FROM promise WHERE series_id = :series AND state = 'open'", {"series": series_id})
    return None if value is None else int(value)


def check_ins(reader: Reader, promise_ids: Sequence[int]) -> set[int]:
    """Which of these promises are check-ins of a series."""
    found: set[int] = set()
    ids = list(promise_ids)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        names = {f"p{index}": value for index, value in enumerate(chunk)}
        marks = ", ".join(f":{name}" for name in names)
        found |= {row[0] for row in reader.all(
            f"SELECT id FROM promise WHERE series_id IS NOT NULL AND id IN ({marks})", names)}
    return found


def record(reader: Reader, series_id: int, *, now: datetime) -> Record:
    """The series' record: its check-ins kept on time, late, and broken (open past their
    deadline, missed, or released after it); released in time and withdrawn ones are not
    counted, as in `pk stats`."""
    row = reader.one(
        "SELECT"
        " SUM(CASE WHEN state = 'kept' AND closed_at <= due_at THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN state = 'kept' AND closed_at > due_at THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN (state = 'released' AND closed_at > due_at) OR (state = 'open' AND due_at < :now)"
        " THEN 1 ELSE 0 END)"
        " FROM promise WHERE series_id = :series", {"series": series_id, "now": epoch(now)})
    on_time, late, broken = (int(value or 0) for value in (row or (0, 0, 0)))
    return Record(on_time, late, broken)


class Listed(NamedTuple):
    """A series as `pk list --series` shows it: itself, its open check-in (if any), its
    first check-in's details and its record."""

    series: SeriesRow
    open_id: int | None
    open_due: datetime | None
    what: str
    who: str | None
    owner: str | None
    count: int  # type: ignore[assignment]  # a field may shadow tuple.count; nothing here counts


def listing(reader: Reader, *, live_only: bool, owners: Sequence[str | None] | None = None) -> list[Listed]:
    """The series, newest first: the live ones (not ended, with an open check-in), or all."""
    rows = reader.all(
        f"SELECT {SERIES_COLUMNS},"
        " (SELECT o.id FROM promise AS o WHERE o.series_id = s.id AND o.state = 'open'),"
        " (SELECT o.due_at FROM promise AS o WHERE o.series_id = s.id AND o.state = 'open'),"
        " l.what, l.who, l.owner,"
        " (SELECT count(*) FROM promise AS c WHERE c.series_id = s.id)"
        " FROM series AS s JOIN promise AS l ON l.id ="
        " (SELECT max(m.id) FROM promise AS m WHERE m.series_id = s.id)"
        " ORDER BY s.id DESC")
    found = []
    for row in rows:
        series = SeriesRow.of(row[:11])
        open_id, open_due, what, who, owner, count = row[11:]
        if live_only and open_id is None:
            continue
        if owners is not None and owner not in owners:
            continue
        found.append(Listed(series, open_id, moment(open_due), what, who, owner, int(count)))
    return found
