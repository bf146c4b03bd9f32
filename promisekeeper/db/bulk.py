"""Storing many promises at once (`pk import`): rows made ready first, then one bulk insert.

Everything that can be worked out before the write lock is: `prepare()` turns a promise and
its journal into plain row tuples (moments as epoch seconds, keys folded, payload JSON
encoded). Under the lock, ids are reserved and the rows go in with one `executemany` per
table, so the lock is held for seconds even at 100,000 promises.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from promisekeeper.db.keys import promise_keys
from promisekeeper.db.models import IMPORTED
from promisekeeper.db.target import SQLITE
from promisekeeper.when.clock import epoch

if TYPE_CHECKING:
    from promisekeeper.db.writing import Transaction
    from promisekeeper.events import Payload


class NewEvent(NamedTuple):
    """A journal entry to store; `undoes` is the position of the entry it compensates."""

    at: datetime
    payload: Payload
    data: dict[str, Any]
    undoes: int | None = None


class Prepared(NamedTuple):
    """A promise ready to store: its row and its events' rows, without ids yet; a check-in
    names its series (by uuid) and its slot in it."""

    uuid: str
    row: tuple[Any, ...]
    tags: tuple[str, ...]
    events: tuple[tuple[tuple[Any, ...], int | None], ...]
    series: tuple[str, int] | None = None


def prepare(
    *, uuid: str, what: str, who: str | None, contact: str | None, via: str | None, ref: str | None,
    tags: Sequence[str], owner: str | None, created_at: datetime, due_at: datetime,
    original_due_at: datetime, due_tz: str | None, state: str, closed_at: datetime | None,
    journal: Sequence[NewEvent], series: tuple[str, int] | None = None,
    contact2: str | None = None, language: str | None = None,
) -> Prepared:
    keys = promise_keys(what=what, who=who, contact=contact, via=via, ref=ref, tags=tags)
    row = (
        uuid, what, who, contact, via, ref, " ".join(tags), owner, epoch(created_at), epoch(due_at),
        epoch(original_due_at), due_tz, state, epoch(closed_at) if closed_at else None,
        keys.who, keys.ref, keys.search, contact2, language,
    )
    return Prepared(uuid, row, tuple(dict.fromkeys(tags)), tuple(_event_row(entry) for entry in journal), series)


def _event_row(entry: NewEvent) -> tuple[tuple[Any, ...], int | None]:
    columns = entry.payload.columns()
    data = json.dumps(entry.data | {IMPORTED: True}, ensure_ascii=False)
    due = epoch(columns.due_at) if columns.due_at else None
    row = (epoch(entry.at), str(entry.payload.kind), data, 1, columns.stage, due, columns.text_key,
           columns.owner, int(columns.team))
    return row, entry.undoes


IMPORT_CACHE_KIB = 65536  # 64 MiB of page cache for this connection only; it closes with the transaction

_PROMISE_INSERT = (
    "INSERT INTO promise (id, uuid, what, who, contact, via, ref, tags, owner, created_at, due_at,"
    " original_due_at, due_tz, state, closed_at, who_key, ref_key, search_key, contact2, language,"
    " series_id, series_slot) VALUES ({})".format(", ".join(["?"] * 22))
)
_TAG_INSERT = "INSERT INTO promise_tag (tag, promise_id) VALUES (?, ?)"
_EVENT_INSERT = (
    "INSERT INTO event (id, promise_id, undoes, at, kind, data, imported, stage, due_at, text_key, owner, team)"
    " VALUES ({})".format(", ".join(["?"] * 12))
)


def existing_uuids(tx: Transaction) -> set[str]:
    return {row[0] for row in tx.reader.all("SELECT uuid FROM promise")}


def insert(tx: Transaction, records: Sequence[Prepared], series_ids: dict[str, int] | None = None) -> None:
    """Store the promises and their journals, marked imported, in the caller's transaction;
    a check-in joins its series by the id `series_ids` gives its uuid.

    The rows are made as the driver takes them, so no second copy of them is ever held.
    """
    joined = series_ids or {}
    reader = tx.reader
    promise_ids = _reserve(reader, "promise", len(records))
    event_ids = _reserve(reader, "event", sum(len(record.events) for record in records))
    numbered = list(zip(promise_ids, records, strict=True))

    def promises() -> Iterator[tuple[Any, ...]]:
        for ident, record in numbered:
            series = (joined[record.series[0]], record.series[1]) if record.series else (None, None)
            yield (ident, *record.row, *series)

    def tags() -> Iterator[tuple[str, int]]:
        for ident, record in numbered:
            for tag in record.tags:
                yield tag, ident

    def entries() -> Iterator[tuple[Any, ...]]:
        next_id = iter(event_ids)
        for ident, record in numbered:
            given = [next(next_id) for _ in record.events]
            for own, (row, undoes) in zip(given, record.events, strict=True):
                yield (own, ident, given[undoes] if undoes is not None else None, *row)

    cursor = reader.connection.cursor()
    try:
        if reader.engine == SQLITE:
            # Room for the indexes being filled (random uuids above all), so pages are not
            # written out and read back mid-insert: about a third less time under the lock.
            cursor.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
        for statement, rows in ((_PROMISE_INSERT, promises), (_TAG_INSERT, tags), (_EVENT_INSERT, entries)):
            cursor.executemany(_placeholders(statement, reader.engine), rows())
    finally:
        cursor.close()


def _reserve(reader: Any, table: str, count: int) -> list[int]:
    """`count` fresh ids for a table, never used before (we hold the write lock)."""
    if not count:
        return []
    if reader.engine == SQLITE:
        used = reader.value(
            f"SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = '{table}'), 0),"
            f" coalesce((SELECT max(id) FROM {table}), 0))"
        )
        return list(range(int(used) + 1, int(used) + 1 + count))
    rows = reader.all(
        f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, :count)",
        {"count": count},
    )
    return sorted(int(row[0]) for row in rows)


def _placeholders(statement: str, engine: str) -> str:
    return statement if engine == SQLITE else statement.replace("?", "%s")
