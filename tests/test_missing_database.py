"""A missing database is said, never made behind the user's back.

Only `pk add`, `pk import`, `pk db init` and `pk db restore` make one (in a folder that
exists, unless it is pk's default); reading commands, other changes and `pk remind` exit 1
with one line cron mails; the prompt, completion and `pk brief --once-a-day` stay silent.
On PostgreSQL an empty schema is "no database" in the same way.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import both_engines

MISSING = "(create it with pk add or pk db init)"

READING = [
    ["list"], [], ["stats"], ["show", "1"], ["log"], ["search", "vpn"], ["export"], ["db"],
    ["remind"], ["brief"], ["done", "1"], ["undo"], ["db", "check"],
]


def still_missing(pk) -> bool:
    result = pk("list")
    return result.exit_code == 1 and MISSING in result.stderr


@both_engines
@pytest.mark.parametrize("args", READING, ids=lambda args: " ".join(args) or "agenda")
def test_reading_commands_and_remind_say_there_is_none_and_make_none(pk, files, args: list[str]):
    result = pk(*args)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("pk: no database at ") and MISSING in result.stderr
    assert result.stdout == ""
    assert not files.db.exists()
    assert still_missing(pk)


@both_engines
@pytest.mark.parametrize("args", [["prompt"], ["brief", "--once-a-day"]])
def test_the_prompt_and_the_shells_briefing_stay_silent(pk, files, args: list[str]):
    result = pk(*args)
    assert (result.exit_code, result.output) == (0, "")
    assert still_missing(pk)


@both_engines
def test_add_makes_the_database(pk):
    assert pk("add", "Send VPN config").exit_code == 0
    assert [p["what"] for p in json.loads(pk("list", "--json").stdout)] == ["Send VPN config"]


@both_engines
def test_db_init_makes_it_once(pk, files):
    made = pk("db", "init")
    assert made.exit_code == 0 and made.stdout.startswith("Made the database at ")
    again = pk("db", "init")
    assert again.exit_code == 0 and "is there already" in again.stdout
    assert pk("list").stdout == "No promises match.\n"


@both_engines
def test_import_makes_the_database(pk, files, tmp_path: Path):
    elsewhere = {"PROMISEKEEPER_DB": str(tmp_path / "elsewhere.db")}
    assert pk("add", "Call Bo", env=elsewhere).exit_code == 0
    source = tmp_path / "in.json"
    assert pk("export", "-o", str(source), env=elsewhere).exit_code == 0
    result = pk("import", str(source))
    assert result.exit_code == 0, result.output
    assert len(json.loads(pk("list", "--json").stdout)) == 1



def test_a_database_is_made_only_in_a_folder_that_exists(pk, files, tmp_path: Path):
    typo = tmp_path / "nonexistent" / "dir" / "p.db"
    result = pk("add", "x", env={"PROMISEKEEPER_DB": str(typo)})
    assert result.exit_code == 1
    assert f"no folder {typo.parent} for the database" in result.stderr
    assert not typo.parent.exists()
    backup = pk("db", "restore", str(files.db), env={"PROMISEKEEPER_DB": str(typo)})
    assert backup.exit_code != 0 and not typo.parent.exists()



def test_the_default_folder_is_made_by_add(pk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("PROMISEKEEPER_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert pk("list").exit_code == 1
    assert not (tmp_path / "xdg").exists()
    assert pk("add", "x").exit_code == 0
    assert (tmp_path / "xdg" / "promisekeeper" / "promises.db").is_file()



def test_cron_hears_of_a_mistyped_path(pk_process, tmp_path: Path):
    typo = tmp_path / "nonexistent" / "dir" / "p.db"
    result = pk_process("remind", env={"PROMISEKEEPER_DB": str(typo)})
    assert result.returncode == 1
    assert result.stderr == f"pk: no database at {typo} {MISSING}\n"
    assert not os.path.exists(typo.parent)



def test_completion_stays_silent(pk_process):
    result = pk_process("__complete", "2", "pk", "done", "")
    assert result.returncode == 0 and result.stderr == ""
