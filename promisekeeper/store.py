"""Persistence: the engine for the database in use, sessions, and schema upgrades.

SQLite is the default: a private file (mode 0600, folder 0700), WAL journal so readers
never wait for writers, a busy timeout so writers queue instead of failing, foreign keys
on, and writes that take the lock when they begin (`BEGIN IMMEDIATE`) so two processes
never both decide on the same state. Any other SQLAlchemy URL (PostgreSQL) works too.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.pool import NullPool
from sqlmodel import Session

from promisekeeper import migrations, paths
from promisekeeper.errors import StorageError

BUSY_TIMEOUT_VAR = "PROMISEKEEPER_BUSY_TIMEOUT"
DEFAULT_BUSY_TIMEOUT_S = 30.0


def busy_timeout() -> float:
    """Seconds a writer waits for another one to finish before giving up."""
    try:
        return max(0.0, float(os.environ.get(BUSY_TIMEOUT_VAR, DEFAULT_BUSY_TIMEOUT_S)))
    except ValueError:
        return DEFAULT_BUSY_TIMEOUT_S


class Database:
    """One database target (a file path or a URL) and its engine, opened on first use."""

    def __init__(self, target: str | None = None) -> None:
        self.target = target or paths.database_target()
        self.file = paths.sqlite_file(self.target)
        self.shown = shown_target(self.target)
        self._engine: Engine | None = None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = self._open()
        return self._engine

    def _open(self) -> Engine:
        if self.file is not None:
            engine = self._sqlite_engine(self.file)
        else:
            try:
                engine = create_engine(self.target)
            except Exception as error:
                raise StorageError(f"cannot use database URL {self.shown!r}: {error}") from None
            event.listen(engine, "begin", _begin_serialized)
        with _storage_errors(self.shown):
            _upgrade_schema(engine)
        return engine

    def _sqlite_engine(self, path: str) -> Engine:
        _create_private_file(path)
        timeout = busy_timeout()

        def connect() -> sqlite3.Connection:
            # isolation_level=None: transactions are begun explicitly (see _begin);
            # timeout is SQLite's busy timeout.
            return sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False)

        engine = create_engine("sqlite://", creator=connect, poolclass=NullPool)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _begin)
        return engine

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        with _storage_errors(self.shown):
            bind = self.engine.execution_options(pk_write=write)
            with Session(bind, expire_on_commit=False) as session:
                with session.begin():
                    yield session

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


def _create_private_file(path: str) -> None:
    if os.path.exists(path):
        return
    directory = os.path.dirname(path)
    try:
        paths.ensure_private_dir(directory)
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        return
    except OSError as error:
        raise StorageError(f"cannot create the database at {path}: {error.strerror}") from None


def _casefold(text: str | None) -> str | None:
    return text.casefold() if isinstance(text, str) else text


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    dbapi_connection.create_function("pk_fold", 1, _casefold, deterministic=True)
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys = ON")
        mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
        if mode != "wal":
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
    finally:
        cursor.close()


def _begin(conn: Any) -> None:
    # A write takes SQLite's write lock up front; a deferred one could find the data
    # changed under it and fail with "database is locked" instead of waiting its turn.
    write = conn.get_execution_options().get("pk_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _begin_serialized(conn: Any) -> None:
    # Other databases: writers take one transaction-scoped advisory lock, so they are
    # serialized exactly as SQLite's BEGIN IMMEDIATE serializes them (e.g. two reminder
    # runs can never both decide to send the same reminder).
    if conn.get_execution_options().get("pk_write", False) and conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7352)")


def shown_target(target: str) -> str:
    """The database as it may be printed: a URL's password is masked."""
    if "://" not in target:
        return target
    try:
        from sqlalchemy.engine import make_url

        return make_url(target).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - an unparsable URL is reported by create_engine
        return target.split("@")[-1]


def _upgrade_schema(engine: Engine) -> None:
    with engine.connect() as conn:
        if not migrations.pending(conn):
            conn.rollback()
            return
        conn.rollback()
    with engine.execution_options(pk_write=True).begin() as conn:
        migrations.upgrade(conn)  # rechecked under the write lock: another process may have won


@contextmanager
def _storage_errors(target: str) -> Iterator[None]:
    """Turn driver failures into one-line StorageErrors that name the database."""
    try:
        yield
    except exc.OperationalError as error:
        raise StorageError(_describe(error, target)) from None
    except exc.DatabaseError as error:
        raise StorageError(f"the database at {target} is unusable: {error.orig}") from None


def _describe(error: exc.OperationalError, target: str) -> str:
    reason = str(error.orig)
    if "locked" in reason or "busy" in reason:
        return (
            f"the database at {target} stayed locked by another process for "
            f"{busy_timeout():g} s; try again"
        )
    if "unable to open" in reason:
        return f"cannot open the database at {target}: check the path and its permissions"
    if "readonly" in reason:
        return f"the database at {target} is read-only: check its permissions"
    return f"database error at {target}: {reason}"
