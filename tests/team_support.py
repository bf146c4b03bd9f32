"""Helpers the team tests share: a desk of several technicians on one database.

Each person is who `pk` takes them for: the login name (LOGNAME), with no `owner` set in
the config, so one test can act as Ann, then as Bo, on the same database.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from promisekeeper.db.database import Database

ANN = "Ann Lind"
BO = "Bo Ek"
EVA = "Éva Berg"


def as_(login: str) -> dict[str, str]:
    """The environment of a command run by `login`."""
    return {"LOGNAME": login}


def run(pk: Callable[..., Any], login: str, *args: str, now: str | None = None, code: int = 0) -> Any:
    """`pk ARGS` as `login`, checked to end with `code`."""
    result = pk(*args, env=as_(login), now=now)
    assert result.exit_code == code, (args, result.output)
    return result


def add(pk: Callable[..., Any], login: str, what: str, due: str, *args: str, now: str = "2026-11-23T08:00:00+01:00") -> int:
    """`login` logs a promise (their own) and its number comes back."""
    result = run(pk, login, "add", what, "--due", due, "--json", *args, now=now)
    return int(json.loads(result.stdout)["id"])


def listed(pk: Callable[..., Any], login: str, *args: str, now: str | None = None) -> list[tuple[int, str | None]]:
    """(id, owner) of what `pk list --json ARGS` shows `login`."""
    result = run(pk, login, "list", "--json", *args, now=now)
    return [(item["id"], item["owner"]) for item in json.loads(result.stdout)]


def rows(sql: str, params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
    """Rows of a read on whichever engine this test runs on."""
    with Database().reading() as reader:
        return reader.all(sql, params or {})


def reminded(kind_filter: str = "") -> list[tuple[Any, ...]]:
    """(promise, stage, owner, team) of every reminder recorded, oldest first."""
    return [tuple(row) for row in rows(
        f"SELECT promise_id, stage, owner, team FROM event WHERE kind = 'reminded' {kind_filter} ORDER BY id")]
