"""Parts of the day as deadlines: where "this morning", "after lunch", "tonight" end.

A promise made for a part of the day is due at its end, the latest moment it is still kept.
The ends are clock times a team sets (`day.*`), the same on any day, except the afternoon,
which ends with that day's business hours (17:00 on a day the business is closed), and
"first thing", an hour after business opens unless set. "Later today" is not a part with an
end of its own: the time language takes the end of business, or the evening's end after it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Protocol

# The parts the time language names, each with the setting that says where it ends.
PARTS = ("first_thing", "morning", "lunch", "afternoon", "evening")
# Parts that settle a half-said hour: "this afternoon at half past 3" is 15:30.
AFTER_NOON = frozenset(("lunch", "afternoon", "evening"))
CLOSED_DAY_AFTERNOON = time(17)


class Settings(Protocol):
    def get(self, key: str) -> Any: ...


@dataclass(frozen=True)
class DayParts:
    """Where each part of the day ends; None follows business hours (see the module)."""

    morning: time = time(12)
    lunch: time = time(12)
    afternoon: time | None = None
    evening: time = time(20)
    first_thing: time | None = None

    @classmethod
    def from_config(cls, config: Settings) -> DayParts:
        """The ends the `day.*` settings give; an empty setting follows business hours."""

        def clock(key: str) -> time | None:
            value = str(config.get(f"day.{key}") or "")
            return time.fromisoformat(value) if value else None

        return cls(
            morning=clock("morning") or time(12),
            lunch=clock("lunch") or time(12),
            afternoon=clock("afternoon"),
            evening=clock("evening") or time(20),
            first_thing=clock("first_thing"),
        )

    def end(self, part: str, day: date, *, start: time, end: time, open_day: bool) -> datetime:
        """The wall time `part` of `day` ends, given that day's business hours."""
        if part == "afternoon":
            if self.afternoon is not None:
                return datetime.combine(day, self.afternoon)
            return datetime.combine(day, end if open_day else CLOSED_DAY_AFTERNOON)
        if part == "first_thing":
            if self.first_thing is not None:
                return datetime.combine(day, self.first_thing)
            return datetime.combine(day, start) + timedelta(hours=1)
        ends: dict[str, time] = {"morning": self.morning, "lunch": self.lunch, "evening": self.evening}
        return datetime.combine(day, ends[part])
