"""`pk import` of a large `pk export` stages it in worker processes, each its own share.

What is stored, and which problem a refused file is named for, are as when one process
reads it: every table compared, on both engines, and each refusal compared with one
process's. PROMISEKEEPER_IMPORT_WORKERS asks for a count whatever the file's size, so the
files here stay small.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from conftest import both_engines, db_content, pk_executable

from promisekeeper.cli import import_workers
from promisekeeper.db.bulk import BATCH, REFRESH_AFTER

COUNT = 4500  # more than a staging batch for each of two workers

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")


def _record(number: int) -> dict[str, Any]:
    return {
        "uuid": str(uuid.UUID(int=number + 1)), "what": f"Call back {number}", "who": f"Customer {number}",
        "owner": "eva" if number % 3 else "bo", "tags": ["vpn", "mail"] if number % 2 else [],
        "due_at": "2026-11-24T10:00:00+00:00", "created_at": "2026-11-20T10:00:00+00:00",
        "events": [
            {"id": 1, "kind": "created", "at": "2026-11-20T10:00:00+00:00",
             "data": {"what": f"Call back {number}", "due_at": "2026-11-24T10:00:00+00:00"}},
            {"id": 2, "kind": "noted", "at": "2026-11-20T11:00:00+00:00", "data": {"text": f"note {number}"}},
            {"id": 3, "kind": "undone", "at": "2026-11-20T11:01:00+00:00", "data": {"kind": "noted"}, "undoes": 2},
        ],
    }


def _export_file(path: Path, records: list[dict[str, Any]]) -> None:
    """Laid out as `pk export` writes it: one promise a line, the first on line 2."""
    lines = ",\n".join(json.dumps(record, ensure_ascii=False) for record in records)
    path.write_text('{"format": "promisekeeper", "version": 1, "promises": [\n' + lines + "\n]}\n", encoding="utf-8")


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if ".import-" in p.name)


def _check_ins(pk, tmp_path: Path) -> list[dict[str, Any]]:
    """Exported check-ins of two series, two each (made in a database of their own): A, B, A, B."""
    elsewhere = {"PROMISEKEEPER_DB": str(tmp_path / "series.db")}
    for what in ("Update on the mail outage", "Update on the VPN"):
        result = pk("add", what, "--to", "Eva Spacek", "--every", "weekday 10:00", env=elsewhere)
        assert result.exit_code == 0, result.output
    for ident in ("1", "2"):  # each series' next check-in opens
        assert pk("done", ident, env=elsewhere).exit_code == 0
    carried = json.loads(pk("export", env=elsewhere).stdout)["promises"]
    assert [record["series"]["slot"] for record in carried] == [0, 0, 1, 1]
    return carried


# When each migration was applied: the wall clock's, not the import's.
NOT_COMPARED = "schema_migrations"


def _every_table(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    with sqlite3.connect(path) as connection:
        names = [(name, "WITHOUT ROWID" in sql.upper()) for name, sql in connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name <> ?", (NOT_COMPARED,))]
        # In the order stored (rowid), where a table has one: the same bytes, not only the same rows.
        return {name: connection.execute(f"SELECT * FROM {name}" if without_rowid else f"SELECT rowid, * FROM {name}")
                .fetchall() for name, without_rowid in names}


def _every_pg_table(server) -> dict[str, list[tuple[Any, ...]]]:
    names = [row[0] for row in server.connection.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> %s",
        (NOT_COMPARED,))]
    with server.connection.transaction():
        return {name: server.connection.execute(f'SELECT * FROM "{name}" ORDER BY 1, 2').fetchall() for name in names}


@linux_only
@both_engines
def test_the_workers_store_what_one_process_stores_in_every_table(pk, engine, files, tmp_path, request):
    check_ins = _check_ins(pk, tmp_path)
    records = [_record(n) for n in range(COUNT)]
    # Series A is first seen at #8, its next check-in at #3001: by other workers, two or three.
    for place, record in zip((7, 6, 3000, 4497), check_ins):
        records[place] = record
    path = tmp_path / "export.json"
    _export_file(path, records)
    stored = {}
    for workers in ("3", "1", "2"):
        if engine.name == "postgresql":
            request.getfixturevalue("postgres_server").reset()
        else:
            files.db.unlink(missing_ok=True)
        result = pk("import", str(path), env={import_workers.WORKERS_VAR: workers})
        assert result.exit_code == 0, result.output
        assert result.stdout == f"Imported {COUNT} promises from export.json\n"
        if engine.name == "postgresql":
            stored[workers] = _every_pg_table(request.getfixturevalue("postgres_server"))
        else:
            stored[workers] = _every_table(files.db)
        assert not _leftovers(files.db.parent)
    assert stored["3"] == stored["1"] == stored["2"]
    tables = stored["1"]
    assert len(tables["promise"]) == COUNT and len(tables["promise_tag"]) == 2 * (COUNT // 2 - 2)  # two tags on each odd one left
    series = json.loads(pk("export").stdout)["promises"]
    assert [(record["id"], record["series"]["slot"]) for record in series if "series" in record] == [
        (7, 0), (8, 0), (3001, 1), (4498, 1)]
    assert series[7]["series"]["uuid"] == series[3000]["series"]["uuid"] == check_ins[0]["series"]["uuid"]


@linux_only
def test_a_dry_run_and_standard_input_read_as_one_process_reads_them(pk, files, tmp_path, monkeypatch):
    spread = _spy(monkeypatch)
    path = tmp_path / "export.json"
    _export_file(path, [_record(n) for n in range(COUNT)])
    two = {import_workers.WORKERS_VAR: "2"}
    result = pk("import", str(path), "--dry-run", env=two)
    assert result.stdout == f"{COUNT} promises read from export.json; nothing stored (--dry-run)\n"
    assert db_content(files.db) == ([], []) and not _leftovers(files.db.parent)
    result = pk("import", "-", input=path.read_text(encoding="utf-8"), env=two)
    assert result.stdout == f"Imported {COUNT} promises from stdin\n"
    piped = _every_table(files.db)
    files.db.unlink()
    assert pk("import", str(path), env={import_workers.WORKERS_VAR: "1"}).exit_code == 0
    assert _every_table(files.db) == piped and spread == [2, 2]


def _spy(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The worker counts imports were staged with (none: one process)."""
    spread: list[int] = []
    real_stage = import_workers.stage

    def stage(*args: Any, **kwargs: Any) -> Any:
        spread.append(args[3])
        return real_stage(*args, **kwargs)

    monkeypatch.setattr(import_workers, "stage", stage)
    return spread


def _refusal(pk, path: Path, workers: str) -> tuple[int, str]:
    result = pk("import", str(path), env={import_workers.WORKERS_VAR: workers})
    return result.exit_code, result.stderr


def _refused_alike(pk, files, path: Path) -> str:
    """The refusal, the same with one, two and three processes, and nothing left behind."""
    pk("add", "existing", "--due", "in 2h")
    before = db_content(files.db)
    alone = _refusal(pk, path, "1")
    assert alone[0] == 2 and "Traceback" not in alone[1]
    for workers in ("2", "3"):
        assert _refusal(pk, path, workers) == alone
    assert db_content(files.db) == before
    assert not _leftovers(files.db.parent)
    return alone[1]


@linux_only
@pytest.mark.parametrize(("early", "late"), [(2345, 2500), (2346, 2501), (2345, 2346), (2346, 2347)])
def test_the_first_bad_record_is_named_whichever_worker_meets_it(pk, files, tmp_path, early, late):
    records = [_record(n) for n in range(COUNT)]
    records[early - 1]["who"] = "Eva\x1b[2J"
    records[late - 1]["due_at"] = "someday"
    path = tmp_path / "hostile.json"
    _export_file(path, records)
    assert _refused_alike(pk, files, path) == (
        f"pk: hostile.json: promise {early} (line {early + 1}): who holds the control character"
        " U+001B (ESC); type it as plain text\n")


@linux_only
@pytest.mark.parametrize(("twice", "bad", "named"), [
    ((5, 1002), None, "uuid {uuid} is given to promise 5 and promise 1002"),  # across workers
    ((5, 1001), None, "uuid {uuid} is given to promise 5 and promise 1001"),  # in one worker's share
    ((5, 1002), 2400, "uuid {uuid} is given to promise 5 and promise 1002"),  # before a later batch's bad record
    ((5, 1002), 1501, "promise 1501 (line 1502): 'what' is empty"),  # a bad record of the same batch comes first
    ((5, BATCH), BATCH + 1, "uuid {uuid} is given to promise 5 and promise 2000"),  # the batch's last
])
def test_a_uuid_given_twice_is_named_as_one_process_names_it(pk, files, tmp_path, twice, bad, named):
    records = [_record(n) for n in range(COUNT)]
    first, second = twice
    records[second - 1]["uuid"] = records[first - 1]["uuid"]
    records[3000]["uuid"] = records[2]["uuid"]  # a later second use is not the one named
    records[3001]["uuid"] = records[2]["uuid"]
    if bad is not None:
        records[bad - 1]["what"] = ""
    path = tmp_path / "twice.json"
    _export_file(path, records)
    said = _refused_alike(pk, files, path)
    assert said.startswith("pk: twice.json: ") and said.endswith(named.format(uuid=records[first - 1]["uuid"]) + "\n")


@linux_only
@pytest.mark.parametrize("cut", [300, 200_000])
def test_a_file_cut_short_is_refused_as_one_process_refuses_it(pk, files, tmp_path, cut):
    path = tmp_path / "cut.json"
    _export_file(path, [_record(n) for n in range(COUNT)])
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: len(text) - cut], encoding="utf-8")
    assert "cut.json is not valid JSON" in _refused_alike(pk, files, path)


@linux_only
def test_bytes_that_are_not_utf8_are_refused_as_one_process_refuses_them(pk, files, tmp_path):
    path = tmp_path / "bytes.json"
    _export_file(path, [_record(n) for n in range(COUNT)])
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2] + b"\xff" + data[len(data) // 2:])
    assert "bytes.json" in _refused_alike(pk, files, path)


def test_one_process_is_used_when_asked_or_for_a_small_file(pk, files, tmp_path, monkeypatch):
    spread = _spy(monkeypatch)
    path = tmp_path / "small.json"
    _export_file(path, [_record(n) for n in range(50)])
    assert pk("import", str(path), env={import_workers.WORKERS_VAR: "1"}).exit_code == 0
    files.db.unlink()
    monkeypatch.delenv(import_workers.WORKERS_VAR, raising=False)
    assert pk("import", str(path)).exit_code == 0  # far below LARGE
    assert spread == []
    files.db.unlink()
    assert pk("import", str(path), env={import_workers.WORKERS_VAR: "not a number"}).exit_code == 0
    assert spread == []
    if sys.platform.startswith("linux"):
        files.db.unlink()
        assert pk("import", str(path), env={import_workers.WORKERS_VAR: "2"}).exit_code == 0
        assert spread == [2]


# -- stopped midway ------------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as listed:
        return [int(child) for child in listed.read().split()]


def _start_import(path: Path, db: Path) -> tuple[subprocess.Popen[str], list[int]]:
    """The installed pk importing `path` with two workers, once both are staging rows."""
    environment = dict(os.environ, PROMISEKEEPER_DB=str(db), **{import_workers.WORKERS_VAR: "2"})
    environment.pop("PK_DEBUG", None)
    process = subprocess.Popen([pk_executable(), "import", str(path)], env=environment, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    scratch = [Path(f"{db}.import-{process.pid}-{index}") for index in range(2)]
    deadline = time.monotonic() + 60
    while not all(p.exists() and p.stat().st_size > 0 for p in scratch):  # both workers have begun
        assert time.monotonic() < deadline and process.poll() is None, process.communicate()
        time.sleep(0.002)
    return process, _children(process.pid)


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@linux_only
@pytest.mark.parametrize(("group", "number", "code", "said"), [
    (True, signal.SIGINT, 130, "pk: interrupted; nothing more was written\n"),  # a terminal's Ctrl-C: the whole group
    (False, signal.SIGTERM, 143, "pk: stopped by SIGTERM; nothing more was written\n"),  # pk alone: it ends its workers
])
def test_a_stop_during_the_workers_leaves_no_scratch_file_and_no_rows(files, tmp_path, group, number, code, said):
    path = tmp_path / "big.json"
    _export_file(path, [_record(n) for n in range(30_000)])
    process, workers = _start_import(path, files.db)
    (os.killpg if group else os.kill)(process.pid, number)
    out, err = process.communicate(timeout=60)
    assert (process.returncode, out, err) == (code, "", said)
    assert len(workers) == 2 and all(_gone(pid) for pid in workers)
    assert not _leftovers(files.db.parent)
    assert db_content(files.db) == ([], [])


@linux_only
def test_a_worker_that_dies_is_named_in_one_line_and_nothing_is_written(files, tmp_path):
    path = tmp_path / "big.json"
    _export_file(path, [_record(n) for n in range(30_000)])
    process, workers = _start_import(path, files.db)
    os.kill(workers[1], signal.SIGKILL)  # as the out-of-memory killer would
    out, err = process.communicate(timeout=60)
    assert (process.returncode, out) == (1, "")
    assert err == "pk: an import worker was stopped by signal 9; nothing was imported\n"
    assert _gone(workers[0])
    assert not _leftovers(files.db.parent)
    assert db_content(files.db) == ([], [])


@linux_only
def test_the_workers_end_when_pk_is_killed_outright(files, tmp_path):
    path = tmp_path / "big.json"
    _export_file(path, [_record(n) for n in range(30_000)])
    process, workers = _start_import(path, files.db)
    for pid in workers:
        os.kill(pid, signal.SIGSTOP)  # held still: only the parent-death signal can end them now
    process.kill()  # SIGKILL: pk cannot end its workers itself
    process.communicate(timeout=60)
    try:
        deadline = time.monotonic() + 30
        while not all(_gone(pid) for pid in workers):
            assert time.monotonic() < deadline, "a worker outlived pk"
            time.sleep(0.002)
    finally:
        for pid in workers:
            if not _gone(pid):
                os.kill(pid, signal.SIGKILL)


postgresql_only = pytest.mark.parametrize("engine", ["postgresql"], indirect=True)


def _maintained(server) -> dict[str, bool]:
    """Whether each table an import fills has been vacuumed and analysed by hand."""
    rows = server.connection.execute(
        "SELECT relname, last_vacuum IS NOT NULL AND last_analyze IS NOT NULL FROM pg_stat_user_tables"
        " WHERE relname IN ('promise', 'promise_tag', 'event')").fetchall()
    return dict(rows)


@postgresql_only
@pytest.mark.parametrize(("count", "refreshed"), [(REFRESH_AFTER, True), (REFRESH_AFTER - 1, False)])
def test_a_large_import_leaves_postgresql_with_fresh_statistics(pk, engine, tmp_path, request, count, refreshed):
    """Until autovacuum comes round, a freshly filled table reads as empty to the planner and
    every index scan visits the rows: the prompt's rebuild read 35 ms instead of 6 ms at
    100,000 promises. A large import vacuums and analyses what it filled; a small one leaves
    it to autovacuum."""
    server = request.getfixturevalue("postgres_server")
    path = tmp_path / "export.json"
    _export_file(path, [_record(n) for n in range(count)])
    result = pk("import", str(path), env={import_workers.WORKERS_VAR: "1"})
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Imported {count} promises from export.json\n"
    assert _maintained(server) == dict.fromkeys(("promise", "promise_tag", "event"), refreshed)
