"""Looking after the database file: what it is, a safe copy, an integrity check."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import datetime, tzinfo

from promisekeeper import paths
from promisekeeper.db import migrations
from promisekeeper.db.database import Database
from promisekeeper.errors import BadInput, StorageError
from promisekeeper.i18n import _, pgettext


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


def backup(db: Database, dest: str | None, *, now: datetime, zone: tzinfo) -> str:
    """A consistent copy via SQLite's online backup, mode 0600; returns its path.

    Without DEST the copy goes to `backups/` beside the database, named by the local time.
    """
    if db.file is None:
        raise BadInput(_("backup copies SQLite files; for another database use its own tools (e.g. pg_dump)"))
    db.writer.engine  # opens (and upgrades) the source first
    stamp = f"promises-{now.astimezone(zone):%Y%m%d-%H%M%S}"
    if dest is None:
        folder = os.path.join(os.path.dirname(db.file), "backups")
        paths.ensure_private_dir(folder)
        target = _free_name(folder, stamp)
    else:
        target = os.path.abspath(os.path.expanduser(dest))
        if os.path.isdir(target):
            target = _free_name(target, stamp)
        elif not os.path.isdir(os.path.dirname(target)):
            raise BadInput(_("no folder {folder}; create it or give another place").format(folder=os.path.dirname(target)))
        elif os.path.exists(target):
            raise BadInput(_("{path} exists already; give another name").format(path=target))
    try:
        os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except OSError as error:
        raise StorageError(_("cannot create {path}: {reason}").format(path=target, reason=error.strerror)) from None
    try:
        _copy(db.file, target)
    except (OSError, sqlite3.Error) as error:
        _remove(target)  # a half-made copy is not a backup; let a retry use the name
        raise StorageError(_("backup to {path} failed: {reason}").format(path=target, reason=error)) from None
    return target


def _free_name(folder: str, stamp: str) -> str:
    """A backup file name in the folder that is not taken yet (…-2.db, …-3.db on a busy second)."""
    candidate = os.path.join(folder, f"{stamp}.db")
    number = 1
    while os.path.exists(candidate):
        number += 1
        candidate = os.path.join(folder, f"{stamp}-{number}.db")
    return candidate


def _copy(source_path: str, target: str) -> None:
    from urllib.parse import quote

    source = sqlite3.connect(f"file:{quote(source_path)}?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    try:
        with copy:
            source.backup(copy)
    finally:
        source.close()
        copy.close()


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def check(db: Database) -> list[str]:
    """Problems found, or [] when the database is sound."""
    from sqlalchemy import text

    problems: list[str] = []
    with db.writer.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            result = [row[0] for row in conn.execute(text("PRAGMA integrity_check"))]
            if result != ["ok"]:
                problems += [_("integrity: {problem}").format(problem=line) for line in result]
            for row in conn.execute(text("PRAGMA foreign_key_check")):
                problems.append(_("foreign key: {table} row {row} points at a missing {parent}").format(
                    table=row[0], row=row[1], parent=row[2]))
            recorded = conn.execute(text("PRAGMA user_version")).scalar()
            if recorded != len(migrations.applied(conn)):
                problems.append(_("schema: user_version {version} disagrees with schema_migrations").format(
                    version=recorded))
        problems += _schema_problems(conn)
    if db.file:
        problems += _loose_permissions(db.file, 0o600)
        folder = os.path.dirname(db.file)
        if folder == paths.data_dir():  # the folder pk made; a folder you chose is yours
            problems += _loose_permissions(folder, 0o700)
    return problems


def _schema_problems(conn) -> list[str]:  # type: ignore[no-untyped-def]
    """Tables, columns and indexes the models expect but the database lacks."""
    from sqlalchemy import inspect

    from promisekeeper.db.models import Event, Promise, PromiseTag

    inspector = inspect(conn)
    problems = []
    for table in (Promise.__table__, PromiseTag.__table__, Event.__table__):
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
