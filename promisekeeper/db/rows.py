"""The small typed rows the read half hands out. Standard library only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from promisekeeper import events
from promisekeeper.clock import from_epoch
from promisekeeper.kinds import Kind, State

PROMISE_COLUMNS = (
    "id, uuid, what, who, contact, via, ref, tags, owner, created_at, due_at, "
    "original_due_at, due_tz, state, closed_at"
)


def moment(value: int | None) -> datetime | None:
    """A stored moment (epoch seconds) as an aware UTC datetime (within 1970–2200)."""
    return None if value is None else from_epoch(value)


@dataclass(frozen=True, slots=True)
class PromiseRow:
    id: int
    uuid: str
    what: str
    who: str | None
    contact: str | None
    via: str | None
    ref: str | None
    tags: tuple[str, ...]
    owner: str | None
    created_at: datetime
    due_at: datetime
    original_due_at: datetime
    due_tz: str | None
    state: State
    closed_at: datetime | None

    @classmethod
    def of(cls, row: tuple[Any, ...]) -> PromiseRow:
        """From a row selected as PROMISE_COLUMNS."""
        (ident, uuid, what, who, contact, via, ref, tags, owner, created, due, original, due_tz,
         state, closed) = row
        return cls(
            ident, uuid, what, who, contact, via, ref, tuple(tags.split()), owner,
            from_epoch(created), from_epoch(due), from_epoch(original), due_tz, State(state),
            moment(closed),
        )

    @property
    def is_open(self) -> bool:
        return self.state == State.OPEN


EVENT_COLUMNS = "id, promise_id, at, kind, data, undoes, imported"


@dataclass(frozen=True, slots=True)
class EventRow:
    id: int
    promise_id: int
    at: datetime
    kind: Kind
    data: dict[str, Any]
    undoes: int | None
    imported: bool

    @classmethod
    def of(cls, row: tuple[Any, ...]) -> EventRow:
        """From a row selected as EVENT_COLUMNS."""
        import json

        ident, promise_id, at, kind, data, undoes, imported = row
        return cls(ident, promise_id, from_epoch(at), Kind(kind), json.loads(data),
                   undoes, bool(imported))

    @property
    def payload(self) -> events.Payload:
        """What the event records, typed; ValueError when its data cannot be read."""
        return events.decode(self.kind, self.data)


@dataclass(frozen=True, slots=True)
class Attempts:
    """Callback attempts on one promise: how many, and the last one's moment."""

    count: int
    last: datetime | None
