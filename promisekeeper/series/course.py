"""Where a series goes from a check-in: its next slot, and which check-ins are missed by now.

The one rule both sides follow: the change path (`keeping`) writes what it says, and the
reading commands and the prompt (`projected`) show it before anything is written. A check-in
still open past its deadline is missed from halfway to the next slot's time; the slots that
passed entirely meanwhile are missed too; the first slot whose halfway is still ahead is the
open one. Pure arithmetic: no database, standard library and the time language only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Protocol

from promisekeeper.series import rule as rules
from promisekeeper.series import slots
from promisekeeper.when.calendar import BusinessCalendar
from promisekeeper.when.zones import zone as named_zone

Slot = tuple[int, datetime]  # a slot's number and its moment


class SeriesLike(Protocol):
    """What the arithmetic needs of a series (the model on writes, the row on reads)."""

    @property
    def rule(self) -> str: ...
    @property
    def zone(self) -> str: ...
    @property
    def start_at(self) -> datetime: ...
    @property
    def first_slot(self) -> int: ...
    @property
    def until_at(self) -> datetime | None: ...
    @property
    def after_done(self) -> int: ...


@dataclass(frozen=True)
class Course:
    """What catching up an overdue check-in comes to at a moment.

    `missed`: the check-ins closed as missed, the overdue one first, then those opened for
    slots that passed entirely (empty: it stays open). `opened`: the slot open afterwards,
    None when the series reaches its end (`--until`). `closes_at`: when the check-in open
    afterwards is missed in turn, None when it is the series' last.
    """

    missed: tuple[Slot, ...]
    opened: Slot | None
    closes_at: datetime | None


def zone_of(name: str) -> tzinfo:
    return named_zone(name) or UTC


def schedule(series: SeriesLike, calendar: BusinessCalendar) -> slots.Schedule:
    return slots.Schedule(rules.parse(series.rule), zone_of(series.zone), series.start_at, calendar,
                          series.first_slot)


def beyond(series: SeriesLike, at: datetime) -> bool:
    """Whether `at` falls after the series' end: no check-in opens there."""
    return series.until_at is not None and at > series.until_at


def following(series: SeriesLike, plan: slots.Schedule, slot: int, at: datetime) -> datetime:
    """The moment of slot + 1 after a check-in opened for `slot` at `at`."""
    if series.after_done:
        return slots.after_done(plan.rule, kept_at=at, zone=plan.zone, calendar=plan.calendar)
    return plan.following(slot, at)


def next_slot(
    series: SeriesLike, plan: slots.Schedule, *, slot: int, due: datetime, original_due: datetime,
    kept_at: datetime | None,
) -> Slot:
    """The slot after a check-in (`slot`, its deadline as it stands and as first set): the
    first after its deadline (one moved past the next slot takes that slot's place); with
    `--after-done`, counted from the keep (or, for one missed, from its deadline)."""
    if series.after_done:
        reference = kept_at or due
        return slot + 1, slots.after_done(plan.rule, kept_at=reference, zone=plan.zone, calendar=plan.calendar)
    if slot < series.first_slot:  # the rule changed after it: the new rule's first slot
        n, at = series.first_slot, series.start_at
    else:
        n, at = slot + 1, plan.following(slot, original_due)
    while at <= due:
        at = plan.following(n, at)
        n += 1
    return n, at


def walk(series: SeriesLike, plan: slots.Schedule, *, slot: int, at: datetime, now: datetime) -> Course:
    """From slot `slot` at `at` on: each slot whose time has passed halfway to the one after
    it is missed; the first one not yet is the open one."""
    missed: list[Slot] = []
    while not beyond(series, at):
        after = following(series, plan, slot, at)
        if beyond(series, after):
            # the last check-in stays open, overdue, as any promise (as `course` leaves one
            # already open): one opened late is not missed on the way
            return Course(tuple(missed), (slot, at), None)
        closes_at = slots.halfway(at, after)
        if now < closes_at:
            return Course(tuple(missed), (slot, at), closes_at)
        missed.append((slot, at))
        slot, at = slot + 1, after
    return Course(tuple(missed), None, None)


def course(
    series: SeriesLike, plan: slots.Schedule, *, slot: int, due: datetime, original_due: datetime, now: datetime,
) -> Course:
    """Where an open check-in of a live series stands at `now`: still open (nothing missed;
    `closes_at` says until when), or missed with what follows it."""
    n, at = next_slot(series, plan, slot=slot, due=due, original_due=original_due, kept_at=None)
    if beyond(series, at):
        return Course((), (slot, due), None)  # the last check-in: it stays open, overdue, as any promise
    closes_at = slots.halfway(due, at)
    if now < closes_at:
        return Course((), (slot, due), closes_at)
    rest = walk(series, plan, slot=n, at=at, now=now)
    return Course(((slot, due), *rest.missed), rest.opened, rest.closes_at)
