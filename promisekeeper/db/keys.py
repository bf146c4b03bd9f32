"""The folded copies of a promise's text that queries match on, made in one place.

`who_key` and `ref_key` serve `--to` and `--ref`; `search_key` holds every field `pk search`
looks in. They are written with the promise (the models' hooks, bulk import, migrations), so
matching is a plain LIKE in any engine, ignoring case and accents. Standard library only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from promisekeeper.lang.folding import fold

# Separates the fields in search_key, so that no word is found across two of them: the unit
# separator, a control character that no stored text holds (`limits` refuses it everywhere)
# and that search words are cleaned of, so that no search matches it.
FIELD_SEPARATOR = "\x1f"


class Keys(NamedTuple):
    who: str
    ref: str
    search: str


def promise_keys(
    *, what: str, who: str | None, contact: str | None, via: str | None, ref: str | None,
    tags: Iterable[str],
) -> Keys:
    fields = (what, who, contact, via, ref, " ".join(tags))
    # Folded in one piece: folding works a character at a time and the separator is a
    # character of its own (no case, no accent), so this is the fields folded one by one.
    return Keys(
        who=fold(who),
        ref=fold(ref),
        search=fold(FIELD_SEPARATOR.join(value for value in fields if value)),
    )
