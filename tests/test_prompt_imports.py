"""The prompt path (and `pk init`) import none of the heavy packages.

Each case runs the installed `pk` in a fresh interpreter with `-X importtime`, which
names every module imported, in the order it happened.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Files
from test_prompt_helpers import MONDAY_EPOCH, monday_promises, pk_path, pk_run, seed

HEAVY = {
    "typer",
    "click",
    "rich",
    "sqlalchemy",
    "sqlmodel",
    "pydantic",
    "dateutil",
    "holidays",
    "platformdirs",
}
# Not heavy, but each costs milliseconds the warm path does not need.
AVOIDABLE = {
    "json",
    "tomllib",
    "sqlite3",
    "datetime",
    "typing",
    "dataclasses",
    "argparse",
    "tempfile",
    "zoneinfo",
    "getpass",  # the login name comes from the environment, else pwd
    "contextlib",
}


def imported(*args: str, launcher: list[str] | None = None) -> set[str]:
    """The top-level package of every module `pk ARGS` imports."""
    command = [sys.executable, "-X", "importtime", *(launcher or [pk_path()]), *args]
    environment = dict(os.environ, PROMISEKEEPER_NOW=f"@{MONDAY_EPOCH}")
    for name in ("PK_DEBUG", "LOGNAME", "USER", "LNAME", "USERNAME"):  # pwd names the owner
        environment.pop(name, None)
    result = subprocess.run(
        command, env=environment, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    names = set()
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    assert "promisekeeper" in names
    return names


@pytest.fixture
def monday_db(files: Files) -> Path:
    seed(files.db, monday_promises())
    return files.db


def test_cold_prompt_reads_sqlite_without_the_framework(monday_db: Path) -> None:
    names = imported("prompt")
    assert "sqlite3" in names  # the schedule was stale: the database was read
    assert not names & HEAVY, names & HEAVY
    assert not names & {"json", "tomllib", "typing", "dataclasses", "argparse", "tempfile"}


def test_warm_prompt_reads_only_the_schedule(monday_db: Path) -> None:
    assert pk_run("prompt", now=MONDAY_EPOCH).stdout == "⚑2 ◷3\n"  # writes the schedule
    names = imported("prompt")
    assert not names & HEAVY, names & HEAVY
    assert not names & AVOIDABLE, names & AVOIDABLE


def test_warm_prompt_without_the_console_script_imports_no_re(monday_db: Path) -> None:
    # The console script pip writes imports `re` itself; the package does not need it.
    pk_run("prompt", now=MONDAY_EPOCH)
    launcher = ["-c", "import sys; from promisekeeper.__main__ import main; sys.exit(main())"]
    names = imported("prompt", launcher=launcher)
    assert not names & (HEAVY | AVOIDABLE | {"re", "enum"}), names & (
        HEAVY | AVOIDABLE | {"re", "enum"}
    )


def test_cold_prompt_with_a_config_reads_toml_once(files: Files, monday_db: Path) -> None:
    files.config.write_text('[prompt]\nformat = "{overdue}"\n')
    assert "tomllib" in imported("prompt")
    os.utime(monday_db)  # the database changed: stale, but the config did not
    names = imported("prompt")
    assert "sqlite3" in names and "tomllib" not in names


@pytest.mark.parametrize("kind", ["bash", "zsh", "fish", "tmux", "starship"])
def test_init_is_fast_too(kind: str) -> None:
    names = imported("init", kind)
    assert not names & HEAVY, names & HEAVY
