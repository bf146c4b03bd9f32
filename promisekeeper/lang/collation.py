"""Names in the order a reader of the language expects them: "Éva" beside "Eva", and in
Swedish "Åsa" after "Zoë".

A sort key in three levels, as the Unicode Collation Algorithm compares: first the letters
(accents and case ignored), then the accents, then the case (lower before upper), and the
text itself last, so that no two different names tie. Letters a language counts as letters
of their own follow CLDR's tailoring for it:

- en, it: the root order; an accented letter is its base letter with an accent (é ~ e).
- sv: å, ä, ö come after z, in that order (æ sorts as ä, ø as ö); ü sorts as y.
- hu: ö/ő after o and ü/ű after u; cs, dz, dzs, gy, ly, ny, sz, ty, zs are letters after
  their first one (and a doubled one, "ssz", counts twice); á, é, í, ó, ú are their base
  letters with an accent.

Spaces and punctuation come before digits, digits before letters. Letters outside the Latin
script sort by their code point after the Latin ones, unaccented as above.

Why not a library: Babel has no collation; PyICU needs the ICU C++ library and a compiler
(or a 30 MB unofficial wheel) for what is, for the four languages pk speaks, the short
table below; `locale.strxfrm` depends on which locales the system happens to have generated
(a container often has only C.UTF-8, where it sorts by code point: Zoë before Åsa in any
language); pyuca has the root order but no tailorings, so no Swedish. Standard library
only: completion sorts names with it.
"""

from __future__ import annotations

import os
import unicodedata

# Completion sorts names on every TAB: what only annotations name is not imported.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

LANGUAGES = ("en", "it", "hu", "sv")
# The locale variables in the order POSIX consults them for collation.
_LOCALE_VARIABLES = ("LC_ALL", "LC_COLLATE", "LANG")

# Letters with no decomposition, as the root order reads them.
_ROOT_SPECIAL = {
    "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "ł": "l", "ı": "i",
    "ħ": "h", "ŧ": "t", "ŋ": "n",
}

# A tailored letter: (the letter it follows, how many places after it, accent rank).
Tailored = tuple[str, int, int]
_TAILORINGS: dict[str, dict[str, Tailored]] = {
    "sv": {
        "å": ("z", 1, 0), "ä": ("z", 2, 0), "æ": ("z", 2, 1), "ö": ("z", 3, 0), "ø": ("z", 3, 1),
        "ü": ("y", 0, 1),
    },
    "hu": {
        "cs": ("c", 1, 0), "dz": ("d", 1, 0), "dzs": ("d", 2, 0), "gy": ("g", 1, 0),
        "ly": ("l", 1, 0), "ny": ("n", 1, 0), "sz": ("s", 1, 0), "ty": ("t", 1, 0),
        "zs": ("z", 1, 0), "ö": ("o", 1, 0), "ő": ("o", 1, 1), "ü": ("u", 1, 0),
        "ű": ("u", 1, 1),
    },
}
_LATIN_END = 0x250  # letters after the Latin blocks sort after every Latin letter

SortKey = tuple[tuple[int, ...], tuple[tuple[int, ...], ...], tuple[int, ...], str]
# Each element's weights, once per language: names share their letters.
_WEIGHED: dict[str, dict[str, tuple[list[int], tuple[int, ...]]]] = {}


def language(configured: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The language names are sorted for: `configured` when pk speaks it, else the locale's
    (LC_ALL, LC_COLLATE, LANG: "sv_SE.UTF-8" → "sv"), else English."""
    if configured in LANGUAGES:
        return str(configured)
    environ = os.environ if environ is None else environ
    name = next((environ[var] for var in _LOCALE_VARIABLES if environ.get(var)), "")
    code = name.split(".", 1)[0].split("@", 1)[0].partition("_")[0].lower()
    return code if code in LANGUAGES else "en"


def sorter(language_code: str) -> Callable[[str], SortKey]:
    """The sort key function for a language: `sorted(names, key=sorter("sv"))`."""
    return lambda text: _key(text, language_code)


def sort_names(names: list[str], language_code: str | None = None) -> list[str]:
    """The names in collation order (for the locale's language unless one is given)."""
    return sorted(names, key=sorter(language_code or language()))


def _key(text: str, language_code: str) -> SortKey:
    tailoring = _TAILORINGS.get(language_code, {})
    weighed = _WEIGHED.setdefault(language_code, {})
    primary: list[int] = []
    accents: list[tuple[int, ...]] = []
    cases: list[int] = []
    normal = text if text.isascii() else unicodedata.normalize("NFC", text)
    for element, original in _elements(normal, tailoring):
        found = weighed.get(element)
        if found is None:
            found = weighed[element] = _weigh(element, tailoring)
        weights, marks = found
        primary += weights
        accents.append(marks)
        cases.append(int(original != original.lower()))
    return tuple(primary), tuple(accents), tuple(cases), text


def _elements(text: str, tailoring: Mapping[str, Tailored]) -> list[tuple[str, str]]:
    """The text cut into collation elements (lower case, as typed): tailored letters of
    one to three characters first, a doubled first letter ("ssz") counting as the digraph."""
    lower = text.lower() if len(text.lower()) == len(text) else text
    if not language_has_digraphs(tailoring):
        return list(zip(lower, text))
    found: list[tuple[str, str]] = []
    index = 0
    while index < len(text):
        for size in (3, 2):
            piece = lower[index : index + size]
            doubled = lower[index + 1 : index + 1 + size]
            if len(piece) == size and piece in tailoring:
                found.append((piece, text[index : index + size]))
                index += size
                break
            if lower[index] == doubled[:1] and len(doubled) == size and doubled in tailoring:
                found.append((doubled, text[index]))  # "ssz" is "sz" + "sz"
                index += 1
                break
        else:
            found.append((lower[index], text[index]))
            index += 1
    return found


def language_has_digraphs(tailoring: Mapping[str, Tailored]) -> bool:
    """Whether a language has letters written with two or three characters (Hungarian)."""
    return any(len(letter) > 1 for letter in tailoring)


def _weigh(element: str, tailoring: Mapping[str, Tailored]) -> tuple[list[int], tuple[int, ...]]:
    """An element's primary weights and its accents."""
    if element in tailoring:
        base, step, accent = tailoring[element]
        return [_letter(base) + step], ((accent,) if accent else ())
    decomposed = unicodedata.normalize("NFKD", element)
    bases = "".join(char for char in decomposed if not unicodedata.combining(char))
    marks = tuple(ord(char) for char in decomposed if unicodedata.combining(char))
    spelled = "".join(_ROOT_SPECIAL.get(char, char) for char in bases.lower())
    if spelled != bases.lower():
        marks = marks or (1,)  # "ø" is "o" with a stroke, after "o"
    return [_weight(char) for char in spelled], marks


def _letter(char: str) -> int:
    return (3 << 24) + ord(char) * 8


def _weight(char: str) -> int:
    """Spaces and punctuation, then digits, then Latin letters, then other scripts."""
    if char.isalpha():
        return _letter(char) if ord(char) < _LATIN_END else (4 << 24) + ord(char)
    if char.isdigit():
        return (2 << 24) + (unicodedata.digit(char, 0))
    return (1 << 24) + ord(char)
