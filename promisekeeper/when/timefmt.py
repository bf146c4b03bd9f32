"""How moments and distances read to a person: "Tue 24 Nov 10:00", "in 10h", "2h 05m late".

In the active language (see i18n): English as written here; Italian, Hungarian and
Swedish day and month names and their order from CLDR ("ven 27 nov", "nov. 27., P",
"fre 27 nov."), through a table generated from Babel (timefmt_cldr), and the words around
lengths of time ("tra 2 h", "3 nap késés", "2 h sen") through the catalogues. Standard
library only. The locale's own settings (LC_TIME) are never read.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, tzinfo
from functools import cache
from typing import Any

from promisekeeper.lang.i18n import _, active, ngettext, pgettext

# Within this of a deadline it reads "due now" rather than "in 1m" or "1m late".
DUE_NOW = timedelta(seconds=30)
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


_labels: dict[tuple[date, bool, str], str] = {}  # a long list names the same few days again and again


def day_label(day: date, *, year: bool = False) -> str:
    """ "Fri 27 Nov" (with the year when asked); "ven 27 nov", "nov. 27., P", "fre 27 nov."."""
    language = active()
    label = _labels.get((day, year, language))
    if label is None:
        if language != "en":
            label = _cldr(day.year, day.month, day.day, "yMMMEd" if year else "MMMEd")
        else:
            label = f"{_DAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]}"
            label = f"{label} {day.year}" if year else label
        _labels[day, year, language] = label
    return label


def day_month(day: int, month: int, year: int | None = None) -> str:
    """ "24 Dec", "24 Dec 2026"; "24 dic 2026", "2026. dec. 24.", "24 dec. 2026"."""
    if active() != "en":
        return _cldr(year or 2000, month, day, "yMMMd" if year else "MMMd")
    label = f"{day} {_MONTHS[month - 1]}"
    return f"{label} {year}" if year else label


def month_name(month: int, year: int | None = None) -> str:
    """A month as a sentence names it: "Dec", "Feb 2026"; "febbraio 2026", "2026. február"."""
    if active() != "en":
        if year is None:
            return str(_table()["months_wide"][month - 1])
        return _cldr(year, month, 1, "yMMMM")
    return f"{_MONTHS[month - 1]} {year}" if year else _MONTHS[month - 1]


# A CLDR date pattern's fields: weekday (E), day (d), month (M, L), year (y), quoted text.
_FIELD = re.compile(r"E+|d+|[ML]+|y+|'[^']*'|[^EdMLy']+")


@cache
def _pattern(language: str, skeleton: str) -> tuple[str, ...]:
    from promisekeeper.lang.cldr import TABLES

    return tuple(_FIELD.findall(TABLES[language]["patterns"][skeleton]))


def _table() -> dict[str, Any]:
    from promisekeeper.lang.cldr import TABLES

    return TABLES[active()]


def _cldr(year: int, month: int, day: int, skeleton: str) -> str:
    """A date in the active language by the pattern CLDR gives its skeleton."""
    table = _table()
    names: dict[str, str] = {
        "E": table["days"][date(year, month, day).weekday()],
        "M": table["months"][month - 1],
        "W": table["months_wide"][month - 1],
    }
    parts = []
    for field in _pattern(active(), skeleton):
        head = field[0]
        if head == "E":
            parts.append(names["E"])
        elif head == "d":
            parts.append(f"{day:0{len(field)}d}")
        elif head in "ML":
            parts.append(names["W"] if len(field) >= 4 else names["M"])
        elif head == "y":
            parts.append(str(year))
        elif head == "'":
            parts.append(field[1:-1] or "'")
        else:
            parts.append(field)
    return "".join(parts)


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
        return pgettext("length of time", "<1m")
    if minutes < 60:
        return pgettext("length of time", "{minutes}m").format(minutes=minutes)
    hours, minutes = divmod(minutes, 60)
    if hours < 10 and minutes:
        return pgettext("length of time", "{hours}h {minutes:02d}m").format(
            hours=hours, minutes=minutes
        )
    if hours < 48:
        return pgettext("length of time", "{hours}h").format(hours=hours)
    days, hours = divmod(hours, 24)
    if days < 7 and hours:
        return ngettext("{days}d {hours}h", "{days}d {hours}h", days).format(
            days=days, hours=hours
        )
    return ngettext("{days}d", "{days}d", days).format(days=days)


def span_seconds(seconds: float) -> str:
    return span(timedelta(seconds=seconds))


def _ahead(at: datetime, now: datetime) -> str | None:
    """ "in 2h" when `at` is more than a moment ahead; None when it is now or past.

    Whole minutes ahead, the seconds dropped: a deadline "in 2h" rounds up to the next whole
    minute, and should not read "in 2h 01m" for the part of a minute that added."""
    delta = at - now
    if delta >= DUE_NOW:
        whole = timedelta(minutes=int(delta.total_seconds() // 60))
        return _("in {span}").format(span=span(whole or delta))
    return None


def distance(at: datetime, now: datetime) -> str:
    """Where a deadline stands from now: "in 10h", "due now", "2h 05m late".

    Late from the end of the deadline's minute, and by how much from there (`deadline`)."""
    from promisekeeper.when import deadline

    ahead = _ahead(at, now)
    if ahead is not None:
        return ahead
    late = deadline.lateness(now, at)
    if late is None:
        return _("due now")
    return _("{span} late").format(span=span(late))


def ago(at: datetime, now: datetime) -> str:
    """How long ago something happened: "5m ago", "just now", "in 2h" for the future."""
    ahead = _ahead(at, now)
    if ahead is not None:
        return ahead
    if now - at < DUE_NOW:
        return _("just now")
    return _("{span} ago").format(span=span(at - now))


def iso(at: datetime | None) -> str | None:
    """ISO 8601 with an offset, for JSON: "2026-11-24T09:00:00+00:00"."""
    return at.isoformat() if at is not None else None


def customer_clock(at: datetime, zone: tzinfo, due_tz: str | None) -> str | None:
    """The deadline on the customer's clock, when it reads differently from the local one.

    "16:00 Europe/Rome", or "Wed 25 Nov 01:00 Asia/Tokyo" when the date differs too.
    """
    if not due_tz:
        return None
    from promisekeeper.when.zones import zone as named_zone

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
