"""Italian time words: "domani alle 10", "lunedì prossimo alle 9", "tra 2 ore", "entro venerdì".

Data for when_native: RULES (regular expressions, applied in order, accents folded)
and WORDS (one word → the word when_grammar reads). Times take "alle"/"le"/"ore"
("alle 10", "entro le 10.30", "alle ore 15"); dates are day first ("15 marzo", "il 1° dicembre",
"15/3"). "mar" alone is martedì; after a day number ("15 mar") it is marzo. "ago" after a day
number is agosto ("3 ago"); elsewhere it stays the English "ago" ("3d ago").
"""

from __future__ import annotations

import re

from promisekeeper.when.words.native import alternation, clock, digits, fold, rule, said

WEEKDAYS = {
    "lunedì": "mon", "lun": "mon",
    "martedì": "tue", "mar": "tue",
    "mercoledì": "wed", "mer": "wed",
    "giovedì": "thu", "gio": "thu",
    "venerdì": "fri", "ven": "fri",
    "sabato": "sat", "sab": "sat",
    "domenica": "sun", "dom": "sun",
}  # fmt: skip
WEEKDAY_NAMES = ("lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica")  # as a refusal names them
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


_HOUR_WORDS = {fold(word): number for word, number in NUMBERS.items()}
_FRACTIONS = {"e mezza": 30, "e mezzo": 30, "e un quarto": 15, "e tre quarti": 45,
              "meno un quarto": -15}  # fmt: skip
_HALF = {"pomeriggio": "pm", "sera": "pm", "mattina": "am", "mattino": "am", "notte": "am"}


def _half_hour(match: re.Match[str]) -> str:
    """ "alle 15 e mezza" → 15:30, "alle 5 meno un quarto" → 4:45, "le 3 e mezza" → 3:30~."""
    word = match.group("hour")
    hour = _HOUR_WORDS.get(word) or int(word)
    return said(hour, _FRACTIONS[match.group("part")], _HALF.get(match.group("half") or "", ""))


RULES = (
    # an apostrophe for the accent, as typed without one: "giovedi'", "venerdi'", "piu'"
    rule(r"(?<=[aeiou])'(?=\s|$)", "", needs="'"),
    rule(r"\bprox\b", "prossimo", needs="prox"),
    # half and quarter hours: "alle 15 e mezza", "alle 16 e un quarto", "alle 5 meno un quarto"
    rule(
        rf"\b(?:(?:alle|le|dalle) )?(?:ore )?(?P<hour>[0-9]{{1,2}}|{alternation(_HOUR_WORDS)}) "
        rf"(?P<part>{alternation(_FRACTIONS)})\b"
        r"(?: (?:del|di|della) (?P<half>pomeriggio|sera|mattina|mattino|notte)\b)?",
        _half_hour,
        needs="mezz quart",
    ),
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
    # within: "entro la settimana", "entro il mese" ("entro 2 giorni lavorativi" reads as is)
    rule(r"\bentro (?:la |questa )settimana\b", "eow", needs="settimana"),
    rule(r"\bentro (?:il |questo )mese\b", "eom", needs="mese"),
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
    # parts of the day: "domattina", "oggi pomeriggio", "prima di pranzo", "in serata"
    rule(r"\bdomattina\b", "tomorrow morning", needs="domattina"),
    rule(r"\bstamattina\b|\bstamani\b|\bstamane\b|\bquesta mattina\b", "today morning",
         needs="stama questa"),
    rule(r"\bquesto pomeriggio\b", "today afternoon", needs="questo"),
    rule(r"\bquesta sera\b", "tonight", needs="questa"),
    rule(r"\bdopo (?:il )?pranzo\b", "afternoon", needs="pranzo"),
    rule(r"\b(?:prima di |entro |per |a )?(?:(?:l')?ora di )?pranzo\b", "lunch", needs="pranzo"),
    rule(r"\b(?:per |come )?(?:la )?prima cosa\b", "first_thing", needs="prima"),
    rule(r"\b(?:oggi )?piu tardi(?: oggi)?\b|\boggi stesso\b|\bentro oggi\b", "later_today",
         needs="tardi stesso entro"),
    rule(r"\btarda mattinata\b", "morning", needs="tarda"),
    rule(r"\b(?:in|nel|nella|di|della|del|la|il) (?=mattinata\b|mattina\b|pomeriggio\b|serata\b|sera\b)",
         "", needs="mattin pomeriggio sera"),
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
    "mattina": "morning", "mattinata": "morning", "pomeriggio": "afternoon",
    "sera": "evening", "serata": "evening",
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
