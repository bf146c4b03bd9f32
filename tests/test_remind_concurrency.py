"""`pk remind` beside busy writers: real processes on one database for a bounded time.

Three writers add, keep, reschedule, release and annotate promises while two reminder
loops run, all calling the CLI in-process in their own (spawned) process. A shared
simulated clock, passed to every call through PROMISEKEEPER_NOW, runs at four minutes
a second, so deadlines come and pass during the test. Afterwards every write is there,
every reminder was said exactly once and is in the journal, and nobody saw an error.
"""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import random
import sqlite3
import sys
import time
import traceback
from collections import Counter
from contextlib import redirect_stderr, redirect_stdout
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

DURATION_S = 15.0
# A loaded machine does less in 15 s: each writer goes on until it has made this many
# changes (within HARD_LIMIT_S), so the test never passes for want of anything happening.
MIN_STEPS = 15
HARD_LIMIT_S = 120.0
SPEED = 240.0  # simulated seconds per real second
START = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/Stockholm"))
WRITERS = 3
REMINDERS = 2


def simulated_now(t0: float) -> datetime:
    return (START + timedelta(seconds=(time.time() - t0) * SPEED)).replace(microsecond=0)


def call(args: list[str], now: datetime) -> tuple[int, str, str]:
    """Run `pk ARGS` in this process at the simulated moment; exit code, stdout, stderr."""
    from promisekeeper.cli import main as cli

    os.environ["PROMISEKEEPER_NOW"] = now.isoformat()
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = cli.run(args)
        except Exception:  # reported, and the test fails on it
            code, _ = 99, err.write(traceback.format_exc())
    return code, out.getvalue(), err.getvalue()


def wall(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M}"


def _capture_low_level_stderr(path: Path) -> None:
    # Anything written straight to fd 2 (warnings, "Exception ignored…") must show up too.
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(handle, 2)
    os.close(handle)


class Writer:
    """One technician at the keyboard, acting on their own promises."""

    def __init__(self, seed: int, t0: float) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.t0 = t0
        self.due: dict[int, datetime] = {}  # open promises and their deadlines
        self.states: dict[int, str] = {}
        self.kinds: Counter[str] = Counter()
        self.errors: list[str] = []
        self.label = ""  # who is speaking, in front of an error

    def step(self) -> None:
        now = simulated_now(self.t0)
        roll = self.rng.random()
        if roll < 0.45 or not self.due:
            self.add(now)
        elif roll < 0.65:
            self.close(now, "done", [], "kept")
        elif roll < 0.85:
            self.reschedule(now)
        elif roll < 0.93:
            self.close(now, "cancel", ["--reason", "no longer needed"], "released")
        else:
            self.act(now, ["note", str(self.pick()), "customer called back"], "noted")

    def add(self, now: datetime) -> None:
        due = now + timedelta(minutes=self.rng.randint(2, 30))
        out = self.act(now, ["add", f"writer {self.seed} promise", "--due", wall(due), "--json"], "created")
        if out:
            promise = json.loads(out)
            self.due[promise["id"]] = datetime.fromisoformat(promise["due_at"])
            self.states[promise["id"]] = "open"

    def close(self, now: datetime, command: str, extra: list[str], state: str) -> None:
        ident = self.pick()
        if self.act(now, [command, str(ident), *extra], state) is not None:
            del self.due[ident]
            self.states[ident] = state

    def reschedule(self, now: datetime) -> None:
        ident = self.pick()
        due = (now + timedelta(minutes=self.rng.randint(5, 30))).replace(second=0)
        if due == self.due[ident]:
            due += timedelta(minutes=1)
        if self.act(now, ["reschedule", str(ident), wall(due), "--reason", "vendor"], "rescheduled") is not None:
            self.due[ident] = due

    def pick(self) -> int:
        return self.rng.choice(sorted(self.due))

    def act(self, now: datetime, args: list[str], kind: str | None) -> str | None:
        """Run one command; count it under `kind` (None: a read, not counted)."""
        code, out, err = call(args, now)
        if code != 0 or err:
            self.errors.append(f"{self.label}{args} at {now}: exit {code}: {err.strip()}")
            return None
        if kind is not None:
            self.kinds[kind] += 1
        return out


def write_loop(seed: int, t0: float, until: float, result: str) -> None:
    _capture_low_level_stderr(Path(result + ".stderr"))
    writer = Writer(seed, t0)
    steps = 0
    while (time.time() < until or steps < MIN_STEPS) and time.time() < t0 + HARD_LIMIT_S:
        writer.step()
        steps += 1
    report = {"states": writer.states, "kinds": writer.kinds, "errors": writer.errors}
    Path(result).write_text(json.dumps(report))


def remind_loop(t0: float, until: float, result: str, writers: list[str]) -> None:
    _capture_low_level_stderr(Path(result + ".stderr"))
    said: list[list[Any]] = []
    errors: list[str] = []
    runs = 0
    while time.time() < until or not all(Path(path).exists() for path in writers):
        now = simulated_now(t0)
        code, out, err = call(["remind", "--json"], now)
        runs += 1
        if code != 0 or err:
            errors.append(f"remind at {now}: exit {code}: {err.strip()}")
            continue
        said += [[item["id"], item["stage"], item["due_at"]] for item in json.loads(out)]
        time.sleep(0.01)
    Path(result).write_text(json.dumps({"said": said, "errors": errors, "runs": runs}))


def journal(db: Path) -> tuple[dict[int, str], list[tuple[int, str, dict]]]:
    with sqlite3.connect(db) as conn:
        states = dict(conn.execute("SELECT id, state FROM promise").fetchall())
        events = [(pid, kind, json.loads(data)) for pid, kind, data in
                  conn.execute("SELECT promise_id, kind, data FROM event ORDER BY id")]
    return states, events


def test_remind_beside_writers_loses_nothing_and_repeats_nothing(files, tmp_path, pk):
    assert pk("db", "init").exit_code == 0  # the database exists before the crowd arrives (remind makes none)
    context = multiprocessing.get_context("spawn")
    t0 = time.time()
    until = t0 + DURATION_S
    results = [tmp_path / f"writer-{n}.json" for n in range(WRITERS)]
    heard = [tmp_path / f"remind-{n}.json" for n in range(REMINDERS)]
    workers = [context.Process(target=write_loop, args=(n, t0, until, str(path))) for n, path in enumerate(results)]
    done = [str(path) for path in results]
    workers += [context.Process(target=remind_loop, args=(t0, until, str(path), done)) for path in heard]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=HARD_LIMIT_S + 60)
        assert worker.exitcode == 0, f"a worker died ({worker.exitcode})"

    writers = [json.loads(path.read_text()) for path in results]
    reminders = [json.loads(path.read_text()) for path in heard]
    stderr = {path.name: Path(f"{path}.stderr").read_text() for path in results + heard}
    errors = [e for report in writers + reminders for e in report["errors"]]
    assert errors == [] and all(text == "" for text in stderr.values()), (errors[:5], stderr)
    assert not any("locked" in text for text in errors + list(stderr.values()))

    # A last run at the end of the simulated hour: whatever became due meanwhile is said now.
    end = simulated_now(t0) + timedelta(minutes=1)
    code, out, err = call(["remind", "--json"], end)
    assert (code, err) == (0, "")
    final = [[item["id"], item["stage"], item["due_at"]] for item in json.loads(out)]

    states, events = journal(files.db)
    _every_write_is_present(writers, states, events)
    said = [tuple(item) for report in reminders for item in report["said"]] + [tuple(item) for item in final]
    _every_reminder_said_once_and_recorded(said, events)
    _nothing_due_went_unreminded(states, events, end)
    stages = Counter(stage for _, stage, _ in said)
    assert stages["due"] >= 10 and stages["upcoming"] >= 10, f"too little happened: {stages}"
    assert sum(report["runs"] for report in reminders) >= 20


def _every_write_is_present(writers: list[dict], states: dict[int, str], events: list[tuple[int, str, dict]]) -> None:
    expected_states = {int(ident): state for report in writers for ident, state in report["states"].items()}
    assert states == expected_states
    written = sum((Counter(report["kinds"]) for report in writers), Counter())
    recorded = Counter(kind for _, kind, _ in events if kind != "reminded")
    assert recorded == written
    print(f"\n{sum(written.values())} writes: {dict(written)}", file=sys.stderr)


def _every_reminder_said_once_and_recorded(said: list[tuple], events: list[tuple[int, str, dict]]) -> None:
    counted = Counter(said)
    assert [item for item, count in counted.items() if count > 1] == []
    recorded = Counter((pid, data["stage"], data["due_at"]) for pid, kind, data in events if kind == "reminded")
    assert counted == recorded
    print(f"{len(said)} reminders: {dict(Counter(stage for _, stage, _ in said))}", file=sys.stderr)


def _nothing_due_went_unreminded(states: dict[int, str], events: list[tuple[int, str, dict]], end: datetime) -> None:
    current_due: dict[int, str] = {}
    for pid, kind, data in events:
        if kind == "created":
            current_due[pid] = data["due_at"]
        elif kind == "rescheduled":
            current_due[pid] = data["to"]
    reminded = {(pid, data["due_at"]) for pid, kind, data in events if kind == "reminded" and data["stage"] == "due"}
    lapsed = [pid for pid, state in states.items()
              if state == "open" and datetime.fromisoformat(current_due[pid]) <= end]
    assert [pid for pid in lapsed if (pid, current_due[pid]) not in reminded] == []
