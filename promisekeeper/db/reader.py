"""The read half's connection: plain DB-API (sqlite3, or libpq through ctypes for PostgreSQL).

Reads never import SQLAlchemy, SQLModel or pydantic. Every statement is written once, with
`:name` parameters, in SQL both engines run; for psycopg the parameters are rewritten to its
`%(name)s` style (which `libpq` numbers `$1…$n`). PostgreSQL reads go through `db.libpq`, not
psycopg, whose import alone costs more than a prompt's whole rebuild on SQLite; psycopg stays
the fallback when no libpq loads (or PROMISEKEEPER_LIBPQ=psycopg). A `Reader` is either a read transaction of its own (`database.open_reader`) or
the write transaction of a change (`Reader(connection, engine)` over the session's
connection), so the ledger reads what it is about to change through the same statements.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from promisekeeper.db.target import INSTALL_POSTGRES, SQLITE, Target
from promisekeeper.errors import StorageError

TYPE_CHECKING = False  # typing costs ~3 ms to import (the PostgreSQL prompt's rebuild); checkers treat this as true
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    Params = Mapping[str, Any]

BUSY_TIMEOUT_VAR = "PROMISEKEEPER_BUSY_TIMEOUT"
DEFAULT_BUSY_TIMEOUT_S = 30.0
_NAMED = re.compile(r"(?<![:\w]):([a-z_][a-z0-9_]*)")
_pyformat_cache: dict[str, str] = {}


CONNECT_TIMEOUT_VAR = "PROMISEKEEPER_CONNECT_TIMEOUT"
DEFAULT_CONNECT_TIMEOUT_S = 10
WAITING_NOTICE_S = 1.0  # a reading that waits longer says so, once


def connect_timeout() -> int:
    """Seconds to wait for a PostgreSQL server to accept a connection (libpq counts whole
    seconds, and at least 2)."""
    return max(2, round(seconds_setting(CONNECT_TIMEOUT_VAR, DEFAULT_CONNECT_TIMEOUT_S)))


def seconds_setting(name: str, default: float) -> float:
    """A length of time an environment variable gives, in seconds; unset, the default. One pk
    cannot read (`abc`, `nan`, `inf`) is said once on stderr, and the default used: a cron
    job's mail shows it, and the command goes on."""
    raw = os.environ.get(name, "")
    if not raw.strip():
        return default
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if value - value == 0:  # finite
        return value
    from promisekeeper.lang.i18n import _

    warn_once(name, raw, _("warning: {variable}={value} is not a number of seconds; using {seconds:g} s. "
                           "Set it to a number such as 30, or unset it"), seconds=default)
    return default


_warned: set[tuple[str, str]] = set()


def warn_once(name: str, raw: str, message: str, **values: object) -> None:
    """Say on stderr, once a process, that the environment variable `name` holds `raw`,
    which pk cannot use (`message` names both as {variable} and {value})."""
    if (name, raw) in _warned:
        return
    _warned.add((name, raw))
    from promisekeeper.db.files import notice  # which makes control characters visible

    notice(message.format(variable=name, value=raw if len(raw) <= 40 else raw[:39] + "…", **values))


def server_options(conninfo: str, *, lock_s: float, statement_s: float | None = None) -> str:
    """The `options` a PostgreSQL session starts with: how long a statement waits for a lock
    (and, for the prompt, runs at all), added to any the URL gives."""
    from promisekeeper.db.libpq import library

    if library.load() is not None:  # libpq's own parser, so no psycopg import on the read path
        given = library.conninfo_value(conninfo, "options") or ""
    else:
        from psycopg.conninfo import conninfo_to_dict

        given = str(conninfo_to_dict(conninfo).get("options") or "")
    ours = f"-c lock_timeout={int(lock_s * 1000)}"
    if statement_s is not None:
        ours += f" -c statement_timeout={int(statement_s * 1000)}"
    return f"{given} {ours}".strip()


def busy_timeout() -> float:
    """Seconds a writer waits for another one to finish before giving up."""
    return max(0.0, seconds_setting(BUSY_TIMEOUT_VAR, DEFAULT_BUSY_TIMEOUT_S))


class Reader:
    """Runs reading statements on one connection and hands back plain tuples."""

    def __init__(self, connection: Any, engine: str, shown: str | Target = "", *, patient: bool = False) -> None:
        self.connection = connection
        self.engine = engine
        self._place = shown  # a Target masks its URL only when an error names it
        self.patient = patient  # say so on stderr when a statement waits (commands, not the prompt)

    @property
    def shown(self) -> str:
        """The database as errors name it."""
        return self._place if isinstance(self._place, str) else self._place.shown

    def _statement(self, sql: str) -> str:
        if self.engine == SQLITE:
            return sql
        converted = _pyformat_cache.get(sql)
        if converted is None:
            converted = _pyformat_cache[sql] = _NAMED.sub(r"%(\1)s", sql)
        return converted

    def all(self, sql: str, params: Params | None = None) -> list[tuple[Any, ...]]:
        with self._errors():
            cursor = self.connection.cursor()
            try:
                cursor.execute(self._statement(sql), dict(params or {}))
                return cursor.fetchall()
            finally:
                cursor.close()

    def one(self, sql: str, params: Params | None = None) -> tuple[Any, ...] | None:
        rows = self.all(sql, params)
        return rows[0] if rows else None

    def value(self, sql: str, params: Params | None = None) -> Any:
        row = self.one(sql, params)
        return row[0] if row else None

    def iterate(self, sql: str, params: Params | None = None, *, size: int = 2000) -> Iterator[tuple[Any, ...]]:
        """Rows in batches, so a large read never holds every row at once."""
        with self._errors():
            cursor = self.connection.cursor()
        try:
            with self._errors():
                cursor.execute(self._statement(sql), dict(params or {}))
            while True:
                with self._errors():
                    batch = cursor.fetchmany(size)
                if not batch:
                    return
                yield from batch
        finally:
            # A reading abandoned part-way (its output failed) may be closed after its
            # connection: the cursor then needs no closing, and must not complain.
            with suppress(Exception):
                cursor.close()

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            with waiting_notice(self.shown if self.patient else None):
                yield
        except Exception as error:  # driver errors become one line
            translated = storage_error(error, self.shown)
            if translated is None:
                raise
            raise translated from None


@contextmanager
def waiting_notice(shown: str | None) -> Iterator[None]:
    """Say once on stderr that pk is waiting, when what the block does (a connection, a
    statement) takes longer than WAITING_NOTICE_S: a lock held by another session, or a
    server slow to answer, no longer looks like a hang. Only for a person at a terminal
    (cron mails any output, and `pk remind` must print nothing when nothing is due);
    nothing when `shown` is None."""
    if shown is None or not _stderr_is_a_terminal():
        yield
        return
    import threading

    timer = threading.Timer(WAITING_NOTICE_S, _say_waiting, args=(shown,))
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


_said_waiting: list[str] = []


def _stderr_is_a_terminal() -> bool:
    import sys

    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def _say_waiting(shown: str) -> None:
    if _said_waiting:
        return
    _said_waiting.append(shown)
    from promisekeeper.db.files import notice
    from promisekeeper.lang.i18n import _

    notice(_("waiting for the database at {place} (another session holds a lock, or the server is slow "
             "to answer); giving up after {seconds:g} s").format(place=shown, seconds=busy_timeout()))


def storage_error(error: BaseException, shown: str) -> StorageError | None:
    """A one-line StorageError for a driver failure (sqlite3, libpq or psycopg), or None."""
    if not is_driver_error(error):
        return None
    from promisekeeper.lang.i18n import _  # only when something went wrong
    from promisekeeper.secrets import scrub

    text = scrub(str(error)).strip()
    reason = text.splitlines()[0] if text else type(error).__name__
    if "locked" in reason or "busy" in reason or "lock timeout" in reason:
        return StorageError(_(
            "the database at {place} stayed locked by another process for {seconds:g} s; try again"
        ).format(place=shown, seconds=busy_timeout()))
    if "unable to open" in reason:
        return StorageError(
            _("cannot open the database at {place}: check the path and its permissions").format(place=shown)
        )
    if "readonly" in reason:
        return StorageError(_("the database at {place} is read-only: check its permissions").format(place=shown))
    if "disk is full" in reason or "disk I/O error" in reason:
        return StorageError(_(
            "the database at {place} could not be written or read ({reason}); if its disk is "
            "full, free some space and try again: nothing was changed"
        ).format(place=shown, reason=reason))
    if "permission denied" in reason:
        return StorageError(_(
            "the database at {place} refused your role: {reason}; the schema's owner gives a "
            "team's roles their rights with pk db grant ROLE --run"
        ).format(place=shown, reason=reason))
    if "malformed" in reason or "not a database" in reason:
        return StorageError(_(
            "the database at {place} is damaged ({reason}); restore a backup with "
            "`pk db restore FILE`, or recover it with sqlite3's .recover"
        ).format(place=shown, reason=reason))
    return StorageError(_("database error at {place}: {reason}").format(place=shown, reason=reason))


DRIVER_MODULES = ("sqlite3", "psycopg", "promisekeeper.db.libpq")


def is_driver_error(error: BaseException) -> bool:
    return type(error).__module__.startswith(DRIVER_MODULES)


# -- connecting ----------------------------------------------------------------------------------


def connect_sqlite(target: Target) -> Any:
    import sqlite3

    from promisekeeper.db.files import admit, read_only, read_uri

    assert target.file is not None
    admit(target.file)
    try:
        if read_only(target.file):  # a read-only mount or file: read it as it stands
            connection = sqlite3.connect(read_uri(target.file), uri=True, timeout=busy_timeout(),
                                         isolation_level=None)
        else:
            connection = sqlite3.connect(target.file, timeout=busy_timeout(), isolation_level=None)
        connection.execute("PRAGMA query_only = ON")
    except sqlite3.Error as error:
        raise storage_error(error, target.shown) or StorageError(str(error)) from None
    return connection


def connect_postgres(
    target: Target, *, read_only: bool = True, timeout: int | None = None, statement_s: float | None = None,
    repeatable_read: bool = False,
) -> Any:
    """A connection that waits `timeout` s (PROMISEKEEPER_CONNECT_TIMEOUT) for the server,
    and whose statements wait for locks as long as writers do (BUSY_TIMEOUT), or
    `statement_s` at most when given (the prompt's budget); `repeatable_read`: every
    statement of a transaction sees one snapshot. Read-only ones go through libpq itself
    when it loads (see `db.libpq`), others through psycopg."""
    from promisekeeper.db.libpq import library

    lock_s = busy_timeout() if statement_s is None else statement_s
    conninfo = str(target.conninfo)
    if read_only and library.load() is not None:
        from promisekeeper.db.libpq.connection import connect
        from promisekeeper.db.libpq.errors import Error

        try:
            return connect(
                conninfo, connect_timeout=timeout or connect_timeout(),
                options=server_options(conninfo, lock_s=lock_s, statement_s=statement_s),
                isolation="REPEATABLE READ" if repeatable_read else None,
            )
        except Error as error:
            raise storage_error(error, target.shown) or StorageError(str(error)) from None
    psycopg = import_psycopg()
    try:
        connection = psycopg.connect(
            conninfo, connect_timeout=timeout or connect_timeout(),
            options=server_options(conninfo, lock_s=lock_s, statement_s=statement_s),
        )
    except psycopg.Error as error:
        raise storage_error(error, target.shown) or StorageError(str(error)) from None
    connection.read_only = read_only
    if repeatable_read:
        connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
    return connection


def import_psycopg() -> Any:
    try:
        import psycopg
    except ImportError:
        from promisekeeper.lang.i18n import _

        raise StorageError(
            _("PostgreSQL needs the psycopg driver, which is not installed: {install}").format(install=INSTALL_POSTGRES)
        ) from None
    return psycopg
