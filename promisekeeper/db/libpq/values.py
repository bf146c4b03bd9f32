"""Parameters to text for PQsendQueryParams, and column values back to what psycopg gives.

Placeholders (`%s`, `%(name)s`, as the read half writes them for psycopg) become `$1…$n`:
the values travel apart from the statement, never interpolated into it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from promisekeeper.db.libpq.errors import Error

TYPE_CHECKING = False  # typing costs ~3 ms to import (the prompt's rebuild); checkers treat this as true
if TYPE_CHECKING:
    from typing import Any

_PLACEHOLDER = re.compile(r"%\((\w+)\)s|%s|%%")
_placeholders: dict[str, tuple[str, list[str | int]]] = {}

# psycopg's types for Python values (an int gets the smallest integer type that holds it, so
# a function taking `integer` accepts it); text goes untyped and the server infers its type.
_INT2, _INT4, _INT8, _NUMERIC, _BOOL, _FLOAT8, _UNKNOWN = 21, 23, 20, 1700, 16, 701, 0


def numbered(sql: str) -> tuple[str, list[str | int]]:
    """The statement with `$1…$n` for its placeholders, and which parameter each one takes."""
    found = _placeholders.get(sql)
    if found is None:
        order: list[str | int] = []
        numbers: dict[str | int, int] = {}

        def number(match: re.Match[str]) -> str:
            if match.group(0) == "%%":
                return "%"
            key: str | int = match.group(1) if match.group(1) else len(order)
            if key not in numbers or isinstance(key, int):
                order.append(key)
                numbers[key] = len(order)
            return f"${numbers[key]}"

        found = _placeholders[sql] = (_PLACEHOLDER.sub(number, sql), order)
    return found


def parameter(value: object) -> tuple[bytes | None, int]:
    if value is None:
        return None, _UNKNOWN
    if isinstance(value, bool):
        return (b"t" if value else b"f"), _BOOL
    if isinstance(value, int):
        for oid, bits in ((_INT2, 15), (_INT4, 31), (_INT8, 63)):
            if -(1 << bits) <= value < 1 << bits:
                return str(value).encode(), oid
        return str(value).encode(), _NUMERIC
    if isinstance(value, float):
        text = "NaN" if value != value else "Infinity" if value == float("inf") else \
            "-Infinity" if value == float("-inf") else repr(value)
        return text.encode(), _FLOAT8
    if isinstance(value, str):
        if "\0" in value:
            raise Error("PostgreSQL text fields cannot contain NUL (0x00) bytes")
        return value.encode(), _UNKNOWN
    raise TypeError(f"cannot send a {type(value).__name__} to PostgreSQL")


# -- results: values by their column's type ---------------------------------------------------------


def _text(raw: bytes) -> str:
    return raw.decode()


def _bool(raw: bytes) -> bool:
    return raw == b"t"


def _decimal(raw: bytes) -> Any:
    from decimal import Decimal  # only for a numeric column (sum of a bigint)

    return Decimal(raw.decode())


def _json(raw: bytes) -> Any:
    import json

    return json.loads(raw)


LOADERS: dict[int, Callable[[bytes], Any]] = {
    16: _bool,
    20: int, 21: int, 23: int, 26: int,  # int8, int2, int4, oid
    700: float, 701: float,
    1700: _decimal,
    18: _text, 19: _text, 25: _text, 705: _text, 1042: _text, 1043: _text,  # char, name, text, unknown, bpchar, varchar
    114: _json, 3802: _json,
}


