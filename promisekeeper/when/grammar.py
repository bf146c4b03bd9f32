"""The words of the time language: text in, a Phrase (its shape, not yet a moment) out.

when.py gives a Phrase its moment from `now`, a zone and the business calendar. Every
refusal about the words themselves is made here: unknown words, impossible dates and times,
ambiguous numbers and slash dates, unknown zones, seconds. No clock, no arithmetic on moments:
months and years are read, but when.py refuses them, naming the date they would land on.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import date, datetime

from promisekeeper.lang.i18n import _, ngettext
from promisekeeper.sanitize import clean
from promisekeeper.when import examples as when_examples
from promisekeeper.when import zones
from promisekeeper.when.words import native as when_native
from promisekeeper.when.words.en import (
    BUSINESS_END,
    CLOCK,
    COMMA_DECIMAL,
    DAY_NUMBER,
    DAY_WORDS,
    DECIMAL_AMOUNT,
    DOTTED_AMPM,
    FILLERS,
    GLUED,
    GLUED_PART,
    HOUR_AMPM,
    INSTANT,
    ISO_DATE,
    MAX_BUSINESS_DAYS,
    MAX_MINUTES,
    MAX_YEAR,
    MIDNIGHT,
    MIN_YEAR,
    MINUTES_PER_MONTH,
    MONTH_DAYS,
    MONTH_NAMES,
    MONTHS,
    NEXT_WEEK_END,
    NUMBER_WORDS,
    NUMBERS,
    PARTS_OF_DAY,
    SLASH_DATE,
    SPELLED_NUMBER,
    SPELLED_NUMBERS,
    SPOKEN_CLOCK,
    SYNONYM_PATTERNS,
    UNIT_NAMES,
    UNITS,
    WEEKDAYS,
    YEAR,
    ZONE_LIKE,
    decimal_advice,
    since_decimal_advice,
    since_forms,
    try_forms,
)


class WhenError(ValueError):
    """A time phrase that cannot be read; the message says why and what would work.

    `for_since` is the message to give when reading for --since/--until, where other forms
    work (deadline words are refused there); it is the same message unless it names forms.
    """

    def __init__(self, message: str, for_since: str | None = None) -> None:
        super().__init__(message)
        self.for_since = message if for_since is None else for_since


def refusal(problem: str) -> WhenError:
    """A refusal that ends with forms that work: for deadlines, or for --since/--until."""
    return WhenError(f"{problem}; {try_forms()}", for_since=f"{problem}; {since_forms()}")


@dataclass(frozen=True)
class ClockTime:
    """A wall-clock time of day."""

    hour: int
    minute: int
    second: int = 0
    spoken: bool = False  # said on the 12-hour clock ("half past 3"); a part of the day settles it
    as_said: bool = False  # spoken, but alone it reads as itself ("alle 8" is 08:00)


@dataclass(frozen=True)
class Part:
    """A part of the day ("afternoon"): the deadline is where it ends (see when.dayparts)."""

    name: str  # a dayparts.PARTS name, or "later" for "later today"


TimeSpec = ClockTime | Part | str  # or MIDNIGHT / BUSINESS_END
# The language a phrase is being read in, so a refusal can quote the word as it was typed.
_reading_language: ContextVar[str] = ContextVar("reading_language", default="en")


@dataclass(frozen=True)
class DaySpec:
    """A day as named: today, a weekday, a date, or a business word (nbd, eow, eom)."""

    kind: str  # a DAY_OFFSETS word, tonight, weekday, date, nbd, eow, eom or period
    weekday: int = 0
    upcoming: bool = False  # "next fri": the Friday of the next work week
    said_weekday: int | None = None  # "fri 12 mar": the weekday said with a date, to check
    year: int | None = None
    month: int = 0
    day: int = 0
    period: str = ""  # for "this week", "last month", …: week, month or year
    offset: int = 0  # 0 this, -1 last, 1 next


@dataclass(frozen=True)
class Amount:
    """A length of time: exact minutes, wall-clock days, or business time (never mixed)."""

    minutes: int = 0
    days: int = 0
    business_minutes: int = 0
    business_days: int = 0
    business: str = ""  # "hours" or "days" when counted in business time, even zero of it
    # Months and years (12 months each) are read only to be refused: when.py names the date
    # they would land on. `calendar` is "months", "years" or "years and months" when named.
    months: int = 0
    calendar: str = ""
    backwards: bool = False  # "2h ago"
    explicit_in: bool = False  # "in 2h", as opposed to "2h"

    @property
    def is_business(self) -> bool:
        return bool(self.business)


@dataclass(frozen=True)
class Phrase:
    """What a time phrase says, before `now`, the zone and the calendar give it a moment."""

    shown: str  # the text as typed, safe to print
    zone_name: str | None = None
    instant: datetime | None = None
    now: bool = False
    amount: Amount | None = None
    day: DaySpec | None = None
    time: TimeSpec | None = None


def shown(text: str) -> str:
    """The phrase as it may appear in a message: one line, no controls, not too long."""
    line = " ".join(clean(text).split())
    return line if len(line) <= 60 else line[:59] + "…"


def read(text: str, language: str = "en") -> Phrase:
    """Read a time phrase into its shape; WhenError says what is wrong and what works.

    English is always read; `language` adds its words (see when_native), winning where a
    word means something else in English.
    """
    quoted = shown(text)
    if not quoted:
        raise refusal(_("no time given"))
    token = _reading_language.set(language)
    try:
        return _read(text, language, quoted)
    finally:
        _reading_language.reset(token)


def _read(text: str, language: str, quoted: str) -> Phrase:
    words, zone_name = _split_zone(text)
    line = _canonical(words, language, quoted)
    if COMMA_DECIMAL.search(line.lower()):
        raise _decimal_refused(quoted)
    tokens = _tokens(line)
    if not tokens:
        raise refusal(_("'{phrase}' names no time").format(phrase=quoted))
    instant = _read_instant(tokens, quoted)
    if instant is not None:
        if zone_name:
            raise WhenError(
                _(
                    "'{phrase}' has both a UTC offset and a zone; "
                    "give one, e.g. '2026-12-01 14:00 {zone}'"
                ).format(phrase=quoted, zone=zone_name)
            )
        return Phrase(quoted, instant=instant)
    if tokens == ["now"]:
        return Phrase(quoted, zone_name, now=True)
    found = _read_amount(tokens, quoted)
    if found is not None:
        amount, time = found
        return Phrase(quoted, zone_name, amount=amount, time=time)
    day, time = _read_day_and_time(tokens, quoted)
    return Phrase(quoted, zone_name, day=day, time=time)


def read_duration(text: str, language: str = "en") -> Amount:
    """Read a plain length of time ("15m", "2h30m", "in 1d"); no business units, no "ago"."""
    quoted = shown(text)
    problem = _(
        "'{phrase}' is not a length of time; use e.g. '15m', '90m', '1h', '2h30m', '1d' or '1w'"
    ).format(phrase=quoted)
    try:
        tokens = _tokens(_canonical(text, language, quoted))
        found = _read_amount(tokens, quoted) if tokens else None
    except WhenError:
        raise WhenError(problem) from None
    if found is None or found[1] is not None:
        raise WhenError(problem)
    if found[0].is_business or found[0].backwards or found[0].calendar:
        raise WhenError(problem)
    return found[0]


# --- zones ------------------------------------------------------------------------------


_LAST_WORD = re.compile(r"([^\s,]+)[\s,]*\Z")


def _split_zone(text: str) -> tuple[str, str | None]:
    """Take a trailing zone name ("3pm Europe/Rome", "9am UTC") off the words."""
    found = _LAST_WORD.search(text)
    if found is None:
        return "", None
    last, rest = found.group(1), text[: found.start()]
    several = bool(rest.replace(",", " ").strip())
    if last.lower() in ("utc", "gmt", "z") and several:
        return rest, "UTC" if last.lower() != "gmt" else "GMT"
    if ZONE_LIKE.fullmatch(last) and not SLASH_DATE.fullmatch(last):
        return rest, zone_key(last)
    return text, None


def zone_key(name: str) -> str:
    """The IANA key for a zone name, matched exactly, then ignoring case."""
    key = zones.canonical(name)
    if key is not None:
        return key
    close = zones.closest(name)
    if close:
        raise WhenError(
            _(
                "'{name}' is not a time zone I know; did you mean {close}? use an IANA name "
                "such as America/New_York, Europe/Rome or UTC"
            ).format(name=shown(name), close=close)
        )
    raise WhenError(
        _(
            "'{name}' is not a time zone I know; use an IANA name such as "
            "America/New_York, Europe/Rome or UTC"
        ).format(name=shown(name))
    )


# --- tokens -----------------------------------------------------------------------------


def _canonical(words: str, language: str, quoted: str) -> str:
    """The words with the language's own turned into those read below (English unchanged)."""
    lexicon = when_native.lexicon(language)
    if lexicon is None:
        return words
    return lexicon.canonical(words)


def _tokens(text: str) -> list[str]:
    """Lower-case words with synonyms merged, number words as digits, fillers dropped."""
    line = " ".join(text.lower().replace(",", " ").split())
    for pattern, replacement in SYNONYM_PATTERNS:
        line = pattern.sub(replacement, line)
    words = (NUMBER_WORDS.get(word, word) for word in line.split())
    return [word for word in words if word not in FILLERS]


def _read_instant(tokens: list[str], quoted: str) -> datetime | None:
    """A full ISO instant with an offset ("2026-12-01T14:00+01:00"), else None."""
    match = INSTANT.fullmatch(" ".join(tokens))
    if match is None:
        return None
    day, clock, offset = match.groups()
    _check_date(*(int(part) for part in day.split("-")), words=day)
    try:
        return datetime.fromisoformat(f"{day}T{clock}{offset.upper()}")
    except ValueError:
        raise WhenError(
            _("'{phrase}' is not a valid ISO time; try e.g. '2026-12-01T14:00+01:00'").format(
                phrase=quoted
            )
        ) from None


# --- amounts: "in 2h", "3d", "in 4 business hours", "2h30m ago" -------------------------


def _read_amount(tokens: list[str], quoted: str) -> tuple[Amount, TimeSpec | None] | None:
    explicit_in = tokens[0] == "in"
    index = 1 if explicit_in else 0
    parts: list[tuple[int, str]] = []
    while index < len(tokens):
        step = _amount_part(tokens, index, quoted, parts)
        if not step:
            break
        index += step
    token = tokens[index] if index < len(tokens) else ""
    following = tokens[index + 1] if index + 1 < len(tokens) else ""
    if DECIMAL_AMOUNT.fullmatch(token) and (following in UNITS or (explicit_in and not parts)):
        raise _decimal_refused(quoted)
    if not parts:
        if explicit_in:
            raise _amount_missing(tokens[1:], quoted)
        return None
    backwards = index < len(tokens) and tokens[index] == "ago"
    index += backwards
    amount = _amount(parts, quoted, backwards=backwards, explicit_in=explicit_in)
    time = _read_time_after_amount(tokens[index:], {unit for _, unit in parts}, quoted)
    return amount, time


def _amount_part(tokens: list[str], index: int, quoted: str, parts: list[tuple[int, str]]) -> int:
    """Read one "2h" / "2 hours" / "an hour" at index into parts; how many tokens it took."""
    token = tokens[index]
    following = tokens[index + 1] if index + 1 < len(tokens) else ""
    if token == "and" and parts and following:
        return 1
    spelled = _spelled_number(tokens, index)
    if spelled and index + spelled < len(tokens) and tokens[index + spelled] in UNITS:
        digits = SPELLED_NUMBER.sub(_digits_for, quoted)
        raise WhenError(
            _(
                "'{phrase}': only one to twelve may be written as words; "
                "write the number in digits, e.g. '{digits}'"
            ).format(phrase=quoted, digits=digits)
        )
    if GLUED.fullmatch(token):
        parts.extend((_number(n, quoted), UNITS[u]) for n, u in GLUED_PART.findall(token))
        return 1
    if following in UNITS and ((token.isascii() and token.isdigit()) or token in ("a", "an")):
        parts.append((1 if token in ("a", "an") else _number(token, quoted), UNITS[following]))
        return 2
    return 0


def _spelled_number(tokens: list[str], index: int) -> int:
    """How many tokens a number in words above twelve takes at index ("twenty five"), or 0."""
    head, dash, tail = tokens[index].partition("-")
    if head not in SPELLED_NUMBERS:
        return 0
    if dash:
        return 1 if SPELLED_NUMBERS[head] >= 20 and tail in NUMBERS.split()[:9] else 0
    following = tokens[index + 1] if index + 1 < len(tokens) else ""
    # Words one to nine are digits by now ("twenty five" is ["twenty", "5"]).
    return 2 if SPELLED_NUMBERS[head] >= 20 and following in tuple("123456789") else 1


def _digits_for(match: re.Match[str]) -> str:
    tens, ones, small = match.groups()
    if small is not None:
        return str(SPELLED_NUMBERS[small.lower()])
    return str(SPELLED_NUMBERS[tens.lower()] + int(NUMBER_WORDS.get((ones or "").lower(), "0")))


def _amount_missing(rest: list[str], quoted: str) -> WhenError:
    """ "in" without an amount it can read: "in soon", "in a few hours", "in several days"."""
    unit = next((UNITS[token] for token in rest[:3] if token in UNITS), "")
    if unit in UNIT_NAMES:
        example = when_examples.amount_example([(3 if unit != "minute" else 15, unit)], explicit=True)
        return WhenError(
            _(
                "'{phrase}': write the amount as a number (in digits, or one to twelve in "
                "words), e.g. '{example}'"
            ).format(phrase=quoted, example=example)
        )
    return WhenError(
        _("'{phrase}': 'in' needs an amount, e.g. 'in 2h', 'in 3 days', 'in 4 business hours'")
        .format(phrase=quoted),
        for_since=_("'{phrase}': 'in' needs an amount, e.g. 'in 2h' or 'in 3 days'").format(
            phrase=quoted
        ),
    )


def _decimal_refused(quoted: str) -> WhenError:
    """ "in 1.5h": whole numbers; reading backward, without "in", as that long ago."""
    ahead = quoted.lower().startswith("in ")
    since = decimal_advice() if ahead else since_decimal_advice()
    return WhenError(f"'{quoted}': {decimal_advice()}", for_since=f"'{quoted}': {since}")


def _number(digits: str, quoted: str) -> int:
    if len(digits) > 7:
        raise _too_far(quoted, backwards=False)
    return int(digits)


def _too_far(quoted: str, *, backwards: bool) -> WhenError:
    if backwards:
        problem = _("'{phrase}' is too far away; promisekeeper reads up to about ten years back")
    else:
        problem = _("'{phrase}' is too far away; promisekeeper reads up to about ten years ahead")
    return WhenError(problem.format(phrase=quoted))


def _amount(
    parts: list[tuple[int, str]], quoted: str, *, backwards: bool, explicit_in: bool
) -> Amount:
    total = dict.fromkeys(UNITS.values(), 0)
    for number, unit in parts:
        total[unit] += number
    units = {unit for _, unit in parts}
    if "second" in units and not units & {"month", "year"}:  # else refused for those
        raise _seconds_refused(parts, quoted, backwards=backwards, explicit_in=explicit_in)
    kinds = [
        bool(units - {"business_hour", "business_day"}),
        "business_hour" in units,
        "business_day" in units,
    ]
    if sum(kinds) > 1:
        raise WhenError(
            _(
                "'{phrase}' mixes units that do not add up; give one kind, e.g. "
                "'in 2h30m', 'in 3 business days' or 'in 4 business hours'"
            ).format(phrase=quoted),
            for_since=_(
                "'{phrase}' mixes units that do not add up; give one kind, e.g. "
                "'2h30m' or '3d' (business time does not count backward)"
            ).format(phrase=quoted),
        )
    amount = Amount(
        minutes=total["minute"] + 60 * total["hour"],
        days=total["day"] + 7 * total["week"],
        business_minutes=60 * total["business_hour"],
        business_days=total["business_day"],
        business="hours" if kinds[1] else "days" if kinds[2] else "",
        backwards=backwards,
        explicit_in=explicit_in,
        months=total["month"] + 12 * total["year"],
        calendar=" and ".join(f"{u}s" for u in ("year", "month") if u in units),
    )
    if (
        amount.minutes + amount.days * 1440 + amount.months * MINUTES_PER_MONTH > MAX_MINUTES
        or amount.business_days > MAX_BUSINESS_DAYS
        or amount.business_minutes > MAX_BUSINESS_DAYS * 8 * 60
    ):
        raise _too_far(quoted, backwards=backwards)
    return amount


def _seconds_refused(
    parts: list[tuple[int, str]], quoted: str, *, backwards: bool, explicit_in: bool
) -> WhenError:
    """ "in 30 seconds" → 'in 1m'; "2h 30s" → '2h': a deadline is to the minute."""
    rest = [(number, unit) for number, unit in parts if unit != "second"]
    if not rest:
        seconds = sum(number for number, _ in parts)
        rest = [(max(1, -(-seconds // 60)), "minute")]
    try:  # the rest may itself be refused ("1000w 0s" is too far): say that instead
        _amount(rest, quoted, backwards=backwards, explicit_in=explicit_in)
    except WhenError as refused:
        return refused
    example = when_examples.amount_example(rest, explicit=explicit_in, backwards=backwards, short=True)
    return WhenError(
        _("'{phrase}': promisekeeper counts whole minutes, not seconds; write e.g. '{example}'")
        .format(phrase=quoted, example=example)
    )


def _read_time_after_amount(rest: list[str], units: set[str], quoted: str) -> TimeSpec | None:
    """ "in 3 days 10am": a time of day may follow whole days, never hours or minutes."""
    if not rest:
        return None
    for token in rest:
        if _read_time(token) is None:
            if token in DAY_WORDS or token in WEEKDAYS or token in MONTHS:
                raise WhenError(
                    _(
                        "'{phrase}': only a time of day may follow an amount, "
                        "e.g. 'in 3 days 10am'"
                    ).format(phrase=quoted)
                )
            raise _unknown(token, quoted)
    if len(rest) > 1:
        raise WhenError(
            _("'{phrase}' names two times; give one, e.g. 'in 3 days 10am'").format(phrase=quoted)
        )
    if units & {"minute", "hour", "business_hour"}:
        raise WhenError(
            _(
                "'{phrase}' gives both a length in hours or minutes and a time of day; "
                "give one, e.g. 'in 2h' or 'tomorrow 10am'"
            ).format(phrase=quoted)
        )
    time = _read_time(rest[0])
    if isinstance(time, ClockTime) and time.spoken:
        return _settle(time, "", quoted)
    return time


# --- days and times: "fri 3pm", "24 dec 10:30", "tomorrow", "nbd 10am" --------------------


def _read_day_and_time(tokens: list[str], quoted: str) -> tuple[DaySpec | None, TimeSpec | None]:
    day: DaySpec | None = None
    time: TimeSpec | None = None
    part: str = ""
    # With a part of the day named, a bare hour is a time on its clock ("this afternoon at 3").
    parted = any(token in PARTS_OF_DAY or token == "tonight" for token in tokens)
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token == "and" and 0 < index < len(tokens) - 1:  # "tomorrow and …": read on
            index += 1
            continue
        if token in PARTS_OF_DAY:
            if {part, PARTS_OF_DAY[token]} == {"morning", "first_thing"}:
                part, index = "first_thing", index + 1  # "first thing tomorrow morning"
                continue
            if part:
                raise WhenError(
                    _("'{phrase}' names two parts of the day; give one, e.g. 'tomorrow morning'")
                    .format(phrase=quoted),
                    for_since=_deadline_word(quoted),
                )
            part, index = PARTS_OF_DAY[token], index + 1
            continue
        taken, found_day = _read_day(tokens, index, quoted)
        if taken:
            day, index = _another_day(day, found_day, quoted), index + taken
            continue
        found_time = _read_time(token)
        if found_time is None and parted and token.isascii() and token.isdigit():
            if 1 <= int(token) <= 12:
                found_time = ClockTime(int(token), 0, spoken=True)
        if found_time is None:
            raise _unknown(token, quoted)
        if time is not None:
            raise WhenError(
                _("'{phrase}' names two times; give one, e.g. 'tomorrow 9am'").format(
                    phrase=quoted
                )
            )
        time, index = found_time, index + 1
    if part == "later" and day is not None and day.kind != "today":
        raise WhenError(
            _("'{phrase}': 'later today' is today; for another day name its part, e.g. "
              "'tomorrow afternoon'").format(phrase=quoted),
            for_since=_deadline_word(quoted),
        )
    if isinstance(time, ClockTime) and time.spoken:
        time = _settle(time, part or ("evening" if day and day.kind == "tonight" else ""), quoted)
    return day, time if time is not None or not part else Part(part)


def _deadline_word(quoted: str) -> str:
    """For --since/--until, where a part of the day is a deadline word: the forms there."""
    return _("'{phrase}' is a deadline word; {forms}").format(phrase=quoted, forms=since_forms())


def _another_day(day: DaySpec | None, found: DaySpec | None, quoted: str) -> DaySpec | None:
    """A second day named: a weekday with its date ("fri 12 mar") is kept to be checked
    against the date; any other second day is refused."""
    if day is not None and found is not None:
        pair = {day.kind, found.kind}
        if pair == {"weekday", "date"} and not (day.upcoming or found.upcoming):
            weekday, dated = (day, found) if day.kind == "weekday" else (found, day)
            return replace(dated, said_weekday=weekday.weekday)
        raise WhenError(
            _("'{phrase}' names two days; give one, e.g. 'fri 3pm' or '24 dec 10:30'")
            .format(phrase=quoted)
        )
    return found


def _settle(time: ClockTime, part: str, quoted: str) -> ClockTime:
    """A time said on the 12-hour clock: the part of the day says which half; without one
    it is a guess, refused naming both moments."""
    from promisekeeper.when.dayparts import AFTER_NOON

    morning, afternoon = time.hour % 12, time.hour % 12 + 12
    if part in AFTER_NOON:
        return ClockTime(afternoon, time.minute)
    if time.as_said:
        return ClockTime(time.hour, time.minute)
    if part:
        return ClockTime(morning, time.minute)
    first, second = f"{morning:02d}:{time.minute:02d}", f"{afternoon}:{time.minute:02d}"
    if time.minute == 0:
        raise WhenError(
            _(
                "'{phrase}' could be {hour:02d}:00 or {pm_hour}:00; write the hour on the "
                "24-hour clock, e.g. '{pm_hour}:00' or '{hour:02d}:00'"
            ).format(phrase=quoted, hour=morning, pm_hour=afternoon)
        )
    raise WhenError(
        _(
            "'{phrase}' could be {second} or {first}; write the time on the 24-hour clock, "
            "e.g. '{second}' or '{first}', or name the part of the day (morning, afternoon)"
        ).format(phrase=quoted, first=first, second=second)
    )


def _read_day(tokens: list[str], index: int, quoted: str) -> tuple[int, DaySpec | None]:
    """A day named at tokens[index]: how many tokens it takes (0 if none) and the day."""
    token = tokens[index]
    following = tokens[index + 1] if index + 1 < len(tokens) else ""
    if token in DAY_WORDS:
        return 1, DaySpec(DAY_WORDS[token])
    if token == NEXT_WEEK_END:
        return 1, DaySpec("eow", offset=1)
    if token in WEEKDAYS:
        return 1, DaySpec("weekday", weekday=WEEKDAYS[token])
    if token in ("next", "this", "last"):
        return _read_relative_day(token, following, quoted)
    if match := ISO_DATE.fullmatch(token):
        year, month, day = (int(part) for part in match.groups())
        _check_date(year, month, day, words=token)
        return 1, DaySpec("date", year=year, month=month, day=day)
    if token in MONTHS:
        return _read_month_first(tokens, index, quoted)
    if DAY_NUMBER.fullmatch(token):
        return _read_day_first(tokens, index, quoted)
    return 0, None


def _read_relative_day(word: str, following: str, quoted: str) -> tuple[int, DaySpec]:
    if following in WEEKDAYS and word != "last":
        spec = DaySpec(
            "weekday",
            weekday=WEEKDAYS[following],
            upcoming=word == "next",
        )
        return 2, spec
    if following in ("week", "month", "year"):
        offset = {"this": 0, "last": -1, "next": 1}[word]
        return 2, DaySpec("period", period=following, offset=offset)
    raise WhenError(
        _(
            "'{phrase}': '{word}' needs a weekday or a period, e.g. 'next fri', 'this thu', "
            "'next business day' or (for --since) 'last week'"
        ).format(phrase=quoted, word=word),
        for_since=_(
            "'{phrase}': '{word}' needs a weekday or a period, e.g. 'last week', 'this month', "
            "'last year' or 'this mon'"
        ).format(phrase=quoted, word=word),
    )


def _read_month_first(tokens: list[str], index: int, quoted: str) -> tuple[int, DaySpec]:
    """ "dec 24", "december 24th 2026"."""
    month_word = tokens[index]
    following = tokens[index + 1] if index + 1 < len(tokens) else ""
    match = DAY_NUMBER.fullmatch(following)
    if match is None:
        month = MONTHS[month_word]
        raise WhenError(
            _("'{phrase}': which day of {month}? write e.g. '{example}' or '{month_first}'").format(
                phrase=quoted,
                month=_month_name(month),
                example=when_examples.date_example(24, month),
                month_first=f"{MONTH_NAMES[month - 1].lower()} 24",
            )
        )
    year, taken = _year_at(tokens, index + 2)
    return _date_spec(year, MONTHS[month_word], int(match.group(1)), quoted, 2 + taken)


def _read_day_first(tokens: list[str], index: int, quoted: str) -> tuple[int, DaySpec | None]:
    """ "24 dec", "1st of december 2026"; a number not followed by a month is no day."""
    position = index + 1
    if position < len(tokens) and tokens[position] == "of":
        position += 1
    if position >= len(tokens) or tokens[position] not in MONTHS:
        return 0, None
    year, taken = _year_at(tokens, position + 1)
    day = int(DAY_NUMBER.fullmatch(tokens[index]).group(1))  # type: ignore[union-attr]
    end = position + 1 + taken
    return _date_spec(year, MONTHS[tokens[position]], day, quoted, end - index)


def _year_at(tokens: list[str], index: int) -> tuple[int | None, int]:
    if index < len(tokens) and YEAR.fullmatch(tokens[index]):
        return int(tokens[index]), 1
    return None, 0


def _date_spec(
    year: int | None, month: int, day: int, quoted: str, taken: int
) -> tuple[int, DaySpec]:
    """A date named with a month's name; refused, as typed, when it does not exist."""
    _check_date(year, month, day, words=quoted)
    return taken, DaySpec("date", year=year, month=month, day=day)


def _check_date(year: int | None, month: int, day: int, *, words: str) -> None:
    """Refuse 2026-02-30, 31 apr, 2026-13-01 and years out of range, saying why."""
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        raise WhenError(
            _("'{words}': promisekeeper reads years {first}–{last}; e.g. '2026-12-01'").format(
                words=words, first=MIN_YEAR, last=MAX_YEAR
            )
        )
    if not 1 <= month <= 12:
        raise WhenError(
            _("'{words}' is not a date (months go 1–12); e.g. '2026-12-01'").format(words=words)
        )
    if year is None:
        length, where = MONTH_DAYS[month - 1], _month_name(month)
    else:
        length = ((date(year + month // 12, month % 12 + 1, 1)) - date(year, month, 1)).days
        where = _month_name(month, year)
    if not 1 <= day <= length:
        raise WhenError(
            ngettext(
                "'{words}' is not a date ({where} has {length} day); e.g. '{example}'",
                "'{words}' is not a date ({where} has {length} days); e.g. '{example}'",
                length,
            ).format(
                words=words,
                where=where,
                length=length,
                example=when_examples.date_example(min(day, length) or 1, month),
            )
        )


def _month_name(month: int, year: int | None = None) -> str:
    """A month as a sentence names it: "Feb", "Feb 2026"; "febbraio 2026"; "2026. február"."""
    from promisekeeper.when import timefmt

    return timefmt.month_name(month, year)


def _read_time(token: str) -> TimeSpec | None:
    """A time of day in one token, None if the token is no time; impossible times are refused."""
    if token in ("noon", "midday"):
        return ClockTime(12, 0)
    if token in (MIDNIGHT, BUSINESS_END):
        return token
    if match := SPOKEN_CLOCK.fullmatch(token):
        as_said = match.group(3) == "^"
        return ClockTime(int(match.group(1)), int(match.group(2)), spoken=True, as_said=as_said)
    if match := CLOCK.fullmatch(token):
        hour, minute, second, half = match.groups()
        if len(match.group(2)) != 2 or (second is not None and len(second) != 2) or len(hour) > 2:
            raise _impossible_time(
                token, _("write hours and minutes as HH:MM, e.g. '09:30' or '14:00'")
            )
        return _clock_time(token, int(hour), int(minute), int(second or 0), half)
    if match := DOTTED_AMPM.fullmatch(token):
        hour, minute, half = match.groups()
        return _clock_time(token, int(hour), int(minute), 0, half)
    if match := HOUR_AMPM.fullmatch(token):
        if len(match.group(1)) > 2:
            raise _impossible_time(token, _("write e.g. '3pm', '3:30pm' or '15:30'"))
        return _clock_time(token, int(match.group(1)), 0, 0, match.group(2))
    return None


def _clock_time(token: str, hour: int, minute: int, second: int, half: str | None) -> ClockTime:
    if minute > 59 or second > 59:
        raise _impossible_time(token, _("minutes go 00–59; e.g. '9:45'"))
    if half is not None:
        if not 1 <= hour <= 12:
            raise _impossible_time(
                token,
                _("am/pm hours go 1–12; write '{hour:02d}:{minute:02d}' or e.g. '1pm'").format(
                    hour=hour, minute=minute
                ),
            )
        hour = hour % 12 + (12 if half == "pm" else 0)
    elif hour == 24 and minute == 0:
        raise _impossible_time(
            token, _("for the end of the day write 'midnight'; for its start '00:00'")
        )
    elif hour > 23:
        raise _impossible_time(token, _("hours go 00–23; try '23:00' or '11pm'"))
    return ClockTime(hour, minute, second)


def _impossible_time(token: str, advice: str) -> WhenError:
    return WhenError(
        _("'{token}' is not a time of day ({advice})").format(token=token, advice=advice)
    )


def _unknown(token: str, quoted: str) -> WhenError:
    """The most helpful refusal for a word nothing else could read."""
    if SLASH_DATE.fullmatch(token):
        return WhenError(
            _(
                "'{token}' could be read day-first or month-first; "
                "write the date as '2026-12-01' or '{example}'"
            ).format(token=token, example=when_examples.date_example(1, 12))
        )
    if token.isascii() and token.isdigit():
        return WhenError(
            _("'{token}' alone is ambiguous (a time? a day of the month?); {advice}").format(
                token=token, advice=when_examples.number_advice(token)
            )
        )
    if DECIMAL_AMOUNT.fullmatch(token):
        return _decimal_refused(quoted)
    if match := DAY_NUMBER.fullmatch(token):
        return WhenError(
            _("'{phrase}': {token} of which month? write e.g. '{example}'").format(
                phrase=quoted, token=token, example=when_examples.date_example(int(match.group(1)), 12)
            )
        )
    if token in zones.ABBREVIATIONS:
        return WhenError(
            _("'{token}' is not an exact zone; use an IANA name such as {zone}").format(
                token=token, zone=zones.ABBREVIATIONS[token]
            )
        )
    if ZONE_LIKE.fullmatch(token):
        return WhenError(
            _("'{phrase}': put the zone last, e.g. 'tomorrow 3pm Europe/Rome'").format(
                phrase=quoted
            )
        )
    if token == "in" or token == "ago":
        return WhenError(
            _("'{phrase}': '{token}' goes with an amount, e.g. 'in 2h' or '3d ago'").format(
                phrase=quoted, token=shown(_as_typed(token, quoted))
            )
        )
    return refusal(
        _("'{token}' is not a time word I know (in '{phrase}')").format(
            token=shown(_as_typed(token, quoted)), phrase=quoted
        )
    )


def _as_typed(token: str, quoted: str) -> str:
    """The word as typed when reading another language changed it: folded accents
    ("holnapelott" was typed "holnapelőtt"), or a word of that language read as English
    ("and" was typed "e"); else the token."""
    lexicon = when_native.lexicon(_reading_language.get())
    for word in quoted.split():
        folded = when_native.fold(word)
        if word.lower() != token and folded == token:
            return word
        if lexicon is not None and lexicon.words.get(folded) == token:
            return word
    return token
