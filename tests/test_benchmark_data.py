"""The side-by-side benchmark's data: the same promises load into pk and into Taskwarrior.

benchmarks/side_by_side.py compares the two tools only if both hold the same promises;
these tests generate a small set and load it into each, checking what each one counts.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import MONDAY_MORNING

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import measure
import same_data

ANCHOR = datetime.fromisoformat(MONDAY_MORNING)


def test_the_same_seed_and_moment_give_the_same_files(tmp_path):
    first = same_data.generate(50, tmp_path / "a", seed=7, anchor=ANCHOR)
    second = same_data.generate(50, tmp_path / "b", seed=7, anchor=ANCHOR)
    assert first == second
    for name in ("promises.json", "tasks.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    other = same_data.generate(50, tmp_path / "c", seed=8, anchor=ANCHOR)
    assert (tmp_path / "c" / "promises.json").read_bytes() != (tmp_path / "a" / "promises.json").read_bytes()
    assert other.promises == 50


def test_the_data_has_the_shape_the_benchmark_promises(tmp_path):
    summary = same_data.generate(2000, tmp_path, seed=2026, anchor=ANCHOR)
    closed = summary.kept + summary.released
    assert 0.25 < closed / summary.promises < 0.35
    assert 0.28 < summary.overdue / summary.open < 0.39
    assert 2.5 < summary.events / summary.promises < 4
    promises = json.loads((tmp_path / "promises.json").read_text(encoding="utf-8"))["promises"]
    ahead = [datetime.fromisoformat(p["due_at"]) - ANCHOR for p in promises if p["state"] == "open" and not p["overdue"]]
    assert min(ahead) >= timedelta(hours=3)  # so a clock that runs on sees the same promises overdue
    tasks = json.loads((tmp_path / "tasks.json").read_text(encoding="utf-8"))
    assert [task["uuid"] for task in tasks] == [promise["uuid"] for promise in promises]
    assert {task["status"] for task in tasks} == {"pending", "completed", "deleted"}
    assert all("end" in task for task in tasks if task["status"] != "pending")


def test_pk_imports_the_generated_export(pk, tmp_path):
    summary = same_data.generate(60, tmp_path, seed=3, anchor=ANCHOR)
    done = pk("import", str(tmp_path / "promises.json"))
    assert done.exit_code == 0, done.output
    assert "Imported 60 promises" in done.output
    assert len(json.loads(pk("list", "--all", "--json").output)) == 60
    assert len(json.loads(pk("list", "--json").output)) == summary.open
    assert len(json.loads(pk("list", "--overdue", "--json").output)) == summary.overdue
    shown = json.loads(pk("show", f"#{summary.show_number}", "--json").output)
    assert shown["uuid"] == summary.show_uuid
    assert len(shown["events"]) == summary.most_events


@pytest.mark.skipif(shutil.which("task") is None,
                    reason="Taskwarrior (`task`) is not installed; benchmarks/side_by_side.py installs it with apt-get")
def test_taskwarrior_imports_the_generated_tasks(tmp_path):
    # Taskwarrior's clock cannot be fixed: the data is anchored at the current minute, and no
    # open promise falls due in the three hours after it, so "overdue" holds during the test.
    anchor = datetime.now(UTC).replace(second=0, microsecond=0)
    summary = same_data.generate(60, tmp_path, seed=3, anchor=anchor)
    (tmp_path / "taskrc").write_text(f"data.location={tmp_path / 'task'}\nconfirmation=off\nverbose=nothing\n"
                                     "hooks=off\n", encoding="utf-8")
    env = os.environ | {"TASKRC": str(tmp_path / "taskrc"), "TASKDATA": str(tmp_path / "task")}

    def task(*args: str) -> str:
        done = subprocess.run(["task", *args], check=False, env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    task("import", str(tmp_path / "tasks.json"))
    assert task("count") == "60"
    assert task("status:pending", "count") == str(summary.open)
    assert task("+OVERDUE", "count") == str(summary.overdue)


def test_measuring_reports_time_memory_and_failures():
    quiet = measure.Command("python", [sys.executable, "-c", "print('x' * 100_000)"], dict(os.environ))
    sample, other = measure.measure([quiet, quiet], runs=2)
    assert len(sample.times) == len(other.times) == 2 and sample.median > 0 and sample.peak > 1_000_000
    on_terminal = measure.Command("tty", [sys.executable, "-c", "import sys; assert sys.stdout.isatty()"],
                                  dict(os.environ), terminal=True)
    assert measure.run_once(on_terminal)[0] > 0
    failing = measure.Command("failing", [sys.executable, "-c", "raise SystemExit('broken on purpose')"],
                              dict(os.environ))
    with pytest.raises(measure.CommandFailed, match="exited with 1: broken on purpose"):
        measure.run_once(failing)
