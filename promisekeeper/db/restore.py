"""`pk db restore BACKUP`: put a backup in the database's place, safely.

1. The backup is checked first, read-only: SQLite's quick check, and its schema, which must
   be exactly the one pk builds for the migration steps it records (`expected_schema`): a
   planted trigger, index, view or column, or a newer schema, is refused naming the backup.
   Every statement on the backup is bounded in time and hears Ctrl-C (`expected_schema.bounded`).
2. Its rows, never its schema objects, are copied into a fresh database pk builds by its own
   migrations (the working copy `DB.restore-PID.tmp`), which is then brought up to this
   version. A working copy left by a restore that was killed is removed by the next restore
   or `pk db check`, which say so.
3. The working copy is copied in through SQLite's own backup API, page by page, as one write transaction
   on the live database: other processes wait for it as for any writer, readers see the
   old data or the new, never a mix, and SQLite keeps the WAL consistent (nothing is
   copied around the database's back). A crash part-way leaves the old data.
4. Once that transaction holds the write lock, and before any page is committed, the data
   as it was is copied aside (`backups/…-before-restore.db`): nothing committed up to the
   restore is lost, and nothing can be committed in between.
5. Afterwards the prompt schedule of this database is deleted, so the prompt rebuilds it
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
from promisekeeper.db import expected_schema, files, migrations
from promisekeeper.db.database import Database
from promisekeeper.db.reader import busy_timeout
from promisekeeper.db.target import SQLITE, require_folder
from promisekeeper.errors import BadInput, PKError, StorageError


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
    clean_stale(db.file)
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
    """Check the backup, then build a fresh database with pk's own migrations and copy the
    backup's rows into it (never its schema objects); returns how many promises it holds."""
    size = os.path.getsize(path)
    steps = _checked_steps(path, size)
    try:
        expected_schema.build(staged, steps)
        promises = _copy_rows(path, staged, size)
        expected_schema.upgrade(staged)  # an older backup is brought up to this version
    except sqlite3.OperationalError as error:
        raise _foreign_failure(path, error) from None
    except (OSError, sqlite3.Error) as error:
        from promisekeeper.lang.i18n import _

        reason = error.strerror if isinstance(error, OSError) else error
        raise StorageError(_("cannot make a working copy beside the database ({reason}); nothing was "
                             "changed").format(reason=reason)) from None
    return promises


def _backup_file(source: str, database: str) -> str:
    path = os.path.abspath(os.path.expanduser(source))
    if not os.path.isfile(path):
        raise BadInput(f"no backup file {path}; `pk db backup` makes one (in backups/ beside the database)")
    if os.path.exists(database) and os.path.samefile(path, database):
        raise BadInput(f"{path} is the database itself; give a backup of it")
    return path


def _checked_steps(path: str, size: int) -> list[str]:
    """The migration steps the backup records, once it passed SQLite's quick check and its
    schema is exactly the one pk builds with those steps (BadInput naming the backup else)."""
    try:
        backup = sqlite3.connect(files.read_uri(path), uri=True)
    except sqlite3.Error as error:
        raise _refused(path, str(error)) from None
    try:
        with expected_schema.bounded(backup, size):
            problems = files.quick_check(backup) or _schema_problems(backup)
            if problems and problems[0] == "interrupted":  # the bound or a signal stopped the check
                raise sqlite3.OperationalError(problems[0])
            steps = [] if problems else expected_schema.applied_steps(backup)
    except sqlite3.OperationalError as error:
        raise _foreign_failure(path, error) from None
    except sqlite3.Error as error:
        raise _refused(path, str(error)) from None
    finally:
        backup.close()
    if problems:
        raise _refused(path, problems[0])
    return steps


def _schema_problems(connection: sqlite3.Connection) -> list[str]:
    """What makes the backup's schema other than pk's for its version ([] when it is pk's)."""
    from promisekeeper.lang.i18n import _

    cursor = connection.cursor()
    try:
        migrations.recorded_version(cursor, SQLITE)  # refuses a newer schema
        if not expected_schema.applied_steps(connection):  # (older pks left user_version 0)
            return [_("it holds no promisekeeper data")]
    except StorageError as error:
        return [str(error)]
    except sqlite3.Error:
        return [_("it holds no promisekeeper data")]
    finally:
        cursor.close()
    found = expected_schema.differences(expected_schema.schema_of(connection),
                                        expected_schema.applied_steps(connection))
    return [_("its schema is not the one pk creates: {difference}").format(difference=found[0])] if found else []


def _copy_rows(path: str, staged: str, size: int) -> int:
    """Copy every row of the backup's tables into the pk-built `staged`, column by column."""
    connection = sqlite3.connect(f"file:{quote(staged)}", uri=True, isolation_level=None)
    try:
        connection.execute("ATTACH DATABASE ? AS backup", (files.read_uri(path),))
        with expected_schema.bounded(connection, size):
            connection.execute("BEGIN")
            tables = [row[0] for row in connection.execute(
                "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name != 'schema_migrations'")]
            for table in tables:
                columns = ", ".join(f'"{row[1]}"' for row in connection.execute(f'PRAGMA main.table_info("{table}")'))
                connection.execute(f'INSERT INTO main."{table}" ({columns}) SELECT {columns} FROM backup."{table}"')
            connection.execute("COMMIT")
            promises = int(connection.execute("SELECT count(*) FROM main.promise").fetchone()[0])
        connection.execute("DETACH DATABASE backup")
        return promises
    finally:
        connection.close()


def _refused(path: str, problem: str) -> BadInput:
    from promisekeeper.lang.i18n import _

    return BadInput(_("the backup {path} cannot be restored: {problem}; nothing was changed").format(
        path=path, problem=problem))


def _foreign_failure(path: str, error: sqlite3.OperationalError) -> PKError:
    """A statement on the backup was stopped: by a signal (Interrupted), or by the time bound."""
    from promisekeeper.errors import raise_if_stopped

    raise_if_stopped()
    if "interrupted" in str(error):
        from promisekeeper.lang.i18n import _

        return _refused(path, _("reading it took longer than {seconds:g} s").format(
            seconds=expected_schema.FOREIGN_BUDGET_S))
    return _refused(path, str(error))


def clean_stale(database: str) -> list[str]:
    """Remove the working copies that restores killed part-way left beside the database (each
    a full copy of the data), saying so; one whose restore still runs is left alone."""
    import glob

    removed = []
    for leftover in glob.glob(glob.escape(database) + ".restore-*.tmp*"):
        pid = leftover[len(database) + len(".restore-"):].partition(".tmp")[0]
        if not pid.isdigit() or _running(int(pid)):
            continue
        _remove(leftover)
        removed.append(leftover)
    if removed:
        from promisekeeper.lang.i18n import ngettext

        files.notice(ngettext(
            "removed {path}, a working copy left by a restore that was stopped",
            "removed {count} working copies left by restores that were stopped, e.g. {path}",
            len(removed)).format(path=removed[0], count=len(removed)))
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process holds that number
    return True


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
