"""Each command pays only for what it uses: `-X importtime` names every module a run imports.

Reading commands never load the ORM (SQLAlchemy, SQLModel, pydantic); nothing printed to a
pipe loads Rich; a change loads the ORM but not Rich.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import MONDAY_MORNING, pk_executable

ORM = {"sqlalchemy", "sqlmodel", "pydantic", "pydantic_core"}
RICH = {"rich"}


def imported(*args: str) -> set[str]:
    """The top-level package of every module `pk ARGS` imports (output piped)."""
    environment = dict(os.environ, PROMISEKEEPER_NOW=MONDAY_MORNING)
    environment.pop("PK_DEBUG", None)
    result = subprocess.run(
        [sys.executable, "-X", "importtime", pk_executable(), *args],
        env=environment, capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode in (0, 1), result.stderr[-2000:]
    names = set()
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    assert "promisekeeper" in names
    return names


@pytest.fixture
def ledger(pk) -> None:
    """A database already made (making it is the write half's job, once)."""
    for what, due in (("Send VPN config", "tomorrow 10am"), ("Call Bob", "11:00")):
        assert pk("add", what, "--to", "Eva", "--tag", "vpn", "--due", due).exit_code == 0
    assert pk("tried", "2").exit_code == 0


READS = [
    (), ("list",), ("list", "--overdue"), ("list", "--json"), ("list", "--to", "eva", "--tag", "vpn"),
    ("show", "1"), ("show", "1", "--json"), ("log",), ("log", "1", "--json"), ("stats",),
    ("stats", "--by", "tag", "--json"), ("export",), ("export", "--format", "csv"), ("brief",),
    ("remind", "--within", "1m"), ("undo", "--list"), ("db",), ("--version",),
]


@pytest.mark.parametrize("args", READS, ids=lambda args: " ".join(args) or "agenda")
def test_reading_commands_load_neither_the_orm_nor_rich(ledger, args: tuple[str, ...]) -> None:
    names = imported(*args)
    assert not names & ORM, sorted(names & ORM)
    assert not names & RICH, sorted(names & RICH)


@pytest.mark.parametrize("args", [("add", "Quote", "--due", "in 2h"), ("done", "1"), ("note", "2", "called")])
def test_a_change_loads_the_orm_but_prints_without_rich(ledger, args: tuple[str, ...]) -> None:
    names = imported(*args)
    assert "sqlmodel" in names
    assert not names & RICH, sorted(names & RICH)


def imported_modules(*args: str) -> set[str]:
    """The full name of every module `pk ARGS` imports (output piped)."""
    environment = dict(os.environ, PROMISEKEEPER_NOW=MONDAY_MORNING)
    environment.pop("PK_DEBUG", None)
    result = subprocess.run(
        [sys.executable, "-X", "importtime", pk_executable(), *args],
        env=environment, capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode in (0, 1), result.stderr[-2000:]
    return {line.rsplit("|", 1)[1].strip() for line in result.stderr.splitlines()
            if line.startswith("import time:") and "|" in line}


MAIL = {"smtplib", "email", "email.headerregistry", "email.policy", "promisekeeper.outbox.headers",
        "promisekeeper.outbox.transports", "promisekeeper.outbox.send"}


@pytest.mark.parametrize("args", READS, ids=lambda args: " ".join(args) or "agenda")
def test_reading_commands_load_no_mail_module(ledger, args: tuple[str, ...]) -> None:
    names = imported_modules(*args)
    assert not names & MAIL, sorted(names & MAIL)


@pytest.mark.parametrize("args", [("add", "Quote", "--contact", "eva@example.com", "--due", "in 2h"),
                                  ("done", "1"), ("reschedule", "2", "fri", "--reason", "vendor")])
def test_a_change_without_tell_loads_neither_smtplib_nor_the_mail_builder(ledger, args: tuple[str, ...]) -> None:
    # the ORM's own imports bring the `email` package (importlib.metadata); the mail
    # pk builds and sends is left out
    names = imported_modules(*args)
    assert not names & (MAIL - {"email"}), sorted(names & MAIL)
TRANSPORTS = {"apprise", "caldav", "requests", "urllib3"}


@pytest.mark.parametrize("args", [(), ("list",), ("prompt",), ("__complete", "1", "pk", "li"), ("remind",)],
                         ids=lambda args: " ".join(args) or "agenda")
def test_push_urls_set_load_no_transport_off_their_path(ledger, pk, args: tuple[str, ...]) -> None:
    # Apprise costs ~0.2 s and caldav ~0.3 s: only a run with something to push, or pk sync, pays.
    assert pk("config", "set", "notify.urls", "json://127.0.0.1:9/never").exit_code == 0
    names = imported(*args)
    assert not names & TRANSPORTS, sorted(names & TRANSPORTS)
