"""Helpers shared by the prompt, shell and briefing tests (this module holds no tests).

Promises are written straight into a database whose schema the real program made, so
tests can place deadlines in the past and in any state; the ledger would refuse that.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from promisekeeper.db.database import Database

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# conftest's MONDAY_MORNING: Monday 23 Nov 2026, 09:30 in Stockholm.
MONDAY = datetime(2026, 11, 23, 9, 30, tzinfo=STOCKHOLM)
MONDAY_EPOCH = int(MONDAY.timestamp())


def stored(moment: datetime) -> int:
    """A moment as the database stores it: whole seconds since 1970."""
    return int(moment.timestamp() // 1)


def create_database(path: Path) -> None:
    """An empty database with the real schema (made by the program itself)."""
    path.parent.mkdir(parents=True, exist_ok=True)  # pk makes a database only in a folder that exists
    database = Database(str(path)).creating()
    with database.reading():
        pass  # opening it creates and migrates the file
    database.close()


def seed(
    path: Path, promises: Iterable[tuple[datetime, str | None, str]], *, owner: str | None = None
) -> None:
    """Add promises (due, who, state) of `owner` directly; the database is created if needed."""
    if not path.exists():
        create_database(path)
    rows = []
    for due, who, state in promises:
        closed = stored(due) if state != "open" else None
        rows.append(
            (
                str(uuid.uuid4()),
                "call back",
                who,
                stored(due - timedelta(days=1)),
                stored(due),
                stored(due),
                state,
                closed,
                owner,
            )
        )
    connection = sqlite3.connect(path)
    try:
        with connection:
            connection.executemany(
                "INSERT INTO promise (uuid, what, who, tags, created_at, due_at, original_due_at,"
                " state, closed_at, owner, who_key, ref_key, search_key)"
                " VALUES (?, ?, ?, '', ?, ?, ?, ?, ?, ?, '', '', '')",
                rows,
            )
    finally:
        connection.close()


def monday_promises() -> list[tuple[datetime, str | None, str]]:
    """A fixed set around Monday morning: overdue, due today, tomorrow, closed ones."""
    day = datetime(2026, 11, 23, tzinfo=STOCKHOLM)
    return [
        (day.replace(hour=8), "Eva Spacek", "open"),  # overdue at 09:30
        (day - timedelta(days=2), "Old & Forgotten", "open"),  # overdue for days
        (day.replace(hour=11), "O'Brien $HOME `x` %n #S", "open"),  # today
        (day.replace(hour=16, minute=45), "Bo\x1b[31m Lind", "open"),  # today, escape stripped
        (day.replace(hour=23, minute=59, second=30), None, "open"),  # today, nobody named
        (day + timedelta(days=1, hours=10), "Tomorrow AB", "open"),  # tomorrow
        (day + timedelta(days=4), "Later Ltd", "open"),  # in days
        (day.replace(hour=9), "Kept Kalle", "kept"),
        (day.replace(hour=12), "Released Rut", "released"),
    ]


def pk_run(
    *args: str, env: dict[str, str] | None = None, now: int | str | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run the installed pk as a subprocess with this test's environment."""
    environment = dict(os.environ)
    environment.pop("PK_DEBUG", None)
    environment.update(env or {})
    if now is not None:
        environment["PROMISEKEEPER_NOW"] = f"@{now}" if isinstance(now, int) else now
    return subprocess.run(
        [pk_path(), *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def pk_path() -> str:
    found = os.path.join(os.path.dirname(sys.executable), "pk")
    assert os.path.exists(found), "the pk console script is not installed beside this Python"
    return found
