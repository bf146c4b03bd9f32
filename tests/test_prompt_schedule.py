"""The prompt schedule: its file, when it is stale, and how it is kept up to date."""

from __future__ import annotations

import os
import stat
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import Files
from hypothesis import example, given, settings
from hypothesis import strategies as st
from test_prompt_helpers import MONDAY, MONDAY_EPOCH, monday_promises, pk_run, seed

from promisekeeper import ledger, paths, prompt
from promisekeeper import schedule as plan
from promisekeeper.cli.context import Context

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


def schedule_file() -> Path:
    return Path(plan.path_for(paths.database_target()))


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


def test_file_format_round_trip(monday_db: Path) -> None:
    built = current(MONDAY_EPOCH)
    text = schedule_file().read_text()
    assert text == plan.dumps(built)
    lines = text.split("\n")
    assert lines[:5] == [
        "pk-schedule 1",
        f"{MONDAY_EPOCH} {MONDAY_EPOCH + 48 * 3600} 0 0 -1",
        "set:Europe/Stockholm",
        str(monday_db),
        "",
    ]
    # 09:30 ⚑2 ◷3 next 11:00 O'Brien; 11:00:01 ⚑3 ◷2 next 16:45 Bo; ...
    assert lines[5] == f"{MONDAY_EPOCH} 2 3 {MONDAY_EPOCH + 5400} O'Brien $HOME `x` %n #S"
    assert lines[6] == f"{MONDAY_EPOCH + 5401} 3 2 {MONDAY_EPOCH + 5400 + 20700} Bo[31m Lind"
    reread = plan.loads(text)
    assert reread is not None and plan.dumps(reread) == text
    for broken in (
        "",
        text.replace("pk-schedule 1", "pk-schedule 9"),
        text[:-1],
        text.replace(" 2 3 ", " x 3 "),
    ):
        assert plan.loads(broken) is None


def test_file_is_private_and_written_atomically(monday_db: Path) -> None:
    current(MONDAY_EPOCH)
    path = schedule_file()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary left behind


def test_mtime_is_the_newest_input_seen_before_reading(files: Files, monday_db: Path) -> None:
    files.config.write_text("[prompt]\nascii = false\n")
    current(MONDAY_EPOCH)
    newest = max(monday_db.stat().st_mtime_ns, files.config.stat().st_mtime_ns)
    assert schedule_file().stat().st_mtime_ns == newest


def test_a_fresh_schedule_is_used_as_it_is(monday_db: Path) -> None:
    first = current(MONDAY_EPOCH)
    path = schedule_file()
    text = path.read_text().replace(f"{MONDAY_EPOCH} 2 3 ", f"{MONDAY_EPOCH} 7 3 ")
    mtime = path.stat().st_mtime_ns
    path.write_text(text)
    os.utime(path, ns=(mtime, mtime))
    assert current(MONDAY_EPOCH + 60).row_at(MONDAY_EPOCH + 60).overdue == 7  # no database read
    assert first.rows[0].overdue == 2


@pytest.mark.parametrize(
    "change", ["database", "wal", "config", "zone", "past-horizon", "before-start", "target"]
)
def test_stale_schedules_are_rebuilt(
    files: Files, monday_db: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    current(MONDAY_EPOCH)
    path = schedule_file()
    poisoned = path.read_text().replace(f"{MONDAY_EPOCH} 2 3 ", f"{MONDAY_EPOCH} 7 3 ")
    mtime = path.stat().st_mtime_ns
    path.write_text(poisoned)
    os.utime(path, ns=(mtime, mtime))
    moment = MONDAY_EPOCH + 60
    later = mtime + 1_000_000
    if change == "database":
        os.utime(monday_db, ns=(later, later))
    elif change == "wal":
        wal = Path(str(monday_db) + "-wal")
        wal.write_bytes(b"")
        os.utime(wal, ns=(later, later))
    elif change == "config":
        files.config.write_text("[prompt]\nascii = false\n")
    elif change == "zone":
        monkeypatch.setenv("TZ", "Asia/Tokyo")
    elif change == "past-horizon":
        moment = MONDAY_EPOCH + 48 * 3600
    elif change == "before-start":
        moment = MONDAY_EPOCH - 1
    elif change == "target":
        text = path.read_text().replace(str(monday_db), str(monday_db) + "x")
        path.write_text(text)
        os.utime(path, ns=(mtime, mtime))
    assert current(moment).row_at(moment).overdue != 7


def test_horizon_and_row_limit(files: Files) -> None:
    # Far more deadlines in the next two days than a prompt should read through.
    seed(files.db, [(MONDAY + timedelta(minutes=10 * i + 1), f"p{i}", "open") for i in range(300)])
    built = current(MONDAY_EPOCH)
    assert len(built.rows) == plan.MAX_ROWS
    assert built.until == built.rows[-1].start + 600  # ends where the next row would start
    assert built.row_at(built.until) is None


# -- after a change ----------------------------------------------------------------------------


def _add(now: datetime, due: datetime, who: str) -> None:
    with Context(now=now).change() as tx:  # as a command makes it: the schedule follows
        ledger.add(tx, now=now, draft=ledger.Draft(what="call back", who=who), due=due, due_tz=None)


def test_every_change_rewrites_the_schedule(files: Files) -> None:
    # conftest fixes the clock at MONDAY; the new promise is due in 20 minutes.
    _add(MONDAY, MONDAY + timedelta(minutes=20), "Eva")
    path = schedule_file()
    first = plan.read_file(str(path))
    assert first is not None and first.start == MONDAY_EPOCH
    assert [(r.overdue, r.today, r.who) for r in first.rows] == [(0, 1, "Eva"), (1, 0, "")]
    assert prompt.Place().fresh(first, MONDAY_EPOCH)
    _add(MONDAY, MONDAY + timedelta(hours=2), "Bo")
    second = plan.read_file(str(path))
    assert second is not None and second.rows[0].today == 2
    assert prompt.Place().fresh(second, MONDAY_EPOCH + 60)


def test_a_failing_refresh_never_fails_the_change(
    files: Files, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PK_DEBUG")

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(plan, "write", broken)
    _add(MONDAY, MONDAY + timedelta(minutes=20), "Eva")
    assert files.db.exists() and not schedule_file().exists()
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
