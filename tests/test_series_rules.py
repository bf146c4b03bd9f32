"""A series' rules and slots, as properties: the zone's wall clock across DST, business days
and holidays, no drift, --after-done, and the words of every language."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from promisekeeper.series import rule as rules
from promisekeeper.series import slots
from promisekeeper.series.rule import RuleError, parse
from promisekeeper.when.calendar import BusinessCalendar

NEW_YORK = ZoneInfo("America/New_York")
STOCKHOLM = ZoneInfo("Europe/Stockholm")

moments = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
).map(lambda at: at.replace(second=0, microsecond=0))
times = st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45]))
holidays = st.frozensets(st.dates(min_value=date(2026, 1, 1), max_value=date(2029, 12, 31)), max_size=40)
steps = st.integers(0, 60)


def calendar(listed: frozenset[date] = frozenset(), country: str = "") -> BusinessCalendar:
    return BusinessCalendar(listed_holidays=listed, country=country)


@settings(max_examples=60, deadline=None)
@given(after=moments, at=times, n=steps, kind=st.sampled_from([rules.DAILY, rules.WEEKDAYS, rules.BUSINESS]))
def test_a_days_rule_keeps_its_wall_clock_time_in_its_zone_across_dst(after, at, n, kind):
    rule = rules.Rule(kind, at=at)
    business = calendar()
    start = slots.first_after(rule, after=after, zone=NEW_YORK, calendar=business)
    moment = slots.Schedule(rule, NEW_YORK, start, business).at(n)
    wall = moment.astimezone(NEW_YORK)
    if at.hour != 2:  # 02:xx does not exist on the spring-forward day: moved forward, by design
        assert (wall.hour, wall.minute) == (at.hour, at.minute)


@settings(max_examples=60, deadline=None)
@given(after=moments, n=steps, listed=holidays, kind=st.sampled_from([rules.WEEKDAYS, rules.BUSINESS]))
def test_weekdays_and_business_days_never_land_on_a_weekend_or_a_holiday(after, n, listed, kind):
    rule = rules.Rule(kind, at=time(10))
    business = calendar(listed, country="SE")
    start = slots.first_after(rule, after=after, zone=STOCKHOLM, calendar=business)
    day = slots.Schedule(rule, STOCKHOLM, start, business).at(n).astimezone(STOCKHOLM).date()
    assert day.weekday() < 5
    assert day not in listed
    assert business.holiday_name(day) is None


@settings(max_examples=60, deadline=None)
@given(after=moments, n=steps, days=st.lists(st.integers(0, 6), min_size=1, max_size=7, unique=True))
def test_named_weekdays_fall_on_those_weekdays_only(after, n, days):
    rule = rules.Rule(rules.ON, at=time(16), weekdays=tuple(sorted(days)))
    business = calendar()
    start = slots.first_after(rule, after=after, zone=STOCKHOLM, calendar=business)
    assert start > after
    moment = slots.Schedule(rule, STOCKHOLM, start, business).at(n)
    assert moment.astimezone(STOCKHOLM).weekday() in days


interval_rules = st.one_of(
    st.builds(lambda m: rules.Rule(rules.INTERVAL, minutes=m), st.integers(15, 48 * 60)),
    st.builds(lambda d: rules.Rule(rules.INTERVAL, days=d), st.integers(1, 21)),
    st.builds(lambda h: rules.Rule(rules.INTERVAL, business_minutes=60 * h), st.integers(1, 16)),
    st.builds(lambda d: rules.Rule(rules.INTERVAL, business_days=d), st.integers(1, 5)),
)
any_rule = st.one_of(
    interval_rules,
    st.builds(lambda k, t: rules.Rule(k, at=t), st.sampled_from([rules.DAILY, rules.WEEKDAYS, rules.BUSINESS]), times),
)


@settings(max_examples=80, deadline=None)
@given(rule=any_rule, after=moments, n=st.integers(0, 40))
def test_no_drift_each_slot_follows_from_the_start_and_the_rule(rule, after, n):
    """The n-th slot counted from the start equals the one after the (n-1)-th, and slots
    only move forward."""
    business = calendar(country="SE")
    start = slots.first_after(rule, after=after, zone=NEW_YORK, calendar=business)
    plan = slots.Schedule(rule, NEW_YORK, start, business)
    assert start > after
    assert plan.at(n + 1) == plan.following(n, plan.at(n))
    assert plan.at(n + 1) > plan.at(n)


@settings(max_examples=60, deadline=None)
@given(after=moments, n=st.integers(0, 500), minutes=st.integers(15, 24 * 60))
def test_an_interval_of_minutes_is_n_intervals_from_the_start(after, n, minutes):
    rule = rules.Rule(rules.INTERVAL, minutes=minutes)
    start = slots.first_after(rule, after=after, zone=NEW_YORK, calendar=calendar())
    assert start == after + timedelta(minutes=minutes)
    assert slots.Schedule(rule, NEW_YORK, start, calendar()).at(n) == start + n * timedelta(minutes=minutes)


@settings(max_examples=60, deadline=None)
@given(rule=any_rule, kept=moments)
def test_after_done_counts_from_the_keep(rule, kept):
    business = calendar()
    following = slots.after_done(rule, kept_at=kept, zone=STOCKHOLM, calendar=business)
    assert following > kept
    if rule.kind != rules.INTERVAL:
        assert following.astimezone(STOCKHOLM).date() > kept.astimezone(STOCKHOLM).date()
        assert slots.matches(rule, following.astimezone(STOCKHOLM).date(), business)
    elif rule.minutes:
        assert following == kept + timedelta(minutes=rule.minutes)


@settings(max_examples=60, deadline=None)
@given(rule=any_rule)
def test_a_rule_reads_back_from_its_stored_words(rule):
    assert parse(rule.text) == rule


@pytest.mark.parametrize(("phrase", "language", "text"), [
    ("day 10:00", "en", "day 10:00"),
    ("weekday 10:00", "en", "weekday 10:00"),
    ("every business day 10:00", "en", "business day 10:00"),
    ("mon 9:00", "en", "mon 09:00"),
    ("mon,thu 16:00", "en", "mon,thu 16:00"),
    ("every monday and thursday at 4pm", "en", "mon,thu 16:00"),
    ("2h", "en", "2h"),
    ("4 business hours", "en", "4 business hours"),
    ("week", "en", "1w"),
    ("daily 9am", "en", "day 09:00"),
    ("ogni giorno alle 10", "it", "day 10:00"),
    ("ogni giorno lavorativo alle 9", "it", "business day 09:00"),
    ("dal lunedì al venerdì alle 10", "it", "weekday 10:00"),
    ("ogni lunedì e giovedì alle 16", "it", "mon,thu 16:00"),
    ("ogni 2 ore", "it", "2h"),
    ("ogni 4 ore lavorative", "it", "4 business hours"),
    ("ogni settimana", "it", "1w"),
    ("minden munkanap 10-kor", "hu", "business day 10:00"),
    ("minden hétköznap 10-kor", "hu", "weekday 10:00"),
    ("minden nap 9-kor", "hu", "day 09:00"),
    ("minden hétfőn és csütörtökön 16-kor", "hu", "mon,thu 16:00"),
    ("2 óránként", "hu", "2h"),
    ("4 munkaóránként", "hu", "4 business hours"),
    ("hetente", "hu", "1w"),
    ("varje vardag kl 10", "sv", "weekday 10:00"),
    ("varje arbetsdag kl 9", "sv", "business day 09:00"),
    ("varje dag kl 10", "sv", "day 10:00"),
    ("varje måndag och torsdag kl 16", "sv", "mon,thu 16:00"),
    ("på måndagar kl 9", "sv", "mon 09:00"),
    ("varannan timme", "sv", "2h"),
    ("varje vecka", "sv", "1w"),
])
def test_every_language_says_its_rules(phrase, language, text):
    assert parse(phrase, language).text == text


def test_a_zone_after_the_rule_is_the_customers_clock():
    assert parse("weekday 10:00 America/New_York").zone == "America/New_York"


@pytest.mark.parametrize("phrase", ["", "weekday", "mon", "sometimes", "2h ago", "3 months", "5m", "tomorrow 10:00"])
def test_a_phrase_that_is_no_rule_is_refused_saying_what_works(phrase):
    with pytest.raises(RuleError) as refused:
        parse(phrase)
    assert "e.g." in str(refused.value)
