"""The write half's engine: one transaction per change, and schema upgrades.

SQLite is the default: a private file (mode 0600, folder 0700), WAL journal so readers never
wait for writers, a busy timeout so writers queue instead of failing, foreign keys on, and
writes that take the lock when they begin (`BEGIN IMMEDIATE`) so two processes never both
decide on the same state. PostgreSQL writers take one transaction-scoped advisory lock at
the start, which serializes them exactly as SQLite's write lock does, and wait for it as
long as SQLite's busy timeout.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.pool import NullPool
from sqlmodel import Session

from promisekeeper.db import files, migrations
from promisekeeper.db.reader import (
    Reader,
    busy_timeout,
    connect_timeout,
    import_psycopg,
    server_options,
    storage_error,
)
from promisekeeper.db.target import SQLITE, Target, no_database, require_folder
from promisekeeper.errors import StorageError, raise_if_stopped

WRITERS_LOCK = 7352  # the advisory lock PostgreSQL writers take
T = TypeVar("T")


class Transaction:
    """One change in progress: the ORM session that writes, a reader over the same
    transaction, and what must follow once it is committed."""

    def __init__(self, session: Session, engine: str, shown: str) -> None:
        self.session = session
        raw = session.connection().connection.driver_connection
        self._reader = Reader(raw, engine, shown)
        self.follow_ups: list[Callable[[], None]] = []
        self.author: str | None = None  # who makes this change (the journal records it)

    @property
    def reader(self) -> Reader:
        """Statements of the read half, inside this transaction (seeing its changes so far)."""
        self.session.flush()
        return self._reader

    def after_commit(self, action: Callable[[], None]) -> None:
        """Run `action` once the change is committed (never if it is rolled back)."""
        self.follow_ups.append(action)

    def attempt(self, work: Callable[[], T], failures: tuple[type[Exception], ...]) -> T | None:
        """`work` in a savepoint of its own: if it fails with one of `failures` or a database
        error, only what it did is rolled back (None), and the change goes on without it."""
        caught: tuple[type[Exception], ...] = (exc.SQLAlchemyError, *failures)
        try:
            with self.session.begin_nested():
                return work()
        except caught:
            return None


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
            if not os.path.exists(str(self.target.file)):
                if not self.target.creates:
                    raise no_database(self.target)
                require_folder(self.target)
            engine = _sqlite_engine(self.target)
        else:
            import_psycopg()
            # A frozen server fails the connection after PROMISEKEEPER_CONNECT_TIMEOUT, and
            # every statement waits for a lock no longer than a writer waits for its turn.
            engine = create_engine(str(self.target.url), poolclass=NullPool, connect_args={
                "connect_timeout": connect_timeout(),
                "options": server_options(str(self.target.conninfo), lock_s=busy_timeout()),
            })
            event.listen(engine, "begin", _begin_postgres)
        with storage_errors(self.target.shown):
            _upgrade_schema(engine, self.target)
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

    def refresh_statistics(self, tables: tuple[str, ...]) -> None:
        """PostgreSQL: `VACUUM (ANALYZE)` the tables a bulk import filled, once it is committed.

        Until autovacuum gets round to them (a minute or more), the planner would take them
        for empty and every index scan would visit the rows to see whether they are visible:
        the prompt's rebuild read 35 ms instead of 6 ms at 100,000 promises. SQLite needs
        nothing. Only the tables this role owns (the server would skip the others with a
        warning on stderr; autovacuum sees to them), and any failure is passed over: the
        import stands without it.
        """
        if self.target.engine == SQLITE:
            return
        try:
            autocommit = self.engine.execution_options(isolation_level="AUTOCOMMIT")
            with autocommit.connect() as connection:
                owned = [row[0] for row in connection.exec_driver_sql(
                    "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema()"
                    " AND tableowner = current_user AND tablename = ANY(%(tables)s) ORDER BY tablename",
                    {"tables": list(tables)})]
                if owned:
                    connection.exec_driver_sql(f"VACUUM (ANALYZE) {', '.join(owned)}")
        except exc.SQLAlchemyError:
            pass

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
    files.admit(path)
    if os.path.exists(path):
        files.refuse_writes(path, target.shown)
    files.create_private(path)
    files.tighten(path)
    timeout = busy_timeout()

    def connect() -> sqlite3.Connection:
        files.verify_before_write(path, target.key, target.shown)
        # isolation_level=None: transactions are begun explicitly (see _begin_sqlite).
        return sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False)

    def begin(conn: Any) -> None:
        attach = conn.get_execution_options().get("pk_attach")
        if attach is not None:
            # Before BEGIN: SQLite attaches outside a transaction only.
            conn.exec_driver_sql("ATTACH DATABASE ? AS stage", (attach,))
        _begin_sqlite(conn)

    engine = create_engine("sqlite://", creator=connect, poolclass=NullPool)
    event.listen(engine, "connect", _sqlite_pragmas)
    def checkpoint(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        _checkpoint(dbapi_connection)
        files.checkpointed(path, target.key)

    event.listen(engine, "checkin", checkpoint)
    event.listen(engine, "begin", begin)
    return engine


def _committed(target: Target) -> None:
    """A change is committed and its connection closed: remember the files as pk left them."""
    if target.file is not None:
        files.remember(target.file, target.key)


def _checkpoint(dbapi_connection: sqlite3.Connection) -> None:
    """Copy what this connection committed from the WAL into the database before it closes,
    never waiting for readers (PASSIVE). Left in the WAL, those pages would be copied by
    whichever connection closed last — even one that found the file damaged since and
    refused to write to it."""
    try:
        dbapi_connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
    except sqlite3.Error:
        pass  # a checkpoint is housekeeping: the next one does it


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


def _upgrade_schema(engine: Engine, target: Target) -> None:
    with engine.connect() as conn:
        steps = migrations.pending(conn)
        conn.rollback()
    if not steps:
        return
    if len(steps) == len(migrations.MIGRATIONS) and target.engine != SQLITE and not target.creates:
        raise no_database(target)  # an empty schema: no database here yet
    if len(steps) < len(migrations.MIGRATIONS) and target.engine != SQLITE:
        _require_schema_owner(engine, len(migrations.MIGRATIONS) - len(steps))
    with engine.execution_options(pk_write=True).begin() as conn:
        migrations.upgrade(conn)  # rechecked under the write lock: another process may have won


def _require_schema_owner(engine: Engine, behind: int) -> None:
    """On a shared PostgreSQL database a member's newer pk does not upgrade the schema: its owner does."""
    from promisekeeper.db import roles

    with engine.connect() as conn:
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            roles.require_owner(cursor, behind=behind, known=migrations.SCHEMA_VERSION)
        finally:
            cursor.close()
            conn.rollback()


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
