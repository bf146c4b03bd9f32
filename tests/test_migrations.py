"""Schema history: a migrated blank database equals the models; older files upgrade in place."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from conftest import both_engines
from sqlalchemy import create_engine, inspect
from sqlmodel import SQLModel

from promisekeeper.db import migrations, models
from promisekeeper.db.database import Database
from promisekeeper.errors import StorageError

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE = FIXTURES / "schema-1-database.sql"
TABLES = ("promise", "promise_tag", "event", "series", "notice", "push_delivery", "sync_mark")


def opened(path: Path | str) -> None:
    """Open a database file as any command would (creating or upgrading it)."""
    database = Database(str(path)).creating()
    database.writer.engine  # noqa: B018 - opening the write half migrates the file
    database.close()


def shape(url: str) -> dict[str, object]:
    """Tables with their columns, indexes, unique constraints and foreign keys."""
    inspector = inspect(create_engine(url))
    result: dict[str, object] = {}
    for table in TABLES:
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
    opened(migrated)  # opening a new file runs every migration
    modelled = tmp_path / "modelled.db"
    tables = [models.Promise.__table__, models.PromiseTag.__table__, models.Event.__table__, models.Series.__table__,
              models.Notice.__table__,
              models.PushDelivery.__table__, models.SyncMark.__table__]
    SQLModel.metadata.create_all(create_engine(f"sqlite:///{modelled}"), tables=tables)
    assert shape(f"sqlite:///{migrated}") == shape(f"sqlite:///{modelled}")


def test_versions_are_recorded(tmp_path):
    path = tmp_path / "new.db"
    opened(path)
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
    opened(path)
    return path


def test_a_newer_schema_is_refused(tmp_path, pk):
    path = tmp_path / "newer.db"
    opened(path)
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO schema_migrations (name) VALUES ('m9999_from_the_future')")
    result = pk("list", env={"PROMISEKEEPER_DB": str(path), "PK_DEBUG": ""})
    assert result.exit_code == 1
    assert "newer promisekeeper" in result.stderr
    with pytest.raises(StorageError):
        opened(path)


def test_two_processes_opening_a_blank_file_migrate_it_once(tmp_path):
    import multiprocessing

    path = tmp_path / "race.db"
    context = multiprocessing.get_context("spawn")
    with context.Pool(4) as pool:
        pool.map(_open, [str(path)] * 8)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == migrations.SCHEMA_VERSION


def _open(path: str) -> None:
    opened(path)


def test_a_schema_2_file_upgrades_and_every_view_reads_as_before(tmp_path, pk):
    # The file and the views' JSON were both made by the previous version (schema 2), with
    # every kind of event: kept, late, broken, released, moved, undone, reminded, imported.
    path = tmp_path / "v2.db"
    with sqlite3.connect(path) as conn:
        conn.executescript((FIXTURES / "schema-2-database.sql").read_text())
    expected = json.loads((FIXTURES / "schema-2-expected.json").read_text())
    env = {"PROMISEKEEPER_DB": str(path), "PROMISEKEEPER_NOW": "2026-11-23T10:30:00+01:00"}

    def read(*args: str) -> object:
        result = pk(*args, env=env)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    # Its promises have three owners: a view shows everyone's with --team, as it did then.
    assert read("list", "--all", "--json", "--team") == expected["list"]
    assert read("stats", "--json", "--team") == expected["stats"]
    assert read("stats", "--json", "--by", "tag", "--team") == expected["stats_by_tag"]
    assert read("log", "--json", "--limit", "0") == expected["log"]
    for ident, shown in expected["shows"].items():
        assert read("show", ident, "--json") == shown
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION
        tags = conn.execute("SELECT tag, promise_id FROM promise_tag ORDER BY promise_id, tag").fetchall()
    assert tags == [("billing", 1), ("vpn", 1), ("printer", 2), ("x", 5), ("y", 5)]
    assert shape(f"sqlite:///{path}") == shape(f"sqlite:///{_fresh(tmp_path)}")


def test_a_schema_3_file_upgrades_with_the_owners_its_journal_names(tmp_path, pk):
    # Made by the previous version (schema 3): an owner changed by `pk edit`, an imported
    # hand-off, reminders before reminders named their owner.
    path = tmp_path / "v3.db"
    with sqlite3.connect(path) as conn:
        conn.executescript((FIXTURES / "schema-3-database.sql").read_text())
    env = {"PROMISEKEEPER_DB": str(path), "PROMISEKEEPER_NOW": "2026-11-23T10:30:00+01:00", "LOGNAME": "ann"}

    def read(*args: str) -> object:
        result = pk(*args, "--json", env=env)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    report = read("stats", "--team", "--by", "owner")
    owners = [(group["group"], group["kept"], group["late"], group["broken"]) for group in report["groups"]]
    # #2 was Bo Ek's (by an edit) when it lapsed; #4 he kept late after the hand-off.
    assert owners == [("ann", 0, 1, 0), ("Bo Ek", 0, 1, 2)]
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION
        columns = conn.execute("SELECT id, kind, owner, team FROM event WHERE owner IS NOT NULL OR kind = 'reminded'"
                               " ORDER BY id").fetchall()
    assert columns == [(4, "reminded", None, 0), (6, "edited", "ann", 0), (7, "reminded", None, 0),
                       (9, "handed_off", "ann", 0), (11, "reminded", None, 0)]
    # Reminders sent then name nobody: they count for whoever owns the promise.
    own = read("remind", "--owner", "bo ek", "--digest")
    assert [(item["id"], item["stage"]) for item in own] == [(2, "overdue"), (3, "due")]
    assert [(item["id"], item["stage"]) for item in read("remind", "--team", "--digest")] == [
        (2, "overdue"), (3, "overdue")]
    assert shape(f"sqlite:///{path}") == shape(f"sqlite:///{_fresh(tmp_path)}")


@both_engines
def test_the_owner_columns_step_upgrades_either_engine_in_place(engine, pk):
    # A database at schema 3 made by its own steps, then upgraded by opening it.
    from sqlalchemy import text

    url = f"sqlite:///{engine.target}" if engine.name == "sqlite" else engine.target
    if engine.name == "sqlite":
        Path(engine.target).parent.mkdir(parents=True, exist_ok=True)
    made = create_engine(url)
    with made.begin() as conn:
        migrations.upgrade(conn, steps=migrations.MIGRATIONS[:3])
        conn.execute(text(
            "INSERT INTO promise (id, uuid, what, tags, owner, created_at, due_at, original_due_at, state,"
            " who_key, ref_key, search_key) VALUES (1, 'a1b2c3d4', 'Call back', '', 'Bo', 1763280000,"
            " 1763305200, 1763305200, 'open', '', '', '')"))
        for ident, kind, data in (
            (1, "created", {"what": "Call back", "owner": "Ann", "due_at": "2025-11-16T15:00:00+00:00"}),
            (2, "handed_off", {"from_owner": "Ann", "to_owner": "Bo", "reason": "off shift"}),
            (3, "reminded", {"stage": "due", "due_at": "2025-11-16T15:00:00+00:00"}),
        ):
            conn.execute(text("INSERT INTO event (id, promise_id, at, kind, data, imported) VALUES"
                              " (:id, 1, 1763290000, :kind, :data, 0)"),
                         {"id": ident, "kind": kind, "data": json.dumps(data)})
    made.dispose()
    listed = pk("list", "--json", "--team")
    assert listed.exit_code == 0, listed.output
    from promisekeeper.db.database import Database

    with Database().reading() as reader:
        found = reader.all("SELECT id, owner, team FROM event ORDER BY id")
    assert [tuple(row) for row in found] == [(1, None, 0), (2, "Ann", 0), (3, None, 0)]
