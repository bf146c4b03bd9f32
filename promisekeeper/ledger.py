"""The ledger: the only writer. It decides whether a change is allowed and records it.

Every public function makes one change and appends its typed event in the caller's
transaction (`Database.change()`), so the promise and its history can never disagree, and
returns what changed as plain rows for the caller to show once the change is committed.
Nothing is deleted: undo appends a compensating event.
"""

from __future__ import annotations

import functools
import uuid as uuidlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any

from promisekeeper import events, limits
from promisekeeper import owner as ownership
from promisekeeper.db import read_journal, read_promises
from promisekeeper.db.models import Event, Promise, new_event
from promisekeeper.db.rows import EventRow, PromiseRow
from promisekeeper.errors import BadInput, PKError
from promisekeeper.kinds import EDITABLE, Kind, Stage, State
from promisekeeper.lang.i18n import NP_, _, pgettext
from promisekeeper.when import deadline, timefmt

if TYPE_CHECKING:
    from promisekeeper.db.bulk import NewEvent, Prepared, Staging
    from promisekeeper.db.read_outbox import NoticeRow
    from promisekeeper.db.reader import Reader
    from promisekeeper.db.writing import Transaction
    from promisekeeper.exchange import Incoming
    from promisekeeper.outbox.compose import Facts
    from promisekeeper.series.carried import CarriedSeries
    from promisekeeper.series.keeping import Plan
    from promisekeeper.when.calendar import BusinessCalendar

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
    contact2: str | None = None  # a second contact: a phone and an email
    language: str | None = None  # the customer's language (en, it, hu, sv)


def customer_language(value: str | None) -> str | None:
    """A customer's language as stored: one pk writes notices in, or None for not given."""
    code = (value or "").strip().lower()
    if not code:
        return None
    from promisekeeper.lang.i18n import LANGUAGES

    if code not in LANGUAGES:
        raise BadInput(_("'{value}' is not a language pk writes notices in; use one of {languages}").format(
            value=value, languages=", ".join(LANGUAGES)))
    return code


def normalize_tags(values: list[str] | tuple[str, ...]) -> list[str]:
    """Tags as lowercase words: "+vpn,#Billing" -> ["vpn", "billing"]; order kept, no repeats."""
    tags: list[str] = []
    for value in values:
        for piece in value.split(","):
            tag = limits.tag(piece)
            if tag and tag not in tags:
                tags.append(tag)
    limits.tag_count(len(tags))
    return tags


def text(value: str | None, field: str) -> str | None:
    """Optional free text within the limits: surrounding blanks dropped, empty means not given."""
    return limits.text(value, field)


# -- changes ------------------------------------------------------------------------------------


def add(
    tx: Transaction, *, now: datetime, draft: Draft, due: datetime, due_tz: str | None, series: Plan | None = None,
    new_owner: bool = False,
) -> PromiseRow:
    """Log a new promise due at `due` (which must be ahead); with `series`, the first
    check-in of a series. An owner named in `draft` that looks like an owner here but is
    spelled otherwise is refused unless `new_owner` says it is someone else."""
    promise = _new_promise(now=now, draft=draft, due=due, due_tz=due_tz)
    check_owner(tx.reader, draft, new_owner=new_owner)
    tx.session.add(promise)
    tx.session.flush()
    _record(tx, promise, now, created_payload(promise))
    if series is not None:
        from promisekeeper.series import keeping

        keeping.start(tx, now=now, first=promise, plan=series)
    return promise.row()


def check_owner(reader: Reader, draft: Draft, *, new_owner: bool) -> None:
    """Refuse an owner named in `draft` that looks like one who has (or had) a promise here
    but is spelled with other characters, unless `new_owner` says it is someone else."""
    name = text(draft.owner, "owner")
    if not name or new_owner:
        return
    known = [*read_promises.owners(reader), *read_promises.former_owners(reader)]
    if not ownership.spellings(known, name):
        ownership.refuse_look_alike(name, known)


def preview(*, now: datetime, draft: Draft, due: datetime, due_tz: str | None) -> PromiseRow:
    """The promise `add` would log, checked the same way, without a database: its id is 0."""
    promise = _new_promise(now=now, draft=draft, due=due, due_tz=due_tz)
    promise.id = 0
    return promise.row()


def _new_promise(*, now: datetime, draft: Draft, due: datetime, due_tz: str | None) -> Promise:
    what = text(draft.what, "what")
    if not what:
        raise BadInput(_('say what was promised, e.g. pk add "Send the VPN config" --due "in 2h"'))
    _require_ahead(due, now, first=True)
    return Promise(
        uuid=str(uuidlib.uuid4()), what=what, who=text(draft.who, "who"),
        contact=text(draft.contact, "contact"), via=text(draft.via, "via"), ref=text(draft.ref, "ref"),
        tags=normalize_tags(list(draft.tags)), contact2=text(draft.contact2, "contact"),
        language=customer_language(draft.language),
        owner=text(draft.owner, "owner") or ownership.me(), created_at=now, due_at=due, original_due_at=due,
        due_tz=due_tz, state=State.OPEN,
    )


def created_payload(promise: Promise) -> events.Created:
    return events.Created(
        what=promise.what, who=promise.who, contact=promise.contact, via=promise.via,
        ref=promise.ref, tags=tuple(promise.tags), owner=promise.owner, due_at=promise.due_at,
        due_tz=promise.due_tz, contact2=promise.contact2, language=promise.language,
    )


@dataclass(frozen=True)
class Closed:
    """A promise just kept, and whether an earlier late move already broke it; for a
    check-in, the next one opened (if any) and whether the series ended."""

    promise: PromiseRow
    moved_late: bool
    following: PromiseRow | None = None
    ended: bool = False


def done(
    tx: Transaction, *, now: datetime, ident: str, note: str | None = None, final: bool = False,
    calendar: BusinessCalendar | None = None,
) -> Closed:
    """Mark a promise kept; whether on time or late is the clock's verdict, not the user's.
    A check-in opens the next one of its series in the same change, or (`final`) ends it."""
    promise = _open(tx, ident, NP_("first reopen to", "mark it done"), now)
    if final and promise.series_id is None:
        raise BadInput(_("#{id} is not a check-in of a series; --final ends a series").format(id=promise.id))
    promise.state, promise.closed_at = State.KEPT, now
    late_by = deadline.late_by_s(now, promise.due_at)
    _record(tx, promise, now, events.Kept(due_at=promise.due_at, late_by_s=late_by, note=text(note, "note")))
    assert promise.id is not None
    following, ended = _series_after_closing(tx, now, promise, "final" if final else None, "kept", calendar)
    return Closed(promise.row(), read_journal.moved_after_deadline(tx.reader, promise.id), following, ended)


def _series_after_closing(
    tx: Transaction, now: datetime, promise: Promise, end: str | None, after: str,
    calendar: BusinessCalendar | None,
) -> tuple[PromiseRow | None, bool]:
    """A check-in just closed: end its series (`end` says how), or open the next one."""
    if promise.series_id is None:
        return None, False
    from promisekeeper.series import keeping

    tx.session.flush()
    if end is not None:
        return None, keeping.end(tx, now=now, check_in=promise, how=end) is not None
    following = keeping.open_next(tx, now=now, previous=promise, after=after, calendar=_calendar(calendar))
    return (following.row() if following is not None else None), False


def _calendar(calendar: BusinessCalendar | None) -> BusinessCalendar:
    if calendar is not None:
        return calendar
    from promisekeeper.when.calendar import BusinessCalendar

    return BusinessCalendar.default()


@dataclass(frozen=True)
class Rescheduled:
    promise: PromiseRow
    previous: datetime
    previous_tz: str | None
    after_deadline: bool


def reschedule(
    tx: Transaction, *, now: datetime, ident: str, due: datetime, due_tz: str | None, reason: str | None
) -> Rescheduled:
    """Move a deadline, with a reason. Moving one that has already passed is recorded as such."""
    example = _('pk reschedule {ident} "fri 10am" --reason "waiting on vendor"').format(ident=ident)
    reason = _require_reason(reason, "reschedule", example)
    promise = _open(tx, ident, NP_("first reopen to", "reschedule it"), now)
    _require_ahead(due, now, first=False)
    if due == promise.due_at:
        raise BadInput(_("#{id} is already due then; give a different time").format(id=promise.id))
    previous, previous_tz = promise.due_at, promise.due_tz
    move = events.Rescheduled(
        moved_from=previous, moved_to=due, reason=reason, after_deadline=deadline.is_late(now, previous),
        from_tz=previous_tz, to_tz=due_tz,
    )
    _record(tx, promise, now, move)
    promise.due_at, promise.due_tz = due, due_tz
    return Rescheduled(promise.row(), previous, previous_tz, move.after_deadline)


def cancel(tx: Transaction, *, now: datetime, ident: str, reason: str | None) -> PromiseRow:
    """Release a promise (the customer no longer needs it), with a reason; a check-in's
    series ends with it."""
    reason = _require_reason(reason, "cancel", _('pk cancel {ident} --reason "customer solved it"').format(ident=ident))
    promise = _open(tx, ident, NP_("first reopen to", "cancel it"), now)
    _record(tx, promise, now, events.Released(reason=reason, after_deadline=deadline.is_late(now, promise.due_at)))
    promise.state, promise.closed_at = State.RELEASED, now
    _series_after_closing(tx, now, promise, "cancel", "released", None)
    return promise.row()


def skip(
    tx: Transaction, *, now: datetime, ident: str, reason: str | None, calendar: BusinessCalendar | None = None,
) -> Closed:
    """Release one check-in, with a reason, and open the next: the series goes on."""
    reason = _require_reason(reason, "skip", _('pk skip {ident} --reason "customer on holiday"').format(ident=ident))
    promise = _open(tx, ident, NP_("first reopen to", "skip it"), now)
    if promise.series_id is None:
        raise BadInput(_("#{id} is not a check-in of a series; to release it: pk cancel {id} --reason TEXT").format(
            id=promise.id))
    _record(tx, promise, now, events.Released(reason=reason, after_deadline=promise.due_at < now))
    promise.state, promise.closed_at = State.RELEASED, now
    following, _ended = _series_after_closing(tx, now, promise, None, "skipped", calendar)
    return Closed(promise.row(), False, following)


def reopen(tx: Transaction, *, now: datetime, ident: str) -> PromiseRow:
    """Bring back a kept or released promise, deadline unchanged (a check-in only while its
    series has no other open one)."""
    promise = _promise(tx, ident)
    if promise.state == State.OPEN:
        raise BadInput(_("#{id} is already open").format(id=promise.id))
    if promise.series_id is not None:
        from promisekeeper.series import keeping

        keeping.refuse_reopen(tx, promise)
    _record(tx, promise, now, events.Reopened(from_state=State(promise.state), closed_at=promise.closed_at))
    promise.state, promise.closed_at = State.OPEN, None
    return promise.row()


def edit(tx: Transaction, *, now: datetime, ident: str, changes: dict[str, Any]) -> tuple[PromiseRow, dict[str, Any]]:
    """Change a promise's details (never its deadline); returns the fields that changed."""
    promise = _promise(tx, ident)
    wanted = _clean_changes(changes)
    before = {k: getattr(promise, k) for k, v in wanted.items() if getattr(promise, k) != v}
    if not before:
        raise BadInput(_("nothing to change on #{id}: the values given are the ones it has").format(id=promise.id))
    after = {k: wanted[k] for k in before}
    _record(tx, promise, now, events.Edited(before=before, after=after))
    for name, value in after.items():
        setattr(promise, name, value)
    return promise.row(), after


def _clean_changes(changes: dict[str, Any]) -> dict[str, Any]:
    unknown = set(changes) - set(EDITABLE)
    if "due" in unknown or "due_at" in unknown:
        raise BadInput(_("a deadline is renegotiated, not edited: pk reschedule ID WHEN --reason TEXT"))
    if "owner" in unknown:
        raise BadInput(_("a promise changes hands by a hand-off, with its reason: "
                         "pk handoff ID --to-owner NAME --reason TEXT"))
    if unknown:
        raise BadInput(_("cannot edit {fields}; editable: {editable}").format(
            fields=", ".join(sorted(unknown)), editable=", ".join(EDITABLE)))
    cleaned: dict[str, Any] = {}
    for name, value in changes.items():
        if name == "tags":
            cleaned[name] = normalize_tags(list(value))
        elif name == "language":
            cleaned[name] = customer_language(value)
        elif name == "what":
            if not text(value, name):
                raise BadInput(_("the promise text cannot be empty"))
            cleaned[name] = text(value, name)
        else:
            cleaned[name] = text(value, name)
    if not cleaned:
        raise BadInput(_('say what to change, e.g. pk edit 12 --to "Eva Spacek" --ref INC-4821'))
    return cleaned


def change_rule(
    tx: Transaction, *, now: datetime, ident: str, rule: Any, calendar: BusinessCalendar | None = None,
) -> PromiseRow:
    """A new rule for the check-ins of a series still to come (the open one stays as it is)."""
    from promisekeeper.series import keeping

    promise = _promise(tx, ident)
    series = keeping.of(tx, promise)
    if series is None or series.ended_at is not None:
        raise BadInput(_("#{id} is not a check-in of a running series; --every changes a series' rule").format(
            id=promise.id))
    before = series.rule
    if rule.text == before:
        raise BadInput(_("nothing to change on #{id}: the values given are the ones it has").format(id=promise.id))
    keeping.change_rule(tx, now=now, series=series, rule=rule, calendar=_calendar(calendar))
    _record(tx, promise, now, events.Edited(before={"every": before}, after={"every": rule.text}))
    return promise.row()


def retagged(
    promise: PromiseRow, *, replace: list[str] | None, add: list[str], remove: list[str]
) -> list[str]:
    """The tags a promise will have: `replace` (or its own) plus `add`, less `remove`.

    Removing a tag it does not have is refused, naming the tags it has: a typo must not
    pass for "nothing to change".
    """
    current = normalize_tags(list(replace) if replace is not None else list(promise.tags))
    wanted = normalize_tags(current + add)
    dropped = normalize_tags(remove)
    absent = [tag for tag in dropped if tag not in wanted]
    if absent:
        missing = ", ".join(absent)
        if wanted:
            raise BadInput(_("#{id} has no tag {missing} (its tags: {tags})").format(
                id=promise.id, missing=missing, tags=" ".join(f"+{tag}" for tag in wanted)))
        raise BadInput(_("#{id} has no tag {missing} (it has no tags)").format(id=promise.id, missing=missing))
    return [tag for tag in wanted if tag not in dropped]


def note(tx: Transaction, *, now: datetime, ident: str, text_: str) -> PromiseRow:
    """Add a note to a promise's history."""
    words = text(text_, "note")
    if not words:
        raise BadInput(_('the note is empty; e.g. pk note 12 "customer prefers email"'))
    promise = _promise(tx, ident)
    _record(tx, promise, now, events.Noted(text=words))
    return promise.row()


def tried(tx: Transaction, *, now: datetime, ident: str, note: str | None = None) -> tuple[PromiseRow, int]:
    """Record a callback attempt that did not reach the customer; the promise stays open.
    Returns the promise and how many attempts it has had now."""
    promise = _open(tx, ident, NP_("first reopen to", "record an attempt"), now)
    _record(tx, promise, now, events.Attempted(note=text(note, "note")))
    assert promise.id is not None
    count = read_journal.attempts(tx.reader, [promise.id])[promise.id].count
    return promise.row(), count


def record_reminder(
    tx: Transaction, *, now: datetime, promise_id: int, stage: Stage, due_at: datetime, day: str | None = None,
    owner: str | None = None, team: bool = False,
) -> int:
    """Note that a reminder for this stage and deadline was sent (so it is never sent twice):
    to `owner` about their own promise, or to the team. Returns the event's id (what its
    push deliveries refer to)."""
    payload = events.Reminded(stage=stage, due_at=due_at, day=day, owner=owner, team=team)
    event = new_event(promise_id=promise_id, at=now, payload=payload)
    tx.session.add(event)
    tx.session.flush()
    assert event.id is not None
    return event.id


@dataclass(frozen=True)
class HandedOff:
    """A promise now in someone else's hands, and whose it was."""

    promise: PromiseRow
    previous: str | None


def handoff(
    tx: Transaction, *, now: datetime, ident: str, to_owner: str | None, reason: str | None,
    new_owner: bool = False,
) -> HandedOff:
    """Pass an open promise to another owner, with a reason; its deadline stands.

    The name is matched as people type it (case and accents ignored) against the owners
    here, and stored as they are spelled; a name nobody here has is refused unless
    `new_owner` says it is deliberate (someone's first promise).
    """
    reason = _require_reason(reason, "handoff", _('pk handoff {ident} --to-owner "Bo Ek" --reason "off shift"').format(
        ident=ident))
    promise = _open(tx, ident, NP_("first reopen to", "hand it off"), now)
    receiver = _receiver(tx, to_owner, new_owner=new_owner)
    if ownership.same(receiver, promise.owner):
        raise BadInput(_("#{id} is already {owner}'s; name someone else with --to-owner").format(
            id=promise.id, owner=receiver))
    previous = promise.owner
    _record(tx, promise, now, events.HandedOff(from_owner=previous, to_owner=receiver, reason=reason))
    promise.owner = receiver
    return HandedOff(promise.row(), previous)


def _receiver(tx: Transaction, typed: str | None, *, new_owner: bool) -> str:
    """The owner a promise goes to: a known owner's stored spelling, or (with new_owner)
    the name as given."""
    name = text(typed, "owner")
    if not name:
        raise BadInput(_('say who takes it over, e.g. --to-owner "Bo Ek"'))
    known = read_promises.owners(tx.reader)
    found = ownership.spellings(known, name)
    if found:
        return found[0]
    if new_owner:
        return name
    ownership.refuse_look_alike(name, known)
    raise ownership.unknown(name, known, _("--new-owner hands it to someone who has no promise here yet"))


# -- telling the customer ----------------------------------------------------------------------


def tell(
    tx: Transaction, *, now: datetime, zone: tzinfo, facts: Facts, promise_id: int, language: str, owner: str | None,
    claim: bool = False,
) -> int:
    """Queue a notice of the change just made, in its transaction: it leaves after the commit
    (`claim`: this pk sends it then), or waits in the outbox. Returns the notice's id."""
    from promisekeeper.outbox import compose, queue

    subject, body = compose.compose(facts, language=language, zone=zone)
    return queue.enqueue(tx, now=now, promise_id=promise_id, kind=facts.kind, subject=subject, body=body,
                         language=language, owner=owner, claim=claim)


# -- undo ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Undone:
    event: EventRow
    promise: PromiseRow
    compensation: EventRow
    theirs: str | None = None  # who made the change, when it was someone else
    withdrawn: tuple[NoticeRow, ...] = ()  # its notices that had not left: they never will
    already_sent: tuple[NoticeRow, ...] = ()  # its notices the customer has: an undo cannot unsend

def undo(
    tx: Transaction, *, now: datetime, author: str | None = None, event: int | None = None,
    calendar: BusinessCalendar | None = None,
) -> Undone:
    """Revert a change not yet undone, by appending its compensation: the most recent one
    `author` recorded (default: the caller, `tx.author`), or the change numbered `event`."""
    if event is not None:
        target = _undoable(tx, event)
    else:
        authors = read_journal.authors_of(tx.reader, author if author is not None else tx.author)
        candidates = read_journal.undo_candidates(tx.reader, authors=authors, limit=1)
        if not candidates:
            raise _nothing_to_undo(tx, authors, author)
        target = candidates[0]
    promise = tx.session.get(Promise, target.promise_id)
    assert promise is not None  # foreign key
    restored = None
    if promise.series_id is not None:
        restored = _undo_in_series(tx, now, promise, target, calendar)
    if restored is None:
        restored = target.payload.undo(promise, now)
    compensation = _record(
        tx, promise, now, events.Undone(undid=target.kind, target_at=target.at, restored=restored),
        undoes=target.id,
    )
    theirs = target.author if target.author is not None and not ownership.same(target.author, tx.author) else None
    from promisekeeper.outbox import queue

    withdrawn, sent = queue.withdraw(tx, now=now, event_id=target.id)
    return Undone(target, promise.row(), compensation.row(), theirs, tuple(withdrawn), tuple(sent))


def _undoable(tx: Transaction, event: int) -> EventRow:
    found = read_journal.undo_candidates(tx.reader, authors=None, event=event, limit=1)
    if not found:
        raise BadInput(_(
            "event {id} is not a change pk undo can take back: it is undone already, imported, "
            "a reminder or not there; pk undo --list --owner NAME shows a colleague's changes with their numbers"
        ).format(id=event))
    return found[0]


def _nothing_to_undo(tx: Transaction, authors: tuple[str | None, ...] | None, named: str | None) -> PKError:
    if named is not None:
        return PKError(_("nothing to undo: {owner} has no change here that is not undone").format(owner=named))
    if authors is not None and read_journal.undo_candidates(tx.reader, authors=None, limit=1):
        return PKError(_(
            "nothing to undo: you have no change here that is not undone; "
            "pk undo --owner NAME takes back a colleague's"
        ))
    if read_journal.changes_made(tx.reader):
        return PKError(_("nothing to undo: every change made here is undone already"))
    return PKError(_("nothing to undo: no change has been made here yet"))


def _undo_in_series(
    tx: Transaction, now: datetime, check_in: Promise, target: EventRow, calendar: BusinessCalendar | None
) -> dict[str, Any] | None:
    """What undoing a change to a check-in does to its series: a keep or release that opened
    the next check-in takes that one back (refused once something was recorded on it); an
    end resumes the series; a changed rule goes back; undoing the first check-in's add ends
    the series it began. Returns what was restored when the series did all of it."""
    from promisekeeper.series import keeping

    kind = target.kind
    if kind == Kind.EDITED and "every" in target.data.get("before", {}):
        from promisekeeper.series.rule import parse

        series = keeping.of(tx, check_in)
        previous = target.data["before"]["every"]
        if series is not None:
            keeping.change_rule(tx, now=now, series=series, rule=parse(previous), calendar=_calendar(calendar))
        return {"every": previous}
    if kind in (Kind.KEPT, Kind.RELEASED):
        keeping.withdraw_successor(tx, now=now, check_in=check_in)
    elif kind == Kind.ENDED:
        keeping.resume(tx, now=now, check_in=check_in, calendar=_calendar(calendar))
    elif kind == Kind.CREATED:
        keeping.withdraw_successor(tx, now=now, check_in=check_in)
        series = keeping.of(tx, check_in)
        if series is not None and series.ended_at is None:
            series.ended_at = now
    return None


# -- shared ------------------------------------------------------------------------------------


def _promise(tx: Transaction, ident: str) -> Promise:
    found = read_promises.find(tx.reader, ident)
    promise = tx.session.get(Promise, found.id)
    assert promise is not None
    return promise


def _open(tx: Transaction, ident: str, action: str, now: datetime) -> Promise:
    """The promise, if it is open; else a refusal saying to reopen it first to do `action`."""
    promise = _promise(tx, ident)
    if promise.state != State.OPEN and promise.series_id is not None:
        from promisekeeper.series import keeping

        keeping.refuse_missed(tx, promise)
    if promise.state != State.OPEN:
        from promisekeeper.lang.vocabulary import state

        values = {"id": promise.id, "state": state(promise.state), "action": pgettext("first reopen to", action)}
        if promise.closed_at:
            # Translators: {state} is "kept" or "released", {ago} e.g. "5m ago", {action} e.g. "reschedule it".
            message = _("#{id} was already {state} {ago}; `pk reopen {id}` first to {action}")
            values["ago"] = timefmt.ago(promise.closed_at, now)
        else:
            message = _("#{id} was already {state}; `pk reopen {id}` first to {action}")
        raise BadInput(message.format(**values))
    return promise


def _require_reason(reason: str | None, command: str, example: str) -> str:
    given = text(reason, "reason")
    if not given:
        raise BadInput(_("{command} needs --reason TEXT, e.g. {example}").format(command=command, example=example))
    return given


def _require_ahead(due: datetime, now: datetime, *, first: bool) -> None:
    """Refuse a deadline that is not ahead (`first`: a new promise's, else a new one for it)."""
    if due <= now:
        span = timefmt.span(now - due)
        if first:
            raise BadInput(_("a new deadline must be ahead of now; it is {span} in the past").format(span=span))
        raise BadInput(_("the new deadline must be ahead of now; it is {span} in the past").format(span=span))


def _record(
    tx: Transaction, promise: Promise, now: datetime, payload: events.Payload, undoes: int | None = None
) -> Event:
    assert promise.id is not None
    entry = new_event(promise_id=promise.id, at=now, payload=payload, undoes=undoes, author=tx.author)
    tx.session.add(entry)
    tx.session.flush()
    return entry


# -- import ------------------------------------------------------------------------------------


def prepare_import(record: Incoming) -> Prepared:
    """An imported promise made ready to store, with its journal: the one it brought
    (replayed, `undone` links kept), or one made from what the file says."""
    from promisekeeper.db import bulk

    try:
        tags = normalize_tags(record.tags)
    except BadInput as error:
        raise BadInput(f"{record.place}: {error}" if record.place else str(error)) from None
    owner = record.owner or ownership.me()
    original = record.original_due_at or record.due_at
    if record.events:
        journal = _replayed(record)
    else:
        journal = _synthesized(record, tags=tags, owner=owner, original=original)
    # Every stored field the record carries, by the models' names: a column added to both
    # travels through without a change here.
    names, values = _carried()
    fields = dict(zip(names, values(record)))
    fields.update(uuid=record.uuid or str(uuidlib.uuid4()), tags=tags, owner=owner, original_due_at=original)
    return bulk.prepare(fields=fields, journal=journal,
                        series=(record.series.uuid, record.series.slot) if record.series else None)


@functools.cache
def _carried() -> tuple[tuple[str, ...], Callable[[Incoming], tuple[Any, ...]]]:
    """The stored fields an imported record carries (by the models' names), and a getter of
    their values in that order: worked out once, used for every promise of a file."""
    from dataclasses import fields
    from operator import attrgetter

    from promisekeeper.db import bulk
    from promisekeeper.exchange import Incoming

    carried = {field.name for field in fields(Incoming)}
    names = tuple(name for name in bulk.PROMISE_FIELDS if name in carried)
    return names, attrgetter(*names)


def _replayed(record: Incoming) -> list[NewEvent]:
    from promisekeeper.db.bulk import NewEvent

    position = {entry.id: index for index, entry in enumerate(record.events) if entry.id is not None}
    journal = []
    for index, entry in enumerate(record.events):
        target = None
        if entry.undoes is not None:
            target = position.get(entry.undoes)
            if target is None or target >= index:
                raise BadInput(_(
                    "{place}: event {id} undoes event {target}, which is not before it in the promise's journal"
                ).format(place=record.place or record.uuid or repr(record.what), id=entry.id, target=entry.undoes))
        journal.append(NewEvent(entry.at, entry.payload, entry.data, target))
    return journal


def _synthesized(record: Incoming, *, tags: list[str], owner: str | None, original: datetime) -> list[NewEvent]:
    """A plausible journal for a promise that arrives without one (CSV, Taskwarrior)."""
    from promisekeeper.db.bulk import NewEvent

    def entry(at: datetime, payload: events.Payload) -> NewEvent:
        return NewEvent(at, payload, payload.encode())

    created = events.Created(
        what=record.what, who=record.who, contact=record.contact, via=record.via, ref=record.ref,
        tags=tuple(tags), owner=owner, due_at=original, due_tz=record.due_tz,
    )
    journal = [entry(record.created_at, created)]
    journal += [entry(at, events.Noted(text=words)) for at, words in record.notes if words]
    closed, due = record.closed_at, record.due_at
    if record.state == State.KEPT and closed is not None:
        late_by = deadline.late_by_s(closed, due)
        journal.append(entry(closed, events.Kept(due_at=due, late_by_s=late_by)))
    elif record.state == State.RELEASED and closed is not None:
        journal.append(entry(closed, events.Released(reason="imported", after_deadline=deadline.is_late(closed, due))))
    return journal


def store_imported(
    tx: Transaction, staged: Staging, series: Sequence[CarriedSeries] = (),
) -> tuple[int, int]:
    """Store the staged promises whose uuid is new here, joining the series they are
    check-ins of (made here when new); returns (stored, already here)."""
    from promisekeeper.db import bulk

    present = bulk.present_uuids(tx, [uuid for uuid, _series, _slot in staged.members])
    moved = bulk.move(tx, staged)
    if staged.members:
        from promisekeeper.series import keeping

        bulk.join_series(tx, staged.members, keeping.imported(tx, series), present)
    return moved
