"""A libpq connection and its cursors, DB-API shaped, as the read half uses them.

Every wait (connecting, a statement waiting on a lock) is a `select` on libpq's socket in
Python, so Ctrl-C and SIGTERM interrupt it; a statement interrupted so is cancelled on the
server (PQcancel) before the exception goes on. Every PGresult is cleared, every connection
finished, on errors too.
"""

from __future__ import annotations

import ctypes
import select
import time
from collections.abc import Callable, Mapping, Sequence
from ctypes import c_char_p, c_uint

from promisekeeper.db.libpq.errors import Error
from promisekeeper.db.libpq.library import required
from promisekeeper.db.libpq.values import LOADERS, numbered, parameter

TYPE_CHECKING = False  # typing costs ~3 ms to import (the prompt's rebuild); checkers treat this as true
if TYPE_CHECKING:
    from typing import Any

# -- connecting --------------------------------------------------------------------------------------

_POLLING_FAILED, _POLLING_READING, _POLLING_WRITING, _POLLING_OK = 0, 1, 2, 3
_CONNECTION_BAD = 1
_TRANS_IDLE = 0


def connect(conninfo: str, *, connect_timeout: int, options: str = "", read_only: bool = True,
            isolation: str | None = None) -> Connection:
    """A connection, made within `connect_timeout` seconds (counted here: libpq's own
    connect_timeout applies only to its blocking connect)."""
    lib = required()
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
        statement, order = numbered(sql)
        if isinstance(params, Mapping):
            given = [params[str(key)] for key in order]
        else:
            given = list(params or ())
            if len(given) != len(order):
                raise TypeError(f"the statement takes {len(order)} parameters, {len(given)} given")
        sent = [parameter(value) for value in given]
        self.connection.begin_if_idle()
        result = self.connection.run(statement, [value for value, _ in sent], [oid for _, oid in sent])
        lib = self.connection._lib
        try:
            loaders = []
            for column in range(lib.PQnfields(result)):
                oid = lib.PQftype(result, column)
                if oid not in LOADERS:
                    raise Error(f"promisekeeper cannot read PostgreSQL values of type {oid} without psycopg")
                loaders.append(LOADERS[oid])
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
        lib, result = self.connection._lib, ctypes.c_void_p(self._result)
        value, isnull = lib.PQgetvalue_unchecked, lib.PQgetisnull_unchecked
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
