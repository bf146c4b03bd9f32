"""Reading the outbox: notices to customers, waiting, sent or failed.

Plain DB-API, like the rest of the read half: the agenda's "2 notices waiting" costs one
indexed count.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from promisekeeper.db.reader import Reader
from promisekeeper.kinds import NoticeKind, NoticeState
from promisekeeper.when.clock import from_epoch

NOTICE_COLUMNS = (
    "id, uuid, promise_id, event_id, owner, kind, language, subject, body, refs, state, created_at, "
    "claimed_at, sent_at, attempts, recipient, answer"
)
_SELECT = f"SELECT {NOTICE_COLUMNS} FROM notice"
# Not yet delivered: new or back from an absent server, claimed, or refused (a retry may help).
PENDING = (NoticeState.WAITING, NoticeState.SENDING, NoticeState.FAILED)
_PENDING_SQL = "state IN (" + ", ".join(f"'{state}'" for state in PENDING) + ")"


class NoticeRow(NamedTuple):
    id: int
    uuid: str
    promise_id: int
    event_id: int | None
    owner: str | None
    kind: NoticeKind
    language: str
    subject: str
    body: str
    refs: tuple[str, ...]  # the uuids of the promise's earlier notices: its thread
    state: NoticeState
    created_at: datetime
    claimed_at: datetime | None
    sent_at: datetime | None
    attempts: int
    recipient: str | None
    answer: str | None

    @classmethod
    def of(cls, row: tuple[Any, ...]) -> NoticeRow:
        (ident, uuid, promise_id, event_id, owner, kind, language, subject, body, refs, state, created,
         claimed, sent, attempts, recipient, answer) = row
        return cls(
            ident, uuid, promise_id, event_id, owner, NoticeKind(kind), language, subject, body,
            tuple(refs.split()), NoticeState(state), from_epoch(created),
            None if claimed is None else from_epoch(claimed), None if sent is None else from_epoch(sent),
            attempts, recipient, answer,
        )


def _owned(owner: str | None) -> tuple[str, dict[str, Any]]:
    """Notices queued by this owner's changes (a notice with no owner is anyone's)."""
    if owner is None:
        return "owner IS NULL", {}
    return "(owner = :owner OR owner IS NULL)", {"owner": owner}


def waiting_count(reader: Reader, *, owner: str | None) -> int:
    """How many of this owner's notices have not left yet."""
    mine, params = _owned(owner)
    return int(reader.value(f"SELECT count(*) FROM notice WHERE {_PENDING_SQL} AND {mine}", params) or 0)


def pending(reader: Reader, *, owner: str | None) -> list[NoticeRow]:
    """This owner's notices not yet delivered, oldest first."""
    mine, params = _owned(owner)
    rows = reader.all(f"{_SELECT} WHERE {_PENDING_SQL} AND {mine} ORDER BY id", params)
    return [NoticeRow.of(row) for row in rows]


def of_promise(reader: Reader, promise_id: int) -> list[NoticeRow]:
    """Every notice about one promise, oldest first."""
    rows = reader.all(f"{_SELECT} WHERE promise_id = :promise ORDER BY id", {"promise": promise_id})
    return [NoticeRow.of(row) for row in rows]


def by_ids(reader: Reader, ids: list[int]) -> list[NoticeRow]:
    if not ids:
        return []
    marks = ", ".join(str(int(each)) for each in ids)
    return [NoticeRow.of(row) for row in reader.all(f"{_SELECT} WHERE id IN ({marks}) ORDER BY id")]


def for_event(reader: Reader, event_id: int) -> list[NoticeRow]:
    """The notices a change queued."""
    rows = reader.all(f"{_SELECT} WHERE event_id = :event ORDER BY id", {"event": event_id})
    return [NoticeRow.of(row) for row in rows]


def find(reader: Reader, ident: int) -> NoticeRow | None:
    row = reader.one(f"{_SELECT} WHERE id = :id", {"id": ident})
    return NoticeRow.of(row) if row else None
