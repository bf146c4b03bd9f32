"""PostgreSQL reads over libpq itself, through the standard library's ctypes.

Why: the project's rule is that nothing heavy sits on the prompt's path or a reading
command's start. `import psycopg` alone costs 0.12–0.17 s (it loads asyncio, logging,
importlib.metadata, typing_extensions, its errors module …): most of what made the prompt's
rebuild ~6× and the agenda ~2.3× their SQLite figures. ctypes and a dlopen of libpq cost
~0.02 s. So the read half's own connections (`reader.connect_postgres`: the prompt, TAB
completion, every reading command's read transaction) talk to libpq here, as psycopg's own
`pq_ctypes` does; the write half (SQLAlchemy over psycopg) is untouched.

What it offers is exactly what the read half uses, DB-API shaped: `connect()`; a connection's
`cursor()`, `commit()`, `rollback()`, `close()`; a cursor's `execute(sql, params)` with `%s` or
`%(name)s` placeholders turned into `$n` and sent apart from the SQL (PQsendQueryParams, text
format: never interpolated), `fetchone()`, `fetchmany()`, `fetchall()`, `close()`. Values
come back as psycopg would give them, by the column's type; a type not listed is refused
(`Error`), not guessed. A read transaction starts as psycopg's does in a read-only
connection: `BEGIN … READ ONLY` before the first statement, ended by `rollback()`.

Every wait (connecting, a statement waiting on a lock) is a `select` on libpq's socket in
Python, so Ctrl-C and SIGTERM interrupt it; a statement interrupted so is cancelled on the
server (PQcancel) before the exception goes on.

libpq is found cheaply (no `ctypes.util.find_library`: it runs subprocesses): the copy in
psycopg's binary wheel, located without importing it, else the system's by its soname.
When neither loads, or PROMISEKEEPER_LIBPQ=psycopg, `load()` is None and the read half uses
psycopg as before.
"""

from __future__ import annotations

import ctypes
import os
import re
import select
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from ctypes import POINTER, c_char_p, c_int, c_uint, c_void_p
from typing import Any

DRIVER_VAR = "PROMISEKEEPER_LIBPQ"  # "psycopg": read through psycopg, as before


class Error(Exception):
    """A failure libpq reported, with its SQLSTATE when the server gave one."""

    def __init__(self, message: str, sqlstate: str | None = None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


# -- finding libpq ---------------------------------------------------------------------------------

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
    return lib


def _lib() -> ctypes.CDLL:
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
    lib = _lib()
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


# -- connecting --------------------------------------------------------------------------------------

_POLLING_FAILED, _POLLING_READING, _POLLING_WRITING, _POLLING_OK = 0, 1, 2, 3
_CONNECTION_BAD = 1
_TRANS_IDLE = 0


def connect(conninfo: str, *, connect_timeout: int, options: str = "", read_only: bool = True,
            isolation: str | None = None) -> Connection:
    """A connection, made within `connect_timeout` seconds (counted here: libpq's own
    connect_timeout applies only to its blocking connect)."""
    lib = _lib()
    # Later keywords override the URL's own (expand_dbname): `options` already holds the URL's.
    pairs = [("dbname", conninfo), ("client_encoding", "UTF8")]
    if options:
        pairs.append(("options", options))
    keywords = (c_char_p * (len(pairs) + 1))(*[key.encode() for key, _ in pairs], None)
    values = (c_char_p * (len(pairs) + 1))(*[value.encode() for _, value in pairs], None)
    pgconn = lib.PQconnectStartParams(keywords, values, 1)
    if not pgconn:
        raise Error("out of memory")
    try:
        deadline = time.monotonic() + connect_timeout
        if lib.PQstatus(pgconn) == _CONNECTION_BAD:
            raise Error(_connection_message(lib, pgconn))
        state = _POLLING_WRITING
        while state != _POLLING_OK:
            if state == _POLLING_FAILED:
                raise Error(_connection_message(lib, pgconn))
            _wait(lib.PQsocket(pgconn), write=state == _POLLING_WRITING, deadline=deadline)
            state = lib.PQconnectPoll(pgconn)
        if lib.PQsetnonblocking(pgconn, 1) != 0:
            raise Error(_connection_message(lib, pgconn))
    except BaseException:
        lib.PQfinish(pgconn)
        raise
    return Connection(lib, pgconn, read_only=read_only, isolation=isolation)


def _connection_message(lib: ctypes.CDLL, pgconn: int) -> str:
    return "connection failed: " + _reason(lib, pgconn)


def _reason(lib: ctypes.CDLL, pgconn: int) -> str:
    return (lib.PQerrorMessage(pgconn) or b"").decode(errors="replace").strip() or "no reason given"


def _wait(fd: int, *, write: bool, deadline: float | None) -> None:
    """Until the socket is ready; a signal's handler (Ctrl-C) interrupts the select."""
    if fd < 0:
        raise Error("connection failed: no socket")
    while True:
        left = None if deadline is None else deadline - time.monotonic()
        if left is not None and left <= 0:
            raise Error("connection timeout expired")
        readable, writable, _ = select.select([] if write else [fd], [fd] if write else [], [], left)
        if readable or writable:
            return


# -- the connection ----------------------------------------------------------------------------------


class Connection:
    """One libpq connection; statements run in a read transaction begun on first use."""

    def __init__(self, lib: ctypes.CDLL, pgconn: int, *, read_only: bool, isolation: str | None) -> None:
        self._lib = lib
        self._pgconn: int | None = pgconn
        self.read_only = read_only
        self.isolation = isolation  # e.g. "REPEATABLE READ": one snapshot for every statement

    def cursor(self) -> Cursor:
        return Cursor(self)

    def commit(self) -> None:
        self._end("COMMIT")

    def rollback(self) -> None:
        self._end("ROLLBACK")

    def close(self) -> None:
        if self._pgconn is not None:
            self._lib.PQfinish(self._pgconn)
            self._pgconn = None

    def __del__(self) -> None:  # a connection dropped without close() still frees its memory
        self.close()

    @property
    def closed(self) -> bool:
        return self._pgconn is None

    def _end(self, statement: str) -> None:
        if self._lib.PQtransactionStatus(self._live()) != _TRANS_IDLE:
            self._lib.PQclear(self.run(statement, []))

    def _live(self) -> int:
        if self._pgconn is None:
            raise Error("the connection is closed")
        return self._pgconn

    def begin_if_idle(self) -> None:
        if self._lib.PQtransactionStatus(self._live()) == _TRANS_IDLE:
            statement = "BEGIN"
            if self.isolation:
                statement += " ISOLATION LEVEL " + self.isolation
            if self.read_only:
                statement += " READ ONLY"
            self._lib.PQclear(self.run(statement, []))

    def run(self, sql: str, values: Sequence[bytes | None], types: Sequence[int] = ()) -> int:
        """Send one statement, wait for its answer, return its PGresult (the caller clears it)."""
        lib, pgconn = self._lib, self._live()
        count = len(values)
        sent = lib.PQsendQueryParams(
            pgconn, sql.encode(), count, (c_uint * count)(*types) if types else None,
            (c_char_p * count)(*values) if count else None, None, None, 0,
        )
        if not sent:
            raise Error(_reason(lib, pgconn))
        try:
            while lib.PQflush(pgconn) == 1:
                _wait(lib.PQsocket(pgconn), write=True, deadline=None)
            kept = 0
            try:
                while (result := self._next_result()) != 0:
                    if kept:
                        lib.PQclear(kept)
                    kept = result
            except BaseException:
                if kept:
                    lib.PQclear(kept)
                raise
        except BaseException:
            self._cancel()
            raise
        if not kept:
            raise Error(_reason(lib, pgconn))
        if lib.PQresultStatus(kept) not in _SUCCESS:
            error = _result_error(lib, kept)
            lib.PQclear(kept)
            raise error
        return kept

    def _next_result(self) -> int:
        """libpq's next PGresult of the statement (0 after its last), read without blocking:
        PQgetResult would block in C, where no signal can stop it."""
        lib, pgconn = self._lib, self._live()
        while True:
            if not lib.PQconsumeInput(pgconn):
                raise Error(_reason(lib, pgconn))
            if not lib.PQisBusy(pgconn):
                return int(lib.PQgetResult(pgconn) or 0)
            _wait(lib.PQsocket(pgconn), write=False, deadline=None)

    def _cancel(self) -> None:
        """Ask the server to stop the statement (it would otherwise go on waiting on its lock
        after pk has gone)."""
        lib, pgconn = self._lib, self._pgconn
        if pgconn is None:
            return
        cancel = lib.PQgetCancel(pgconn)
        if cancel:
            lib.PQcancel(cancel, ctypes.create_string_buffer(256), 256)
            lib.PQfreeCancel(cancel)


_COMMAND_OK, _TUPLES_OK = 1, 2
_SUCCESS = (_COMMAND_OK, _TUPLES_OK)
_DIAG_SQLSTATE, _DIAG_MESSAGE_PRIMARY = ord("C"), ord("M")


def _result_error(lib: ctypes.CDLL, result: int) -> Error:
    primary = lib.PQresultErrorField(result, _DIAG_MESSAGE_PRIMARY)
    if primary is None:  # an error libpq made itself (the connection was lost)
        primary = (lib.PQresultErrorMessage(result) or b"unknown error").strip()
    sqlstate = lib.PQresultErrorField(result, _DIAG_SQLSTATE)
    return Error(primary.decode(errors="replace"), sqlstate.decode() if sqlstate else None)


# -- parameters: placeholders and values ------------------------------------------------------------

_PLACEHOLDER = re.compile(r"%\((\w+)\)s|%s|%%")
_placeholders: dict[str, tuple[str, list[str | int]]] = {}

# psycopg's types for Python values (an int gets the smallest integer type that holds it, so
# a function taking `integer` accepts it); text goes untyped and the server infers its type.
_INT2, _INT4, _INT8, _NUMERIC, _BOOL, _FLOAT8, _UNKNOWN = 21, 23, 20, 1700, 16, 701, 0


def _numbered(sql: str) -> tuple[str, list[str | int]]:
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


def _parameter(value: object) -> tuple[bytes | None, int]:
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


_LOADERS: dict[int, Callable[[bytes], Any]] = {
    16: _bool,
    20: int, 21: int, 23: int, 26: int,  # int8, int2, int4, oid
    700: float, 701: float,
    1700: _decimal,
    18: _text, 19: _text, 25: _text, 705: _text, 1042: _text, 1043: _text,  # char, name, text, unknown, bpchar, varchar
    114: _json, 3802: _json,
}


class Cursor:
    """One statement's rows, read from its PGresult as they are fetched."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self._result = 0
        self._loaders: list[Callable[[bytes], Any]] = []
        self._rows = self._next = 0

    def __enter__(self) -> Cursor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def execute(self, sql: str, params: Mapping[str, Any] | Sequence[Any] | None = None) -> Cursor:
        self._clear()
        numbered, order = _numbered(sql)
        if isinstance(params, Mapping):
            given = [params[key] for key in order]
        else:
            given = list(params or ())
            if len(given) != len(order):
                raise TypeError(f"the statement takes {len(order)} parameters, {len(given)} given")
        sent = [_parameter(value) for value in given]
        self.connection.begin_if_idle()
        result = self.connection.run(numbered, [value for value, _ in sent], [oid for _, oid in sent])
        lib = self.connection._lib
        try:
            loaders = []
            for column in range(lib.PQnfields(result)):
                oid = lib.PQftype(result, column)
                if oid not in _LOADERS:
                    raise Error(f"promisekeeper cannot read PostgreSQL values of type {oid} without psycopg")
                loaders.append(_LOADERS[oid])
        except BaseException:
            lib.PQclear(result)
            raise
        self._result, self._loaders = result, loaders
        self._rows, self._next = lib.PQntuples(result), 0
        return self

    def fetchone(self) -> tuple[Any, ...] | None:
        rows = self.fetchmany(1)
        return rows[0] if rows else None

    def fetchall(self) -> list[tuple[Any, ...]]:
        return self.fetchmany(self._rows - self._next)

    def fetchmany(self, size: int = 1) -> list[tuple[Any, ...]]:
        if not self._result:
            raise Error("no rows to fetch: the cursor has no result")
        lib, result = self.connection._lib, self._result
        value, isnull = lib.PQgetvalue, lib.PQgetisnull
        columns = list(enumerate(self._loaders))
        end = min(self._rows, self._next + max(0, size))
        rows = []
        for row in range(self._next, end):
            # libpq gives "" for NULL: only an empty value needs asking whether it is NULL
            rows.append(tuple(
                load(raw) if (raw := value(result, row, column)) or not isnull(result, row, column) else None
                for column, load in columns
            ))
        self._next = end
        return rows

    def close(self) -> None:
        self._clear()

    def _clear(self) -> None:
        if self._result:
            self.connection._lib.PQclear(self._result)
            self._result = 0

    def __del__(self) -> None:
        self._clear()
