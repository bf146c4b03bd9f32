"""What a technician runs every minute reads through indexes, never a whole table: the
agenda, `pk show`, the prompt's rebuild and a TAB cost the same at a million promises as at
a hundred thousand (benchmarks/growth.py measures it; this checks SQLite's plans)."""

from __future__ import annotations

import json
import re
import sqlite3
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from promisekeeper.db import read_completion, read_journal, read_promises, read_schedule
from promisekeeper.db.reader import Reader
from promisekeeper.views.render import SCREENFUL
from promisekeeper.windows import Windows

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=ZoneInfo("Europe/Stockholm"))
# A full scan of a table (a SCAN of a subquery's few rows, or of a CTE's, is not one).
FULL_SCAN = re.compile(r"\bSCAN (p|e|t|promise|event|promise_tag)\b(?! USING (COVERING )?INDEX ix_promise_open_due)")


@pytest.fixture
def traced(pk, files, tmp_path):
    records = [{"uuid": str(uuid.UUID(int=n + 1)), "what": f"promise {n}", "who": f"Customer {n % 50}",
                "tags": ["vpn"], "due_at": f"2026-11-{10 + n % 20}T10:00:00+00:00",
                "created_at": "2026-11-01T09:00:00+00:00"} for n in range(300)]
    path = tmp_path / "in.json"
    path.write_text(json.dumps(records))
    assert pk("import", str(path)).exit_code == 0
    connection = sqlite3.connect(files.db)
    statements: list[str] = []
    connection.set_trace_callback(statements.append)
    yield Reader(connection, "sqlite"), statements
    connection.close()


def full_scans(reader: Reader, statements: list[str]) -> list[str]:
    found = []
    for statement in statements:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            plan = [row[-1] for row in reader.connection.execute(f"EXPLAIN QUERY PLAN {statement}")]
            found += [f"{step}  <-  {statement}" for step in plan if FULL_SCAN.search(step)]
    return found


def test_the_agenda_and_show_use_indexes(traced):
    reader, statements = traced
    plan = read_promises.agenda(reader, at=Windows.at(NOW, NOW.tzinfo), section=SCREENFUL)
    read_journal.attempts(reader, [p.id for p in plan.shown])
    promise = read_promises.find(reader, "150")
    read_journal.events(reader, promise_id=promise.id)
    owners = read_promises.owners(reader)  # whose promises the agenda shows
    assert len(plan.overdue) == SCREENFUL and plan.more_overdue > 0
    assert full_scans(reader, statements) == []
    assert set(owners) == {row[0] for row in reader.connection.execute("SELECT DISTINCT owner FROM promise")}


def test_the_prompts_rebuild_uses_indexes(traced):
    reader, statements = traced
    now = int(NOW.timestamp())
    read_schedule.read_reader(reader, now=now, end=now + 86400, owner=None)
    read_schedule.read_reader(reader, now=now, end=now + 86400, owner="someone")
    # A busy day: the first few deadlines, and the day's counts from the database.
    busy = read_schedule.read_reader(reader, now=now, end=now + 86400, owner=None, limit=3,
                                     day_ends=[now + 52200, now + 138600])
    assert busy.due_by is not None and len(busy.upcoming) == 3
    assert full_scans(reader, statements) == []


def test_a_tab_uses_indexes(traced):
    reader, statements = traced
    assert read_completion.numbers(reader, prefix="1", states=("open",))
    assert read_completion.words(reader, field="who", prefix="cust")
    assert read_completion.tags(reader, prefix="v") == ["vpn"]
    assert full_scans(reader, statements) == []


def test_the_series_questions_start_from_the_live_series(traced):
    # Asked on every change and every rebuild of the prompt: led by the promises, they would
    # walk every overdue one to find the few check-ins among them.
    from promisekeeper.series import catchup, projected

    reader, _statements = traced
    for sql in (catchup._ANY_OVERDUE, projected._OVERDUE, *read_schedule.series_statements("")):
        plan = [row[-1] for row in reader.connection.execute(f"EXPLAIN QUERY PLAN {sql}", {"now": int(NOW.timestamp())})]
        assert plan[0].startswith(("SCAN s", "SEARCH s")) and "ux_promise_series_open" in plan[1], plan
