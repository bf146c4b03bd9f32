"""How each language says "every": rewrites into the English words `rule` reads.

Only the words of recurrence live here ("ogni", "minden", "varje", "naponta", "hetente",
"vardag"); days, times and amounts are the time language's own, read by its lexicons.
Patterns are applied to the phrase lower-cased with accents folded, in order.
"""

from __future__ import annotations

import re

_WEEKDAYS_SV = r"(man|tis|ons|tors|fre|lor|son)dagar"

REWRITES: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (
        (r"\beach\b", "every"),
        (r"\bdaily\b", "every day"),
        (r"\bweekly\b", "every week"),
        (r"\bhourly\b", "every hour"),
    ),
    "it": (
        (r"\bogni ora\b", "every hour"),
        (r"\b(?:dal )?lunedi (?:al|a) venerdi\b", "every weekday"),
        (r"\b(?:ogni|tutti i|tutte le)\b", "every"),
        (r"\bgiornalmente\b|\bquotidianamente\b", "every day"),
        (r"\bsettimanalmente\b", "every week"),
    ),
    "hu": (
        (r"\b([0-9]+) munkaorankent\b", r"every \1 bh"),
        (r"\b([0-9]+) orankent\b", r"every \1 hours"),
        (r"\b([0-9]+) percenkent\b", r"every \1 minutes"),
        (r"\b([0-9]+) naponkent\b|\b([0-9]+) naponta\b", r"every \1\2 days"),
        (r"\borankent\b", "every hour"),
        (r"\bmunkanaponkent\b", "every bd"),
        (r"\bhetkoznaponkent\b|\bhetkoznapokon\b|\bhetkoznap\b", "weekday"),
        (r"\bnaponta\b|\bnaponkent\b", "every day"),
        (r"\bhetente\b", "every week"),
        (r"\bminden\b", "every"),
    ),
    "sv": (
        (r"\bvarannan (timme|dag|vecka|arbetsdag)\b", r"every 2 \1"),
        (r"\bvar ([0-9]+)(?::?[ae])? (timme|dag|vecka|arbetstimme|arbetsdag)\b", r"every \1 \2"),
        (r"\bvarje timme\b", "every hour"),
        (r"\bvardagar\b|\bvardag\b", "weekday"),
        (r"\bdagligen\b", "every day"),
        (r"\bvarje vecka\b|\bvarje veckan\b", "every week"),
        (rf"\b(?:pa )?{_WEEKDAYS_SV}\b", r"\1dag"),
        (r"\bvarje\b|\bvar\b", "every"),
    ),
}

_COMPILED = {code: tuple((re.compile(p), r) for p, r in rules) for code, rules in REWRITES.items()}


def rewrite(line: str, language: str) -> str:
    """The phrase with this language's words of recurrence in English (folded text in);
    English is always read too."""
    for code in dict.fromkeys((language, "en")):
        for pattern, replacement in _COMPILED.get(code, ()):
            line = pattern.sub(replacement, line)
    return line
