"""`pk tried`: a callback attempt is recorded and shown, and the promise stays open."""

from __future__ import annotations

import json

from conftest import both_engines

pytestmark = both_engines  # every test on SQLite and on PostgreSQL, unless it says why not

FIRST = "2026-11-23T10:20:00+01:00"
SECOND = "2026-11-23T14:05:00+01:00"


def ok(pk, *args: str, now: str | None = None, env: dict[str, str] | None = None):
    result = pk(*args, now=now, env=env)
    assert result.exit_code == 0, result.output
    return result


def add(pk, due: str = "2026-11-23 16:00") -> None:
    ok(pk, "add", "Call back about the printer", "--to", "Eva", "--due", due)


def test_an_attempt_is_recorded_and_the_promise_stays_open(pk) -> None:
    add(pk)

    result = ok(pk, "tried", "1", "--note", "voicemail", now=FIRST)

    assert result.stdout == (
        "Attempt recorded on #1 Call back about the printer → Eva "
        "(tried 1×; still open, due Mon 23 Nov 16:00, in 5h 40m)\n"
    )
    shown = json.loads(ok(pk, "show", "1", "--json").stdout)
    assert shown["state"] == "open" and shown["attempts"] == 1
    assert shown["events"][-1]["kind"] == "attempted"
    assert shown["events"][-1]["data"] == {"note": "voicemail"}
    assert shown["events"][-1]["at"] == "2026-11-23T09:20:00+00:00"


def test_the_count_and_the_last_time_show_everywhere(pk) -> None:
    add(pk)
    ok(pk, "tried", "1", now=FIRST)
    ok(pk, "tried", "1", "--note", "line busy", now=SECOND)
    summary = "tried 2× — last 14:05"

    agenda = ok(pk, now=SECOND).stdout
    listed = ok(pk, "list", now=SECOND).stdout
    shown = ok(pk, "show", "1", now=SECOND).stdout
    terminal = ok(pk, env={"PROMISEKEEPER_LAYOUT": "terminal", "FORCE_COLOR": "1", "COLUMNS": "160"}, now=SECOND).stdout

    assert summary in agenda and summary in listed and summary in terminal
    assert f"attempts  {summary}" in shown
    assert "Mon 23 Nov 14:05  attempted  callback attempt: line busy" in shown
    assert "Mon 23 Nov 10:20  attempted  callback attempt" in ok(pk, "log", "1").stdout
    assert json.loads(ok(pk, "list", "--json").stdout)[0]["attempts"] == 2


def test_a_promise_never_tried_shows_no_attempts(pk) -> None:
    add(pk)

    assert "tried" not in ok(pk).stdout
    assert "attempts" not in ok(pk, "show", "1").stdout
    assert json.loads(ok(pk, "list", "--json").stdout)[0]["attempts"] == 0


def test_an_attempt_without_a_note_records_no_note(pk) -> None:
    add(pk)

    ok(pk, "tried", "1", "--note", "   ")

    event = json.loads(ok(pk, "log", "--json").stdout)[-1]
    assert event["kind"] == "attempted" and event["data"] == {}


def test_an_attempt_on_a_closed_promise_is_refused_and_writes_nothing(pk, engine) -> None:
    add(pk)
    ok(pk, "done", "1")
    before = engine.content()

    result = pk("tried", "1")

    assert result.exit_code == 2
    assert "already kept" in result.output and "pk reopen 1" in result.output
    assert engine.content() == before


def test_an_attempt_on_an_unknown_promise_is_not_found(pk) -> None:
    assert pk("db", "init").exit_code == 0  # a missing database is said first (test_missing_database)
    result = pk("tried", "7")

    assert result.exit_code == 1
    assert "no promise #7" in result.output


def test_attempts_do_not_change_the_outcome(pk) -> None:
    add(pk, due="2026-11-23 10:00")
    ok(pk, "tried", "1", now=FIRST)

    stats = json.loads(ok(pk, "stats", "--json", now=SECOND).stdout)

    assert stats["broken"] == 1 and stats["kept"] == 0


def test_the_installed_pk_records_an_attempt(pk, pk_process) -> None:
    add(pk)

    result = pk_process("tried", "#1", "--note", "no answer")

    assert result.returncode == 0, result.stderr
    assert "tried 1×" in result.stdout
    assert "callback attempt: no answer" in ok(pk, "log").stdout
