"""How moments and distances read to a person: "Tue 24 Nov 10:00", "in 10h", "2h 05m late".

Standard library only, and English month and day names whatever the locale, so the
plain output stays stable for scripts and mail.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo

# Within this of a deadline it reads "due now" rather than "in 1m" or "1m late".
DUE_NOW = timedelta(seconds=30)
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


_labels: dict[tuple[date, bool], str] = {}  # a long list names the same few days again and again


def day_label(day: date, *, year: bool = False) -> str:
    """ "Fri 27 Nov" (with the year when asked)."""
    label = _labels.get((day, year))
    if label is None:
        label = f"{_DAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]}"
        label = _labels[day, year] = f"{label} {day.year}" if year else label
    return label


def moment(at: datetime, zone: tzinfo, *, now: datetime | None = None) -> str:
    """ "Tue 24 Nov 10:00" in the zone; the year is added when it is not the current one."""
    local = at.astimezone(zone)
    show_year = now is not None and local.year != now.astimezone(zone).year
    return f"{day_label(local.date(), year=show_year)} {local.hour:02d}:{local.minute:02d}"


def clock(at: datetime, zone: tzinfo) -> str:
    """ "16:00" in the zone."""
    return f"{at.astimezone(zone):%H:%M}"


def span(delta: timedelta) -> str:
    """A compact, unsigned length of time: "35m", "2h 05m", "10h", "3d 4h", "12d".

    Rounded to the nearest minute, so a deadline set "in 2h" a few seconds ago still reads 2h.
    """
    minutes = int((abs(delta).total_seconds() + 30) // 60)
    if minutes == 0 and delta:
        return "<1m"
    if minutes < 60:
        return f"{minutes}m"
    hours, minutes = divmod(minutes, 60)
    if hours < 10:
        return f"{hours}h {minutes:02d}m" if minutes else f"{hours}h"
    if hours < 48:
        return f"{hours}h"
    days, hours = divmod(hours, 24)
    if days < 7 and hours:
        return f"{days}d {hours}h"
    return f"{days}d"


def span_seconds(seconds: float) -> str:
    return span(timedelta(seconds=seconds))


def _relative(at: datetime, now: datetime, *, present: str, past: str) -> str:
    delta = at - now
    if abs(delta) < DUE_NOW:
        return present
    if delta > timedelta(0):
        return f"in {span(delta)}"
    return f"{span(delta)} {past}"


def distance(at: datetime, now: datetime) -> str:
    """Where a deadline stands from now: "in 10h", "due now", "2h 05m late"."""
    return _relative(at, now, present="due now", past="late")


def ago(at: datetime, now: datetime) -> str:
    """How long ago something happened: "5m ago", "just now", "in 2h" for the future."""
    return _relative(at, now, present="just now", past="ago")


def iso(at: datetime | None) -> str | None:
    """ISO 8601 with an offset, for JSON: "2026-11-24T09:00:00+00:00"."""
    return at.isoformat() if at is not None else None


def customer_clock(at: datetime, zone: tzinfo, due_tz: str | None) -> str | None:
    """The deadline on the customer's clock, when it reads differently from the local one.

    "16:00 Europe/Rome", or "Wed 25 Nov 01:00 Asia/Tokyo" when the date differs too.
    """
    if not due_tz:
        return None
    from promisekeeper.zones import zone as named_zone

    their_zone = named_zone(due_tz)
    if their_zone is None:
        return None
    theirs = at.astimezone(their_zone)
    ours = at.astimezone(zone)
    if theirs.replace(tzinfo=None) == ours.replace(tzinfo=None):
        return None
    if theirs.date() == ours.date():
        return f"{theirs:%H:%M} {due_tz}"
    return f"{day_label(theirs.date())} {theirs:%H:%M} {due_tz}"
