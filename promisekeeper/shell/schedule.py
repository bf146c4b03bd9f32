"""The prompt schedule: the segment as it will read from each coming moment.

The segment changes only when a deadline passes, a local midnight comes, or (with a
`{next_in}` countdown in the format) a minute, hour or day ticks over, so after every change
to the ledger the coming hours are worked out once: a row per stretch of time in which the
segment reads the same, holding its text as `segment.render` made it. A shell hook shows the
segment by picking the row for now from the file (`schedule_file`), with no process and no
database; `pk prompt` does the same, and rebuilds the schedule when it is stale.

How far ahead it goes: 48 hours on an SQLite file, whose every change the file's identity
shows; on PostgreSQL, which other machines change without a trace here, `prompt.refresh`
(default 5 minutes). At most `MAX_ROWS` rows, from at most `DEADLINES_READ` deadlines (the
day's counts come from the database): a busy stretch ends the schedule earlier, and the
hooks ask for a new one at its end.

Standard library only at import time: the prompt path imports this module.
"""

from __future__ import annotations

import os
import time

from promisekeeper import owner as ownership
from promisekeeper import segment
from promisekeeper.db.read_schedule import Deadlines
from promisekeeper.db.read_schedule import Unreadable as Unreadable  # what the prompt catches
from promisekeeper.shell.schedule_file import Files, Place, Row, Schedule, Settings, tz_key

TYPE_CHECKING = False  # typing costs ~3 ms to import; checkers treat this as true
if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime
    from typing import Any

    Read = Callable[..., Deadlines | None]  # read(now=, end=, owner=, limit=, day_ends=), or None

HORIZON_S = segment.HORIZON_S
DEFAULT_REFRESH_S = segment.DEFAULT_REFRESH_S
# The shell hooks read rows until the current one; an unusually busy stretch ends the
# schedule early instead of making every prompt read hundreds of lines.
MAX_ROWS = 96
# Each deadline that passes starts a row, so no more than this many are read: a schedule
# that needs more ends where the last one read falls overdue, and a rebuild costs the same
# with thousands due today as with a few.
DEADLINES_READ = MAX_ROWS


# -- time, with the time module only ---------------------------------------------------


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
    """The next local midnight after `epoch`: where "today" ends (as `windows.local_day_end`).

    `memo` keeps the answer per local day, for callers asking about many moments.
    """
    local = time.localtime(epoch)
    day = days_from_civil(local.tm_year, local.tm_mon, local.tm_mday) + 1
    if memo is None:
        return wall_to_epoch(day * 86400)
    if day not in memo:
        memo[day] = wall_to_epoch(day * 86400)
    return memo[day]


def day_ends(now: int, until: int) -> list[int]:
    """The local midnights ending each day with a moment in [now, until)."""
    ends = [next_midnight(now)]
    while ends[-1] < until:
        ends.append(next_midnight(ends[-1]))
    return ends


def span_end(until: int) -> int:
    """How far ahead deadlines must be read for a schedule ending at `until` (its last
    day's midnight included: a promise due at midnight is due that day)."""
    return next_midnight(until) + 1


# -- building ---------------------------------------------------------------------------


def readings(now: int, until: int, deadlines: Deadlines) -> list[tuple[int, segment.Reading]]:
    """(moment, reading) for each moment in [now, until) from which the counts, the next
    deadline or who it is for differ from the moment before. `until` must be within what
    the deadlines tell (`Deadlines.known_until`)."""
    from promisekeeper import windows  # datetime: not for a prompt whose schedule is fresh

    dues = [due for due, _, _ in deadlines.upcoming]
    memo: dict[int, int] = {}
    from promisekeeper.when.deadline import end_s

    # A promise due at T is overdue from the end of T's minute (windows.is_overdue).
    moments = {now} | {end_s(due) for due in dues if now < end_s(due) < until}
    midnight = next_midnight(now, memo)
    while midnight < until:
        moments.add(midnight)
        midnight = next_midnight(midnight, memo)
    found: list[tuple[int, segment.Reading]] = []
    passed = today_end = 0
    for moment in sorted(moments):
        day_end = next_midnight(moment, memo)
        passed = _advance(dues, passed, lambda due: windows.is_overdue(due, moment))  # noqa: B023 -- called within this turn
        # Due by the day's end, midnight included (not yet windows' "next").
        if deadlines.due_by is None:
            today_end = _advance(dues, today_end, lambda due: due <= day_end)  # noqa: B023 -- called within this turn
        else:  # only the first of them were read: the database counted the day's
            today_end = deadlines.due_by[day_end]
        reading = _reading(deadlines, passed, today_end)
        if not found or found[-1][1].key() != reading.key():
            found.append((moment, reading))
    return found


def _advance(ordered: list[int], index: int, holds: Callable[[int], bool]) -> int:
    """How many of `ordered` satisfy `holds` (true for a prefix), walking from `index`.

    The moments are visited in order, so the answer moves a step or two each time."""
    while index < len(ordered) and holds(ordered[index]):
        index += 1
    while index > 0 and not holds(ordered[index - 1]):
        index -= 1
    return index


def _reading(deadlines: Deadlines, passed: int, today_end: int) -> segment.Reading:
    """The reading once the first `passed` upcoming deadlines are overdue and the first
    `today_end` fall by the end of the day (`windows.is_due_today` for the rest)."""
    upcoming = deadlines.upcoming
    nearest = upcoming[passed] if passed < len(upcoming) else deadlines.beyond
    return segment.Reading(
        overdue=deadlines.overdue + passed,
        today=today_end - passed,
        next_due=nearest[0] if nearest else None,
        who=display_who(nearest[2]) if nearest else "",
    )


def rows_for(
    found: list[tuple[int, segment.Reading]], until: int, settings: Settings
) -> list[Row]:
    """The rows: one per stretch in which the text reads the same, at most MAX_ROWS."""
    template = segment.clean_template(settings.format)
    rows: list[Row] = []
    ends = [moment for moment, _ in found[1:]] + [until]
    for (moment, reading), end in zip(found, ends):
        for start, stop in _stretches(moment, end, reading, template):
            text = segment.render(reading, now=start, template=template, ascii=settings.ascii)
            if rows and rows[-1].text == text and rows[-1].reading.key() == reading.key():
                rows[-1].until = stop
            elif len(rows) == MAX_ROWS:
                return rows
            else:
                rows.append(Row(start, stop, reading, text))
    return rows


def _stretches(
    start: int, end: int, reading: segment.Reading, template: str
) -> list[tuple[int, int]]:
    """[start, end) cut where a countdown in the text ticks over (uncut without one)."""
    if reading.next_due is None or reading.severity == segment.QUIET:
        return [(start, end)]
    if not segment.counts_down(template):
        return [(start, end)]
    cuts: list[tuple[int, int]] = []
    moment = start
    while moment < end and len(cuts) <= MAX_ROWS:
        left = reading.next_due - moment
        if left <= 0:  # in the deadline's minute, not yet overdue: "0m" until the minute ends
            cuts.append((moment, end))
            break
        following = min(end, moment + left - segment.next_in_floor(left) + 1)
        cuts.append((moment, following))
        moment = following
    return cuts


def build(
    *,
    now: int,
    horizon: int,
    tz: str,
    target: str,
    owner: str | None,
    settings: Settings,
    files: Files,
    deadlines: Deadlines | None,
) -> Schedule:
    """A schedule from `now`; no deadlines (no database yet) means an empty segment throughout."""
    from promisekeeper import __version__

    until = now + horizon
    if deadlines is None:
        found = [(now, segment.Reading(0, 0))]
    else:
        if deadlines.check_in_due is not None:
            # From its deadline on a check-in may be missed, which only series code can
            # tell: the schedule ends there, and the next prompt reads it again.
            from promisekeeper.when.deadline import end_s

            until = min(until, max(now + 1, end_s(deadlines.check_in_due)))
        until = deadlines.known_until(until)
        found = _series_readings(now, until, deadlines) if deadlines.check_ins else readings(now, until, deadlines)
    return Schedule(
        tz_key=tz, target=target, owner=owner or "", settings=settings, files=files,
        rows=rows_for(found, until, settings), version=__version__,
    )


def _series_readings(now: int, until: int, deadlines: Deadlines) -> list[tuple[int, segment.Reading]]:
    """The readings when some series' check-in is overdue: each stretch between the moments
    its series would close it as missed (and open the next) read on its own deadlines."""
    try:
        from promisekeeper.shell import series_schedule

        parts = series_schedule.pieces(now, until, deadlines, _calendar)
    except Exception:
        if os.environ.get("PK_DEBUG"):
            raise
        return readings(now, until, deadlines)  # a config that cannot be read: as stored
    found: list[tuple[int, segment.Reading]] = []
    stops = [start for start, _ in parts[1:]] + [until]
    for (start, part), stop in zip(parts, stops):
        for moment, reading in readings(start, stop, part):
            if not found or found[-1][1].key() != reading.key():
                found.append((moment, reading))
    return found


def _calendar() -> Any:
    from promisekeeper import config
    from promisekeeper.when.calendar import BusinessCalendar

    return BusinessCalendar.from_config(config.load())


def display_who(who: str | None) -> str:
    """A name as the segment shows it: one line, no control characters, no outer spaces."""
    if not who:
        return ""
    if not who.isprintable():  # controls, bidi overrides, line separators: rare
        from promisekeeper.sanitize import clean

        who = clean(who)
    return who.strip(" ")


# -- keeping it up to date ----------------------------------------------------------------


def rebuild(place: Place, *, now: int, previous: Schedule | None, read: Read) -> Schedule:
    """Read the database (`read(now=, end=, owner=)`), build the schedule from `now` and save it.

    What the files are is noted before the database is read, so a change made meanwhile
    leaves the saved schedule stale rather than wrong. Saving may fail: the next prompt
    then rebuilds again. Raises Unreadable when the database cannot be read.
    """
    from promisekeeper.shell import schedule_file

    files = schedule_file.observe(place)
    settings = schedule_file.load_settings(place.config_file, files, previous)
    owner = ownership.me(settings.owner)
    horizon = HORIZON_S if place.db_file else min(settings.refresh, HORIZON_S)
    until = now + horizon
    deadlines = read(now=now, end=span_end(until), owner=owner, limit=DEADLINES_READ,
                     day_ends=day_ends(now, until))
    built = build(
        now=now, horizon=horizon, tz=tz_key(), target=place.target_key, owner=owner,
        settings=settings, files=files, deadlines=deadlines,
    )
    schedule_file.save(place, built, now=now)
    return built


def refresh_after_change(db: Any, *, now: datetime) -> None:
    """Bring the prompt schedule up to date after a committed change; nudge tmux.

    A failure here never fails the command that made the change: the schedule is then
    simply stale (its files differ from the database's) and the next prompt rebuilds it.
    """
    try:
        _rebuild_for(db, now=int(now.timestamp()))
    except Exception:
        if os.environ.get("PK_DEBUG"):
            raise
    refresh_tmux()


def _rebuild_for(db: Any, *, now: int) -> None:
    from promisekeeper.db import read_schedule
    from promisekeeper.shell import schedule_file

    place = schedule_file.Place(db.key)
    previous = schedule_file.read(place.schedule_file)
    if db.file is not None:
        rebuild(place, now=now, previous=previous,
                read=lambda **bounds: read_schedule.read_sqlite(db.file, **bounds))
        return

    def read(**bounds: Any) -> Deadlines:
        with db.reading() as reader:  # this machine's change: shown at once
            return read_schedule.read_reader(reader, **bounds)

    rebuild(place, now=now, previous=previous, read=read)


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
