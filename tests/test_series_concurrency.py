"""Never two open check-ins of one series and never a lost one, whatever runs at once: real
`pk` processes keep, remind and catch up the same series together, on both engines."""

from __future__ import annotations

import json
import os
import subprocess

from conftest import both_engines, pk_executable

pytestmark = both_engines

PAST_HALFWAY = "2026-11-23T22:30:00+01:00"  # Monday's 10:00 check-in is missed by now
TUESDAY_1005 = "2026-11-24T10:05:00+01:00"


def together(*commands: tuple[str, ...], now: str) -> list[subprocess.CompletedProcess[str]]:
    """Start every command at once as its own `pk` process; wait for all of them."""
    environment = dict(os.environ, PROMISEKEEPER_NOW=now)
    environment.pop("PK_DEBUG", None)
    started = [subprocess.Popen([pk_executable(), *args], env=environment, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for args in commands]
    finished = []
    for process in started:
        out, err = process.communicate(timeout=120)
        finished.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return finished


def check_ins(pk, now: str) -> list[tuple[str, str]]:
    result = pk("list", "--all", "--json", now=now)
    assert result.exit_code == 0, result.output
    return [(p["due_local"][:16], p["state"]) for p in json.loads(result.stdout)]


def test_two_reminders_and_two_dones_at_once_close_the_missed_one_once_and_open_one(pk):
    assert pk("add", "Update", "--every", "weekday 10:00").exit_code == 0
    runs = together(("remind",), ("remind",), ("done", "1"), ("done", "1"), now=PAST_HALFWAY)
    assert all(run.returncode in (0, 2) for run in runs), [run.stderr for run in runs]
    assert not any("Traceback" in run.stderr for run in runs)
    assert check_ins(pk, PAST_HALFWAY) == [("2026-11-23T10:00", "released"), ("2026-11-24T10:00", "open")]


def test_two_technicians_keeping_the_same_check_in_at_once_open_the_next_once(pk):
    assert pk("add", "Update", "--every", "weekday 10:00", "--due", "tomorrow 10:00").exit_code == 0
    runs = together(("done", "1"), ("done", "1"), ("remind",), now=TUESDAY_1005)
    assert sorted(run.returncode for run in runs) == [0, 0, 2], [run.stderr for run in runs]
    assert check_ins(pk, TUESDAY_1005) == [("2026-11-24T10:00", "kept"), ("2026-11-25T10:00", "open")]
