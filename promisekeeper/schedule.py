"""The prompt schedule: what the prompt segment will read from each coming moment.

The segment only changes when a deadline passes or a local midnight comes, so after
every change to the ledger the next 48 hours are worked out once and written to a small
file in the state dir. A shell hook shows the segment by reading that file, with no
process and no database; `pk prompt` reads it too, and rebuilds it (read-only, standard
library sqlite3) when it is stale. Standard library only at import time.

The file, UTF-8 text, one record a line (the shell hooks parse it with `read`):

    pk-schedule 1
    START UNTIL ASCII COLOR CONFIG_MTIME_NS
    TZ_KEY                           "set:" + $TZ, or "unset"
    DB_TARGET                        the database it was read from
    FORMAT                           prompt.format (empty: the default ⚑N ◷M)
    FROM OVERDUE TODAY NEXT WHO      one line per moment the segment changes, ascending

START and UNTIL bound the moments it covers (epoch seconds, UNTIL excluded); ASCII
and COLOR are the config's prompt.ascii and prompt.color as 0/1; CONFIG_MTIME_NS is
the config file's mtime when they were read (-1: no file). A row holds from FROM
on: the open promises already overdue, those due later that local day, the next
deadline (epoch seconds, floored; "-" when none) and who it was promised to (control
characters and surrounding spaces removed; empty when none). The file's own mtime is
set to the newest of the database, its -wal file and the config as they were before
the data was read, so "any of them is newer than the schedule" means stale.
"""

from __future__ import annotations

import os
import time

from promisekeeper import paths

# typing costs ~3 ms to import and the prompt path imports this module; type checkers
# treat a TYPE_CHECKING constant as true whatever its value.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import datetime
    from typing import Any

MAGIC = "pk-schedule 1"
HORIZON_S = 48 * 3600
# A database behind a URL (PostgreSQL) may be changed from other machines, which leave
# no file behind to compare with: its schedule is trusted for a short while only.
URL_HORIZON_S = 15 * 60
# The shell hooks read rows until the current one; an unusually busy two days ends the
# schedule early instead of making every prompt read hundreds of lines.
MAX_ROWS = 96


class Settings:
    """The config's prompt.* values a schedule carries, so its readers need no TOML."""

    __slots__ = ("ascii", "color", "config_stamp", "format")

    def __init__(
        self, format: str = "", ascii: bool = False, color: bool = False, config_stamp: int = -1
    ) -> None:
        self.format = format
        self.ascii = ascii
        self.color = color
        self.config_stamp = config_stamp


class Row:
    """The segment's inputs from `start` on."""

    __slots__ = ("next_due", "overdue", "start", "today", "who")

    def __init__(
        self, start: int, overdue: int, today: int, next_due: int | None, who: str
    ) -> None:
        self.start = start
        self.overdue = overdue
        self.today = today
        self.next_due = next_due
        self.who = who

    def same_reading(self, other: Row) -> bool:
        return (self.overdue, self.today, self.next_due, self.who) == (
            other.overdue,
            other.today,
            other.next_due,
            other.who,
        )


class Schedule:
    """Rows for [start, until) in one zone, for one database, with the prompt settings."""

    __slots__ = ("rows", "settings", "start", "target", "tz_key", "until")

    def __init__(
        self,
        *,
        start: int,
        until: int,
        tz_key: str,
        target: str,
        settings: Settings,
        rows: list[Row],
    ) -> None:
        self.start = start
        self.until = until
        self.tz_key = tz_key
        self.target = target
        self.settings = settings
        self.rows = rows

    def since(self, now: int) -> Schedule:
        """The same schedule as seen from `now`: it starts there, earlier rows dropped."""
        current = self.row_at(now)
        if current is None:
            raise ValueError(f"{now} is outside the schedule")
        first = Row(now, current.overdue, current.today, current.next_due, current.who)
        rows = [first] + [row for row in self.rows if row.start > now]
        return Schedule(
            start=now,
            until=self.until,
            tz_key=self.tz_key,
            target=self.target,
            settings=self.settings,
            rows=rows,
        )

    def row_at(self, now: int) -> Row | None:
        """The row in force at `now`, or None outside the schedule."""
        if not self.start <= now < self.until:
            return None
        found = None
        for row in self.rows:
            if row.start > now:
                break
            found = row
        return found


class Unreadable(Exception):
    """The database could not be read (missing tables, corrupt, locked, unreadable)."""


# -- time, with the time module only ---------------------------------------------------


def tz_key() -> str:
    """What the schedule's local midnights depend on: the TZ variable, as the C library reads it."""
    value = os.environ.get("TZ")
    return "unset" if value is None else f"set:{value}"


def days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm)."""
    year -= month <= 2
    era = (year if year >= 0 else year - 399) // 400
    year_of_era = year - era * 400
    day_of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146097 + day_of_era - 719468


def wall_to_epoch(wall: int) -> int:
    """The instant a local wall-clock time (seconds, as if UTC) names, like zoneinfo's fold=0.

    An ambiguous time (clocks set back) is its first occurrence; a time that does not
    exist (clocks set forward) is read with the offset before the change.
    """
    offsets = {time.localtime(wall - shift).tm_gmtoff for shift in (-86400, 0, 86400)}
    candidates = [wall - offset for offset in offsets]
    existing = [t for t in candidates if time.localtime(t).tm_gmtoff == wall - t]
    if existing:
        return min(existing)
    return max(candidates)


def next_midnight(epoch: int, memo: dict[int, int] | None = None) -> int:
    """The next local midnight after `epoch`: where "today" ends (as `queries.local_day_end`).

    `memo` keeps the answer per local day, for callers asking about many moments.
    """
    local = time.localtime(epoch)
    day = days_from_civil(local.tm_year, local.tm_mon, local.tm_mday) + 1
    if memo is None:
        return wall_to_epoch(day * 86400)
    if day not in memo:
        memo[day] = wall_to_epoch(day * 86400)
    return memo[day]


# -- building ---------------------------------------------------------------------------


class Deadlines:
    """What a schedule is built from: open promises from `start` on, in deadline order.

    `overdue` counts the open promises due before `start`; `upcoming` holds
    (due in epoch seconds, id, who) for those due in [start, end); `beyond` is the
    first one due at or after `end`, if any.
    """

    __slots__ = ("beyond", "overdue", "upcoming")

    def __init__(
        self,
        overdue: int,
        upcoming: list[tuple[int, int, str]],
        beyond: tuple[int, int, str] | None,
    ) -> None:
        self.overdue = overdue
        self.upcoming = upcoming
        self.beyond = beyond


def span_end(until: int) -> int:
    """How far ahead deadlines must be read for a schedule ending at `until` (its last
    day's midnight included: a promise due at midnight is due that day)."""
    return next_midnight(until) + 1


def build_rows(now: int, until: int, deadlines: Deadlines) -> tuple[list[Row], int]:
    """The rows from `now` to `until` (which may come earlier when there are too many)."""
    dues = [due for due, _, _ in deadlines.upcoming]
    memo: dict[int, int] = {}
    moments = {now}
    # A promise due at T is overdue from the first whole second after T.
    moments.update(due + 1 for due in dues if due + 1 < until)
    midnight = next_midnight(now, memo)
    while midnight < until:
        moments.add(midnight)
        midnight = next_midnight(midnight, memo)
    rows: list[Row] = []
    first_ahead = day_end = 0
    for moment in sorted(moments):
        first_ahead = _count_below(dues, moment, first_ahead)
        # "Today" runs up to midnight inclusive: a promise due "by midnight" is due today.
        day_end = _count_below(dues, next_midnight(moment, memo) + 1, day_end)
        row = _reading(moment, first_ahead, day_end, deadlines)
        if rows and rows[-1].same_reading(row):
            continue
        if len(rows) == MAX_ROWS:
            return rows, moment
        rows.append(row)
    return rows, until


def _count_below(ordered: list[int], limit: int, hint: int) -> int:
    """How many of `ordered` are below `limit`, walking from a nearby answer.

    The moments are visited in order, so the answer moves a step or two each time;
    cheaper here than importing bisect.
    """
    index = hint
    while index < len(ordered) and ordered[index] < limit:
        index += 1
    while index > 0 and ordered[index - 1] >= limit:
        index -= 1
    return index


def _reading(moment: int, first_ahead: int, day_end: int, deadlines: Deadlines) -> Row:
    """The row from `moment`, given where it and its day's end fall among the deadlines."""
    upcoming = deadlines.upcoming
    nearest = upcoming[first_ahead] if first_ahead < len(upcoming) else deadlines.beyond
    return Row(
        start=moment,
        overdue=deadlines.overdue + first_ahead,
        today=day_end - first_ahead,
        next_due=nearest[0] if nearest else None,
        who=nearest[2] if nearest else "",
    )


def build(
    *,
    now: int,
    target: str,
    settings: Settings,
    deadlines: Deadlines | None,
    horizon: int = HORIZON_S,
) -> Schedule:
    """A schedule from `now`; no deadlines (no database yet) means an empty segment throughout."""
    until = now + horizon
    if deadlines is None:
        rows = [Row(now, 0, 0, None, "")]
    else:
        rows, until = build_rows(now, until, deadlines)
    return Schedule(
        start=now, until=until, tz_key=tz_key(), target=target, settings=settings, rows=rows
    )


def display_who(who: str | None) -> str:
    """A name as the segment shows it: one line, no control characters, no outer spaces."""
    if not who:
        return ""
    if not who.isprintable():  # controls, bidi overrides, line separators: rare
        from promisekeeper.sanitize import clean

        who = clean(who)
    return who.strip(" ")


# -- reading the database (standard library sqlite3, read-only) ---------------------------

_OVERDUE_SQL = "SELECT count(*) FROM promise WHERE state = 'open' AND due_at < :now"
_UPCOMING_SQL = (
    "SELECT due_at, id, who FROM promise WHERE state = 'open' AND due_at >= :now AND due_at < :end "
    "ORDER BY due_at, id"
)
_BEYOND_SQL = (
    "SELECT due_at, id, who FROM promise WHERE state = 'open' AND due_at >= :end "
    "ORDER BY due_at, id LIMIT 1"
)


def read_sqlite(path: str, *, now: int, end: int) -> Deadlines | None:
    """The deadlines in an SQLite file, read without writing, locking or creating anything.

    None when the file does not exist. With no -wal file no connection is open (any
    connection to a WAL database creates one), so the file is read as immutable: no
    locks, no -wal/-shm left behind. If a writer appeared meanwhile the read is redone
    as an ordinary read-only one, which sees its commits.
    """
    wal = path + "-wal"
    before = _identity(path)
    if before is None:
        return None
    if not os.path.exists(wal) and _in_wal_mode(path):
        found = _query(path, now=now, end=end, immutable=True)
        if not os.path.exists(wal) and _identity(path) == before:
            return found
    return _query(path, now=now, end=end, immutable=False)


def _in_wal_mode(path: str) -> bool:
    # Header bytes 18 and 19 are 2 in WAL mode; in rollback mode a writer changes the
    # file itself, so an immutable read could see half a commit.
    try:
        with open(path, "rb") as handle:
            header = handle.read(20)
    except OSError:
        return False
    return header[:16] == b"SQLite format 3\x00" and header[18:20] == b"\x02\x02"


def _identity(path: str) -> tuple[int, int, int, int] | None:
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns


def _uri(path: str, *, immutable: bool) -> str:
    escaped = path.replace("%", "%25").replace("?", "%3f").replace("#", "%23")
    return f"file:{escaped}?mode=ro" + ("&immutable=1" if immutable else "")


def _query(path: str, *, now: int, end: int, immutable: bool) -> Deadlines:
    import sqlite3

    try:
        connection = sqlite3.connect(_uri(path, immutable=immutable), uri=True, timeout=0.2)
    except sqlite3.Error as error:
        raise Unreadable(str(error)) from None
    try:
        bounds = {"now": now, "end": end}
        overdue = connection.execute(_OVERDUE_SQL, bounds).fetchone()[0]
        upcoming = connection.execute(_UPCOMING_SQL, bounds).fetchall()
        beyond = connection.execute(_BEYOND_SQL, bounds).fetchone()
    except sqlite3.Error as error:
        raise Unreadable(str(error)) from None
    finally:
        connection.close()
    return Deadlines(
        int(overdue), [_deadline(row) for row in upcoming], _deadline(beyond) if beyond else None
    )


def _deadline(row: tuple[Any, ...]) -> tuple[int, int, str]:
    due, ident, who = row
    return int(due), int(ident), display_who(who)


def read_reader(reader: Any, *, now: int, end: int) -> Deadlines:
    """The same deadlines through the read half, for databases behind a URL."""
    bounds = {"now": now, "end": end}
    overdue = reader.value(_OVERDUE_SQL, bounds)
    upcoming = reader.all(_UPCOMING_SQL, bounds)
    beyond = reader.one(_BEYOND_SQL, {"end": end})
    return Deadlines(
        int(overdue or 0), [_deadline(row) for row in upcoming], _deadline(beyond) if beyond else None
    )


# -- the file ---------------------------------------------------------------------------


def path_for(target: str) -> str:
    return paths.state_file("prompt", target)


def dumps(schedule: Schedule) -> str:
    settings = schedule.settings
    flags = f"{int(settings.ascii)} {int(settings.color)} {settings.config_stamp}"
    lines = [
        MAGIC,
        f"{schedule.start} {schedule.until} {flags}",
        schedule.tz_key,
        schedule.target,
        settings.format,
    ]
    for row in schedule.rows:
        next_due = "-" if row.next_due is None else str(row.next_due)
        lines.append(f"{row.start} {row.overdue} {row.today} {next_due} {row.who}".rstrip(" "))
    return "\n".join(lines) + "\n"


def loads(text: str) -> Schedule | None:
    """Parse a schedule; None when it is not one (truncated, another version, edited)."""
    lines = text.split("\n")
    if len(lines) < 7 or lines[0] != MAGIC or lines[-1] != "":
        return None
    try:
        start, until, ascii_flag, color_flag, stamp = (int(field) for field in lines[1].split(" "))
        rows = [_row(line) for line in lines[5:-1]]
    except ValueError:
        return None
    settings = Settings(lines[4], ascii_flag == 1, color_flag == 1, stamp)
    return Schedule(
        start=start, until=until, tz_key=lines[2], target=lines[3], settings=settings, rows=rows
    )


def _row(line: str) -> Row:
    fields = line.split(" ", 4)
    if len(fields) < 4:
        raise ValueError(line)
    who = fields[4] if len(fields) == 5 else ""
    next_due = None if fields[3] == "-" else int(fields[3])
    return Row(int(fields[0]), int(fields[1]), int(fields[2]), next_due, who)


def writable(schedule: Schedule) -> bool:
    """Whether every header field fits on its line (a newline in $TZ or the path would not)."""
    return not any(
        "\n" in field for field in (schedule.tz_key, schedule.target, schedule.settings.format)
    )


def write(path: str, schedule: Schedule, *, stamp: int) -> None:
    """Replace the schedule file atomically; its mtime becomes `stamp` (see the module doc)."""
    paths.atomic_write(path, dumps(schedule).encode("utf-8", "surrogateescape"), mtime_ns=stamp)


def observed_stamp(db_file: str | None, config_file: str) -> int:
    """The newest mtime among the database, its -wal file and the config (0 if none exist)."""
    files = [config_file] + ([db_file, db_file + "-wal"] if db_file else [])
    newest = 0
    for name in files:
        try:
            newest = max(newest, os.stat(name).st_mtime_ns)
        except OSError:
            continue
    return newest


def config_stamp(config_file: str) -> int:
    try:
        return os.stat(config_file).st_mtime_ns
    except OSError:
        return -1


def is_fresh(
    schedule: Schedule, *, path: str, now: int, target: str, db_file: str | None, config_file: str
) -> bool:
    """Whether a schedule read from `path` answers for `now` in this environment."""
    if schedule.target != target or schedule.tz_key != tz_key():
        return False
    if not schedule.start <= now < schedule.until:
        return False
    if schedule.settings.config_stamp != config_stamp(config_file):
        return False
    try:
        own = os.stat(path).st_mtime_ns
    except OSError:
        return False
    return observed_stamp(db_file, config_file) <= own


def read_file(path: str) -> Schedule | None:
    try:
        with open(path, "rb") as handle:
            return loads(handle.read().decode("utf-8", "surrogateescape"))
    except OSError:
        return None


# -- settings from the config -----------------------------------------------------------


def load_settings(config_file: str, previous: Schedule | None = None) -> Settings:
    """The prompt settings, taken from the previous schedule while the config is unchanged.

    Reading TOML costs more than the rest of `pk prompt`, so it happens only when the
    config file changed since the last schedule was written.
    """
    stamp = config_stamp(config_file)
    if previous is not None and previous.settings.config_stamp == stamp:
        kept = previous.settings
        return Settings(kept.format, kept.ascii, kept.color, stamp)
    if stamp == -1:
        return Settings(config_stamp=-1)
    return _settings_from_config(config_file, stamp)


def _settings_from_config(config_file: str, stamp: int) -> Settings:
    from promisekeeper import config
    from promisekeeper.errors import PKError
    from promisekeeper.sanitize import clean

    try:
        loaded = config.load(config_file)
    except PKError:
        return Settings(config_stamp=stamp)  # other commands report a broken config
    return Settings(
        clean(str(loaded.get("prompt.format"))),
        bool(loaded.get("prompt.ascii")),
        bool(loaded.get("prompt.color")),
        stamp,
    )


# -- after a change ---------------------------------------------------------------------


def refresh_after_change(db: Any, *, now: datetime) -> None:
    """Bring the prompt schedule up to date after a committed change; nudge tmux.

    A failure here never fails the command that made the change: the schedule is then
    simply stale (older than the database) and the next prompt rebuilds it.
    """
    try:
        _rewrite_for(db, now=int(now.timestamp()))
    except Exception:
        if os.environ.get("PK_DEBUG"):
            raise
    refresh_tmux()


def _rewrite_for(db: Any, *, now: int) -> None:
    config_file = paths.config_file()
    path = path_for(db.key)
    stamp = observed_stamp(db.file, config_file)
    settings = load_settings(config_file, read_file(path))
    if db.file is not None:
        deadlines = read_sqlite(db.file, now=now, end=span_end(now + HORIZON_S))
        schedule = build(now=now, target=db.key, settings=settings, deadlines=deadlines)
    else:
        with db.reading() as reader:
            deadlines = read_reader(reader, now=now, end=span_end(now + URL_HORIZON_S))
        schedule = build(
            now=now, target=db.key, settings=settings, deadlines=deadlines, horizon=URL_HORIZON_S
        )
    if writable(schedule) and not _newer_on_disk(path, stamp):
        write(path, schedule, stamp=stamp)


def _newer_on_disk(path: str, stamp: int) -> bool:
    # Two changes at once: the one that read the database later wrote a schedule with a
    # later stamp (its file's mtime), and this older reading must not replace it.
    try:
        return os.stat(path).st_mtime_ns > stamp
    except OSError:
        return False


def refresh_tmux() -> None:
    """Inside tmux, redraw the status line now so its segment shows the change."""
    if not os.environ.get("TMUX"):
        return
    import subprocess

    try:
        subprocess.run(
            ["tmux", "refresh-client", "-S"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=2,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        pass
