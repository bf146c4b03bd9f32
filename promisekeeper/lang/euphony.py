"""The little words a language changes for the word after them, which a translator cannot
know when the word is a value filled in later: Italian "a" is "ad" before a name that starts
with a vowel ("ad Anna"), Hungarian "a(z)" is "a" or "az" as the word after it sounds
("a #12", "az Éva", "az 5."). A template says "a {owner}" or "a(z) {field}"; the word is
fixed when the value is known. Standard library only, like i18n.
"""

from __future__ import annotations

import re

_VOWELS = frozenset("aeiouáéíóöőúüűàèìòùâêîôûAEIOUÁÉÍÓÖŐÚÜŰÀÈÌÒÙ")
# Placeholders that hold a person's name (or a value that may be one), in Italian.
_NAMES = frozenset(("who", "owner", "previous", "value"))
_ITALIAN_A = re.compile(r"(?:^|(?<=\s))([aA]) $")
_HUNGARIAN_AZ = re.compile(r"(?:^|(?<=[\s(„\"]))([aA])\(z\) ([#„\"'«]?)$")
_OPENING = "„\"'«»”‘’#([-"  # an option is read by its word: az „--all”


def triggers(language: str, template: str) -> bool:
    """Whether `template` has a word that depends on the value after it (cheap test)."""
    if language == "it":
        return "a {" in template
    if language == "hu":
        return "(z) " in template
    return False


def before(literal: str, field: str, value: str, language: str) -> str:
    """`literal`, the template text before the value of `field`, with its last word as
    the language says it before `value`."""
    if language == "it" and field in _NAMES:
        found = _ITALIAN_A.search(literal)
        if found and value[:1] in _VOWELS:
            return f"{literal[: found.start(1)]}{found.group(1)}d "
        return literal
    if language == "hu":
        found = _HUNGARIAN_AZ.search(literal)
        if found:
            article = hungarian_article(found.group(2) + value)
            if article:
                if found.group(1) == "A":
                    article = article.capitalize()
                return f"{literal[: found.start(1)]}{article} {found.group(2)}"
    return literal


def hungarian_article(word: str) -> str:
    """ "a" or "az" for the word as it is read aloud; "" when that cannot be told."""
    word = word.lstrip(_OPENING)
    if not word:
        return ""
    if word[0].isdigit():
        digits = re.match(r"[0-9]+", word).group()  # type: ignore[union-attr]
        if digits[0] == "5":  # öt, ötven, ötszáz, ötezer
            return "az"
        if digits[0] == "1":  # egy, ezer, egymillió; but tíz, száz
            return "az" if len(digits) % 3 == 1 else "a"
        return "a"
    if word[0].isalpha():
        return "az" if word[0] in _VOWELS else "a"
    return ""
