"""`pk remind --notify`: a desktop notification through notify-send, found from cron too, never fatal.

A fake `notify-send` first on PATH stands in for the desktop: one records what it was
given, one fails, one hangs. The real one is never run.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import plant
from remind_support import add, at

from promisekeeper.shell import notify

RECORDER = """
import json, os, sys
with open(os.environ["FAKE_NOTIFY_LOG"], "a", encoding="utf-8") as log:
    log.write(json.dumps({"args": sys.argv[1:], "bus": os.environ.get("DBUS_SESSION_BUS_ADDRESS")}) + "\\n")
"""
FAILING = RECORDER + """
sys.stderr.write("GDBus.Error: org.freedesktop.DBus.Error.ServiceUnknown: no notification daemon\\n")
sys.exit(1)
"""
HANGING = "import time\ntime.sleep(30)\n"


class FakeDesktop:
    """A directory holding a fake notify-send, and the log of its calls."""

    def __init__(self, root: Path) -> None:
        self.bin = root / "fake-bin"
        self.bin.mkdir()
        self.log = root / "notify.log"

    def install(self, body: str) -> None:
        script = self.bin / "notify-send"
        script.write_text(f"#!{sys.executable}\n{body}")
        script.chmod(0o755)

    def env(self, **extra: str | None) -> dict[str, str | None]:
        return {
            "PATH": f"{self.bin}{os.pathsep}{os.environ['PATH']}",
            "FAKE_NOTIFY_LOG": str(self.log),
            "DBUS_SESSION_BUS_ADDRESS": "unix:path=/run/user/1000/bus",
        } | extra

    def calls(self) -> list[dict]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def desktop(tmp_path: Path) -> FakeDesktop:
    found = FakeDesktop(tmp_path)
    found.install(RECORDER)
    return found


@pytest.fixture
def runtime_dir() -> Iterator[Path]:
    """A user runtime directory with a listening bus socket (short path: sockets allow ~100 bytes)."""
    directory = Path(tempfile.mkdtemp(prefix="pk-run-"))
    bus = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    bus.bind(str(directory / "bus"))
    yield directory
    bus.close()
    (directory / "bus").unlink()
    directory.rmdir()


class TestSent:
    def test_one_notification_per_run_and_the_text_still_printed(self, pk, desktop):
        add(pk, "Send VPN config", "2026-11-23 10:00", "--to", "Eva Spacek")
        add(pk, "Call Bob", "2026-11-23 10:40")
        result = pk("remind", "--notify", now=at("10:30"), env=desktop.env())
        assert result.exit_code == 0 and result.stderr == ""
        assert result.stdout.startswith("1 promise overdue, 1 due in 10m\n")
        [call] = desktop.calls()
        assert call["args"] == [
            "--app-name=promisekeeper", "--urgency=critical", "--",
            "1 promise overdue, 1 due in 10m",
            "#1 Send VPN config → Eva Spacek (29m late)\n#2 Call Bob (in 10m)",
        ]

    def test_coming_up_only_is_normal_urgency(self, pk, desktop):
        add(pk, "Call Bob", "2026-11-23 10:40")
        pk("remind", "--notify", now=at("10:30"), env=desktop.env())
        assert "--urgency=normal" in desktop.calls()[0]["args"]

    def test_user_text_is_not_notification_markup(self, pk, desktop, files):
        add(pk, "<b>Reset</b> & <a href='x'>go</a>", "2026-11-23 10:00")
        plant(files.db, 1, what="<b>Reset</b> & <a href='x'>go</a>\x1b[31m")  # as an older pk let in
        pk("remind", "--notify", now=at("10:30"), env=desktop.env())
        body = desktop.calls()[0]["args"][-1]
        assert body == "#1 &lt;b&gt;Reset&lt;/b&gt; &amp; &lt;a href='x'&gt;go&lt;/a&gt;[31m (29m late)"

    def test_long_lists_are_cut_short(self, pk, desktop):
        for minute in range(10):
            add(pk, f"Promise {minute}", f"2026-11-23 10:0{minute}")
        pk("remind", "--notify", now=at("10:30"), env=desktop.env())
        lines = desktop.calls()[0]["args"][-1].splitlines()
        assert len(lines) == 9 and lines[-1] == "…and 2 more"

    def test_silent_runs_notify_nothing(self, pk, desktop):
        add(pk, "Send VPN config", "2026-11-24 10:00")
        result = pk("remind", "--notify", now=at("10:30"), env=desktop.env())
        assert (result.stdout, result.stderr) == ("", "")
        assert desktop.calls() == []

    def test_dry_run_notifies_but_records_nothing(self, pk, desktop):
        add(pk, "Send VPN config", "2026-11-23 10:00")
        pk("remind", "--notify", "--dry-run", now=at("10:30"), env=desktop.env())
        pk("remind", "--notify", now=at("10:31"), env=desktop.env())
        assert len(desktop.calls()) == 2


class TestFromCron:
    def test_missing_bus_address_is_found_in_the_runtime_dir(self, pk, desktop, runtime_dir):
        add(pk, "Send VPN config", "2026-11-23 10:00")
        env = desktop.env(DBUS_SESSION_BUS_ADDRESS=None, XDG_RUNTIME_DIR=str(runtime_dir))
        result = pk("remind", "--notify", now=at("10:30"), env=env)
        assert result.stderr == ""
        assert desktop.calls()[0]["bus"] == f"unix:path={runtime_dir}/bus"

    def test_the_standard_runtime_dir_is_looked_at_without_xdg_runtime_dir(self):
        assert notify.default_runtime_dirs({}) == [f"/run/user/{os.getuid()}"]
        assert notify.default_runtime_dirs({"XDG_RUNTIME_DIR": "/tmp/r"}) == ["/tmp/r", f"/run/user/{os.getuid()}"]

    def test_a_bus_address_already_set_is_kept(self, runtime_dir):
        given = {"DBUS_SESSION_BUS_ADDRESS": "unix:abstract=x"}
        env = notify.session_environment(given, runtime_dirs=[str(runtime_dir)])
        assert env is not None and env["DBUS_SESSION_BUS_ADDRESS"] == "unix:abstract=x"

    def test_no_bus_at_all_is_a_reason_not_a_crash(self, desktop, tmp_path):
        reason = notify.send(
            notify.Notification("1 promise overdue", ["#1 x"]),
            environ={"PATH": str(desktop.bin)}, runtime_dirs=[str(tmp_path)],
        )
        assert reason is not None and "no desktop session bus" in reason
        assert desktop.calls() == []


class TestFailures:
    def assert_one_line_and_still_printed(self, result, reason: str) -> None:
        assert result.exit_code == 0
        assert result.stdout.startswith("1 promise overdue\n\nOverdue: #1 Send VPN config\n")
        assert result.stderr.count("\n") == 1
        assert result.stderr.startswith("pk: desktop notification not sent: ")
        assert reason in result.stderr
        assert "Traceback" not in result.output

    def test_failing_notify_send_says_so_once_and_the_reminder_stays_recorded(self, pk, desktop):
        desktop.install(FAILING)
        add(pk, "Send VPN config", "2026-11-23 10:00")
        add(pk, "Call Bob", "2026-11-23 10:01")
        result = pk("remind", "--notify", now=at("10:30"), env=desktop.env())
        assert result.stdout.startswith("2 promises overdue\n")
        assert result.stderr.count("\n") == 1
        assert "exit 1" in result.stderr and "no notification daemon" in result.stderr
        again = pk("remind", "--notify", now=at("10:35"), env=desktop.env())
        assert (again.stdout, again.stderr) == ("", "")
        assert len(desktop.calls()) == 1

    def test_missing_notify_send(self, pk, tmp_path):
        add(pk, "Send VPN config", "2026-11-23 10:00")
        empty = tmp_path / "empty-bin"
        empty.mkdir()
        result = pk("remind", "--notify", now=at("10:30"), env={"PATH": str(empty)})
        self.assert_one_line_and_still_printed(result, "notify-send is not installed")

    def test_missing_bus_from_cron(self, pk, desktop, tmp_path, monkeypatch):
        add(pk, "Send VPN config", "2026-11-23 10:00")
        monkeypatch.setattr(notify, "default_runtime_dirs", lambda environ: [str(tmp_path)])
        result = pk("remind", "--notify", now=at("10:30"), env=desktop.env(DBUS_SESSION_BUS_ADDRESS=None))
        self.assert_one_line_and_still_printed(result, "no desktop session bus")

    def test_exit_code_is_about_reminders_not_the_desktop(self, pk, desktop):
        desktop.install(FAILING)
        add(pk, "Send VPN config", "2026-11-23 10:00")
        result = pk("remind", "--notify", "--exit-code", now=at("10:30"), env=desktop.env())
        assert result.exit_code == 11

    def test_a_hanging_notify_send_is_cut_off(self, desktop):
        desktop.install(HANGING)
        started = time.monotonic()
        reason = notify.send(
            notify.Notification("1 promise overdue", ["#1 x"]),
            environ={"PATH": str(desktop.bin), "DBUS_SESSION_BUS_ADDRESS": "unix:path=/nowhere"}, timeout=0.5,
        )
        assert time.monotonic() - started < 5
        assert reason is not None and "did not finish within 0.5 s" in reason
