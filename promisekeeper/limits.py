"""The one set of limits every way in checks: the command line, JSON, CSV and Taskwarrior.

- moments lie in the years 1970 to 2200 (UTC), so every view, zone and export can show them;
- text is text: at most `LENGTHS[field]` characters (`TEXT_LENGTH` for notes, reasons and
  the like), with no character a terminal would obey (what `sanitize` would strip, bar tabs
  and line breaks) and no lone surrogate;
- numbers are finite, and whole numbers fit in 64 bits;
- tags are single words, at most `MAX_TAGS` of them.

A refusal is a `LimitError` (bad input, exit 2) naming the field and the limit; callers that
read a file put the file and record in front. Standard library only: the clock uses it on
the prompt's fast path.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from typing import Any

from promisekeeper.errors import BadInput
from promisekeeper.years import EARLIEST_S, FIRST_YEAR, LAST_YEAR, LATEST_S

EARLIEST = datetime.fromtimestamp(EARLIEST_S, UTC)
LATEST = datetime.fromtimestamp(LATEST_S, UTC)
YEARS = f"{FIRST_YEAR}–{LAST_YEAR}"

TEXT_LENGTH = 2000  # notes, reasons, annotations: anything not named below
LENGTHS = {
    "what": 500, "description": 500,
    "who": 200, "contact": 200, "via": 200, "ref": 200, "project": 200, "owner": 200,
    "from_owner": 200, "to_owner": 200, "due_tz": 64, "uuid": 64,
    "tag": 64,
}
MAX_TAGS = 50
LARGEST_NUMBER = 2**63 - 1  # what a database's BIGINT holds
_SHORTEST = min(TEXT_LENGTH, *LENGTHS.values())  # a text no longer than this is within every limit
MAX_DEPTH = 6  # nesting of an imported event's data (an edit's before/after is 2 deep)

# Characters a terminal would obey, as sanitize strips them on the way out (tabs and line
# breaks excepted: a note may have lines), and lone surrogates, which no file can store.
_REFUSED = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_TAG = re.compile(r"^[^\s,\"\\]+$")
_NAMES = {0x1B: "ESC", 0x00: "NUL", 0x07: "BEL", 0x08: "BS", 0x7F: "DEL", 0x9B: "CSI"}


class LimitError(BadInput):
    """A value outside the limits; the message names the field and the limit."""


def _(message: str) -> str:
    # Translated only when refusing: the prompt's fast path never loads the catalogues.
    from promisekeeper.lang.i18n import _ as translated

    return translated(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    from promisekeeper.lang.i18n import ngettext as translated

    return translated(singular, plural, n)


def text(value: str | None, field: str) -> str | None:
    """Free text as stored: blanks around it dropped, empty means not given; refused
    when too long or holding a control character."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    limit = LENGTHS.get(field, TEXT_LENGTH)
    if len(value) > limit:
        raise LimitError(_("{field} is {length} characters long; the limit is {limit}").format(
            field=_field_name(field), length=f"{len(value):,}", limit=f"{limit:,}"))
    found = _REFUSED.search(value)
    if found:
        raise LimitError(_("{field} holds {character}; type it as plain text").format(
            field=_field_name(field), character=describe(found.group())))
    if field in NAME_FIELDS:
        _visible_name(value, field)
    return value


def _field_name(field: str) -> str:
    """A promise's field as the language names it ("what" is "szöveg"); others as given."""
    from promisekeeper.lang import vocabulary

    return vocabulary.field(field)


NAME_FIELDS = ("owner", "from_owner", "to_owner")  # names that tell people apart


def _visible_name(value: str, field: str) -> None:
    """Refuse a name with a character that shows as nothing (or as a plain space): two such
    names would print the same and be two owners."""
    if value.isascii():
        return  # every character unseen is beyond ASCII (`invisible` passes ASCII over)
    from promisekeeper.lang.lookalike import invisible

    found = invisible(value)
    if found is not None:
        import unicodedata

        raise LimitError(_("{field} holds the invisible character U+{code} ({name}), which would make "
                           "a name that looks like another; type the name without it").format(
            field=field, code=f"{ord(found):04X}", name=unicodedata.name(found, "?")))


def describe(character: str) -> str:
    """ "the control character U+001B (ESC)" for a refused character."""
    code = ord(character)
    if 0xD800 <= code <= 0xDFFF:
        return _("a lone surrogate U+{code}, which is not text").format(code=f"{code:04X}")
    if code in _NAMES:
        return _("the control character U+{code} ({name})").format(code=f"{code:04X}", name=_NAMES[code])
    return _("the control character U+{code}").format(code=f"{code:04X}")


def tag(value: str) -> str:
    """One tag as stored: "+VPN" -> "vpn"; refused unless it is a single short word."""
    word = value.strip().lstrip("+#").lower()
    checked = text(word, "tag") or ""
    if checked and not _TAG.match(checked):
        raise LimitError(_("tag {tag} has spaces or quotes; use one word, e.g. --tag vpn").format(
            tag=repr(value.strip())))
    return checked


def tag_count(count: int) -> None:
    if count > MAX_TAGS:
        raise LimitError(ngettext("{count} tag; the limit is {limit}", "{count} tags; the limit is {limit}", count).format(
            count=count, limit=MAX_TAGS))


def moment(value: datetime, field: str) -> datetime:
    """An aware moment, refused outside the years 1970–2200 (UTC)."""
    if not EARLIEST <= value <= LATEST:
        raise LimitError(_("{field} {value} is outside the years {years}").format(
            field=field, value=value.isoformat(), years=YEARS))
    return value


def epoch(seconds: int, field: str) -> int:
    """Epoch seconds, refused outside the years 1970–2200."""
    if not EARLIEST_S <= seconds <= LATEST_S:
        raise LimitError(_("{field} {value} is outside the years {years}").format(
            field=field, value=f"@{seconds}", years=YEARS))
    return seconds


def count(value: int, option: str) -> int:
    """A count given on the command line (e.g. --limit), refused beyond 64 bits."""
    if value > LARGEST_NUMBER:
        raise LimitError(_("{option} {value} is more than the largest count, {largest}").format(
            option=option, value=value, largest=LARGEST_NUMBER))
    return value


def json_value(value: Any, field: str, depth: int = 0) -> None:
    """Check an imported JSON value throughout: texts, finite and 64-bit numbers, nesting."""
    if depth > MAX_DEPTH:
        raise LimitError(_("{field} is nested more than {depth} levels deep").format(field=field, depth=MAX_DEPTH))
    if isinstance(value, str):
        text(value, field)
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int):
        if abs(value) > LARGEST_NUMBER:
            raise LimitError(_("{field} is a number with {digits} digits; the limit is 64 bits").format(
                field=field, digits=len(str(abs(value)))))
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise LimitError(_("{field} is not a finite number").format(field=field))
    elif isinstance(value, dict):
        _json_object(value, field, depth)
    elif isinstance(value, list):
        for item in value:
            json_value(item, field, depth + 1)


def _json_object(value: dict[Any, Any], field: str, depth: int) -> None:
    """An object's members, in order: the common ones (a short key; a short text, a flag, a
    null, a small whole number) passed here, where `json_value` would pass them too, and
    the rest handed to it. An import checks some 300,000 journal entries' data."""
    inline = depth < MAX_DEPTH  # a member one level deeper is still within the nesting
    for key, item in value.items():
        name = str(key)
        # A short identifier holds nothing to refuse: the common case, checked at C speed.
        if not (len(name) <= 64 and name.isidentifier()):
            text(name, _("a key in {field}").format(field=field))
        kind = type(item)
        if inline and (
            item is None or kind is bool
            or (kind is str and len(item) <= _SHORTEST and name not in NAME_FIELDS and not _REFUSED.search(item))
            or (kind is int and -LARGEST_NUMBER <= item <= LARGEST_NUMBER)
        ):
            continue
        json_value(item, name, depth + 1)
