"""Names that look alike: invisible characters, and letters of other scripts that pass for Latin.

Two owners whose names print the same are two people to pk but one to the reader: "Аnn"
with a Cyrillic А takes a promise away from Ann's views while every line reads "Ann".

- `invisible(name)`: the first character in a name that shows as nothing or as a plain space
  (format characters such as zero-width spaces and joiners, the word joiner, the BOM, soft
  hyphens, direction marks and tag characters; Hangul fillers; variation selectors; spaces
  other than U+0020). Names holding one are refused.
- `skeleton(name)`: the name as it looks, after Unicode TR39's idea of a skeleton: NFKC, the
  letters of Cyrillic, Greek and Armenian that are drawn like Latin ones (and 0/1/I/rn, drawn
  like o/l/l/m) mapped to those, then case and accents folded. Two names with one skeleton
  and different spellings are look-alikes.

The mapping is a careful subset of TR39's confusables.txt (the letters names are written
with), not all of it: the registry's `confusable_homoglyphs` flags mixed scripts in one
string but gives no skeleton to compare two names by. Standard library only.
"""

from __future__ import annotations

import unicodedata

# Characters drawn as nothing, or as an ordinary space, that are not format characters (Cf).
_INVISIBLE_EXTRA = {0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180E, 0x2800, 0x3164, 0xFFA0}

# TR39 confusables (a subset): upper case to upper, lower to lower; case is folded afterwards.
_LATIN_ALIKE = str.maketrans({
    # Cyrillic
    "А": "A", "В": "B", "С": "C", "Е": "E", "Н": "H", "І": "I", "Ј": "J", "К": "K", "М": "M",
    "О": "O", "Р": "P", "Ѕ": "S", "Т": "T", "Х": "X", "У": "Y", "Ԁ": "D", "Ԛ": "Q", "Ԝ": "W",
    "Ү": "Y", "Ӏ": "l", "а": "a", "с": "c", "е": "e", "һ": "h", "і": "i", "ј": "j", "о": "o",
    "р": "p", "ѕ": "s", "х": "x", "у": "y", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l", "ү": "y",
    "ɡ": "g",
    # Greek
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "l", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "ο": "o", "ν": "v", "ι": "i", "κ": "k",
    "ρ": "p", "υ": "u", "χ": "x", "α": "a",
    # Armenian
    "Օ": "O", "Ս": "U", "օ": "o", "ս": "u", "հ": "h", "ո": "n", "ց": "g",
    # Latin drawn like other Latin letters or digits
    "ı": "i", "0": "O", "1": "l", "I": "l", "|": "l",
})


def invisible(name: str) -> str | None:
    """The first character of `name` that shows as nothing or as a plain space, else None."""
    for char in name:
        if char == " " or char.isascii():
            continue
        category = unicodedata.category(char)
        if category in ("Cf", "Zs", "Zl", "Zp", "Mn") and _unseen(char, category):
            return char
        if ord(char) in _INVISIBLE_EXTRA:
            return char
    return None


def _unseen(char: str, category: str) -> bool:
    if category != "Mn":
        return True  # format characters and spaces other than U+0020
    # combining marks show on the letter before them, bar the selectors and joiners
    code = ord(char)
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF or code == 0x034F


def skeleton(name: str) -> str:
    """What `name` looks like, for comparing: look-alike letters mapped, case and accents folded."""
    from promisekeeper.lang.folding import fold

    shown = unicodedata.normalize("NFKC", name.strip()).translate(_LATIN_ALIKE)
    return fold(" ".join(shown.split())).replace("rn", "m")


def look_alikes(name: str, known: list[str]) -> list[str]:
    """The names among `known` that look like `name` but are spelled otherwise."""
    from promisekeeper.lang.folding import fold

    wanted, folded = skeleton(name), fold(name.strip())
    return [other for other in known if skeleton(other) == wanted and fold(other.strip()) != folded]


def telling_apart(name: str) -> str:
    """`name` with its letters from outside Latin named: 'Аnn (А: CYRILLIC CAPITAL LETTER A)'."""
    foreign = []
    for char in dict.fromkeys(name):
        if char.isascii() or char == " ":
            continue
        label = unicodedata.name(char, "")
        if label and not label.startswith("LATIN"):
            foreign.append(f"{char}: U+{ord(char):04X} {label}")
    return f"{name} ({'; '.join(foreign)})" if foreign else name
