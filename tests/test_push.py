"""`pk remind` pushes each reminder it prints to Apprise URLs (json://, ntfy://…), to a real
HTTP server on the loopback address: once per stage and URL, a failure retried by the next
run and reported only when it changes, quiet hours held, and no token ever shown."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from conftest import both_engines, pk_executable
from push_support import Receiver, refused_port
from remind_support import add, at

pytestmark = both_engines

TOKEN = "tk_9f8e7d6c5b4a39281706"  # planted: it must never be shown


def configure(pk, key: str, *values: str) -> None:
    result = pk("config", "set", key, " ".join(values))
    assert result.exit_code == 0, result.output


def test_each_printed_reminder_is_pushed_once_per_stage(pk, receiver: Receiver) -> None:
    configure(pk, "notify.urls", receiver.url("json", "ok"), receiver.url("ntfy", "phone"))
    add(pk, "Send VPN config", "2026-11-23 10:00", "--to", "Eva Spacek", "--ref", "INC-4821")
    coming = pk("remind", now=at("09:50"))
    assert coming.exit_code == 0 and "Coming up: #1 Send VPN config" in coming.stdout
    assert coming.stderr == ""
    [json_post] = receiver.bodies("ok")
    assert json_post["title"] == "Coming up: #1 Send VPN config"
    assert "to:       Eva Spacek" not in json_post["message"]
    assert "to: Eva Spacek" in json_post["message"] and "ticket: INC-4821" in json_post["message"]
    assert "due: Mon 23 Nov 10:00, in 10m" in json_post["message"]
    [ntfy_post] = receiver.bodies("phone")
    assert ntfy_post["title"] == json_post["title"] and ntfy_post["message"] == json_post["message"]
    assert pk("remind", now=at("09:55")).stdout == ""
    assert len(receiver.posts) == 2  # nothing new: nothing sent again
    pk("remind", now=at("10:00"))
    assert [body["title"] for body in receiver.bodies("ok")] == [
        "Coming up: #1 Send VPN config", "Due now: #1 Send VPN config"]


def test_a_failing_url_never_blocks_the_others_and_is_retried(pk, receiver: Receiver) -> None:
    dead = f"json://127.0.0.1:{refused_port()}/gone"
    configure(pk, "notify.urls", receiver.url("json", "flaky"), dead, receiver.url("json", "ok"))
    add(pk, "Send VPN config", "2026-11-23 10:00")
    first = pk("remind", "--exit-code", now=at("10:00"))
    assert first.exit_code == 12
    assert "Due now: #1 Send VPN config" in first.stdout  # the printed reminder is never held up
    assert len(receiver.bodies("ok")) == 1
    lines = first.stderr.splitlines()
    flaky = f"json://127.0.0.1:{receiver.port}/flaky?cto=1&rto=1"
    assert f"pk: push to {flaky} not delivered (the server answered 500); the next `pk remind` tries again" in lines
    assert any("/gone not delivered (could not connect)" in line for line in lines)
    assert len(lines) == 2

    again = pk("remind", "--exit-code", now=at("10:05"))  # still failing: tried, not reported
    assert (again.exit_code, again.stdout, again.stderr) == (12, "", "")
    assert len(receiver.bodies("flaky")) == 2 and len(receiver.bodies("ok")) == 1

    receiver.flaky_fails = False
    back = pk("remind", "--exit-code", now=at("10:10"))
    assert back.stderr == f"pk: push to json://127.0.0.1:{receiver.port}/flaky?cto=1&rto=1 delivered again\n"
    # a retry says how things stand now
    assert [body["title"] for body in receiver.bodies("flaky")][-1] == "Overdue: #1 Send VPN config"
    assert len(receiver.bodies("ok")) == 1  # the URL that worked is never sent it twice
    configure(pk, "notify.urls", receiver.url("json", "flaky"), receiver.url("json", "ok"))
    assert pk("remind", "--exit-code", now=at("10:15")).exit_code == 0
    assert len(receiver.bodies("flaky")) == 3


def test_a_server_that_never_answers_times_out_and_costs_nothing_else(pk, receiver: Receiver) -> None:
    configure(pk, "notify.urls", receiver.url("json", "hang"), receiver.url("json", "ok"))
    add(pk, "Send VPN config", "2026-11-23 10:00")
    result = pk("remind", "--exit-code", now=at("10:00"))
    assert result.exit_code == 12 and "Due now" in result.stdout
    assert "/hang?cto=1&rto=1 not delivered (no answer in time)" in result.stderr
    assert len(receiver.bodies("ok")) == 1


def test_a_token_is_never_shown(pk, pk_process, receiver: Receiver, files) -> None:
    url = receiver.url("json", "fail", user=f"pk:{TOKEN}@")
    ntfy = receiver.url("ntfy", "fail-topic", user=f"{TOKEN}@")
    configure(pk, "notify.urls", url, ntfy)
    add(pk, "Send VPN config", "2026-11-23 10:00")
    shown = [
        pk_process("remind", now=at("10:00")), pk_process("config"), pk_process("config", "--json"),
        pk_process("config", "get", "notify.urls"), pk_process("notify", "test"),
    ]
    for result in shown:
        assert TOKEN not in result.stdout + result.stderr, result.args
        assert "Traceback" not in result.stderr
    assert "json://pk:***@127.0.0.1" in shown[0].stderr
    assert [post["authorization"] is not None for post in receiver.posts] == [True, True, True, True]
    if files.db.exists():
        assert TOKEN.encode() not in files.db.read_bytes()
    assert os.stat(files.config).st_mode & 0o777 == 0o600


def test_quiet_hours_hold_pushes_not_the_printed_reminder(pk, receiver: Receiver) -> None:
    configure(pk, "notify.urls", receiver.url("json", "ok"))
    configure(pk, "notify.quiet", "20:00-07:00")
    add(pk, "Call the night shift", "2026-11-23 21:00")
    held = pk("remind", "--exit-code", now=at("21:00"))
    assert held.exit_code == 11 and "Due now: #1 Call the night shift" in held.stdout
    assert receiver.posts == []
    assert pk("remind", now=at("06:59", day=24)).stdout == "" and receiver.posts == []
    assert pk("remind", now=at("07:00", day=24)).stderr == ""
    assert [body["title"] for body in receiver.bodies()] == ["Overdue: #1 Call the night shift"]


def test_a_push_speaks_the_owners_language(pk, receiver: Receiver) -> None:
    configure(pk, "notify.urls", receiver.url("json", "ok"))
    configure(pk, "language", "sv")
    add(pk, "Skicka VPN-konfigurationen", "2026-11-23 10:00", "--to", "Eva")
    pk("remind", now=at("10:00"))
    [post] = receiver.bodies()
    assert post["title"] == "Förfaller nu: #1 Skicka VPN-konfigurationen"


def test_a_colleagues_run_and_a_dry_run_push_nothing(pk, receiver: Receiver) -> None:
    configure(pk, "notify.urls", receiver.url("json", "ok"))
    add(pk, "Send VPN config", "2026-11-23 10:00")
    assert pk("remind", "--dry-run", now=at("10:00")).exit_code == 0
    assert receiver.posts == []


def test_the_leads_digest_goes_to_the_team_urls_as_one_message(pk, receiver: Receiver) -> None:
    configure(pk, "notify.urls", receiver.url("json", "mine"))
    configure(pk, "notify.team_urls", receiver.url("json", "team"))
    add(pk, "Call Ann's customer", "09:00", now=at("08:00"))
    add(pk, "Send the quote", "15:00", "--to", "Dora", now=at("08:00"))
    result = pk("remind", "--team", "--digest", now=at("09:30"))
    assert result.exit_code == 0, result.output
    [digest] = receiver.bodies("team")
    assert digest["title"] == "1 promise overdue, 1 due later today"
    assert "#1 Call Ann's customer" in digest["message"] and "#2 Send the quote → Dora" in digest["message"]
    assert receiver.bodies("mine") == []


FAKE_MISSING = "raise ImportError('No module named apprise')\n"


def test_without_apprise_one_line_says_what_to_install(pk, pk_process, receiver: Receiver, tmp_path: Path) -> None:
    missing = tmp_path / "no-apprise"
    (missing / "apprise").mkdir(parents=True)
    (missing / "apprise" / "__init__.py").write_text(FAKE_MISSING)
    configure(pk, "notify.urls", receiver.url("json", "ok"))
    add(pk, "Send VPN config", "2026-11-23 10:00")
    result = pk_process("remind", now=at("10:00"), env={"PYTHONPATH": str(missing)})
    assert result.returncode == 0 and "Due now: #1 Send VPN config" in result.stdout
    assert result.stderr == (
        "pk: push URLs are set but Apprise is not installed: pip install 'promisekeeper[notify]'\n")
    assert pk("remind", now=at("10:05")).exit_code == 0  # installed again: what waited is sent
    assert [body["title"] for body in receiver.bodies()] == ["Overdue: #1 Send VPN config"]


def test_the_environment_replaces_the_configured_urls(pk, receiver: Receiver) -> None:
    configure(pk, "notify.urls", receiver.url("json", "file"))
    add(pk, "Send VPN config", "2026-11-23 10:00")
    pk("remind", now=at("10:00"), env={"PROMISEKEEPER_NOTIFY_URLS": receiver.url("json", "env")})
    assert len(receiver.bodies("env")) == 1 and receiver.bodies("file") == []


def test_a_bad_url_is_refused_masked(pk, files) -> None:
    result = pk("config", "set", "notify.urls", f"{TOKEN}@ntfy.sh/topic")
    assert result.exit_code == 2 and TOKEN not in result.output
    assert "is not a URL; write it with its scheme, e.g. ntfy://ntfy.sh/your-topic" in result.output
    assert not files.config.exists()


def test_notify_test_says_what_each_url_answered(pk, receiver: Receiver) -> None:
    dead = f"json://127.0.0.1:{refused_port()}/gone"
    configure(pk, "notify.urls", receiver.url("json", "ok"), dead)
    configure(pk, "notify.team_urls", receiver.url("ntfy", "fail"))
    result = pk("notify", "test")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"json://127.0.0.1:{receiver.port}/ok?cto=1&rto=1: delivered",
        f"{dead}: could not connect",
        f"ntfy://127.0.0.1:{receiver.port}/fail?cto=1&rto=1: the server answered 500",
    ]
    assert receiver.bodies("ok")[0]["title"] == "promisekeeper: test message"


def test_notify_test_without_urls_says_how_to_set_one(pk) -> None:
    result = pk("notify", "test")
    assert result.exit_code == 1
    assert "no push URLs are set; e.g. `pk config set notify.urls ntfy://ntfy.sh/your-topic`" in result.output


def test_two_runs_at_once_push_each_reminder_once(pk, receiver: Receiver) -> None:
    configure(pk, "notify.urls", receiver.url("json", "ok"), receiver.url("ntfy", "phone"))
    for number in range(5):
        add(pk, f"Promise {number}", "2026-11-23 10:00")
    environment = dict(os.environ, PROMISEKEEPER_NOW=at("10:00"))
    environment.pop("PK_DEBUG", None)
    runs = [subprocess.Popen([pk_executable(), "remind"], env=environment, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(3)]
    for run in runs:
        _out, err = run.communicate(timeout=120)
        assert run.returncode == 0 and err == "", err
    assert sorted(body["title"] for body in receiver.bodies("ok")) == [f"Due now: #{n} Promise {n - 1}" for n in range(1, 6)]
    assert len(receiver.bodies("phone")) == 5
