"""Shared fixtures: every test gets its own database, config, state dir, zone and clock.

`pk(...)` runs the CLI in-process through Typer's CliRunner; `pk_process(...)` runs the
installed `pk` executable as a subprocess against the same files.

The database is an SQLite file unless the test asks for `engine`: then it runs twice, as
`[sqlite]` and `[postgresql]`, each time on a fresh, empty database (`@both_engines` says
the same for a test that needs no handle on it). The PostgreSQL server comes from
tests/postgres_server.py; without one, the `[postgresql]` cases skip and say why.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from promisekeeper.cli.main import app
from promisekeeper.lang import i18n

pytest_plugins = ["postgres_server", "smtp_support", "push_support", "radicale_support"]  # SMTP, push and CalDAV servers

# Monday 23 Nov 2026, 09:30 in Stockholm: a working morning.
MONDAY_MORNING = "2026-11-23T09:30:00+01:00"
ZONE = "Europe/Stockholm"

_CLEARED = ("NO_COLOR", "FORCE_COLOR", "TMUX", "TERM_PROGRAM", "COLUMNS", "LINES",
            "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "PROMISEKEEPER_SEGMENT",
            "LC_ALL", "LC_MESSAGES")  # the locale picks pk's language and holidays


@dataclass
class Files:
    """Where this test's promisekeeper keeps things."""

    root: Path
    db: Path
    config: Path
    state: Path


@pytest.fixture(autouse=True)
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Files]:
    home = tmp_path / "home"
    home.mkdir()
    found = Files(tmp_path, tmp_path / "data" / "promises.db", tmp_path / "config.toml", tmp_path / "state")
    found.db.parent.mkdir(mode=0o700)  # pk makes a database only in a folder that exists (or its default one)
    for name in _CLEARED:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("PROMISEKEEPER_DB", str(found.db))
    monkeypatch.setenv("PROMISEKEEPER_CONFIG", str(found.config))
    monkeypatch.setenv("PROMISEKEEPER_STATE", str(found.state))
    monkeypatch.setenv("PROMISEKEEPER_NOW", MONDAY_MORNING)
    monkeypatch.setenv("TZ", ZONE)
    monkeypatch.setenv("PK_DEBUG", "1")
    monkeypatch.setenv("LANG", "C.UTF-8")  # English, no country, UTF-8 for tmux and shells
    time.tzset()
    i18n.activate("en")  # a command run in-process may have switched the language
    yield found
    monkeypatch.undo()
    time.tzset()
    i18n.activate("en")


@pytest.fixture
def pk() -> Callable[..., object]:
    """Run `pk ARGS…` in-process; keyword `now=` fixes the clock for that call."""
    runner = CliRunner()

    def invoke(*args: str, now: str | None = None, input: str | None = None, env: dict[str, str] | None = None):
        overrides = dict(env or {})
        if now is not None:
            overrides["PROMISEKEEPER_NOW"] = now
        return runner.invoke(app, list(args), input=input, env=overrides)

    return invoke


def pk_executable() -> str:
    """The installed `pk` beside this interpreter (the venv the tests run in)."""
    found = shutil.which("pk", path=os.path.dirname(sys.executable))
    assert found, "the pk console script is not installed in this environment"
    return found


@pytest.fixture
def pk_process() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the installed `pk ARGS…` as a subprocess with this test's environment."""

    def run(*args: str, now: str | None = None, env: dict[str, str] | None = None,
            input: str | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        environment = dict(os.environ)
        environment.pop("PK_DEBUG", None)
        environment.update(env or {})
        if now is not None:
            environment["PROMISEKEEPER_NOW"] = now
        return subprocess.run(
            [pk_executable(), *args], env=environment, capture_output=True, text=True,
            input=input, timeout=timeout,
        )

    return run


Rows = list[tuple[object, ...]]


def db_content(path: Path) -> tuple[Rows, Rows]:
    """Every promise and event row of an SQLite file, to prove a refused command wrote nothing."""
    if not path.exists():
        return [], []
    with sqlite3.connect(path) as conn:
        promises = conn.execute("SELECT * FROM promise ORDER BY id").fetchall()
        events = conn.execute("SELECT * FROM event ORDER BY id").fetchall()
    return promises, events


@dataclass
class Engine:
    """The database engine a test runs on, and what PROMISEKEEPER_DB points at."""

    name: str  # "sqlite" or "postgresql"
    target: str
    content: Callable[[], tuple[Rows, Rows]]  # db_content for whichever engine this is


ENGINES = ("sqlite", "postgresql")


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest, files: Files, monkeypatch: pytest.MonkeyPatch) -> Engine:
    """Run the test once per engine, each time on a fresh, empty database."""
    if request.param == "sqlite":
        return Engine("sqlite", str(files.db), lambda: db_content(files.db))
    server = request.getfixturevalue("postgres_server")
    server.reset()
    monkeypatch.setenv("PROMISEKEEPER_DB", server.url)
    return Engine("postgresql", server.url, lambda: (server.rows("promise"), server.rows("event")))


# Mark a test, class or module (`pytestmark = both_engines`) to run on both engines, and
# keep one test of such a class or module on SQLite (say why beside it).
both_engines = pytest.mark.usefixtures("engine")
sqlite_only = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)


def plant(path: Path, promise_id: int, **fields: str) -> None:
    """Write text into a promise and its `created` event directly, as a pk from before the
    limits could have stored it (control characters are refused on the way in now)."""
    import json

    with sqlite3.connect(path) as conn:
        for name, value in fields.items():
            conn.execute(f"UPDATE promise SET {name} = ? WHERE id = ?", (value, promise_id))
        (data,) = conn.execute(
            "SELECT data FROM event WHERE promise_id = ? AND kind = 'created'", (promise_id,)
        ).fetchone()
        conn.execute(
            "UPDATE event SET data = ? WHERE promise_id = ? AND kind = 'created'",
            (json.dumps(json.loads(data) | fields), promise_id),
        )
