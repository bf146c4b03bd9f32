"""Swedish time words: "i morgon kl 10", "nästa måndag kl. 9", "om 2 timmar", "vid dagens slut".

Data for when_native: RULES (regular expressions, applied in order, accents folded)
and WORDS (one word → the word when_grammar reads). Times take "kl"/"kl."/"klockan"
("kl 10", "kl. 16.30"); dates are day first ("15 mars", "den 15:e mars", "15/3").
"""

from __future__ import annotations

import re

from promisekeeper.when.words.native import alternation, clock, digits, fold, rule, said

WEEKDAYS = {
    "måndag": "mon", "mån": "mon", "tisdag": "tue", "tis": "tue", "onsdag": "wed",
    "ons": "wed", "torsdag": "thu", "tors": "thu", "tor": "thu", "fredag": "fri",
    "fre": "fri", "lördag": "sat", "lör": "sat", "söndag": "sun", "sön": "sun",
}  # fmt: skip
WEEKDAY_NAMES = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")  # as a refusal names them
MONTHS = {
    "januari": "january", "jan": "january", "februari": "february", "feb": "february",
    "mars": "march", "mar": "march", "april": "april", "apr": "april", "maj": "may",
    "juni": "june", "jun": "june", "juli": "july", "jul": "july", "augusti": "august",
    "aug": "august", "september": "september", "sep": "september", "sept": "september",
    "oktober": "october", "okt": "october", "november": "november", "nov": "november",
    "december": "december", "dec": "december",
}  # fmt: skip
NUMBERS = {
    "en": 1, "ett": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7,
    "åtta": 8, "nio": 9, "tio": 10, "elva": 11, "tolv": 12,
}  # fmt: skip
UNITS = {
    "minut": "minutes", "minuter": "minutes", "min": "minutes",
    "timme": "hours", "timmar": "hours", "timma": "hours", "tim": "hours",
    "dag": "days", "dagar": "days", "dygn": "days",
    "vecka": "weeks", "veckor": "weeks",
    "arbetstimme": "bh", "arbetstimmar": "bh", "arbetstimma": "bh",
    "arbetsdag": "bd", "arbetsdagar": "bd",
    "sekund": "seconds", "sekunder": "seconds", "sek": "seconds",
    "månad": "months", "månader": "months", "år": "years",
}  # fmt: skip

_WEEKDAY = alternation(WEEKDAYS)
_UNIT = alternation(UNITS)
_TIME = r"(?P<hour>[0-9]{1,2})(?:[:.](?P<minute>[0-9]{2}))?(?![0-9:.])"
_MARKER = r"(?:kl|klockan)"


def _slash_date(match: re.Match[str]) -> str:
    """ "15/3" → "15 march": in Swedish the day comes first."""
    day, month = match.group(1), int(match.group(2))
    if not 1 <= month <= 12:
        return match.group(0)
    return f"{day} {_ENGLISH_MONTHS[month - 1]}"


_ENGLISH_MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip

_HOUR_WORDS = {fold(word): number for word, number in NUMBERS.items()}
# "halv tre" is half way to three (2:30); "kvart över fyra" 4:15; "kvart i fem" 4:45.
_FRACTIONS = {"halv": -30, "kvart över": 15, "kvart i": -15}
_FRACTIONS_FOLDED = {fold(word): minutes for word, minutes in _FRACTIONS.items()}
_PM = ("på eftermiddagen", "i eftermiddag", "på kvällen", "i kväll")
_AM = ("på morgonen", "på förmiddagen", "i förmiddag")


def _fraction(match: re.Match[str]) -> str:
    """ "halv tre" → 2:30~, "kvart över 4 på eftermiddagen" → 4:15pm, "halv tio" → 9:30."""
    word = match.group("hour")
    hour = _HOUR_WORDS.get(word) or int(word)
    half = "pm" if match.group("pm") else "am" if match.group("am") else ""
    return said(hour, _FRACTIONS_FOLDED[match.group("part")], half)


def _dotted_time(match: re.Match[str]) -> str:
    """ "15.30": a time when no date reading fits (the 30th month); a date stays as typed."""
    first, second = int(match.group(1)), int(match.group(2))
    if second <= 12 or first > 23 or second > 59:
        return match.group(0)
    return f"{first}:{match.group(2)}"


RULES = (
    # half and quarter hours, before the amounts: "halv tre", "kl kvart över fyra"
    rule(
        rf"\b(?:{_MARKER} )?(?P<part>{alternation(_FRACTIONS)}) "
        rf"(?P<hour>[0-9]{{1,2}}|{alternation(_HOUR_WORDS)})\b"
        rf"(?: (?:(?P<pm>{alternation(_PM)})|(?P<am>{alternation(_AM)}))\b)?",
        _fraction,
        needs="halv kvart",
    ),
    # within: "inom 2 arbetsdagar", "inom en timme", "inom veckan"
    rule(r"\binom (?:den här |denna )?veckan?\b", "eow", needs="inom"),
    rule(r"\binom (?:den här |denna )?månaden?\b", "eom", needs="inom"),
    rule(r"\binom (?:dagen|arbetsdagen)\b", "eod", needs="inom"),
    rule(rf"\binom (?=[0-9]|(?:{alternation(NUMBERS)}) )", "in ", needs="inom"),
    # amounts that are words: "en halvtimme", "en kvart", "en och en halv timme"
    rule(r"\b(?:en )?halvtimm[ae]\b", "30 minuter", needs="halvtim"),
    rule(r"\b(?:en och en halv|halvannan) timm[ae]\b", "90 minuter", needs="halv"),
    rule(r"\btre kvart\b", "45 minuter", needs="kvart"),
    rule(r"\ben kvart\b", "15 minuter", needs="kvart"),
    rule(
        rf"\b(?P<number>{alternation(NUMBERS)})(?= (?:{_UNIT})\b)",
        digits(NUMBERS),
        needs="min tim dag dygn veck arbets sek mån år",
    ),
    rule(r"\b([0-9]+) mån\b", r"\1 manader", needs="mån"),  # "mån" alone is måndag
    # named moments
    rule(
        r"\b(?:vid |före |innan |till )?(?:arbets)?dagens slut\b|\bi slutet av (?:arbets)?dagen\b"
        r"|\bunder dagen\b",
        "eod",
        needs="dag under",
    ),
    rule(
        r"\b(?:vid |före |innan |till )?(?:arbets)?veckans slut\b|\bi slutet av (?:arbets)?veckan\b",
        "eow",
        needs="veck",
    ),
    rule(
        r"\b(?:vid |före |innan |till )?månadens slut\b|\bi slutet av månaden\b",
        "eom",
        needs="månad",
    ),
    rule(r"\b(?:nästa|nästkommande) (?:arbetsdag|vardag)\b", "nbd", needs="nästa nästkommande"),
    # times, before the day words: "kl 10", "kl. 16.30", "kl 3 på eftermiddagen", "kl 8 i kväll"
    rule(
        rf"\b{_MARKER} {_TIME} (?:på eftermiddagen|på kvällen|i eftermiddag|i kväll)",
        clock("pm"),
        needs="kl",
    ),
    rule(rf"\b{_MARKER} {_TIME} (?:på morgonen|på förmiddagen)", clock("am"), needs="kl"),
    rule(rf"\b{_MARKER} {_TIME}", clock(), needs="kl"),
    # parts of the day: "i eftermiddag", "i morgon bitti", "före lunch", "senare i dag"
    rule(r"\bsenare (?:i ?dag|under dagen)\b|\bsenare\b", "later_today", needs="senare"),
    rule(r"\bi ?(eftermiddag|förmiddag)\b", r"i dag \1", needs="eftermiddag förmiddag"),
    rule(r"\befter lunch(?:en)?\b", "afternoon", needs="lunch"),
    rule(r"\b(?:före |innan |till )?lunch(?:en)?\b", "lunch", needs="lunch"),
    rule(r"\bbitti\b|\bförst av allt\b|\bsom det första\b", "first_thing", needs="bitti först första"),
    rule(r"\bpå (?=morgonen\b|förmiddagen\b|eftermiddagen\b|kvällen\b)", "",
         needs="morgonen förmiddagen eftermiddagen kvällen"),
    rule(r"\bi ?morgon\b|\bi ?morn\b|\bi ?morron\b", "tomorrow", needs="morgon morn morron"),
    rule(r"\bi ?övermorgon\b|\bövermorgon\b", "overmorrow", needs="övermorgon"),
    rule(r"\bi ?dag\b", "today", needs="dag"),
    rule(r"\bi ?går\b", "yesterday", needs="går"),
    rule(r"\bi ?förrgår\b|\bförrgår\b", "ereyesterday", needs="förrgår"),
    rule(r"\bi ?kväll\b", "tonight", needs="kväll"),
    # "nästa fredag", "fredag nästa vecka"
    rule(
        rf"\b(?:på )?(?P<day>{_WEEKDAY}) nästa vecka\b|\bnästa (?P<day2>{_WEEKDAY})\b",
        lambda m: f"next {m.group('day') or m.group('day2')}",
        needs="nästa",
    ),
    # periods, for --since/--until
    rule(r"\b(?:den här|denna) veckan?\b|\bi veckan\b", "this week", needs="veck"),
    rule(r"\bförra veckan\b", "last week", needs="förra"),
    rule(r"\bnästa vecka\b", "next week", needs="nästa"),
    rule(r"\b(?:den här|denna) månad(?:en)?\b", "this month", needs="månad"),
    rule(r"\bförra månaden\b", "last month", needs="förra"),
    rule(r"\bnästa månad\b", "next month", needs="nästa"),
    rule(r"\bi år\b|\b(?:det här|detta) året?\b", "this year", needs="år"),
    rule(r"\bförra året\b|\bi fjol\b", "last year", needs="året fjol"),
    rule(r"\bnästa år\b", "next year", needs="nästa"),
    rule(r"\b(?:vid |till )?midnatt\b", "midnight", needs="midnatt"),
    # dates: "den 15:e mars", "1:a maj", "15/3"
    rule(r"\b([0-9]{1,2}):[ae]\b", r"\1", needs=":"),
    rule(r"\b([0-9]{1,2})/([0-9]{1,2})(?![0-9/])", _slash_date, needs="/"),
    rule(r"(?<![0-9.])([0-9]{1,2})\.([0-9]{2})(?![0-9.])", _dotted_time, needs="."),
    # amounts: "om 2 timmar", "för 3 dagar sedan"
    rule(rf"\bom (?=[0-9]|(?:{alternation(NUMBERS)}) )", "in ", needs="om"),
    rule(r"\bför (?=[0-9].* sedan\b)", "", needs="för"),
)

WORDS = {
    **WEEKDAYS,
    **MONTHS,
    **UNITS,
    "nu": "now",
    "sedan": "ago", "och": "and",
    "på": "", "den": "", "senast": "", "till": "", "vid": "", "från": "", "före": "",
    "innan": "",
    # "i" leads into a word the rules read ("i morgon", "i kväll"); left over, the word
    # after it is the one not understood ("i natt")
    "i": "",
    "förmiddag": "morning", "förmiddagen": "morning", "morgonen": "morning",
    "eftermiddag": "afternoon", "eftermiddagen": "afternoon",
    "kväll": "evening", "kvällen": "evening",
}  # fmt: skip


def amount_phrase(parts: list[tuple[int, str]], *, explicit: bool, backwards: bool) -> str:
    """ "om 2 timmar och 30 minuter", "för 3 dagar sedan": a length of time in words."""
    words = " och ".join(f"{number} {_unit_name(unit, number)}" for number, unit in parts)
    if backwards:
        return f"för {words} sedan"
    return f"om {words}" if explicit else words


def _unit_name(unit: str, number: int) -> str:
    singular, plural = _UNIT_NAMES[unit]
    return singular if number == 1 else plural


_UNIT_NAMES = {
    "minute": ("minut", "minuter"),
    "hour": ("timme", "timmar"),
    "day": ("dag", "dagar"),
    "week": ("vecka", "veckor"),
    "business_hour": ("arbetstimme", "arbetstimmar"),
    "business_day": ("arbetsdag", "arbetsdagar"),
}


def date_phrase(day: int, month: int, year: int | None) -> str:
    """ "23 dec", "23 dec 2027"."""
    name = _MONTH_ABBREVIATIONS[month - 1]
    return f"{day} {name} {year}" if year else f"{day} {name}"


_MONTH_ABBREVIATIONS = (
    "jan", "feb", "mars", "apr", "maj", "juni", "juli", "aug", "sep", "okt", "nov", "dec",
)  # fmt: skip
