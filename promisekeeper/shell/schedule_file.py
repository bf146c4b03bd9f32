"""The prompt schedule's rows and their file: its format, its checksums, when it may be believed.

UTF-8 text, one record a line; the shell hooks read it with `read`, in their own arithmetic:

    pk-schedule 2
    ZONE                  "set:" + $TZ, or "unset"
    TARGET                the database it was read from: its path, or for a URL a key that
                          reveals nothing of it (`secrets.url_key`: no password is stored)
    COLOR FILE            prompt.color (0/1); 1 when it was read from a database file
    FROM UNTIL CHECK SEVERITY N B1 … BN          one line per row: numbers only
    …
    reading FROM OVERDUE TODAY NEXT WHO          the counts behind the rows from FROM on
    …
    owner NAME            whose promises it counts (see `owner`)
    settings ASCII REFRESH
    format TEMPLATE
    configured-owner NAME
    files DB WAL CONFIG   each INODE:SIZE:MTIME_NS, or - where there is no such file
    version VERSION       of promisekeeper
    sum CRC32             of every byte before this line

A row holds from FROM until UNTIL (epoch seconds, UNTIL excluded). SEVERITY is 0 (nothing
due), 1 (due today: yellow) or 2 (overdue: red). B1 … BN are the N bytes of the segment's
text in UTF-8 (as `segment.render` made it), written as numbers so that a shell can both
add them up and print them (`printf '\\xHH'`) whatever its locale. CHECK is Σ i·vᵢ mod
2147483647 over v = (COLOR, FILE, FROM, UNTIL, SEVERITY, N, B1, …, BN): the hooks verify
it for the row they show, so an edited digit, two swapped numbers or a row moved from
elsewhere are caught without starting a process. The hooks read rows only up to the one in
force. The `reading` lines (NEXT: the next deadline, or -; WHO: who it is for) are for
`pk prompt --format/--ascii`, which render the segment anew; `pk prompt` checks the whole
file's CRC.

It is believed only while nothing it was made from has changed: the same database files
(inode, size and mtime of the database and its -wal, newer or older: a restored backup
counts), config, zone, owner and promisekeeper, within [first FROM, last UNTIL). The
hooks can compare mtimes (`-nt`, `-ot`) but not read them, so the file's own mtime is set
to the newer of the database's and its -wal's, and a companion file (the same name +
".config") carries the config's mtime: any change to either, newer or older, is seen.

It is read only if it is a regular file of at most MAX_BYTES (a FIFO, a device or a huge
file in its place is ignored, never waited on, and replaced by the next rebuild).
"""

from __future__ import annotations

import os
import zlib

from promisekeeper import __version__, paths, segment
from promisekeeper import owner as ownership
from promisekeeper.segment import DEFAULT_REFRESH_S

MAGIC = "pk-schedule 2"
MAX_BYTES = 64 * 1024
CHECK_MODULUS = 2147483647  # 2**31 - 1, prime: fish's math (doubles) stays exact
HEADER_LINES = 4
TRAILER = ("owner", "settings", "format", "configured-owner", "files", "version")

Identity = tuple[int, int, int]  # inode, size, mtime (ns)


# -- the schedule: its rows, and what it was made from -----------------------------------------


class Settings:
    """The config's values a schedule depends on, kept in it so its readers need no TOML."""

    __slots__ = ("ascii", "color", "format", "owner", "refresh")

    def __init__(
        self,
        format: str = "",
        ascii: bool = False,
        color: bool = False,
        owner: str = "",
        refresh: int = DEFAULT_REFRESH_S,
    ) -> None:
        self.format = format
        self.ascii = ascii
        self.color = color
        self.owner = owner  # as configured; "" means the login name
        self.refresh = refresh


class Row:
    """The segment from `start` until `until` (excluded): what it counts, and its text."""

    __slots__ = ("reading", "start", "text", "until")

    def __init__(self, start: int, until: int, reading: segment.Reading, text: str) -> None:
        self.start = start
        self.until = until
        self.reading = reading
        self.text = text


class Schedule:
    """Rows covering [start, until) in one zone, for one database, owner and config."""

    __slots__ = ("files", "owner", "rows", "settings", "target", "tz_key", "version")

    def __init__(
        self,
        *,
        tz_key: str,
        target: str,
        owner: str,
        settings: Settings,
        files: Files,
        rows: list[Row],
        version: str,
    ) -> None:
        self.tz_key = tz_key
        self.target = target
        self.owner = owner  # whose promises it counts on a shared database
        self.settings = settings
        self.files = files  # what the database and config files were when it was read
        self.rows = rows
        self.version = version

    @property
    def start(self) -> int:
        return self.rows[0].start

    @property
    def until(self) -> int:
        return self.rows[-1].until

    def row_at(self, now: int) -> Row | None:
        """The row in force at `now`, or None outside the schedule."""
        for row in self.rows:
            if row.start <= now < row.until:
                return row
        return None

    def since(self, now: int) -> Schedule:
        """The same schedule as seen from `now`: it starts there, earlier rows dropped."""
        current = self.row_at(now)
        if current is None:
            raise ValueError(f"{now} is outside the schedule")
        first = Row(now, current.until, current.reading, current.text)
        later = [row for row in self.rows if row.start > now]
        return Schedule(
            tz_key=self.tz_key, target=self.target, owner=self.owner, settings=self.settings,
            files=self.files, rows=[first, *later], version=self.version,
        )


def target_key(target: str) -> str:
    """How the schedule (and the shell hooks) name its database: a path as it is, a URL by a
    hash, since a URL may carry a password."""
    if "://" not in target:
        return target
    from promisekeeper.secrets import url_key

    return "url:" + url_key(target)


def tz_key() -> str:
    """What the schedule's local midnights depend on: the TZ variable, as the C library reads it."""
    value = os.environ.get("TZ")
    return "unset" if value is None else f"set:{value}"


# -- the file -------------------------------------------------------------------------------------


class Place:
    """Where one database's schedule lives, and the files it is made from."""

    __slots__ = ("config_file", "db_file", "schedule_file", "stamp_file", "target", "target_key")

    def __init__(self, target: str | None = None) -> None:
        self.target = target or paths.database_target()
        self.target_key = target_key(self.target)
        self.db_file = paths.sqlite_file(self.target)
        self.config_file = paths.config_file()
        self.schedule_file = paths.state_file("prompt", self.target)
        self.stamp_file = self.schedule_file + ".config"


class Files:
    """What the database, its -wal and the config file are (None: no such file)."""

    __slots__ = ("config", "db", "wal")

    def __init__(self, db: Identity | None, wal: Identity | None, config: Identity | None) -> None:
        self.db = db
        self.wal = wal
        self.config = config

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Files) and self.key() == other.key()

    def key(self) -> tuple[Identity | None, ...]:
        return (self.db, self.wal, self.config)

    @property
    def stamp(self) -> int:
        """The schedule file's mtime: the newer of the database's and its -wal's."""
        return max((found[2] for found in (self.db, self.wal) if found), default=0)


def identity(path: str) -> Identity | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_ino, found.st_size, found.st_mtime_ns


def observe(place: Place) -> Files:
    db = wal = None
    if place.db_file is not None:
        db, wal = identity(place.db_file), identity(place.db_file + "-wal")
    return Files(db, wal, identity(place.config_file))


# -- the text -------------------------------------------------------------------------------


def row_check(values: list[int]) -> int:
    """Σ i·vᵢ (i from 1) mod CHECK_MODULUS: what the shell hooks compute for a row."""
    return sum(index * value for index, value in enumerate(values, 1)) % CHECK_MODULUS


def _row_line(row: Row, flags: tuple[int, int]) -> str:
    text = list(row.text.encode("utf-8", "surrogateescape"))
    shown = [row.start, row.until, row.reading.severity, len(text), *text]
    numbers = [row.start, row.until, row_check([*flags, *shown]), *shown[2:]]
    return " ".join(map(str, numbers))


def _reading_lines(rows: list[Row]) -> list[str]:
    """One line per reading, from the first row that has it."""
    lines, last = [], None
    for row in rows:
        reading = row.reading
        if reading.key() != last:
            next_due = "-" if reading.next_due is None else str(reading.next_due)
            line = f"reading {row.start} {reading.overdue} {reading.today} {next_due} {reading.who}"
            lines.append(line.rstrip(" "))
            last = reading.key()
    return lines


def _flags(schedule: Schedule) -> tuple[int, int]:
    return int(schedule.settings.color), int(schedule.files.db is not None)


def dumps(schedule: Schedule) -> bytes:
    settings = schedule.settings
    flags = _flags(schedule)
    lines = [MAGIC, schedule.tz_key, schedule.target, " ".join(map(str, flags))]
    lines += [_row_line(row, flags) for row in schedule.rows]
    lines += _reading_lines(schedule.rows)
    lines += [
        f"owner {schedule.owner}",
        f"settings {int(settings.ascii)} {settings.refresh}",
        f"format {settings.format}",
        f"configured-owner {settings.owner}",
        "files " + " ".join(_identity_text(found) for found in schedule.files.key()),
        f"version {schedule.version}",
    ]
    body = ("\n".join(lines) + "\n").encode("utf-8", "surrogateescape")
    return body + b"sum %d\n" % zlib.crc32(body)


def writable(schedule: Schedule) -> bool:
    """Whether every field fits on its line (a newline in $TZ or in a path would not)."""
    fields = (schedule.tz_key, schedule.target, schedule.owner, schedule.settings.format,
              schedule.settings.owner)
    return not any("\n" in field or "\r" in field for field in fields)


def _identity_text(found: Identity | None) -> str:
    return "-" if found is None else ":".join(map(str, found))


def loads(data: bytes) -> Schedule | None:
    """Parse a schedule; None when it is not one (truncated, another version, edited)."""
    body, marker, tail = data.rpartition(b"sum ")
    if not marker or not body.endswith(b"\n") or tail != b"%d\n" % zlib.crc32(body):
        return None
    lines = body.decode("utf-8", "surrogateescape").split("\n")[:-1]
    if len(lines) < HEADER_LINES + 1 + len(TRAILER) or lines[0] != MAGIC:
        return None
    try:
        return _parse(lines)
    except (ValueError, TypeError, IndexError):  # even with a sum that adds up: not ours
        return None


def _parse(lines: list[str]) -> Schedule:
    trailer = {}
    for line, name in zip(lines[-len(TRAILER):], TRAILER):
        key, _, value = line.partition(" ")
        if key != name:
            raise ValueError(line)
        trailer[name] = value
    color, has_file = (int(flag) for flag in lines[3].split(" "))
    ascii, refresh = (int(field) for field in trailer["settings"].split(" "))
    settings = Settings(trailer["format"], ascii == 1, color == 1, trailer["configured-owner"],
                        refresh)
    files = Files(*(_identity(word) for word in trailer["files"].split(" ")))
    body = lines[HEADER_LINES:-len(TRAILER)]
    first_reading = next(
        (index for index, line in enumerate(body) if line.startswith("reading ")), len(body)
    )
    rows = _rows(body[:first_reading], [_reading(line) for line in body[first_reading:]])
    if not rows or has_file != int(files.db is not None):
        raise ValueError("no rows, or a file flag that disagrees with the files")
    return Schedule(tz_key=lines[1], target=lines[2], owner=trailer["owner"], settings=settings,
                    files=files, rows=rows, version=trailer["version"])


def _identity(word: str) -> Identity | None:
    if word == "-":
        return None
    inode, size, mtime = (int(part) for part in word.split(":"))
    return inode, size, mtime


def _reading(line: str) -> tuple[int, segment.Reading]:
    fields = line.split(" ")
    if fields[0] != "reading":
        raise ValueError(line)
    start, overdue, today = (int(field) for field in fields[1:4])
    next_due = None if fields[4] == "-" else int(fields[4])
    return start, segment.Reading(overdue, today, next_due, " ".join(fields[5:]))


def _rows(lines: list[str], readings: list[tuple[int, segment.Reading]]) -> list[Row]:
    """The rows, each with the reading in force from its start."""
    rows: list[Row] = []
    later = iter(readings)
    coming = next(later, None)
    in_force = None
    for line in lines:
        numbers = [int(field) for field in line.split(" ")]
        start, until, _, _, length = numbers[:5]
        if len(numbers) != 5 + length:
            raise ValueError(line)
        while coming is not None and coming[0] <= start:
            in_force, coming = coming[1], next(later, None)
        if in_force is None:
            raise ValueError(f"no reading for the row from {start}")
        rows.append(Row(start, until, in_force, bytes(numbers[5:]).decode("utf-8", "surrogateescape")))
    return rows


# -- on disk ---------------------------------------------------------------------------------


class Found:
    """A schedule as read from its file, with that file's mtime."""

    __slots__ = ("mtime", "schedule")

    def __init__(self, schedule: Schedule, mtime: int) -> None:
        self.schedule = schedule
        self.mtime = mtime


def read_found(path: str) -> Found | None:
    read = paths.read_regular(path, limit=MAX_BYTES)
    if read is None:
        return None
    parsed = loads(read[0])
    return None if parsed is None else Found(parsed, read[1])


def read(path: str) -> Schedule | None:
    found = read_found(path)
    return None if found is None else found.schedule


def fresh(place: Place, found: Found | None, *, now: int) -> bool:
    """Whether a schedule read from disk answers for `now` here, for the shell hooks too."""
    if found is None or not _answers(place, found.schedule, now=now):
        return False
    files = observe(place)
    return files == found.schedule.files and _hooks_agree(place, files, found.mtime)


def _answers(place: Place, schedule: Schedule, *, now: int) -> bool:
    """Made for this database, zone, owner and pk, and covering `now`."""
    made_for = (schedule.target, schedule.tz_key, schedule.version, schedule.owner)
    here = (place.target_key, tz_key(), __version__, ownership.me(schedule.settings.owner) or "")
    return made_for == here and schedule.start <= now < schedule.until


def _hooks_agree(place: Place, files: Files, mtime: int) -> bool:
    """What the hooks compare: the schedule's mtime with the database's, the companion's
    with the config's. Were these off, the hooks would ask pk at every prompt."""
    if files.db is not None and mtime != files.stamp:
        return False
    companion = identity(place.stamp_file)
    if files.config is None or companion is None:
        return files.config is None and companion is None
    return companion[2] == files.config[2]


def save(place: Place, schedule: Schedule, *, now: int) -> None:
    """Write the schedule and its companion, unless one at least as recent is there (written
    meanwhile by a change that read the database later). Failing to write is no error here."""
    if not writable(schedule) or _as_recent_on_disk(place, schedule, now=now):
        return
    try:
        mtime = schedule.files.stamp if schedule.files.db is not None else None
        paths.atomic_write(place.schedule_file, dumps(schedule), mtime_ns=mtime)
        _mark_config(place.stamp_file, schedule.files.config)
    except OSError:
        pass


def _as_recent_on_disk(place: Place, schedule: Schedule, *, now: int) -> bool:
    found = read_found(place.schedule_file)
    if not fresh(place, found, now=now):
        return False
    assert found is not None
    # A database file's identity shows every change: a fresh schedule there is current. A
    # server's changes leave no trace here, so the later reading wins.
    return place.db_file is not None or found.schedule.start >= schedule.start


def _mark_config(path: str, config: Identity | None) -> None:
    """Give the companion file the config's mtime (no companion without a config), after
    the schedule: a hook that sees the new schedule with the old companion just asks pk."""
    if config is None:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        return
    paths.atomic_write(path, b"", mtime_ns=config[2])


# -- settings from the config ----------------------------------------------------------------


def load_settings(config_file: str, files: Files, previous: Schedule | None = None) -> Settings:
    """The prompt settings, taken from the previous schedule while the config is unchanged.

    Reading TOML costs more than the rest of `pk prompt`, so it happens only when the
    config file changed since the last schedule was written.
    """
    if previous is not None and previous.files.config == files.config:
        return previous.settings
    if files.config is None:
        return Settings()
    from promisekeeper import config
    from promisekeeper.errors import PKError
    from promisekeeper.sanitize import clean

    try:
        loaded = config.load(config_file)
    except PKError:
        return Settings()  # other commands report a broken config
    return Settings(
        clean(str(loaded.get("prompt.format"))),
        bool(loaded.get("prompt.ascii")),
        bool(loaded.get("prompt.color")),
        clean(str(loaded.get("owner"))).strip(),
        config.duration_seconds(loaded.get("prompt.refresh")),
    )
