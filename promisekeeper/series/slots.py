"""When a series' check-ins fall: pure arithmetic on its rule, zone and business calendar.

Wall-clock times are read in the series' zone (10:00 in New York stays 10:00 across both
DST changes; a time in the spring gap moves forward, a repeated one takes the first). The
n-th slot is counted from the series' start and rule, never by adding to the one before
it, so nothing drifts; only `--after-done` counts from when the last one was kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from promisekeeper.series import rule as rules
from promisekeeper.series.rule import Rule
from promisekeeper.when.calendar import BusinessCalendar, wall_to_utc

ONE_DAY = timedelta(days=1)
# A rule with no matching day for this long cannot happen (every weekday a holiday): stop.
SEARCH_DAYS = 3660


class NoSlot(ValueError):
    """The rule names no day within ten years (every matching day a holiday)."""


def _wall(at: datetime, zone: tzinfo) -> datetime:
    return at.astimezone(zone).replace(tzinfo=None)


def matches(rule: Rule, day: date, calendar: BusinessCalendar) -> bool:
    """Whether a check-in of a days rule falls on `day`."""
    if rule.kind == rules.DAILY:
        return True
    if rule.kind == rules.WEEKDAYS:
        return day.weekday() < 5 and calendar.holiday_name(day) is None
    if rule.kind == rules.BUSINESS:
        return calendar.is_business_day(day)
    return day.weekday() in rule.weekdays


def _day_after(rule: Rule, day: date, calendar: BusinessCalendar) -> date:
    for _step in range(SEARCH_DAYS):
        day += ONE_DAY
        if matches(rule, day, calendar):
            return day
    raise NoSlot(rule.text)


def _on(rule: Rule, day: date, zone: tzinfo) -> datetime:
    assert rule.at is not None
    return wall_to_utc(datetime.combine(day, rule.at), zone)[0]


@dataclass(frozen=True)
class Schedule:
    """A series' slots: slot `first` falls at `start`, and the rule counts on from there."""

    rule: Rule
    zone: tzinfo
    start: datetime
    calendar: BusinessCalendar
    first: int = 0

    def at(self, n: int) -> datetime:
        """The n-th slot (n >= first), counted from the start."""
        steps = n - self.first
        if self.rule.kind != rules.INTERVAL:
            day = _wall(self.start, self.zone).date()
            for _step in range(steps):
                day = _day_after(self.rule, day, self.calendar)
            return self.start if steps == 0 else _on(self.rule, day, self.zone)
        return self._interval(steps)

    def following(self, n: int, nominal: datetime) -> datetime:
        """Slot n + 1, given slot n's moment (`nominal`): a days rule takes the next matching
        day, an interval counts from the start; both equal at(n + 1)."""
        if self.rule.kind != rules.INTERVAL:
            day = _day_after(self.rule, _wall(nominal, self.zone).date(), self.calendar)
            return _on(self.rule, day, self.zone)
        return self._interval(n + 1 - self.first)

    def _interval(self, steps: int) -> datetime:
        rule, wall = self.rule, _wall(self.start, self.zone)
        if rule.business_minutes:
            moved = self.calendar.add_business_time(wall, timedelta(minutes=steps * rule.business_minutes))
            return wall_to_utc(moved, self.zone)[0]
        if rule.business_days:
            return wall_to_utc(self.calendar.add_business_days(wall, steps * rule.business_days), self.zone)[0]
        if rule.days:
            return wall_to_utc(wall + timedelta(days=steps * rule.days), self.zone)[0]
        return self.start + timedelta(minutes=steps * rule.minutes)


def first_after(rule: Rule, *, after: datetime, zone: tzinfo, calendar: BusinessCalendar) -> datetime:
    """The first slot of a new series (or of a changed rule) after `after`: a days rule's
    next matching day and time; an interval, one interval later."""
    if rule.kind == rules.INTERVAL:
        return Schedule(rule, zone, after, calendar).at(1)
    day = _wall(after, zone).date()
    if matches(rule, day, calendar) and _on(rule, day, zone) > after:
        return _on(rule, day, zone)
    return _on(rule, _day_after(rule, day, calendar), zone)


def after_done(rule: Rule, *, kept_at: datetime, zone: tzinfo, calendar: BusinessCalendar) -> datetime:
    """The next slot counted from a keep (`--after-done`): an interval after it, or the
    first matching day after the day it was kept on."""
    if rule.kind == rules.INTERVAL:
        return Schedule(rule, zone, kept_at, calendar).at(1)
    return _on(rule, _day_after(rule, _wall(kept_at, zone).date(), calendar), zone)


def halfway(due: datetime, following: datetime) -> datetime:
    """When a check-in still open is missed: halfway from its deadline to the next slot."""
    return due + (following - due) / 2
