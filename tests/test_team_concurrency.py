"""A team on one database, all at once: two technicians and everyone's reminders in real
processes, on SQLite and on PostgreSQL.

Ann and Bo add, keep, move and annotate their own promises and hand some to each other
(each picks up what was handed to them from `pk list`); meanwhile Ann's and Bo's own
`pk remind` run in a loop, and the lead's morning digest (`pk remind --team --digest`) runs
from two processes at once, as from two cron tables. Every call goes through the CLI
in-process in its own (spawned) process, at a shared simulated clock (four minutes a second).
Afterwards every write is there, each reminder was said once to its audience and is in the
journal, nothing due went unsaid, and nobody saw an error: no lock, serialization or
deadlock failure reached anyone.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from conftest import both_engines
from test_remind_concurrency import (
    HARD_LIMIT_S,
    Writer,
    _capture_low_level_stderr,
    call,
    simulated_now,
    wall,
)

from promisekeeper.db.database import Database

pytestmark = both_engines

DURATION_S = 12.0
MIN_STEPS = 20  # each technician makes at least this many changes, however loaded the machine
PEOPLE = ("Ann Lind", "Bo Ek")
DIGESTS = 2


class Technician(Writer):
    """One person at the keyboard, acting on their own promises (and those handed to them);
    rescheduling, picking and running a command as the reminder test's writer does."""

    def __init__(self, me: str, seed: int, t0: float) -> None:
        super().__init__(seed, t0)
        self.me, self.other = me, next(name for name in PEOPLE if name != me)
        self.label = f"{me}: "
        self.closed: dict[int, str] = {}
        self.handed: dict[int, str] = {}

    def step(self) -> None:
        now = simulated_now(self.t0)
        if self.rng.random() < 0.3:
            self.pick_up(now)
        roll = self.rng.random()
        if roll < 0.4 or not self.due:
            self.add(now)
        elif roll < 0.55:
            self.close(now, "done", [], "kept")
        elif roll < 0.7:
            self.reschedule(now)
        elif roll < 0.85:
            self.hand_off(now)
        elif roll < 0.92:
            self.close(now, "cancel", ["--reason", "no longer needed"], "released")
        else:
            self.act(now, ["note", str(self.pick()), "customer called back"], "noted")

    def pick_up(self, now: datetime) -> None:
        """What is mine now, as `pk list` shows me (hand-offs to me included)."""
        out = self.act(now, ["list", "--json"], None)
        if out is not None:
            self.due = {item["id"]: datetime.fromisoformat(item["due_at"]) for item in json.loads(out)}

    def add(self, now: datetime) -> None:
        due = now + timedelta(minutes=self.rng.randint(2, 20))
        out = self.act(now, ["add", f"{self.me}'s promise", "--due", wall(due), "--json"], "created")
        if out:
            promise = json.loads(out)
            self.due[promise["id"]] = datetime.fromisoformat(promise["due_at"])

    def close(self, now: datetime, command: str, extra: list[str], state: str) -> None:
        ident = self.pick()
        if self.act(now, [command, str(ident), *extra], state) is not None:
            del self.due[ident]
            self.closed[ident] = state

    def hand_off(self, now: datetime) -> None:
        ident = self.pick()
        # --new-owner: the other may not have logged a promise yet.
        args = ["handoff", str(ident), "--to-owner", self.other, "--new-owner", "--reason", "end of shift"]
        if self.act(now, args, "handed_off") is not None:
            del self.due[ident]
            self.handed[ident] = self.other


def work_loop(me: str, seed: int, t0: float, until: float, result: str) -> None:
    os.environ["LOGNAME"] = me
    _capture_low_level_stderr(Path(result + ".stderr"))
    person = Technician(me, seed, t0)
    steps = 0
    while (time.time() < until or steps < MIN_STEPS) and time.time() < t0 + HARD_LIMIT_S:
        person.step()
        steps += 1
    report = {"closed": person.closed, "handed": person.handed, "kinds": person.kinds, "errors": person.errors}
    Path(result).write_text(json.dumps(report))


def remind_loop(login: str, args: list[str], t0: float, until: float, result: str, workers: list[str]) -> None:
    """`pk remind ARGS --json` as `login`, again and again until the technicians are done."""
    os.environ["LOGNAME"] = login
    _capture_low_level_stderr(Path(result + ".stderr"))
    said: list[list[Any]] = []
    errors: list[str] = []
    runs = 0
    while time.time() < until or not all(Path(path).exists() for path in workers):
        now = simulated_now(t0)
        code, out, err = call(["remind", *args, "--json"], now)
        runs += 1
        if code != 0 or err:
            errors.append(f"{login} {args} at {now}: exit {code}: {err.strip()}")
            continue
        said += [heard(item, now) for item in json.loads(out)]
        time.sleep(0.01)
    Path(result).write_text(json.dumps({"said": said, "errors": errors, "runs": runs}))


def heard(item: dict[str, Any], now: datetime) -> list[Any]:
    """What a reminder said: to whose owner (as it was then), of which promise, at which
    stage, about which deadline, on which local day."""
    return [item["owner"], item["id"], item["stage"], item["due_at"], now.date().isoformat()]


def test_a_team_and_its_reminders_at_once_lose_nothing_and_repeat_nothing(pk, engine, tmp_path) -> None:
    assert pk("db", "init").exit_code == 0  # the database exists before the crowd (remind makes none)
    context = multiprocessing.get_context("spawn")
    t0 = time.time()
    until = t0 + DURATION_S
    results = [tmp_path / f"work-{n}.json" for n in range(len(PEOPLE))]
    own = [tmp_path / f"own-{n}.json" for n in range(len(PEOPLE))]
    team = [tmp_path / f"team-{n}.json" for n in range(DIGESTS)]
    done = [str(path) for path in results]
    workers = [context.Process(target=work_loop, args=(me, n, t0, until, str(path)))
               for n, (me, path) in enumerate(zip(PEOPLE, results))]
    workers += [context.Process(target=remind_loop, args=(me, [], t0, until, str(path), done))
                for me, path in zip(PEOPLE, own)]
    workers += [context.Process(target=remind_loop, args=("Lars", ["--team", "--digest"], t0, until, str(path), done))
                for path in team]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=HARD_LIMIT_S + 60)
        assert worker.exitcode == 0, f"a worker died ({worker.exitcode})"

    technicians = [json.loads(path.read_text()) for path in results]
    owners_heard = [json.loads(path.read_text()) for path in own]
    lead_heard = [json.loads(path.read_text()) for path in team]
    stderr = {path.name: Path(f"{path}.stderr").read_text() for path in results + own + team}
    errors = [e for report in technicians + owners_heard + lead_heard for e in report["errors"]]
    assert errors == [] and all(text == "" for text in stderr.values()), (errors[:5], stderr)

    # A last round at the end of the simulated hour: whatever became due meanwhile is said now.
    end = simulated_now(t0) + timedelta(minutes=1)
    final_own, final_team = [], []
    for me in PEOPLE:
        final_own += last_round(me, [], end)
    final_team += last_round("Lars", ["--team", "--digest"], end)

    journal = read_journal()
    _every_write_is_there(technicians, journal)
    own_said = [tuple(item) for report in owners_heard for item in report["said"]] + final_own
    team_said = [tuple(item) for report in lead_heard for item in report["said"]] + final_team
    _each_reminder_said_once_to_its_audience(own_said, team_said, journal)
    _nothing_due_went_unsaid(journal, end)
    handed = sum(len(report["handed"]) for report in technicians)
    stages = Counter(stage for _, _, stage, _, _ in own_said)
    print(f"\n{handed} hand-offs, {dict(stages)} own reminders, {len(team_said)} in digests", file=sys.stderr)
    assert handed >= 2 and stages["due"] >= 3 and len(team_said) >= 3, (handed, stages, len(team_said))
    assert sum(report["runs"] for report in owners_heard + lead_heard) >= 20


def last_round(login: str, args: list[str], end: datetime) -> list[tuple[Any, ...]]:
    os.environ["LOGNAME"] = login
    code, out, err = call(["remind", *args, "--json"], end)
    assert (code, err) == (0, "")
    return [tuple(heard(item, end)) for item in json.loads(out)]


class Journal:
    """What the database holds at the end: promises (state, owner, deadline) and events."""

    def __init__(self, promises: dict[int, tuple[str, str, int]], events: list[tuple[Any, ...]]) -> None:
        self.promises = promises
        self.events = events  # (promise, kind, data, owner column, team column, at), in order


def read_journal() -> Journal:
    with Database().reading() as reader:
        promises = {row[0]: (row[1], row[2], row[3]) for row in reader.all("SELECT id, state, owner, due_at FROM promise")}
        events = [(row[0], row[1], json.loads(row[2]), row[3], bool(row[4]), row[5]) for row in
                  reader.all("SELECT promise_id, kind, data, owner, team, at FROM event ORDER BY id")]
    return Journal(promises, events)


def _every_write_is_there(technicians: list[dict], journal: Journal) -> None:
    written = sum((Counter(report["kinds"]) for report in technicians), Counter())
    recorded = Counter(kind for _, kind, _, _, _, _ in journal.events if kind != "reminded")
    assert recorded == written
    for report in technicians:
        for ident, state in report["closed"].items():
            assert journal.promises[int(ident)][0] == state
    owner: dict[int, str] = {}
    for pid, kind, data, _, _, _ in journal.events:
        if kind == "created":
            owner[pid] = data["owner"]
        elif kind == "handed_off":
            assert data["from_owner"] == owner[pid]  # each hand-off saw the one before it
            owner[pid] = data["to_owner"]
    assert owner == {pid: found[1] for pid, found in journal.promises.items()}


def _each_reminder_said_once_to_its_audience(own: list[tuple], team: list[tuple], journal: Journal) -> None:
    said_own = Counter((owner, pid, stage, due) for owner, pid, stage, due, _ in own)
    assert [item for item, count in said_own.items() if count > 1] == []
    said_team = Counter((pid, day) for _, pid, _, _, day in team)
    assert [item for item, count in said_team.items() if count > 1] == []  # two digests, no double
    recorded_own = Counter((owner, pid, data["stage"], data["due_at"])
                           for pid, kind, data, owner, team_column, _ in journal.events
                           if kind == "reminded" and not team_column)
    assert recorded_own == said_own
    recorded_team = Counter((pid, data["day"]) for pid, kind, data, _, team_column, _ in journal.events
                            if kind == "reminded" and team_column)
    assert recorded_team == said_team


def _nothing_due_went_unsaid(journal: Journal, end: datetime) -> None:
    """Every open promise past its deadline was said to be due to its owner as it is now;
    every one overdue or due today is in the lead's digest of the day."""
    told = {(owner, pid, data["due_at"]) for pid, kind, data, owner, team, _ in journal.events
            if kind == "reminded" and not team and data["stage"] == "due"}
    digested = {pid for pid, kind, data, _, team, _ in journal.events if kind == "reminded" and team}
    for pid, (state, owner, due) in journal.promises.items():
        if state != "open" or due > end.timestamp():
            continue
        deadline = datetime.fromtimestamp(due, UTC).isoformat()  # as the journal writes it
        assert (owner, pid, deadline) in told, f"#{pid} of {owner}, due {deadline}, never said"
        assert pid in digested
