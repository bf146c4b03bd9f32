"""What "overdue", "due today" and "next" mean: decided here, used by every view.

An open promise is **overdue** once its deadline's minute has passed
(`when.deadline`: the one boundary between on time and late); **due today** from then up to the next local midnight, midnight included (a promise due "by midnight" is
due today); after that it is **next**. The agenda, `pk list`, the prompt schedule,
`pk remind` and `pk brief` all ask here, in SQL (`*_SQL`, with `:overdue_before` and
`:day_end` in epoch seconds) or in Python. Standard library only, and cheap to import (no dataclasses): the
prompt's schedule is built from these definitions too.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from promisekeeper.when import deadline
from promisekeeper.when.clock import epoch, from_epoch, local_midnight

OVERDUE_SQL = "p.due_at < :overdue_before"  # deadline.overdue_before(now)
AHEAD_SQL = "p.due_at >= :overdue_before"  # not overdue (today or next), as a bound an index can use
TODAY_SQL = f"{AHEAD_SQL} AND p.due_at <= :day_end"
NEXT_SQL = "p.due_at > :day_end"


def is_overdue(due: int, now: int) -> bool:
    return deadline.is_late_s(now, due)


def is_due_today(due: int, now: int, day_end: int) -> bool:
    return not is_overdue(due, now) and due <= day_end


def overdue_before(now: datetime) -> datetime:
    """Open promises due before this are overdue at `now` (`deadline.overdue_before`)."""
    return from_epoch(deadline.overdue_before(epoch(now)))


def local_day_end(now: datetime, zone: tzinfo) -> datetime:
    """The next local midnight after now, as aware UTC: "today" runs up to it, inclusive."""
    return local_midnight(now.astimezone(zone).date() + timedelta(days=1), zone)


class Windows:
    """The windows as of one moment in one zone."""

    __slots__ = ("day_end", "now")

    def __init__(self, now: datetime, day_end: datetime) -> None:
        self.now = now
        self.day_end = day_end

    @classmethod
    def at(cls, now: datetime, zone: tzinfo) -> Windows:
        return cls(now, local_day_end(now, zone))

    @property
    def params(self) -> dict[str, int]:
        now = epoch(self.now)
        return {"now": now, "overdue_before": deadline.overdue_before(now), "day_end": epoch(self.day_end)}

    def standing(self, due: datetime) -> str:
        """ "overdue", "today" or "next" for an open promise due then."""
        if deadline.is_late(self.now, due):
            return "overdue"
        if due <= self.day_end:
            return "today"
        return "next"

