"""One database, as commands use it: read transactions, and changes with their follow-ups."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING, Any

from promisekeeper.db.reader import (
    Reader,
    connect_postgres,
    connect_sqlite,
    storage_error,
    waiting_notice,
)
from promisekeeper.db.target import SQLITE, Target, current, no_database
from promisekeeper.errors import StorageError

if TYPE_CHECKING:
    from promisekeeper.db.writing import Transaction, Writer


class Database:
    """A database target; the write half (SQLAlchemy) is loaded only when a change is made."""

    def __init__(self, target: Target | str | None = None) -> None:
        if target is None:
            target = current()
        self.target = target if isinstance(target, Target) else Target(target)
        self._writer: Writer | None = None

    def creating(self) -> Database:
        """Let this command make the database when there is none (add, import, db init, db restore)."""
        self.target.creates = True
        return self

    @property
    def key(self) -> str:
        return self.target.key

    @property
    def file(self) -> str | None:
        return self.target.file

    @property
    def shown(self) -> str:
        return self.target.shown

    @contextmanager
    def reading(self) -> Iterator[Reader]:
        """A read transaction (one snapshot), over plain DB-API."""
        with open_reader(self.target) as reader:
            yield reader

    @contextmanager
    def change(self, *, attach: str | None = None) -> Iterator[Transaction]:
        """A write transaction through the ORM; committed when the block ends."""
        with self.writer.transaction(attach=attach) as tx:
            yield tx

    @property
    def writer(self) -> Writer:
        if self._writer is None:
            from promisekeeper.db.writing import Writer

            self._writer = Writer(self.target)
        return self._writer

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None


# -- opening: a read transaction on a schema of this version ------------------------------------
# Here, above both halves: the read half never needs the write half, which brings an older
# schema up to date (`ensure_schema`) and reads through the read half's Reader.


@contextmanager
def open_reader(target: Target) -> Iterator[Reader]:
    """One read transaction on the database, its schema brought up to date first.

    A consistent snapshot: several statements (an agenda's groups) see the same data.
    """
    with waiting_notice(target.shown if target.engine != SQLITE else None):
        connection = current_connection(target)
    reader = Reader(connection, target.engine, target.shown, patient=target.engine != SQLITE)
    try:
        if target.engine == SQLITE:
            connection.execute("BEGIN")
        yield reader
    finally:
        # A read has nothing to undo; a connection a signal broke mid-statement ("another
        # command is already in progress") must not hide why pk stopped.
        with suppress(Exception):
            connection.rollback()
        with suppress(Exception):
            connection.close()


def current_connection(target: Target) -> Any:
    """A read connection to a database whose schema is this version's.

    A database with an older schema is upgraded first by the write half (which loads
    SQLAlchemy: once per database and version); one written by a newer promisekeeper is
    refused. One that does not exist (no file; on PostgreSQL, an empty schema) is made
    only for a command that makes databases (`target.creates`), else it is NoDatabase.
    """
    from promisekeeper.db import migrations

    for attempt in (1, 2):
        if target.engine == SQLITE and not os.path.exists(str(target.file)):
            version = None
            if not target.creates:
                raise no_database(target)
        else:
            connection = connect_sqlite(target) if target.engine == SQLITE else connect_postgres(target)
            version = _version(connection, target)
            if version == migrations.SCHEMA_VERSION:
                return connection
            connection.close()
            if version is None and target.engine != SQLITE and not target.creates:
                raise no_database(target)
        if version is not None and version > migrations.SCHEMA_VERSION:
            raise migrations.newer_schema(version)
        if attempt == 1:
            from promisekeeper.db.writing import ensure_schema

            ensure_schema(target)
    from promisekeeper.lang.i18n import _

    raise StorageError(_("the database at {place} could not be brought up to date").format(place=target.shown))


def _version(connection: Any, target: Target) -> int | None:
    from promisekeeper.db import migrations

    cursor = connection.cursor()
    try:
        return migrations.recorded_version(cursor, target.engine)
    except Exception as error:  # driver errors become one line
        raise storage_error(error, target.shown) or error from None
    finally:
        cursor.close()
        if target.engine != SQLITE:
            connection.rollback()
