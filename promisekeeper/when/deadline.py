"""On time or late: the one boundary between a moment and a deadline.

A deadline is shown to the minute ("11:31"), and what a view shows is what is judged: a
promise kept any time in its deadline's minute is kept on time. So *on time* means before
the end of the deadline's minute, and lateness counts from that end. Every comparison of a
moment against a deadline asks here: `pk done`'s verdict, a reschedule or cancel after the
deadline, reminders, `pk stats` (through `late_sql`), the windows' "overdue" and the prompt.

No imports at all: the prompt's fast path uses it.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs ~3 ms to import; checkers treat this as true
if TYPE_CHECKING:
    from datetime import datetime, timedelta

MINUTE_S = 60


def end_s(due: int) -> int:
    """The end of the deadline's minute (epoch seconds): from this second on it is late."""
    return due - due % MINUTE_S + MINUTE_S


def is_late_s(moment: int, due: int) -> bool:
    return moment >= end_s(due)


def overdue_before(now: int) -> int:
    """Open promises due before this (the start of now's minute) are overdue at `now`.

    The same as `is_late_s(now, due)`, as a bound an index can use: a deadline earlier than
    the minute now is in has its whole minute behind it.
    """
    return now - now % MINUTE_S


def end(due: datetime) -> datetime:
    """The end of the deadline's minute: kept before it is on time."""
    from datetime import timedelta

    return due - timedelta(seconds=due.second, microseconds=due.microsecond) + timedelta(seconds=MINUTE_S)


def is_late(moment: datetime, due: datetime) -> bool:
    return moment >= end(due)


def lateness(moment: datetime, due: datetime) -> timedelta | None:
    """How late a moment is for the deadline, counted from the end of its minute, or None
    when it is on time. At least a second: the second at the end is already late."""
    from datetime import timedelta

    over = moment - end(due)
    return max(over, timedelta(seconds=1)) if over.total_seconds() >= 0 else None


def late_by_s(moment: datetime, due: datetime) -> int:
    """Whole seconds late, as the journal records it: 0 on time."""
    over = lateness(moment, due)
    return 0 if over is None else int(over.total_seconds())


def end_sql(due: str) -> str:
    """SQL for `end_s` over an epoch-seconds column (whole-number division on both engines;
    no `%`, which the PostgreSQL driver reads as a placeholder)."""
    return f"(({due} / {MINUTE_S}) * {MINUTE_S} + {MINUTE_S})"


def late_sql(moment: str, due: str) -> str:
    """SQL for `is_late_s`."""
    return f"({moment} >= {end_sql(due)})"
