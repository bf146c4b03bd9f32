"""A series in the ledger's transaction: start it, open the next check-in, catch up missed
ones, end it, resume it, and take back a check-in it opened.

Every function works in the caller's transaction and records its events there, so a
check-in is never closed without its successor (nor a successor opened twice: the schema's
unique index on open check-ins refuses a second). A check-in the series opens copies the
details of the one before it (what, who, both contacts, via, ticket, tags, owner, the customer's language and
clock), so an edit or a hand-off of the open check-in carries to those still to come.
"""

from __future__ import annotations

import uuid as uuidlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from promisekeeper import events
from promisekeeper.db import series_store
from promisekeeper.db.models import Event, Promise, Series, new_event
from promisekeeper.db.read_schedule import LIVE_CHECK_INS
from promisekeeper.errors import BadInput
from promisekeeper.kinds import Kind, State
from promisekeeper.lang.i18n import _
from promisekeeper.series import course as courses
from promisekeeper.series import rule as rules
from promisekeeper.series import slots

if TYPE_CHECKING:
    from promisekeeper.db.writing import Transaction
    from promisekeeper.series.carried import CarriedSeries
    from promisekeeper.when.calendar import BusinessCalendar

# Why a check-in was opened (the `after` of its `opened` event).
AFTER_KEPT = "kept"
AFTER_MISSED = "missed"
AFTER_SKIPPED = "skipped"
AFTER_RESUMED = "resumed"


@dataclass(frozen=True)
class Plan:
    """A new series, as `pk add --every` asks for it."""

    rule: rules.Rule
    zone: str
    until: datetime | None = None
    after_done: bool = False
    tell: bool | None = None  # --tell / --no-tell given with --every: each check-in's default


def schedule(series: Series, calendar: BusinessCalendar) -> slots.Schedule:
    return courses.schedule(series, calendar)


def start(tx: Transaction, *, now: datetime, first: Promise, plan: Plan) -> Series:
    """Make `first` (logged, in the session) the first check-in of a new series."""
    if plan.until is not None and plan.until < first.due_at:
        raise BadInput(_("--until is before the first check-in; give a later end, e.g. --until 'fri 17:00'"))
    series = Series(
        uuid=str(uuidlib.uuid4()), rule=plan.rule.text, zone=plan.zone, start_at=first.due_at,
        until_at=plan.until, after_done=int(plan.after_done), created_at=now,
        tell=None if plan.tell is None else int(plan.tell),
    )
    tx.session.add(series)
    tx.session.flush()
    first.series_id, first.series_slot = series.id, 0
    tx.session.flush()
    return series


def of(tx: Transaction, promise: Promise) -> Series | None:
    return None if promise.series_id is None else tx.session.get(Series, promise.series_id)


def is_live(series: Series | None) -> bool:
    return series is not None and series.ended_at is None


# -- the next check-in -------------------------------------------------------------------


def open_next(
    tx: Transaction, *, now: datetime, previous: Promise, after: str, calendar: BusinessCalendar,
) -> Promise | None:
    """Open the check-in after `previous` (just closed): the next slot, or with
    `--after-done` one counted from now. Slots that passed entirely meanwhile are recorded
    as missed; none is opened beyond the series' end (`--until`)."""
    series = of(tx, previous)
    if not is_live(series):
        return None
    assert series is not None and previous.series_slot is not None
    plan = schedule(series, calendar)
    slot, at = _next_slot(series, plan, previous, kept_at=now if after == AFTER_KEPT else None)
    return _open_from(tx, now=now, series=series, plan=plan, model=previous, slot=slot, at=at, after=after)


def _next_slot(
    series: Series, plan: slots.Schedule, previous: Promise, *, kept_at: datetime | None
) -> tuple[int, datetime]:
    assert previous.series_slot is not None
    return courses.next_slot(series, plan, slot=previous.series_slot, due=previous.due_at,
                             original_due=previous.original_due_at, kept_at=kept_at)


def _open_from(
    tx: Transaction, *, now: datetime, series: Series, plan: slots.Schedule, model: Promise, slot: int,
    at: datetime, after: str,
) -> Promise | None:
    """Open slot `slot` at `at`, first recording as missed each slot whose time has passed
    halfway to the one after it (`course.walk`)."""
    return _follow(tx, now=now, series=series, model=model, walked=courses.walk(series, plan, slot=slot, at=at, now=now),
                   after=after)


def _follow(
    tx: Transaction, *, now: datetime, series: Series, model: Promise, walked: courses.Course, after: str,
) -> Promise | None:
    """Write what a walk says: its missed slots, each opened and closed, then its open one."""
    for slot, at in walked.missed:
        model = _check_in(tx, now=now, series=series, model=model, slot=slot, at=at, after=after)
        _miss(tx, now=now, check_in=model)
        after = AFTER_MISSED
    if walked.opened is None:
        return None
    slot, at = walked.opened
    return _check_in(tx, now=now, series=series, model=model, slot=slot, at=at, after=after)


def _check_in(
    tx: Transaction, *, now: datetime, series: Series, model: Promise, slot: int, at: datetime, after: str,
) -> Promise:
    check_in = Promise(
        uuid=str(uuidlib.uuid4()), what=model.what, who=model.who, contact=model.contact, via=model.via,
        ref=model.ref, tags=list(model.tags), owner=model.owner, created_at=now, due_at=at, original_due_at=at,
        due_tz=model.due_tz, state=State.OPEN, series_id=series.id, series_slot=slot,
        contact2=model.contact2, language=model.language,
    )
    tx.session.add(check_in)
    tx.session.flush()
    payload = events.Opened(
        what=check_in.what, due_at=at, series=series.uuid, slot=slot, after=after, who=check_in.who,
        contact=check_in.contact, via=check_in.via, ref=check_in.ref, tags=tuple(check_in.tags),
        owner=check_in.owner, due_tz=check_in.due_tz, contact2=check_in.contact2, language=check_in.language,
    )
    _record(tx, check_in, now, payload)
    return check_in


def _miss(tx: Transaction, *, now: datetime, check_in: Promise) -> None:
    """Close a check-in as missed: released after its deadline, which counts as broken."""
    _record(tx, check_in, now, events.Missed(due_at=check_in.due_at))
    check_in.state, check_in.closed_at = State.RELEASED, max(now, check_in.due_at)
    tx.session.flush()


def _record(tx: Transaction, promise: Promise, now: datetime, payload: events.Payload, undoes: int | None = None) -> Event:
    assert promise.id is not None
    entry = new_event(promise_id=promise.id, at=now, payload=payload, undoes=undoes)
    tx.session.add(entry)
    tx.session.flush()
    return entry


def imported(tx: Transaction, incoming: Sequence[CarriedSeries]) -> dict[str, int]:
    """The ids of the series an import's check-ins belong to: those already here by uuid,
    the others made as the file describes them."""
    wanted = {each.uuid: each for each in incoming}
    found = series_store.ids_by_uuid(tx, wanted)
    for uuid, each in wanted.items():
        if uuid in found:
            continue
        series = Series(uuid=uuid, rule=each.rule, zone=each.zone, start_at=each.start_at, first_slot=each.first_slot,
                        until_at=each.until_at, after_done=int(each.after_done), created_at=each.created_at,
                        ended_at=each.ended_at, tell=None if each.tell is None else int(each.tell))
        tx.session.add(series)
        tx.session.flush()
        assert series.id is not None
        found[uuid] = series.id
    return found


# -- catching up ---------------------------------------------------------------------------


def catch_up(tx: Transaction, *, now: datetime, calendar: Callable[[], BusinessCalendar]) -> int:
    """Close each open check-in whose time has passed halfway to its next slot as missed,
    and open the next; returns how many were closed. `calendar` is asked for only when
    some check-in is overdue."""
    overdue = tx.reader.all(
        f"SELECT p.id {LIVE_CHECK_INS} AND p.due_at < :now ORDER BY p.id",
        {"now": int(now.timestamp())},
    )
    closed = 0
    for (ident,) in overdue:
        check_in = tx.session.get(Promise, ident)
        series = tx.session.get(Series, check_in.series_id) if check_in is not None else None
        if check_in is None or series is None or check_in.series_slot is None:
            continue
        found = courses.course(series, schedule(series, calendar()), slot=check_in.series_slot,
                               due=check_in.due_at, original_due=check_in.original_due_at, now=now)
        if not found.missed:
            continue
        _miss(tx, now=now, check_in=check_in)
        rest = courses.Course(found.missed[1:], found.opened, found.closes_at)
        _follow(tx, now=now, series=series, model=check_in, walked=rest, after=AFTER_MISSED)
        closed += 1
    return closed


# -- ending, resuming, taking back ------------------------------------------------------------


def end(tx: Transaction, *, now: datetime, check_in: Promise, how: str) -> Series | None:
    """End the series of a check-in just closed (`how`: final, cancel); None if it has none."""
    series = of(tx, check_in)
    if not is_live(series):
        return None
    assert series is not None
    series.ended_at = now
    _record(tx, check_in, now, events.Ended(series=series.uuid, how=how))
    return series


def resume(tx: Transaction, *, now: datetime, check_in: Promise, calendar: BusinessCalendar) -> Promise | None:
    """Undo of an end: the series goes on from its next slot still ahead (slots that passed
    while it was ended are not invented)."""
    series = of(tx, check_in)
    if series is None:
        return None
    series.ended_at = None
    tx.session.flush()
    if series_store.open_check_in(tx, series) is not None:
        return None  # a check-in of it was reopened meanwhile: that one is its open one
    plan = schedule(series, calendar)
    latest = series_store.latest_check_in(tx, series)
    slot, at = _next_slot(series, plan, latest, kept_at=None)
    while at <= now:
        at = courses.following(series, plan, slot, at)
        slot += 1
    if series.until_at is not None and at > series.until_at:
        return None
    return _check_in(tx, now=now, series=series, model=latest, slot=slot, at=at, after=AFTER_RESUMED)




def withdraw_successor(tx: Transaction, *, now: datetime, check_in: Promise) -> Promise | None:
    """Before a closed check-in is reopened by an undo: take back the check-in its closing
    opened, when nothing has been recorded on that one; else refuse, saying why."""
    series = of(tx, check_in)
    if series is None:
        return None
    successor = series_store.open_check_in(tx, series)
    if successor is None or successor.id == check_in.id:
        return None
    assert successor.id is not None
    recorded = tx.reader.all(
        "SELECT e.id, e.kind FROM event AS e WHERE e.promise_id = :promise AND e.kind <> :reminded"
        " AND e.id NOT IN (SELECT u.undoes FROM event AS u WHERE u.undoes IS NOT NULL) ORDER BY e.id",
        {"promise": successor.id, "reminded": str(Kind.REMINDED)},
    )
    between = tx.reader.value(
        "SELECT count(*) FROM promise WHERE series_id = :series AND id > :closed AND id < :successor",
        {"series": series.id, "closed": check_in.id, "successor": successor.id},
    )
    if between or [kind for _id, kind in recorded] != [str(Kind.OPENED)]:
        raise BadInput(_(
            "#{successor}, the check-in that followed #{id}, has been open on its own since "
            "(something was recorded on it, or a check-in was missed between them); "
            "`pk cancel {successor} --reason TEXT` first if it should go"
        ).format(successor=successor.id, id=check_in.id))
    opened_id = recorded[0][0]
    _record(tx, successor, now, events.Undone(undid=Kind.OPENED, target_at=now, restored={"state": "released"}),
            undoes=opened_id)
    successor.state, successor.closed_at = State.RELEASED, now
    tx.session.flush()
    return successor


def change_rule(
    tx: Transaction, *, now: datetime, series: Series, rule: rules.Rule, calendar: BusinessCalendar,
) -> None:
    """A new rule for the check-ins still to come: it counts from its first slot after the
    open check-in's deadline (or now), numbered on from the open one."""
    current = series_store.open_check_in(tx, series) or series_store.latest_check_in(tx, series)
    assert current.series_slot is not None
    zone = rule.zone or series.zone
    start = slots.first_after(rule, after=max(now, current.due_at), zone=courses.zone_of(zone), calendar=calendar)
    series.rule, series.zone, series.start_at = rule.text, zone, start
    series.first_slot = current.series_slot + 1
    tx.session.flush()


def refuse_missed(tx: Transaction, check_in: Promise) -> None:
    """A missed check-in is closed for good (it counts as broken): say so, and which one is open."""
    missed = tx.reader.value(
        "SELECT count(*) FROM event WHERE promise_id = :promise AND kind = :missed", {"promise": check_in.id,
                                                                                     "missed": str(Kind.MISSED)})
    if not missed:
        return
    series = of(tx, check_in)
    current = series_store.open_check_in(tx, series) if series is not None else None
    if current is None:
        raise BadInput(_("#{id} was missed: its time passed halfway to the next check-in, so it counts as broken")
                       .format(id=check_in.id))
    raise BadInput(_(
        "#{id} was missed: its time passed halfway to the next check-in, so it counts as broken; "
        "the series' open check-in is #{open}"
    ).format(id=check_in.id, open=current.id))


def refuse_reopen(tx: Transaction, check_in: Promise) -> None:
    """A closed check-in comes back only while its series has no other open one."""
    series = of(tx, check_in)
    if series is None:
        return
    current = series_store.open_check_in(tx, series)
    if current is not None and current.id != check_in.id:
        raise BadInput(_(
            "#{id} is a check-in of a series whose next check-in, #{open}, is open; "
            "keep or cancel #{open} first"
        ).format(id=check_in.id, open=current.id))
