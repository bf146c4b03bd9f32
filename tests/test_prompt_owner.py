"""Your own promises: who "I" am, and what the prompt and the briefing count on a shared database."""

from __future__ import annotations

import getpass
import json
import os
import pwd
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import Files
from test_prompt_helpers import MONDAY, MONDAY_EPOCH, monday_promises, pk_run, seed
from test_shells import Shell, require

from promisekeeper import owner
from promisekeeper.shell import schedule_file

EVA_OVERDUE = [(MONDAY - timedelta(hours=1), "Eva's customer", "open")]


@pytest.fixture(autouse=True)
def ann(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests run as the login "ann"."""
    monkeypatch.setenv("LOGNAME", "ann")
    monkeypatch.delenv("USER", raising=False)


@pytest.fixture
def shared_db(files: Files) -> Path:
    """Ann's Monday (⚑2 ◷3) and one overdue promise of Eva's, in one database."""
    seed(files.db, monday_promises(), owner="ann")
    seed(files.db, EVA_OVERDUE, owner="Éva Lind")
    return files.db


# -- who am I ---------------------------------------------------------------------------------


def test_me_is_the_configured_owner_else_the_login(monkeypatch: pytest.MonkeyPatch) -> None:
    assert owner.me("Ann Lind") == "Ann Lind"
    assert owner.me("  ") == owner.me(None) == owner.me() == "ann"
    monkeypatch.delenv("LOGNAME")
    monkeypatch.setenv("USER", "bo")
    assert owner.login() == "bo"  # the order getpass.getuser() reads them in
    for name in owner.LOGIN_VARS:
        monkeypatch.delenv(name, raising=False)
    assert owner.login() == getpass.getuser() == pwd.getpwuid(os.getuid()).pw_name


def test_whose_promises_count() -> None:
    assert owner.view([], "ann") is None
    assert owner.view(["ann"], "bo") is None  # one owner: nobody else's, all count
    assert owner.view(["ann", None, "ann"], "bo") is None  # no owner makes nothing shared
    assert owner.view(["Ann Lind", "Éva", None], "ann lind") == ("Ann Lind",)
    assert owner.view(["Ann Lind", "ann lind", "Éva"], " ANN LIND ") == ("Ann Lind", "ann lind")
    assert owner.view(["Ann", "Éva"], "eva") == ("Éva",)  # accents ignored
    assert owner.view(["Ann", "Éva"], "Bo") == ()  # none of them mine
    assert owner.view(["Ann", "Éva"], None) == ()


def test_a_new_promise_belongs_to_the_configured_owner_else_the_login(
    pk: Callable[..., Any], files: Files
) -> None:
    assert pk("add", "Call back", "--due", "16:00").exit_code == 0
    files.config.write_text('owner = "Ann Lind"\n')
    assert pk("add", "Send it", "--due", "16:00").exit_code == 0
    listed = pk("list", "--json", "--team")  # two spellings: to pk, two owners
    assert [item["owner"] for item in json.loads(listed.stdout)] == ["ann", "Ann Lind"]


# -- the prompt -------------------------------------------------------------------------------


def test_one_owner_counts_as_before_whoever_asks(files: Files) -> None:
    seed(files.db, monday_promises(), owner="eva")
    assert pk_run("prompt", now=MONDAY_EPOCH).stdout == "⚑2 ◷3\n"


def test_on_a_shared_database_the_prompt_counts_your_own(files: Files, shared_db: Path) -> None:
    assert pk_run("prompt", now=MONDAY_EPOCH).stdout == "⚑2 ◷3\n"  # not Eva's third overdue
    saved = schedule_file.read(schedule_file.Place().schedule_file)
    assert saved is not None and saved.owner == "ann"
    # Another login, then a configured owner: each is a change the schedule notices.
    assert pk_run("prompt", env={"LOGNAME": "eva lind"}, now=MONDAY_EPOCH).stdout == "⚑1\n"
    assert pk_run("prompt", env={"LOGNAME": "bo"}, now=MONDAY_EPOCH).stdout == ""
    files.config.write_text('owner = "EVA LIND"\n')
    assert pk_run("prompt", now=MONDAY_EPOCH).stdout == "⚑1\n"
    files.config.write_text('owner = "Ann"\n')
    assert pk_run("prompt", now=MONDAY_EPOCH).stdout == "⚑2 ◷3\n"


def test_on_a_shared_database_the_briefing_shows_your_own(
    pk: Callable[..., Any], shared_db: Path
) -> None:
    shown = pk("brief").stdout
    assert "Overdue (2)" in shown and "Eva's customer" not in shown
    evas = pk("brief", env={"LOGNAME": "eva lind"}).stdout
    assert "Overdue (1)" in evas and "Eva's customer" in evas


@pytest.mark.parametrize("name", ["bash", "zsh", "fish"])
def test_the_hooks_show_your_own_and_notice_another_login(
    files: Files, shared_db: Path, name: str
) -> None:
    require(name)
    shell = Shell(name, files.root)  # made for the login "ann"
    assert shell.prompts_at([0, 60]) == ["⚑2 ◷3\n", "⚑2 ◷3\n"]
    assert shell.calls() == ["prompt --schedule"]
    shell.forget_calls()
    as_eva = "set -gx LOGNAME 'eva lind'" if name == "fish" else "export LOGNAME='eva lind'"
    result = shell.run(f"{shell.source()}\n{as_eva}\n__pk_prompt\n")
    assert result.stdout == "⚑1\n"
    assert shell.calls() == ["prompt --schedule"]  # the schedule was Ann's: pk was asked
