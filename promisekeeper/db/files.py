"""An SQLite database's files on disk: private to their owner, and watched for damage.

- The database and its `-wal` and `-shm` hold customers' names and phone numbers: they are
  created 0600 whatever the umask (SQLite gives the `-wal`/`-shm` the database's mode), and
  a database found open to others is tightened, with a one-line notice.
- A damaged database is not written to. Checking it before every write would cost O(size),
  so after each commit pk records the files' identity (inode, size and modification time
  of the database and of its WAL); a writer that finds them changed since (another program
  wrote, a file was copied over it, bytes changed underneath) runs SQLite's quick check
  first and refuses to write if it fails. `pk db check` always runs the full check.

Standard library only: the read half uses it.
"""

from __future__ import annotations

import os
import stat
import sys
from typing import Any

from promisekeeper import paths
from promisekeeper.errors import StorageError

PRIVATE = 0o600
SIDE_FILES = ("-wal", "-shm")


def create_private(path: str) -> None:
    """Create an empty database file, mode 0600, in a 0700 folder (unless it exists)."""
    if os.path.exists(path):
        return
    try:
        paths.ensure_private_dir(os.path.dirname(path))
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE))
    except FileExistsError:
        return
    except OSError as error:
        from promisekeeper.lang.i18n import _

        raise StorageError(
            _("cannot create the database at {path}: {reason}").format(path=path, reason=error.strerror)
        ) from None


def tighten(path: str) -> None:
    """Make the database and its side files 0600 if others may read them, saying so once."""
    loose: list[tuple[str, int]] = []
    for name in (path, *(path + suffix for suffix in SIDE_FILES)):
        try:
            mode = stat.S_IMODE(os.stat(name).st_mode)
        except OSError:
            continue
        if mode & 0o077:
            loose.append((name, mode))
    if not loose:
        return
    from promisekeeper.lang.i18n import _

    try:
        for name, _mode in loose:
            os.chmod(name, PRIVATE)
    except OSError as error:
        _notice(_("{path} is open to others (mode {mode}) and could not be made private: "
                  "{reason}; run: chmod 600 {path}").format(
                      path=path, mode=f"{loose[0][1]:04o}", reason=error.strerror))
        return
    _notice(_("{path} was open to others (mode {mode}); it holds customers' details, "
              "so it is now private (0600)").format(path=loose[0][0], mode=f"{loose[0][1]:04o}"))


def _notice(message: str) -> None:
    from promisekeeper.sanitize import clean
    from promisekeeper.secrets import scrub

    try:
        sys.stderr.write(f"pk: {clean(scrub(message))}\n")
        sys.stderr.flush()
    except OSError:
        pass  # a notice is not worth failing the command for


# -- damage --------------------------------------------------------------------------------


def identity(path: str) -> str:
    """The database files as they are now: inode, size and mtime of the file and its WAL."""
    parts = []
    for name in (path, path + "-wal"):
        try:
            found = os.stat(name)
        except OSError:
            parts.append("-")
            continue
        # An empty WAL is the same state as none (SQLite makes one when it opens).
        parts.append("-" if name != path and not found.st_size else
                     f"{found.st_dev}:{found.st_ino}:{found.st_size}:{found.st_mtime_ns}")
    return " ".join(parts)


def _identity_file(key: str) -> str:
    return paths.state_file("verified", key)


def remember(path: str, key: str) -> None:
    """Record the files' identity after pk's own commit (or a check that passed)."""
    try:
        paths.atomic_write(_identity_file(key), identity(path).encode())
    except OSError:
        pass  # then the next write checks again: slower, never wrong


def changed_since_remembered(path: str, key: str) -> bool:
    try:
        with open(_identity_file(key), encoding="utf-8") as handle:
            return handle.read(200) != identity(path)
    except (OSError, UnicodeDecodeError):
        return True


def quick_check(connection: Any) -> list[str]:
    """SQLite's quick check (O(size), every page read once): [] when sound, else what it found."""
    import sqlite3

    try:
        found = [str(row[0]) for row in connection.execute("PRAGMA quick_check").fetchall()]
    except sqlite3.DatabaseError as error:
        return [str(error)]
    return [] if found == ["ok"] else found


def damaged(shown: str, problems: list[str]) -> StorageError:
    """The refusal to write to a database that failed its check, with the ways back."""
    from promisekeeper.lang.i18n import _

    return StorageError(
        _("the database at {path} is damaged ({problem}), so nothing was written; "
          "restore a backup with `pk db restore BACKUP` (see `pk db backup`), or save what "
          "SQLite can read with: sqlite3 {path} .recover | sqlite3 recovered.db").format(
              path=shown, problem=problems[0])
    )


def verify_before_write(connection: Any, path: str, key: str, shown: str) -> None:
    """Inside a write transaction: refuse a damaged database, checking only when its files
    changed since pk last saw them."""
    if not changed_since_remembered(path, key):
        return
    problems = quick_check(connection)
    if problems:
        raise damaged(shown, problems)
