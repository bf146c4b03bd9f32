"""Trust boundaries (issue 18), hostile backups: restore takes only what pk itself would build.

A backup's schema is compared with the one pk builds by its own migrations for the steps the
backup records; one with a planted trigger, an expression index, other columns or a view in
place of a table is refused, naming the backup, and nothing changes. A backup that passes
has its rows copied into a database pk builds. `pk db check` checks the schema too, and a
working copy left by a killed restore is removed at the next restore or check.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Files, db_content

pytestmark = [
    pytest.mark.reliability,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="process ids as on Linux"),
]

PLANTED = {
    "trigger": ["CREATE TRIGGER t AFTER INSERT ON event BEGIN UPDATE promise SET who = 'Mallory'; END"],
    "expression index": ["CREATE INDEX ix_planted ON promise (abs(id) / 0)"],
    "extra column": ["ALTER TABLE promise ADD COLUMN planted TEXT"],
    "view for a table": ["ALTER TABLE promise_tag RENAME TO promise_tag_old",
                         "CREATE VIEW promise_tag AS SELECT * FROM promise_tag_old"],
    "recursive view": [("CREATE VIEW forever AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)"
                        " SELECT count(*) FROM c")],
}


@pytest.fixture
def backup(pk, files: Files, tmp_path: Path) -> Path:
    assert pk("add", "Send VPN config", "--to", "Eva", "--due", "in 2h").exit_code == 0
    path = tmp_path / "backup.db"
    assert pk("db", "backup", str(path)).exit_code == 0
    assert pk("add", "Later", "--due", "in 3h").exit_code == 0
    return path


def plant(path: Path, statements: list[str]) -> None:
    with sqlite3.connect(path) as conn:
        for statement in statements:
            conn.execute(statement)
    conn.close()


@pytest.mark.parametrize("kind", PLANTED, ids=list(PLANTED))
def test_a_backup_with_a_schema_pk_does_not_build_is_refused(kind: str, backup: Path, files: Files,
                                                             pk_process: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    plant(backup, PLANTED[kind])
    before = db_content(files.db)
    started = time.monotonic()
    result = pk_process("db", "restore", str(backup), timeout=60)
    assert time.monotonic() - started < 30  # a recursive view once held restore for 717 s
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"pk: the backup {backup} cannot be restored: its schema is not the one pk creates")
    assert len(result.stderr.splitlines()) == 1 and "nothing was changed" in result.stderr
    assert db_content(files.db) == before
    assert not list(files.db.parent.glob("*.tmp*"))


def test_a_restored_backup_is_rebuilt_by_pk_and_checks_clean(pk, backup: Path, files: Files) -> None:
    result = pk("db", "restore", str(backup))
    assert result.exit_code == 0, result.output
    assert "Send VPN config" in pk("list").stdout and "Later" not in pk("list").stdout
    assert pk("db", "check").exit_code == 0
    done = pk("done", "1")
    assert done.exit_code == 0 and "→ Eva" in done.stdout


def test_db_check_reports_a_planted_trigger(pk, backup: Path, files: Files) -> None:
    plant(files.db, PLANTED["trigger"])
    result = pk("db", "check", env={"PK_DEBUG": ""})
    assert result.exit_code == 1
    assert "problem: schema: a trigger t that pk does not create" in result.stderr


def test_a_foreign_file_is_read_under_a_time_bound(pk, backup: Path, files: Files,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from promisekeeper.db import expected_schema

    with sqlite3.connect(backup) as conn:  # enough rows for SQLite to ask the bound a few times
        conn.execute("CREATE TEMP TABLE n (i)")
        conn.executemany("INSERT INTO n VALUES (?)", [(i,) for i in range(2000)])
        conn.execute("INSERT INTO promise_tag (tag, promise_id) SELECT 'tag' || i, 1 FROM n")
    conn.close()
    monkeypatch.setattr(expected_schema, "FOREIGN_BUDGET_S", -10.0)  # every statement is over time
    before = db_content(files.db)
    result = pk("db", "restore", str(backup), env={"PK_DEBUG": ""})
    assert result.exit_code == 2
    assert "cannot be restored: reading it took longer than" in result.stderr
    assert db_content(files.db) == before


@pytest.mark.parametrize("command", [("db", "restore"), ("db", "check")])
def test_a_working_copy_left_by_a_killed_restore_is_removed(pk, backup: Path, files: Files,
                                                           command: tuple[str, ...]) -> None:
    stale = files.db.parent / f"{files.db.name}.restore-999999999.tmp"
    stale.write_bytes(backup.read_bytes())
    result = pk(*command, *([str(backup)] if command[1] == "restore" else []))
    assert result.exit_code == 0, result.output
    assert not stale.exists()
    assert f"pk: removed {stale}, a working copy left by a restore that was stopped" in result.stderr
