"""Looking after the database file: what it is, a safe copy, an integrity check."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import datetime

from sqlalchemy import func, text
from sqlmodel import select

from promisekeeper import migrations, paths
from promisekeeper.errors import BadInput, StorageError
from promisekeeper.models import Event, Promise
from promisekeeper.store import Database


def info(db: Database) -> list[tuple[str, str]]:
    """Label/value lines describing the database in use."""
    with db.session() as session:
        promises = session.exec(select(func.count()).select_from(Promise)).one()
        open_count = session.exec(select(func.count()).select_from(Promise).where(Promise.state == "open")).one()
        events = session.exec(select(func.count()).select_from(Event)).one()
        version = len(migrations.applied(session.connection()))
    lines = [("database", db.shown)]
    if db.file:
        size = os.path.getsize(db.file)
        mode = stat.S_IMODE(os.stat(db.file).st_mode)
        lines += [("size", f"{size / 1024:.0f} KiB"), ("mode", f"{mode:04o}")]
    lines += [
        ("schema", f"{version} (this pk: {migrations.SCHEMA_VERSION})"),
        ("promises", f"{promises} ({open_count} open)"),
        ("events", str(events)),
    ]
    return lines


def backup(db: Database, dest: str | None, *, now: datetime) -> str:
    """A consistent copy via SQLite's online backup, mode 0600; returns its path."""
    if db.file is None:
        raise BadInput("backup copies SQLite files; for another database use its own tools (e.g. pg_dump)")
    db.engine  # opens (and upgrades) the source first
    target = dest or os.path.join(
        os.path.dirname(db.file), "backups", f"promises-{now:%Y%m%d-%H%M%S}.db"
    )
    target = os.path.abspath(os.path.expanduser(target))
    if os.path.isdir(target):
        target = os.path.join(target, f"promises-{now:%Y%m%d-%H%M%S}.db")
    if os.path.exists(target):
        raise BadInput(f"{target} exists already; give another name")
    paths.ensure_private_dir(os.path.dirname(target))
    try:
        os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        source = sqlite3.connect(f"file:{db.file}?mode=ro", uri=True)
        copy = sqlite3.connect(target)
        with copy:
            source.backup(copy)
        source.close()
        copy.close()
    except (OSError, sqlite3.Error) as error:
        raise StorageError(f"backup to {target} failed: {error}") from None
    return target


def check(db: Database) -> list[str]:
    """Problems found, or [] when the database is sound."""
    problems: list[str] = []
    with db.session() as session:
        conn = session.connection()
        if conn.dialect.name == "sqlite":
            result = [row[0] for row in conn.execute(text("PRAGMA integrity_check"))]
            if result != ["ok"]:
                problems += [f"integrity: {line}" for line in result]
            for row in conn.execute(text("PRAGMA foreign_key_check")):
                problems.append(f"foreign key: {row[0]} row {row[1]} points at a missing {row[2]}")
        if migrations.pending(conn):
            problems.append("schema is not up to date")
    if db.file:
        mode = stat.S_IMODE(os.stat(db.file).st_mode)
        if mode & 0o077:
            problems.append(f"{db.file} is readable by others (mode {mode:04o}); run: chmod 600 {db.file}")
    return problems
