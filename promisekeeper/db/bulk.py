"""Storing many promises at once (`pk import`): rows made ready first, then one bulk insert.

Everything that can be worked out before the write lock is: `prepare` turns the records
into a `Batch` of finished rows that lack only their ids (the folded keys, the JSON, the
epoch seconds). Under the lock, `insert` leaves out the promises already here, reserves
ids and runs one `executemany` per table, so the lock is held only for the insert itself
(about a second for 100,000 promises; see benchmarks/import_lock.py).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from promisekeeper.clock import epoch
from promisekeeper.db.keys import promise_keys
from promisekeeper.db.models import IMPORTED
from promisekeeper.db.target import SQLITE

if TYPE_CHECKING:
    from datetime import datetime

    from promisekeeper import events
    from promisekeeper.db.writing import Transaction


@dataclass
class EventRecord:
    """A journal entry to store; `undoes` is an index into its promise's events."""

    at: datetime
    payload: events.Payload
    data: dict[str, Any]
    undoes: int | None = None


@dataclass
class PromiseRecord:
    uuid: str
    what: str
    who: str | None
    contact: str | None
    via: str | None
    ref: str | None
    tags: list[str]
    owner: str | None
    created_at: datetime
    due_at: datetime
    original_due_at: datetime
    due_tz: str | None
    state: str
    closed_at: datetime | None
    events: list[EventRecord] = field(default_factory=list)


@dataclass
class Batch:
    """Promises ready to insert: their rows, each without the ids given under the lock.

    `tags` and `events` point at their promise by its index in `uuids`; an event's
    `undoes` is the index of the event it compensates within `events`.
    """

    uuids: list[str] = field(default_factory=list)
    promises: list[tuple[Any, ...]] = field(default_factory=list)
    tags: list[tuple[int, str]] = field(default_factory=list)
    events: list[tuple[int, int | None, tuple[Any, ...]]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.uuids)


IMPORT_CACHE_KIB = 65536  # for this connection only; it closes with the transaction
_PROMISE_INSERT = (
    "INSERT INTO promise (id, uuid, what, who, contact, via, ref, tags, owner, created_at, due_at,"
    " original_due_at, due_tz, state, closed_at, who_key, ref_key, search_key)"
    " VALUES ({})".format(", ".join(["?"] * 18))
)
_TAG_INSERT = "INSERT INTO promise_tag (tag, promise_id) VALUES (?, ?)"
_EVENT_INSERT = (
    "INSERT INTO event (id, promise_id, undoes, at, kind, data, imported, stage, due_at, text_key)"
    " VALUES ({})".format(", ".join(["?"] * 10))
)


def prepare(records: Sequence[PromiseRecord]) -> Batch:
    """The rows for these promises and their journals, marked imported (no lock needed)."""
    batch = Batch()
    for index, record in enumerate(records):
        batch.uuids.append(record.uuid)
        batch.promises.append(_promise_row(record))
        batch.tags += [(index, tag) for tag in dict.fromkeys(record.tags)]
        first = len(batch.events)
        batch.events += [
            (index, None if entry.undoes is None else first + entry.undoes, _event_row(entry))
            for entry in record.events
        ]
    return batch


def existing_uuids(tx: Transaction) -> set[str]:
    return {row[0] for row in tx.reader.all("SELECT uuid FROM promise")}


def insert(tx: Transaction, batch: Batch) -> tuple[int, int]:
    """Store the batch's promises whose uuid is new here, in the caller's transaction;
    returns (stored, already here)."""
    reader = tx.reader
    present = existing_uuids(tx)
    fresh = [index for index, uuid in enumerate(batch.uuids) if uuid not in present]
    promise_id: list[int | None] = [None] * len(batch)
    for index, ident in zip(fresh, _reserve(reader, "promise", len(fresh)), strict=True):
        promise_id[index] = ident
    kept = [number for number, entry in enumerate(batch.events) if promise_id[entry[0]] is not None]
    event_id: list[int | None] = [None] * len(batch.events)
    for number, ident in zip(kept, _reserve(reader, "event", len(kept)), strict=True):
        event_id[number] = ident
    rows = (
        (_PROMISE_INSERT, [(promise_id[index], *batch.promises[index]) for index in fresh]),
        (_TAG_INSERT, [(tag, promise_id[index]) for index, tag in batch.tags if promise_id[index] is not None]),
        (_EVENT_INSERT, [_numbered(event_id, promise_id, number, batch.events[number]) for number in kept]),
    )
    cursor = reader.connection.cursor()
    try:
        if reader.engine == SQLITE:
            # Room for the indexes being filled (random uuids above all), so pages are not
            # written out and read back mid-insert: about a third less time under the lock.
            cursor.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
        for statement, values in rows:
            if values:
                cursor.executemany(_placeholders(statement, reader.engine), values)
    finally:
        cursor.close()
    return len(fresh), len(batch) - len(fresh)


def _numbered(
    event_id: list[int | None], promise_id: list[int | None], number: int,
    entry: tuple[int, int | None, tuple[Any, ...]],
) -> tuple[Any, ...]:
    index, undoes, columns = entry
    return (event_id[number], promise_id[index], None if undoes is None else event_id[undoes], *columns)


def _promise_row(record: PromiseRecord) -> tuple[Any, ...]:
    keys = promise_keys(what=record.what, who=record.who, contact=record.contact, via=record.via,
                        ref=record.ref, tags=record.tags)
    return (
        record.uuid, record.what, record.who, record.contact, record.via, record.ref,
        " ".join(record.tags), record.owner, epoch(record.created_at), epoch(record.due_at),
        epoch(record.original_due_at), record.due_tz, record.state,
        epoch(record.closed_at) if record.closed_at else None, keys.who, keys.ref, keys.search,
    )


def _event_row(entry: EventRecord) -> tuple[Any, ...]:
    columns = entry.payload.columns()
    data = json.dumps(entry.data | {IMPORTED: True}, ensure_ascii=False)
    due = epoch(columns.due_at) if columns.due_at else None
    return (epoch(entry.at), str(entry.payload.kind), data, 1, columns.stage, due, columns.text_key)


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
