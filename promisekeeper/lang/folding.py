"""Text folded for matching: case and accents ignored, so `--to eva` finds "Éva Späcek".

Standard library only. The same fold is applied to what is stored (the key columns) and to
what is typed, so matching is a plain substring test in any database engine.
"""

from __future__ import annotations

import unicodedata


def fold(text: str | None) -> str:
    """Lower case without accents: "Éva ÖBERG" -> "eva oberg"; "ß" -> "ss"."""
    if not text:
        return ""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def like_pattern(text: str) -> str:
    """A LIKE pattern that finds the folded text anywhere (`%`, `_` and `\\` escaped)."""
    escaped = fold(text).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
