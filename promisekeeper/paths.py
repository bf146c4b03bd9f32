"""Where things live: the database, the config file, the small state files.

Each has one environment variable that overrides it. On Linux the XDG base directories
are read directly (standard library only, so the prompt fast path stays cheap); other
platforms ask platformdirs.
"""

from __future__ import annotations

import os
import stat
import sys

APP = "promisekeeper"
DB_VAR = "PROMISEKEEPER_DB"
CONFIG_VAR = "PROMISEKEEPER_CONFIG"
STATE_VAR = "PROMISEKEEPER_STATE"


def _xdg_home(variable: str, default: str) -> str:
    # The XDG spec says a relative value is invalid and must be ignored.
    value = os.environ.get(variable, "").strip()
    if value and os.path.isabs(value):
        return value
    return os.path.expanduser(default)


def data_dir() -> str:
    if sys.platform != "linux":
        import platformdirs

        return platformdirs.user_data_dir(APP, appauthor=False)
    return os.path.join(_xdg_home("XDG_DATA_HOME", "~/.local/share"), APP)


def config_dir() -> str:
    if sys.platform != "linux":
        import platformdirs

        return platformdirs.user_config_dir(APP, appauthor=False)
    return os.path.join(_xdg_home("XDG_CONFIG_HOME", "~/.config"), APP)


def state_dir() -> str:
    override = os.environ.get(STATE_VAR, "").strip()
    if override:
        return os.path.abspath(os.path.expanduser(override))
    if sys.platform != "linux":
        import platformdirs

        return platformdirs.user_state_dir(APP, appauthor=False)
    return os.path.join(_xdg_home("XDG_STATE_HOME", "~/.local/state"), APP)


def database_target() -> str:
    """PROMISEKEEPER_DB (a path or an SQLAlchemy URL), else the XDG data file."""
    override = os.environ.get(DB_VAR, "").strip()
    if override:
        if "://" in override:
            return override
        return os.path.abspath(os.path.expanduser(override))
    return os.path.join(data_dir(), "promises.db")


def sqlite_file(target: str) -> str | None:
    """The file behind a database target, or None when it is not an SQLite file."""
    if "://" not in target:
        return target
    prefix = "sqlite:///"
    if target.startswith(prefix):
        path = target[len(prefix) :].split("?", 1)[0]
        if path and path != ":memory:":
            return os.path.abspath(os.path.expanduser(path))
    return None


def config_file() -> str:
    override = os.environ.get(CONFIG_VAR, "").strip()
    if override:
        return os.path.abspath(os.path.expanduser(override))
    return os.path.join(config_dir(), "config.toml")


def state_file(name: str, target: str | None = None) -> str:
    """A state file that belongs to one database (prompt schedule, briefing day)."""
    import zlib

    target = target or database_target()
    base = os.path.splitext(os.path.basename(sqlite_file(target) or "db"))[0]
    tag = f"{zlib.crc32(target.encode('utf-8', 'surrogateescape')):08x}"
    return os.path.join(state_dir(), f"{name}-{base}-{tag}")


def ensure_private_dir(path: str) -> None:
    """Create a directory (and parents) readable by the owner only; leave existing ones be."""
    if os.path.isdir(path):
        return
    parent = os.path.dirname(path)
    if parent and parent != path:
        ensure_private_dir(parent)
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        return
    os.chmod(path, 0o700)


def atomic_write(path: str, data: bytes, *, mtime_ns: int | None = None) -> None:
    """Replace a file all at once (a temporary file, then os.replace), mode 0600.

    Readers see the old file or the new one, never half of it. `mtime_ns` sets the new
    file's modification time before it appears (the prompt schedule uses it).
    """
    ensure_private_dir(os.path.dirname(path))
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(handle, data)
        finally:
            os.close(handle)
        if mtime_ns is not None:
            os.utime(temporary, ns=(mtime_ns, mtime_ns))
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def read_regular(path: str, *, limit: int) -> tuple[bytes, int] | None:
    """The bytes of a small state file and its mtime (ns); None unless it is a regular file
    of at most `limit` bytes.

    Opened without blocking and checked on the open handle, so nothing in its place can
    hang or flood the reader: a FIFO (whose open would wait for a writer), a device such
    as /dev/zero, a huge file, or a file swapped in between a check and the open.
    """
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except OSError:
        return None
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        chunks, size = [], 0
        while chunk := os.read(handle, limit + 1 - size):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                return None
        return b"".join(chunks), info.st_mtime_ns
    except OSError:
        return None
    finally:
        os.close(handle)


NAMED_FILE_LIMIT = 1024 * 1024  # a config file, a template: far larger is not one


class Unfit(ValueError):
    """A file the user named that pk will not read: not a regular file, or too large.

    `mode` is the file's st_mode (to name what it is), `size` its size when it is a regular file.
    """

    def __init__(self, mode: int, size: int, limit: int) -> None:
        super().__init__(mode, size)
        self.mode = mode
        self.size = size
        self.limit = limit

    @property
    def regular(self) -> bool:
        return stat.S_ISREG(self.mode)


def read_named(path: str, *, limit: int = NAMED_FILE_LIMIT) -> bytes | None:
    """The bytes of a file the user named (config, template): None when there is none.

    Raises Unfit when it is not a regular file or holds more than `limit` bytes (a FIFO is
    never waited on, /dev/zero never read), OSError when it cannot be read.
    """
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except FileNotFoundError:
        return None
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            raise Unfit(info.st_mode, info.st_size, limit)
        chunks, size = [], 0
        while chunk := os.read(handle, limit + 1 - size):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:  # it grew while being read
                raise Unfit(info.st_mode, size, limit)
        return b"".join(chunks)
    finally:
        os.close(handle)
