"""`pk db restore BACKUP`: put a backup in the database's place, safely.

1. The backup is checked first, read-only: SQLite's quick check, and a schema this pk
   knows (an older one is upgraded on first use, a newer one refused).
2. It is copied in through SQLite's own backup API, page by page, as one write transaction
   on the live database: other processes wait for it as for any writer, readers see the
   old data or the new, never a mix, and SQLite keeps the WAL consistent (nothing is
   copied around the database's back). A crash part-way leaves the old data.
3. Once that transaction holds the write lock, and before any page is committed, the data
   as it was is copied aside (`backups/…-before-restore.db`): nothing committed up to the
   restore is lost, and nothing can be committed in between.
4. Afterwards the prompt schedule of this database is deleted, so the prompt rebuilds it
   from the restored data instead of showing the old counts.
"""

from __future__ import annotations

import os
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime, tzinfo
from urllib.parse import quote

from promisekeeper import paths
from promisekeeper.db import files, migrations
from promisekeeper.db.database import Database
from promisekeeper.db.reader import busy_timeout
from promisekeeper.db.target import SQLITE, require_folder
from promisekeeper.errors import BadInput, StorageError


@dataclass(frozen=True)
class Restored:
    source: str
    promises: int
    kept_aside: str | None  # where the data as it was went (None: there was none)


def restore(db: Database, source: str, *, now: datetime, zone: tzinfo) -> Restored:
    """Replace the database's data with the backup's; see the module's description."""
    if db.file is None:
        raise BadInput("restore replaces SQLite files; for PostgreSQL use its own tools (e.g. pg_restore)")
    path = _backup_file(source, db.file)
    require_folder(db.target)
    paths.ensure_private_dir(os.path.dirname(db.file))
    staged = f"{db.file}.restore-{os.getpid()}.tmp"
    try:
        promises = _stage(path, staged)
        aside = _copy_in(staged, db.file, _aside_name(db.file, now, zone))
    finally:
        for leftover in (staged, *(staged + suffix for suffix in ("-journal", *files.SIDE_FILES))):
            _remove(leftover)
    _forget_schedule(db.key)
    files.remember(db.file, db.key)
    return Restored(path, promises, aside)


def _stage(path: str, staged: str) -> int:
    """Check the backup and make a private copy of it to restore from; returns its promises."""
    backup = _open_checked(path)
    try:
        promises = int(backup.execute("SELECT count(*) FROM promise").fetchone()[0])
        os.close(os.open(staged, os.O_CREAT | os.O_EXCL | os.O_WRONLY, files.PRIVATE))
        copy = sqlite3.connect(staged)
        try:
            backup.backup(copy)
        finally:
            copy.close()
    except (OSError, sqlite3.Error) as error:
        reason = error.strerror if isinstance(error, OSError) else error
        raise StorageError(f"cannot make a working copy beside the database ({reason}); nothing was changed") from None
    finally:
        backup.close()
    return promises


def _backup_file(source: str, database: str) -> str:
    path = os.path.abspath(os.path.expanduser(source))
    if not os.path.isfile(path):
        raise BadInput(f"no backup file {path}; `pk db backup` makes one (in backups/ beside the database)")
    if os.path.exists(database) and os.path.samefile(path, database):
        raise BadInput(f"{path} is the database itself; give a backup of it")
    return path


def _open_checked(path: str) -> sqlite3.Connection:
    """The backup, opened read-only, once it has passed the checks."""
    try:
        connection = sqlite3.connect(f"file:{quote(path)}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise BadInput(f"{path} is not a usable backup ({error}); nothing was changed") from None
    problems = files.quick_check(connection) or _schema_problems(connection)
    if problems:
        connection.close()
        raise BadInput(f"{path} is not a usable backup ({problems[0]}); nothing was changed")
    return connection


def _schema_problems(connection: sqlite3.Connection) -> list[str]:
    cursor = connection.cursor()
    try:
        migrations.recorded_version(cursor, SQLITE)  # refuses a newer schema; an older one is upgraded
        tables = {row[0] for row in cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except StorageError as error:  # a newer schema
        return [str(error)]
    except sqlite3.Error as error:
        return [str(error)]
    finally:
        cursor.close()
    if not {"promise", "event"} <= tables:
        return ["it holds no promisekeeper data"]
    return []


def _aside_name(database: str, now: datetime, zone: tzinfo) -> str:
    folder = os.path.join(os.path.dirname(database), "backups")
    paths.ensure_private_dir(folder)
    stamp = f"promises-{now.astimezone(zone):%Y%m%d-%H%M%S}-before-restore"
    candidate, number = os.path.join(folder, f"{stamp}.db"), 1
    while os.path.exists(candidate):
        number += 1
        candidate = os.path.join(folder, f"{stamp}-{number}.db")
    return candidate


def _copy_in(staged: str, database: str, aside: str) -> str | None:
    """Copy the staged backup into the live database as one write transaction. While that
    transaction holds the lock, the data as it was goes to `aside`, and the staged copy's
    number sequences are raised to the live ones, so no promise number is given twice.
    Returns where the old data went (None when there was none)."""
    had_data = os.path.exists(database) and os.path.getsize(database) > 0
    files.create_private(database)
    source = sqlite3.connect(staged, isolation_level=None)
    # A short timeout per step; the wait is counted here, and Ctrl-C is heard between steps.
    live = sqlite3.connect(database, timeout=0.1, isolation_level=None)
    started = time.monotonic()
    state: dict[str, str | None] = {}

    def progress(status: int, remaining: int, total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            if time.monotonic() - started > busy_timeout():
                raise StorageError(f"the database at {database} stayed locked by another process for "
                                   f"{busy_timeout():g} s; nothing was changed, try again")
        elif "aside" not in state:
            # The first page is copied: this restore holds the write lock, nothing is committed.
            state["aside"] = _set_aside(database, aside) if had_data else None
            _keep_numbers(source, database)

    try:
        # One page a step, so that the steps above happen while the first one holds the lock.
        source.backup(live, pages=1, progress=progress, sleep=0.05)
    except (sqlite3.Error, OSError) as error:
        _remove(aside)
        reason = error.strerror if isinstance(error, OSError) else error
        raise StorageError(f"could not restore into {database} ({reason}); nothing was changed") from None
    except BaseException:
        _remove(aside)
        raise
    finally:
        live.close()
        source.close()
    return state.get("aside")


def _keep_numbers(source: sqlite3.Connection, database: str) -> None:
    """Raise the staged copy's AUTOINCREMENT sequences to the live database's, through the
    connection the backup reads (SQLite then copies the changed page again)."""
    live = sqlite3.connect(f"file:{quote(database)}?mode=ro", uri=True)
    try:
        used = dict(live.execute("SELECT name, seq FROM sqlite_sequence").fetchall())
    except sqlite3.Error:
        return  # no sequences yet (a new or damaged database): nothing to keep
    finally:
        live.close()
    for name, seq in used.items():
        source.execute("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?", (seq, name))
        source.execute("INSERT INTO sqlite_sequence (name, seq) SELECT ?, ? WHERE NOT EXISTS "
                       "(SELECT 1 FROM sqlite_sequence WHERE name = ?)", (name, seq, name))


def _set_aside(database: str, aside: str) -> str:
    """Copy the live data, as committed, to `aside` (0600). A file SQLite cannot read is
    copied byte for byte with its WAL: nobody can write meanwhile (the lock is held)."""
    os.close(os.open(aside, os.O_CREAT | os.O_EXCL | os.O_WRONLY, files.PRIVATE))
    try:
        source = sqlite3.connect(f"file:{quote(database)}?mode=ro", uri=True)
        copy = sqlite3.connect(aside)
        try:
            source.backup(copy)
        finally:
            source.close()
            copy.close()
    except sqlite3.DatabaseError:
        import shutil

        shutil.copyfile(database, aside)
        if os.path.exists(database + "-wal"):
            shutil.copyfile(database + "-wal", aside + "-wal")
            os.chmod(aside + "-wal", files.PRIVATE)
    return aside


def _forget_schedule(key: str) -> None:
    """The prompt's schedule was worked out from the old data: delete it (the next prompt
    rebuilds it), rather than trust it to notice."""
    try:
        os.unlink(paths.state_file("prompt", key))
    except FileNotFoundError:
        pass


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
