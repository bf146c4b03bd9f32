"""The vocabulary of the time language: its words, units, limits and patterns.

when_grammar reads phrases with these; nothing here reads or decides anything.
"""

from __future__ import annotations

import re

from promisekeeper.lang.i18n import _
from promisekeeper.limits import FIRST_YEAR, LAST_YEAR


def try_forms() -> str:
    """Forms that work as a deadline, in the active language."""
    return _(
        "try e.g. 'in 2h', 'tomorrow 10am', 'tomorrow afternoon', 'within 2 business days', "
        "'fri 3pm', 'eod' or '2026-12-01 14:00'"
    )


def since_forms() -> str:
    """What works when reading backward (--since, --until), where deadline words are refused."""
    return _(
        "for --since/--until try e.g. '30d', '2w', 'mon', 'yesterday', 'this month' or "
        "'2026-11-01'"
    )


def decimal_advice() -> str:
    return _("use whole numbers, e.g. 'in 1h30m' or 'in 90m'")


def since_decimal_advice() -> str:
    """Without "in": that long ago."""
    return _("use whole numbers, e.g. '1h30m' or '90m'")


MIN_YEAR, MAX_YEAR = FIRST_YEAR, LAST_YEAR  # the years every way in accepts
# Amounts further than about ten years are typos, and business arithmetic walks day by day.
MAX_DAYS = 3660
MAX_BUSINESS_DAYS = 2600
MAX_MINUTES = MAX_DAYS * 24 * 60
MINUTES_PER_MONTH = 43830  # an average month (30.44 days), to hold months to the same bound

MONTH_WORDS = (
    "jan january|feb february|mar march|apr april|may|jun june|jul july|aug august"
    "|sep sept september|oct october|nov november|dec december"
)
WEEKDAY_WORDS = (
    "mon monday|tue tues tuesday|wed weds wednesday|thu thur thurs thursday"
    "|fri friday|sat saturday|sun sunday"
)
MONTHS = {w: n for n, words in enumerate(MONTH_WORDS.split("|"), start=1) for w in words.split()}
WEEKDAYS = {w: n for n, words in enumerate(WEEKDAY_WORDS.split("|")) for w in words.split()}
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
NUMBERS = "one two three four five six seven eight nine ten eleven twelve"
NUMBER_WORDS = {word: str(number) for number, word in enumerate(NUMBERS.split(), start=1)}
# Larger numbers in words are recognised only to say "write digits" ("in 13 hours").
TEENS = "thirteen fourteen fifteen sixteen seventeen eighteen nineteen"
TENS = "twenty thirty forty fifty sixty seventy eighty ninety"
SPELLED_NUMBERS = {
    "zero": 0,
    "fourty": 40,
    **{word: number for number, word in enumerate(TEENS.split(), start=13)},
    **{word: number for number, word in zip(range(20, 100, 10), TENS.split(), strict=True)},
}
UNITS = {
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), "minute"),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), "hour"),
    **dict.fromkeys(("d", "day", "days"), "day"),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), "week"),
    "bh": "business_hour",
    "bd": "business_day",
    # Read only to be refused with a form that works: seconds are finer than a deadline,
    # months and years differ in length (when.py suggests the date they would name).
    **dict.fromkeys(("s", "sec", "secs", "second", "seconds"), "second"),
    **dict.fromkeys(("mo", "mos", "mth", "mths", "month", "months"), "month"),
    **dict.fromkeys(("y", "yr", "yrs", "year", "years"), "year"),
}
# How a unit is written in a suggestion.
UNIT_NAMES = {
    "minute": "minutes",
    "hour": "hours",
    "day": "days",
    "week": "weeks",
    "business_hour": "business hours",
    "business_day": "business days",
}
UNIT_SHORT = {"minute": "m", "hour": "h", "day": "d", "week": "w", "business_hour": "bh"}
UNIT_SHORT |= {"business_day": "bd", "month": "mo", "year": "y"}
DAY_WORDS = {
    "today": "today",
    "tonight": "tonight",
    "tomorrow": "tomorrow",
    "tmrw": "tomorrow",
    "tmr": "tomorrow",
    "yesterday": "yesterday",
    # the day after tomorrow and the day before yesterday, which other languages have one word for
    "overmorrow": "overmorrow",
    "ereyesterday": "ereyesterday",
    "nbd": "nbd",
    "eow": "eow",
    "eom": "eom",
}
FILLERS = frozenset(("by", "at", "on", "due", "before"))
# Parts of the day, as one token each once the words are read (see when.dayparts): the
# token → the part whose end is the deadline. "later" is "later today"/"still today".
PARTS_OF_DAY = {
    "first_thing": "first_thing",
    "morning": "morning",
    "lunch": "lunch",
    "afternoon": "afternoon",
    "evening": "evening",
    "later_today": "later",
}
# A time said on the 12-hour clock without morning or afternoon ("half past 3", "alle 3"):
# "3:30~". A part of the day settles it; alone it is refused, naming both moments. An hour
# that alone reads as itself ("alle 8" is 08:00) is "8:00^": only an afternoon or evening
# moves it ("stasera alle 8" is 20:00).
SPOKEN_CLOCK = re.compile(r"([0-9]{1,2}):([0-9]{2})([~^])", re.ASCII)
MIDNIGHT = "midnight"  # the end of the day named (00:00 of the next)
BUSINESS_END = "eod"  # business.end of the day named



def spoken(hour: int, minute: int, *, ambiguous: bool = True) -> str:
    """A time of day said with half or quarter hours ("half past 3" → "3:30~"); the hour
    is the one the time falls in ("quarter to 5" → 4:45). `ambiguous` marks it as said on
    the 12-hour clock (see SPOKEN_CLOCK); a 24-hour hour (13–23) never is."""
    if hour > 24 or (hour == 24 and minute >= 0):
        return f"{hour}:00"  # no such hour: refused as a time that does not exist
    hour, minute = divmod(hour * 60 + minute, 60)
    mark = "~" if ambiguous and hour <= 12 else ""
    return f"{hour}:{minute:02d}{mark}"


def _said_hour(word: str) -> int:
    return int(NUMBER_WORDS.get(word, word))


def _half_past(match: re.Match[str]) -> str:
    return spoken(_said_hour(match.group(1)), 30)


def _quarter(match: re.Match[str]) -> str:
    sign = 15 if match.group(1) == "past" else -15
    return spoken(_said_hour(match.group(2)), sign)


NEXT_WEEK_END = "eonw"  # "end of next week": eow, a week on


# Several words that mean one thing become one token before the words are read.
SYNONYMS = (
    # "by"/"before" go before any phrase; "before lunch" is the lunch part (below).
    (r"\b(?:the )?end of next (?:work(?:ing)? |business )?week\b", NEXT_WEEK_END),
    (r"\b(?:by |before )?the end of\b", "end of"),
    (r"\bwithin (?:the |this )?(?:business |work(?:ing)? )?week\b", "eow"),
    (r"\bwithin (?:the |this )?month\b", "eom"),
    (r"\bwithin (?:the )?(?:business |work(?:ing)? )?day\b|\bwithin today\b", "eod"),
    (r"\bwithin\b", "in"),
    (r"\bhalf past ([0-9]{1,2}|" + NUMBERS.replace(" ", "|") + r")\b", _half_past),
    (r"\bhalf (" + NUMBERS.replace(" ", "|") + r")\b", _half_past),  # British "half three"
    (r"\b(?:a )?quarter (past|to) ([0-9]{1,2}|" + NUMBERS.replace(" ", "|") + r")\b", _quarter),
    (r"\bfirst thing(?: in the morning)?\b", "first_thing"),
    (r"\b(?:later|still) (?:on )?today\b|\btoday,? later\b|\blater on\b", "later_today"),
    (r"\blate morning\b", "morning"),
    (r"\b(?:before |by )?lunch(?:time)?\b", "lunch"),
    (r"\bafter lunch(?:time)?\b", "afternoon"),
    (r"\bthis (morning|afternoon|evening)\b", r"today \1"),
    (r"\b(?:in the|during the) (morning|afternoon|evening)\b", r"\1"),
    (r"\btomorrow night\b", "tomorrow evening"),
    (
        (r"\b(?:end|close) of (?:the )?(?:business |working |work )?day\b"
         r"|\b(?:end|close) of business\b|\bcob\b|\beob\b"),
        "eod",
    ),
    (r"\bend of (?:the )?(?:work(?:ing)? |business )?week\b", "eow"),
    (r"\bend of (?:the )?month\b", "eom"),
    (r"\bnext (?:business|working|work) ?day\b", "nbd"),
    (r"\b(?:the )?day after tomorrow\b", "overmorrow"),
    (r"\b(?:the )?day before yesterday\b", "ereyesterday"),
    (r"\b(?:business|working|work) ?(?:hours?|hrs?)\b", "bh"),
    (r"\b(?:business|working|work) ?days?\b|\bworkdays?\b", "bd"),
    (r"\bhalf an? hour\b", "30m"),
    (r"\bfrom now\b", " "),
    (r"\b([ap])\.m\.?", r"\1m"),
    (r"\b([0-9]{1,2}(?::[0-9]{2})?) (am|pm)\b", r"\1\2"),
    (r"\b([0-9]{4}-[0-9]{1,2}-[0-9]{1,2})t(?=[0-9])", r"\1 "),
)
SYNONYM_PATTERNS = tuple((re.compile(p, re.ASCII), r) for p, r in SYNONYMS)
INSTANT = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2}) ([0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?)"
    r"(z|[+-][0-9]{2}(?::?[0-9]{2})?)",
    re.ASCII,
)
ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})", re.ASCII)
CLOCK = re.compile(r"([0-9]+):([0-9]+)(?::([0-9]+))?(am|pm)?", re.ASCII)
HOUR_AMPM = re.compile(r"([0-9]+)(am|pm)", re.ASCII)
DOTTED_AMPM = re.compile(r"([0-9]{1,2})\.([0-9]{2})(am|pm)", re.ASCII)  # British "3.30pm"
DAY_NUMBER = re.compile(r"([0-9]{1,2})(?:st|nd|rd|th)?", re.ASCII)
YEAR = re.compile(r"[0-9]{4}", re.ASCII)
UNIT_ALTERNATION = "|".join(sorted((u for u in UNITS if u != "m"), key=len, reverse=True)) + "|m"
GLUED = re.compile(rf"(?:[0-9]+(?:{UNIT_ALTERNATION}))+", re.ASCII)
GLUED_PART = re.compile(rf"([0-9]+)({UNIT_ALTERNATION})", re.ASCII)
ZONE_LIKE = re.compile(r"[A-Za-z][A-Za-z0-9_+\-]*(?:/[A-Za-z0-9_+\-]+)+", re.ASCII)
SLASH_DATE = re.compile(r"[0-9]{1,4}([/.])[0-9]{1,2}(?:\1[0-9]{0,4})?", re.ASCII)
DECIMAL_AMOUNT = re.compile(r"[0-9]*[.,][0-9]+[a-z]*", re.ASCII)
# "1,5 hours": the comma is gone once the words are split, so look for it in the text.
COMMA_DECIMAL = re.compile(
    rf"(?<![0-9,])[0-9]+,[0-9]+ ?(?:{UNIT_ALTERNATION})(?![a-z0-9])", re.ASCII
)
SPELLED_NUMBER = re.compile(
    rf"\b({'|'.join(w for w in SPELLED_NUMBERS if SPELLED_NUMBERS[w] >= 20)})"
    rf"(?:[- ]({'|'.join(NUMBERS.split()[:9])}))?\b"
    rf"|\b({'|'.join(w for w in SPELLED_NUMBERS if SPELLED_NUMBERS[w] < 20)})\b",
    re.ASCII | re.IGNORECASE,
)
# Days named relative to today, and how many days from today each is.
DAY_OFFSETS = {"today": 0, "tomorrow": 1, "yesterday": -1, "overmorrow": 2, "ereyesterday": -2}
