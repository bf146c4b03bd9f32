"""The prompt schedule: its file, when it is stale, and how it is kept up to date."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import time
import zlib
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from conftest import Files
from hypothesis import example, given, settings
from hypothesis import strategies as st
from test_prompt_helpers import MONDAY, MONDAY_EPOCH, monday_promises, pk_run, seed

from promisekeeper import __version__, ledger, owner, paths, segment
from promisekeeper.cli.context import Context
from promisekeeper.db import read_schedule
from promisekeeper.segment import Reading
from promisekeeper.shell import prompt, schedule_file
from promisekeeper.shell import schedule as plan

UTC_ZONES = [
    "Europe/Stockholm",
    "America/Santiago",
    "America/Havana",
    "Africa/Cairo",
    "Asia/Beirut",
    "Australia/Lord_Howe",
    "Pacific/Apia",
    "America/St_Johns",
    "Asia/Kolkata",
    "UTC",
]


@pytest.fixture
def monday_db(files: Files) -> Path:
    seed(files.db, monday_promises())
    return files.db


def plan_path(target: str) -> Path:
    return Path(schedule_file.Place(target).schedule_file)


def saved_path() -> Path:
    return plan_path(paths.database_target())


def current(now: int) -> plan.Schedule:
    return prompt.current_schedule(now)


# -- local midnights with the time module agree with zoneinfo ----------------------------------


@settings(max_examples=300, deadline=None)
# Days whose midnight does not exist (clocks jump 00:00 -> 01:00) or happens twice.
@example(zone="America/Santiago", day=date(2022, 9, 11))
@example(zone="America/Santiago", day=date(2023, 4, 2))
@example(zone="America/Havana", day=date(2023, 3, 12))
@example(zone="Africa/Cairo", day=date(2023, 4, 28))
@example(zone="Asia/Beirut", day=date(2023, 3, 26))
@example(zone="Europe/Stockholm", day=date(2026, 3, 29))
@given(
    zone=st.sampled_from(UTC_ZONES),
    day=st.dates(min_value=date(1990, 1, 1), max_value=date(2037, 12, 31)),
)
def test_local_midnight_matches_zoneinfo(zone: str, day: date) -> None:
    saved = os.environ.get("TZ")
    os.environ["TZ"] = zone
    time.tzset()
    try:
        expected = int(datetime.combine(day, datetime.min.time(), ZoneInfo(zone)).timestamp())
        wall = plan.days_from_civil(day.year, day.month, day.day) * 86400
        assert plan.wall_to_epoch(wall) == expected
        just_before = expected - 1
        local_day = datetime.fromtimestamp(just_before, ZoneInfo(zone)).date()
        following = datetime.combine(
            local_day + timedelta(days=1), datetime.min.time(), ZoneInfo(zone)
        )
        assert plan.next_midnight(just_before) == int(following.timestamp())
    finally:
        os.environ["TZ"] = saved or ""
        time.tzset()


# -- the file --------------------------------------------------------------------------------


def poison(path: Path) -> None:
    """Rewrite the saved schedule to say ⚑7 ◷3, valid in every other way (sums, files, mtime)."""
    found = schedule_file.read_found(str(path))
    assert found is not None
    for row in found.schedule.rows:
        row.reading = Reading(7, 3, row.reading.next_due, row.reading.who)
        row.text = "⚑7 ◷3"
    path.write_bytes(schedule_file.dumps(found.schedule))
    os.utime(path, ns=(found.mtime, found.mtime))


def overdue_at(moment: int) -> int:
    row = current(moment).row_at(moment)
    assert row is not None
    return row.reading.overdue


def test_the_file_reads_as_documented(monday_db: Path) -> None:
    built = current(MONDAY_EPOCH)
    data = saved_path().read_bytes()
    assert data == schedule_file.dumps(built)
    lines = data.decode().split("\n")
    assert lines[:4] == ["pk-schedule 2", "set:Europe/Stockholm", str(monday_db), "0 1"]
    # 09:30 ⚑2 ◷3, the next deadline 11:00 for O'Brien; from 11:01:00 (the end of its minute) ⚑3 ◷2 ...
    text = list("⚑2 ◷3".encode())
    first = lines[4].split(" ")
    assert first[:2] == [str(MONDAY_EPOCH), str(MONDAY_EPOCH + 5460)]
    assert first[3:] == ["2", str(len(text)), *map(str, text)]
    values = [0, 1, MONDAY_EPOCH, MONDAY_EPOCH + 5460, 2, len(text), *text]
    assert int(first[2]) == sum(i * v for i, v in enumerate(values, 1)) % (2**31 - 1)
    readings = [line for line in lines if line.startswith("reading ")]
    assert len(readings) == len(built.rows)  # here every row has counts of its own
    assert readings[:2] == [
        f"reading {MONDAY_EPOCH} 2 3 {MONDAY_EPOCH + 5400} O'Brien $HOME `x` %n #S",
        f"reading {MONDAY_EPOCH + 5460} 3 2 {MONDAY_EPOCH + 5400 + 20700} Bo[31m Lind",
    ]
    assert lines.index(readings[0]) == 4 + len(built.rows)  # after the rows the hooks read
    db = monday_db.stat()
    body = data[: data.rindex(b"sum ")]
    assert lines[-8:] == [
        f"owner {owner.login()}",
        "settings 0 300",
        "format ",
        "configured-owner ",
        f"files {db.st_ino}:{db.st_size}:{db.st_mtime_ns} - -",
        f"version {__version__}",
        f"sum {zlib.crc32(body)}",
        "",
    ]
    reread = schedule_file.loads(data)
    assert reread is not None and schedule_file.dumps(reread) == data


def test_anything_edited_is_not_a_schedule(monday_db: Path) -> None:
    current(MONDAY_EPOCH)
    data = saved_path().read_bytes()
    first_row = data.split(b"\n")[4]
    for broken in (
        b"",
        data[:-1],
        data.replace(b"pk-schedule 2", b"pk-schedule 9"),
        data.replace(first_row, first_row.replace(b" 50 ", b" 55 ", 1)),  # ⚑2 -> ⚑7
        data.replace(b"settings 0 300", b"settings 1 300"),
        data + b"more\n",
    ):
        assert schedule_file.loads(broken) is None


def test_file_is_private_and_written_atomically(monday_db: Path) -> None:
    current(MONDAY_EPOCH)
    path = saved_path()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary left behind


def test_the_hooks_see_the_files_through_two_mtimes(files: Files, monday_db: Path) -> None:
    files.config.write_text("[prompt]\nascii = false\n")
    current(MONDAY_EPOCH)
    path, companion = saved_path(), Path(f"{saved_path()}.config")
    assert path.stat().st_mtime_ns == monday_db.stat().st_mtime_ns
    assert companion.stat().st_mtime_ns == files.config.stat().st_mtime_ns
    assert stat.S_IMODE(companion.stat().st_mode) == 0o600 and companion.stat().st_size == 0
    wal = Path(f"{monday_db}-wal")
    wal.write_bytes(b"")
    later = monday_db.stat().st_mtime_ns + 5_000_000
    os.utime(wal, ns=(later, later))
    current(MONDAY_EPOCH)
    assert path.stat().st_mtime_ns == later  # the newer of the database and its -wal
    files.config.unlink()
    current(MONDAY_EPOCH)
    assert not companion.exists()


def test_a_fresh_schedule_is_used_as_it_is(
    monday_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert overdue_at(MONDAY_EPOCH) == 2
    poison(saved_path())

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("a fresh schedule needs no database")

    monkeypatch.setattr(read_schedule, "read_sqlite", no_reading)
    assert overdue_at(MONDAY_EPOCH + 60) == 7


def _restore_older_copy(db: Path) -> None:
    """The database file replaced by a copy with an older mtime, as `cp -p backup` leaves it."""
    older = db.stat().st_mtime_ns - 3_600_000_000_000
    copy = db.with_name("backup.db")
    shutil.copy2(db, copy)
    os.utime(copy, ns=(older, older))
    os.replace(copy, db)


def _same_mtime_other_file(db: Path) -> None:
    mtime = db.stat().st_mtime_ns
    copy = db.with_name("other.db")
    shutil.copy2(db, copy)
    os.replace(copy, db)
    os.utime(db, ns=(mtime, mtime))


def _same_mtime_other_size(db: Path) -> None:
    mtime = db.stat().st_mtime_ns
    os.truncate(db, db.stat().st_size + 4096)
    os.utime(db, ns=(mtime, mtime))


STALE = {
    "database-newer": lambda db: os.utime(db, ns=(time.time_ns(), time.time_ns() + 10**9)),
    "database-restored-older": _restore_older_copy,
    "database-other-inode": _same_mtime_other_file,
    "database-other-size": _same_mtime_other_size,
    "wal-appears": lambda db: Path(f"{db}-wal").write_bytes(b""),
}


@pytest.mark.parametrize("change", [*STALE, "config", "config-removed", "zone", "past-horizon",
                                    "before-start", "owner", "version", "touched", "companion"])
def test_stale_schedules_are_rebuilt(
    files: Files, monday_db: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    if change == "config-removed":
        files.config.write_text("[prompt]\nascii = false\n")
    current(MONDAY_EPOCH)
    poison(saved_path())
    moment = MONDAY_EPOCH + 60
    if change in STALE:
        STALE[change](monday_db)
    elif change == "config":
        files.config.write_text("[prompt]\nascii = false\n")
    elif change == "config-removed":
        files.config.unlink()
    elif change == "zone":
        monkeypatch.setenv("TZ", "Asia/Tokyo")
    elif change == "past-horizon":
        moment = MONDAY_EPOCH + 48 * 3600
    elif change == "before-start":
        moment = MONDAY_EPOCH - 1
    elif change == "owner":
        monkeypatch.setenv("LOGNAME", "somebody-else")
    elif change == "version":
        monkeypatch.setattr(schedule_file, "__version__", "99.0")
    elif change == "touched":  # the hooks would find the schedule stale: pk must too
        os.utime(saved_path())
    elif change == "companion":
        Path(f"{saved_path()}.config").write_bytes(b"")
    assert overdue_at(moment) != 7


def test_a_schedule_is_only_used_for_its_own_database(
    files: Files, monday_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    current(MONDAY_EPOCH)
    poison(saved_path())
    other = files.root / "other.db"
    shutil.copy2(monday_db, other)
    monkeypatch.setenv("PROMISEKEEPER_DB", str(other))
    shutil.copy2(plan_path(str(monday_db)), plan_path(str(other)))
    assert overdue_at(MONDAY_EPOCH + 60) == 2


def _fifo(path: Path) -> None:
    os.mkfifo(path, 0o600)


def _dev_zero(path: Path) -> None:
    path.symlink_to("/dev/zero")


def _huge(path: Path) -> None:
    path.write_bytes(b"pk-schedule 2\n" + b"1" * (schedule_file.MAX_BYTES + 1))


def _edited_digit(path: Path) -> None:
    lines = path.read_bytes().split(b"\n")
    lines[4] = lines[4].replace(b" 50 ", b" 55 ", 1)  # the row in force now reads ⚑7 ◷3
    mtime = path.stat().st_mtime_ns
    path.write_bytes(b"\n".join(lines))
    os.utime(path, ns=(mtime, mtime))  # only its contents tell


DAMAGE = [_fifo, _dev_zero, _huge, _edited_digit]


def _damaged(damage: Callable[[Path], None]) -> Path:
    path = saved_path()
    if damage is _edited_digit:
        current(MONDAY_EPOCH)
    else:
        path.parent.mkdir(mode=0o700, parents=True)
    damage(path)
    return path


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_schedule_that_cannot_be_trusted_is_replaced_never_waited_on(
    monday_db: Path, damage: Callable[[Path], None]
) -> None:
    path = _damaged(damage)
    result = pk_run("prompt", now=MONDAY_EPOCH, timeout=20)
    assert (result.returncode, result.stdout, result.stderr) == (0, "⚑2 ◷3\n", "")
    assert path.is_file() and not path.is_symlink()
    assert schedule_file.read(str(path)) is not None


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_change_replaces_a_schedule_that_cannot_be_trusted(
    monday_db: Path, damage: Callable[[Path], None]
) -> None:
    path = _damaged(damage)
    added = pk_run("add", "call back", "--due", "16:00", timeout=30)
    assert added.returncode == 0, added.stderr
    saved = schedule_file.read(str(path))
    assert saved is not None and saved.rows[0].reading.key()[:2] == (2, 4)


def test_a_directory_in_its_place_still_leaves_a_segment(files: Files, monday_db: Path) -> None:
    saved_path().mkdir(parents=True)
    result = pk_run("prompt", now=MONDAY_EPOCH, timeout=20)
    assert (result.returncode, result.stdout, result.stderr) == (0, "⚑2 ◷3\n", "")


@pytest.mark.parametrize("version", [99, 2, 0])
def test_a_database_of_another_schema_shows_nothing(monday_db: Path, version: int) -> None:
    assert pk_run("prompt", now=MONDAY_EPOCH).stdout == "⚑2 ◷3\n"
    with sqlite3.connect(monday_db) as connection:
        connection.execute(f"PRAGMA user_version = {version}")
    connection.close()
    for _ in range(2):  # not from the schedule made before, nor from one made now
        result = pk_run("prompt", now=MONDAY_EPOCH + 60)
        assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    with sqlite3.connect(monday_db) as connection:  # and the prompt wrote nothing to it
        assert connection.execute("PRAGMA user_version").fetchone()[0] == version
    connection.close()


def test_horizon_and_row_limit(files: Files) -> None:
    # Far more deadlines in the next two days than a prompt should read through.
    seed(files.db, [(MONDAY + timedelta(minutes=10 * i + 1), f"p{i}", "open") for i in range(300)])
    built = current(MONDAY_EPOCH)
    assert len(built.rows) == plan.MAX_ROWS
    assert built.until == built.rows[-1].start + 600  # ends where the next row would start
    assert built.row_at(built.until) is None
    assert all(a.until == b.start for a, b in zip(built.rows, built.rows[1:]))


def test_a_busy_day_reads_only_the_deadlines_the_schedule_shows(
    files: Files, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 400 due today, every minute from 09:31, and 50 tomorrow: the rebuild reads the first
    # DEADLINES_READ of them and takes the day's count from the database.
    seed(files.db, [(MONDAY + timedelta(minutes=1 + i), f"p{i}", "open") for i in range(400)]
         + [(MONDAY + timedelta(days=1, minutes=i), "later", "open") for i in range(50)]
         + [(MONDAY - timedelta(hours=2), "late", "open")])
    read = read_schedule.read
    returned: list[read_schedule.Deadlines] = []

    def recording(*args: Any, **kwargs: Any) -> read_schedule.Deadlines:
        returned.append(read(*args, **kwargs))
        return returned[-1]

    monkeypatch.setattr(read_schedule, "read", recording)
    built = current(MONDAY_EPOCH)
    [deadlines] = returned
    assert len(deadlines.upcoming) == plan.DEADLINES_READ and deadlines.due_by is not None
    assert [row.reading.key() for row in built.rows[:3]] == [
        (1, 400, MONDAY_EPOCH + 60, "p0"), (2, 399, MONDAY_EPOCH + 120, "p1"), (3, 398, MONDAY_EPOCH + 180, "p2")]
    assert len(built.rows) == plan.DEADLINES_READ == plan.MAX_ROWS
    # It ends where the last deadline read falls overdue: after that it would not know the next.
    last = MONDAY_EPOCH + 60 * plan.DEADLINES_READ
    assert built.until == last + 60 and built.rows[-1].reading.key() == (96, 305, last, "p95")
    assert built.row_at(built.until) is None
    # Past its end the prompt rebuilds from that moment, right again.
    later = current(built.until)
    assert later.rows[0].start == built.until
    assert later.rows[0].reading.key() == (97, 304, last + 60, "p96")


def test_a_busy_day_with_a_missed_check_in_counts_as_a_full_read_does(
    files: Files, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A check-in missed on Sunday that the next change would close, opening Monday 10:00's
    # among the busy day's deadlines: the day's counts must move with it, so the rebuild
    # reads all the deadlines, and its rows are those of a read without a limit.
    seed(files.db, [(MONDAY + timedelta(minutes=1 + i), f"p{i}", "open") for i in range(400)])
    sunday = int((MONDAY - timedelta(days=1, hours=1, minutes=30)).timestamp())  # Sunday 08:00
    added = pk_run("add", "Update on the outage", "--to", "Eva", "--every", "day 10:00", now=sunday)
    assert added.returncode == 0, added.stderr
    place = schedule_file.Place()
    built = prompt.rebuild(place, MONDAY_EPOCH, None)
    monkeypatch.setattr(plan, "DEADLINES_READ", 10_000)
    assert [(row.start, row.reading.key()) for row in built.rows] == [
        (row.start, row.reading.key()) for row in prompt.rebuild(place, MONDAY_EPOCH, None).rows]
    # Sunday's check-in is no longer counted overdue; Monday's is due today with the 400.
    assert built.rows[0].reading.key()[:2] == (0, 401)


def test_a_countdown_gets_a_row_per_tick_and_a_shorter_schedule(files: Files) -> None:
    files.config.write_text('[prompt]\nformat = "{today} in {next_in}"\n')
    seed(files.db, [(MONDAY + timedelta(hours=3), "Eva", "open"),
                    (MONDAY + timedelta(hours=4, minutes=30), "Bo", "open")])
    built = current(MONDAY_EPOCH)
    texts = [row.text for row in built.rows]
    assert texts[:5] == ["2 in 3h", "2 in 2h", "2 in 1h", "2 in 59m", "2 in 58m"]
    assert texts[62:66] == ["2 in 0m", "1 in 1h", "1 in 59m", "1 in 58m"]
    assert len(built.rows) == plan.MAX_ROWS and built.until < MONDAY_EPOCH + 6 * 3600
    for row in built.rows:  # each row reads the same from its start to its end
        for moment in (row.start, row.until - 1):
            reading = segment.render(row.reading, now=moment, template="{today} in {next_in}",
                                     ascii=False)
            assert reading == row.text

# -- after a change ----------------------------------------------------------------------------


def _add(now: datetime, due: datetime, who: str) -> None:
    with Context(now=now).change(create=True) as tx:  # as pk add makes it: the schedule follows
        ledger.add(tx, now=now, draft=ledger.Draft(what="call back", who=who), due=due, due_tz=None)


def test_every_change_rewrites_the_schedule(files: Files) -> None:
    # conftest fixes the clock at MONDAY; the new promise is due in 20 minutes.
    _add(MONDAY, MONDAY + timedelta(minutes=20), "Eva")
    place = schedule_file.Place()
    first = schedule_file.read_found(place.schedule_file)
    assert first is not None and first.schedule.start == MONDAY_EPOCH
    readings = [row.reading.key() for row in first.schedule.rows]
    assert readings == [(0, 1, MONDAY_EPOCH + 1200, "Eva"), (1, 0, None, "")]
    assert schedule_file.fresh(place, first, now=MONDAY_EPOCH)
    _add(MONDAY, MONDAY + timedelta(hours=2), "Bo")
    second = schedule_file.read_found(place.schedule_file)
    assert second is not None and second.schedule.rows[0].reading.today == 2
    assert schedule_file.fresh(place, second, now=MONDAY_EPOCH + 60)


def test_a_failing_refresh_never_fails_the_change(
    files: Files, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PK_DEBUG")

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(schedule_file, "dumps", broken)
    _add(MONDAY, MONDAY + timedelta(minutes=20), "Eva")
    assert files.db.exists() and not saved_path().exists()
    assert pk_run("prompt", now=MONDAY_EPOCH).stdout == "◷1\n"


def test_changes_inside_tmux_redraw_its_status_line(
    files: Files, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "tmux.log"
    fake = tmp_path / "bin" / "tmux"
    fake.parent.mkdir()
    fake.write_text(f'#!/bin/sh\necho "$@" >> "{log}"\nexit 1\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}{os.pathsep}{os.environ['PATH']}")
    _add(MONDAY, MONDAY + timedelta(minutes=20), "Eva")
    assert not log.exists()  # not inside tmux
    monkeypatch.setenv("TMUX", "/tmp/tmux-1000/default,1234,0")
    _add(MONDAY, MONDAY + timedelta(minutes=30), "Bo")  # tmux failing is ignored
    assert log.read_text() == "refresh-client -S\n"
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    _add(MONDAY, MONDAY + timedelta(minutes=40), "Cy")  # no tmux at all: ignored too
