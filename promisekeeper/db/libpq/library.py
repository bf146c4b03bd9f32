"""Finding libpq cheaply, declaring the C functions the reads call, and parsing a
connection string as libpq will.

No `ctypes.util.find_library` (it runs subprocesses): the copy in psycopg's binary wheel,
located without importing psycopg, else the system's by its soname. None when neither loads,
or a function used here is missing, or PROMISEKEEPER_LIBPQ=psycopg: psycopg reads then.
"""

from __future__ import annotations

import ctypes
import os
import re
from collections.abc import Iterator
from ctypes import POINTER, c_char_p, c_int, c_uint, c_void_p

from promisekeeper.db.libpq.errors import Error

TYPE_CHECKING = False  # typing costs ~3 ms to import (the prompt's rebuild); checkers treat this as true
if TYPE_CHECKING:
    from typing import Any

DRIVER_VAR = "PROMISEKEEPER_LIBPQ"  # "psycopg": read through psycopg, as before


_loaded: list[ctypes.CDLL | None] = []


def load() -> ctypes.CDLL | None:
    """libpq with the functions this module calls, or None (then psycopg reads)."""
    if not _loaded:
        _loaded.append(None if os.environ.get(DRIVER_VAR, "").lower() == "psycopg" else _first_loadable())
    return _loaded[0]


def _first_loadable() -> ctypes.CDLL | None:
    for path in _candidates():
        try:
            return _declare(ctypes.CDLL(path))
        except (OSError, AttributeError):  # not there, or too old to have a function used here
            continue
    return None


def _candidates() -> Iterator[str]:
    import importlib.util

    # find_spec locates the package without running it (importing it would cost what this avoids)
    spec = importlib.util.find_spec("psycopg_binary")
    if spec is not None and spec.origin:
        package = os.path.dirname(spec.origin)
        for folder, pattern in ((package + ".libs", re.compile(r"libpq-.*\.so")),
                                (os.path.join(package, ".dylibs"), re.compile(r"libpq.*\.dylib"))):
            if os.path.isdir(folder):
                yield from sorted(os.path.join(folder, name) for name in os.listdir(folder) if pattern.match(name))
    yield from ("libpq.so.5", "libpq.5.dylib")


def _declare(lib: ctypes.CDLL) -> ctypes.CDLL:
    """Give every function used its C signature (ctypes would otherwise guess int)."""
    signatures: dict[str, tuple[Any, list[Any]]] = {
        "PQconnectStartParams": (c_void_p, [POINTER(c_char_p), POINTER(c_char_p), c_int]),
        "PQconnectPoll": (c_int, [c_void_p]),
        "PQstatus": (c_int, [c_void_p]),
        "PQsocket": (c_int, [c_void_p]),
        "PQerrorMessage": (c_char_p, [c_void_p]),
        "PQfinish": (None, [c_void_p]),
        "PQsetnonblocking": (c_int, [c_void_p, c_int]),
        "PQtransactionStatus": (c_int, [c_void_p]),
        "PQsendQueryParams": (c_int, [c_void_p, c_char_p, c_int, POINTER(c_uint), POINTER(c_char_p),
                                      c_void_p, c_void_p, c_int]),
        "PQflush": (c_int, [c_void_p]),
        "PQconsumeInput": (c_int, [c_void_p]),
        "PQisBusy": (c_int, [c_void_p]),
        "PQgetResult": (c_void_p, [c_void_p]),
        "PQresultStatus": (c_int, [c_void_p]),
        "PQresultErrorField": (c_char_p, [c_void_p, c_int]),
        "PQresultErrorMessage": (c_char_p, [c_void_p]),
        "PQntuples": (c_int, [c_void_p]),
        "PQnfields": (c_int, [c_void_p]),
        "PQftype": (c_uint, [c_void_p, c_int]),
        "PQgetvalue": (c_char_p, [c_void_p, c_int, c_int]),
        "PQgetisnull": (c_int, [c_void_p, c_int, c_int]),
        "PQclear": (None, [c_void_p]),
        "PQgetCancel": (c_void_p, [c_void_p]),
        "PQcancel": (c_int, [c_void_p, c_char_p, c_int]),
        "PQfreeCancel": (None, [c_void_p]),
        "PQconninfoParse": (c_void_p, [c_char_p, POINTER(c_char_p)]),
        "PQconninfoFree": (None, [c_void_p]),
        "PQfreemem": (None, [c_void_p]),
    }
    for name, (restype, argtypes) in signatures.items():
        function = getattr(lib, name)
        function.restype = restype
        function.argtypes = argtypes
    # The two calls made once per value read, also without argtypes: ctypes then converts no
    # argument itself, which halves their cost (callers pass the PGresult as a c_void_p and
    # the row and column as ints, as the C signature takes them).
    for name, restype in (("PQgetvalue", c_char_p), ("PQgetisnull", c_int)):
        unchecked = lib[name]  # indexing makes a function object of its own
        unchecked.restype = restype
        setattr(lib, name + "_unchecked", unchecked)
    return lib


def required() -> ctypes.CDLL:
    lib = load()
    if lib is None:
        raise Error("libpq is not available")
    return lib


# -- connection strings ---------------------------------------------------------------------------


class _Option(ctypes.Structure):
    _fields_ = [("keyword", c_char_p), ("envvar", c_char_p), ("compiled", c_char_p), ("val", c_char_p),
                ("label", c_char_p), ("dispchar", c_char_p), ("dispsize", c_int)]


def conninfo_value(conninfo: str, keyword: str) -> str | None:
    """One parameter a connection string or URL sets (None when it sets none); libpq's own
    parser, so a URL's `?options=` reads as the server will read it."""
    lib = required()
    message = c_char_p()
    parsed = lib.PQconninfoParse(conninfo.encode(), ctypes.byref(message))
    if not parsed:
        reason = (message.value or b"invalid connection string").decode(errors="replace").strip()
        if message.value:
            lib.PQfreemem(message)
        raise Error(reason)
    try:
        options = ctypes.cast(parsed, POINTER(_Option))
        index = 0
        while options[index].keyword is not None:
            if options[index].keyword == keyword.encode():
                value = options[index].val
                return None if value is None else value.decode()
            index += 1
        return None
    finally:
        lib.PQconninfoFree(parsed)


