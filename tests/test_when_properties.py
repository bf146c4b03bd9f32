"""Properties of the time language over zones with DST and random moments across years.

Wall-clock phrases keep their wall time (or move forward by exactly a DST gap), hours and
minutes are exact, business arithmetic never lands outside business hours, and any text
at all gives either a moment or a WhenError.
"""

from __future__ import annotations

import contextlib
import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from promisekeeper.when.calendar import BusinessCalendar
from promisekeeper.when.resolve import WhenError, parse, parse_deadline, parse_duration, parse_since

UTC = UTC
ZONES = [ZoneInfo(name) for name in ("Europe/Stockholm", "America/New_York", "Australia/Lord_Howe")]
PLAIN = BusinessCalendar.default()
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

nows = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
).map(lambda at: at.replace(microsecond=0))
zones = st.sampled_from(ZONES)


def wall_of(at: datetime, zone: ZoneInfo) -> datetime:
    return at.astimezone(zone).replace(tzinfo=None)


def gap_at(wall: datetime, zone: ZoneInfo) -> timedelta:
    """How far a wall time in a spring-forward gap moves; zero for a time that exists."""
    before = wall.replace(tzinfo=zone, fold=0)
    if before.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == wall:
        return timedelta(0)
    return wall.replace(tzinfo=zone, fold=1).utcoffset() - before.utcoffset()  # type: ignore[operator]


def assert_keeps_wall_time(at: datetime, wall: datetime, zone: ZoneInfo) -> None:
    assert wall_of(at, zone) == wall + gap_at(wall, zone)


# --- wall-clock phrases -------------------------------------------------------------------


@FAST
@given(now=nows, zone=zones, hour=st.integers(0, 23), minute=st.integers(0, 59))
def test_tomorrow_at_a_time_keeps_that_wall_time(
    now: datetime, zone: ZoneInfo, hour: int, minute: int
) -> None:
    resolved = parse(f"tomorrow {hour:02d}:{minute:02d}", now=now, zone=zone, calendar=PLAIN)
    tomorrow = wall_of(now, zone).date() + timedelta(days=1)
    assert_keeps_wall_time(resolved.at, datetime.combine(tomorrow, time(hour, minute)), zone)


@FAST
@given(now=nows, zone=zones, days=st.integers(1, 40))
def test_days_keep_the_wall_time_of_now(now: datetime, zone: ZoneInfo, days: int) -> None:
    resolved = parse(f"{days}d", now=now, zone=zone, calendar=PLAIN)
    assert_keeps_wall_time(resolved.at, wall_of(now, zone) + timedelta(days=days), zone)


@FAST
@given(now=nows, zone=zones, weeks=st.integers(1, 10))
def test_weeks_keep_the_wall_time_of_now(now: datetime, zone: ZoneInfo, weeks: int) -> None:
    resolved = parse(f"in {weeks} weeks", now=now, zone=zone, calendar=PLAIN)
    assert_keeps_wall_time(resolved.at, wall_of(now, zone) + timedelta(weeks=weeks), zone)


@FAST
@given(
    now=nows,
    zone=zones,
    weekday=st.sampled_from(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]),
    hour=st.integers(0, 23),
    minute=st.sampled_from([0, 15, 30, 45]),
)
def test_a_weekday_at_a_time_is_the_next_such_moment(
    now: datetime, zone: ZoneInfo, weekday: str, hour: int, minute: int
) -> None:
    resolved = parse(f"{weekday} {hour}:{minute:02d}", now=now, zone=zone, calendar=PLAIN)
    local = wall_of(resolved.at, zone)
    wall = datetime.combine(local.date(), time(hour, minute))
    assert_keeps_wall_time(resolved.at, wall, zone)
    assert local.strftime("%a").lower() == weekday
    assert now < resolved.at <= now + timedelta(days=7, hours=1)


@FAST
@given(now=nows, zone=zones, hour=st.integers(0, 23), minute=st.integers(0, 59))
def test_a_time_alone_is_within_the_next_day(
    now: datetime, zone: ZoneInfo, hour: int, minute: int
) -> None:
    resolved = parse(f"{hour}:{minute:02d}", now=now, zone=zone, calendar=PLAIN)
    local = wall_of(resolved.at, zone)
    assert_keeps_wall_time(resolved.at, datetime.combine(local.date(), time(hour, minute)), zone)
    assert now < resolved.at <= now + timedelta(days=1, hours=1)


def clock_changes(zone: ZoneInfo, first_year: int, last_year: int) -> list[datetime]:
    """The UTC instants (to the minute) at which the zone's offset changes in these years."""
    found = []
    at, end = datetime(first_year, 1, 1, tzinfo=UTC), datetime(last_year + 1, 1, 1, tzinfo=UTC)
    while at < end:
        after = at + timedelta(hours=1)
        if at.astimezone(zone).utcoffset() != after.astimezone(zone).utcoffset():
            low, high = at, after  # the offset changes in (low, high]
            while high - low > timedelta(minutes=1):
                middle = low + (high - low) / 2
                same = middle.astimezone(zone).utcoffset() == low.astimezone(zone).utcoffset()
                low, high = (middle, high) if same else (low, middle)
            found.append(high)
        at = after
    return found


CLOCK_CHANGES = {zone.key: clock_changes(zone, 2025, 2027) for zone in ZONES}


@FAST
@given(data=st.data(), zone=zones, offset=st.integers(-150, 150), ahead=st.integers(-100, 100))
def test_a_time_alone_is_its_first_occurrence_still_ahead(
    data: st.DataObject, zone: ZoneInfo, offset: int, ahead: int
) -> None:
    """Around the clock changes: no moment between now and the answer shows that wall time,
    so in a repeated hour a time still ahead on the second pass is taken today."""
    now = data.draw(st.sampled_from(CLOCK_CHANGES[zone.key])) + timedelta(minutes=offset)
    target = wall_of(now, zone) + timedelta(minutes=ahead)
    resolved = parse(f"{target:%H:%M}", now=now, zone=zone, calendar=PLAIN)
    assert resolved.at > now
    for day in (target.date() - timedelta(days=1), target.date(), target.date() + timedelta(1)):
        wall = datetime.combine(day, target.time())
        for fold in (0, 1):
            moment = wall.replace(tzinfo=zone, fold=fold).astimezone(UTC)
            if wall_of(moment, zone) == wall and moment > now:
                assert resolved.at <= moment, (now, wall, fold, resolved)


# --- exact durations ----------------------------------------------------------------------


@FAST
@given(now=nows, zone=zones, hours=st.integers(0, 500))
def test_hours_are_exact(now: datetime, zone: ZoneInfo, hours: int) -> None:
    assert parse(f"in {hours}h", now=now, zone=zone, calendar=PLAIN).at - now == timedelta(
        seconds=3600 * hours
    )


@FAST
@given(now=nows, zone=zones, minutes=st.integers(0, 5000))
def test_minutes_are_exact(now: datetime, zone: ZoneInfo, minutes: int) -> None:
    assert parse(f"in {minutes} minutes", now=now, zone=zone, calendar=PLAIN).at - now == timedelta(
        seconds=60 * minutes
    )


# --- business arithmetic ------------------------------------------------------------------

HOURS = [(time(9), time(17)), (time(8, 30), time(16, 30)), (time(7), time(19)), (time(1), time(4))]
WORKDAYS = [frozenset(range(5)), frozenset({6, 0, 1, 2, 3}), frozenset({0, 1, 2, 3, 5})]


@st.composite
def calendars(draw: st.DrawFn, around: date) -> BusinessCalendar:
    start, end = draw(st.sampled_from(HOURS))
    offsets = draw(st.sets(st.integers(-5, 70), max_size=25))
    return BusinessCalendar(
        workdays=draw(st.sampled_from(WORKDAYS)),
        start=start,
        end=end,
        listed_holidays=frozenset(around + timedelta(days=offset) for offset in offsets),
    )


business_phrases = st.one_of(
    st.integers(0, 60).map(lambda n: f"in {n} business hours"),
    st.integers(1, 15).map(lambda n: f"in {n} business days"),
    st.integers(1, 30).map(lambda n: f"{n}bh"),
    st.sampled_from(["nbd", "eod", "eow", "eom", "next business day", "cob", "2bd"]),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), now=nows, zone=zones, phrase=business_phrases, suffix=st.booleans())
def test_business_arithmetic_lands_in_business_hours(
    data: st.DataObject, now: datetime, zone: ZoneInfo, phrase: str, suffix: bool
) -> None:
    calendar = data.draw(calendars(now.date()))
    reading_zone = data.draw(zones) if suffix else zone
    text = f"{phrase} {reading_zone.key}" if suffix else phrase
    resolved = parse(text, now=now, zone=zone, calendar=calendar)
    local = wall_of(resolved.at, reading_zone)
    assert calendar.is_business_day(local.date()), (text, local)
    assert calendar.start <= local.time() <= calendar.end, (text, local)
    if phrase == "in 0 business hours":
        # Now itself when open; in a repeated fall-back hour the first occurrence is taken.
        assert resolved.at >= now - timedelta(hours=1)
    else:
        assert resolved.at > now


@FAST
@given(data=st.data(), now=nows, zone=zones, days=st.integers(1, 15))
def test_business_days_keep_the_time_of_day(
    data: st.DataObject, now: datetime, zone: ZoneInfo, days: int
) -> None:
    calendar = data.draw(calendars(now.date()))
    local_now = wall_of(now, zone)
    resolved = parse(f"in {days} business days", now=now, zone=zone, calendar=calendar)
    local = wall_of(resolved.at, zone)
    # Counted from now when open, else from the last closing (see BusinessCalendar.clamp_back).
    expected_time = local_now.time() if calendar.is_open(local_now) else calendar.end
    assert_keeps_wall_time(resolved.at, datetime.combine(local.date(), expected_time), zone)
    assert calendar.is_business_day(local.date())
    assert resolved.at > now


# --- backward reading ---------------------------------------------------------------------


@FAST
@given(now=nows, zone=zones, days=st.integers(1, 400))
def test_since_days_ago_keeps_the_wall_time(now: datetime, zone: ZoneInfo, days: int) -> None:
    resolved = parse_since(f"{days}d", now=now, zone=zone, calendar=PLAIN)
    assert_keeps_wall_time(resolved.at, wall_of(now, zone) - timedelta(days=days), zone)
    assert resolved.at < now


@FAST
@given(
    now=nows, zone=zones, weekday=st.sampled_from(["mon", "tue", "wed", "thu", "fri", "sat", "sun"])
)
def test_since_weekday_is_the_most_recent_start_of_that_day(
    now: datetime, zone: ZoneInfo, weekday: str
) -> None:
    resolved = parse_since(weekday, now=now, zone=zone, calendar=PLAIN)
    local = wall_of(resolved.at, zone)
    assert local.strftime("%a").lower() == weekday
    assert now - timedelta(days=7) < resolved.at <= now


# --- nothing but WhenError ----------------------------------------------------------------

VOCABULARY = [
    "in",
    "ago",
    "next",
    "this",
    "last",
    "by",
    "at",
    "on",
    "due",
    "and",
    "of",
    "a",
    "an",
    "the",
    "now",
    "today",
    "tonight",
    "tomorrow",
    "yesterday",
    "eod",
    "cob",
    "eow",
    "eom",
    "nbd",
    "noon",
    "midnight",
    "end",
    "day",
    "week",
    "month",
    "year",
    "business",
    "working",
    "hours",
    "days",
    "fri",
    "friday",
    "tues",
    "sat",
    "dec",
    "december",
    "feb",
    "may",
    "1",
    "9",
    "12",
    "24",
    "29",
    "31",
    "2026",
    "9999",
    "0",
    "24th",
    "1st",
    "3pm",
    "13pm",
    "0am",
    "12am",
    "9:30",
    "25:00",
    "24:00",
    "2h",
    "90m",
    "3d",
    "1w",
    "2bd",
    "4bh",
    "2h30m",
    "99999999999d",
    "four",
    "twelve",
    "12/01",
    "2026-12-01",
    "2026-02-30",
    "2026-12-01T14:00",
    "2026-12-01T14:00+01:00",
    "14:00Z",
    "UTC",
    "Europe/Rome",
    "europe/ROME",
    "Mars/Base",
    "America",
    "../etc",
    "est",
    ",",
    "half",
    "from",
    "a.m.",
    "p.m.",
    "1970-01-01",
    "2999-12-31",
    "0001-01-01T00:00+14:00",
    "1d2h",
    "00:00",
    "months",
    "seconds",
    "sec",
    "30s",
    "2mo",
    "1y",
    "thirteen",
    "twenty",
    "few",
    "1,5",
    "1.5",
]
phrases = st.one_of(
    st.text(max_size=40),
    st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=6).map(" ".join),
)
calendars_any = st.sampled_from(
    [
        PLAIN,
        BusinessCalendar(workdays=frozenset({6}), start=time(23), end=time(23, 59)),
        BusinessCalendar(
            listed_holidays=frozenset(
                date(2026, 1, 1) + timedelta(days=n) for n in range(0, 400, 2)
            )
        ),
    ]
)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=phrases, now=nows, zone=zones, calendar=calendars_any)
def test_any_text_gives_a_moment_or_a_when_error(
    text: str, now: datetime, zone: ZoneInfo, calendar: BusinessCalendar
) -> None:
    for reader in (parse, parse_deadline, parse_since):
        try:
            resolved = reader(text, now=now, zone=zone, calendar=calendar)
        except WhenError as error:
            assert str(error) and str(error).count("\n") <= 1
        else:
            assert resolved.at.utcoffset() == timedelta(0)
    with contextlib.suppress(WhenError):
        parse_duration(text)


# --- refusals suggest forms that work -------------------------------------------------------

_QUOTED = re.compile(r"'([^']+)'")


def suggested_forms(message: str, text: str) -> list[str]:
    """The quoted forms a refusal offers after "e.g." or "try", except those built from the
    words typed (such as "'9am'" for "9", or the phrase itself with digits for its words)."""
    message = message.split("(for --since)")[0]  # a deadline refusal's hint for --since
    starts = [i for i in (message.find("e.g."), message.find("try ")) if i >= 0]
    if not starts:
        return []
    typed = set(re.split(r"[\s,]+", text.lower()))
    forms = _QUOTED.findall(message[min(starts) :])
    return [form for form in forms if not typed & set(form.lower().split())]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=phrases, now=nows, zone=zones, calendar=calendars_any)
def test_refusals_suggest_forms_that_work(
    text: str, now: datetime, zone: ZoneInfo, calendar: BusinessCalendar
) -> None:
    """What a refusal suggests reads in the same place: a deadline's forms as a deadline
    phrase (parse), --since/--until forms with parse_since."""
    if "'" in text or "try" in text.lower() or "e.g" in text.lower():
        return  # quotes or markers of its own would confuse suggested_forms
    for reader in (parse, parse_since):
        try:
            reader(text, now=now, zone=zone, calendar=calendar)
        except WhenError as error:
            for form in suggested_forms(str(error), text):
                try:
                    reader(form, now=now, zone=zone, calendar=calendar)
                except WhenError as failed:
                    raise AssertionError(f"{reader.__name__}({text!r}): {error}; {failed}") from None
