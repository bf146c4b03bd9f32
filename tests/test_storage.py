"""The database file: private, WAL, foreign keys, indexed, and safe when refused or broken."""

from __future__ import annotations

import os
import sqlite3
import stat

from conftest import db_content
from sqlalchemy import text

from promisekeeper.db.database import Database


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_file_is_private_and_in_wal_mode(pk, files):
    assert pk("add", "x", "--due", "in 2h").exit_code == 0
    assert mode(files.db) == 0o600
    assert mode(files.db.parent) == 0o700
    with sqlite3.connect(files.db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_connections_enforce_foreign_keys_and_wait_when_busy(files):
    db = Database().creating()
    with db.change() as tx:
        conn = tx.session.connection()
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 1000
        try:
            conn.execute(text("INSERT INTO event (promise_id, at, kind, data, imported) VALUES (999, 0, 'noted', '{}', 0)"))
        except Exception as error:  # the foreign key refuses an event for no promise
            assert "FOREIGN KEY" in str(error)
        else:
            raise AssertionError("an event for a missing promise was accepted")


def test_open_promises_by_due_time_use_the_index(pk, files):
    pk("add", "x", "--due", "in 2h")
    with sqlite3.connect(files.db) as conn:
        plan = conn.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM promise WHERE state = 'open' AND due_at < ? ORDER BY due_at",
            ("2026-12-01 00:00:00.000000",),
        ).fetchall()
    assert any("ix_promise_open_due" in row[-1] for row in plan), plan


def test_every_change_is_one_row_and_one_event(pk, files):
    pk("add", "x", "--due", "in 2h")
    pk("note", "1", "hello")
    pk("done", "1")
    promises, events = db_content(files.db)
    assert len(promises) == 1
    assert [row[3] for row in events] == ["created", "noted", "kept"]


def test_unusable_database_path_is_one_line_exit_1(pk, files, tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    result = pk("add", "x", env={"PROMISEKEEPER_DB": str(blocker / "promises.db"), "PK_DEBUG": ""})
    assert result.exit_code == 1
    assert result.stderr.startswith(f"pk: no folder {blocker} for the database")
    assert "Traceback" not in result.output


def test_corrupt_database_is_one_line_exit_1(pk, files, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 100)
    junk.chmod(0o600)  # else a (correct) notice that its mode was tightened comes first
    result = pk("list", env={"PROMISEKEEPER_DB": str(junk), "PK_DEBUG": ""})
    assert result.exit_code == 1
    assert "pk: " in result.stderr and "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


def test_locked_database_is_one_line_exit_1_and_nothing_lost(pk, files):
    assert pk("add", "first", "--due", "in 2h").exit_code == 0
    holder = sqlite3.connect(files.db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = pk("add", "second", "--due", "in 2h", env={"PROMISEKEEPER_BUSY_TIMEOUT": "0.2", "PK_DEBUG": ""})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 1
    assert "locked" in result.stderr and "try again" in result.stderr
    assert len(db_content(files.db)[0]) == 1
    assert pk("add", "second", "--due", "in 2h").exit_code == 0


def test_database_url_form_is_accepted(pk, files):
    url = f"sqlite:///{files.root / 'url.db'}"
    assert pk("add", "x", "--due", "in 2h", env={"PROMISEKEEPER_DB": url}).exit_code == 0
    assert (files.root / "url.db").exists()


def test_db_commands(pk, files, tmp_path):
    pk("add", "x", "--due", "in 2h")
    info = pk("db")
    assert info.exit_code == 0 and str(files.db) in info.stdout and "1 (1 open)" in info.stdout
    assert pk("db", "path").stdout.strip() == str(files.db)
    assert pk("db", "check").exit_code == 0
    backup = pk("db", "backup", str(tmp_path / "copy.db"))
    assert backup.exit_code == 0
    assert mode(tmp_path / "copy.db") == 0o600
    assert db_content(tmp_path / "copy.db") == db_content(files.db)
    again = pk("db", "backup", str(tmp_path / "copy.db"))
    assert again.exit_code == 2 and "exists" in again.stderr


def test_a_loose_database_is_tightened_with_a_notice(pk, files):
    pk("add", "x", "--due", "in 2h")
    os.chmod(files.db, 0o644)
    result = pk("db", "check")
    assert result.exit_code == 0, result.output
    assert result.stderr == f"pk: {files.db} was open to others (mode 0644); it holds customers' details, so it is now private (0600)\n"
    assert mode(files.db) == 0o600


def test_db_check_reports_a_loose_data_folder(pk, files, monkeypatch, tmp_path):
    monkeypatch.delenv("PROMISEKEEPER_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    pk("add", "x", "--due", "in 2h")
    folder = tmp_path / "xdg" / "promisekeeper"
    assert mode(folder) == 0o700 and pk("db", "check").exit_code == 0
    os.chmod(folder, 0o755)
    result = pk("db", "check")
    assert result.exit_code == 1 and f"chmod 700 {folder}" in result.stderr


def test_a_chosen_folder_is_left_to_its_owner(pk, files):
    pk("add", "x", "--due", "in 2h")
    os.chmod(files.db.parent, 0o755)
    assert pk("db", "check").exit_code == 0


def test_db_check_notices_a_damaged_schema(pk, files):
    pk("add", "x", "--due", "in 2h")
    with sqlite3.connect(files.db) as conn:
        conn.execute("DROP INDEX ix_promise_open_due")
        conn.execute("PRAGMA user_version = 2")
    result = pk("db", "check")
    assert result.exit_code == 1
    assert "index ix_promise_open_due is missing" in result.stderr and "user_version 2" in result.stderr


def test_db_check_notices_a_missing_table(pk, files):
    pk("add", "x", "--due", "in 2h")
    with sqlite3.connect(files.db) as conn:
        conn.execute("ALTER TABLE event RENAME TO ev2")
    result = pk("db", "check", env={"PK_DEBUG": ""})
    assert result.exit_code == 1 and "table event is missing" in result.stderr


def test_default_backups_are_named_by_local_time_and_never_collide(pk, files):
    pk("add", "x", "--due", "in 2h")
    first = pk("db", "backup")
    second = pk("db", "backup")
    assert first.exit_code == 0 and second.exit_code == 0, second.output
    assert "promises-20261123-093000.db" in first.stdout
    assert "promises-20261123-093000-2.db" in second.stdout
    missing = pk("db", "backup", str(files.root / "no" / "such" / "x.db"))
    assert missing.exit_code == 2 and "no folder" in missing.stderr


def test_empty_due_is_refused_not_read_as_a_default(pk, files):
    result = pk("add", "x", "--due", "")
    assert result.exit_code == 2
    assert db_content(files.db) == ([], [])
