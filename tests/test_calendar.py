"""The business calendar on its own: settings, holidays, and wall-clock business arithmetic."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from promisekeeper import config
from promisekeeper.errors import BadInput
from promisekeeper.when.calendar import BusinessCalendar, wall_to_utc

UTC = UTC
STOCKHOLM = ZoneInfo("Europe/Stockholm")
MON, TUE, FRI, SAT, SUN = (
    date(2026, 11, 23),
    date(2026, 11, 24),
    date(2026, 11, 27),
    date(2026, 11, 28),
    date(2026, 11, 29),
)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def from_settings(**values: object) -> BusinessCalendar:
    settings = {f"business.{key}": value for key, value in values.items()}
    return BusinessCalendar.from_config(config.Config(settings, "/nonexistent/config.toml"))


# --- settings -----------------------------------------------------------------------------


def test_default_is_monday_to_friday_nine_to_five_without_holidays() -> None:
    calendar = BusinessCalendar.default()
    assert (calendar.workdays, calendar.start, calendar.end) == (
        frozenset(range(5)),
        time(9),
        time(17),
    )
    assert [calendar.is_business_day(MON + timedelta(days=n)) for n in range(7)] == [True] * 5 + [
        False
    ] * 2
    assert calendar.holiday_name(date(2026, 12, 25)) is None


def test_config_defaults_give_the_default_calendar() -> None:
    calendar = from_settings()
    assert (calendar.workdays, calendar.start, calendar.end, calendar.country) == (
        frozenset(range(5)),
        time(9),
        time(17),
        "",
    )


def test_config_values_are_read() -> None:
    calendar = from_settings(
        days="sun-thu", start="08:30", end="16:30", holidays=["2026-12-24", "2026-12-31"]
    )
    assert calendar.workdays == frozenset({6, 0, 1, 2, 3})
    assert (calendar.start, calendar.end) == (time(8, 30), time(16, 30))
    assert calendar.listed_holidays == frozenset({date(2026, 12, 24), date(2026, 12, 31)})
    assert calendar.is_business_day(SUN) and not calendar.is_business_day(FRI)
    assert not calendar.is_business_day(date(2026, 12, 24))
    assert calendar.holiday_name(date(2026, 12, 24)) == "listed in business.holidays"


def test_config_file_is_read_into_the_calendar(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        '[business]\ndays = "mon-thu,sat"\nstart = 07:30:00\nend = "15:00"\n'
        'holidays = ["2026-12-24", 2026-12-31]\ncountry = "se"\n',
        encoding="utf-8",
    )
    calendar = BusinessCalendar.from_config(config.load(str(path)))
    assert calendar.workdays == frozenset({0, 1, 2, 3, 5})
    assert (calendar.start, calendar.end) == (time(7, 30), time(15))
    assert calendar.listed_holidays == frozenset({date(2026, 12, 24), date(2026, 12, 31)})
    assert calendar.country == "SE"


@pytest.mark.parametrize("days", ["monkey-fri", "mo", "fri-xyz"])
def test_config_refuses_words_that_only_start_like_a_weekday(days: str) -> None:
    with pytest.raises(ValueError, match="not a weekday or range"):
        config.parse_weekdays(days)


def test_start_must_come_before_end() -> None:
    with pytest.raises(ValueError, match="not before"):
        BusinessCalendar(start=time(17), end=time(9))


@pytest.mark.parametrize(
    ("workdays", "start"),
    [
        ("mon-fri", 0),
        ("sun-thu", 6),
        ("tue-sat", 1),
        ("mon-thu,sat", 0),
        ("mon-sun", 0),
        ("wed", 2),
    ],
)
def test_the_work_week_starts_after_its_longest_weekend(workdays: str, start: int) -> None:
    assert from_settings(days=workdays).week_start == start


# --- holidays from the holidays package -----------------------------------------------------


def test_swedish_holidays_include_the_de_facto_ones() -> None:
    calendar = from_settings(country="SE")
    assert calendar.holiday_name(date(2026, 12, 25)) == "Christmas Day"
    assert calendar.holiday_name(date(2026, 6, 19)) == "Midsummer Eve"
    assert calendar.holiday_name(date(2026, 12, 24)) == "Christmas Eve"
    assert calendar.holiday_name(date(2026, 12, 31)) == "New Year's Eve"
    assert calendar.holiday_name(date(2026, 6, 18)) is None  # only a half day
    assert not calendar.is_business_day(date(2026, 6, 19))
    assert calendar.is_business_day(date(2026, 6, 18))


def test_holiday_names_are_english_whatever_the_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "sv_SE.UTF-8")
    monkeypatch.setenv("LC_ALL", "sv_SE.UTF-8")
    assert from_settings(country="SE").holiday_name(date(2026, 12, 25)) == "Christmas Day"


def test_country_holidays_and_listed_ones_combine() -> None:
    calendar = from_settings(country="SE", holidays=["2026-11-27"])
    assert calendar.holiday_name(FRI) == "listed in business.holidays"
    assert calendar.holiday_name(date(2026, 12, 25)) == "Christmas Day"
    assert calendar.holiday_name(MON) is None


def test_subdivision_holidays() -> None:
    bavaria, berlin = (
        from_settings(country="DE", subdivision="BY"),
        from_settings(country="DE", subdivision="BE"),
    )
    assert bavaria.holiday_name(date(2026, 1, 6)) == "Epiphany"
    assert berlin.holiday_name(date(2026, 1, 6)) is None
    assert (
        from_settings(country="US", subdivision="CA").holiday_name(date(2026, 3, 31))
        == "Cesar Chavez Day"
    )
    assert from_settings(country="US").holiday_name(date(2026, 3, 31)) is None


def test_unknown_subdivision_is_a_config_error_that_names_known_ones() -> None:
    calendar = from_settings(country="SE", subdivision="XX")
    with pytest.raises(BadInput, match=r"business\.subdivision 'XX' is not a subdivision of SE"):
        calendar.is_business_day(MON)
    with pytest.raises(BadInput, match="use one of AK, AL"):
        from_settings(country="US", subdivision="ZZ").holiday_name(MON)


def test_the_holidays_package_is_imported_only_when_a_country_is_set() -> None:
    script = (
        "import sys\n"
        "from datetime import datetime, timezone\n"
        "from zoneinfo import ZoneInfo\n"
        "from promisekeeper.when.calendar import BusinessCalendar\n"
        "from promisekeeper.when.resolve import parse\n"
        "now = datetime(2026, 11, 23, 8, 30, tzinfo=timezone.utc)\n"
        "for phrase in ('eod', 'in 2 business days', 'fri 3pm', 'eom'):\n"
        "    parse(phrase, now=now, zone=ZoneInfo('Europe/Stockholm'),\n"
        "          calendar=BusinessCalendar.default())\n"
        "assert 'holidays' not in sys.modules, 'holidays imported without a country'\n"
        "assert 'dateutil' not in sys.modules, 'dateutil imported'\n"
        "calendar = BusinessCalendar(country='SE')\n"
        "assert 'holidays' not in sys.modules, 'holidays imported before it was needed'\n"
        "calendar.is_business_day(now.date())\n"
        "assert 'holidays' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)


def test_closed_notes_say_why() -> None:
    calendar = from_settings(country="SE", holidays=["2026-11-27"])
    assert calendar.closed_note(SAT) == "Sat 28 Nov is not a business day"
    assert calendar.closed_note(date(2026, 12, 25)) == "Fri 25 Dec is a holiday (Christmas Day)"
    assert calendar.closed_note(FRI) == "Fri 27 Nov is a holiday (business.holidays)"


# --- days ---------------------------------------------------------------------------------


def test_next_and_previous_business_days_skip_weekends_and_holidays() -> None:
    calendar = from_settings(holidays=["2026-11-30"])
    assert calendar.next_business_day(FRI) == date(2026, 12, 1)
    assert calendar.previous_business_day(date(2026, 12, 1)) == FRI
    assert calendar.next_business_day(MON) == TUE


def test_last_business_day_of_week_and_month() -> None:
    calendar = from_settings(holidays=["2026-11-27", "2026-11-30"])
    assert calendar.last_business_day_of_week(MON) == date(2026, 11, 26)
    assert calendar.last_business_day_of_week(SUN) == date(2026, 11, 26)
    assert calendar.last_business_day_of_month(date(2026, 11, 2)) == date(2026, 11, 26)
    assert calendar.last_business_day_of_month(date(2026, 12, 2)) == date(2026, 12, 31)
    assert from_settings(days="sun-thu").last_business_day_of_week(SUN) == date(2026, 12, 3)


def test_holidays_on_workdays_ignores_weekend_holidays() -> None:
    calendar = from_settings(country="SE")
    assert calendar.holidays_on_workdays(date(2026, 12, 21), date(2027, 1, 3)) == [
        date(2026, 12, 24),
        date(2026, 12, 25),
        date(2026, 12, 31),
        date(2027, 1, 1),
    ]


def test_a_calendar_of_only_holidays_gives_up_with_a_value_error() -> None:
    calendar = BusinessCalendar(
        workdays=frozenset({0}),
        listed_holidays=frozenset(MON + timedelta(days=7 * n) for n in range(600)),
    )
    with pytest.raises(ValueError, match="no business day within ten years"):
        calendar.next_business_day(MON)


# --- wall-clock arithmetic ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("wall", "forward", "back"),
    [
        ("2026-11-23 10:00", "2026-11-23 10:00", "2026-11-23 10:00"),  # open
        ("2026-11-23 07:00", "2026-11-23 09:00", "2026-11-20 17:00"),  # before opening
        ("2026-11-23 17:00", "2026-11-24 09:00", "2026-11-23 17:00"),  # at closing
        ("2026-11-23 18:00", "2026-11-24 09:00", "2026-11-23 17:00"),  # evening
        ("2026-11-28 11:00", "2026-11-30 09:00", "2026-11-27 17:00"),  # weekend
    ],
)
def test_clamping_into_business_time(wall: str, forward: str, back: str) -> None:
    calendar = BusinessCalendar.default()
    assert calendar.clamp_forward(at(wall)) == at(forward)
    assert calendar.clamp_back(at(wall)) == at(back)


@pytest.mark.parametrize(
    ("wall", "hours", "expected"),
    [
        ("2026-11-23 13:00", 4, "2026-11-23 17:00"),  # landing exactly at closing is allowed
        ("2026-11-23 13:00", 5, "2026-11-24 10:00"),
        ("2026-11-23 18:00", 8, "2026-11-24 17:00"),
        ("2026-11-27 15:40", 4, "2026-11-30 11:40"),
        ("2026-11-28 11:00", 0, "2026-11-30 09:00"),
        ("2026-11-23 09:00", 40, "2026-11-27 17:00"),
    ],
)
def test_adding_business_hours(wall: str, hours: int, expected: str) -> None:
    assert BusinessCalendar.default().add_business_time(at(wall), timedelta(hours=hours)) == at(
        expected
    )


@pytest.mark.parametrize(
    ("wall", "days", "expected"),
    [
        ("2026-11-23 09:30", 1, "2026-11-24 09:30"),
        ("2026-11-23 09:00", 1, "2026-11-24 09:00"),
        ("2026-11-23 08:59", 1, "2026-11-23 17:00"),  # counted from Friday's closing
        ("2026-11-23 18:00", 1, "2026-11-24 17:00"),
        ("2026-11-27 15:40", 1, "2026-11-30 15:40"),
        ("2026-11-28 11:00", 1, "2026-11-30 17:00"),
        ("2026-11-28 11:00", 5, "2026-12-04 17:00"),
    ],
)
def test_adding_business_days(wall: str, days: int, expected: str) -> None:
    assert BusinessCalendar.default().add_business_days(at(wall), days) == at(expected)


def test_business_days_skip_holidays() -> None:
    calendar = from_settings(country="SE")
    assert calendar.add_business_days(at("2026-12-23 10:00"), 1) == at("2026-12-28 10:00")


def test_aware_helpers_read_the_wall_clock_in_the_zone() -> None:
    calendar = BusinessCalendar.default()
    monday_morning = at("2026-11-23 09:30").replace(tzinfo=STOCKHOLM)
    assert calendar.is_open_at(monday_morning, zone=STOCKHOLM)
    assert not calendar.is_open_at(monday_morning, zone=ZoneInfo("America/New_York"))  # 03:30 there
    later = calendar.business_hours_after(monday_morning, 8, zone=STOCKHOLM)
    assert later == at("2026-11-24 09:30").replace(tzinfo=STOCKHOLM)
    assert later.tzinfo is UTC
    assert calendar.business_days_after(monday_morning, 2, zone=STOCKHOLM) == at(
        "2026-11-25 09:30"
    ).replace(tzinfo=STOCKHOLM)


# --- DST -----------------------------------------------------------------------------------


def test_a_wall_time_in_the_gap_moves_forward_by_the_gap() -> None:
    instant, note = wall_to_utc(at("2026-03-29 02:30"), STOCKHOLM)
    assert instant.astimezone(STOCKHOLM).replace(tzinfo=None) == at("2026-03-29 03:30")
    assert (
        note == "02:30 does not exist on Sun 29 Mar 2026 in Europe/Stockholm (clocks go forward); "
        "moved to 03:30"
    )


def test_a_repeated_wall_time_takes_the_first() -> None:
    instant, note = wall_to_utc(at("2026-11-01 01:30"), ZoneInfo("America/New_York"))
    assert instant == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    assert note == "01:30 happens twice on Sun 1 Nov 2026 in America/New_York; took the first (EDT)"


def test_lord_howe_moves_by_half_an_hour() -> None:
    instant, note = wall_to_utc(at("2026-10-04 02:10"), ZoneInfo("Australia/Lord_Howe"))
    assert instant.astimezone(ZoneInfo("Australia/Lord_Howe")).strftime("%H:%M") == "02:40"
    assert note and "moved to 02:40" in note


def test_an_ordinary_wall_time_has_no_note() -> None:
    instant, note = wall_to_utc(at("2026-11-23 09:30"), STOCKHOLM)
    assert (instant, note) == (datetime(2026, 11, 23, 8, 30, tzinfo=UTC), None)
