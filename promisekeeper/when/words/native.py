"""The time language in Italian, Hungarian and Swedish: native words → the words when_grammar reads.

Each language's vocabulary is a small data module (when_words_it, _hu, _sv): single words
with their meaning, and rules (regular expressions) for what takes several words, a suffix
or another order ("lunedì prossimo" → "next mon", "2 óra múlva" → "in 2 hours",
"i morgon kl 10" → "tomorrow 10:00"). A Lexicon applies them, accents folded on both sides
("venerdi" reads as "venerdì"). A rule names the fragments it needs; it is compiled and run
only for a phrase that has one, so a language costs a command milliseconds, not tens. English is always read too: words the language does not
claim pass through untouched, and where a word means something else in the language
(Italian "mar" is Tuesday) the language's meaning wins, because its rewrites come first.

A language module also writes the few suggestions built from numbers (amount_phrase,
date_phrase) so refusals can name forms in that language.
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, cached_property
from types import ModuleType

Replacement = str | Callable[[re.Match[str]], str]
# Hours 1–6 with a time word ("alle 3", "3-kor", "kl 3") are said for the afternoon as often
# as for the night; on a promise that is a guess, so they are marked as said on the 12-hour
# clock ("3:00~"): a part of the day settles them, else when_grammar refuses naming both.
AMBIGUOUS_HOURS = range(1, 7)


def strip_accents(text: str) -> str:
    """ "Pénteken" → "Penteken", "nästa" → "nasta" (case kept: patterns use it)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def fold(text: str) -> str:
    """Lower case without accents, as phrases are compared."""
    return strip_accents(text.lower())


# An abbreviation's dot ("ven.", "márc.", "kl.") says nothing the word does not.
_ABBREVIATION_DOT = re.compile(r"(?<=[a-z])\.(?=\s|$)")


class Rule:
    """A rewrite: a regular expression (accents as written), its replacement, and the
    fragments one of which a phrase must contain for the rule to apply (none: always)."""

    def __init__(self, pattern: str, replacement: Replacement, needs: str) -> None:
        self.source = strip_accents(pattern)
        self.replacement = replacement
        self.needs = tuple(fold(needs).split())

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        return re.compile(self.source)

    def apply(self, line: str) -> str:
        if self.needs and not any(fragment in line for fragment in self.needs):
            return line
        return self.pattern.sub(self.replacement, line)


def rule(pattern: str, replacement: Replacement, *, needs: str = "") -> Rule:
    """A rule for a vocabulary module; `needs` lists, space-separated, fragments without
    which the pattern cannot match (a cheap test that spares compiling it)."""
    return Rule(pattern, replacement, needs)


@dataclass(frozen=True)
class Lexicon:
    """One language's rules, applied in order, then its single words."""

    code: str
    rules: tuple[Rule, ...]
    words: dict[str, str]
    word_pattern: re.Pattern[str]

    @staticmethod
    def prepared(text: str) -> str:
        """Folded, one space between words, typographic apostrophes plain, abbreviations
        without their dot: what the rules read."""
        line = " ".join(fold(text.replace("’", "'")).split())
        return _ABBREVIATION_DOT.sub("", line)

    def canonical(self, text: str) -> str:
        """The phrase in the words when_grammar reads ("alle 3" → "3:00~", see clock())."""
        line = self.prepared(text)
        for each in self.rules:
            line = each.apply(line)
        return self.word_pattern.sub(lambda match: self.words[match.group(0)], line)


@cache
def vocabulary(code: str) -> ModuleType | None:
    """The vocabulary module of a language other than English, or None for English."""
    if code == "en":
        return None
    return importlib.import_module(f"promisekeeper.when.words.{code}")


@cache
def lexicon(code: str) -> Lexicon | None:
    """The compiled lexicon of a language; None for English, which needs none."""
    module = vocabulary(code)
    if module is None:
        return None
    words = {fold(word): meaning for word, meaning in module.WORDS.items()}
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    word_pattern = re.compile(rf"(?<![\w'/-])(?:{alternatives})(?![\w'/-])")
    return Lexicon(code, tuple(module.RULES), words, word_pattern)


def clock(half: str = "") -> Callable[[re.Match[str]], str]:
    """A rewrite for an hour marked as a time of day ("alle 10", "10-kor", "kl 10.30").

    The match has a group named `hour…` and maybe one named `minute…` (a pattern may offer
    several ways, "hour", "hour2"; the one that matched counts); `half` is "am"/"pm" when the
    words said morning or afternoon. Gives "10:00", "10:30" or "3pm"; a bare hour 1–6 is
    marked as said on the 12-hour clock ("3:00~").
    """

    def rewrite(match: re.Match[str]) -> str:
        found = {name: value for name, value in match.groupdict().items() if value}
        hour = int(next(value for name, value in found.items() if name.startswith("hour")))
        minute = next((value for name, value in found.items() if name.startswith("minute")), None)
        if half:
            return f"{hour}:{minute}{half}" if minute else f"{hour}{half}"
        if minute:
            return f"{hour}:{minute}"
        return said(hour, 0)

    return rewrite


def said(hour: int, minute: int, half: str = "") -> str:
    """A time said with its hour and a part of it ("alle 3 e mezza", "fél 3", "halv tre"):
    the minute may be negative ("5 meno un quarto" is 5:00 − 15). The time it falls in is
    on the 12-hour clock when its hour is 1–6 ("3:30~"), unless `half` ("am"/"pm") says;
    7–12 read as themselves unless a part of the day says afternoon ("8:30^")."""
    if hour > 24 or (hour == 24 and minute >= 0):
        return f"{hour}:00"  # no such hour: refused as a time that does not exist
    hour, minute = divmod(hour * 60 + minute, 60)
    if half and hour <= 12:
        return f"{hour or 12}:{minute:02d}{half}"  # 0:30 in the afternoon is 12:30pm
    # "fél 1" (0:30) is as often half past noon as half past midnight
    mark = "~" if hour in AMBIGUOUS_HOURS or hour == 0 else "^" if hour <= 12 else ""
    return f"{hour}:{minute:02d}{mark}"


def digits(words: dict[str, int]) -> Callable[[re.Match[str]], str]:
    """A rewrite for a number in words before a unit ("tre giorni" → "3 giorni")."""
    folded = {fold(word): number for word, number in words.items()}

    def rewrite(match: re.Match[str]) -> str:
        return str(folded[match.group("number")])

    return rewrite


def alternation(words: Iterable[str]) -> str:
    """A regular-expression alternation of words, longest first, accents as written."""
    listed = sorted(set(words), key=len, reverse=True)
    return "|".join(re.escape(word) for word in listed)
