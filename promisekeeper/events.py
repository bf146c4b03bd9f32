"""The journal's events, typed: one payload class per kind, with its encoding beside it.

An event's `data` (JSON, as exported and shown by `pk log --json`) is written by `encode()`
and read back by `decode()`; nothing else in promisekeeper reads the JSON. `columns()`
gives what queries filter and aggregate on, stored beside the JSON in plain columns, so no
query needs an engine's JSON functions. `undo()` says how `pk undo` takes each kind back.

Standard library only.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, NamedTuple, Protocol

from promisekeeper import limits
from promisekeeper.kinds import EDITED_FIELDS, Kind, Stage, State
from promisekeeper.lang.folding import fold
from promisekeeper.lang.i18n import _


class PromiseState(Protocol):
    """The promise fields an undo puts back (the ledger's model has them)."""

    due_at: datetime
    due_tz: str | None
    state: str
    closed_at: datetime | None
    owner: str | None


class Columns(NamedTuple):
    """An event's facts that live in columns: the deadline it concerns, its reminder
    stage, its words folded for search, the owner it concerns (who had the promise before
    it changed hands; whose own reminder it was) and whether it was a reminder for the team."""

    due_at: datetime | None = None
    stage: str | None = None
    text_key: str | None = None
    owner: str | None = None
    team: bool = False


NOTHING = Columns()

# Every payload (a named tuple: cheap to define and to make) has `kind`, `encode()`,
# `decode(data)`, `columns()` and `undo(promise, now)`, which puts back what the change
# changed and returns what was restored, for the record.


# -- reading JSON values strictly ---------------------------------------------------------


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _moment(data: Mapping[str, Any], key: str, *, required: bool = True) -> datetime | None:
    value = data.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise ValueError(_("{key} must be an ISO 8601 timestamp, not {value}").format(key=key, value=repr(value)))
    moment = datetime.fromisoformat(value)
    if moment.utcoffset() is None:
        raise ValueError(_("{key} {value} has no UTC offset").format(key=key, value=repr(value)))
    try:
        limits.moment(moment.astimezone(UTC), key)
    except (OverflowError, limits.LimitError):
        raise ValueError(_("{key} {value} is outside the years {years}").format(
            key=key, value=repr(value), years=limits.YEARS)) from None
    return moment


def _text(data: Mapping[str, Any], key: str, *, required: bool = False) -> str | None:
    value = data.get(key)
    if value is None or value == "":
        if required:
            raise ValueError(_("{key} is missing").format(key=key))
        return None
    if not isinstance(value, str):
        raise ValueError(_("{key} must be text, not {type}").format(key=key, type=type(value).__name__))
    return value


def _flag(data: Mapping[str, Any], key: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise ValueError(_("{key} must be true or false").format(key=key))
    return value


def _fields(data: Mapping[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict) or not set(value) <= set(EDITED_FIELDS):
        raise ValueError(_("an edit may only name {fields} (in {key})").format(fields=", ".join(EDITED_FIELDS), key=key))
    return dict(value)


def _tags(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(tag, str) for tag in value):
        raise ValueError(_("tags must be a list of words"))
    return tuple(value)


# -- the kinds ------------------------------------------------------------------------------


class Created(NamedTuple):
    what: str
    due_at: datetime
    who: str | None = None
    contact: str | None = None
    via: str | None = None
    ref: str | None = None
    tags: tuple[str, ...] = ()
    owner: str | None = None
    due_tz: str | None = None
    contact2: str | None = None
    language: str | None = None

    @property
    def kind(self) -> Kind:
        return Kind.CREATED

    def encode(self) -> dict[str, Any]:
        data = {
            "what": self.what, "who": self.who, "contact": self.contact, "via": self.via,
            "ref": self.ref, "tags": list(self.tags), "owner": self.owner,
            "due_at": _iso(self.due_at), "due_tz": self.due_tz,
        }
        return data | _customer(self.contact2, self.language)

    @classmethod
    def decode(cls, data: Mapping[str, Any]) -> Created:
        return cls(
            what=_text(data, "what") or "", due_at=_moment(data, "due_at"),  # type: ignore[arg-type]
            who=_text(data, "who"), contact=_text(data, "contact"), via=_text(data, "via"),
            ref=_text(data, "ref"), tags=_tags(data.get("tags")), owner=_text(data, "owner"),
            due_tz=_text(data, "due_tz"), contact2=_text(data, "contact2"), language=_text(data, "language"),
        )

    def columns(self) -> Columns:
        return Columns(due_at=self.due_at)

    def undo(self, promise: PromiseState, now: datetime) -> dict[str, Any]:
        # An added promise is released, never deleted: its history stays readable.
        if promise.state == State.OPEN:
            promise.state, promise.closed_at = State.RELEASED, now
        return {"state": str(promise.state)}


class Rescheduled(NamedTuple):
    moved_from: datetime
    moved_to: datetime
    reason: str
    after_deadline: bool
    from_tz: str | None = None
    to_tz: str | None = None

    @property
    def kind(self) -> Kind:
        return Kind.RESCHEDULED

    def encode(self) -> dict[str, Any]:
        return {
            "from": _iso(self.moved_from), "to": _iso(self.moved_to), "from_tz": self.from_tz,
            "to_tz": self.to_tz, "reason": self.reason, "after_deadline": self.after_deadline,
        }

    @classmethod
    def decode(cls, data: Mapping[str, Any]) -> Rescheduled:
        return cls(
            moved_from=_moment(data, "from"), moved_to=_moment(data, "to"),  # type: ignore[arg-type]
            reason=_text(data, "reason") or "", after_deadline=_flag(data, "after_deadline"),
            from_tz=_text(data, "from_tz"), to_tz=_text(data, "to_tz"),
        )

    def columns(self) -> Columns:
        return Columns(due_at=self.moved_from, text_key=fold(self.reason) or None)

    def undo(self, promise: PromiseState, now: datetime) -> dict[str, Any]:
        promise.due_at, promise.due_tz = self.moved_from, self.from_tz
        return {"due_at": _iso(self.moved_from)}


class Kept(NamedTuple):
    due_at: datetime
    late_by_s: int = 0
    note: str | None = None

    @property
    def kind(self) -> Kind:
        return Kind.KEPT

    @property
    def late(self) -> bool:
        return self.late_by_s > 0

    def encode(self) -> dict[str, Any]:
        data: dict[str, Any] = {"due_at": _iso(self.due_at), "late": self.late}
        if self.late:
            data["late_by_s"] = self.late_by_s
        if self.note:
            data["note"] = self.note
        return data

    @classmethod
    def decode(cls, data: Mapping[str, Any]) -> Kept:
        late_by = data.get("late_by_s") or 0
        if not isinstance(late_by, int) or isinstance(late_by, bool) or late_by < 0:
            raise ValueError(_("late_by_s must be a whole number of seconds"))
        if _flag(data, "late") and not late_by:
            late_by = 1  # an older record that says late without saying by how much
        return cls(due_at=_moment(data, "due_at"), late_by_s=late_by, note=_text(data, "note"))  # type: ignore[arg-type]

    def columns(self) -> Columns:
        return Columns(due_at=self.due_at, text_key=fold(self.note) or None)

    def undo(self, promise: PromiseState, now: datetime) -> dict[str, Any]:
        promise.state, promise.closed_at = State.OPEN, None
        return {"state": str(State.OPEN)}


class Released(NamedTuple):
    reason: str
    after_deadline: bool

    @property
    def kind(self) -> Kind:
        return Kind.RELEASED

    def encode(self) -> dict[str, Any]:
        return {"reason": self.reason, "after_deadline": self.after_deadline}

    @classmethod
    def decode(cls, data: Mapping[str, Any]) -> Released:
        return cls(reason=_text(data, "reason") or "", after_deadline=_flag(data, "after_deadline"))

    def columns(self) -> Columns:
        return Columns(text_key=fold(self.reason) or None)

    def undo(self, promise: PromiseState, now: datetime) -> dict[str, Any]:
        promise.state, promise.closed_at = State.OPEN, None
        return {"state": str(State.OPEN)}


class Reopened(NamedTuple):
    from_state: State
    closed_at: datetime | None

    @property
    def kind(self) -> Kind:
        return Kind.REOPENED

    def encode(self) -> dict[str, Any]:
        return {"from_state": str(self.from_state), "closed_at": _iso(self.closed_at)}

    @classmethod
    def decode(cls, data: Mapping[str, Any]) -> Reopened:
        state = data.get("from_state")
        if state not in (State.KEPT, State.RELEASED):
            raise ValueError(_("from_state must be kept or released, not {value}").format(value=repr(state)))
        return cls(from_state=State(state), closed_at=_moment(data, "closed_at", required=False))

    def undo(self, promise: PromiseState, now: datetime) -> dict[str, Any]:
        promise.state, promise.closed_at = self.from_state, self.closed_at
        return {"state": str(self.from_state)}

    def columns(self) -> Columns:
        return NOTHING


class Edited(NamedTuple):
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}

    @property
    def kind(self) -> Kind:
        return Kind.EDITED

    def encode(self) -> dict[str, Any]:
        return {"before": dict(self.before), "after": dict(self.after)}

    @classmethod
    def decode(cls, data: Mapping[str, Any]) -> Edited:
        return cls(before=_fields(data, "before"), after=_fields(data, "after"))

    def undo(self, promise: PromiseState, now: datetime) -> dict[str, Any]:
        for name, value in self.before.items():
            setattr(promise, name, value)
        return dict(self.before)

    def columns(self) -> Columns:
        # Older versions changed hands by editing the owner: whose it was, as a hand-off says.
        return Columns(owner=self.before.get("owner")) if "owner" in self.after else NOTHING


class Noted(NamedTuple):
    text: str

    @property
    def kind(self) -> Kind:
        return Kind.NOTED

    def encode(self) -> dict[str, Any]:
        return {"text": self.text}

    @classmethod
    def decode(cls, data: Mapping[str, Any]) -> Noted:
        return cls(text=_text(data, "text", required=True) or "")

    def columns(self) -> Columns:
        return Columns(text_key=fold(self.text) or None)

    def undo(self, promise: PromiseState, now: datetime) -> dict[str, Any]:
        return {}


class Attempted(NamedTuple):
    note: str | None = None

    @property
    def kind(self) -> Kind:
        return Kind.ATTEMPTED

    def encode(self) -> dict[str, Any]:
        return {"note": self.note} if self.note else {}

    @classmethod
    def decode(cls, data: Mapping[str, Any]) -> Attempted:
        return cls(note=_text(data, "note"))

    def columns(self) -> Columns:
        return Columns(text_key=fold(self.note) or None)

    def undo(self, promise: PromiseState, now: datetime) -> dict[str, Any]:
        return {}


class HandedOff(NamedTuple):
    from_owner: str | None
    to_owner: str
    reason: str

    @property
    def kind(self) -> Kind:
        return Kind.HANDED_OFF

    def encode(self) -> dict[str, Any]:
        return {"from_owner": self.from_owner, "to_owner": self.to_owner, "reason": self.reason}

    @classmethod
    def decode(cls, data: Mapping[str, Any]) -> HandedOff:
        return cls(
            from_owner=_text(data, "from_owner"), to_owner=_text(data, "to_owner", required=True) or "",
            reason=_text(data, "reason") or "",
        )

    def columns(self) -> Columns:
        return Columns(text_key=fold(self.reason) or None, owner=self.from_owner)

    def undo(self, promise: PromiseState, now: datetime) -> dict[str, Any]:
        promise.owner = self.from_owner
        return {"owner": self.from_owner}


class Reminded(NamedTuple):
    """A reminder sent: for the promise's owner (`owner`, whose it was then; None in records
    older than owners' reminders, which count for whoever owns it), or for the team (the
    lead's digest), each counted apart so one never uses up the other."""

    stage: Stage
    due_at: datetime | None = None
    day: str | None = None  # the local day of a digest reminder, "2026-11-23"
    owner: str | None = None
    team: bool = False

    @property
    def kind(self) -> Kind:
        return Kind.REMINDED

    def encode(self) -> dict[str, Any]:
        data: dict[str, Any] = {"stage": str(self.stage), "due_at": _iso(self.due_at)}
        if self.day:
            data["day"] = self.day
        if self.owner is not None:
            data["owner"] = self.owner
        if self.team:
            data["team"] = True
        return data

    @classmethod
    def decode(cls, data: Mapping[str, Any]) -> Reminded:
        stage = data.get("stage")
        if stage not in tuple(Stage):
            raise ValueError(_("stage must be one of {stages}, not {value}").format(
                stages=", ".join(Stage), value=repr(stage)))
        return cls(
            stage=Stage(stage), due_at=_moment(data, "due_at", required=False), day=_text(data, "day"),
            owner=_text(data, "owner"), team=_flag(data, "team"),
        )

    def columns(self) -> Columns:
        return Columns(due_at=self.due_at, stage=str(self.stage), owner=self.owner, team=self.team)

    def undo(self, promise: PromiseState, now: datetime) -> dict[str, Any]:
        return {}


class Undone(NamedTuple):
    undid: Kind
    target_at: datetime | None = None
    restored: dict[str, Any] = {}

    @property
    def kind(self) -> Kind:
        return Kind.UNDONE

    def encode(self) -> dict[str, Any]:
        return {"kind": str(self.undid), "target_at": _iso(self.target_at), "restored": dict(self.restored)}

    @classmethod
    def decode(cls, data: Mapping[str, Any]) -> Undone:
        undid = data.get("kind")
        if undid not in UNDOABLE_NAMES:
            raise ValueError(_("kind must be one of {kinds}, not {value}").format(
                kinds=", ".join(sorted(UNDOABLE_NAMES)), value=repr(undid)))
        restored = data.get("restored") or {}
        if not isinstance(restored, dict):
            raise ValueError(_("restored must be an object"))
        return cls(undid=Kind(undid), target_at=_moment(data, "target_at", required=False), restored=restored)

    def columns(self) -> Columns:
        return NOTHING

    def undo(self, promise: PromiseState, now: datetime) -> dict[str, Any]:
        return {}


class Opened(NamedTuple):
    """A check-in a series opened: the next slot (`slot`, counted from the series' first),
    with the details it took from the check-in before it, and why it opened (`after`: the
    one before was kept, missed or skipped, or the series was resumed or its rule changed)."""

    what: str
    due_at: datetime
    series: str
    slot: int
    after: str
    who: str | None = None
    contact: str | None = None
    via: str | None = None
    ref: str | None = None
    tags: tuple[str, ...] = ()
    owner: str | None = None
    due_tz: str | None = None
    contact2: str | None = None
    language: str | None = None

    @property
    def kind(self) -> Kind:
        return Kind.OPENED

    def encode(self) -> dict[str, Any]:
        data = {
            "what": self.what, "who": self.who, "contact": self.contact, "via": self.via,
            "ref": self.ref, "tags": list(self.tags), "owner": self.owner,
            "due_at": _iso(self.due_at), "due_tz": self.due_tz, "series": self.series,
            "slot": self.slot, "after": self.after,
        }
        return data | _customer(self.contact2, self.language)

    @classmethod
    def decode(cls, data: Mapping[str, Any]) -> Opened:
        slot = data.get("slot")
        if not isinstance(slot, int) or isinstance(slot, bool) or slot < 0:
            raise ValueError(_("slot must be a whole number"))
        return cls(
            what=_text(data, "what") or "", due_at=_moment(data, "due_at"),  # type: ignore[arg-type]
            series=_text(data, "series", required=True) or "", slot=slot, after=_text(data, "after") or "",
            who=_text(data, "who"), contact=_text(data, "contact"), via=_text(data, "via"),
            ref=_text(data, "ref"), tags=_tags(data.get("tags")), owner=_text(data, "owner"),
            due_tz=_text(data, "due_tz"), contact2=_text(data, "contact2"), language=_text(data, "language"),
        )

    def columns(self) -> Columns:
        return Columns(due_at=self.due_at)

    def undo(self, promise: PromiseState, now: datetime) -> dict[str, Any]:
        # Withdrawn with the change that opened it: released, never deleted.
        if promise.state == State.OPEN:
            promise.state, promise.closed_at = State.RELEASED, now
        return {"state": str(promise.state)}


class Missed(NamedTuple):
    """A check-in closed as broken: its time passed halfway to the next one's."""

    due_at: datetime

    @property
    def kind(self) -> Kind:
        return Kind.MISSED

    def encode(self) -> dict[str, Any]:
        return {"due_at": _iso(self.due_at)}

    @classmethod
    def decode(cls, data: Mapping[str, Any]) -> Missed:
        return cls(due_at=_moment(data, "due_at"))  # type: ignore[arg-type]

    def columns(self) -> Columns:
        return Columns(due_at=self.due_at)

    def undo(self, promise: PromiseState, now: datetime) -> dict[str, Any]:
        return {}


class Ended(NamedTuple):
    """A series ended with this check-in (`how`: "final" for done --final, "cancel")."""

    series: str
    how: str

    @property
    def kind(self) -> Kind:
        return Kind.ENDED

    def encode(self) -> dict[str, Any]:
        return {"series": self.series, "how": self.how}

    @classmethod
    def decode(cls, data: Mapping[str, Any]) -> Ended:
        return cls(series=_text(data, "series", required=True) or "", how=_text(data, "how") or "")

    def columns(self) -> Columns:
        return NOTHING

    def undo(self, promise: PromiseState, now: datetime) -> dict[str, Any]:
        return {}  # the series resumes: the ledger asks the series for its next check-in


class Notified(NamedTuple):
    """A notice to the customer that left (`sent`), was refused or could not leave
    (`failed`), was given up (`dropped`) or withdrawn by an undo (`withdrawn`)."""

    notice: str  # its kind: confirmed, renegotiated…
    outcome: str
    uuid: str
    to: str | None = None
    answer: str | None = None  # the server's words, or why it failed

    @property
    def kind(self) -> Kind:
        return Kind.NOTIFIED

    def encode(self) -> dict[str, Any]:
        return {"notice": self.notice, "outcome": self.outcome, "uuid": self.uuid, "to": self.to,
                "answer": self.answer}

    @classmethod
    def decode(cls, data: Mapping[str, Any]) -> Notified:
        return cls(
            notice=_text(data, "notice", required=True) or "", outcome=_text(data, "outcome", required=True) or "",
            uuid=_text(data, "uuid", required=True) or "", to=_text(data, "to"), answer=_text(data, "answer"),
        )

    def columns(self) -> Columns:
        return NOTHING

    def undo(self, promise: PromiseState, now: datetime) -> dict[str, Any]:
        return {}


Payload = (Created | Rescheduled | Kept | Released | Reopened | Edited | Noted | Attempted | HandedOff
           | Reminded | Undone | Opened | Missed | Ended | Notified)

PAYLOADS: dict[Kind, Any] = {
    Kind.CREATED: Created,
    Kind.RESCHEDULED: Rescheduled,
    Kind.KEPT: Kept,
    Kind.RELEASED: Released,
    Kind.REOPENED: Reopened,
    Kind.EDITED: Edited,
    Kind.NOTED: Noted,
    Kind.ATTEMPTED: Attempted,
    Kind.HANDED_OFF: HandedOff,
    Kind.REMINDED: Reminded,
    Kind.UNDONE: Undone,
    Kind.OPENED: Opened,
    Kind.MISSED: Missed,
    Kind.ENDED: Ended,
    Kind.NOTIFIED: Notified,
}
_BY_NAME: dict[str, Any] = {str(kind): payload for kind, payload in PAYLOADS.items()}  # a str is looked up as is
UNDOABLE_NAMES = frozenset(str(kind) for kind in PAYLOADS if kind not in (Kind.REMINDED, Kind.UNDONE, Kind.NOTIFIED))


def _customer(contact2: str | None, language: str | None) -> dict[str, str]:
    """A new promise's second contact and customer's language, only when given: journals
    written before customers' languages read as they did."""
    return {name: value for name, value in (("contact2", contact2), ("language", language)) if value}


def decode(kind: str, data: Mapping[str, Any]) -> Payload:
    """The payload of an event of this kind; ValueError names what is wrong with the data."""
    payload_type = _BY_NAME.get(kind)
    if payload_type is None:
        raise ValueError(_("unknown kind {value}").format(value=repr(kind)))
    if not isinstance(data, Mapping):
        raise ValueError(_("data must be an object"))
    try:
        return payload_type.decode(data)
    except (TypeError, KeyError) as error:
        raise ValueError(_("{kind} data is malformed: {problem}").format(kind=kind, problem=error)) from None
