"""Push deliveries and calendar sync marks: every statement that reads or writes them.

Reads take a `Reader` (plain DB-API); writes take the change's transaction and go through
its session, so a delivery is queued in the same transaction as its `reminded` event.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from promisekeeper.db.reader import Reader
from promisekeeper.when.clock import epoch, from_epoch

WAITING, SENDING, SENT, FAILED, DROPPED = "waiting", "sending", "sent", "failed", "dropped"


class Waiting(NamedTuple):
    """A delivery still to make: to which URL (key), of which reminder (its stage and the
    deadline it was about), for which promise."""

    id: int
    url_key: str
    state: str
    event_id: int
    promise_id: int
    stage: str
    due_at: datetime | None
    reminded_at: datetime


def _marks(values: Sequence[Any], prefix: str, params: dict[str, Any]) -> str:
    names = [f"{prefix}{index}" for index in range(len(values))]
    params.update(zip(names, values))
    return ", ".join(f":{name}" for name in names) or "NULL"


def waiting(reader: Reader, keys: Sequence[str], *, team: bool, stale_before: datetime) -> list[Waiting]:
    """Deliveries to these URLs not made yet: waiting, failed, or claimed by a run that
    never finished (before `stale_before`); oldest first."""
    params: dict[str, Any] = {"team": int(team), "stale": epoch(stale_before)}
    rows = reader.all(
        "SELECT d.id, d.url_key, d.state, e.id, e.promise_id, e.stage, e.due_at, e.at"
        " FROM push_delivery AS d JOIN event AS e ON e.id = d.event_id"
        f" WHERE d.url_key IN ({_marks(keys, 'k', params)}) AND e.team = :team"
        f" AND (d.state IN ('{WAITING}', '{FAILED}') OR (d.state = '{SENDING}' AND d.changed_at < :stale))"
        " ORDER BY d.id",
        params,
    )
    return [
        Waiting(ident, key, state, event, promise, stage, from_epoch(due) if due is not None else None, from_epoch(at))
        for ident, key, state, event, promise, stage, due, at in rows
    ]


def failing(reader: Reader, keys: Sequence[str]) -> set[str]:
    """The URLs (keys) whose last delivery failed and has not been made since."""
    params: dict[str, Any] = {}
    rows = reader.all(
        f"SELECT DISTINCT url_key FROM push_delivery WHERE state = '{FAILED}'"
        f" AND url_key IN ({_marks(keys, 'k', params)})",
        params,
    )
    return {row[0] for row in rows}


def queue(tx: Any, *, event_id: int, keys: Iterable[str], now: datetime) -> None:
    """One waiting delivery of a reminder per URL."""
    from promisekeeper.db.models import PushDelivery

    for key in keys:
        tx.session.add(PushDelivery(event_id=event_id, url_key=key, state=WAITING, changed_at=now))


def claim(tx: Any, found: Sequence[Waiting], *, stale_before: datetime, now: datetime) -> list[Waiting]:
    """Of these deliveries, the ones no other run has taken meanwhile, marked as being sent
    (under the write lock, so two runs never send the same one)."""
    if not found:
        return []
    params: dict[str, Any] = {"stale": epoch(stale_before)}
    free = {
        row[0] for row in tx.reader.all(
            f"SELECT id FROM push_delivery WHERE id IN ({_marks([row.id for row in found], 'd', params)})"
            f" AND (state IN ('{WAITING}', '{FAILED}') OR (state = '{SENDING}' AND changed_at < :stale))",
            params,
        )
    }
    taken = [row for row in found if row.id in free]
    settle(tx, [(row.id, SENDING, None) for row in taken], now=now, attempt=False)
    return taken


def settle(tx: Any, outcomes: Iterable[tuple[int, str, str | None]], *, now: datetime, attempt: bool = True) -> None:
    """Record each delivery's new state (sent, failed with its reason, dropped)."""
    from sqlalchemy import update

    from promisekeeper.db.models import PushDelivery

    table: Any = PushDelivery
    for ident, state, reason in outcomes:
        tx.session.execute(
            update(table).where(table.id == ident).values(
                state=state, reason=reason, changed_at=now, tries=table.tries + int(attempt),
            )
        )


# -- calendar sync marks --------------------------------------------------------------------


def marks(reader: Reader, target: str) -> dict[str, str]:
    """What a calendar last received: the digest of each promise's VTODO, by uuid."""
    rows = reader.all("SELECT promise_uuid, digest FROM sync_mark WHERE target = :target", {"target": target})
    return {uuid: digest for uuid, digest in rows}


def mark(tx: Any, *, target: str, received: dict[str, str], now: datetime) -> None:
    """Remember what a calendar received (a new digest per promise uuid)."""
    from promisekeeper.db.models import SyncMark

    for uuid, digest in received.items():
        tx.session.merge(SyncMark(target=target, promise_uuid=uuid, digest=digest, synced_at=now))
