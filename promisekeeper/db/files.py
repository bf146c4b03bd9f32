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

from promisekeeper import paths
from promisekeeper.errors import StorageError

# The prompt asks `refused` on its fast path: typing costs it ~3 ms to import, and type
# checkers treat a TYPE_CHECKING constant as true whatever its value.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

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


# -- whose file it is ----------------------------------------------------------------------


def refusal(path: str) -> str | None:
    """Why `path` may not be opened as a database, or None when it may (or does not exist).

    Only a regular file is a database: a folder, a device or a FIFO named by mistake is
    left untouched (never opened, never chmod'ed). A file of another user that others may
    read holds someone else's customers, open to view: pk neither reads it nor tightens it.
    The same rule holds on every path: commands, the prompt and completion.
    """
    info = refused(path)
    if info is None:
        return None
    from promisekeeper.lang.i18n import _

    if not stat.S_ISREG(info.st_mode):
        return _("{path} is {kind}, not a database file; PROMISEKEEPER_DB must name a file "
                 "(it was left untouched)").format(path=path, kind=kind_name(info.st_mode))
    return _("{path} belongs to another user and others may read it (mode {mode}), so pk "
                 "does not open it: use your own database, or ask its owner to run "
                 "chmod 600 on it").format(path=path, mode=f"{stat.S_IMODE(info.st_mode):04o}")


def refused(path: str) -> os.stat_result | None:
    """The file's status when `refusal` refuses it, else None: the check alone, with no
    message, for the prompt and completion, which refuse silently."""
    try:
        info = os.stat(path)
    except OSError:
        return None  # none yet (it is created private), or SQLite says why it cannot open it
    if not stat.S_ISREG(info.st_mode):
        return info
    if info.st_uid != os.geteuid() and info.st_mode & 0o077:
        return info
    return None


def kind_name(mode: int) -> str:
    """What a file that is not a regular one is, as a sentence names it ("a folder")."""
    from promisekeeper.lang.i18n import _

    if stat.S_ISDIR(mode):
        return _("a folder")
    if stat.S_ISFIFO(mode):
        return _("a FIFO (named pipe)")
    if stat.S_ISSOCK(mode):
        return _("a socket")
    return _("a device")


def unfit_file(path: str, unfit: paths.Unfit) -> str:
    """Why a file the user named (config, import) is not read: no regular file, or too large."""
    from promisekeeper.lang.i18n import _

    if unfit.regular:
        return _("{path} is larger than {limit} MB, more than pk reads from it: name the right "
                 "file").format(path=path, limit=unfit.limit // 1048576)
    return _("{path} is {kind}, not a file; pk reads it only from a regular file").format(
        path=path, kind=kind_name(unfit.mode))


def admit(path: str) -> None:
    """Refuse a path that is no database of this user's (StorageError, nothing touched);
    make the user's own database private if it is not."""
    reason = refusal(path)
    if reason is not None:
        raise StorageError(reason)
    tighten(path)


def _own_regular(name: str) -> int | None:
    """The mode of a regular file this user owns, else None (it is never chmod'ed)."""
    try:
        info = os.lstat(name)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid():
        return None
    return stat.S_IMODE(info.st_mode)


def tighten(path: str) -> None:
    """Make the database and its side files 0600 if others may read them, saying so once.

    Only regular files of this user's are changed (see `admit`, which checks the database).
    """
    loose: list[tuple[str, int]] = []
    for name in (path, *(path + suffix for suffix in SIDE_FILES)):
        mode = _own_regular(os.path.realpath(name))
        if mode is not None and mode & 0o077:
            loose.append((name, mode))
    if not loose:
        return
    from promisekeeper.lang.i18n import _

    try:
        for name, _mode in loose:
            os.chmod(name, PRIVATE)
    except OSError as error:
        notice(_("{path} is open to others (mode {mode}) and could not be made private: "
                  "{reason}; run: chmod 600 {path}").format(
                      path=path, mode=f"{loose[0][1]:04o}", reason=error.strerror))
        return
    notice(_("{path} was open to others (mode {mode}); it holds customers' details, "
              "so it is now private (0600)").format(path=loose[0][0], mode=f"{loose[0][1]:04o}"))


def notice(message: str) -> None:
    """One line on stderr, `pk: …`, that does not stop the command."""
    from promisekeeper.sanitize import clean
    from promisekeeper.secrets import scrub

    try:
        sys.stderr.write(f"pk: {clean(scrub(message))}\n")
        sys.stderr.flush()
    except OSError:
        pass  # a notice is not worth failing the command for


# -- read-only ---------------------------------------------------------------------------------


def read_only(path: str) -> str | None:
    """Why the database cannot be written where it is (None when it can): a file system
    mounted read-only, a read-only file, or a folder where SQLite cannot make its -wal."""
    from promisekeeper.lang.i18n import _

    folder = os.path.dirname(path) or "."
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return _("its file system is mounted read-only")
    except OSError:
        return None  # SQLite will say what is wrong
    if os.path.exists(path) and not os.access(path, os.W_OK):
        return _("the file is read-only")
    side_files_writable = all(os.access(path + suffix, os.W_OK) for suffix in SIDE_FILES)
    if os.path.exists(path) and not os.access(folder, os.W_OK | os.X_OK) and not side_files_writable:
        return _("its folder is read-only (SQLite keeps its journal there)")
    return None


def read_uri(path: str) -> str:
    """A URI that opens the database for reading only, creating and locking nothing when it can.

    `immutable` (no locks, no side files: a read-only file system allows nothing else) only
    when there is no -wal file: an immutable read would ignore the commits waiting in one.
    """
    from urllib.parse import quote

    immutable = "" if os.path.exists(path + "-wal") else "&immutable=1"
    return f"file:{quote(path)}?mode=ro{immutable}"


def refuse_writes(path: str, shown: str) -> None:
    """Refuse a change to a database that cannot be written here, saying why (StorageError)."""
    reason = read_only(path)
    if reason is None:
        return
    from promisekeeper.lang.i18n import _

    raise StorageError(_("the database at {place} cannot be changed: {reason}; nothing was "
                         "written (reading, export and backup still work)").format(place=shown, reason=reason))


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


def verify_before_write(path: str, key: str, shown: str) -> None:
    """Before the writer opens the file: refuse a damaged database, checking only when its
    files changed since pk last saw them.

    The check reads through a read-only connection of its own: a writer's connection, even
    one that only looked, would copy the WAL's pages into the damaged file when it closed.
    """
    if not os.path.exists(path) or not changed_since_remembered(path, key):
        return
    if _checked_here.get(key) == identity(path):
        return  # checked as the files are now (one command opens several connections)
    import sqlite3
    from urllib.parse import quote

    try:
        connection = sqlite3.connect(f"file:{quote(path)}?mode=ro", uri=True)
    except sqlite3.Error:
        return  # the writer's own open reports what is wrong
    try:
        problems = quick_check(connection)
    finally:
        connection.close()
    if problems:
        raise damaged(shown, problems)
    _checked_here[key] = identity(path)


def checkpointed(path: str, key: str) -> None:
    """pk's own connection copied the WAL into a file a check passed on: the files changed,
    and are as sound as they were."""
    if key in _checked_here:
        _checked_here[key] = identity(path)


_checked_here: dict[str, str] = {}  # database key -> the files' identity a check passed on
