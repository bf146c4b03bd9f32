"""The ledger: the only writer. It decides whether a change is allowed and records it.

Every public function makes one change and appends its event in the caller's
transaction (`change()` opens it), so the promise and its history can never disagree.
Nothing is deleted: undo appends a compensating event.
"""

from __future__ import annotations

import getpass
import os
import re
import uuid as uuidlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import or_
from sqlmodel import Session, col, select

from promisekeeper import queries, timefmt
from promisekeeper.errors import BadInput, PKError
from promisekeeper.models import EDITABLE, Event, Promise
from promisekeeper.store import Database

if TYPE_CHECKING:
    from promisekeeper.exchange import Incoming, IncomingEvent

_TAG = re.compile(r"^[^\s,\"\\]+$")
IMPORTED = "imported"  # marks journal entries brought in by `pk import`
UNDOABLE = ("created", "rescheduled", "kept", "released", "reopened", "edited", "noted", "attempted")


@contextmanager
def change(db: Database, *, now: datetime | None = None) -> Iterator[Session]:
    """One write transaction; after it commits, the prompt schedule is brought up to date.

    `now` is the command's moment, from which the schedule is built (default: the clock).
    """
    with db.session(write=True) as session:
        yield session
    after_change(db, now=now)


def after_change(db: Database, *, now: datetime | None = None) -> None:
    """Refresh what reads the ledger without opening it: the prompt schedule, tmux."""
    from promisekeeper import clock, schedule

    schedule.refresh_after_change(db, now=now or clock.now())


@dataclass(frozen=True)
class Draft:
    """The details of a new promise, before it is logged."""

    what: str
    who: str | None = None
    contact: str | None = None
    via: str | None = None
    ref: str | None = None
    tags: tuple[str, ...] = ()
    owner: str | None = None


def normalize_tags(values: list[str] | tuple[str, ...]) -> list[str]:
    """Tags as lowercase words: "+vpn,#Billing" -> ["vpn", "billing"]; order kept, no repeats."""
    tags: list[str] = []
    for value in values:
        for piece in value.split(","):
            tag = piece.strip().lstrip("+#").lower()
            if not tag:
                continue
            if not _TAG.match(tag):
                raise BadInput(f"tag {piece.strip()!r} has spaces or quotes; use one word, e.g. --tag vpn")
            if tag not in tags:
                tags.append(tag)
    return tags


def _text(value: str | None) -> str | None:
    """Optional free text: surrounding blanks dropped, empty means not given."""
    if value is None:
        return None
    value = value.strip()
    return value or None


def default_owner() -> str | None:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return os.environ.get("USER") or None


def add(session: Session, *, now: datetime, draft: Draft, due: datetime, due_tz: str | None) -> Promise:
    """Log a new promise due at `due` (which must be ahead)."""
    what = _text(draft.what)
    if not what:
        raise BadInput('say what was promised, e.g. pk add "Send the VPN config" --due "in 2h"')
    _require_ahead(due, now, "a new deadline")
    promise = Promise(
        uuid=str(uuidlib.uuid4()),
        what=what,
        who=_text(draft.who),
        contact=_text(draft.contact),
        via=_text(draft.via),
        ref=_text(draft.ref),
        tags=normalize_tags(list(draft.tags)),
        owner=_text(draft.owner) or default_owner(),
        created_at=now,
        due_at=due,
        original_due_at=due,
        due_tz=due_tz,
        state="open",
    )
    session.add(promise)
    session.flush()
    snapshot = {name: getattr(promise, name) for name in EDITABLE}
    _record(session, promise, now, "created", snapshot | {"due_at": _iso(due), "due_tz": due_tz})
    return promise


def done(session: Session, *, now: datetime, ident: str, note: str | None = None) -> Promise:
    """Mark a promise kept; whether on time or late is the clock's verdict, not the user's."""
    promise = _open(session, ident, "mark it done", now)
    promise.state, promise.closed_at = "kept", now
    data = _kept_data(promise.due_at, now)
    if _text(note):
        data["note"] = _text(note)
    _record(session, promise, now, "kept", data)
    return promise


def _kept_data(due: datetime, closed: datetime) -> dict[str, Any]:
    """A `kept` event's verdict: late or not, and by how much."""
    data: dict[str, Any] = {"due_at": _iso(due), "late": closed > due}
    if closed > due:
        data["late_by_s"] = int((closed - due).total_seconds())
    return data


@dataclass(frozen=True)
class Rescheduled:
    promise: Promise
    previous: datetime
    after_deadline: bool


def reschedule(
    session: Session, *, now: datetime, ident: str, due: datetime, due_tz: str | None, reason: str | None
) -> Rescheduled:
    """Move a deadline, with a reason. Moving one that has already passed is recorded as such."""
    reason = _require_reason(reason, "reschedule", f'pk reschedule {ident} "fri 10am" --reason "waiting on vendor"')
    promise = _open(session, ident, "reschedule it", now)
    _require_ahead(due, now, "the new deadline")
    if due == promise.due_at:
        raise BadInput(f"#{promise.id} is already due then; give a different time")
    previous = promise.due_at
    after_deadline = previous < now
    _record(session, promise, now, "rescheduled", {
        "from": _iso(previous), "to": _iso(due), "from_tz": promise.due_tz, "to_tz": due_tz,
        "reason": reason, "after_deadline": after_deadline,
    })
    promise.due_at, promise.due_tz = due, due_tz
    return Rescheduled(promise, previous, after_deadline)


def cancel(session: Session, *, now: datetime, ident: str, reason: str | None) -> Promise:
    """Release a promise (the customer no longer needs it), with a reason."""
    reason = _require_reason(reason, "cancel", f'pk cancel {ident} --reason "customer solved it"')
    promise = _open(session, ident, "cancel it", now)
    _record(session, promise, now, "released", {"reason": reason, "after_deadline": promise.due_at < now})
    promise.state, promise.closed_at = "released", now
    return promise


def reopen(session: Session, *, now: datetime, ident: str) -> Promise:
    """Bring back a kept or released promise, deadline unchanged."""
    promise = queries.find(session, ident)
    if promise.state == "open":
        raise BadInput(f"#{promise.id} is already open")
    _record(session, promise, now, "reopened", {"from_state": promise.state, "closed_at": _iso(promise.closed_at)})
    promise.state, promise.closed_at = "open", None
    return promise


def edit(session: Session, *, now: datetime, ident: str, changes: dict[str, Any]) -> tuple[Promise, dict[str, Any]]:
    """Change a promise's details (never its deadline); returns the fields that changed."""
    promise = queries.find(session, ident)
    wanted = _clean_changes(changes)
    before = {k: getattr(promise, k) for k, v in wanted.items() if getattr(promise, k) != v}
    if not before:
        raise BadInput(f"nothing to change on #{promise.id}: the values given are the ones it has")
    after = {k: wanted[k] for k in before}
    _record(session, promise, now, "edited", {"before": before, "after": after})
    for name, value in after.items():
        setattr(promise, name, value)
    return promise, after


def _clean_changes(changes: dict[str, Any]) -> dict[str, Any]:
    unknown = set(changes) - set(EDITABLE)
    if "due" in unknown or "due_at" in unknown:
        raise BadInput("a deadline is renegotiated, not edited: pk reschedule ID WHEN --reason TEXT")
    if unknown:
        raise BadInput(f"cannot edit {', '.join(sorted(unknown))}; editable: {', '.join(EDITABLE)}")
    cleaned: dict[str, Any] = {}
    for name, value in changes.items():
        if name == "tags":
            cleaned[name] = normalize_tags(list(value))
        elif name == "what":
            if not _text(value):
                raise BadInput("the promise text cannot be empty")
            cleaned[name] = _text(value)
        else:
            cleaned[name] = _text(value)
    if not cleaned:
        raise BadInput("say what to change, e.g. pk edit 12 --to \"Eva Spacek\" --ref INC-4821")
    return cleaned


def note(session: Session, *, now: datetime, ident: str, text: str) -> Promise:
    """Add a note to a promise's history."""
    if not _text(text):
        raise BadInput('the note is empty; e.g. pk note 12 "customer prefers email"')
    promise = queries.find(session, ident)
    _record(session, promise, now, "noted", {"text": _text(text)})
    return promise


def tried(session: Session, *, now: datetime, ident: str, note: str | None = None) -> Promise:
    """Record a callback attempt that did not reach the customer; the promise stays open."""
    promise = _open(session, ident, "record an attempt", now)
    data = {"note": _text(note)} if _text(note) else {}
    _record(session, promise, now, "attempted", data)
    return promise


def record_reminder(session: Session, *, now: datetime, promise: Promise, stage: str, data: dict[str, Any]) -> Event:
    """Note that a reminder for this stage was sent (so it is never sent twice)."""
    return _record(session, promise, now, "reminded", {"stage": stage} | data)


@dataclass(frozen=True)
class Undone:
    event: Event
    promise: Promise
    compensation: Event


def undo_candidates(session: Session, *, limit: int = 10) -> list[Event]:
    """The changes `pk undo` would revert, most recent first."""
    undone = select(Event.undoes).where(col(Event.undoes).is_not(None))
    imported = Event.data[IMPORTED].as_boolean()  # type: ignore[index]
    query = (
        select(Event)
        .where(col(Event.kind).in_(UNDOABLE), col(Event.id).not_in(undone))
        .where(or_(imported.is_(None), imported.is_(False)))
        .order_by(col(Event.id).desc())
        .limit(limit)
    )
    return list(session.exec(query).all())


def undo(session: Session, *, now: datetime) -> Undone:
    """Revert the most recent change that is not yet undone, by appending its compensation."""
    candidates = undo_candidates(session, limit=1)
    if not candidates:
        raise PKError("nothing to undo: every change in the journal is undone already")
    target = candidates[0]
    promise = session.get(Promise, target.promise_id)
    assert promise is not None  # foreign key
    restored = _revert(promise, target, now)
    data = {"kind": target.kind, "target_at": _iso(target.at), "restored": restored}
    compensation = _record(session, promise, now, "undone", data, undoes=target.id)
    return Undone(target, promise, compensation)


def _revert(promise: Promise, target: Event, now: datetime) -> dict[str, Any]:
    data = target.data
    if target.kind == "created":
        # An added promise is released, never deleted: its history stays readable.
        if promise.state == "open":
            promise.state, promise.closed_at = "released", now
        return {"state": promise.state}
    if target.kind == "rescheduled":
        promise.due_at, promise.due_tz = _parse_iso(data["from"]), data.get("from_tz")
        return {"due_at": data["from"]}
    if target.kind in ("kept", "released"):
        promise.state, promise.closed_at = "open", None
        return {"state": "open"}
    if target.kind == "reopened":
        promise.state, promise.closed_at = data["from_state"], _parse_iso(data.get("closed_at"))
        return {"state": promise.state}
    if target.kind == "edited":
        for name, value in data["before"].items():
            setattr(promise, name, value)
        return dict(data["before"])
    return {}  # noted, attempted: the event itself is marked undone


def _open(session: Session, ident: str, action: str, now: datetime | None = None) -> Promise:
    promise = queries.find(session, ident)
    if promise.state != "open":
        ago = f" {timefmt.ago(promise.closed_at, now)}" if promise.closed_at and now else ""
        raise BadInput(f"#{promise.id} was already {promise.state}{ago}; `pk reopen {promise.id}` first to {action}")
    return promise


def _require_reason(reason: str | None, verb: str, example: str) -> str:
    text = _text(reason)
    if not text:
        raise BadInput(f"{verb} needs --reason TEXT, e.g. {example}")
    return text


def _require_ahead(due: datetime, now: datetime, what: str) -> None:
    if due <= now:
        raise BadInput(f"{what} must be ahead of now; it is {timefmt.span(now - due)} in the past")


def _record(
    session: Session, promise: Promise, now: datetime, kind: str, data: dict[str, Any], undoes: int | None = None
) -> Event:
    assert promise.id is not None
    entry = Event(promise_id=promise.id, at=now, kind=kind, data=data, undoes=undoes)
    session.add(entry)
    session.flush()
    return entry


def _iso(value: datetime | None) -> str | None:
    return timefmt.iso(value)


def _parse_iso(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def restore(session: Session, *, now: datetime, record: Incoming) -> Promise | None:
    """Store an imported promise with its history; None when its uuid is already here."""
    if record.uuid and session.exec(select(Promise).where(Promise.uuid == record.uuid)).first():
        return None
    promise = Promise(
        uuid=record.uuid or str(uuidlib.uuid4()), what=record.what, who=record.who, contact=record.contact,
        via=record.via, ref=record.ref, tags=normalize_tags(record.tags), owner=record.owner or default_owner(),
        created_at=record.created_at, due_at=record.due_at, original_due_at=record.original_due_at or record.due_at,
        due_tz=record.due_tz, state=record.state, closed_at=record.closed_at,
    )
    session.add(promise)
    session.flush()
    if record.events:
        _replay(session, promise, record.events)
    else:
        _synthesize_history(session, promise, record)
    return promise


def _replay(session: Session, promise: Promise, events: list[IncomingEvent]) -> None:
    """Copy an exported journal, renumbering the events an `undone` entry points at.

    Each copied event is marked imported: it is history from elsewhere, and `pk undo`
    takes back only changes made here.
    """
    renumbered: dict[int, int] = {}
    for incoming in events:
        undoes = renumbered.get(incoming.undoes) if incoming.undoes is not None else None
        data = incoming.data | {IMPORTED: True}
        entry = _record(session, promise, incoming.at, incoming.kind, data, undoes=undoes)
        if incoming.id is not None and entry.id is not None:
            renumbered[incoming.id] = entry.id


def _synthesize_history(session: Session, promise: Promise, record: Incoming) -> None:
    """A plausible journal for a promise that arrives without one (CSV, Taskwarrior)."""
    imported = {IMPORTED: True}
    snapshot = {name: getattr(promise, name) for name in EDITABLE}
    _record(session, promise, promise.created_at, "created",
            snapshot | {"due_at": _iso(promise.due_at), "due_tz": promise.due_tz} | imported)
    for at, text in record.notes:
        _record(session, promise, at, "noted", {"text": text} | imported)
    closed = promise.closed_at
    if promise.state == "kept" and closed is not None:
        _record(session, promise, closed, "kept", _kept_data(promise.due_at, closed) | imported)
    elif promise.state == "released" and closed is not None:
        _record(session, promise, closed, "released",
                {"reason": "imported", "after_deadline": promise.due_at < closed} | imported)
