"""The time language: "tomorrow 10am", "in 4 bh", "fri 3pm Europe/Rome" → a UTC moment.

when_grammar reads the words into a Phrase; this module gives it a moment from `now`, the
local zone (or the zone the phrase names) and the business calendar. Nothing here reads the
system clock or the environment. Only WhenError (a ValueError) escapes for any text, with a
message that says what is wrong and which forms work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cached_property

from promisekeeper.lang import i18n
from promisekeeper.lang.i18n import _, pgettext
from promisekeeper.when import examples as when_examples
from promisekeeper.when import grammar, timefmt
from promisekeeper.when.calendar import BusinessCalendar, CalendarError, wall_to_utc, zone_label
from promisekeeper.when.grammar import (
    Phrase,
    TimeSpec,
    WhenError,
    read,
    read_duration,
    refusal,
    shown,
)
from promisekeeper.when.words.en import DAY_OFFSETS, since_forms

__all__ = [
    "BusinessCalendar",
    "Resolved",
    "WhenError",
    "parse",
    "parse_deadline",
    "parse_duration",
    "parse_since",
]

UTC = UTC
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Resolved:
    """A phrase's moment, the customer's zone if it named one, and what was adjusted."""

    at: datetime  # timezone-aware, UTC
    zone: str | None  # IANA name when the phrase carried a zone suffix, else None
    notes: tuple[str, ...] = ()  # explanations of adjustments, for the confirmation line


def parse(
    text: str,
    *,
    now: datetime,
    zone: tzinfo,
    calendar: BusinessCalendar,
    language: str | None = None,
) -> Resolved:
    """The moment a phrase names, reading forward: a time alone is the next such moment.

    A result in the past is returned as it is (see parse_deadline). In an hour the fall-back
    repeats, the next such moment is the first occurrence still ahead. English is always
    read, and `language` too (default: the active one, see i18n); refusals and notes are
    written in the active language.
    """
    return _resolve(text, now, zone, calendar, _forward, since=False, language=language)


def parse_deadline(
    text: str,
    *,
    now: datetime,
    zone: tzinfo,
    calendar: BusinessCalendar,
    language: str | None = None,
) -> Resolved:
    """Like parse(), but a deadline must be ahead of now."""
    resolved = parse(text, now=now, zone=zone, calendar=calendar, language=language)
    if resolved.at <= now:
        quoted = shown(text)
        if resolved.at == now:
            raise WhenError(
                _(
                    "'{phrase}' is this very moment; a deadline must be ahead, "
                    "e.g. 'in 15m', 'in 2h'"
                ).format(phrase=quoted)
            )
        raise WhenError(
            _(
                "'{phrase}' is in the past ({moment}, {ago}); "
                "a deadline must be ahead, e.g. 'in 2h', 'tomorrow 10am'"
            ).format(
                phrase=quoted,
                moment=timefmt.moment(resolved.at, zone, now=now),
                ago=timefmt.ago(resolved.at, now),
            )
        )
    return _to_whole_minute(resolved)


def _to_whole_minute(resolved: Resolved) -> Resolved:
    """A deadline is a whole minute, as every view shows it: seconds round up, so that
    "in 1m" is never less than a minute and what is shown is what is judged."""
    start = resolved.at.replace(second=0, microsecond=0)
    if start == resolved.at:
        return resolved
    return Resolved(start + timedelta(minutes=1), resolved.zone, resolved.notes)


def parse_since(
    text: str,
    *,
    now: datetime,
    zone: tzinfo,
    calendar: BusinessCalendar,
    language: str | None = None,
) -> Resolved:
    """The moment a phrase names, reading backward, for `--since` and `--until`.

    "30d"/"2w" is that long ago, "mon" the most recent Monday (today if Monday) at 00:00,
    a date its start, "today"/"yesterday" their 00:00, "this month" its first day.
    """
    return _resolve(text, now, zone, calendar, _backward, since=True, language=language)


def parse_duration(text: str, *, language: str | None = None) -> timedelta:
    """A plain length of time: "15m", "90m", "1h", "2h30m", "1d", "1w" (optionally "in …")."""
    amount = read_duration(text, language or i18n.active())
    return timedelta(days=amount.days, minutes=amount.minutes)


# --- shared machinery -------------------------------------------------------------------


@dataclass
class _Reading:
    """One phrase being resolved: its clock, zone and calendar, and the notes gathered."""

    phrase: Phrase
    now: datetime
    zone: tzinfo  # the zone the wall-clock words are read in
    calendar: BusinessCalendar
    since: bool  # reading for --since/--until: refusals suggest the forms that work there
    notes: list[str] = field(default_factory=list)

    @cached_property
    def wall_now(self) -> datetime:
        return self.now.astimezone(self.zone).replace(tzinfo=None)

    @property
    def today(self) -> date:
        return self.wall_now.date()

    def place(self, wall: datetime) -> datetime:
        """The UTC instant of a wall time, noting a DST gap or repeat it fell in."""
        at, note = wall_to_utc(wall, self.zone)
        if note:
            self.note(note)
        return at

    def first_ahead(self, walls: list[datetime]) -> tuple[datetime, int]:
        """The first wall time that is after now, and which one it was (the last if none).

        A wall time the fall-back repeats counts at its first occurrence still ahead: at the
        second 02:10 of a night that repeats 02:00–03:00, 02:20 is ten minutes away.
        """
        for index, wall in enumerate(walls):
            for at, note in _occurrences(wall, self.zone):
                if at > self.now:
                    if note:
                        self.note(note)
                    return at, index
        if not walls:
            raise ValueError("no candidate moment")  # only past year 9999; out of range
        return self.place(walls[-1]), len(walls) - 1

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def note_holidays(self, first: date, last: date) -> None:
        for day in self.calendar.holidays_on_workdays(first, last):
            self.note(self.calendar.closed_note(day))

    def note_if_closed(self, day: date) -> None:
        if not self.calendar.is_business_day(day):
            self.note(self.calendar.closed_note(day))

    def refuse(self, message: str, **fields: object) -> WhenError:
        """A refusal of this phrase: `message` names it as {phrase}."""
        return WhenError(message.format(phrase=self.phrase.shown, **fields))


def _resolve(
    text: str,
    now: datetime,
    zone: tzinfo,
    calendar: BusinessCalendar,
    direction: Callable[[_Reading], datetime],
    *,
    since: bool,
    language: str | None,
) -> Resolved:
    """Read and resolve a phrase; a refusal names the forms that work for this reading."""
    if now.utcoffset() is None:
        raise TypeError("now must be timezone-aware")  # a programming error, not bad input
    try:
        return _resolve_text(
            text, now, zone, calendar, direction, since=since, language=language or i18n.active()
        )
    except WhenError as error:
        if since and error.for_since != str(error):
            raise WhenError(error.for_since) from None
        raise


def _resolve_text(
    text: str,
    now: datetime,
    zone: tzinfo,
    calendar: BusinessCalendar,
    direction: Callable[[_Reading], datetime],
    *,
    since: bool,
    language: str,
) -> Resolved:
    if not isinstance(text, str):
        raise refusal(_("no time given"))
    try:
        phrase = read(text, language)
        reading_zone = _reading_zone(phrase, zone)
        reading = _Reading(phrase, now.astimezone(UTC), reading_zone, calendar, since)
        at = direction(reading)
        return Resolved(at.astimezone(UTC), phrase.zone_name, tuple(reading.notes))
    except WhenError:
        raise
    except CalendarError as error:
        raise WhenError(
            _("'{phrase}': {problem}; check business.days and business.holidays").format(
                phrase=shown(text), problem=error
            )
        ) from None
    except (ValueError, OverflowError, ArithmeticError):
        raise refusal(
            _("'{phrase}' lands outside the dates promisekeeper can hold").format(
                phrase=shown(text)
            )
        ) from None


def _reading_zone(phrase: Phrase, local: tzinfo) -> tzinfo:
    if phrase.zone_name is None:
        return local
    from zoneinfo import ZoneInfo

    return ZoneInfo(phrase.zone_name)


def _occurrences(wall: datetime, zone: tzinfo) -> list[tuple[datetime, str | None]]:
    """The UTC instants a wall time names, in order, each with its note: one, or two when
    the fall-back repeats it (a time in the spring gap is moved forward, see wall_to_utc)."""
    first, note = wall_to_utc(wall, zone)
    second = wall.replace(tzinfo=zone, fold=1)
    if second.astimezone(UTC) <= first or second.astimezone(zone).replace(tzinfo=None) != wall:
        return [(first, note)]  # one occurrence, or a gap (where fold=1 lands earlier)
    second_note = _(
        "{time} happens twice on {day} in {zone}; took the second ({abbreviation})"
    ).format(
        time=f"{wall:%H:%M}",
        day=timefmt.day_label(wall.date(), year=True),
        zone=zone_label(zone),
        abbreviation=second.tzname(),
    )
    return [(first, note), (second.astimezone(UTC), second_note)]


def _wall(
    day: date, spec: TimeSpec | None, calendar: BusinessCalendar, *, default: time
) -> datetime:
    """The wall time a day and a time spec name; a day alone means `default`."""
    if spec is None:
        return datetime.combine(day, default)
    if spec == grammar.MIDNIGHT:
        return datetime.combine(day + ONE_DAY, time(0))
    if spec == grammar.BUSINESS_END:
        return calendar.closing(day)
    if isinstance(spec, grammar.Part):
        return calendar.part_end(spec.name, day)
    assert isinstance(spec, grammar.ClockTime)
    return datetime.combine(day, time(spec.hour, spec.minute, spec.second))


# --- forward: deadlines and --at ---------------------------------------------------------


def _forward(r: _Reading) -> datetime:
    phrase = r.phrase
    if phrase.instant is not None:
        return phrase.instant
    if phrase.now:
        return r.now
    if phrase.amount is not None:
        if phrase.amount.calendar:
            raise _calendar_units_refused(r, phrase.amount, ahead=not phrase.amount.backwards)
        return _forward_amount(r, phrase.amount, phrase.time)
    if phrase.day is None:
        at = _time_alone(r, phrase.time)
    else:
        at = _forward_day(r, phrase.day, phrase.time)
    tonight = phrase.day is not None and phrase.day.kind == "tonight" and phrase.time is None
    if isinstance(phrase.time, grammar.Part) or tonight:
        # The confirmation says the moment a part of the day was taken to end at.
        r.note(_("{phrase} → by {time}").format(
            phrase=phrase.shown, time=timefmt.clock(at, r.zone)
        ))
    return at


def _forward_amount(r: _Reading, amount: grammar.Amount, spec: TimeSpec | None) -> datetime:
    if amount.backwards:
        return _amount_ago(r, amount, spec)
    if amount.business == "hours":
        wall = r.calendar.add_business_time(r.wall_now, timedelta(minutes=amount.business_minutes))
        r.note_holidays(r.today, wall.date())
        return r.place(wall)
    if amount.business == "days":
        wall = r.calendar.add_business_days(r.wall_now, amount.business_days)
        r.note_holidays(r.today, wall.date())
        return r.place(_wall(wall.date(), spec, r.calendar, default=wall.time()))
    # Days keep the wall-clock time across DST; hours and minutes are exact durations.
    start = r.now
    if amount.days or spec is not None:
        wall = r.wall_now + timedelta(days=amount.days)
        start = r.place(_wall(wall.date(), spec, r.calendar, default=wall.time()))
    return start + timedelta(minutes=amount.minutes)


def _calendar_units_refused(r: _Reading, amount: grammar.Amount, *, ahead: bool) -> WhenError:
    """ "in 1 month", "2y ago": months and years differ in length, so promisekeeper does not
    count in them; suggest the date they would land on, and weeks or a period that work."""
    sign = 1 if ahead else -1
    day = _add_months(r.today, sign * amount.months) + sign * timedelta(days=amount.days)
    months_only = amount.calendar == "months" and amount.months < 12
    examples = [_date_example(r, day, short=ahead and not r.since and months_only)]
    if ahead and not r.since and months_only:
        examples.append(_("eom"))
    if not ahead and r.since:
        examples.append(_("last month") if months_only else _("last year"))
    weeks = round(abs((day - r.today).days) / 7)
    fields = {
        "units": _calendar_units(amount.calendar),
        "examples": _("'{first}' or '{second}'").format(first=examples[0], second=examples[-1])
        if len(examples) > 1
        else _("'{first}'").format(first=examples[0]),
        "weeks": when_examples.amount_example(
            [(weeks, "week")],
            explicit=amount.explicit_in and ahead,
            backwards=amount.backwards,
            short=True,
        ),
    }
    if r.since:
        message = _(
            "'{phrase}' uses {units}, which differ in length, so promisekeeper does not count "
            "in them; for --since/--until name the day, e.g. {examples}"
        )
    else:
        message = _(
            "'{phrase}' uses {units}, which differ in length, so promisekeeper does not count "
            "in them; name the day, e.g. {examples}"
        )
    if months_only and weeks:
        message += _(", or count weeks, e.g. '{weeks}'")
    return r.refuse(message, **fields)


def _calendar_units(kind: str) -> str:
    """ "months", "years" or "years and months", as the refusal names them."""
    if kind == "months":
        return _("months")
    if kind == "years":
        return _("years")
    return _("years and months")


def _date_example(r: _Reading, day: date, *, short: bool) -> str:
    """A date as a phrase that names it: "23 dec" when that is the next 23 Dec, else with
    its year; ISO ("2026-08-23") when reading backward, where "23 aug" is the last one."""
    if not short:
        if r.since or day < r.today:
            return day.isoformat()
        return when_examples.date_example(day.day, day.month, day.year)
    upcoming = r.today < day and (
        day.year == r.today.year or (day.month, day.day) < (r.today.month, r.today.day)
    )
    return when_examples.date_example(day.day, day.month, None if upcoming else day.year)


def _add_months(day: date, months: int) -> date:
    """The same day of the month `months` later (or earlier); the 31st becomes the last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    first_of_next = date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    return date(year, month + 1, min(day.day, (first_of_next - ONE_DAY).day))


def _amount_ago(r: _Reading, amount: grammar.Amount, spec: TimeSpec | None) -> datetime:
    if amount.is_business:
        if r.since:
            raise r.refuse(
                _(
                    "'{phrase}' counts business time backwards, which promisekeeper does not "
                    "do; {forms}"
                ),
                forms=since_forms(),
            )
        raise r.refuse(
            _(
                "'{phrase}' counts business time backwards, which promisekeeper does not do; "
                "count calendar time instead, e.g. '3d ago' or '8h ago'"
            )
        )
    end = r.now
    if amount.days or spec is not None:
        wall = r.wall_now - timedelta(days=amount.days)
        end = r.place(_wall(wall.date(), spec, r.calendar, default=wall.time()))
    return end - timedelta(minutes=amount.minutes)


def _time_alone(r: _Reading, spec: TimeSpec | None) -> datetime:
    """ "3pm": today if still ahead, else tomorrow; "midnight": the end of today; "eod";
    a part of the day: today's (see _part_today)."""
    if spec == grammar.BUSINESS_END:
        return _end_of_business_day(r)
    if isinstance(spec, grammar.Part):
        return _part_today(r, spec.name)
    if spec == grammar.MIDNIGHT:
        return r.place(_wall(r.today, grammar.MIDNIGHT, r.calendar, default=time(0)))
    today = r.today
    walls = [
        _wall(today, spec, r.calendar, default=time(0)),
        _wall(today + ONE_DAY, spec, r.calendar, default=time(0)),
    ]
    at, index = r.first_ahead(walls)
    if index:
        r.note(
            _("{time} has passed today; took tomorrow, {day}").format(
                time=f"{walls[0]:%H:%M}", day=timefmt.day_label(walls[1].date())
            )
        )
    return at


def _part_today(r: _Reading, part: str) -> datetime:
    """A part of the day said alone or with "today": where it ends today. One already over
    is refused with the reason, except "first thing", which is the next business day's;
    "later today" ends with business hours, or with the evening once they are over."""
    calendar, today = r.calendar, r.today
    if part == "later":
        ends = [r.place(calendar.part_end("evening", today))]
        if calendar.is_business_day(today):
            ends.insert(0, r.place(calendar.closing(today)))
        ahead = [at for at in ends if at > r.now]
        if ahead:
            return ahead[0]
        raise r.refuse(
            _("'{phrase}': the day is over (the evening ended at {time}); try 'tomorrow "
              "morning' or 'in 1h'"),
            time=f"{calendar.part_end('evening', today):%H:%M}",
        )
    wall = calendar.part_end(part, today)
    at = r.place(wall)
    if at > r.now:
        return at
    if part == "first_thing":
        day = calendar.next_business_day(today)
        r.note(_("first thing today was {time}; took the next business day, {day}").format(
            time=f"{wall:%H:%M}", day=timefmt.day_label(day)
        ))
        r.note_holidays(today + ONE_DAY, day)
        return r.place(calendar.part_end(part, day))
    raise r.refuse(
        _("'{phrase}' is over: it ended at {time} today; try e.g. 'tomorrow {part}' or 'in 2h'"),
        time=f"{wall:%H:%M}",
        part=_part_word(part),
    )


def _part_word(part: str) -> str:
    """The part of the day as a phrase names it after "tomorrow", in the active language."""
    words = {
        "first_thing": pgettext("tomorrow …", "first thing"),
        "morning": pgettext("tomorrow …", "morning"),
        "lunch": pgettext("tomorrow …", "before lunch"),
        "afternoon": pgettext("tomorrow …", "afternoon"),
        "evening": pgettext("tomorrow …", "evening"),
    }
    return words.get(part, part)


def _end_of_business_day(r: _Reading) -> datetime:
    """eod: today's closing if today is a business day not yet closed, else the next one's."""
    calendar, today = r.calendar, r.today
    if calendar.is_business_day(today):
        closing = r.place(calendar.closing(today))
        if closing > r.now:
            return closing
        reason = _("business hours ended at {time} today").format(time=f"{calendar.end:%H:%M}")
    else:
        reason = calendar.closed_note(today)
    day = calendar.next_business_day(today)
    r.note(
        _("{reason}; took the end of the next business day, {day}").format(
            reason=reason, day=timefmt.day_label(day)
        )
    )
    r.note_holidays(today + ONE_DAY, day)
    return r.place(calendar.closing(day))


def _forward_day(r: _Reading, spec: grammar.DaySpec, time_spec: TimeSpec | None) -> datetime:
    calendar, today = r.calendar, r.today
    end_of_day = calendar.end
    if spec.kind in DAY_OFFSETS:
        day = today + ONE_DAY * DAY_OFFSETS[spec.kind]
        if day == today and isinstance(time_spec, grammar.Part):
            return _part_today(r, time_spec.name)
        r.note_if_closed(day)
        return r.place(_wall(day, time_spec, calendar, default=end_of_day))
    if spec.kind == "tonight":
        return _tonight(r, time_spec)
    if spec.kind == "weekday":
        return _weekday_ahead(r, spec, time_spec)
    if spec.kind == "date":
        return _date_ahead(r, spec, time_spec)
    if spec.kind == "nbd":
        day = calendar.next_business_day(today)
        r.note_holidays(today + ONE_DAY, day)
        return r.place(_wall(day, time_spec, calendar, default=end_of_day))
    if spec.kind in ("eow", "eom"):
        return _end_of_period(r, spec.kind, time_spec, weeks_on=spec.offset)
    raise r.refuse(_("'{phrase}' is for --since/--until; for a deadline try 'eow', 'eom' or 'next fri'"))


def _tonight(r: _Reading, time_spec: TimeSpec | None) -> datetime:
    """Tonight ends with the evening (day.evening); once that is over it is refused."""
    evening = r.calendar.part_end("evening", r.today)
    if time_spec is not None and not isinstance(time_spec, grammar.Part):
        return r.place(_wall(r.today, time_spec, r.calendar, default=evening.time()))
    at = r.place(evening)
    if at <= r.now:
        raise r.refuse(
            _("'{phrase}' ({time}) has already passed; try 'in 1h', 'tomorrow 9am' or '23:00'"),
            time=f"{evening:%H:%M}",
        )
    return at


def _weekday_ahead(r: _Reading, spec: grammar.DaySpec, time_spec: TimeSpec | None) -> datetime:
    """ "fri": the next Friday whose moment is ahead; "next fri": the next work week's."""
    calendar, today = r.calendar, r.today
    if spec.upcoming:
        following_week = calendar.start_of_week(today) + timedelta(days=7)
        day = following_week + timedelta(days=(spec.weekday - calendar.week_start) % 7)
        r.note_if_closed(day)
        return r.place(_wall(day, time_spec, calendar, default=calendar.end))
    first = today + timedelta(days=(spec.weekday - today.weekday()) % 7)
    walls = [
        _wall(first + timedelta(days=7 * k), time_spec, calendar, default=calendar.end)
        for k in (0, 1)
    ]
    at, index = r.first_ahead(walls)
    day = first + timedelta(days=7 * index)
    if index:
        r.note(
            _("{day} {time} has passed; took {next_day}").format(
                day=timefmt.day_label(first),
                time=f"{walls[0]:%H:%M}",
                next_day=timefmt.day_label(day),
            )
        )
    r.note_if_closed(day)
    return at


def _date_ahead(r: _Reading, spec: grammar.DaySpec, time_spec: TimeSpec | None) -> datetime:
    """A date with a year is that date; without, the next such date whose moment is ahead."""
    default = r.calendar.end
    if spec.year is not None:
        day = date(spec.year, spec.month, spec.day)
        _check_weekday(r, spec, day)
        r.note_if_closed(day)
        return r.place(_wall(day, time_spec, r.calendar, default=default))
    days = _dates_from_year(spec, r.today.year, step=1)
    walls = [_wall(day, time_spec, r.calendar, default=default) for day in days]
    at, index = r.first_ahead(walls)
    day = days[index]
    _check_weekday(r, spec, day)
    if day.year != r.today.year:
        r.note(_passed_or_missing(spec, r.today.year, timefmt.day_label(day, year=True)))
    r.note_if_closed(day)
    return at


def _check_weekday(r: _Reading, spec: grammar.DaySpec, day: date) -> None:
    """ "fri 12 mar": the weekday said must be the date's; else refused, naming both."""
    if spec.said_weekday is None or spec.said_weekday == day.weekday():
        return
    raise r.refuse(
        _("'{phrase}': {date} is a {actual}, not a {said}; give the date alone or fix it"),
        date=timefmt.day_month(day.day, day.month, day.year),
        actual=when_examples.weekday_name(day.weekday()),
        said=when_examples.weekday_name(spec.said_weekday),
    )


def _dates_from_year(spec: grammar.DaySpec, year: int, *, step: int) -> list[date]:
    """The date in `year` and the following (or earlier) years that have it (29 Feb)."""
    found = []
    for offset in range(9):
        try:
            found.append(date(year + step * offset, spec.month, spec.day))
        except ValueError:
            continue
        if len(found) == 2:
            break
    return found


def _passed_or_missing(spec: grammar.DaySpec, year: int, took: str) -> str:
    """ "24 Dec 2026 has passed; took Fri 24 Dec 2027", or "29 Feb 2026 does not exist; …"."""
    fields = {"date": timefmt.day_month(spec.day, spec.month, year), "day": took}
    try:
        date(year, spec.month, spec.day)
    except ValueError:
        return _("{date} does not exist; took {day}").format(**fields)
    return _("{date} has passed; took {day}").format(**fields)


def _end_of_period(
    r: _Reading, kind: str, time_spec: TimeSpec | None, *, weeks_on: int = 0
) -> datetime:
    """eow / eom: the closing of the week's (month's) last business day; if past, the next.
    "end of next week" is eow of the following work week (`weeks_on`)."""
    calendar, anchor = r.calendar, r.today
    if weeks_on:
        anchor = calendar.start_of_week(anchor) + timedelta(days=7 * weeks_on)
    for attempt in range(60):
        last = _last_business_day(calendar, kind, anchor)
        if last is not None:
            wall = _wall(last, time_spec, calendar, default=calendar.end)
            at, _ = wall_to_utc(wall, r.zone)
            if at > r.now:
                _note_period_shift(r, kind, attempt, last)
                return r.place(wall)
        anchor = _next_period_start(calendar, kind, anchor)
    raise r.refuse(
        _(
            "'{phrase}' finds no business day in the next five years; check business.days "
            "and business.holidays"
        )
    )


def _last_business_day(calendar: BusinessCalendar, kind: str, anchor: date) -> date | None:
    if kind == "eow":
        return calendar.last_business_day_of_week(anchor)
    return calendar.last_business_day_of_month(anchor)


def _next_period_start(calendar: BusinessCalendar, kind: str, anchor: date) -> date:
    if kind == "eow":
        return calendar.start_of_week(anchor) + timedelta(days=7)
    return (anchor.replace(day=1) + timedelta(days=32)).replace(day=1)


def _note_period_shift(r: _Reading, kind: str, attempt: int, last: date) -> None:
    if attempt:
        if kind == "eow":
            note = _("this week's last business day is over; took next week's, {day}")
        else:
            note = _("this month's last business day is over; took next month's, {day}")
        r.note(note.format(day=timefmt.day_label(last)))
    # Holidays after the chosen day explain why it is not the period's usual last day.
    r.note_holidays(last + ONE_DAY, _period_last_day(r.calendar, kind, last))


def _period_last_day(calendar: BusinessCalendar, kind: str, day: date) -> date:
    """The last calendar day of the work week or month `day` is in."""
    if kind == "eow":
        return calendar.start_of_week(day) + timedelta(days=6)
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1) - ONE_DAY


# --- backward: --since and --until --------------------------------------------------------


def _backward(r: _Reading) -> datetime:
    phrase = r.phrase
    if phrase.instant is not None:
        return phrase.instant
    if isinstance(phrase.time, grammar.Part):  # where a part ends: a deadline's reading
        raise r.refuse(_("'{phrase}' is a deadline word; {forms}"), forms=since_forms())
    if phrase.now:
        return r.now
    if phrase.amount is not None:
        ahead = phrase.amount.explicit_in and not phrase.amount.backwards
        if phrase.amount.calendar:
            raise _calendar_units_refused(r, phrase.amount, ahead=ahead)
        if ahead and not phrase.amount.is_business:
            return _forward_amount(r, phrase.amount, phrase.time)
        return _amount_ago(r, phrase.amount, phrase.time)
    if phrase.day is None:
        return _time_alone_back(r, phrase.time)
    return _day_back(r, phrase.day, phrase.time)


def _time_alone_back(r: _Reading, spec: TimeSpec | None) -> datetime:
    """ "14:00": the most recent 14:00 (today if passed, else yesterday); "midnight": today's."""
    if spec == grammar.BUSINESS_END:
        raise r.refuse(_("'{phrase}' is a deadline word; {forms}"), forms=since_forms())
    if spec == grammar.MIDNIGHT:
        return r.place(datetime.combine(r.today, time(0)))
    today = r.today
    for day in (today, today - ONE_DAY):
        at, note = wall_to_utc(_wall(day, spec, r.calendar, default=time(0)), r.zone)
        if at <= r.now:
            break
    if note:
        r.note(note)
    return at


def _day_back(r: _Reading, spec: grammar.DaySpec, time_spec: TimeSpec | None) -> datetime:
    start = time(0)
    if spec.kind in DAY_OFFSETS:
        day = r.today + ONE_DAY * DAY_OFFSETS[spec.kind]
    elif spec.kind == "weekday":
        day = _weekday_back(r, spec)
    elif spec.kind == "date":
        day = _date_back(r, spec)
    elif spec.kind == "period":
        day = _period_start(r, spec)
    else:
        raise r.refuse(_("'{phrase}' is a deadline word; {forms}"), forms=since_forms())
    return r.place(_wall(day, time_spec, r.calendar, default=start))


def _weekday_back(r: _Reading, spec: grammar.DaySpec) -> date:
    if spec.upcoming:
        following_week = r.calendar.start_of_week(r.today) + timedelta(days=7)
        return following_week + timedelta(days=(spec.weekday - r.calendar.week_start) % 7)
    return r.today - timedelta(days=(r.today.weekday() - spec.weekday) % 7)


def _date_back(r: _Reading, spec: grammar.DaySpec) -> date:
    if spec.year is not None:
        day = date(spec.year, spec.month, spec.day)
    else:
        candidates = _dates_from_year(spec, r.today.year, step=-1)
        day = next((day for day in candidates if day <= r.today), candidates[-1])
    _check_weekday(r, spec, day)
    return day


def _period_start(r: _Reading, spec: grammar.DaySpec) -> date:
    """The first day of this/last/next week, month or year."""
    today = r.today
    if spec.period == "week":
        return r.calendar.start_of_week(today) + timedelta(days=7 * spec.offset)
    if spec.period == "year":
        return date(today.year + spec.offset, 1, 1)
    months = today.year * 12 + today.month - 1 + spec.offset
    return date(months // 12, months % 12 + 1, 1)
