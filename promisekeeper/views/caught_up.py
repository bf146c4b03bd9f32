"""The reading commands' (and the briefing's) view of the series' missed check-ins: what the next change will
write (`series.projected`), shown now without writing.

A check-in past halfway to its next slot reads as missed; the series' next check-in takes
its place in the lists, with its deadline, marked as opening at the next change (it has no
number yet). Series code is imported only when some live series' check-in is overdue.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from promisekeeper.db.rows import PromiseRow
from promisekeeper.series import catchup

if TYPE_CHECKING:
    from promisekeeper.db.read_promises import Agenda, Bounds
    from promisekeeper.db.read_series import Listed, Record
    from promisekeeper.series.projected import Pending


# The open check-ins the next change closes as missed, by id: the views ask it as the
# series' own statistics do.
missed = catchup.missed


def replaced(promise: PromiseRow, pending: Pending) -> PromiseRow | None:
    """A missed check-in's row as its successor: the series' next deadline (None when the
    series reaches its end instead)."""
    due = pending.next_due
    return None if due is None else promise._replace(due_at=due, original_due_at=due)


def rows(found: Sequence[PromiseRow], caught: dict[int, Pending], *, bounds: Bounds | None = None) -> list[PromiseRow]:
    """Open promises with each missed check-in replaced by its successor, in deadline order;
    `bounds` (a list's deadline bounds) apply to the successors' deadlines too."""
    if not caught:
        return list(found)
    shown = []
    for promise in found:
        if promise.id in caught:
            successor = replaced(promise, caught[promise.id])
            if successor is None or (bounds is not None and not _within(successor.due_at, bounds)):
                continue
            promise = successor
        shown.append(promise)
    return sorted(shown, key=lambda promise: (promise.due_at, promise.id))


def closed_and_next(found: Sequence[PromiseRow], caught: dict[int, Pending], *, now: datetime) -> list[PromiseRow]:
    """Every promise (`pk list --all`): each missed check-in as the next change closes it
    (released, after its deadline: broken), with its successor beside it."""
    if not caught:
        return list(found)
    from promisekeeper.kinds import State

    shown = []
    for promise in found:
        if promise.id in caught and promise.state == State.OPEN:
            successor = replaced(promise, caught[promise.id])
            if successor is not None:
                shown.append(successor)
            promise = promise._replace(state=State.RELEASED, closed_at=max(now, promise.due_at))
        shown.append(promise)
    return sorted(shown, key=lambda promise: (promise.due_at, promise.id))


def marked_json(document: dict[str, Any], pending: Pending | None) -> dict[str, Any]:
    """A promise's JSON, saying when the next change closes it as missed and when the
    series' next check-in is due (it opens then, with a number of its own)."""
    if pending is not None and document.get("state") == "open":
        from promisekeeper.when import timefmt

        document["caught_up"] = {"missed": True, "next_due": timefmt.iso(pending.next_due)}
    return document


def _within(due: datetime, bounds: Bounds) -> bool:
    return ((bounds.before is None or due < bounds.before) and (bounds.until is None or due <= bounds.until)
            and (bounds.since is None or due >= bounds.since) and (bounds.after is None or due > bounds.after))


def agenda(
    plan: Agenda, caught: dict[int, Pending], *, now: datetime, day_end: datetime, upcoming: int = 5,
) -> Agenda:
    """The agenda with each missed check-in's successor in the group its deadline falls in
    (`upcoming`: how many after today it lists, as `read_promises.agenda`)."""
    if not caught or not any(promise.id in caught for promise in plan.shown):
        return plan
    from promisekeeper import windows

    overdue: list[PromiseRow] = []
    today: list[PromiseRow] = []
    after: list[PromiseRow] = []
    for promise in rows(plan.shown, caught):
        due = int(promise.due_at.timestamp())
        if windows.is_overdue(due, int(now.timestamp())):
            overdue.append(promise)
        elif promise.due_at <= day_end:
            today.append(promise)
        else:
            after.append(promise)
    return plan._replace(overdue=overdue, today=today, upcoming=after[:upcoming],
                         later=plan.later + max(0, len(after) - upcoming))


def listing(
    found: list[Listed], records: dict[int, Record], caught: dict[int, Pending], *, now: datetime, live_only: bool,
) -> tuple[list[Listed], dict[int, Record]]:
    """`pk list --series` once the next change has caught the series up: each missed open
    check-in's deadline becomes its successor's (the id stays, to say which it replaces);
    a series that reaches its end instead is no longer live."""
    if not caught:
        return found, records
    shown, records = [], dict(records)
    for entry in found:
        pending = caught.get(entry.open_id) if entry.open_id is not None else None
        if pending is not None:
            records[entry.series.id] = record(records[entry.series.id], pending, now=now)
            if pending.next_due is None:
                if live_only:
                    continue
                entry = entry._replace(open_id=None, open_due=None)
            else:
                entry = entry._replace(open_due=pending.next_due)
        shown.append(entry)
    return shown, records


def record(base: Record, pending: Pending, *, now: datetime) -> Record:
    """A series' record once the next change has caught it up: the slots that passed
    meanwhile count as broken too (the overdue check-in already does), and so does its
    successor if that one is already past its deadline."""
    extra = len(pending.course.missed) - 1
    if pending.next_due is not None and pending.next_due < now:
        extra += 1
    return base._replace(broken=base.broken + extra)
