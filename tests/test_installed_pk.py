"""The installed `pk` as a subprocess: entry points, exit codes, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC

import pytest
from conftest import db_content, pk_executable


def test_the_three_ways_to_start_agree(files):
    env = dict(os.environ)
    outputs = set()
    for command in ([pk_executable()], [os.path.join(os.path.dirname(pk_executable()), "promisekeeper")],
                    [sys.executable, "-m", "promisekeeper"]):
        done = subprocess.run([*command, "--version"], env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        outputs.add(done.stdout)
    assert len(outputs) == 1 and outputs.pop().startswith("promisekeeper ")


def test_a_day_at_the_desk(pk_process, files):
    added = pk_process("add", "Send VPN config", "--to", "Eva Spacek", "--via", "email", "--ref", "INC-4821",
                       "--due", "tomorrow 10am")
    assert added.returncode == 0, added.stderr
    assert added.stdout.count("\n") == 1
    assert "Tue 24 Nov 10:00" in added.stdout
    assert pk_process("add", "Call Bob", "--due", "11:00").returncode == 0
    listing = json.loads(pk_process("list", "--json").stdout)
    assert [p["what"] for p in listing] == ["Call Bob", "Send VPN config"]
    late = pk_process("done", "2", now="2026-11-23T11:20:00+01:00")
    assert late.returncode == 0 and "19m late" in late.stdout  # from the end of 11:00's minute
    agenda = pk_process()
    assert agenda.returncode == 0 and "Send VPN config" in agenda.stdout
    assert "\x1b" not in agenda.stdout  # piped: plain text


def test_bad_input_is_exit_2_one_line_no_traceback(pk_process, files):
    pk_process("add", "x", "--due", "in 2h")
    before = db_content(files.db)
    cases = [
        ["add", "x", "--due", "2026-02-30"],
        ["add", "x", "--due", "25:00"],
        ["add"],
        ["reschedule", "1", "fri"],
        ["list", "--bogus"],
        ["frobnicate"],
    ]
    for args in cases:
        done = pk_process(*args)
        assert done.returncode == 2, (args, done.stderr)
        assert "Traceback" not in done.stderr
        assert done.stderr.startswith("pk: "), (args, done.stderr)
        assert len(done.stderr.strip().splitlines()) <= 2, (args, done.stderr)
    assert db_content(files.db) == before


def test_missing_id_is_exit_1(pk_process, files):
    assert pk_process("db", "init").returncode == 0
    done = pk_process("done", "42")
    assert done.returncode == 1 and "no promise #42" in done.stderr and "Traceback" not in done.stderr


def test_bad_clock_is_refused_clearly(pk_process, files):
    done = pk_process("list", env={"PROMISEKEEPER_NOW": "yesterday-ish"})
    assert done.returncode == 2 and "PROMISEKEEPER_NOW" in done.stderr


def test_locked_database_never_tracebacks(pk_process, files):
    import sqlite3

    pk_process("add", "x", "--due", "in 2h")
    holder = sqlite3.connect(files.db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        done = pk_process("done", "1", env={"PROMISEKEEPER_BUSY_TIMEOUT": "0.3"})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert done.returncode == 1 and "locked" in done.stderr and "Traceback" not in done.stderr


def test_output_into_a_closed_pipe_is_quiet(files):
    from datetime import datetime, timedelta

    from promisekeeper import ledger
    from promisekeeper.db.database import Database

    now = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)
    with Database().creating().change() as tx:  # more output than a pipe buffer holds
        for number in range(2000):
            draft = ledger.Draft(what=f"promise number {number} with some words", who="Somebody")
            ledger.add(tx, now=now, draft=draft, due=now + timedelta(hours=2), due_tz=None)
    env = dict(os.environ)
    shell = f"'{pk_executable()}' list | head -n 1"
    done = subprocess.run(["bash", "-c", shell], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "Traceback" not in done.stderr and "Error" not in done.stderr


def test_a_locale_that_cannot_show_a_name_does_not_break_output(pk_process, files):
    pk_process("add", "Ring Åsa", "--to", "Åsa Ölund", "--due", "in 5m")
    for args in (["list"], ["remind"], ["prompt"], []):
        done = pk_process(*args, env={"PYTHONIOENCODING": "ascii", "LC_ALL": "C"})
        assert done.returncode == 0, (args, done.stderr)
        assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert "?sa ?lund" in pk_process("list", env={"PYTHONIOENCODING": "ascii"}).stdout


@pytest.mark.parametrize(
    ("tz", "expected"),
    [("EST+5EDT,M3.2.0,M11.1.0", "Wed 1 Jul 15:00, in 7h"), ("", "Wed 1 Jul 15:00, in 3h")],
)
def test_zones_read_as_the_c_library_reads_tz(pk_process, files, tz, expected):
    done = pk_process("add", "x", "--due", "3pm", env={"TZ": tz, "PROMISEKEEPER_NOW": "2026-07-01T12:00:00Z"})
    assert done.returncode == 0 and expected in done.stdout, done.stdout + done.stderr
    today = pk_process("list", "--today", env={"TZ": tz, "PROMISEKEEPER_NOW": "2026-07-01T12:00:00Z"})
    segment = pk_process("prompt", env={"TZ": tz, "PROMISEKEEPER_NOW": "2026-07-01T12:00:00Z"})
    assert "1 promise" in today.stdout and segment.stdout.strip() in ("◷1", "!0 ~1")
