"""`pk log` and the history in `pk show`: every change, readably, as text or JSON."""

from __future__ import annotations

import json

import pytest
from conftest import both_engines, sqlite_only

from promisekeeper import ledger
from promisekeeper.db import read_promises
from promisekeeper.db.database import Database
from promisekeeper.kinds import Stage

pytestmark = both_engines  # every test, on SQLite and on PostgreSQL

LATER = "2026-11-23T16:30:00+01:00"  # after the 15:00 deadline


def ok(pk, *args: str, now: str | None = None, env: dict[str, str] | None = None):
    result = pk(*args, now=now, env=env)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def history(pk) -> None:
    """One promise through every kind of change, and a second, simpler one."""
    ok(pk, "add", "Send VPN config", "--to", "Eva", "--due", "2026-11-23 15:00")
    ok(pk, "add", "Call back", "--due", "2026-11-23 11:00")
    ok(pk, "tried", "1", "--note", "voicemail")
    ok(pk, "note", "1", "prefers email")
    ok(pk, "edit", "1", "--via", "email", "--tag", "vpn")
    ok(pk, "reschedule", "1", "2026-11-23 14:00", "--reason", "vendor is late")
    ok(pk, "reschedule", "1", "2026-11-24 10:00", "--reason", "forgot", now=LATER)
    ok(pk, "done", "2", now=LATER)
    ok(pk, "reopen", "2", now=LATER)
    ok(pk, "cancel", "2", "--reason", "solved", now=LATER)
    ok(pk, "undo", now=LATER)
    db = Database().creating()
    with db.change() as tx:
        promise = read_promises.find(tx.reader, "1")
        ledger.record_reminder(
            tx, now=promise.created_at, promise_id=promise.id, stage=Stage("overdue"), due_at=promise.due_at
        )
    db.close()


EXPECTED_LINES = [
    "Mon 23 Nov 09:30  #1  created      promised Send VPN config to Eva, due Mon 23 Nov 15:00",
    "Mon 23 Nov 09:30  #2  created      promised Call back, due Mon 23 Nov 11:00",
    "Mon 23 Nov 09:30  #1  attempted    callback attempt: voicemail",
    "Mon 23 Nov 09:30  #1  noted        note: prefers email",
    "Mon 23 Nov 09:30  #1  edited       edited via: (none) → email; tags: (none) → +vpn",
    "Mon 23 Nov 09:30  #1  rescheduled  moved Mon 23 Nov 15:00 → Mon 23 Nov 14:00 (before the deadline): vendor is late",
    (
        "Mon 23 Nov 16:30  #1  rescheduled  moved Mon 23 Nov 14:00 → Tue 24 Nov 10:00 "
        "(after the deadline had passed: broken): forgot"
    ),
    "Mon 23 Nov 16:30  #2  kept         kept, 5h 29m late",
    "Mon 23 Nov 16:30  #2  reopened     reopened (was kept)",
    "Mon 23 Nov 16:30  #2  released     released (after the deadline had passed: broken): solved  (undone)",
    "Mon 23 Nov 16:30  #2  undone       undid the cancel of Mon 23 Nov 16:30: open again",
    "Mon 23 Nov 09:30  #1  reminded     reminder sent (overdue)",
]


def test_log_reads_every_kind_of_change_in_columns(pk, history) -> None:
    assert ok(pk, "log").stdout.splitlines() == EXPECTED_LINES


def test_log_of_one_promise_leaves_out_the_promise_column(pk, history) -> None:
    lines = ok(pk, "log", "2").stdout.splitlines()

    assert lines[0] == "Mon 23 Nov 09:30  created   promised Call back, due Mon 23 Nov 11:00"
    assert lines[-1] == "Mon 23 Nov 16:30  undone    undid the cancel of Mon 23 Nov 16:30: open again"
    assert len(lines) == 5


def test_log_limit_keeps_the_most_recent(pk, history) -> None:
    recent = [line.split() for line in ok(pk, "log", "--limit", "2").stdout.splitlines()]
    assert recent == [line.split() for line in EXPECTED_LINES[-2:]]
    assert len(ok(pk, "log", "--limit", "0").stdout.splitlines()) == len(EXPECTED_LINES)
    refused = pk("log", "--limit", "-1")
    assert refused.exit_code == 2 and "--limit must be 0" in refused.output


def test_log_json_is_the_documented_contract(pk, history) -> None:
    journal = json.loads(ok(pk, "log", "--json").stdout)

    assert all(set(e) == {"id", "promise", "at", "kind", "data", "undoes", "undone"} for e in journal)
    by_kind = {e["kind"]: e for e in journal}
    moved = [e for e in journal if e["kind"] == "rescheduled"]
    assert moved[0]["data"]["after_deadline"] is False and moved[1]["data"]["after_deadline"] is True
    assert moved[1]["data"]["from"] == "2026-11-23T13:00:00+00:00"
    assert moved[1]["data"]["to"] == "2026-11-24T09:00:00+00:00"
    assert moved[1]["data"]["reason"] == "forgot"
    assert by_kind["kept"]["data"] == {"due_at": "2026-11-23T10:00:00+00:00", "late": True, "late_by_s": 19740}
    assert by_kind["edited"]["data"] == {"before": {"via": None, "tags": []}, "after": {"via": "email", "tags": ["vpn"]}}
    assert by_kind["attempted"]["data"] == {"note": "voicemail"}
    assert by_kind["released"]["undone"] is True
    assert by_kind["undone"]["undoes"] == by_kind["released"]["id"]
    assert by_kind["undone"]["data"] == {
        "kind": "released", "target_at": "2026-11-23T15:30:00+00:00", "restored": {"state": "open"},
    }
    assert by_kind["created"]["at"] == "2026-11-23T08:30:00+00:00"


def test_show_lists_the_history_under_the_promise(pk, history) -> None:
    output = ok(pk, "show", "2", now=LATER).stdout

    head, history_part = output.split("History:\n")
    assert "state     open, overdue" in head
    assert history_part.splitlines()[-2].endswith("(undone)")
    shown = json.loads(ok(pk, "show", "2", "--json").stdout)
    assert [e["kind"] for e in shown["events"]] == ["created", "kept", "reopened", "released", "undone"]
    assert [e["undone"] for e in shown["events"]] == [False, False, False, True, False]


def test_a_terminal_strikes_through_undone_changes(pk, history) -> None:
    output = ok(pk, "log", "2", env={"PROMISEKEEPER_LAYOUT": "terminal", "FORCE_COLOR": "1", "COLUMNS": "160"}).stdout

    released = next(line for line in output.splitlines() if "solved" in line)
    assert "\x1b[" in released and "9m" in released  # SGR 9: crossed out
    assert "(undone)" not in output


@sqlite_only  # plants text as an older pk stored it, straight into the SQLite file
def test_user_text_in_the_journal_is_text_not_markup_or_control_codes(pk, files) -> None:
    import sqlite3

    ok(pk, "add", "[bold]x[/bold]", "--to", "[red]Eva", "--due", "2026-11-23 15:00")
    ok(pk, "cancel", "1", "--reason", "[link=http://x]y[/link]")
    # Control characters are refused on the way in now; a pk from before could store them.
    with sqlite3.connect(files.db) as conn:
        for kind, key, value in (("created", "who", "[red]Eva\x1b[2J"),
                                 ("released", "reason", "\x1b]0;pwned\x07[link=http://x]y[/link]")):
            (data,) = conn.execute("SELECT data FROM event WHERE kind = ?", (kind,)).fetchone()
            conn.execute("UPDATE event SET data = ? WHERE kind = ?", (json.dumps(json.loads(data) | {key: value}), kind))

    for env in ({}, {"PROMISEKEEPER_LAYOUT": "terminal", "FORCE_COLOR": "1", "COLUMNS": "160"}):
        output = ok(pk, "log", env=env).stdout
        assert "[bold]x[/bold]" in output and "[red]Eva" in output and "[link=http://x]y[/link]" in output
        assert "\x1b[2J" not in output and "\x1b]0" not in output and "\x07" not in output
    document = ok(pk, "log", "--json").stdout
    assert "\x1b" not in document and "\\u001b" in document


def test_an_empty_journal_says_so(pk) -> None:
    assert pk("db", "init").exit_code == 0  # reading makes no database (test_missing_database)
    assert ok(pk, "log").stdout == "The journal is empty.\n"
    assert json.loads(ok(pk, "log", "--json").stdout) == []


def test_log_of_an_unknown_promise_is_not_found(pk) -> None:
    assert pk("db", "init").exit_code == 0  # reading makes no database (test_missing_database)
    result = pk("log", "99")

    assert result.exit_code == 1
    assert "no promise #99" in result.output
