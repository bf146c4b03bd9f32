"""Schema history: a migrated blank database equals the models; older files upgrade in place."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect
from sqlmodel import SQLModel

from promisekeeper import migrations, models  # noqa: F401 - models registers the tables
from promisekeeper.errors import StorageError
from promisekeeper.store import Database

FIXTURE = Path(__file__).parent / "fixtures" / "schema-1-database.sql"


def shape(url: str) -> dict[str, object]:
    """Tables with their columns, indexes, unique constraints and foreign keys."""
    inspector = inspect(create_engine(url))
    result: dict[str, object] = {}
    for table in ("promise", "event"):
        result[table] = {
            "columns": sorted(
                (c["name"], str(c["type"]).split("(")[0], c["nullable"], bool(c.get("primary_key")))
                for c in inspector.get_columns(table)
            ),
            "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"])) for i in inspector.get_indexes(table)),
            "unique": sorted(tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)),
            "foreign_keys": sorted(
                (tuple(f["constrained_columns"]), f["referred_table"], tuple(f["referred_columns"]))
                for f in inspector.get_foreign_keys(table)
            ),
            "checks": sorted(c["sqltext"].replace(" ", "") for c in inspector.get_check_constraints(table)),
        }
    return result


def test_migrated_blank_database_matches_the_models(tmp_path):
    migrated = tmp_path / "migrated.db"
    Database(str(migrated)).engine  # opening a new file runs every migration
    modelled = tmp_path / "modelled.db"
    SQLModel.metadata.create_all(create_engine(f"sqlite:///{modelled}"), tables=[models.Promise.__table__, models.Event.__table__])
    assert shape(f"sqlite:///{migrated}") == shape(f"sqlite:///{modelled}")


def test_versions_are_recorded(tmp_path):
    path = tmp_path / "new.db"
    Database(str(path)).engine
    with sqlite3.connect(path) as conn:
        names = [row[0] for row in conn.execute("SELECT name FROM schema_migrations ORDER BY rowid")]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    assert names == [step.__name__ for step in migrations.MIGRATIONS]
    assert version == migrations.SCHEMA_VERSION


def load_fixture(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.executescript(FIXTURE.read_text())


def test_schema_1_file_upgrades_in_place_keeping_its_data(tmp_path, pk):
    path = tmp_path / "old.db"
    load_fixture(path)
    env = {"PROMISEKEEPER_DB": str(path)}
    listed = pk("list", "--all", "--json", env=env)
    assert listed.exit_code == 0, listed.output
    promises = {p["id"]: p for p in json.loads(listed.stdout)}
    assert promises[1]["state"] == "kept" and promises[1]["who"] == "Eva Spacek"
    assert promises[2]["due_tz"] == "Europe/Rome" and promises[2]["tags"] == []
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION
        columns = [row[1] for row in conn.execute("PRAGMA table_info(event)")]
    assert "undoes" in columns
    # The new capability works on the old data: undo the old reschedule.
    undone = pk("undo", env=env)
    assert undone.exit_code == 0, undone.output
    after = json.loads(pk("show", "2", "--json", env=env).stdout)
    assert after["due_at"] == "2026-11-30T14:00:00+00:00"
    assert [e["kind"] for e in after["events"]] == ["created", "rescheduled", "undone"]
    assert shape(f"sqlite:///{path}") == shape(f"sqlite:///{_fresh(tmp_path)}")


def _fresh(tmp_path: Path) -> Path:
    path = tmp_path / "fresh.db"
    Database(str(path)).engine
    return path


def test_a_newer_schema_is_refused(tmp_path, pk):
    path = tmp_path / "newer.db"
    Database(str(path)).engine
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO schema_migrations (name) VALUES ('m9999_from_the_future')")
    result = pk("list", env={"PROMISEKEEPER_DB": str(path), "PK_DEBUG": ""})
    assert result.exit_code == 1
    assert "newer promisekeeper" in result.stderr
    with pytest.raises(StorageError):
        Database(str(path)).engine


def test_two_processes_opening_a_blank_file_migrate_it_once(tmp_path):
    import multiprocessing

    path = tmp_path / "race.db"
    context = multiprocessing.get_context("spawn")
    with context.Pool(4) as pool:
        pool.map(_open, [str(path)] * 8)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == migrations.SCHEMA_VERSION


def _open(path: str) -> None:
    Database(path).engine
