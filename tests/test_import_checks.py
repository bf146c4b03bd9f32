"""The cheaper checks `pk import` makes refuse and keep exactly what the full ones do.

A journal entry's data is checked in one loop that passes the common members itself and
hands the rest to the full check; the search keys are folded in one piece; a canonical uuid
is kept as written. Each is compared here with the rule it stands for, on the edges.
"""

from __future__ import annotations

import random
import unicodedata
import uuid

import pytest

from promisekeeper import limits
from promisekeeper.db.keys import FIELD_SEPARATOR, promise_keys
from promisekeeper.exchange import _uuid
from promisekeeper.lang.folding import fold


def _refusal(data: object) -> str | None:
    try:
        limits.json_value(data, "data")
    except limits.LimitError as error:
        return str(error)
    return None


@pytest.mark.parametrize(("data", "refusal"), [
    ({"what": "Call back", "late": True, "slot": 3, "due_tz": None}, None),
    ({"note": "ends in a separator\x1f"}, None),  # blanks around a text are not part of it
    ({"note": "a\x1bb"}, "note holds the control character U+001B (ESC); type it as plain text"),
    ({"note": "\x1b" + "x" * 70}, "note holds the control character U+001B (ESC); type it as plain text"),
    ({"due_tz": "x" * 65}, "due_tz is 65 characters long; the limit is 64"),
    ({"due_tz": "x" * 64}, None),
    ({"owner": "Eva\u200b"}, "owner holds the invisible character"),
    ({"n": limits.LARGEST_NUMBER, "m": -limits.LARGEST_NUMBER}, None),
    ({"n": limits.LARGEST_NUMBER + 1}, "n is a number with 19 digits; the limit is 64 bits"),
    ({"x": float("inf")}, "x is not a finite number"),
    ({"bad key!": 1}, None),
    ({"k\x07": 1}, "a key in data holds the control character U+0007 (BEL)"),
])
def test_data_is_refused_as_the_full_check_refuses_it(data, refusal):
    found = _refusal(data)
    assert found == refusal if refusal is None else refusal in str(found)


def test_nesting_is_counted_to_the_last_scalar():
    def nested(depth: int) -> object:
        value: object = "leaf"
        for _ in range(depth):
            value = {"x": value}
        return value

    assert _refusal(nested(limits.MAX_DEPTH)) is None
    assert _refusal(nested(limits.MAX_DEPTH + 1)) == f"x is nested more than {limits.MAX_DEPTH} levels deep"
    assert _refusal(nested(limits.MAX_DEPTH + 1) | {"y": 1}) is not None


def test_the_search_key_folded_in_one_piece_is_each_field_folded():
    pool = [chr(code) for code in range(32, 0x2500) if unicodedata.category(chr(code))[0] != "C"]
    pool += ["\u0301", "\u0308", "ß", "İ", "Ǆ", "ﬁ"]  # combining marks, and folds that change length
    rnd = random.Random(24)
    for _ in range(3000):
        what, who, contact, via, ref = ("".join(rnd.choice(pool) for _ in range(rnd.randint(0, 5))) for _ in range(5))
        tags = ["".join(rnd.choice(pool) for _ in range(3))] if rnd.random() < 0.5 else []
        fields = (what, who, contact, via, ref, " ".join(tags))
        expected = FIELD_SEPARATOR.join(fold(value) for value in fields if value)
        keys = promise_keys(what=what, who=who, contact=contact, via=via, ref=ref, tags=tags)
        assert keys.search == expected, fields


@pytest.mark.parametrize("written", [
    "6f1c2a4e-8b3d-4e5f-9a7b-0c1d2e3f4a5b", "6F1C2A4E-8B3D-4E5F-9A7B-0C1D2E3F4A5B", "{12345678-1234-5678-1234-567812345678}",
    "12345678123456781234567812345678", "urn:uuid:12345678-1234-5678-1234-567812345678",
])
def test_a_uuid_is_stored_as_uuid_writes_it(written):
    assert _uuid(written, "f.json: promise 1") == str(uuid.UUID(written))
