"""A reminder is recorded only once it is out: a failed print leaves it for the next run.

And runs that overlap take turns on the write lock, so only one of them says it.
"""

from __future__ import annotations

import json
import os
import subprocess
from datetime import datetime, timedelta

import pytest

from conftest import both_engines, pk_executable
from promisekeeper import remind
from promisekeeper.clock import local_zone
from promisekeeper.store import Database
from remind_support import add, at

pytestmark = both_engines  # every test, on SQLite and on PostgreSQL


def reminder_events(pk) -> list[dict]:
    events = json.loads(pk("log", "--json", "--limit", "0").stdout)
    return [event for event in events if event["kind"] == "reminded"]


def plan(now: str) -> remind.Plan:
    return remind.Plan(now=datetime.fromisoformat(now), zone=local_zone(), lead=timedelta(minutes=15))


def test_a_closed_pipe_records_nothing_and_the_next_run_says_it(pk):
    add(pk, "Send VPN config", "2026-11-23 10:00")
    reader, writer = os.pipe()
    os.close(reader)  # the reader is gone before pk writes a byte
    env = dict(os.environ, PROMISEKEEPER_NOW=at("10:30"))
    env.pop("PK_DEBUG")
    try:
        finished = subprocess.run([pk_executable(), "remind"], stdout=writer, stderr=subprocess.PIPE,
                                  env=env, text=True, timeout=60)
    finally:
        os.close(writer)
    assert "Traceback" not in finished.stderr
    assert reminder_events(pk) == []
    again = pk("remind", now=at("10:35"))
    assert "Overdue: #1 Send VPN config" in again.stdout
    assert len(reminder_events(pk)) == 1


def test_a_delivery_that_fails_rolls_back_its_decision(pk):
    add(pk, "Send VPN config", "2026-11-23 10:00")

    def broken(found: list[remind.Reminder]) -> None:
        raise OSError("No space left on device")

    db = Database()
    with pytest.raises(OSError):
        remind.run(db, plan=plan(at("10:30")), deliver=broken)
    delivered: list[list[remind.Reminder]] = []
    remind.run(db, plan=plan(at("10:31")), deliver=delivered.append)
    assert [(r.promise.id, r.stage) for r in delivered[0]] == [(1, "due")]


def test_the_decision_is_made_again_under_the_write_lock(pk, monkeypatch):
    # Another run records the reminder between this run's first look and its write transaction.
    add(pk, "Send VPN config", "2026-11-23 10:00")
    looks: list[int] = []
    other: list[list[remind.Reminder]] = []
    first_look = remind.pending

    def look_then_lose_the_race(session, *, plan):  # type: ignore[no-untyped-def]
        found = first_look(session, plan=plan)
        looks.append(len(found))
        if len(looks) == 1:
            remind.run(Database(), plan=plan, deliver=other.append)
        return found

    monkeypatch.setattr(remind, "pending", look_then_lose_the_race)
    mine: list[list[remind.Reminder]] = []
    assert remind.run(Database(), plan=plan(at("10:30")), deliver=mine.append) == []
    assert mine == [] and len(other) == 1
    assert looks == [1, 1, 1, 0]  # mine, the other's two, mine again under the lock
    assert len(reminder_events(pk)) == 1


def test_simultaneous_runs_say_it_once(pk):
    for minute in range(5):
        add(pk, f"Promise {minute}", f"2026-11-23 10:0{minute}")
    env = dict(os.environ, PROMISEKEEPER_NOW=at("10:30"))
    env.pop("PK_DEBUG")
    runs = [subprocess.Popen([pk_executable(), "remind", "--json"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=env, text=True) for _ in range(4)]
    outputs = [run.communicate(timeout=60) for run in runs]
    assert all(stderr == "" for _, stderr in outputs)
    said = [(item["id"], item["stage"]) for stdout, _ in outputs for item in json.loads(stdout)]
    assert sorted(said) == [(n, "due") for n in range(1, 6)]
    assert len(reminder_events(pk)) == 5
