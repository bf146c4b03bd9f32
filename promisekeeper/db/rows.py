"""The small typed rows the read half hands out. Standard library only.

Named tuples: cheap to define (no code generation at import) and to make by the hundred
thousand, and read-only.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from promisekeeper.kinds import Kind, State
from promisekeeper.when.clock import from_epoch

if TYPE_CHECKING:
    from promisekeeper.events import Payload

PROMISE_COLUMNS = (
    "id, uuid, what, who, contact, via, ref, tags, owner, created_at, due_at, "
    "original_due_at, due_tz, state, closed_at, contact2, language"
)
PROMISE_FIELDS = tuple(name.strip() for name in PROMISE_COLUMNS.split(","))
EVENT_COLUMNS = "id, promise_id, at, kind, data, undoes, imported, author"
# A promise's JSON object (`pk list --json`, `pk export`), in this order; the keys after it
# only when the promise has a value.
JSON_KEYS = ("id", "uuid", "what", "who", "contact", "via", "ref", "tags", "owner", "state", "overdue",
             "due_at", "due_local", "due_tz", "original_due_at", "created_at", "closed_at", "attempts")
JSON_WHEN_GIVEN = ("contact2", "language")
_STATES = {str(state): state for state in State}
_KINDS = {str(kind): kind for kind in Kind}


def moment(value: int | None) -> datetime | None:
    """A stored moment (epoch seconds) as an aware UTC datetime (within 1970–2200)."""
    return None if value is None else from_epoch(value)


class PromiseRow(NamedTuple):
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
    contact2: str | None = None  # a second contact: a phone and an email
    language: str | None = None  # the customer's language, for notices

    @classmethod
    def of(cls, row: tuple[Any, ...]) -> PromiseRow:
        """From a row selected as PROMISE_COLUMNS."""
        (ident, uuid, what, who, contact, via, ref, tags, owner, created, due, original, due_tz,
         state, closed, contact2, language) = row
        return cls(
            ident, uuid, what, who, contact, via, ref, tuple(tags.split()), owner,
            from_epoch(created), from_epoch(due), from_epoch(original), due_tz, _STATES[state],
            moment(closed), contact2, language,
        )

    @property
    def contacts(self) -> tuple[str, ...]:
        """The contacts it carries, the first given first."""
        return tuple(value for value in (self.contact, self.contact2) if value)

    @property
    def is_open(self) -> bool:
        return self.state == State.OPEN


class EventRow(NamedTuple):
    id: int
    promise_id: int
    at: datetime
    kind: Kind
    data: dict[str, Any]
    undoes: int | None
    imported: bool
    author: str | None = None  # who recorded it (None: before pk kept authors, or an import)

    @classmethod
    def of(cls, row: tuple[Any, ...]) -> EventRow:
        """From a row selected as EVENT_COLUMNS."""
        ident, promise_id, at, kind, data, undoes, imported, author = row
        return cls(ident, promise_id, from_epoch(at), _KINDS[kind], json.loads(data),
                   undoes, bool(imported), author)

    @property
    def payload(self) -> Payload:
        """What the event records, typed; ValueError when its data cannot be read."""
        from promisekeeper import events

        return events.decode(self.kind, self.data)


class Attempts(NamedTuple):
    """Callback attempts on one promise: how many, and the last one's moment."""

    count: int  # type: ignore[assignment]  # a field may shadow tuple.count; nothing here counts
    last: datetime | None
