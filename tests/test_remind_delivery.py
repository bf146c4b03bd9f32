"""A reminder is printed only once it is recorded: what was printed is always on record,
and a print that fails afterwards says so (the reminder counts as sent).

And runs that overlap take turns on the write lock, so only one of them says it.
"""

from __future__ import annotations

import json
import os
import subprocess
from datetime import datetime, timedelta

import pytest
from conftest import both_engines, pk_executable
from remind_support import add, at

from promisekeeper import remind
from promisekeeper.db.database import Database
from promisekeeper.errors import PKError
from promisekeeper.when.clock import local_zone

pytestmark = both_engines  # every test, on SQLite and on PostgreSQL


def reminder_events(pk) -> list[dict]:
    events = json.loads(pk("log", "--json", "--limit", "0").stdout)
    return [event for event in events if event["kind"] == "reminded"]


def plan(now: str) -> remind.Plan:
    return remind.Plan(now=datetime.fromisoformat(now), zone=local_zone(), lead=timedelta(minutes=15))


def test_a_closed_pipe_after_the_record_says_so_and_is_not_repeated(pk):
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
    assert finished.returncode == 1 and "recorded as sent but could not be printed" in finished.stderr
    assert len(reminder_events(pk)) == 1
    assert pk("remind", now=at("10:35")).stdout == ""


def run(db: Database, **options):  # type: ignore[no-untyped-def]
    return remind.run(db.reading, db.change, **options)


def test_a_reminder_is_printed_only_once_it_is_recorded(pk):
    # Delivery comes after the commit: what was printed is always on record. A delivery
    # that then fails says the reminders were recorded, and they are not said again.
    add(pk, "Send VPN config", "2026-11-23 10:00")
    seen: list[int] = []

    def broken(found: list[remind.Reminder]) -> None:
        seen.append(len(reminder_events(pk)))
        raise OSError(28, "No space left on device")

    db = Database().creating()
    with pytest.raises(PKError, match="recorded as sent but could not be printed: No space left"):
        run(db, plan=plan(at("10:30")), deliver=broken)
    assert seen == [1]
    delivered: list[list[remind.Reminder]] = []
    run(db, plan=plan(at("10:31")), deliver=delivered.append)
    assert delivered == []


def test_the_decision_is_made_again_under_the_write_lock(pk, monkeypatch):
    # Another run records the reminder between this run's first look and its write transaction.
    add(pk, "Send VPN config", "2026-11-23 10:00")
    looks: list[int] = []
    other: list[list[remind.Reminder]] = []
    first_look = remind.pending

    def look_then_lose_the_race(reader, *, plan, **looking):  # type: ignore[no-untyped-def]
        found = first_look(reader, plan=plan, **looking)
        looks.append(len(found))
        if len(looks) == 1:
            run(Database(), plan=plan, deliver=other.append)
        return found

    monkeypatch.setattr(remind, "pending", look_then_lose_the_race)
    mine: list[list[remind.Reminder]] = []
    assert run(Database(), plan=plan(at("10:30")), deliver=mine.append) == []
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
