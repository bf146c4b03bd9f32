"""The prompt schedule's moments where a series closes a missed check-in and opens the next.

Until a change or `pk remind` writes it, the prompt counts what the next change will leave
(`series.course`, the rule the change path follows): from halfway to its next slot a missed
check-in is no longer overdue and its successor's deadline counts instead. Imported only
when some live series' check-in is past its deadline.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from promisekeeper.db.read_schedule import Deadline, Deadlines
from promisekeeper.db.read_series import SeriesRow
from promisekeeper.series import course as courses
from promisekeeper.series.slots import NoSlot
from promisekeeper.when.calendar import BusinessCalendar
from promisekeeper.when.clock import from_epoch

# A stretch of the schedule: from this moment on, these deadlines.
Piece = tuple[int, Deadlines]
# A change to the deadlines at a moment: this one closes, this one (if any) opens.
Change = tuple[int, Deadline, Deadline | None]


def pieces(now: int, until: int, deadlines: Deadlines, calendar: Callable[[], BusinessCalendar]) -> list[Piece]:
    """The deadlines from `now`, then from each moment in (now, until) where a series
    closes a missed check-in and opens the next, as the next change would."""
    changes = sorted(
        (change for row in deadlines.check_ins for change in _changes(row, now, until, calendar)),
        key=lambda change: change[0],
    )
    found: list[Piece] = []
    current = deadlines
    for at, closed, opened in changes:
        current = _apply(current, closed, opened, base=now)
        if found and found[-1][0] == at:
            found[-1] = (at, current)
        else:
            found.append((at, current))
    if not found or found[0][0] > now:
        found.insert(0, (now, deadlines))
    return found


def _changes(row: tuple[Any, ...], now: int, until: int, calendar: Callable[[], BusinessCalendar]) -> list[Change]:
    ident, slot, due, original, who = row[:5]
    series = SeriesRow.of(row[5:])
    try:
        plan = courses.schedule(series, calendar())
    except (NoSlot, ValueError):
        return []
    found: list[Change] = []
    current: Deadline = (int(due), int(ident), who)
    slot, original_due, moment = int(slot), from_epoch(original), from_epoch(now)
    while len(found) < 64:
        try:
            course = courses.course(series, plan, slot=slot, due=from_epoch(current[0]), original_due=original_due,
                                    now=moment)
        except (NoSlot, ValueError, ArithmeticError):
            break
        if course.missed:
            opened = None if course.opened is None else (_epoch(course.opened[1]), int(ident), who)
            found.append((_epoch(moment), current, opened))
            if course.opened is None or opened is None:
                break
            slot, current = course.opened[0], opened
            original_due = course.opened[1]
        if course.closes_at is None or _epoch(course.closes_at) >= until:
            break
        moment = max(course.closes_at, moment)
    return found


def _epoch(at: datetime) -> int:
    # the moment a check-in is missed may fall inside a second; the schedule counts whole ones
    return int(at.timestamp()) + (at.timestamp() % 1 > 0)


def _apply(deadlines: Deadlines, closed: Deadline, opened: Deadline | None, *, base: int) -> Deadlines:
    """The deadlines once `closed` is no longer open and `opened` is."""
    from promisekeeper import windows

    upcoming = list(deadlines.upcoming)
    overdue = deadlines.overdue
    if closed in upcoming:
        upcoming.remove(closed)
    elif windows.is_overdue(closed[0], base):
        overdue -= 1
    beyond = deadlines.beyond
    if opened is not None:
        if beyond is not None and opened[0] >= beyond[0]:
            beyond = min(beyond, opened)
        else:
            upcoming = sorted([*upcoming, opened], key=lambda deadline: (deadline[0], deadline[1]))
    return Deadlines(overdue, upcoming, beyond)
