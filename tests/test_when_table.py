"""The time language, phrase by phrase, at fixed moments: what each phrase resolves to.

Expected moments are written as the wall clock a reader can check, with the zone's
abbreviation ("Mon 23 Nov 2026 11:30 CET"), shown in the zone the phrase named, else in
the local zone of that row's `now`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from promisekeeper.when.calendar import BusinessCalendar
from promisekeeper.when.resolve import WhenError, parse, parse_deadline, parse_duration, parse_since

STOCKHOLM = ZoneInfo("Europe/Stockholm")
NEW_YORK = ZoneInfo("America/New_York")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")
DEFAULT = BusinessCalendar.default()
# Christmas in Sweden: 25 Dec listed by hand, and the country's holidays (24 Dec and 31 Dec
# are de facto holidays there, 25-26 Dec and 1 Jan public ones).
SWEDISH = BusinessCalendar(listed_holidays=frozenset({date(2026, 12, 25)}), country="SE")


@dataclass(frozen=True)
class Now:
    """A fixed moment to read phrases at, with its local zone and business calendar."""

    wall: str
    zone: ZoneInfo = STOCKHOLM
    calendar: BusinessCalendar = DEFAULT
    fold: int = 0  # 1 for the second occurrence of a wall time the fall-back repeats

    @property
    def at(self) -> datetime:
        wall = datetime.fromisoformat(self.wall).replace(tzinfo=self.zone, fold=self.fold)
        return wall.astimezone(ZoneInfo("UTC"))


MON = Now("2026-11-23 09:30")  # Monday morning
FRI = Now("2026-11-27 15:40")  # Friday afternoon
SAT = Now("2026-11-28 11:00")  # Saturday
SUN = Now("2026-11-29 10:00")  # Sunday: "fri" and "next fri" agree
SUN_THU = Now("2026-11-29 10:00", calendar=BusinessCalendar(workdays=frozenset({6, 0, 1, 2, 3})))
XMAS = Now("2026-12-24 19:00", calendar=SWEDISH)  # Christmas Eve, the evening before Christmas Day
SPRING_SE = Now("2026-03-28 10:00")  # the day before clocks go forward (29 Mar, 02:00 → 03:00)
AUTUMN_SE = Now("2026-10-24 10:00")  # the day before clocks go back (25 Oct, 03:00 → 02:00)
SPRING_NY = Now("2026-03-07 10:00", zone=NEW_YORK)  # 8 Mar, 02:00 → 03:00
AUTUMN_NY = Now("2026-10-31 10:00", zone=NEW_YORK)  # 1 Nov, 02:00 → 01:00
SPRING_LH = Now("2026-10-03 10:00", zone=LORD_HOWE)  # 4 Oct, 02:00 → 02:30 (half an hour)
# Inside the repeated hour itself: 02:10 on 25 Oct happens at 00:10 UTC (CEST), then 01:10 (CET).
REPEAT_FIRST_SE = Now("2026-10-25 02:10")
REPEAT_SECOND_SE = Now("2026-10-25 02:10", fold=1)
REPEAT_SECOND_NY = Now("2026-11-01 01:10", zone=NEW_YORK, fold=1)  # 01:00–02:00 repeats


@dataclass(frozen=True)
class Case:
    now: Now
    phrase: str
    expected: str  # "%a %-d %b %Y %H:%M %Z" in `zone`, else in now.zone
    zone: str | None = None  # the expected Resolved.zone
    notes: tuple[str, ...] = ()  # fragments, each expected in one of the notes

    def __str__(self) -> str:
        return f"{self.now.wall} | {self.phrase}"


C = Case
CASES = [
    # --- Monday 23 Nov 2026 09:30 CET: relative ---------------------------------------
    C(MON, "now", "Mon 23 Nov 2026 09:30 CET"),
    C(MON, "in 2h", "Mon 23 Nov 2026 11:30 CET"),
    C(MON, "90m", "Mon 23 Nov 2026 11:00 CET"),
    C(MON, "in 90m", "Mon 23 Nov 2026 11:00 CET"),
    C(MON, "2h30m", "Mon 23 Nov 2026 12:00 CET"),
    C(MON, "in 2 hours 30 minutes", "Mon 23 Nov 2026 12:00 CET"),
    C(MON, "in 1 hour and 15 minutes", "Mon 23 Nov 2026 10:45 CET"),
    C(MON, "in an hour", "Mon 23 Nov 2026 10:30 CET"),
    C(MON, "in half an hour", "Mon 23 Nov 2026 10:00 CET"),
    C(MON, "in a day", "Tue 24 Nov 2026 09:30 CET"),
    C(MON, "3d", "Thu 26 Nov 2026 09:30 CET"),
    C(MON, "in 3 d", "Thu 26 Nov 2026 09:30 CET"),
    C(MON, "1w", "Mon 30 Nov 2026 09:30 CET"),
    C(MON, "in 2 weeks", "Mon 7 Dec 2026 09:30 CET"),
    C(MON, "in 3 days 10am", "Thu 26 Nov 2026 10:00 CET"),
    C(MON, "2h ago", "Mon 23 Nov 2026 07:30 CET"),
    # business arithmetic
    C(MON, "in 2 business days", "Wed 25 Nov 2026 09:30 CET"),
    C(MON, "2bd", "Wed 25 Nov 2026 09:30 CET"),
    C(MON, "in two working days", "Wed 25 Nov 2026 09:30 CET"),
    C(MON, "in 1 business day", "Tue 24 Nov 2026 09:30 CET"),
    C(MON, "in 4 business hours", "Mon 23 Nov 2026 13:30 CET"),
    C(MON, "4bh", "Mon 23 Nov 2026 13:30 CET"),
    C(MON, "in four business hours", "Mon 23 Nov 2026 13:30 CET"),
    C(MON, "in 8 business hours", "Tue 24 Nov 2026 09:30 CET"),
    C(MON, "in 12 business hours", "Tue 24 Nov 2026 13:30 CET"),
    # times alone: the next such moment
    C(MON, "14:00", "Mon 23 Nov 2026 14:00 CET"),
    C(MON, "3pm", "Mon 23 Nov 2026 15:00 CET"),
    C(MON, "3 pm", "Mon 23 Nov 2026 15:00 CET"),
    C(MON, "3:30pm", "Mon 23 Nov 2026 15:30 CET"),
    C(MON, "3.30pm", "Mon 23 Nov 2026 15:30 CET"),
    C(MON, "noon", "Mon 23 Nov 2026 12:00 CET"),
    C(MON, "12pm", "Mon 23 Nov 2026 12:00 CET"),
    C(MON, "midnight", "Tue 24 Nov 2026 00:00 CET"),
    C(MON, "12am", "Tue 24 Nov 2026 00:00 CET", notes=("00:00 has passed today",)),
    C(
        MON,
        "9am",
        "Tue 24 Nov 2026 09:00 CET",
        notes=("09:00 has passed today; took tomorrow, Tue 24 Nov",),
    ),
    C(MON, "9:15", "Tue 24 Nov 2026 09:15 CET"),
    # named
    C(MON, "eod", "Mon 23 Nov 2026 17:00 CET"),
    C(MON, "cob", "Mon 23 Nov 2026 17:00 CET"),
    C(MON, "end of day", "Mon 23 Nov 2026 17:00 CET"),
    C(MON, "close of business", "Mon 23 Nov 2026 17:00 CET"),
    C(MON, "by EOD", "Mon 23 Nov 2026 17:00 CET"),
    C(MON, "tonight", "Mon 23 Nov 2026 20:00 CET"),
    C(MON, "tonight 9pm", "Mon 23 Nov 2026 21:00 CET"),
    C(MON, "today", "Mon 23 Nov 2026 17:00 CET"),
    C(MON, "today 3pm", "Mon 23 Nov 2026 15:00 CET"),
    C(MON, "tomorrow", "Tue 24 Nov 2026 17:00 CET"),
    C(MON, "tomorrow 9am", "Tue 24 Nov 2026 09:00 CET"),
    C(MON, "day after tomorrow", "Wed 25 Nov 2026 17:00 CET"),
    C(MON, "the day after tomorrow 9am", "Wed 25 Nov 2026 09:00 CET"),
    C(MON, "9am tomorrow", "Tue 24 Nov 2026 09:00 CET"),
    C(MON, "9 a.m. tomorrow", "Tue 24 Nov 2026 09:00 CET"),
    C(MON, "tomorrow at noon", "Tue 24 Nov 2026 12:00 CET"),
    C(MON, "tmrw 10:30", "Tue 24 Nov 2026 10:30 CET"),
    C(MON, "tomorrow eod", "Tue 24 Nov 2026 17:00 CET"),
    C(MON, "  Tomorrow    10AM ", "Tue 24 Nov 2026 10:00 CET"),
    C(MON, "9am yesterday", "Sun 22 Nov 2026 09:00 CET"),
    # weekdays
    C(MON, "mon", "Mon 23 Nov 2026 17:00 CET"),
    C(
        MON,
        "mon 9am",
        "Mon 30 Nov 2026 09:00 CET",
        notes=("Mon 23 Nov 09:00 has passed; took Mon 30 Nov",),
    ),
    C(MON, "tue", "Tue 24 Nov 2026 17:00 CET"),
    C(MON, "tues", "Tue 24 Nov 2026 17:00 CET"),
    C(MON, "wed noon", "Wed 25 Nov 2026 12:00 CET"),
    C(MON, "thurs 9am", "Thu 26 Nov 2026 09:00 CET"),
    C(MON, "fri", "Fri 27 Nov 2026 17:00 CET"),
    C(MON, "FRIDAY", "Fri 27 Nov 2026 17:00 CET"),
    C(MON, "friday 3pm", "Fri 27 Nov 2026 15:00 CET"),
    C(MON, "by friday 3pm", "Fri 27 Nov 2026 15:00 CET"),
    C(MON, "due fri", "Fri 27 Nov 2026 17:00 CET"),
    C(MON, "this fri", "Fri 27 Nov 2026 17:00 CET"),
    C(MON, "fri midnight", "Sat 28 Nov 2026 00:00 CET"),
    C(MON, "next fri", "Fri 4 Dec 2026 17:00 CET"),
    C(MON, "next fri 10:00", "Fri 4 Dec 2026 10:00 CET"),
    C(MON, "next mon", "Mon 30 Nov 2026 17:00 CET"),
    C(MON, "sat", "Sat 28 Nov 2026 17:00 CET", notes=("Sat 28 Nov is not a business day",)),
    # business words
    C(MON, "eow", "Fri 27 Nov 2026 17:00 CET"),
    C(MON, "end of week", "Fri 27 Nov 2026 17:00 CET"),
    C(MON, "eom", "Mon 30 Nov 2026 17:00 CET"),
    C(MON, "end of the month", "Mon 30 Nov 2026 17:00 CET"),
    C(MON, "nbd", "Tue 24 Nov 2026 17:00 CET"),
    C(MON, "next business day", "Tue 24 Nov 2026 17:00 CET"),
    C(MON, "nbd 10am", "Tue 24 Nov 2026 10:00 CET"),
    # absolute dates
    C(MON, "2026-12-01 14:00", "Tue 1 Dec 2026 14:00 CET"),
    C(MON, "2026-12-01T14:00", "Tue 1 Dec 2026 14:00 CET"),
    C(MON, "2026-12-01", "Tue 1 Dec 2026 17:00 CET"),
    C(MON, "2026-12-01T14:00+01:00", "Tue 1 Dec 2026 14:00 CET"),
    C(MON, "2026-12-01T14:00Z", "Tue 1 Dec 2026 15:00 CET"),
    C(MON, "2026-12-01 14:00-05:00", "Tue 1 Dec 2026 20:00 CET"),
    C(MON, "1 Dec 2pm", "Tue 1 Dec 2026 14:00 CET"),
    C(MON, "dec 24", "Thu 24 Dec 2026 17:00 CET"),
    C(MON, "December 24 2026", "Thu 24 Dec 2026 17:00 CET"),
    C(MON, "24 dec 10:30", "Thu 24 Dec 2026 10:30 CET"),
    C(MON, "24th of december", "Thu 24 Dec 2026 17:00 CET"),
    C(MON, "on dec 24 at 3pm", "Thu 24 Dec 2026 15:00 CET"),
    C(MON, "dec 1st 9am", "Tue 1 Dec 2026 09:00 CET"),
    C(MON, "23 nov", "Mon 23 Nov 2026 17:00 CET"),
    C(
        MON,
        "23 nov 9am",
        "Tue 23 Nov 2027 09:00 CET",
        notes=("23 Nov 2026 has passed; took Tue 23 Nov 2027",),
    ),
    C(
        MON,
        "1 jan",
        "Fri 1 Jan 2027 17:00 CET",
        notes=("1 Jan 2026 has passed; took Fri 1 Jan 2027",),
    ),
    C(
        MON,
        "feb 29",
        "Tue 29 Feb 2028 17:00 CET",
        notes=("29 Feb 2026 does not exist; took Tue 29 Feb 2028",),
    ),
    C(MON, "5 dec", "Sat 5 Dec 2026 17:00 CET", notes=("Sat 5 Dec is not a business day",)),
    # the customer's clock
    C(MON, "3pm America/New_York", "Mon 23 Nov 2026 15:00 EST", zone="America/New_York"),
    C(MON, "3pm america/new_york", "Mon 23 Nov 2026 15:00 EST", zone="America/New_York"),
    C(MON, "tomorrow 9am Europe/Rome", "Tue 24 Nov 2026 09:00 CET", zone="Europe/Rome"),
    C(MON, "fri 3pm Asia/Kolkata", "Fri 27 Nov 2026 15:00 IST", zone="Asia/Kolkata"),
    C(MON, "3pm UTC", "Mon 23 Nov 2026 15:00 UTC", zone="UTC"),
    C(MON, "eod America/New_York", "Mon 23 Nov 2026 17:00 EST", zone="America/New_York"),
    C(MON, "9am Asia/Tokyo", "Tue 24 Nov 2026 09:00 JST", zone="Asia/Tokyo"),  # 17:30 there now
    C(MON, "in 2h Asia/Tokyo", "Mon 23 Nov 2026 19:30 JST", zone="Asia/Tokyo"),
    # --- Friday 27 Nov 2026 15:40 CET ----------------------------------------------------
    C(FRI, "eod", "Fri 27 Nov 2026 17:00 CET"),
    C(FRI, "fri", "Fri 27 Nov 2026 17:00 CET"),
    C(
        FRI,
        "fri 3pm",
        "Fri 4 Dec 2026 15:00 CET",
        notes=("Fri 27 Nov 15:00 has passed; took Fri 4 Dec",),
    ),
    C(FRI, "eow", "Fri 27 Nov 2026 17:00 CET"),
    C(FRI, "next fri", "Fri 4 Dec 2026 17:00 CET"),
    C(FRI, "in 2h", "Fri 27 Nov 2026 17:40 CET"),
    C(FRI, "in 1h20m", "Fri 27 Nov 2026 17:00 CET"),
    C(FRI, "in 4 business hours", "Mon 30 Nov 2026 11:40 CET"),
    C(FRI, "in 1 business day", "Mon 30 Nov 2026 15:40 CET"),
    C(FRI, "in 2bd", "Tue 1 Dec 2026 15:40 CET"),
    C(FRI, "nbd", "Mon 30 Nov 2026 17:00 CET"),
    C(FRI, "tomorrow", "Sat 28 Nov 2026 17:00 CET", notes=("Sat 28 Nov is not a business day",)),
    C(FRI, "3pm", "Sat 28 Nov 2026 15:00 CET", notes=("15:00 has passed today",)),
    C(FRI, "mon 9am", "Mon 30 Nov 2026 09:00 CET"),
    C(FRI, "eom", "Mon 30 Nov 2026 17:00 CET"),
    C(FRI, "tonight", "Fri 27 Nov 2026 20:00 CET"),
    # --- Saturday 28 Nov 2026 11:00 CET --------------------------------------------------
    C(
        SAT,
        "eod",
        "Mon 30 Nov 2026 17:00 CET",
        notes=(
            "Sat 28 Nov is not a business day; took the end of the next business day, Mon 30 Nov",
        ),
    ),
    C(SAT, "eow", "Fri 4 Dec 2026 17:00 CET", notes=("this week's last business day is over",)),
    C(SAT, "in 1 business day", "Mon 30 Nov 2026 17:00 CET"),
    C(SAT, "in 2 business days", "Tue 1 Dec 2026 17:00 CET"),
    C(SAT, "in 4bh", "Mon 30 Nov 2026 13:00 CET"),
    C(SAT, "nbd", "Mon 30 Nov 2026 17:00 CET"),
    C(SAT, "today", "Sat 28 Nov 2026 17:00 CET", notes=("Sat 28 Nov is not a business day",)),
    C(SAT, "sun 10am", "Sun 29 Nov 2026 10:00 CET", notes=("Sun 29 Nov is not a business day",)),
    C(SAT, "mon", "Mon 30 Nov 2026 17:00 CET"),
    C(SAT, "next mon", "Mon 30 Nov 2026 17:00 CET"),
    C(SAT, "3d", "Tue 1 Dec 2026 11:00 CET"),
    # --- Sunday 29 Nov 2026 10:00 CET, Mon–Fri and Sun–Thu weeks -------------------------
    C(SUN, "fri", "Fri 4 Dec 2026 17:00 CET"),
    C(SUN, "next fri", "Fri 4 Dec 2026 17:00 CET"),
    C(SUN_THU, "eod", "Sun 29 Nov 2026 17:00 CET"),
    C(SUN_THU, "eow", "Thu 3 Dec 2026 17:00 CET"),
    C(SUN_THU, "thu", "Thu 3 Dec 2026 17:00 CET"),
    C(SUN_THU, "next thu", "Thu 10 Dec 2026 17:00 CET"),
    C(SUN_THU, "in 1 business day", "Mon 30 Nov 2026 10:00 CET"),
    # --- Christmas Eve 2026, 19:00, Swedish holidays --------------------------------------
    C(
        XMAS,
        "eod",
        "Mon 28 Dec 2026 17:00 CET",
        notes=(
            ("Thu 24 Dec is a holiday (Christmas Eve); "
            "took the end of the next business day, Mon 28 Dec"),
            "Fri 25 Dec is a holiday (Christmas Day)",
        ),
    ),
    C(XMAS, "nbd", "Mon 28 Dec 2026 17:00 CET", notes=("Fri 25 Dec is a holiday (Christmas Day)",)),
    C(
        XMAS,
        "in 4 business hours",
        "Mon 28 Dec 2026 13:00 CET",
        notes=("Fri 25 Dec is a holiday (Christmas Day)",),
    ),
    C(XMAS, "in 12 business hours", "Tue 29 Dec 2026 13:00 CET"),
    C(XMAS, "in 1 business day", "Mon 28 Dec 2026 17:00 CET"),
    C(XMAS, "in 2 business days", "Tue 29 Dec 2026 17:00 CET"),
    C(XMAS, "in 3 business days", "Wed 30 Dec 2026 17:00 CET"),
    C(
        XMAS,
        "eow",
        "Wed 30 Dec 2026 17:00 CET",
        notes=(
            "Thu 31 Dec is a holiday (New Year's Eve)",
            "Fri 1 Jan is a holiday (New Year's Day)",
        ),
    ),
    C(
        XMAS,
        "eom",
        "Wed 30 Dec 2026 17:00 CET",
        notes=("Thu 31 Dec is a holiday (New Year's Eve)",),
    ),
    C(
        XMAS,
        "tomorrow",
        "Fri 25 Dec 2026 17:00 CET",
        notes=("Fri 25 Dec is a holiday (Christmas Day)",),
    ),
    C(XMAS, "fri", "Fri 25 Dec 2026 17:00 CET", notes=("Fri 25 Dec is a holiday (Christmas Day)",)),
    C(
        XMAS,
        "dec 25 10am",
        "Fri 25 Dec 2026 10:00 CET",
        notes=("Fri 25 Dec is a holiday (Christmas Day)",),
    ),
    C(
        XMAS,
        "dec 24",
        "Fri 24 Dec 2027 17:00 CET",
        notes=(
            "24 Dec 2026 has passed; took Fri 24 Dec 2027",
            "Fri 24 Dec is a holiday (Christmas Eve)",
        ),
    ),
    C(
        XMAS,
        "jan 1",
        "Fri 1 Jan 2027 17:00 CET",
        notes=("Fri 1 Jan is a holiday (New Year's Day)",),
    ),
    C(XMAS, "tonight", "Thu 24 Dec 2026 20:00 CET"),
    C(XMAS, "in 2 days", "Sat 26 Dec 2026 19:00 CET"),
    # --- DST days ------------------------------------------------------------------------
    C(
        SPRING_SE,
        "tomorrow 2:30",
        "Sun 29 Mar 2026 03:30 CEST",
        notes=(
            ("02:30 does not exist on Sun 29 Mar 2026 in Europe/Stockholm (clocks go forward); "
            "moved to 03:30"),
        ),
    ),
    C(SPRING_SE, "tomorrow 10:30", "Sun 29 Mar 2026 10:30 CEST"),
    C(SPRING_SE, "in 24h", "Sun 29 Mar 2026 11:00 CEST"),
    C(SPRING_SE, "1d", "Sun 29 Mar 2026 10:00 CEST"),
    C(SPRING_SE, "in 4 business hours", "Mon 30 Mar 2026 13:00 CEST"),
    C(
        AUTUMN_SE,
        "tomorrow 2:30",
        "Sun 25 Oct 2026 02:30 CEST",
        notes=(
            "02:30 happens twice on Sun 25 Oct 2026 in Europe/Stockholm; took the first (CEST)",
        ),
    ),
    C(AUTUMN_SE, "in 24h", "Sun 25 Oct 2026 09:00 CET"),
    C(AUTUMN_SE, "1d", "Sun 25 Oct 2026 10:00 CET"),
    C(
        SPRING_NY,
        "tomorrow 2:30",
        "Sun 8 Mar 2026 03:30 EDT",
        notes=(
            ("02:30 does not exist on Sun 8 Mar 2026 in America/New_York (clocks go forward); "
            "moved to 03:30"),
        ),
    ),
    C(SPRING_NY, "in 24h", "Sun 8 Mar 2026 11:00 EDT"),
    C(SPRING_NY, "1d", "Sun 8 Mar 2026 10:00 EDT"),
    C(
        AUTUMN_NY,
        "tomorrow 1:30",
        "Sun 1 Nov 2026 01:30 EDT",
        notes=("01:30 happens twice on Sun 1 Nov 2026 in America/New_York; took the first (EDT)",),
    ),
    C(AUTUMN_NY, "in 24h", "Sun 1 Nov 2026 09:00 EST"),
    C(AUTUMN_NY, "1d", "Sun 1 Nov 2026 10:00 EST"),
    C(
        SPRING_LH,
        "tomorrow 2:15",
        "Sun 4 Oct 2026 02:45 +11",
        notes=(
            ("02:15 does not exist on Sun 4 Oct 2026 in Australia/Lord_Howe (clocks go forward); "
            "moved to 02:45"),
        ),
    ),
    C(SPRING_LH, "1d", "Sun 4 Oct 2026 10:00 +11"),
    # a time alone in the repeated hour: the first occurrence still ahead
    C(
        REPEAT_SECOND_SE,
        "2:20am",
        "Sun 25 Oct 2026 02:20 CET",
        notes=(
            "02:20 happens twice on Sun 25 Oct 2026 in Europe/Stockholm; took the second (CET)",
        ),
    ),
    C(REPEAT_SECOND_SE, "02:59", "Sun 25 Oct 2026 02:59 CET", notes=("took the second (CET)",)),
    C(REPEAT_SECOND_SE, "sun 2:20", "Sun 25 Oct 2026 02:20 CET", notes=("took the second",)),
    C(REPEAT_SECOND_SE, "25 oct 2:20", "Sun 25 Oct 2026 02:20 CET", notes=("took the second",)),
    C(
        REPEAT_SECOND_SE,
        "2:05am",
        "Mon 26 Oct 2026 02:05 CET",
        notes=("02:05 has passed today; took tomorrow, Mon 26 Oct",),
    ),
    C(REPEAT_SECOND_SE, "3am", "Sun 25 Oct 2026 03:00 CET"),
    C(REPEAT_FIRST_SE, "2:20am", "Sun 25 Oct 2026 02:20 CEST", notes=("took the first (CEST)",)),
    C(REPEAT_FIRST_SE, "2:05am", "Sun 25 Oct 2026 02:05 CET", notes=("took the second (CET)",)),
    C(REPEAT_SECOND_NY, "1:20am", "Sun 1 Nov 2026 01:20 EST", notes=("took the second (EST)",)),
]


def shown_in(at: datetime, zone: ZoneInfo) -> str:
    local = at.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b %Y %H:%M %Z}"


@pytest.mark.parametrize("case", CASES, ids=str)
def test_phrase_resolves_to(case: Case) -> None:
    now = case.now
    resolved = parse(case.phrase, now=now.at, zone=now.zone, calendar=now.calendar)
    shown_zone = ZoneInfo(case.zone) if case.zone else now.zone
    assert shown_in(resolved.at, shown_zone) == case.expected
    assert resolved.at.utcoffset() == timedelta(0)
    assert resolved.zone == case.zone
    for fragment in case.notes:
        assert any(fragment in note for note in resolved.notes), resolved.notes


def test_the_table_is_large_enough() -> None:
    assert len(CASES) >= 110


def test_plain_phrases_carry_no_notes() -> None:
    for phrase in ("in 2h", "tomorrow 10am", "fri", "eod", "2026-12-01 14:00"):
        assert parse(phrase, now=MON.at, zone=STOCKHOLM, calendar=DEFAULT).notes == ()


REFUSED = [
    ("", "no time given"),
    ("   ", "no time given"),
    ("by", "names no time"),
    ("soon", "'soon' is not a time word I know"),
    ("tomorrow dawn", "'dawn' is not a time word I know"),
    ("9", "'9' alone is ambiguous"),
    ("15", "write e.g. '15:00' or '15 dec'"),
    ("1400", "'1400' alone is ambiguous"),
    ("12/01", "write the date as '2026-12-01' or '1 dec'"),
    ("1/12/2026", "could be read day-first or month-first"),
    ("2026-02-30", "is not a date (Feb 2026 has 28 days)"),
    ("31 apr", "'31 apr' is not a date (Apr has 30 days)"),
    ("2026-13-01", "months go 1–12"),
    ("feb 29 2027", "Feb 2027 has 28 days"),
    ("1800-01-01", "years 1970–2200"),
    ("25:00", "'25:00' is not a time of day (hours go 00–23"),
    ("13pm", "'13pm' is not a time of day (am/pm hours go 1–12"),
    ("0am", "am/pm hours go 1–12"),
    ("9:75", "minutes go 00–59"),
    ("24:00", "write 'midnight'"),
    ("9:5", "HH:MM"),
    ("3pm America/New_Yrok", "did you mean America/New_York?"),
    ("3pm Mars/Olympus_Mons", "use an IANA name such as America/New_York"),
    ("3pm est", "use an IANA name such as America/New_York"),
    ("Europe/Rome 3pm", "put the zone last"),
    ("in", "'in' needs an amount"),
    ("in soon", "'in' needs an amount"),
    ("next", "needs a weekday or a period"),
    ("next tomorrow", "needs a weekday or a period"),
    ("fri tomorrow", "names two days"),
    ("3pm 4pm", "names two times"),
    ("in 2h 3pm", "both a length in hours or minutes and a time of day"),
    ("in 2bd 3h", "mixes units"),
    ("in 2 business days 4 business hours", "mixes units"),
    ("24.12.2026", "could be read day-first or month-first"),
    ("in 1.5h", "use whole numbers, e.g. 'in 1h30m'"),
    ("in 99999999d", "too far away"),
    ("in 5000 days", "too far away"),
    ("dec", "which day of Dec?"),
    ("24th", "of which month?"),
    ("last week", "is for --since/--until"),
    ("2026-12-01T14:00+01:00 Europe/Rome", "both a UTC offset and a zone"),
    ("in 3 days tomorrow", "only a time of day may follow an amount"),
    ("9999-12-31 23:59", "years 1970–2200"),
    # units promisekeeper does not count in: months and years name a date instead
    ("in 1 month", "'in 1 month' uses months, which differ in length"),
    ("in 1 month", "name the day, e.g. '23 dec' or 'eom', or count weeks, e.g. 'in 4w'"),
    ("in a month", "e.g. '23 dec' or 'eom', or count weeks, e.g. 'in 4w'"),
    ("in one month", "e.g. '23 dec' or 'eom'"),
    ("3 months", "e.g. '23 feb' or 'eom', or count weeks, e.g. '13w'"),
    ("2mo", "e.g. '23 jan' or 'eom', or count weeks, e.g. '9w'"),
    ("in 11 months", "e.g. '23 oct' or 'eom'"),
    ("in 2 months 3 days", "e.g. '26 jan' or 'eom'"),
    ("a month ago", "name the day, e.g. '2026-10-23', or count weeks, e.g. '4w ago'"),
    ("in 1y", "'in 1y' uses years, which differ in length"),
    ("in 1y", "name the day, e.g. '23 nov 2027'"),
    ("in 10 years", "e.g. '23 nov 2036'"),
    ("in 1 year 2 months", "uses years and months, which differ in length, so promisekeeper"),
    ("1 year", "e.g. '23 nov 2027'"),
    ("in 11 years", "'in 11 years' is too far away; promisekeeper reads up to about ten years"),
    ("in 11 years", "up to about ten years ahead"),
    ("in 121 months", "too far away"),
    ("11 years ago", "reads up to about ten years back"),
    # seconds are finer than a deadline
    ("in 30 seconds", "promisekeeper counts whole minutes, not seconds; write e.g. 'in 1m'"),
    ("in a sec", "write e.g. 'in 1m'"),
    ("in 90 secs", "write e.g. 'in 2m'"),
    ("45s", "not seconds; write e.g. '1m'"),
    ("30s ago", "write e.g. '1m ago'"),
    ("2h 30s", "write e.g. '2h'"),
    ("in 2 hours and 30 seconds", "write e.g. 'in 2h'"),
    # numbers in words stop at twelve
    ("in thirteen hours", "only one to twelve may be written as words"),
    ("in thirteen hours", "write the number in digits, e.g. 'in 13 hours'"),
    ("in twenty minutes", "e.g. 'in 20 minutes'"),
    ("in twenty-five minutes", "e.g. 'in 25 minutes'"),
    ("In Twenty Five business hours", "e.g. 'In 25 business hours'"),
    ("fifteen minutes ago", "e.g. '15 minutes ago'"),
    ("in 2 hours and forty minutes", "e.g. 'in 2 hours and 40 minutes'"),
    ("in zero minutes", "e.g. 'in 0 minutes'"),
    ("in a few hours", "write the amount as a number (in digits, or one to twelve in words)"),
    ("in a few hours", "e.g. 'in 3 hours'"),
    ("in several days", "e.g. 'in 3 days'"),
    ("in couple of minutes", "e.g. 'in 15 minutes'"),
    # fractions, however written
    ("in 1.5 hours", "use whole numbers, e.g. 'in 1h30m'"),
    ("1.5 hours", "use whole numbers"),
    ("in 1,5 hours", "use whole numbers"),
    ("1,5h", "use whole numbers"),
    # business time does not run backwards; a deadline gets forms that read forward
    ("2bd ago", "count calendar time instead, e.g. '3d ago'"),
]


@pytest.mark.parametrize(("phrase", "fragment"), REFUSED, ids=[p for p, _ in REFUSED])
def test_refused_with_what_works(phrase: str, fragment: str) -> None:
    with pytest.raises(WhenError) as caught:
        parse(phrase, now=MON.at, zone=STOCKHOLM, calendar=DEFAULT)
    message = str(caught.value)
    assert fragment in message
    assert message.count("\n") <= 1


def test_tonight_is_refused_once_evening_has_passed() -> None:
    late = Now("2026-11-23 21:15")
    with pytest.raises(WhenError, match=r"'tonight' \(20:00\) has already passed; try"):
        parse("tonight", now=late.at, zone=STOCKHOLM, calendar=DEFAULT)


def test_control_characters_never_reach_the_message() -> None:
    with pytest.raises(WhenError) as caught:
        parse("\x1b[31mred\x07 \u202e", now=MON.at, zone=STOCKHOLM, calendar=DEFAULT)
    assert not any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 or c == "\u202e" for c in str(caught.value))


# --- deadlines must be ahead ------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "fragment"),
    [
        (
            "9am yesterday",
            "'9am yesterday' is in the past (Sun 22 Nov 09:00, 24h ago); a deadline must be ahead",
        ),
        ("today 9am", "'today 9am' is in the past (Mon 23 Nov 09:00, 30m ago)"),
        ("2h ago", "is in the past"),
        ("2025-01-01", "is in the past (Wed 1 Jan 2025 17:00"),
        ("now", "'now' is this very moment; a deadline must be ahead"),
    ],
)
def test_deadline_in_the_past_is_refused(phrase: str, fragment: str) -> None:
    with pytest.raises(WhenError) as caught:
        parse_deadline(phrase, now=MON.at, zone=STOCKHOLM, calendar=DEFAULT)
    assert fragment in str(caught.value)
    assert "'in 2h'" in str(caught.value) or "'in 15m'" in str(caught.value)


def test_deadline_ahead_is_the_same_as_parse() -> None:
    for phrase in ("tomorrow 10am", "in 4bh", "eod", "3pm America/New_York"):
        assert parse_deadline(phrase, now=MON.at, zone=STOCKHOLM, calendar=DEFAULT) == parse(
            phrase, now=MON.at, zone=STOCKHOLM, calendar=DEFAULT
        )


# --- --since / --until: reading backward ------------------------------------------------

SINCE = [
    ("now", "Mon 23 Nov 2026 09:30 CET"),
    ("30d", "Sat 24 Oct 2026 09:30 CEST"),
    ("30d ago", "Sat 24 Oct 2026 09:30 CEST"),
    ("2w", "Mon 9 Nov 2026 09:30 CET"),
    ("12h", "Sun 22 Nov 2026 21:30 CET"),
    ("mon", "Mon 23 Nov 2026 00:00 CET"),
    ("fri", "Fri 20 Nov 2026 00:00 CET"),
    ("sun", "Sun 22 Nov 2026 00:00 CET"),
    ("today", "Mon 23 Nov 2026 00:00 CET"),
    ("yesterday", "Sun 22 Nov 2026 00:00 CET"),
    ("tomorrow", "Tue 24 Nov 2026 00:00 CET"),
    ("2026-11-01", "Sun 1 Nov 2026 00:00 CET"),
    ("1 nov", "Sun 1 Nov 2026 00:00 CET"),
    ("dec 24", "Wed 24 Dec 2025 00:00 CET"),
    ("1 nov 2pm", "Sun 1 Nov 2026 14:00 CET"),
    ("14:00", "Sun 22 Nov 2026 14:00 CET"),
    ("9:00", "Mon 23 Nov 2026 09:00 CET"),
    ("midnight", "Mon 23 Nov 2026 00:00 CET"),
    ("this week", "Mon 23 Nov 2026 00:00 CET"),
    ("last week", "Mon 16 Nov 2026 00:00 CET"),
    ("this month", "Sun 1 Nov 2026 00:00 CET"),
    ("last month", "Thu 1 Oct 2026 00:00 CEST"),
    ("this year", "Thu 1 Jan 2026 00:00 CET"),
    ("last year", "Wed 1 Jan 2025 00:00 CET"),
    ("in 2d", "Wed 25 Nov 2026 09:30 CET"),
    ("2026-11-01T08:00Z", "Sun 1 Nov 2026 09:00 CET"),
    ("yesterday 3pm", "Sun 22 Nov 2026 15:00 CET"),
]


@pytest.mark.parametrize(("phrase", "expected"), SINCE, ids=[p for p, _ in SINCE])
def test_since_reads_backward(phrase: str, expected: str) -> None:
    resolved = parse_since(phrase, now=MON.at, zone=STOCKHOLM, calendar=DEFAULT)
    assert shown_in(resolved.at, STOCKHOLM) == expected


@pytest.mark.parametrize("phrase", ["eod", "nbd", "eow", "3bd", "tonight"])
def test_since_refuses_deadline_words(phrase: str) -> None:
    with pytest.raises(WhenError, match=r"for --since/--until try e\.g\."):
        parse_since(phrase, now=MON.at, zone=STOCKHOLM, calendar=DEFAULT)


# Refused for --since/--until: the forms suggested are ones that work there.
SINCE_REFUSED = [
    ("banana", "'banana' is not a time word I know (in 'banana'); for --since/--until try e.g."),
    ("", "no time given; for --since/--until try e.g. '30d'"),
    ("by", "names no time; for --since/--until try e.g."),
    ("2bd ago", "for --since/--until try e.g. '30d'"),
    ("in soon", "'in' needs an amount, e.g. 'in 2h' or 'in 3 days'"),
    ("next", "needs a weekday or a period, e.g. 'last week', 'this month'"),
    ("in 2bd 3h", "give one kind, e.g. '2h30m' or '3d'"),
    ("1.5h ago", "use whole numbers, e.g. '1h30m' or '90m'"),
    ("in 1.5h", "use whole numbers, e.g. 'in 1h30m'"),
    ("3 months", "for --since/--until name the day, e.g. '2026-08-23' or 'last month'"),
    ("3 months", "or count weeks, e.g. '13w'"),
    ("1 month ago", "e.g. '2026-10-23' or 'last month', or count weeks, e.g. '4w ago'"),
    ("in 1 month", "for --since/--until name the day, e.g. '2026-12-23', or count weeks"),
    ("2 years ago", "name the day, e.g. '2024-11-23' or 'last year'"),
    ("30s ago", "write e.g. '1m ago'"),
    ("twenty minutes ago", "e.g. '20 minutes ago'"),
]
DEADLINE_ONLY = ("'eod'", "'eom'", "'eow'", "'nbd'", "business hours'", "business days'")


@pytest.mark.parametrize(
    ("phrase", "fragment"), SINCE_REFUSED, ids=[f"{p}: {f}" for p, f in SINCE_REFUSED]
)
def test_since_refusals_suggest_forms_that_work_there(phrase: str, fragment: str) -> None:
    with pytest.raises(WhenError) as caught:
        parse_since(phrase, now=MON.at, zone=STOCKHOLM, calendar=DEFAULT)
    message = str(caught.value)
    assert fragment in message
    assert not any(form in message for form in DEADLINE_ONLY), message


@pytest.mark.parametrize("phrase", ["banana", "", "in 2bd 3h", "in 1 month", "next"])
def test_deadline_refusals_keep_deadline_forms(phrase: str) -> None:
    with pytest.raises(WhenError) as caught:
        parse_deadline(phrase, now=MON.at, zone=STOCKHOLM, calendar=DEFAULT)
    message = str(caught.value)
    assert "--since/--until" not in message
    assert any(form in message for form in (*DEADLINE_ONLY, "'next fri'")), message


# --- durations for remind lead times ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("15m", 15),
        ("90m", 90),
        ("1h", 60),
        ("2h30m", 150),
        ("1d", 1440),
        ("1w", 10080),
        ("in 15m", 15),
        ("an hour", 60),
        ("2 hours", 120),
        (" 1H ", 60),
        ("0m", 0),
    ],
)
def test_durations(text: str, minutes: int) -> None:
    assert parse_duration(text) == timedelta(minutes=minutes)


@pytest.mark.parametrize(
    "text", ["", "soon", "15", "2bd", "4 business hours", "3pm", "2h ago", "in 2h 3pm"]
)
def test_durations_refused(text: str) -> None:
    with pytest.raises(WhenError, match=r"is not a length of time; use e\.g\. '15m'"):
        parse_duration(text)


def test_fixed_clock_drops_fractions_of_a_second(monkeypatch):
    from promisekeeper.when import clock

    monkeypatch.setenv("PROMISEKEEPER_NOW", "2026-11-23T09:30:00.750+01:00")
    assert clock.now().microsecond == 0
