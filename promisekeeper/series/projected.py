"""What the next change will write for the series' overdue check-ins, read without writing.

A missed check-in is closed, and its successor opened, by the next change or `pk remind`
(`keeping.catch_up`); until one runs, the reading commands and the prompt show that state
from the same rule (`course`), through plain DB-API: no write, no lock, no SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from promisekeeper.db.read_schedule import LIVE_CHECK_INS
from promisekeeper.db.read_series import SERIES_COLUMNS, SeriesRow
from promisekeeper.series import course as courses
from promisekeeper.series.slots import NoSlot
from promisekeeper.when.clock import from_epoch
from promisekeeper.when.deadline import is_late

if TYPE_CHECKING:
    from promisekeeper.db.reader import Reader
    from promisekeeper.when.calendar import BusinessCalendar

_OVERDUE = (
    f"SELECT p.id, p.series_slot, p.due_at, p.original_due_at, {SERIES_COLUMNS}"
    f" {LIVE_CHECK_INS} AND p.due_at < :now ORDER BY p.id"
)


@dataclass(frozen=True)
class Pending:
    """An overdue check-in as the next change leaves it: `course.missed` empty means it
    stays open (until `course.closes_at`)."""

    check_in: int
    series: SeriesRow
    course: courses.Course

    @property
    def missed(self) -> bool:
        return bool(self.course.missed)

    @property
    def next_due(self) -> datetime | None:
        """The deadline of the check-in open afterwards (None: the series reaches its end)."""
        return None if self.course.opened is None else self.course.opened[1]

    def broken_to_come(self, now: datetime) -> tuple[datetime, ...]:
        """The deadlines of the check-ins the next change opens that count as broken at once:
        each slot that passed entirely (opened and closed as missed), then the successor if
        its deadline is already behind (it stays open, overdue). The missed check-in itself
        is not among them: open past its deadline, it already counts as broken."""
        whole = tuple(at for _slot, at in self.course.missed[1:])
        due = self.next_due
        return (*whole, due) if due is not None and is_late(now, due) else whole


def pending(reader: Reader, *, now: datetime, calendar: Callable[[], BusinessCalendar]) -> dict[int, Pending]:
    """Each live series' open check-in past its deadline at `now`, by its id, with what the
    next change makes of it. `calendar` is asked for only when there is one."""
    rows = reader.all(_OVERDUE, {"now": int(now.timestamp())})
    found: dict[int, Pending] = {}
    for row in rows:
        ident, slot, due, original = row[:4]
        series = SeriesRow.of(row[4:])
        try:
            course = courses.course(series, courses.schedule(series, calendar()), slot=int(slot),
                                    due=from_epoch(due), original_due=from_epoch(original), now=now)
        except (NoSlot, ValueError, ArithmeticError):
            continue  # as catching up does: a rule that cannot be followed leaves the check-in open
        found[int(ident)] = Pending(int(ident), series, course)
    return found


def missed(reader: Reader, *, now: datetime, calendar: Callable[[], BusinessCalendar]) -> dict[int, Pending]:
    """Only those the next change closes as missed."""
    return {ident: each for ident, each in pending(reader, now=now, calendar=calendar).items() if each.missed}
