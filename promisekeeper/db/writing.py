"""The write half's engine: one transaction per change, and schema upgrades.

SQLite is the default: a private file (mode 0600, folder 0700), WAL journal so readers never
wait for writers, a busy timeout so writers queue instead of failing, foreign keys on, and
writes that take the lock when they begin (`BEGIN IMMEDIATE`) so two processes never both
decide on the same state. PostgreSQL writers take one transaction-scoped advisory lock at
the start, which serializes them exactly as SQLite's write lock does, and wait for it as
long as SQLite's busy timeout.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.pool import NullPool
from sqlmodel import Session

from promisekeeper.db import files, migrations
from promisekeeper.db.reader import Reader, busy_timeout, import_psycopg, storage_error
from promisekeeper.db.target import SQLITE, Target
from promisekeeper.errors import StorageError, raise_if_stopped

WRITERS_LOCK = 7352  # the advisory lock PostgreSQL writers take


class Transaction:
    """One change in progress: the ORM session that writes, a reader over the same
    transaction, and what must follow once it is committed."""

    def __init__(self, session: Session, engine: str, shown: str) -> None:
        self.session = session
        raw = session.connection().connection.driver_connection
        self._reader = Reader(raw, engine, shown)
        self.follow_ups: list[Callable[[], None]] = []

    @property
    def reader(self) -> Reader:
        """Statements of the read half, inside this transaction (seeing its changes so far)."""
        self.session.flush()
        return self._reader

    def after_commit(self, action: Callable[[], None]) -> None:
        """Run `action` once the change is committed (never if it is rolled back)."""
        self.follow_ups.append(action)


class Writer:
    """The engine for one database, opened (and its schema brought up to date) on first use."""

    def __init__(self, target: Target) -> None:
        self.target = target
        self._engine: Engine | None = None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = self._open()
        return self._engine

    def _open(self) -> Engine:
        if self.target.engine == SQLITE:
            engine = _sqlite_engine(self.target)
        else:
            import_psycopg()
            engine = create_engine(str(self.target.url), poolclass=NullPool)
            event.listen(engine, "begin", _begin_postgres)
        with storage_errors(self.target.shown):
            _upgrade_schema(engine)
        return engine

    @contextmanager
    def transaction(self, *, attach: str | None = None) -> Iterator[Transaction]:
        """One write transaction: committed when the block ends, rolled back if it raises;
        its follow-ups run after the commit. `attach`: an SQLite file the transaction's
        connection sees as the schema `stage` (an import's scratch file)."""
        with storage_errors(self.target.shown):
            bind = self.engine.execution_options(pk_write=True, pk_attach=attach)
            with Session(bind, expire_on_commit=False, autoflush=True) as session:
                with session.begin():
                    tx = Transaction(session, self.target.engine, self.target.shown)
                    yield tx
                    session.flush()
                    raise_if_stopped()  # a stop asked for is never followed by a commit
        _committed(self.target)
        for action in tx.follow_ups:
            action()

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


def ensure_schema(target: Target) -> None:
    """Create or upgrade the database's schema (the read half calls this when it is not current)."""
    writer = Writer(target)
    try:
        writer.engine  # noqa: B018 -- opening is the point
    finally:
        writer.close()


# -- SQLite ------------------------------------------------------------------------------------


def _sqlite_engine(target: Target) -> Engine:
    path = str(target.file)
    files.create_private(path)
    files.tighten(path)
    timeout = busy_timeout()

    def connect() -> sqlite3.Connection:
        # isolation_level=None: transactions are begun explicitly (see _begin_sqlite).
        return sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False)

    def begin(conn: Any) -> None:
        attach = conn.get_execution_options().get("pk_attach")
        if attach is not None:
            # Before BEGIN: SQLite attaches outside a transaction only.
            conn.exec_driver_sql("ATTACH DATABASE ? AS stage", (attach,))
        _begin_sqlite(conn)
        if conn.get_execution_options().get("pk_write", False):
            files.verify_before_write(conn.connection.driver_connection, path, target.key, target.shown)

    engine = create_engine("sqlite://", creator=connect, poolclass=NullPool)
    event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "begin", begin)
    return engine


def _committed(target: Target) -> None:
    """A change is committed and its connection closed: remember the files as pk left them."""
    if target.file is not None:
        files.remember(target.file, target.key)


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys = ON")
        mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
        if mode != "wal":
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
    finally:
        cursor.close()


def _begin_sqlite(conn: Any) -> None:
    # A write takes SQLite's write lock up front; a deferred one could find the data
    # changed under it and fail with "database is locked" instead of waiting its turn.
    write = conn.get_execution_options().get("pk_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


# -- PostgreSQL --------------------------------------------------------------------------------


def _begin_postgres(conn: Any) -> None:
    # Writers queue on one advisory lock, as SQLite's BEGIN IMMEDIATE queues them: two
    # reminder runs can never both decide to send the same reminder, and nobody meets a
    # serialization failure or deadlock. They wait as long as SQLite's busy timeout.
    if conn.get_execution_options().get("pk_write", False):
        conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{int(busy_timeout() * 1000)}ms'")
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITERS_LOCK})")


# -- shared ------------------------------------------------------------------------------------


def _upgrade_schema(engine: Engine) -> None:
    with engine.connect() as conn:
        if not migrations.pending(conn):
            conn.rollback()
            return
        conn.rollback()
    with engine.execution_options(pk_write=True).begin() as conn:
        migrations.upgrade(conn)  # rechecked under the write lock: another process may have won


@contextmanager
def storage_errors(shown: str) -> Iterator[None]:
    """Turn driver failures into one-line StorageErrors that name the database."""
    try:
        yield
    except exc.DBAPIError as error:
        from promisekeeper.lang.i18n import _

        raise storage_error(error.orig or error, shown) or StorageError(
            _("database error at {place}: {reason}").format(place=shown, reason=error.orig)
        ) from None
