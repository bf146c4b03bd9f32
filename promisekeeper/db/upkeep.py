"""Looking after the database file: what it is, a safe copy, an integrity check."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import datetime, tzinfo

from promisekeeper import limits, paths
from promisekeeper.db import files, migrations
from promisekeeper.db.database import Database
from promisekeeper.errors import BadInput, NoDatabase, PKError, StorageError
from promisekeeper.lang.i18n import _, ngettext, pgettext


def info(db: Database) -> list[tuple[str, str]]:
    """Label/value lines describing the database in use."""
    with db.reading() as reader:
        promises = reader.value("SELECT count(*) FROM promise")
        open_count = reader.value("SELECT count(*) FROM promise WHERE state = 'open'")
        events = reader.value("SELECT count(*) FROM event")
        version = reader.value("SELECT count(*) FROM schema_migrations")
    lines = [(pgettext("database", "database"), db.shown)]
    if db.file:
        size = os.path.getsize(db.file)
        mode = stat.S_IMODE(os.stat(db.file).st_mode)
        lines += [(pgettext("database", "size"), f"{size / 1024:.0f} KiB"),
                  (pgettext("database", "mode"), f"{mode:04o}")]
    lines += [
        (pgettext("database", "schema"),
         _("{version} (this pk: {known})").format(version=version, known=migrations.SCHEMA_VERSION)),
        (pgettext("database", "promises"), _("{count} ({open} open)").format(count=promises, open=open_count)),
        (pgettext("database", "events"), str(events)),
    ]
    return lines


def init(db: Database) -> bool:
    """Make the database (its schema up to date) if there is none; True if it was made."""
    try:
        with Database(db.target.key).reading():
            return False
    except NoDatabase:
        pass
    db.writer.engine  # noqa: B018 -- opening a database that may be made makes it
    return True


def upgrade(db: Database) -> tuple[int, int]:
    """Bring the schema up to date (its owner's job on a shared database): (before, after)."""
    from promisekeeper.db.target import no_database

    if db.file is not None and not os.path.exists(db.file):
        raise no_database(db.target)  # an upgrade never makes a database
    before = _recorded_version(db)
    if not before:
        raise no_database(db.target)
    db.writer.engine  # noqa: B018 -- opening the write half upgrades the schema
    return before, migrations.SCHEMA_VERSION


def _recorded_version(db: Database) -> int:
    from promisekeeper.db.reader import connect_postgres, connect_sqlite

    target = db.target
    connection = connect_sqlite(target) if target.is_sqlite else connect_postgres(target)
    try:
        cursor = connection.cursor()
        try:
            return migrations.recorded_version(cursor, target.engine) or 0
        finally:
            cursor.close()
    finally:
        connection.close()


def grants(db: Database, role: str, *, run: bool) -> list[str]:
    """The SQL that lets `role` use pk's tables on a PostgreSQL database; run it when asked
    (as the schema's owner)."""
    from promisekeeper.db import roles
    from promisekeeper.db.reader import connect_postgres

    if db.target.is_sqlite:
        raise BadInput(_("grants are for PostgreSQL; an SQLite file is shared by its file permissions"))
    roles.identifier(role)
    with db.reading():
        pass  # a database there, its schema current
    connection = connect_postgres(db.target, read_only=not run)
    try:
        with connection.cursor() as cursor:
            schema, owner, owns = roles.schema_and_owner(cursor)
            statements = roles.grant_statements(role, schema=schema, owner=owner)
            if run and not owns:
                raise StorageError(_("only the schema's owner {owner} can grant its rights; run this as {owner}").format(owner=owner))
            if run:
                for statement in statements:
                    cursor.execute(statement)
        connection.commit()
    except Exception as error:
        from promisekeeper.db.reader import storage_error

        raise storage_error(error, db.shown) or error from None
    finally:
        connection.close()
    return statements


def backup(db: Database, dest: str | None, *, now: datetime, zone: tzinfo) -> str:
    """A consistent copy via SQLite's online backup, checked, mode 0600; returns its path.

    Without DEST the copy goes to `backups/` beside the database, named by the local time.
    The copy is made under a temporary name and takes its own only once SQLite's quick
    check has passed on it: a damaged database is reported, not copied into a "backup".
    """
    if db.file is None:
        raise BadInput(_("backup copies SQLite files; for another database use its own tools (e.g. pg_dump)"))
    if files.read_only(db.file):
        with db.reading():
            pass  # checks the schema is this version's (a read-only file cannot be upgraded)
    else:
        db.writer.engine  # noqa: B018 -- opens (and upgrades) the source first
    target = _destination(db.file, dest, f"promises-{now.astimezone(zone):%Y%m%d-%H%M%S}")
    temporary = f"{target}.{os.getpid()}.tmp"
    try:
        os.close(os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, files.PRIVATE))
    except OSError as error:
        raise StorageError(_("cannot create {path}: {reason}").format(path=temporary, reason=error.strerror)) from None
    try:
        problems = _copy(db.file, temporary)
        if problems:
            raise files.damaged(db.shown, problems)
        os.replace(temporary, target)
    except (OSError, sqlite3.Error) as error:
        raise StorageError(_("backup to {path} failed: {reason}").format(
            path=target, reason=getattr(error, "strerror", None) or error)) from None
    finally:
        for leftover in (temporary, temporary + "-journal"):
            _remove(leftover)  # a half-made copy is not a backup
    return target


def _destination(database: str, dest: str | None, stamp: str) -> str:
    if dest is None:
        folder = os.path.join(os.path.dirname(database), "backups")
        paths.ensure_private_dir(folder)
        return _free_name(folder, stamp)
    target = os.path.abspath(os.path.expanduser(dest))
    if os.path.isdir(target):
        return _free_name(target, stamp)
    if not os.path.isdir(os.path.dirname(target)):
        raise BadInput(_("no folder {folder}; create it or give another place").format(folder=os.path.dirname(target)))
    if os.path.exists(target):
        raise BadInput(_("{path} exists already; give another name").format(path=target))
    return target


def _free_name(folder: str, stamp: str) -> str:
    """A backup file name in the folder that is not taken yet (…-2.db, …-3.db on a busy second)."""
    candidate = os.path.join(folder, f"{stamp}.db")
    number = 1
    while os.path.exists(candidate):
        number += 1
        candidate = os.path.join(folder, f"{stamp}-{number}.db")
    return candidate


def _copy(source_path: str, target: str) -> list[str]:
    """Copy the database into target; returns what SQLite's quick check finds in the copy.

    The copy is a single file (rollback journal), so reading it later writes nothing beside it.
    """
    source = sqlite3.connect(files.read_uri(source_path), uri=True)
    copy = sqlite3.connect(target, isolation_level=None)
    try:
        source.backup(copy)
        problems = files.quick_check(copy)
        if not problems:
            copy.execute("PRAGMA journal_mode = DELETE")
        return problems
    finally:
        source.close()
        copy.close()


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def check(db: Database) -> list[str]:
    """Problems found, or [] when the database is sound: integrity (SQLite's full check),
    foreign keys, the schema, moments outside the years pk accepts, journal entries that
    cannot be read, and the file's permissions. A missing database is NoDatabase."""
    from promisekeeper.db.target import no_database

    if db.file is not None and not os.path.exists(db.file):
        raise no_database(db.target)
    if db.file:
        from promisekeeper.db.restore import clean_stale

        clean_stale(db.file)
    problems = _integrity(db.file) if db.file else []
    # Each step needs the one before to have passed: a damaged file or schema cannot be read further.
    for step in (_structure, _values):
        if problems:
            break
        try:
            problems += step(db)
        except NoDatabase:
            raise
        except PKError as error:
            problems.append(str(error))
    if db.file:
        problems += _loose_permissions(db.file, 0o600)
        folder = os.path.dirname(db.file)
        if folder == paths.data_dir():  # the folder pk made; a folder you chose is yours
            problems += _loose_permissions(folder, 0o700)
        if not problems:
            files.remember(db.file, db.key)  # checked whole: the next write need not check again
    return problems


def _integrity(path: str) -> list[str]:
    if not os.path.exists(path):
        return []
    try:
        connection = sqlite3.connect(files.read_uri(path), uri=True)
        try:
            found = [str(row[0]) for row in connection.execute("PRAGMA integrity_check")]
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        found = [str(error)]
    return [] if found == ["ok"] else [_("integrity: {problem}").format(problem=line) for line in found]


def _structure(db: Database) -> list[str]:
    from sqlalchemy import text

    problems: list[str] = []
    if db.file:
        problems += _sqlite_schema(db.file)
    with db.writer.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            for row in conn.execute(text("PRAGMA foreign_key_check")):
                problems.append(_("foreign key: {table} row {row} points at a missing {parent}").format(
                    table=row[0], row=row[1], parent=row[2]))
            recorded = conn.execute(text("PRAGMA user_version")).scalar()
            if recorded != len(migrations.applied(conn)):
                problems.append(_("schema: user_version {version} disagrees with schema_migrations").format(
                    version=recorded))
        problems += _schema_problems(conn)
    return problems


def _sqlite_schema(path: str) -> list[str]:
    """The database's schema against the one pk builds with the steps it records."""
    from promisekeeper.db import expected_schema

    connection = sqlite3.connect(files.read_uri(path), uri=True)
    try:
        found = expected_schema.schema_of(connection)
        steps = expected_schema.applied_steps(connection)
    except sqlite3.Error:
        return []  # a blank or unreadable file: the steps before and after say so
    finally:
        connection.close()
    return [_("schema: {difference}").format(difference=difference)
            for difference in expected_schema.differences(found, steps)]


_MOMENTS = {"promise": ("created_at", "due_at", "original_due_at", "closed_at"), "event": ("at", "due_at")}
_LISTED = 20  # of each kind of value problem; then a count of the rest


def _values(db: Database) -> list[str]:
    """Values a pk without limits let in: moments outside 1970–2200, unreadable journal entries."""
    from promisekeeper.db.rows import EVENT_COLUMNS, EventRow

    outside: list[str] = []
    unreadable: list[str] = []
    with db.reading() as reader:
        for table, columns in _MOMENTS.items():
            for column in columns:
                rows = reader.all(
                    f"SELECT id, {column} FROM {table} WHERE {column} < :low OR {column} > :high ORDER BY id",
                    {"low": limits.EARLIEST_S, "high": limits.LATEST_S},
                )
                outside += [_("{table} #{id}: {column} @{value} is outside the years {years} "
                              "(shown as the nearest moment within them)").format(
                                  table=table, id=ident, column=column, value=value, years=limits.YEARS)
                            for ident, value in rows]
        for row in reader.iterate(f"SELECT {EVENT_COLUMNS} FROM event ORDER BY id"):
            event = EventRow.of(row)
            try:
                event.payload  # noqa: B018 -- decoding is the check
            except ValueError as error:
                unreadable.append(_("event #{id} ({kind} of #{promise}) cannot be read: {reason}").format(
                    id=event.id, kind=event.kind, promise=event.promise_id, reason=error))
    return _listed(outside) + _listed(unreadable)


def _listed(problems: list[str]) -> list[str]:
    extra = len(problems) - _LISTED
    return problems[:_LISTED] + ([ngettext("… and {count} more like it", "… and {count} more like them", extra).format(count=extra)]
                                 if extra > 0 else [])


def _schema_problems(conn) -> list[str]:
    """Tables, columns and indexes the models expect but the database lacks."""
    from sqlalchemy import inspect

    from promisekeeper.db.models import Event, Promise, PromiseTag

    inspector = inspect(conn)
    problems = []
    for table in (model.__table__ for model in (Promise, PromiseTag, Event)):  # type: ignore[union-attr]
        if not inspector.has_table(table.name):
            problems.append(_("schema: table {name} is missing").format(name=table.name))
            continue
        present = {column["name"] for column in inspector.get_columns(table.name)}
        problems += [_("schema: column {name} is missing").format(name=f"{table.name}.{c.name}")
                     for c in table.columns if c.name not in present]
        indexes = {index["name"] for index in inspector.get_indexes(table.name)}
        problems += [_("schema: index {name} is missing").format(name=i.name)
                     for i in table.indexes if i.name not in indexes]
    return problems


def _loose_permissions(path: str, wanted: int) -> list[str]:
    mode = stat.S_IMODE(os.stat(path).st_mode)
    if mode & 0o077:
        return [_("{path} is open to others (mode {mode:04o}); run: chmod {wanted:o} {path}").format(
            path=path, mode=mode, wanted=wanted)]
    return []
