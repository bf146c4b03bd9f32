"""The outbox on a shared database, on SQLite and on PostgreSQL: a notice is its owner's to
send, never sent twice (not even by two `pk remind` at once), and an undo withdraws what has
not left and says what has."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from conftest import MONDAY_MORNING, both_engines, pk_executable
from smtp_support import Server

from promisekeeper.db.database import Database
from promisekeeper.outbox import queue
from promisekeeper.when.clock import parse_fixed_now

pytestmark = both_engines

TOMORROW = "2026-11-24 10:00"


def config(path: Path, owner: str, server: Server) -> dict[str, str]:
    path.write_text(f'owner = "{owner}"\n[mail]\nfrom = "{owner} <desk@example.com>"\nsmtp = "{server.url}"\n')
    return {"PROMISEKEEPER_CONFIG": str(path)}


def ok(pk, *args: str, env: dict[str, str]):
    result = pk(*args, env=env)
    assert result.exit_code == 0, result.output
    return result


def test_only_the_owner_whose_change_queued_a_notice_sends_it(pk, files, smtp_server: Server) -> None:
    ann = config(files.root / "ann.toml", "Ann Lind", smtp_server)
    bo = config(files.root / "bo.toml", "Bo Ek", smtp_server)
    smtp_server.handler.mode = "busy"
    ok(pk, "add", "Call back", "--contact", "eva@example.com", "--due", TOMORROW, "--tell", env=ann)
    smtp_server.handler.mode = "accept"

    assert ok(pk, "remind", env=bo).output == ""
    assert ok(pk, "outbox", "send", env=bo).stdout == "No notice is waiting.\n"
    assert ok(pk, "outbox", env=bo).stdout == "No notice is waiting.\n"
    assert smtp_server.messages() == []

    assert ok(pk, "remind", env=ann).stdout == "Told the customer (confirmation): sent to eva@example.com\n"
    [message] = smtp_server.messages()
    assert message["From"] == "Ann Lind <desk@example.com>"


def test_a_claimed_notice_is_not_claimed_again(pk, files, smtp_server: Server) -> None:
    ann = config(files.root / "ann.toml", "Ann Lind", smtp_server)
    smtp_server.handler.mode = "busy"
    ok(pk, "add", "Call back", "--contact", "eva@example.com", "--due", TOMORROW, "--tell", env=ann)
    now = parse_fixed_now(MONDAY_MORNING)
    db = Database()
    try:
        with db.change() as tx:
            first = queue.claim(tx, now=now, owner="Ann Lind")
        with db.change() as tx:
            second = queue.claim(tx, now=now, owner="Ann Lind")
    finally:
        db.close()
    assert [claimed.notice.id for claimed in first] == [1]
    assert second == []


def test_two_reminder_runs_at_once_send_each_notice_once(pk, files, smtp_server: Server) -> None:
    ann = config(files.root / "ann.toml", "Ann Lind", smtp_server)
    smtp_server.handler.mode = "busy"
    for number in range(6):
        ok(pk, "add", f"Call back {number}", "--contact", f"c{number}@example.com", "--due", TOMORROW, "--tell",
           env=ann)
    smtp_server.handler.mode = "accept"

    environment = dict(os.environ, **ann)
    environment.pop("PK_DEBUG", None)
    runs = [subprocess.Popen([pk_executable(), "remind"], env=environment, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=120) for run in runs]

    assert all(run.returncode == 0 for run in runs), outputs
    told = sorted(line for out, _err in outputs for line in out.splitlines())
    assert told == sorted(f"Told the customer (confirmation): sent to c{n}@example.com" for n in range(6))
    assert sorted(to for to, _message in smtp_server.handler.received) == sorted(
        [f"c{n}@example.com"] for n in range(6))


def test_undo_withdraws_a_waiting_notice(pk, files, smtp_server: Server) -> None:
    ann = config(files.root / "ann.toml", "Ann Lind", smtp_server)
    ok(pk, "add", "Call back", "--contact", "eva@example.com", "--due", TOMORROW, env=ann)
    smtp_server.handler.mode = "busy"
    ok(pk, "reschedule", "1", "wed 10am", "--reason", "vendor", "--tell", env=ann)

    result = ok(pk, "undo", env=ann)

    assert "Its new time notice to the customer is withdrawn: it had not left yet." in result.stdout
    smtp_server.handler.mode = "accept"
    assert ok(pk, "outbox", "send", env=ann).stdout == "No notice is waiting.\n"
    assert smtp_server.messages() == []
    assert "new time notice withdrawn" in ok(pk, "log", env=ann).stdout


def test_undo_after_the_notice_left_says_so_and_a_correction_can_follow(pk, files, smtp_server: Server) -> None:
    ann = config(files.root / "ann.toml", "Ann Lind", smtp_server)
    ok(pk, "add", "Call back", "--contact", "eva@example.com", "--due", TOMORROW, env=ann)
    ok(pk, "reschedule", "1", "wed 10am", "--reason", "vendor", "--tell", env=ann)

    result = ok(pk, "undo", env=ann)

    assert "The customer already has its new time notice: an undo cannot unsend it." in result.stdout
    assert "pk outbox correct 1" in result.stdout
    ok(pk, "outbox", "correct", "1", env=ann)
    moved, corrected = smtp_server.messages()
    assert corrected["Subject"] == "Correction: Call back"
    assert "Tue 24 Nov 10:00" in corrected.get_content()
    assert corrected["In-Reply-To"] == moved["Message-ID"]


def test_show_lists_a_promises_notices(pk, files, smtp_server: Server) -> None:
    ann = config(files.root / "ann.toml", "Ann Lind", smtp_server)
    ok(pk, "add", "Call back", "--contact", "eva@example.com", "--due", TOMORROW, "--tell", env=ann)
    shown = ok(pk, "show", "1", env=ann).stdout
    assert "Notices to the customer (1):" in shown
    assert "sent  confirmation  Mon 23 Nov 09:30  → eva@example.com  (250 2.0.0 Ok: queued as 4F2A1)" in shown
    document = json.loads(ok(pk, "show", "1", "--json", env=ann).stdout)
    assert [(n["kind"], n["state"]) for n in document["notices"]] == [("confirmed", "sent")]
