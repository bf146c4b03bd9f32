"""Trust boundaries (issue 18), a PostgreSQL server that stops answering.

Every connection gives up after PROMISEKEEPER_CONNECT_TIMEOUT (a "server" that accepts and
never answers stands in for a frozen one); lock waits end after PROMISEKEEPER_BUSY_TIMEOUT
with one line; `pk list` says it is waiting after a second; Ctrl-C on a blocked read prints
one line; the prompt under a held lock answers within its budget with the last segment it
knew (benchmarks/prompt_locked.py times it).
"""

from __future__ import annotations

import os
import pty
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import MONDAY_MORNING, Files, pk_executable

pytestmark = [
    pytest.mark.reliability,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="sockets and signals as on Linux"),
]


def environment(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PK_DEBUG", None)
    env.update(extra)
    return env


def run(*args: str, timeout: float = 60, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([pk_executable(), *args], env=environment(**extra), capture_output=True,
                          text=True, timeout=timeout, check=False)


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A TCP port that accepts connections and never says a word: a frozen server."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        for connection in accepted:
            connection.close()
        listener.close()


@pytest.mark.parametrize("command", [("list",), ("add", "Call Eva", "--due", "3pm")])
def test_a_frozen_server_fails_the_command_in_one_line(silent_server: int, command: tuple[str, ...]) -> None:
    url = f"postgresql://ann:pw@127.0.0.1:{silent_server}/pk"
    done = run(*command, PROMISEKEEPER_DB=url, PROMISEKEEPER_CONNECT_TIMEOUT="2", timeout=40)
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if "waiting for the database" not in line]
    assert len(lines) == 1 and lines[0].startswith("pk: ") and "Traceback" not in done.stderr
    assert "pw" not in done.stderr


@pytest.fixture
def server(files: Files, monkeypatch: pytest.MonkeyPatch, postgres_server: Any) -> Iterator[Any]:
    psycopg = pytest.importorskip("psycopg", reason="psycopg is not installed")
    postgres_server.reset()
    monkeypatch.setenv("PROMISEKEEPER_DB", postgres_server.url)
    assert run("add", "Call Eva", "--to", "Eva", "--due", "3pm").returncode == 0
    connection = psycopg.connect("postgresql://" + postgres_server.url.partition("://")[2], autocommit=True)
    try:
        yield connection
    finally:
        connection.close()


@pytest.fixture
def table_locked(server: Any) -> Iterator[None]:
    """Another session holds the promise table (as ALTER TABLE or LOCK TABLE would)."""
    with server.transaction():
        server.execute("LOCK TABLE promise IN ACCESS EXCLUSIVE MODE")
        yield


class OnTerminal:
    """`pk ARGS` with its stderr on a pseudo-terminal (the waiting notice is for a person)."""

    def __init__(self, *args: str, **extra: str) -> None:
        self.master, slave = pty.openpty()
        self.process = subprocess.Popen([pk_executable(), *args], env=environment(**extra),
                                        stdout=subprocess.PIPE, stderr=slave, text=True)
        os.close(slave)
        self.buffer = b""

    def line(self, timeout: float = 30) -> str:
        """The next line pk writes on stderr ("" at its end)."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buffer and time.monotonic() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.5)
            if not ready:
                continue
            try:
                chunk = os.read(self.master, 4096)
            except OSError:  # EIO: pk has closed the terminal
                chunk = b""
            if not chunk:
                break
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line.decode().rstrip("\r")

    def rest(self) -> list[str]:
        lines = []
        while line := self.line():
            lines.append(line)
        return lines

    def close(self) -> int:
        if self.process.poll() is None:
            self.process.kill()
        code = self.process.wait(timeout=30)
        os.close(self.master)
        return code


def test_a_blocked_read_says_it_waits_then_gives_up_in_one_line(table_locked: None) -> None:
    terminal = OnTerminal("list", PROMISEKEEPER_BUSY_TIMEOUT="2")
    try:
        waiting, failed = terminal.line(), terminal.line()
        assert terminal.process.wait(timeout=30) == 1
        assert terminal.rest() == []
    finally:
        terminal.close()
    assert waiting.startswith("pk: waiting for the database at ") and "giving up after 2 s" in waiting
    assert "stayed locked by another process for 2 s" in failed


def test_without_a_terminal_a_blocked_read_says_only_why_it_failed(table_locked: None) -> None:
    done = run("list", PROMISEKEEPER_BUSY_TIMEOUT="2")  # as cron runs it: its output is mailed
    assert done.returncode == 1
    assert len(done.stderr.splitlines()) == 1 and "stayed locked by another process for 2 s" in done.stderr


def test_a_writer_waits_for_the_lock_as_long_as_busy_timeout(server: Any) -> None:
    with server.transaction():
        server.execute("SELECT pg_advisory_xact_lock(7352)")  # a writer holding the writers' lock
        done = run("add", "Second", "--due", "4pm", PROMISEKEEPER_BUSY_TIMEOUT="1")
    assert done.returncode == 1 and len(done.stderr.splitlines()) == 1, done.stderr
    assert "stayed locked by another process for 1 s" in done.stderr


def test_ctrl_c_on_a_blocked_read_prints_one_line(table_locked: None) -> None:
    terminal = OnTerminal("list", PROMISEKEEPER_BUSY_TIMEOUT="60")
    try:
        assert terminal.line().startswith("pk: waiting for the database")  # blocked now
        terminal.process.send_signal(signal.SIGINT)
        assert terminal.process.wait(timeout=30) == 130
        rest = terminal.rest()
    finally:
        terminal.close()
    assert rest == ["pk: interrupted; nothing more was written"]


def test_the_prompt_under_a_held_lock_shows_the_last_segment_within_its_budget(server: Any, files: Files) -> None:
    assert run("prompt", PROMISEKEEPER_NOW=MONDAY_MORNING).stdout == "◷1\n"
    later = "2026-11-23T09:40:00+01:00"  # past prompt.refresh: the prompt asks the server again
    with server.transaction():
        server.execute("LOCK TABLE promise IN ACCESS EXCLUSIVE MODE")
        started = time.monotonic()
        done = run("prompt", PROMISEKEEPER_NOW=later, timeout=30)
        spent = time.monotonic() - started
    assert (done.returncode, done.stdout, done.stderr) == (0, "◷1\n", "")
    print(f"prompt under a held lock: {spent:.2f} s (budget 3 s; machine loaded)")


def test_a_server_that_ends_the_session_mid_import_gives_one_line(server: Any, files: Files) -> None:
    """The import waits for the writers' lock (held here); its backend is then ended as a
    dying server would end it. pk says so in one line, not psycopg's pages, and writes nothing."""
    import json

    rows = [{"what": f"Imported {n}", "due_at": "2026-11-24T10:00:00+00:00",
             "created_at": "2026-11-20T10:00:00+00:00", "state": "open"} for n in range(200)]
    source = files.root / "many.json"
    source.write_text(json.dumps({"format": "promisekeeper", "version": 1, "promises": rows}))
    with server.transaction():
        server.execute("SELECT pg_advisory_xact_lock(7352)")
        process = subprocess.Popen([pk_executable(), "import", str(source)],
                                   env=environment(PROMISEKEEPER_BUSY_TIMEOUT="60"),
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            waiting = _backend_waiting_for_the_lock(server, process)
            server.execute("SELECT pg_terminate_backend(%s)", (waiting,))
            _, stderr = process.communicate(timeout=30)
        finally:
            process.kill()
    assert process.returncode == 1
    assert len(stderr.splitlines()) == 1 and stderr.startswith("pk: "), stderr
    assert "Traceback" not in stderr and "internal error" not in stderr
    assert server.execute("SELECT count(*) FROM promise").fetchone()[0] == 1  # the one added before


def _backend_waiting_for_the_lock(server: Any, process: subprocess.Popen[str]) -> int:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        row = server.execute(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        ).fetchone()
        if row:
            return int(row[0])
        select.select([], [], [], 0.05)  # the import is still starting: look again
    raise AssertionError(f"the import never waited for the writers' lock: {process.communicate()}")
