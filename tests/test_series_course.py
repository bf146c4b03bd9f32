"""The catch-up rule (`series.course`) as properties: what reads show at a moment (one
catch-up from the stored state) is what changes write however often they ran before it,
nothing is missed before halfway, the open check-in's halfway is still ahead, and no
check-in opens beyond the series' end."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from promisekeeper.series import course as courses
from promisekeeper.series import slots
from promisekeeper.series.rule import parse
from promisekeeper.when.calendar import BusinessCalendar

NEW_YORK = "America/New_York"
PHRASES = ["day 10:00", "weekday 10:00", "business day 9:30", "mon,thu 16:00", "2h", "90m", "4 business hours",
           "week", "3d"]
START = datetime(2026, 10, 26, 12, 0, tzinfo=UTC)  # the week before New York's clocks go back


@dataclass(frozen=True)
class Series:
    rule: str
    zone: str
    start_at: datetime
    first_slot: int
    until_at: datetime | None
    after_done: int


def series_for(phrase: str, until_hours: int | None, after_done: bool) -> tuple[Series, slots.Schedule]:
    calendar = BusinessCalendar()
    rule = parse(phrase)
    first = slots.first_after(rule, after=START, zone=ZoneInfo(NEW_YORK), calendar=calendar)
    until = None if until_hours is None else first + timedelta(hours=until_hours)
    series = Series(phrase, NEW_YORK, first, 0, until, int(after_done))
    return series, courses.schedule(series, calendar)


def caught_up(series: Series, plan: slots.Schedule, state: tuple[int, datetime], at: datetime) -> tuple[
        tuple[courses.Slot, ...], tuple[int, datetime] | None]:
    """What a catch-up at `at` closes, and the check-in open afterwards (None: none)."""
    slot, due = state
    found = courses.course(series, plan, slot=slot, due=due, original_due=due, now=at)
    return found.missed, found.opened


series_cases = st.tuples(st.sampled_from(PHRASES), st.one_of(st.none(), st.integers(1, 24 * 40)), st.booleans())
offsets = st.lists(st.integers(0, 24 * 60 * 30), min_size=1, max_size=4).map(sorted)


@settings(max_examples=80, deadline=None)
@given(case=series_cases, minutes=offsets)
def test_one_catch_up_equals_any_number_of_earlier_ones(case, minutes):
    series, plan = series_for(*case)
    first = (0, series.start_at)
    moments = [series.start_at + timedelta(minutes=m) for m in minutes]
    # one catch-up at the last moment, as a read shows it ...
    once_missed, once_open = caught_up(series, plan, first, moments[-1])
    # ... against a change at each moment, each starting from what the one before left open
    missed: list[courses.Slot] = []
    state: tuple[int, datetime] | None = first
    for at in moments:
        if state is None:
            break
        closed, opened = caught_up(series, plan, state, at)
        missed += closed
        state = opened if closed else state
    assert missed == list(once_missed)
    assert state == (once_open if once_missed else first)


@settings(max_examples=80, deadline=None)
@given(case=series_cases, minute=st.integers(0, 24 * 60 * 30))
def test_missed_only_from_halfway_and_the_open_one_still_ahead_of_its_own(case, minute):
    series, plan = series_for(*case)
    now = series.start_at + timedelta(minutes=minute)
    found = courses.course(series, plan, slot=0, due=series.start_at, original_due=series.start_at, now=now)
    moments = [at for _slot, at in found.missed] + ([found.opened[1]] if found.opened else [])
    assert moments == sorted(set(moments))  # each slot once, in order
    assert [slot for slot, _at in found.missed] == list(range(len(found.missed)))
    if found.closes_at is not None:
        assert now < found.closes_at
    if found.opened is not None and series.until_at is not None:
        assert found.opened[1] <= series.until_at
    for _slot, at in found.missed:
        assert at < now
