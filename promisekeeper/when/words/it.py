"""Italian time words: "domani alle 10", "lunedì prossimo alle 9", "tra 2 ore", "entro venerdì".

Data for when_native: RULES (regular expressions, applied in order, accents folded)
and WORDS (one word → the word when_grammar reads). Times take "alle"/"le"/"ore"
("alle 10", "entro le 10.30", "alle ore 15"); dates are day first ("15 marzo", "il 1° dicembre",
"15/3"). "mar" alone is martedì; after a day number ("15 mar") it is marzo. "ago" after a day
number is agosto ("3 ago"); elsewhere it stays the English "ago" ("3d ago").
"""

from __future__ import annotations

import re

from promisekeeper.when.words.native import alternation, clock, digits, rule

WEEKDAYS = {
    "lunedì": "mon", "lun": "mon",
    "martedì": "tue", "mar": "tue",
    "mercoledì": "wed", "mer": "wed",
    "giovedì": "thu", "gio": "thu",
    "venerdì": "fri", "ven": "fri",
    "sabato": "sat", "sab": "sat",
    "domenica": "sun", "dom": "sun",
}  # fmt: skip
MONTHS = {
    "gennaio": "jan", "gen": "jan", "febbraio": "feb", "feb": "feb", "marzo": "mar",
    "aprile": "apr", "apr": "apr", "maggio": "may", "mag": "may", "giugno": "jun", "giu": "jun",
    "luglio": "jul", "lug": "jul", "agosto": "aug", "settembre": "sep",
    "set": "sep", "sett": "sep", "ottobre": "oct", "ott": "oct", "novembre": "nov",
    "nov": "nov", "dicembre": "dec", "dic": "dec",
}  # fmt: skip
NUMBERS = {
    "un": 1, "uno": 1, "una": 1, "due": 2, "tre": 3, "quattro": 4, "cinque": 5, "sei": 6,
    "sette": 7, "otto": 8, "nove": 9, "dieci": 10, "undici": 11, "dodici": 12,
}  # fmt: skip
UNITS = {
    "minuto": "minutes", "minuti": "minutes", "min": "minutes",
    "ora": "hours", "ore": "hours",
    "giorno": "days", "giorni": "days", "gg": "days",
    "settimana": "weeks", "settimane": "weeks",
    "secondo": "seconds", "secondi": "seconds", "sec": "seconds",
    "mese": "months", "mesi": "months", "anno": "years", "anni": "years",
}  # fmt: skip

_WEEKDAY = alternation(WEEKDAYS)
_MONTH = alternation(MONTHS)
_UNIT = alternation(UNITS) + "|ore lavorative|ora lavorativa|giorni lavorativi|giorno lavorativo"
_TIME = r"(?P<hour>[0-9]{1,2})(?:[:.](?P<minute>[0-9]{2}))?(?![0-9:.])"

# English month names: Italian claims none of them, so they pass through as months.
_MONTH_NUMBERS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip


def _slash_date(match: re.Match[str]) -> str:
    """ "15/3" → "15 march", "15/03/2027" → "15 march 2027": in Italian the day comes first."""
    day, month, year = match.groups()
    if not 1 <= int(month) <= 12:
        return match.group(0)
    return f"{day} {_MONTH_NUMBERS[int(month) - 1]} {year or ''}".strip()


RULES = (
    # elisions: "un'ora", "all'una", "mezz'ora", "quest'anno", "l'anno", "d'ora"
    rule(r"\ball'una\b", "alle 1", needs="all'una"),
    rule(r"\bun'", "un ", needs="un'"),
    rule(r"\bmezz'ora\b", "30 minuti", needs="mezz'ora"),
    rule(r"\bmezzora\b", "30 minuti", needs="mezzora"),
    rule(r"\bquest'", "questo ", needs="quest'"),
    rule(r"\b(?:l|d)'", "", needs="'"),
    # amounts that are words: "un'ora e mezza", "un quarto d'ora", "tre quarti d'ora"
    rule(r"\b(?:un |1 )ora e mezz[ao]\b", "90 minuti", needs="mezz"),
    rule(r"\btre quarti (?:di )?ora\b", "45 minuti", needs="quarti"),
    rule(r"\bun quarto (?:di )?ora\b", "15 minuti", needs="quarto"),
    rule(
        rf"\b(?P<number>{alternation(NUMBERS)})(?= (?:{_UNIT})\b)",
        digits(NUMBERS),
        needs="min or giorn gg settiman sec mes ann",
    ),
    rule(r"\b([0-9]+) ora\b", r"\1 ore", needs=" ora"),  # "ora" alone is "now"
    rule(
        r"\b(?:il )?prossimo giorno lavorativo\b|\bgiorno lavorativo successivo\b",
        "nbd",
        needs="lavorativo",
    ),
    # business units, before "ore"/"giorni" become plain units
    rule(r"\bor[ae] lavorativ[ae]\b|\bor[ae] di lavoro\b", "bh", needs="lavorativ lavoro"),
    rule(r"\bgiorn[oi] lavorativ[oi]\b|\bgiorn[oi] ferial[ei]\b", "bd", needs="lavorativ ferial"),
    # named moments
    rule(
        r"\b(?:entro )?(?:la )?fine (?:della )?giornata(?: lavorativa)?\b|\bin giornata\b",
        "eod",
        needs="giornata",
    ),
    rule(r"\b(?:entro )?(?:la )?chiusura\b", "eod", needs="chiusura"),
    rule(r"\b(?:entro )?(?:la )?fine (?:della )?settimana\b", "eow", needs="fine"),
    rule(r"\b(?:entro )?(?:la )?fine (?:del )?mese\b", "eom", needs="fine"),
    rule(r"\baltro ?ieri\b", "ereyesterday", needs="altro"),
    # "lunedì prossimo", "prossimo lunedì", "questo venerdì"
    rule(
        rf"\b(?P<day>{_WEEKDAY}) prossim[oa]\b|\b(?:la )?prossim[oa] (?P<day2>{_WEEKDAY})\b",
        lambda m: f"next {m.group('day') or m.group('day2')}",
        needs="prossim",
    ),
    rule(rf"\bquest[oa] (?={_WEEKDAY}\b)", "this ", needs="quest"),
    # periods, for --since/--until: "la settimana scorsa", "il mese prossimo", "quest'anno"
    rule(r"\b(?:la )?settimana scorsa\b|\b(?:la )?scorsa settimana\b", "last week", needs="scorsa"),
    rule(
        r"\b(?:la )?settimana prossima\b|\b(?:la )?prossima settimana\b",
        "next week",
        needs="settimana",
    ),
    rule(r"\b(?:il )?mese scorso\b|\b(?:lo )?scorso mese\b", "last month", needs="scorso"),
    rule(r"\b(?:il )?mese prossimo\b|\b(?:il )?prossimo mese\b", "next month", needs="mese"),
    rule(r"\banno scorso\b|\b(?:lo )?scorso anno\b", "last year", needs="scorso"),
    rule(r"\banno prossimo\b|\b(?:il )?prossimo anno\b", "next year", needs="anno"),
    rule(r"\bquesta settimana\b", "this week", needs="questa"),
    rule(r"\bquesto mese\b", "this month", needs="questo"),
    rule(r"\bquesto anno\b", "this year", needs="questo"),
    # times: "alle 10", "alle 10:30", "alle ore 15", "entro le 10", "alle 3 del pomeriggio"
    rule(
        rf"\b(?:alle |le )?(?:ore )?{_TIME} (?:del pomeriggio|di sera|della sera)\b",
        clock("pm"),
        needs="pomeriggio sera",
    ),
    rule(
        rf"\b(?:alle |le )?(?:ore )?{_TIME} (?:di mattina|del mattino|della mattina|di notte)\b",
        clock("am"),
        needs="mattin notte",
    ),
    rule(rf"\b(?:alle|le|dalle) (?:ore )?{_TIME}", clock(), needs="le "),
    rule(rf"(?<![0-9] )\bore {_TIME}", clock(), needs="ore "),
    rule(r"\b(?:a |alle )?mezzogiorno\b", "noon", needs="mezzogiorno"),
    rule(r"\b(?:a |alle )?mezzanotte\b", "midnight", needs="mezzanotte"),
    # dates: "1° dicembre", "15 mar" (marzo after a day number), "15/3", "15/03/2027"
    rule(r"\b([0-9]{1,2})[°º]", r"\1", needs="° o"),
    rule(r"\b([0-9]{1,2}) mar\b", r"\1 march", needs=" mar"),
    rule(
        r"\b([0-9]{1,2}) ago\b", r"\1 august", needs=" ago"
    ),  # "ago" alone is English "ago": "3d ago"
    rule(r"\b([0-9]{1,2})/([0-9]{1,2})(?:/([0-9]{4}))?(?![0-9/])", _slash_date, needs="/"),
    # amounts: "tra 2 ore", "fra 3 giorni", "2 giorni fa"
    rule(r"\b(?:tra|fra)\b", "in", needs="tra fra"),
)

WORDS = {
    **WEEKDAYS,
    **MONTHS,
    **UNITS,
    "ora": "now", "adesso": "now",
    "oggi": "today", "domani": "tomorrow", "dopodomani": "overmorrow", "ieri": "yesterday",
    "stasera": "tonight",
    "fa": "ago", "e": "and",
    "entro": "", "per": "", "il": "", "lo": "", "la": "", "le": "", "alle": "", "di": "",
    "dal": "", "dalla": "", "da": "",
}  # fmt: skip


def amount_phrase(parts: list[tuple[int, str]], *, explicit: bool, backwards: bool) -> str:
    """ "tra 2 ore e 30 minuti", "3 giorni fa": a length of time in words."""
    words = " e ".join(f"{number} {_unit_name(unit, number)}" for number, unit in parts)
    if backwards:
        return f"{words} fa"
    return f"tra {words}" if explicit else words


def _unit_name(unit: str, number: int) -> str:
    singular, plural = _UNIT_NAMES[unit]
    return singular if number == 1 else plural


_UNIT_NAMES = {
    "minute": ("minuto", "minuti"),
    "hour": ("ora", "ore"),
    "day": ("giorno", "giorni"),
    "week": ("settimana", "settimane"),
    "business_hour": ("ora lavorativa", "ore lavorative"),
    "business_day": ("giorno lavorativo", "giorni lavorativi"),
}


def date_phrase(day: int, month: int, year: int | None) -> str:
    """ "23 dic", "23 dic 2027"."""
    name = _MONTH_ABBREVIATIONS[month - 1]
    return f"{day} {name} {year}" if year else f"{day} {name}"


_MONTH_ABBREVIATIONS = (
    "gen", "feb", "marzo", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic",
)  # fmt: skip
