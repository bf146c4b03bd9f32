"""A series' rule: the phrase after `--every`, read through the time language.

Two kinds of rule:

- days at a time of day: every day, every weekday (Mon–Fri), every business day (the
  business calendar's), or named weekdays ("mon,thu 16:00"); weekdays and business days
  skip the calendar's holidays;
- an interval: "2h", "90m", "3d", "week", "4 business hours", "2 business days".

A rule is stored as its canonical English words (`Rule.text`, read back by `parse`), so a
database never depends on the language it was typed in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import time

from promisekeeper.lang.i18n import _
from promisekeeper.series import words
from promisekeeper.when import grammar
from promisekeeper.when.words import native
from promisekeeper.when.words.en import WEEKDAYS as WEEKDAY_WORDS

DAILY = "day"
WEEKDAYS = "weekday"
BUSINESS = "business day"
ON = "on"
INTERVAL = "interval"

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# The time language's weekday words ("mon", "monday", "thurs"…), and their plurals ("mondays").
_WEEKDAY_INDEX = {**{f"{word}s": index for word, index in WEEKDAY_WORDS.items()}, **WEEKDAY_WORDS}
_DAY_WORDS = {
    "day": DAILY, "days": DAILY, "weekday": WEEKDAYS, "weekdays": WEEKDAYS,
    "bd": BUSINESS, "business day": BUSINESS, "business days": BUSINESS,
}  # fmt: skip
_BUSINESS = re.compile(r"\b(?:business|working|work) ?days?\b|\bworkdays?\b")
_ALONE = {"day": "1d", "days": "1d", "week": "1w", "weeks": "1w", "hour": "1h", "hours": "1h", "bd": "1 bd"}


class RuleError(ValueError):
    """A phrase that is no rule; the message says what would work."""


@dataclass(frozen=True)
class Rule:
    """When the check-ins of a series fall (see the module's docstring)."""

    kind: str
    at: time | None = None  # the time of day of a days rule
    weekdays: tuple[int, ...] = ()  # Monday = 0, for ON
    minutes: int = 0  # an interval in elapsed minutes
    days: int = 0  # an interval in days on the wall clock (a week is 7)
    business_minutes: int = 0
    business_days: int = 0
    zone: str | None = field(default=None, compare=False)  # a zone named after the rule: its clock

    @property
    def text(self) -> str:
        """The rule in canonical English words, as stored: "weekday 10:00", "mon,thu 16:00", "2h"."""
        if self.kind == INTERVAL:
            return _interval_text(self)
        assert self.at is not None
        clock = f"{self.at:%H:%M}"
        if self.kind == ON:
            return ",".join(WEEKDAY_NAMES[day] for day in self.weekdays) + f" {clock}"
        return f"{self.kind} {clock}"


def _interval_text(rule: Rule) -> str:
    if rule.business_minutes:
        return f"{rule.business_minutes // 60} business hours" if rule.business_minutes % 60 == 0 \
            else f"{rule.business_minutes}m business"
    if rule.business_days:
        return f"{rule.business_days} business days"
    if rule.days:
        return f"{rule.days // 7}w" if rule.days % 7 == 0 else f"{rule.days}d"
    hours, minutes = divmod(rule.minutes, 60)
    return (f"{hours}h" if hours else "") + (f"{minutes}m" if minutes else "")


def example() -> str:
    """Rules that work, for refusals (the English words are read in every language)."""
    return _("'weekday 10:00', 'mon,thu 16:00', 'day 9:00', '2h', '4 business hours' or 'week'")


def parse(text: str, language: str = "en") -> Rule:
    """The rule a phrase says; RuleError says why not and what would work.

    English is always read, and `language`'s words too ("ogni giorno alle 10").
    """
    shown = grammar.shown(text)
    line = _english(text, language, shown)
    tokens = line.replace(",", " , ").split()
    if tokens and tokens[0] == "every":
        tokens = tokens[1:]
    if not tokens:
        raise RuleError(_("'{phrase}' says no rule; try e.g. {examples}").format(phrase=shown, examples=example()))
    if len(tokens) == 1 and tokens[0] in _ALONE:
        return _interval(_ALONE[tokens[0]], shown, language)
    head, rest = _head(tokens)
    if head is None:
        return _interval(" ".join(tokens), shown, language)
    at, zone = _time_of_day(rest, shown)
    if at is None:
        raise RuleError(_("'{phrase}': at what time? e.g. '{example}'").format(
            phrase=shown, example=f"{shown} 10:00"))
    if isinstance(head, tuple):
        return Rule(ON, at=at, weekdays=head, zone=zone)
    return Rule(head, at=at, zone=zone)


def _english(text: str, language: str, shown: str) -> str:
    """The phrase in English words: the language's recurrence words, then its time words."""
    line = native.Lexicon.prepared(text)
    line = words.rewrite(line, language)
    if language != "en":
        lexicon = native.lexicon(language)
        if lexicon is not None:
            line = lexicon.canonical(line)
    line = " ".join(line.split())
    return _BUSINESS.sub("bd", line)


def _head(tokens: list[str]) -> tuple[str | tuple[int, ...] | None, list[str]]:
    """What days the rule names (a kind, or weekdays) and the words after them."""
    first = tokens[0]
    if first in _DAY_WORDS:
        return _DAY_WORDS[first], tokens[1:]
    days: list[int] = []
    index = 0
    while index < len(tokens) and (tokens[index] in _WEEKDAY_INDEX or tokens[index] in (",", "and")):
        if tokens[index] in _WEEKDAY_INDEX and _WEEKDAY_INDEX[tokens[index]] not in days:
            days.append(_WEEKDAY_INDEX[tokens[index]])
        index += 1
    if days:
        return tuple(sorted(days)), tokens[index:]
    return None, tokens


def _time_of_day(rest: list[str], shown: str) -> tuple[time | None, str | None]:
    """The time of day that follows the days, through the grammar ("10:00", "4pm", "noon"),
    and the zone named after it, if any."""
    if not rest:
        return None, None
    try:
        phrase = grammar.read(" ".join(rest))
    except grammar.WhenError as error:
        raise RuleError(str(error)) from None
    if phrase.day is not None or phrase.amount is not None or not isinstance(phrase.time, grammar.ClockTime):
        raise RuleError(_("'{phrase}': after the days, give a time of day, e.g. 'weekday 10:00'").format(
            phrase=shown))
    return time(phrase.time.hour, phrase.time.minute), phrase.zone_name


def _interval(words_: str, shown: str, language: str) -> Rule:
    """An interval through the grammar's amounts: "2h", "3d", "1w", "4 bh", "2 bd"."""
    try:
        phrase = grammar.read(words_)
    except grammar.WhenError:
        phrase = None
    amount = phrase.amount if phrase is not None else None
    if amount is None or phrase is None or phrase.time is not None or amount.backwards or amount.calendar:
        raise RuleError(_("'{phrase}' is not a rule I can read; try e.g. {examples}").format(
            phrase=shown, examples=example()))
    rule = Rule(INTERVAL, minutes=amount.minutes, days=amount.days,
                business_minutes=amount.business_minutes, business_days=amount.business_days,
                zone=phrase.zone_name)
    if not (rule.minutes or rule.days or rule.business_minutes or rule.business_days):
        raise RuleError(_("'{phrase}': a series needs a length of time above zero, e.g. '2h'").format(phrase=shown))
    if rule.minutes and rule.days:
        rule = replace(rule, minutes=rule.minutes + 1440 * rule.days, days=0)
    if rule.minutes and rule.minutes < MINIMUM_MINUTES:
        raise RuleError(_("'{phrase}': check-ins at least 15 minutes apart, e.g. '30m' or '2h'").format(
            phrase=shown))
    return rule


MINIMUM_MINUTES = 15
