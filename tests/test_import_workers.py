"""`pk import` of a large file of pk's records checks them in worker processes.

What is stored, and which problem a refused file is named for (the first in the file), are
as when one process reads it: the records come back in the file's order. Two workers are
asked for whatever the machine has, so that the spreading is exercised on one core too.
"""

from __future__ import annotations

import json
import uuid

import pytest
from conftest import db_content

from promisekeeper.cli import import_workers

LARGE = import_workers.SMALL + 600  # enough records for workers, several chunks each


@pytest.fixture
def spread(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Two workers, whatever the machine; the list records each time workers were asked for."""
    asked: list[int] = []

    def two() -> int:
        asked.append(2)
        return 2

    monkeypatch.setattr(import_workers, "_workers", two)
    return asked


def _record(number: int) -> dict[str, object]:
    return {
        "uuid": str(uuid.UUID(int=number + 1)), "what": f"Call back {number}", "who": f"Customer {number}",
        "owner": "eva" if number % 3 else "bo", "tags": ["vpn"] if number % 2 else [],
        "due_at": "2026-11-24T10:00:00+00:00", "created_at": "2026-11-20T10:00:00+00:00",
        "events": [
            {"id": 1, "kind": "created", "at": "2026-11-20T10:00:00+00:00",
             "data": {"what": f"Call back {number}", "due_at": "2026-11-24T10:00:00+00:00"}},
            {"id": 2, "kind": "noted", "at": "2026-11-20T11:00:00+00:00", "data": {"text": f"note {number}"}},
            {"id": 3, "kind": "undone", "at": "2026-11-20T11:01:00+00:00", "data": {"kind": "noted"}, "undoes": 2},
        ],
    }


def _export_file(path, records) -> None:
    """Laid out as `pk export` writes it: one promise a line, the first on line 2."""
    lines = ",\n".join(json.dumps(record, ensure_ascii=False) for record in records)
    path.write_text('{"format": "promisekeeper", "version": 1, "promises": [\n' + lines + "\n]}\n", encoding="utf-8")


def test_a_large_file_is_stored_as_one_process_stores_it(pk, files, tmp_path, spread):
    records = [_record(n) for n in range(LARGE)]
    whole, first, rest = tmp_path / "whole.json", tmp_path / "first.json", tmp_path / "rest.json"
    _export_file(whole, records)
    _export_file(first, records[:1500])  # each below SMALL: read in this process
    _export_file(rest, records[1500:])
    result = pk("import", str(whole))
    assert result.exit_code == 0, result.output
    assert f"Imported {LARGE} promises" in result.stdout and spread == [2]
    alone = tmp_path / "alone.db"
    for part in (first, rest):
        assert pk("import", str(part), env={"PROMISEKEEPER_DB": str(alone)}).exit_code == 0
    assert spread == [2]  # the two smaller files were not spread
    stored = db_content(files.db)
    assert len(stored[0]) == LARGE and len(stored[1]) == 3 * LARGE
    assert stored == db_content(alone)


def test_the_first_problem_in_the_file_is_named_whichever_worker_meets_it(pk, files, tmp_path, spread):
    pk("add", "existing", "--due", "in 2h")
    before = db_content(files.db)
    records = [_record(n) for n in range(LARGE)]
    records[2344]["who"] = "Eva\x1b[2J"
    records[2500]["due_at"] = "someday"
    path = tmp_path / "hostile.json"
    _export_file(path, records)
    result = pk("import", str(path))
    assert result.exit_code == 2 and spread == [2]
    assert result.stderr == ("pk: hostile.json: promise 2345 (line 2346): who holds the control character"
                             " U+001B (ESC); type it as plain text\n")
    assert db_content(files.db) == before
    assert not [p for p in files.db.parent.iterdir() if ".import-" in p.name]


def test_a_uuid_given_twice_in_an_earlier_batch_is_named_before_a_later_bad_record(pk, files, tmp_path, spread):
    records = [_record(n) for n in range(LARGE)]
    records[1000]["uuid"] = records[4]["uuid"]  # both in the first staging batch
    records[2400]["what"] = ""  # read after that batch was staged, as in one process
    path = tmp_path / "twice.json"
    _export_file(path, records)
    result = pk("import", str(path))
    assert result.exit_code == 2
    assert f"uuid {records[4]['uuid']} is given to promise 5 and promise 1001" in result.stderr
    records[1000]["uuid"], records[1500]["what"] = records[1000]["uuid"], ""  # now one batch holds both
    _export_file(path, records)
    result = pk("import", str(path))
    assert result.exit_code == 2
    assert "twice.json: promise 1501 (line 1502): 'what' is empty" in result.stderr
    assert db_content(files.db) == ([], []) and spread == [2, 2]


def test_a_file_cut_short_is_refused_after_the_records_before_the_cut(pk, files, tmp_path, spread):
    path = tmp_path / "cut.json"
    _export_file(path, [_record(n) for n in range(LARGE)])
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: len(text) - 300], encoding="utf-8")  # the last record and the closing brackets
    result = pk("import", str(path))
    assert result.exit_code == 2 and spread == [2]
    assert "cut.json is not valid JSON" in result.stderr and "Traceback" not in result.output
    assert db_content(files.db) == ([], [])
