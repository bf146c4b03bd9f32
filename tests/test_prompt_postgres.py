"""The prompt on PostgreSQL: read through the read half, fresh at once after this machine's
changes and within `prompt.refresh` after another machine's.

They run on the suite's PostgreSQL server (tests/postgres_server.py: a throw-away cluster, or
PROMISEKEEPER_TEST_POSTGRES_URL), emptied for each test; without one they skip and say why.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from conftest import Files
from test_prompt_helpers import MONDAY, MONDAY_EPOCH, pk_run, stored
from test_shells import Shell, require

from promisekeeper.db import migrations
from promisekeeper.shell import schedule as plan
from promisekeeper.shell import schedule_file

EARLY = "2026-11-23T08:00:00+01:00"  # before the deadlines below, so `pk add` takes them


class Server:
    """A schema of this test's own on the test server, and a connection to it."""

    def __init__(self, url: str, connection: Any) -> None:
        self.url = url
        self.connection = connection

    def add_elsewhere(self, due_offset_s: int, *, owner: str = "ann") -> None:
        """A promise added by another machine: straight into the database, no schedule here."""
        due = MONDAY_EPOCH + due_offset_s
        with self.connection.transaction():
            self.connection.execute(
                "INSERT INTO promise (uuid, what, who, tags, owner, created_at, due_at,"
                " original_due_at, state, who_key, ref_key, search_key)"
                " VALUES (%s, 'from elsewhere', 'Eva', '', %s, %s, %s, %s, 'open', '', '', '')",
                (str(uuid.uuid4()), owner, stored(MONDAY) - 86400, due, due),
            )


@pytest.fixture
def server(files: Files, monkeypatch: pytest.MonkeyPatch, postgres_server: Any) -> Iterator[Server]:
    """The session's throw-away PostgreSQL database (tests/postgres_server.py), emptied."""
    psycopg = pytest.importorskip("psycopg", reason="psycopg is not installed")
    postgres_server.reset()
    monkeypatch.setenv("PROMISEKEEPER_DB", postgres_server.url)
    monkeypatch.setenv("LOGNAME", "ann")
    conninfo = "postgresql://" + postgres_server.url.partition("://")[2]
    connection = psycopg.connect(conninfo, autocommit=True)
    try:
        yield Server(postgres_server.url, connection)
    finally:
        connection.close()


def prompt_at(offset_s: int, *args: str) -> str:
    result = pk_run("prompt", *args, now=MONDAY_EPOCH + offset_s)
    assert (result.returncode, result.stderr) == (0, ""), result.stderr
    return result.stdout


def saved() -> schedule_file.Schedule:
    found = schedule_file.read(schedule_file.Place().schedule_file)
    assert found is not None
    return found


def add(pk: Callable[..., Any], due: str, *args: str, now: str = EARLY) -> None:
    result = pk("add", "call back", "--due", due, *args, now=now)
    assert result.exit_code == 0, result.output


def test_another_machines_change_shows_within_prompt_refresh(
    pk: Callable[..., Any], server: Server
) -> None:
    add(pk, "9:00")
    add(pk, "15:00")
    assert prompt_at(0) == "⚑1 ◷1\n"
    assert saved().until == MONDAY_EPOCH + 5 * 60  # prompt.refresh, 5 minutes by default
    server.add_elsewhere(-600)
    assert prompt_at(299) == "⚑1 ◷1\n"  # the schedule still answers: not yet seen
    assert prompt_at(300) == "⚑2 ◷1\n"  # refreshed: the other machine's change shows


def test_this_machines_change_shows_at_once(pk: Callable[..., Any], server: Server) -> None:
    add(pk, "15:00")
    assert prompt_at(0) == "◷1\n"
    add(pk, "16:00", now="2026-11-23T09:30:30+01:00")
    schedule = saved()  # written by the change itself, through the read half
    assert (schedule.start, schedule.until) == (MONDAY_EPOCH + 30, MONDAY_EPOCH + 330)
    assert prompt_at(31) == "◷2\n"


def test_prompt_refresh_sets_how_long_a_schedule_is_believed(
    pk: Callable[..., Any], files: Files, server: Server
) -> None:
    assert pk("config", "set", "prompt.refresh", "15m").exit_code == 0
    add(pk, "15:00")
    assert prompt_at(0) == "◷1\n"
    assert saved().until == MONDAY_EPOCH + 15 * 60
    server.add_elsewhere(3600)
    assert prompt_at(15 * 60 - 1) == "◷1\n"
    assert prompt_at(15 * 60) == "◷2\n"


def test_on_a_shared_database_your_own_count(pk: Callable[..., Any], server: Server) -> None:
    add(pk, "9:00")
    add(pk, "9:10", "--owner", "Eva")
    server.add_elsewhere(-60, owner="Bo")
    assert prompt_at(0) == "⚑1\n"
    assert pk_run("prompt", env={"LOGNAME": "eva"}, now=MONDAY_EPOCH).stdout == "⚑1\n"
    assert pk_run("prompt", env={"LOGNAME": "cy"}, now=MONDAY_EPOCH).stdout == ""


@pytest.mark.parametrize("change", ["newer", "older"])
def test_a_schema_not_this_versions_shows_nothing_and_is_left_alone(
    pk: Callable[..., Any], server: Server, change: str
) -> None:
    add(pk, "9:00")
    assert prompt_at(0) == "⚑1\n"
    if change == "newer":
        server.connection.execute("INSERT INTO schema_migrations (name) VALUES ('m9999_future')")
    else:
        server.connection.execute(
            "DELETE FROM schema_migrations WHERE name = %s", (migrations.MIGRATIONS[-1].__name__,)
        )
    names = server.connection.execute("SELECT name FROM schema_migrations").fetchall()
    assert prompt_at(300) == ""  # the schedule ran out: the database was asked, and refused
    assert server.connection.execute("SELECT name FROM schema_migrations").fetchall() == names


def test_a_server_that_does_not_answer_costs_one_try_per_refresh(
    files: Files, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The successor of a test that stood in for PostgreSQL with an SQLite URL: this one
    # needs no server. Nothing listens on port 9; the prompt shows nothing and exits 0.
    url = "postgresql://nobody@127.0.0.1:9/none"
    monkeypatch.setenv("PROMISEKEEPER_DB", url)
    result = pk_run("prompt", now=MONDAY_EPOCH)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    empty = saved()  # nothing to show, and no new try before prompt.refresh is up
    assert (empty.start, empty.until) == (MONDAY_EPOCH, MONDAY_EPOCH + 300)
    assert [row.text for row in empty.rows] == [""]


@pytest.mark.parametrize("name", ["bash", "zsh", "fish"])
def test_the_hooks_ask_pk_once_per_refresh(
    pk: Callable[..., Any], files: Files, server: Server, name: str
) -> None:
    require(name)
    add(pk, "9:00")
    shell = Shell(name, files.root)
    shell.forget_calls()
    assert shell.prompts_at([0, 60, 299]) == ["⚑1\n"] * 3
    assert shell.calls() == ["prompt --schedule"]  # the change was made at 08:00
    server.add_elsewhere(-60)
    assert shell.prompts_at([299, 300, 360]) == ["⚑1\n", "⚑2\n", "⚑2\n"]
    assert shell.calls() == ["prompt --schedule"] * 2


def test_a_busy_day_is_counted_by_the_server(pk: Callable[..., Any], server: Server) -> None:
    # More due today than a rebuild reads: the day's count comes from the server, and the
    # schedule ends where the last deadline read falls overdue.
    add(pk, "9:00")  # overdue at 9:30
    assert pk("config", "set", "prompt.refresh", "3h").exit_code == 0
    for minute in range(1, 151):
        server.add_elsewhere(60 * minute)
    server.add_elsewhere(86400)  # tomorrow
    assert prompt_at(0) == "⚑1 ◷150\n"
    assert saved().until == MONDAY_EPOCH + 60 * plan.DEADLINES_READ + 60
    assert prompt_at(60 * plan.DEADLINES_READ + 60) == "⚑97 ◷54\n"
