"""The business calendar: working days, business hours and holidays, as wall-clock rules.

The calendar knows no zone. Methods that take naive datetimes work on the wall clock;
the few that take aware ones are told which zone's wall clock to read. Public holidays
come from the `holidays` package when a country is configured, imported on first use
(it costs about 40 ms, which the prompt and most commands never pay).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any, Protocol

from promisekeeper.lang.i18n import _, active
from promisekeeper.when.dayparts import DayParts
from promisekeeper.when.timefmt import day_label

UTC = UTC
ONE_DAY = timedelta(days=1)
# Give up looking for a business day after ten years: only a calendar of nothing but
# holidays gets that far, and a clear error beats an endless loop.
SEARCH_LIMIT_DAYS = 3660
LISTED = "listed in business.holidays"
# Categories that mean "the office is closed". Sweden's de facto holidays (Midsummer Eve,
# Christmas Eve, New Year's Eve) are days nobody works although no law says so.
_CLOSED_CATEGORIES = ("public", "de_facto")


class Settings(Protocol):
    """What the calendar reads its rules from: the settings (config.Config) by key."""

    def get(self, key: str) -> Any: ...


class CalendarError(ValueError):
    """The calendar cannot answer: no business day for years (every day a holiday)."""


def wall_to_utc(wall: datetime, zone: tzinfo) -> tuple[datetime, str | None]:
    """The UTC instant a wall-clock time names in the zone, and a note when DST bends it.

    A time in the spring-forward gap moves forward by the gap; a time the fall-back
    repeats takes its first occurrence. fold=0 gives exactly both (PEP 495).
    """
    first = wall.replace(tzinfo=zone, fold=0)
    at = first.astimezone(UTC)
    landed = at.astimezone(zone).replace(tzinfo=None)
    fields = {
        "time": f"{wall:%H:%M}",
        "day": day_label(wall.date(), year=True),
        "zone": zone_label(zone),
    }
    if landed != wall:
        return at, _(
            "{time} does not exist on {day} in {zone} (clocks go forward); moved to {landed}"
        ).format(landed=f"{landed:%H:%M}", **fields)
    if wall.replace(tzinfo=zone, fold=1).utcoffset() != first.utcoffset():
        return at, _("{time} happens twice on {day} in {zone}; took the first ({abbreviation})").format(
            abbreviation=first.tzname(), **fields
        )
    return at, None


def zone_label(zone: tzinfo) -> str:
    """The IANA name of a zone when it has one ("Europe/Stockholm"), else its own name."""
    return getattr(zone, "key", None) or str(zone)


def _week_start(workdays: frozenset[int]) -> int:
    """The weekday a work week starts on: the day after its longest run of days off.

    Mon–Fri starts on Monday, Sun–Thu on Sunday. Ties prefer Monday, then the earliest.
    """
    best_length, starts = 0, [0]
    for day in range(7):
        if day in workdays or (day - 1) % 7 not in workdays:
            continue  # not the first day of a run of days off
        length = 0
        while (day + length) % 7 not in workdays:
            length += 1
        start = (day + length) % 7
        if length > best_length:
            best_length, starts = length, [start]
        elif length == best_length:
            starts.append(start)
    return 0 if 0 in starts else min(starts)


@dataclass(frozen=True, eq=False)
class BusinessCalendar:
    """When the business is open: working weekdays (Monday = 0), hours and holidays."""

    workdays: frozenset[int] = frozenset(range(5))
    start: time = time(9)
    end: time = time(17)
    listed_holidays: frozenset[date] = frozenset()
    country: str = ""
    subdivision: str = ""
    parts: DayParts = field(default_factory=DayParts)  # where "this morning", "tonight" … end
    _by_year: dict[tuple[int, str], dict[date, str]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not self.workdays or not self.workdays <= set(range(7)):
            raise ValueError("a business calendar needs working days between 0 (Mon) and 6 (Sun)")
        if self.start >= self.end:
            raise ValueError(
                f"business start {self.start:%H:%M} is not before end {self.end:%H:%M}"
            )

    @classmethod
    def from_config(cls, config: Settings) -> BusinessCalendar:
        """The calendar the `business.*` settings describe; with no business.country, the
        locale's country when the locale also names a language pk speaks (hu_HU → HU)."""
        return cls(
            workdays=expand_weekdays(config.get("business.days")),
            start=time.fromisoformat(str(config.get("business.start"))),
            end=time.fromisoformat(str(config.get("business.end"))),
            listed_holidays=frozenset(
                date.fromisoformat(str(d)) for d in config.get("business.holidays")
            ),
            country=str(config.get("business.country") or locale_country()).upper(),
            subdivision=str(config.get("business.subdivision") or "").upper(),
            parts=DayParts.from_config(config),
        )

    @classmethod
    def default(cls) -> BusinessCalendar:
        """Mon–Fri 09:00–17:00, no holidays."""
        return cls()

    # --- days -------------------------------------------------------------------------

    def holiday_name(self, day: date) -> str | None:
        """The holiday's name (the country's, else "listed in business.holidays"), or None."""
        if self.country:
            name = self._country_holidays(day.year).get(day)
            if name:
                return name
        return LISTED if day in self.listed_holidays else None

    def is_business_day(self, day: date) -> bool:
        """A working weekday that is not a holiday."""
        return day.weekday() in self.workdays and self.holiday_name(day) is None

    def next_business_day(self, day: date) -> date:
        """The first business day strictly after `day`."""
        return self._search(day, ONE_DAY)

    def previous_business_day(self, day: date) -> date:
        """The last business day strictly before `day`."""
        return self._search(day, -ONE_DAY)

    def _search(self, day: date, step: timedelta) -> date:
        for _attempt in range(SEARCH_LIMIT_DAYS):
            day += step
            if self.is_business_day(day):
                return day
        raise CalendarError(_("the business calendar has no business day within ten years"))

    @property
    def week_start(self) -> int:
        """The weekday (Monday = 0) the work week starts on."""
        return _week_start(self.workdays)

    def start_of_week(self, day: date) -> date:
        """The first day of the work week `day` is in."""
        return day - timedelta(days=(day.weekday() - self.week_start) % 7)

    def last_business_day_of_week(self, day: date) -> date | None:
        """The last business day of the work week `day` is in, if it has one."""
        first = self.start_of_week(day)
        return self._last_business_day(first, first + timedelta(days=6))

    def last_business_day_of_month(self, day: date) -> date | None:
        """The last business day of the month `day` is in, if it has one."""
        first = day.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        return self._last_business_day(first, following - ONE_DAY)

    def _last_business_day(self, first: date, last: date) -> date | None:
        day = last
        while day >= first:
            if self.is_business_day(day):
                return day
            day -= ONE_DAY
        return None

    def holidays_on_workdays(self, first: date, last: date) -> list[date]:
        """The holidays between two dates (inclusive) that fall on a working weekday."""
        found, day = [], first
        while day <= last:
            if day.weekday() in self.workdays and self.holiday_name(day):
                found.append(day)
            day += ONE_DAY
        return found

    def closed_note(self, day: date) -> str:
        """Why a day is not a business day: "Fri 25 Dec is a holiday (Christmas Day)"."""
        name = self.holiday_name(day)
        if name is None:
            return _("{day} is not a business day").format(day=day_label(day))
        return _("{day} is a holiday ({name})").format(
            day=day_label(day), name="business.holidays" if name == LISTED else name
        )

    # --- wall-clock arithmetic (naive datetimes) --------------------------------------

    def opening(self, day: date) -> datetime:
        return datetime.combine(day, self.start)

    def closing(self, day: date) -> datetime:
        return datetime.combine(day, self.end)

    def part_end(self, part: str, day: date) -> datetime:
        """Where a part of the day ("afternoon", "first_thing") ends on `day` (see dayparts)."""
        return self.parts.end(
            part, day, start=self.start, end=self.end, open_day=self.is_business_day(day)
        )

    def is_open(self, wall: datetime) -> bool:
        """Within business hours on a business day; the closing minute itself counts."""
        return self.start <= wall.time() <= self.end and self.is_business_day(wall.date())

    def clamp_forward(self, wall: datetime) -> datetime:
        """The wall time itself when open, else the next opening (SLA clocks start there)."""
        day = wall.date()
        if self.is_business_day(day) and wall.time() < self.end:
            return max(wall, self.opening(day))
        return self.opening(self.next_business_day(day))

    def clamp_back(self, wall: datetime) -> datetime:
        """The wall time itself when open, else the last closing before it."""
        day = wall.date()
        if self.is_business_day(day) and wall.time() >= self.start:
            return min(wall, self.closing(day))
        return self.closing(self.previous_business_day(day))

    def add_business_time(self, wall: datetime, amount: timedelta) -> datetime:
        """`amount` of business time after `wall`, counted only while open.

        Starts at clamp_forward(wall); may land exactly on the closing time.
        """
        at, remaining = self.clamp_forward(wall), amount
        while True:
            room = self.closing(at.date()) - at
            if remaining <= room:
                return at + remaining
            remaining -= room
            at = self.opening(self.next_business_day(at.date()))

    def add_business_days(self, wall: datetime, days: int) -> datetime:
        """The same time of day `days` business days later, counted from clamp_back(wall).

        Outside business hours the count starts at the last closing, so one business day
        from Saturday noon is Monday's closing, and from Monday 18:00 Tuesday's.
        """
        at = self.clamp_back(wall)
        day = at.date()
        for _counted in range(days):
            day = self.next_business_day(day)
        return datetime.combine(day, at.time())

    # --- the same on aware datetimes, read in a zone ----------------------------------

    def is_open_at(self, at: datetime, *, zone: tzinfo) -> bool:
        """Whether the business is open at an instant, by the zone's wall clock."""
        return self.is_open(at.astimezone(zone).replace(tzinfo=None))

    def business_hours_after(self, at: datetime, hours: float, *, zone: tzinfo) -> datetime:
        """The UTC instant `hours` business hours after `at` (SLA arithmetic in the zone)."""
        wall = at.astimezone(zone).replace(tzinfo=None)
        return wall_to_utc(self.add_business_time(wall, timedelta(hours=hours)), zone)[0]

    def business_days_after(self, at: datetime, days: int, *, zone: tzinfo) -> datetime:
        """The UTC instant `days` business days after `at` (see add_business_days)."""
        wall = at.astimezone(zone).replace(tzinfo=None)
        return wall_to_utc(self.add_business_days(wall, days), zone)[0]

    # --- holidays from the `holidays` package -----------------------------------------

    def _country_holidays(self, year: int) -> dict[date, str]:
        key = (year, active())  # names are in the language being written
        found = self._by_year.get(key)
        if found is None:
            found = self._by_year[key] = _load_country_holidays(
                self.country, self.subdivision, year, key[1]
            )
        return found


def _load_country_holidays(
    country: str, subdivision: str, year: int, language: str
) -> dict[date, str]:
    """One year of a country's closed days, named in `language` where the holidays package
    has that language for the country, else in English."""
    import holidays  # deferred: about 40 ms, needed only with a country configured

    from promisekeeper.errors import BadInput

    try:
        probe = holidays.country_holidays(country, subdiv=subdivision or None, years=year)
    except NotImplementedError:
        raise BadInput(_unknown_region(holidays, country, subdivision)) from None
    options: dict[str, Any] = {"subdiv": subdivision or None, "years": year}
    categories = [c for c in _CLOSED_CATEGORIES if c in getattr(probe, "supported_categories", ())]
    if categories:
        options["categories"] = categories
    options["language"] = _holiday_language(getattr(probe, "supported_languages", ()), language)
    if options["language"] is None:
        del options["language"]
    return dict(holidays.country_holidays(country, **options).items())


def _holiday_language(supported: tuple[str, ...], language: str) -> str | None:
    """The holidays package's code for `language` ("it" → "it_IT"), else its English."""
    for wanted in (language, "en"):
        found = sorted(code for code in supported if code.split("_")[0] == wanted)
        if found:
            return "en_US" if "en_US" in found else found[0]
    return None


def _unknown_region(holidays: Any, country: str, subdivision: str) -> str:
    known = holidays.list_supported_countries().get(country)
    if known is None:
        return _("business.country '{country}' is not a country the holidays package knows; use e.g. SE, US, DE").format(
            country=country)
    examples = (", ".join(known[:6]) or _("none")) + ("…" if len(known) > 6 else "")
    return _("business.subdivision '{subdivision}' is not a subdivision of {country}; use one of {examples} or unset it").format(
        subdivision=subdivision, country=country, examples=examples)


# --- the business.* settings, as the calendar reads them (config checks values with these) ---

_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def expand_weekdays(text: str) -> frozenset[int]:
    """The weekday numbers (Monday = 0) a working-days setting names."""
    days: set[int] = set()
    for part in str(text).lower().replace(" ", "").split(","):
        if not part:
            continue
        first, _dash, last = part.partition("-")
        start = _weekday_index(first)
        stop = _weekday_index(last) if last else start
        if start is None or stop is None:
            raise ValueError(_("'{part}' is not a weekday or range; use e.g. mon-fri or mon-thu,sat").format(part=part))
        day = start
        while True:
            days.add(day)
            if day == stop:
                break
            day = (day + 1) % 7
    if not days:
        raise ValueError(_("no working days given; use e.g. mon-fri"))
    return frozenset(days)


def _weekday_index(word: str) -> int | None:
    """Monday = 0 for "mon", "tues", "thursday"; None for "monkey", which [:3] alone let through."""
    for index, name in enumerate(_DAY_NAMES):
        if len(word) >= 3 and name.startswith(word):
            return index
    return None


def locale_country(environ: Mapping[str, str] = os.environ) -> str:
    """The country whose public holidays count when business.country is unset, or "".

    The locale's territory (hu_HU → HU), when the locale's language is one pk speaks besides
    English and the holidays package knows the country. English locales are left out: en_US
    is many machines' default whatever country their user works in.
    """
    from promisekeeper.lang import i18n

    country = i18n.country_from_locale(environ)
    if not country or i18n.from_locale(environ) == "en":
        return ""
    import holidays  # only here: the locale names a country, so its holidays will be read

    return country if country in holidays.list_supported_countries() else ""
