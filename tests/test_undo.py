"""`pk undo`: every kind of change can be reverted, by appending its compensation.

The journal only grows: each command adds rows and never changes or removes one.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from conftest import Engine, both_engines

from promisekeeper import ledger
from promisekeeper.db import read_promises
from promisekeeper.db.database import Database
from promisekeeper.kinds import Stage

pytestmark = both_engines  # every test on SQLite and on PostgreSQL, unless it says why not

DUE = "2026-11-23 15:00"  # today, 15:00 local; the clock stands at 09:30


def add(pk, what: str = "Send VPN config", *args: str, due: str = DUE) -> int:
    result = pk("add", what, "--to", "Eva", "--due", due, *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["id"]


def ok(pk, *args: str, now: str | None = None):
    result = pk(*args, now=now)
    assert result.exit_code == 0, result.output
    return result


def events(pk, *args: str) -> list[dict]:
    return json.loads(ok(pk, "log", *args, "--limit", "0", "--json").stdout)


def promise_row(engine: Engine, ident: int) -> tuple[object, ...]:
    promises, _ = engine.content()
    return next(row for row in promises if row[0] == ident)


# Each kind of change: how to make it on promise #1 (already added), and its journal kind.
CHANGES: dict[str, Callable[..., None]] = {
    "rescheduled": lambda pk: ok(pk, "reschedule", "1", "tomorrow 10am Europe/Rome", "--reason", "vendor"),
    "kept": lambda pk: ok(pk, "done", "1", "--note", "sent"),
    "released": lambda pk: ok(pk, "cancel", "1", "--reason", "solved"),
    "reopened": lambda pk: ok(pk, "reopen", "1"),
    "edited": lambda pk: ok(pk, "edit", "1", "--to", "Bob", "--via", "phone", "--tag", "vpn", "--what", "Call Bob"),
    "noted": lambda pk: ok(pk, "note", "1", "prefers email"),
    "attempted": lambda pk: ok(pk, "tried", "1", "--note", "voicemail"),
}


@pytest.mark.parametrize("kind", list(CHANGES))
def test_every_kind_of_change_is_undone_to_the_state_before_it(pk, engine, kind: str) -> None:
    add(pk, "Send VPN config", "--tag", "billing")
    if kind == "reopened":
        ok(pk, "done", "1", now="2026-11-23T10:00:00+01:00")
    before = promise_row(engine, 1)
    CHANGES[kind](pk)
    assert events(pk)[-1]["kind"] == kind
    assert promise_row(engine, 1) != before or kind in ("noted", "attempted")

    result = ok(pk, "undo")

    from promisekeeper.views.journal import UNDID

    assert result.stdout.startswith(f"Undid the {UNDID[kind]} ")
    assert promise_row(engine, 1) == before
    journal = events(pk)
    assert journal[-1]["kind"] == "undone"
    assert journal[-1]["undoes"] == journal[-2]["id"]
    assert journal[-2]["kind"] == kind and journal[-2]["undone"] is True


def test_an_undone_attempt_no_longer_counts(pk) -> None:
    add(pk)
    ok(pk, "tried", "1")
    ok(pk, "tried", "1")
    ok(pk, "undo")

    assert json.loads(ok(pk, "show", "1", "--json").stdout)["attempts"] == 1


def test_undoing_an_add_releases_the_promise_and_keeps_its_history(pk, engine) -> None:
    add(pk)

    result = ok(pk, "undo")

    assert "it is now released" in result.stdout
    shown = json.loads(ok(pk, "show", "1", "--json").stdout)
    assert shown["state"] == "released"
    assert [e["kind"] for e in shown["events"]] == ["created", "undone"]
    assert shown["events"][0]["undone"] is True
    assert len(engine.content()[0]) == 1
    assert "undid the add of Mon 23 Nov 09:30: released, its history kept" in ok(pk, "log").stdout
    assert ok(pk, "list").stdout == "No promises match.\n"
    assert "released" in ok(pk, "list", "--all").stdout


def test_an_undone_add_is_left_out_of_the_stats(pk) -> None:
    add(pk, due="2026-11-23 10:00")
    ok(pk, "undo")

    stats = json.loads(ok(pk, "stats", "--json", now="2026-11-23T12:00:00+01:00").stdout)

    assert (stats["broken"], stats["released"]) == (0, 0)


def test_repeated_undo_walks_further_back_across_promises(pk) -> None:
    add(pk, "first")
    add(pk, "second")
    ok(pk, "note", "1", "one")
    ok(pk, "done", "2")
    ok(pk, "reschedule", "1", "tomorrow 10am", "--reason", "vendor")
    original = [e["id"] for e in events(pk)]

    reverted = []
    for _ in range(len(original)):
        ok(pk, "undo")
        reverted.append(events(pk)[-1]["undoes"])

    assert reverted == original[::-1]
    refused = pk("undo")
    assert refused.exit_code == 1 and "nothing to undo" in refused.output
    states = {p["id"]: p["state"] for p in json.loads(ok(pk, "list", "--all", "--json").stdout)}
    assert states == {1: "released", 2: "released"}


def test_undo_never_redoes_and_skips_reminders(pk) -> None:
    add(pk)
    ok(pk, "done", "1")
    db = Database().creating()
    with db.change() as tx:
        promise = read_promises.find(tx.reader, "1")
        ledger.record_reminder(
            tx, now=promise.created_at, promise_id=promise.id, stage=Stage("due"), due_at=promise.due_at
        )
    db.close()

    ok(pk, "undo")  # the done, not the reminder after it
    ok(pk, "undo")  # the add, not the first undo

    kinds = [(e["kind"], e["undone"]) for e in events(pk)]
    assert kinds == [("created", True), ("kept", True), ("reminded", False), ("undone", False), ("undone", False)]
    assert "Nothing to undo." in ok(pk, "undo", "--list").stdout


def test_the_journal_only_grows(pk, engine) -> None:
    steps = [
        ("add", "A", "--due", DUE), ("add", "B", "--due", DUE), ("tried", "1"), ("note", "2", "hi"),
        ("reschedule", "1", "tomorrow 10am", "--reason", "vendor"), ("undo",), ("done", "1"),
        ("edit", "2", "--to", "Bob"), ("undo",), ("undo",), ("cancel", "2", "--reason", "solved"),
        ("reopen", "2"), ("undo",), ("undo",), ("undo",), ("undo",),
    ]
    seen_promises, seen_events = engine.content()
    for step in steps:
        ok(pk, *step)
        promises, journal = engine.content()
        assert len(journal) == len(seen_events) + 1, step
        assert journal[: len(seen_events)] == seen_events, step  # no existing row changed
        assert [p[0] for p in promises[: len(seen_promises)]] == [p[0] for p in seen_promises]
        seen_promises, seen_events = promises, journal


def test_log_shows_the_change_and_its_undoing(pk) -> None:
    add(pk)
    ok(pk, "reschedule", "1", "tomorrow 10am", "--reason", "vendor")
    ok(pk, "undo")

    lines = ok(pk, "log").stdout.splitlines()

    assert len(lines) == 3
    assert "rescheduled" in lines[1] and "vendor" in lines[1] and lines[1].endswith("(undone)")
    assert "undone" in lines[2]
    assert "undid the move of Mon 23 Nov 09:30: due Mon 23 Nov 15:00 again" in lines[2]


def test_undo_list_shows_what_would_be_undone_newest_first_and_changes_nothing(pk, engine) -> None:
    add(pk, "first")
    ok(pk, "tried", "1", "--note", "voicemail")
    ok(pk, "done", "1")
    before = engine.content()

    listed = ok(pk, "undo", "--list").stdout.splitlines()

    assert engine.content() == before
    assert listed[0].startswith("pk undo would revert, newest first")
    assert [line.split()[5] for line in listed[1:]] == ["kept", "attempted", "created"]  # after the event number
    assert "#1 first — callback attempt: voicemail" in listed[2]

    ok(pk, "undo")
    after = ok(pk, "undo", "--list").stdout.splitlines()
    assert [line.split()[5] for line in after[1:]] == ["attempted", "created"]


def test_nothing_to_undo_writes_nothing(pk, engine) -> None:
    ok(pk, "db", "init")  # undo makes no database (test_missing_database)
    result = pk("undo")

    assert result.exit_code == 1
    assert "nothing to undo" in result.output
    assert engine.content() == ([], [])
    assert ok(pk, "undo", "--list").stdout == "Nothing to undo.\n"


def test_undoing_a_late_reschedule_takes_back_the_broken_verdict(pk) -> None:
    add(pk, due="2026-11-23 10:00")
    later = "2026-11-23T11:00:00+01:00"
    ok(pk, "reschedule", "1", "tomorrow 10am", "--reason", "forgot", now=later)
    assert json.loads(ok(pk, "stats", "--json", now=later).stdout)["broken"] == 1

    ok(pk, "undo", now=later)
    ok(pk, "done", "1", now=later)

    stats = json.loads(ok(pk, "stats", "--json", now=later).stdout)
    assert (stats["broken"], stats["late"], stats["lateness_median_minutes"]) == (0, 1, 59.0)  # from the end of 10:00's minute


def test_the_installed_pk_undoes_too(pk, pk_process) -> None:
    add(pk)
    ok(pk, "done", "1")

    result = pk_process("undo")

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Undid the done ")
    assert json.loads(ok(pk, "show", "1", "--json").stdout)["state"] == "open"
