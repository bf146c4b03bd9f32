"""Hungarian time words: "holnap 10-kor", "pénteken 15 órakor", "2 óra múlva", "nap végéig".

Data for when_native: RULES (regular expressions, applied in order, accents folded)
and WORDS (one word → the word when_grammar reads). Hungarian says much with suffixes, so
the rewrites read them: -kor/-ig/-ra/-re on times ("10-kor", "15:30-ig", "10 órára"), -n/-ig/
-ra/-re on days ("pénteken", "péntekig", "holnapra"), -én/-án/-jén on dates ("március 15-én"),
"múlva" after an amount ("2 óra múlva") and "-ja"/"ezelőtt" for the past ("3 napja").
Dates are month first ("március 15.", "2026. márc. 15.", "03.15.").
"""

from __future__ import annotations

import re

from promisekeeper.when.words.native import alternation, clock, digits, fold, rule, said

_WEEKDAY_STEMS = {
    "hétfő": ("mon", "hétfőn", "hétfőig", "hétfőre"),
    "kedd": ("tue", "kedden", "keddig", "keddre"),
    "szerda": ("wed", "szerdán", "szerdáig", "szerdára"),
    "csütörtök": ("thu", "csütörtökön", "csütörtökig", "csütörtökre"),
    "péntek": ("fri", "pénteken", "péntekig", "péntekre"),
    "szombat": ("sat", "szombaton", "szombatig", "szombatra"),
    "vasárnap": ("sun", "vasárnapig", "vasárnapra"),
}
# Abbreviations as calendars and notes write them ("csüt.", "szo."); the dot is dropped.
_WEEKDAY_ABBREVIATIONS = {"hétf": "mon", "sze": "wed", "szer": "wed", "csüt": "thu", "cs": "thu",
                          "pént": "fri", "pén": "fri", "szo": "sat", "szomb": "sat", "vas": "sun"}
WEEKDAYS = {form: forms[0] for stem, forms in _WEEKDAY_STEMS.items() for form in (stem, *forms[1:])}
WEEKDAYS |= _WEEKDAY_ABBREVIATIONS
WEEKDAY_NAMES = ("hétfő", "kedd", "szerda", "csütörtök", "péntek", "szombat", "vasárnap")  # as a refusal names them
MONTHS = {
    "január": "january", "jan": "january", "február": "february", "febr": "february",
    "feb": "february", "március": "march", "márc": "march", "április": "april",
    "ápr": "april", "május": "may", "máj": "may", "június": "june", "jún": "june",
    "július": "july", "júl": "july", "augusztus": "august", "aug": "august",
    "szeptember": "september", "szept": "september", "szep": "september",
    "október": "october", "okt": "october", "november": "november", "nov": "november",
    "december": "december", "dec": "december",
}  # fmt: skip
NUMBERS = {
    "egy": 1, "kettő": 2, "két": 2, "három": 3, "négy": 4, "öt": 5, "hat": 6, "hét": 7,
    "nyolc": 8, "kilenc": 9, "tíz": 10, "tizenegy": 11, "tizenkettő": 12, "tizenkét": 12,
}  # fmt: skip
UNITS = {
    "perc": "minutes", "óra": "hours", "nap": "days", "hét": "weeks",
    "munkaóra": "bh", "munkanap": "bd",
    "másodperc": "seconds", "mp": "seconds", "hónap": "months", "év": "years",
    # with "ezelőtt": "2 órával ezelőtt"
    "perccel": "minutes", "órával": "hours", "nappal": "days", "héttel": "weeks",
    "hónappal": "months", "évvel": "years",
}  # fmt: skip
# "3 napja", "2 órája", "10 perce": that long ago.
_AGO = {"perce": "minutes", "órája": "hours", "napja": "days",
        "hete": "weeks", "hónapja": "months", "éve": "years"}  # fmt: skip

_WEEKDAY = alternation(WEEKDAYS)
_MONTH = alternation(MONTHS)
_UNIT = alternation(UNITS)
_TIME = r"(?P<hour>[0-9]{1,2})(?:[:.](?P<minute>[0-9]{2}))?"
# "10-kor", "10:30-ig", "10-re", "10 órakor", "10 óráig", "10 órára", "10 óra 30 perckor"
_MARKED = (
    rf"(?:{_TIME}-(?:kor|ig|r[ae])|(?P<hour2>[0-9]{{1,2}}) óra(?:kor|ig|ra)"
    rf"|(?P<hour3>[0-9]{{1,2}}) óra (?P<minute3>[0-9]{{2}}) perc(?:kor|ig|re))(?![0-9])"
)


_PARTS = {"másfél": 90, "háromnegyed": 45, "fél": 30, "negyed": 15}


def _part_of_hour(match: re.Match[str]) -> str:
    """ "fél óra" → "30 perc", "másfél órája" → "90 minutes ago"."""
    minutes = _PARTS_FOLDED[match.group("part")]
    form = match.group("form")
    return f"{minutes} {'minutes ago' if form == 'oraja' else 'perc'}"


def _date(match: re.Match[str]) -> str:
    """ "2026. március 15-én" → "march 15 2026" (month first, as Hungarian writes it)."""
    month = MONTHS_FOLDED[match.group("month")]
    year = match.group("year")
    return f"{month} {match.group('day')} {year}" if year else f"{month} {match.group('day')}"


def _numeric_date(match: re.Match[str]) -> str:
    """ "2026.03.15." → "2026-03-15"; "03.15." → "15 march" (month first)."""
    year, month, day = match.group("year"), int(match.group("month")), match.group("day")
    if not 1 <= month <= 12:
        return match.group(0)
    if year:
        return f"{year}-{month:02d}-{int(day):02d}"
    return f"{day} {_ENGLISH_MONTHS[month - 1]}"


_ENGLISH_MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip

_HOUR_WORDS = {fold(word): number for word, number in NUMBERS.items()}
# "fél 3" is half way to three (2:30), "negyed 5" a quarter of the way to five (4:15).
_TOWARD = {"fél": -30, "negyed": -45, "háromnegyed": -15}
_TOWARD_FOLDED = {fold(word): minutes for word, minutes in _TOWARD.items()}
_PM, _AM = ("délután", "du", "este"), ("reggel", "délelőtt", "de")


def _toward(match: re.Match[str]) -> str:
    """ "fél 3-kor" → 2:30~, "délután negyed 5" → 4:15pm, "háromnegyed 8" → 7:45."""
    word = match.group("hour")
    hour = _HOUR_WORDS.get(word) or int(word)
    half = "pm" if match.group("pm") else "am" if match.group("am") else ""
    return said(hour, _TOWARD_FOLDED[match.group("part")], half)


_UNITS_WITHIN = {"munkanapon": "bd", "munkaórán": "bh", "órán": "hours", "napon": "days",
                 "percen": "minutes", "héten": "weeks"}  # fmt: skip
_UNITS_WITHIN_FOLDED = {fold(word): unit for word, unit in _UNITS_WITHIN.items()}


def _within(match: re.Match[str]) -> str:
    """ "3 munkanapon belül" → "in 3 bd", "két órán belül" → "in 2 hours"."""
    word = match.group("number")
    number = _HOUR_WORDS.get(word) or int(word)
    return f"in {number} {_UNITS_WITHIN_FOLDED[match.group('unit')]}"


RULES = (
    # half and quarter hours, before the hours they name: "fél 3-kor", "délután negyed 5"
    rule(
        rf"\b(?:(?P<pm>{alternation(_PM)}) |(?P<am>{alternation(_AM)}) )?"
        rf"(?P<part>{alternation(_TOWARD)}) (?P<hour>[0-9]{{1,2}}|{alternation(_HOUR_WORDS)})"
        r"(?:-?(?:kor|ig|ra|re|ra))?(?![0-9:.\w])",
        _toward,
        needs="fél negyed",
    ),
    # within: "3 munkanapon belül", "2 órán belül", "a héten belül"
    rule(
        rf"\b(?P<number>[0-9]+|{alternation(_HOUR_WORDS)}) "
        rf"(?P<unit>{alternation(_UNITS_WITHIN)}) belül\b",
        _within,
        needs="belül",
    ),
    rule(r"\b(?:(?:ezen )?a héten belül|még a héten|a hét folyamán)\b", "eow", needs="héten hét"),
    rule(r"\b(?:(?:ebben )?a hónapban belül|még ebben a hónapban)\b", "eom", needs="hónap"),
    # amounts that are words: "fél óra", "negyed óra", "másfél órája", "egy óra"
    rule(
        rf"\b(?P<part>{alternation(_PARTS)}) (?P<form>óra|órája|órával)\b",
        _part_of_hour,
        needs="óra",
    ),
    rule(
        rf"\b(?P<number>{alternation(NUMBERS)})(?= (?:{_UNIT}|{alternation(_AGO)})\b)",
        digits(NUMBERS),
        needs="óra perc nap hét hónap év mp",
    ),
    # the past: "3 napja", "2 órája"; "2 órával ezelőtt"
    rule(
        rf"\b([0-9]+) ({alternation(_AGO)})\b",
        lambda m: f"{m.group(1)} {_AGO_FOLDED[m.group(2)]} ago",
        needs="ja je perce hete éve",
    ),
    # named moments
    rule(r"\b(?:az? )?(?:mai )?(?:nap|munkaidő) vég(?:éig|én|ére)\b", "eod", needs="vég"),
    rule(r"\b(?:az? )?(?:hét|munkahét) vég(?:éig|én|ére)\b", "eow", needs="vég"),
    rule(r"\b(?:az? )?(?:hónap|hó) vég(?:éig|én|ére)\b", "eom", needs="vég"),
    rule(r"\b(?:az? )?következő munkanap(?:on|ig|ra)?\b", "nbd", needs="munkanap"),
    rule(r"\bma este\b", "tonight", needs="este"),
    # parts of the day: "ma délután", "holnap délelőtt", "ebéd előtt", "még ma"
    rule(r"\bebéd után\b", "afternoon", needs="ebéd"),
    rule(r"\bebéd előtt\b|\bebédig\b|\bebédre\b", "lunch", needs="ebéd"),
    rule(r"\b(?:reggel )?(?:első dolgom(?: lesz)?|elsőként)\b", "first_thing", needs="első"),
    rule(r"\bmég ma\b|\bma még\b|\b(?:ma )?később(?: ma)?\b", "later_today", needs="ma később"),
    # "jövő péntek", "jövő héten pénteken", "ezen a héten pénteken"
    rule(
        rf"\b(?:a )?jövő (?:héten |hét |heti )?(?P<day>{_WEEKDAY})\b", r"next \g<day>", needs="jövő"
    ),
    rule(
        rf"\b(?:ezen a héten|e héten|a héten) (?P<day>{_WEEKDAY})\b", r"this \g<day>", needs="héten"
    ),
    # periods, for --since/--until
    rule(r"\b(?:ezen a|e|a) héten\b|\bez a hét\b", "this week", needs="hét"),
    rule(r"\b(?:a )?(?:múlt|előző) hét(?:en)?\b", "last week", needs="hét"),
    rule(r"\b(?:a )?jövő hét(?:en)?\b", "next week", needs="jövő"),
    rule(r"\b(?:ebben a|e) hónapban\b|\bez a hónap\b", "this month", needs="hónap"),
    rule(r"\b(?:a )?(?:múlt|előző) hónap(?:ban)?\b", "last month", needs="hónap"),
    rule(r"\b(?:a )?jövő hónap(?:ban)?\b", "next month", needs="jövő"),
    rule(r"\b(?:az )?idén\b|\bebben az évben\b", "this year", needs="idén évben"),
    rule(r"\btavaly\b|\b(?:az )?előző évben\b", "last year", needs="tavaly évben"),
    rule(r"\bjövőre\b|\b(?:a )?jövő évben\b", "next year", needs="jövő"),
    # dates: "március 15.", "2026. márc. 15-én", "2026.03.15.", "03.15."
    rule(
        rf"\b(?:(?P<year>[0-9]{{4}})\. ?)?(?P<month>{_MONTH})\.? (?P<day>[0-9]{{1,2}})"
        r"(?:\.|-(?:j?[aáeé]n|ig|r[ae]|j?[ae]))?(?![0-9:])",
        _date,
    ),
    rule(
        r"\b(?:(?P<year>[0-9]{4})\. ?)?(?P<month>[0-9]{1,2})\. ?(?P<day>[0-9]{1,2})\.(?!\S)",
        _numeric_date,
        needs=".",
    ),
    # times: "10-kor", "10:30-ig", "15 órakor", "délután 3-kor", "reggel 8-kor"
    rule(rf"\b(?:délután|este) {_MARKED}", clock("pm"), needs="kor ig ra re"),
    rule(rf"\b(?:reggel|délelőtt) {_MARKED}", clock("am"), needs="kor ig ra re"),
    rule(rf"\b{_MARKED}", clock(), needs="kor ig ra re"),
    # amounts: "2 óra múlva", "3 nap múlva 10-kor"
    rule(r"^(?P<amount>.*?) ?\bmúlva\b", r"in \g<amount>", needs="múlva"),
)

WORDS = {
    **WEEKDAYS,
    **UNITS,
    "most": "now",
    "ma": "today", "mára": "today",
    "holnap": "tomorrow", "holnapig": "tomorrow", "holnapra": "tomorrow",
    "holnapután": "overmorrow", "holnaputánig": "overmorrow", "holnaputánra": "overmorrow",
    "tegnap": "yesterday", "tegnapelőtt": "ereyesterday",
    "este": "evening", "estére": "evening", "estig": "evening",
    "délután": "afternoon", "du": "afternoon", "délutánra": "afternoon",
    "délelőtt": "morning", "de": "morning", "délelőttre": "morning", "reggel": "morning",
    "dél": "noon", "délben": "noon", "délig": "noon", "délre": "noon",
    "éjfél": "midnight", "éjfélkor": "midnight", "éjfélig": "midnight", "éjfélre": "midnight",
    "ezelőtt": "ago", "és": "and",
    "legkésőbb": "", "óta": "",
}  # fmt: skip

_AGO_FOLDED: dict[str, str] = {}
_PARTS_FOLDED: dict[str, int] = {}
MONTHS_FOLDED: dict[str, str] = {}


def _fold_tables() -> None:
    from promisekeeper.when.words.native import fold

    _AGO_FOLDED.update({fold(word): unit for word, unit in _AGO.items()})
    MONTHS_FOLDED.update({fold(word): month for word, month in MONTHS.items()})
    _PARTS_FOLDED.update({fold(word): minutes for word, minutes in _PARTS.items()})


_fold_tables()


def amount_phrase(parts: list[tuple[int, str]], *, explicit: bool, backwards: bool) -> str:
    """ "2 óra 30 perc múlva", "3 napja": a length of time in words (one form after numbers)."""
    words = [f"{number} {_UNIT_NAMES[unit][0]}" for number, unit in parts]
    if backwards:
        number, unit = parts[-1]
        words[-1] = f"{number} {_UNIT_NAMES[unit][1]}"
        return " ".join(words)
    return " ".join(words) + " múlva"


_UNIT_NAMES = {
    "minute": ("perc", "perce"),
    "hour": ("óra", "órája"),
    "day": ("nap", "napja"),
    "week": ("hét", "hete"),
    "business_hour": ("munkaóra", "munkaórája"),
    "business_day": ("munkanap", "munkanapja"),
}


def date_phrase(day: int, month: int, year: int | None) -> str:
    """ "dec. 23.", "2027. dec. 23."."""
    short = f"{_MONTH_ABBREVIATIONS[month - 1]} {day}."
    return f"{year}. {short}" if year else short


_MONTH_ABBREVIATIONS = (
    "jan.", "febr.", "márc.", "ápr.", "máj.", "jún.", "júl.", "aug.", "szept.", "okt.",
    "nov.", "dec.",
)  # fmt: skip
