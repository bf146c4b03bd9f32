"""Trust boundaries (issue 18), a PostgreSQL server that stops answering.

Every connection gives up after PROMISEKEEPER_CONNECT_TIMEOUT (a "server" that accepts and
never answers stands in for a frozen one); lock waits end after PROMISEKEEPER_BUSY_TIMEOUT
with one line; `pk list` says it is waiting after a second; Ctrl-C on a blocked read prints
one line; the prompt under a held lock answers within its budget with the last segment it
knew (benchmarks/prompt_locked.py times it).
"""

from __future__ import annotations

import os
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


def test_a_blocked_read_says_it_waits_then_gives_up_in_one_line(table_locked: None) -> None:
    done = run("list", PROMISEKEEPER_BUSY_TIMEOUT="2")
    assert done.returncode == 1
    waiting, failed = done.stderr.splitlines()
    assert waiting.startswith("pk: waiting for the database at ") and "giving up after 2 s" in waiting
    assert "stayed locked by another process for 2 s" in failed


def test_a_writer_waits_for_the_lock_as_long_as_busy_timeout(server: Any) -> None:
    with server.transaction():
        server.execute("SELECT pg_advisory_xact_lock(7352)")  # a writer holding the writers' lock
        done = run("add", "Second", "--due", "4pm", PROMISEKEEPER_BUSY_TIMEOUT="1")
    assert done.returncode == 1 and len(done.stderr.splitlines()) == 1, done.stderr
    assert "stayed locked by another process for 1 s" in done.stderr


def test_ctrl_c_on_a_blocked_read_prints_one_line(table_locked: None) -> None:
    process = subprocess.Popen([pk_executable(), "list"], env=environment(PROMISEKEEPER_BUSY_TIMEOUT="60"),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stderr is not None
        ready, _, _ = select.select([process.stderr], [], [], 30)
        waiting = process.stderr.readline() if ready else ""
        assert waiting.startswith("pk: waiting for the database")
        process.send_signal(signal.SIGINT)
        _, rest = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 130
    assert rest.splitlines() == ["pk: interrupted; nothing more was written"]


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
