"""The fast path and the ledger's own queries can never drift apart.

Random promises (deadlines around now, random states, awkward names) and random clocks
within the schedule's horizon, in zones with and without DST quirks: the schedule's row
for a moment, and a schedule rebuilt at that moment (the sqlite3 fallback), must say
what `read_promises.agenda` says: how many are overdue, how many due later today, and the
next deadline and who it is for.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from conftest import Files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_prompt_helpers import MONDAY_EPOCH, seed

from promisekeeper.db import read_promises
from promisekeeper.db.database import Database
from promisekeeper.shell import prompt, schedule_file
from promisekeeper.shell import schedule as plan
from promisekeeper.windows import Windows

ZONES = ["Europe/Stockholm", "America/Santiago", "Australia/Lord_Howe", "Asia/Kolkata"]
# A base moment near a DST change in each hemisphere's spring or autumn makes the
# random data cross one often: 2026-10-24, the day before Europe's clocks go back.
BASES = [MONDAY_EPOCH, 1792800000, 1775290000]

names = st.one_of(
    st.none(), st.sampled_from(["Eva", "Bo Lind", " padded ", "a\tb\nc", "{today}", "%#`$\x1b"])
)
promise = st.tuples(
    # Due: seconds from the base, or (as a string) a second near a coming local midnight.
    st.one_of(
        st.integers(min_value=-3 * 86400, max_value=4 * 86400),
        st.sampled_from(["0:-1", "0:0", "1:0", "1:-1", "2:0"]),
    ),
    st.sampled_from([0, 0, 0, 250_000, 999_999]),  # microseconds
    names,
    st.sampled_from(["open", "open", "open", "kept", "released"]),
)


def local_midnights(base: int, zone: str) -> list[int]:
    """The next four local midnights after `base`, by zoneinfo (as the agenda computes them)."""
    day = datetime.fromtimestamp(base, ZoneInfo(zone)).date()
    return [
        int(
            datetime.combine(
                day + timedelta(days=n), datetime.min.time(), ZoneInfo(zone)
            ).timestamp()
        )
        for n in range(1, 5)
    ]


def due_offset(due: int | str, base: int, midnights: list[int]) -> int:
    if isinstance(due, int):
        return due
    index, delta = (int(part) for part in due.split(":"))
    return midnights[index] + delta - base


def agenda_reading(database: Database, moment: int, zone: str) -> tuple[int, int, int | None, str]:
    with database.reading() as reader:
        found = read_promises.agenda(
            reader, at=Windows.at(datetime.fromtimestamp(moment, UTC), ZoneInfo(zone)), upcoming=1
        )
    ahead = found.today + found.upcoming
    if not ahead:
        return len(found.overdue), len(found.today), None, ""
    first = ahead[0]
    return (
        len(found.overdue),
        len(found.today),
        int(first.due_at.timestamp() // 1),
        plan.display_who(first.who),
    )


def row_reading(row: plan.Row | None) -> tuple[int, int, int | None, str]:
    assert row is not None
    return row.reading.key()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    zone=st.sampled_from(ZONES),
    base=st.sampled_from(BASES),
    promises=st.lists(promise, max_size=25),
    clocks=st.lists(st.integers(min_value=0, max_value=48 * 3600 - 1), min_size=1, max_size=4),
    # Moments right at the edges, where off-by-one mistakes live: a second either side
    # of a deadline, and of a local midnight.
    deadline_edges=st.lists(
        st.tuples(st.integers(min_value=0, max_value=24), st.sampled_from([-1, 0, 1, 2])),
        max_size=4,
    ),
    midnight_edges=st.lists(
        st.tuples(st.integers(min_value=0, max_value=1), st.sampled_from([-1, 0, 1])), max_size=2
    ),
    # How many deadlines a rebuild reads: as pk does, or so few that the day's counts come
    # from the database and the schedule ends early.
    deadlines_read=st.sampled_from([plan.DEADLINES_READ, 1, 2, 5]),
)
def test_schedule_and_fallback_agree_with_the_agenda(
    files: Files,
    zone: str,
    base: int,
    promises: list[tuple[int | str, int, str | None, str]],
    clocks: list[int],
    deadline_edges: list[tuple[int, int]],
    midnight_edges: list[tuple[int, int]],
    deadlines_read: int,
) -> None:
    work = Path(tempfile.mkdtemp(dir=files.root))
    saved = {
        name: os.environ.get(name) for name in ("TZ", "PROMISEKEEPER_DB", "PROMISEKEEPER_STATE")
    }
    os.environ.update(
        TZ=zone, PROMISEKEEPER_DB=str(work / "p.db"), PROMISEKEEPER_STATE=str(work / "state")
    )
    time.tzset()
    as_pk_reads, plan.DEADLINES_READ = plan.DEADLINES_READ, deadlines_read
    try:
        midnights = local_midnights(base, zone)
        offsets = [due_offset(due, base, midnights) for due, _, _, _ in promises]
        rows = [
            (datetime.fromtimestamp(base + offset, UTC) + timedelta(microseconds=micro), who, state)
            for offset, (_, micro, who, state) in zip(offsets, promises)
        ]
        seed(work / "p.db", rows)
        database = Database(str(work / "p.db")).creating()
        built = prompt.current_schedule(base)  # what a change would have written at `base`
        moments = {base + offset for offset in clocks}
        if offsets:
            moments |= {base + offsets[i % len(offsets)] + delta for i, delta in deadline_edges}
        moments |= {midnights[i] + delta for i, delta in midnight_edges}
        for moment in sorted(m for m in moments if base <= m < base + 48 * 3600):
            expected = agenda_reading(database, moment, zone)
            if moment < built.until:
                assert row_reading(built.row_at(moment)) == expected, ("schedule", moment)
            rebuilt = prompt.rebuild(schedule_file.Place(), moment, None)
            assert row_reading(rebuilt.row_at(moment)) == expected, ("fallback", moment)
            for row in rebuilt.rows[1:]:  # and every later moment that schedule covers
                assert row_reading(row) == agenda_reading(database, row.start, zone), ("rebuilt", row.start)
                assert row_reading(row) == agenda_reading(database, row.until - 1, zone), ("rebuilt", row.until)
        database.close()
    finally:
        plan.DEADLINES_READ = as_pk_reads
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        time.tzset()
        shutil.rmtree(work, ignore_errors=True)
