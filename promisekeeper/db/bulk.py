"""Storing many promises at once (`pk import`): rows made ready first, then one bulk insert.

Everything that can be worked out before the write lock is (`PromiseRecord`, `EventRecord`
hold plain values); under the lock, ids are reserved and the rows go in with one
`executemany` per table, so the lock is held for seconds even at 100,000 promises.
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


_PROMISE_INSERT = (
    "INSERT INTO promise (id, uuid, what, who, contact, via, ref, tags, owner, created_at, due_at,"
    " original_due_at, due_tz, state, closed_at, who_key, ref_key, search_key)"
    " VALUES ({})".format(", ".join(["?"] * 18))
)
_TAG_INSERT = "INSERT INTO promise_tag (tag, promise_id) VALUES (?, ?)"
_EVENT_INSERT = (
    "INSERT INTO event (id, promise_id, at, kind, data, undoes, imported, stage, due_at, text_key)"
    " VALUES ({})".format(", ".join(["?"] * 10))
)


def existing_uuids(tx: Transaction) -> set[str]:
    return {row[0] for row in tx.reader.all("SELECT uuid FROM promise")}


def insert(tx: Transaction, records: Sequence[PromiseRecord]) -> None:
    """Store the promises and their journals, marked imported, in the caller's transaction."""
    reader = tx.reader
    promise_ids = _reserve(reader, "promise", len(records))
    event_ids = iter(_reserve(reader, "event", sum(len(record.events) for record in records)))
    promises, tags, entries = [], [], []
    for ident, record in zip(promise_ids, records, strict=True):
        promises.append(_promise_row(ident, record))
        tags += [(tag, ident) for tag in dict.fromkeys(record.tags)]
        numbered: list[int] = []
        for entry in record.events:
            numbered.append(next(event_ids))
            undoes = numbered[entry.undoes] if entry.undoes is not None else None
            entries.append(_event_row(numbered[-1], ident, entry, undoes))
    cursor = _cursor(reader)
    for statement, rows in ((_PROMISE_INSERT, promises), (_TAG_INSERT, tags), (_EVENT_INSERT, entries)):
        if rows:
            cursor.executemany(_placeholders(statement, reader.engine), rows)
    cursor.close()


def _promise_row(ident: int, record: PromiseRecord) -> tuple[Any, ...]:
    keys = promise_keys(what=record.what, who=record.who, contact=record.contact, via=record.via,
                        ref=record.ref, tags=record.tags)
    return (
        ident, record.uuid, record.what, record.who, record.contact, record.via, record.ref,
        " ".join(record.tags), record.owner, epoch(record.created_at), epoch(record.due_at),
        epoch(record.original_due_at), record.due_tz, record.state,
        epoch(record.closed_at) if record.closed_at else None, keys.who, keys.ref, keys.search,
    )


def _event_row(ident: int, promise_id: int, entry: EventRecord, undoes: int | None) -> tuple[Any, ...]:
    columns = entry.payload.columns()
    data = json.dumps(entry.data | {IMPORTED: True}, ensure_ascii=False)
    due = epoch(columns.due_at) if columns.due_at else None
    return (ident, promise_id, epoch(entry.at), str(entry.payload.kind), data, undoes, 1,
            columns.stage, due, columns.text_key)


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


def _cursor(reader: Any) -> Any:
    return reader.connection.cursor()


def _placeholders(statement: str, engine: str) -> str:
    return statement if engine == SQLITE else statement.replace("?", "%s")
