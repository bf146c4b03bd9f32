"""The schema pk itself builds, to hold a foreign SQLite file (a backup) or the live one against.

A database's schema is what `sqlite_master` says: every table, index, trigger and view with
the SQL that made it. pk knows what that must be for a database that has had a given list
of migration steps, because it can build one: a fresh file with exactly those steps applied,
by pk's own migrations, in the order the database records them. Nothing here is a list of
tables written by hand, so a new migration is checked as soon as it exists.

A backup whose schema differs in anything (a planted trigger, an expression index, a column
more or less, a table replaced by a view) is not pk's: `pk db restore` refuses it, and
`pk db check` reports such a live database.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from promisekeeper.db import migrations
from promisekeeper.errors import stop_requests

Entry = tuple[str, str, str, str]  # type, name, table, SQL with its blanks collapsed

_built: dict[tuple[str, ...], set[Entry]] = {}


def schema_of(connection: sqlite3.Connection) -> set[Entry]:
    """The tables, indexes, triggers and views of a database, as `sqlite_master` holds them."""
    rows = connection.execute("SELECT type, name, tbl_name, sql FROM main.sqlite_master").fetchall()
    return {(str(kind), str(name), str(table), " ".join(str(sql or "").split()))
            for kind, name, table, sql in rows}


def applied_steps(connection: sqlite3.Connection) -> list[str]:
    """The migration steps a database records, in the order they were applied."""
    return [str(row[0]) for row in connection.execute("SELECT name FROM main.schema_migrations ORDER BY rowid")]


def build(path: str, steps: Sequence[str]) -> None:
    """A fresh SQLite database at `path` with exactly these migration steps, in this order."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    by_name = {step.__name__: step for step in migrations.MIGRATIONS}
    engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(path), poolclass=NullPool)
    try:
        with engine.begin() as conn:
            migrations.upgrade(conn, [by_name[name] for name in steps])
    finally:
        engine.dispose()


def upgrade(path: str) -> None:
    """Apply the steps this version has and the database at `path` (pk-built) lacks."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(path), poolclass=NullPool)
    try:
        with engine.begin() as conn:
            migrations.upgrade(conn)
    finally:
        engine.dispose()


def expected(steps: Sequence[str]) -> set[Entry]:
    """The schema pk builds with these steps (built once per process, in a temporary folder)."""
    key = tuple(steps)
    if key not in _built:
        with tempfile.TemporaryDirectory(prefix="pk-schema-") as folder:
            path = os.path.join(folder, "expected.db")
            build(path, steps)
            connection = sqlite3.connect(path)
            try:
                _built[key] = schema_of(connection)
            finally:
                connection.close()
    return _built[key]


def differences(found: set[Entry], steps: Sequence[str]) -> list[str]:
    """What in `found` is not as pk builds it with `steps`: one line per object, [] when none."""
    from promisekeeper.lang.i18n import _

    wanted = expected(steps)
    named_found = {(entry[0], entry[1]): entry for entry in found}
    named_wanted = {(entry[0], entry[1]): entry for entry in wanted}
    problems = []
    for (kind, name), entry in sorted(named_found.items()):
        if (kind, name) not in named_wanted:
            problems.append(_("a {kind} {name} that pk does not create").format(kind=kind, name=name))
        elif named_wanted[(kind, name)] != entry:
            problems.append(_("the {kind} {name} is not as pk creates it").format(kind=kind, name=name))
    for kind, name in sorted(set(named_wanted) - set(named_found)):
        problems.append(_("no {kind} {name}").format(kind=kind, name=name))
    return problems


# -- a foreign file: every statement bounded, Ctrl-C heard ---------------------------------------

FOREIGN_BUDGET_S = 120.0  # for every statement on a foreign file, plus a second per MB of it


@contextmanager
def bounded(connection: sqlite3.Connection, size: int) -> Iterator[None]:
    """Run statements on `connection` (which reads a foreign file) under a time bound and
    interruptibly: SQLite asks every few thousand instructions whether to go on, and stops
    (OperationalError "interrupted") once the bound passed or a signal asked pk to stop.
    A recursive view or a crafted index cannot keep pk busy, deaf to Ctrl-C."""
    deadline = time.monotonic() + FOREIGN_BUDGET_S + size / 1_000_000

    def stop() -> int:
        return 1 if stop_requests or time.monotonic() > deadline else 0

    connection.set_progress_handler(stop, 1000)  # SQLite VM steps: about every 10 µs
    try:
        yield
    finally:
        connection.set_progress_handler(None, 0)
