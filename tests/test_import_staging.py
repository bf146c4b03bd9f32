"""`pk import` stages the file in a scratch database, then moves it in one short transaction.

On both engines: what is new here is stored with its journal (the `undoes` links kept),
what is already here is skipped, ids follow on from those used; a refusal leaves the
database as it was, and no scratch file stays behind.
"""

from __future__ import annotations

import json
import uuid

from conftest import both_engines


def _record(number: int, *, uid: str | None = None, events: bool = False) -> dict[str, object]:
    record: dict[str, object] = {
        "uuid": uid or str(uuid.UUID(int=number + 1)), "what": f"Call back {number}", "who": f"Customer {number}",
        "tags": ["vpn"] if number % 2 else [], "due_at": "2026-11-24T10:00:00+00:00",
        "created_at": "2026-11-20T10:00:00+00:00",
    }
    if events:
        record["events"] = [
            {"id": 1, "kind": "created", "at": "2026-11-20T10:00:00+00:00",
             "data": {"what": f"Call back {number}", "due_at": "2026-11-24T10:00:00+00:00"}},
            {"id": 2, "kind": "noted", "at": "2026-11-20T11:00:00+00:00", "data": {"text": "oops"}},
            {"id": 3, "kind": "undone", "at": "2026-11-20T11:01:00+00:00", "data": {"kind": "noted"}, "undoes": 2},
        ]
    return record


def _export_file(path, records) -> None:
    """Laid out as `pk export` writes it: one promise a line."""
    lines = ",\n".join(json.dumps(record) for record in records)
    path.write_text('{"format": "promisekeeper", "version": 1, "promises": [\n' + lines + "\n]}\n")


def _leftovers(files) -> list[str]:
    return sorted(p.name for p in files.db.parent.iterdir() if ".import-" in p.name)


@both_engines
def test_new_promises_follow_on_with_their_journals_and_known_ones_are_skipped(pk, tmp_path):
    pk("add", "made here", "--due", "in 2h")
    first = tmp_path / "first.json"
    _export_file(first, [_record(n, events=True) for n in range(3)])
    assert "Imported 3 promises" in pk("import", str(first)).stdout
    second = tmp_path / "second.json"
    _export_file(second, [_record(n, events=True) for n in range(1, 5)])
    result = pk("import", str(second))
    assert result.exit_code == 0, result.output
    assert "Imported 2 promises" in result.stdout and "2 already here" in result.stdout
    promises = json.loads(pk("list", "--all", "--json").stdout)
    assert [(p["id"], p["what"]) for p in promises][-2:] == [(5, "Call back 3"), (6, "Call back 4")]
    shown = json.loads(pk("show", "6", "--json").stdout)
    noted, undone = shown["events"][1], shown["events"][2]
    assert (noted["kind"], undone["kind"], undone["undoes"]) == ("noted", "undone", noted["id"])
    assert shown["tags"] == [] and json.loads(pk("show", "5", "--json").stdout)["tags"] == ["vpn"]
    assert len(json.loads(pk("log", "--json").stdout)) >= 1 + 5 * 3
    assert pk("list", "--tag", "vpn", "--json").stdout.count('"uuid"') == 2  # records 1 and 3
    pk("add", "after the import", "--due", "in 3h")
    assert json.loads(pk("show", "7", "--json").stdout)["what"] == "after the import"


@both_engines
def test_a_uuid_given_twice_far_apart_is_refused_naming_both(pk, engine, tmp_path):
    pk("add", "existing", "--due", "in 2h")
    before = engine.content()
    records = [_record(n) for n in range(2300)]
    records[2250]["uuid"] = records[4]["uuid"]  # in another batch than its first use
    path = tmp_path / "twice.json"
    _export_file(path, records)
    result = pk("import", str(path))
    assert result.exit_code == 2
    assert f"uuid {records[4]['uuid']} is given to promise 5 and promise 2251" in result.stderr
    assert engine.content() == before


def test_no_scratch_file_stays_behind(pk, files, tmp_path):
    path = tmp_path / "in.json"
    _export_file(path, [_record(n) for n in range(3)])
    assert pk("import", str(path)).exit_code == 0
    assert pk("import", str(path), "--dry-run").exit_code == 0
    _export_file(path, [_record(1), {"what": "x"}])
    assert pk("import", str(path)).exit_code == 2
    assert _leftovers(files) == []


def test_taskwarrior_export_is_read_a_task_a_line(pk, tmp_path):
    tasks = [{"uuid": str(uuid.UUID(int=n + 1)), "description": f"task {n}", "entry": "20261120T100000Z",
              "due": "20261124T090000Z", "status": "pending"} for n in range(3)]
    path = tmp_path / "tasks.json"
    # As `task export` prints them: the bracket, then one task a line.
    path.write_text("[\n" + ",\n".join(json.dumps(task) for task in tasks) + "\n]\n")
    result = pk("import", str(path))
    assert result.exit_code == 0 and "Imported 3" in result.stdout, result.output
    # A task spread over lines part-way: the rest is read as one document, and still refused by place.
    path.write_text("[\n" + json.dumps(tasks[0]) + ',\n{"description": "x",\n "due": "soon"}\n]\n')
    refused = pk("import", str(path), env={"PROMISEKEEPER_DB": str(tmp_path / "other.db")})
    assert refused.exit_code == 2 and "task 2" in refused.stderr and "due 'soon' is not a timestamp" in refused.stderr


def test_csv_and_standard_input_stream_the_same(pk, tmp_path):
    rows = "what,due_at,created_at\n" + "".join(
        f"row {n},2026-11-24T10:00:00+00:00,2026-11-20T10:00:00+00:00\n" for n in range(2500))
    assert "Imported 2500" in pk("import", "-", "--format", "csv", input=rows).stdout
    bad = rows + "late,not a time,2026-11-20T10:00:00+00:00\n"
    refused = pk("import", "-", "--format", "csv", input=bad, env={"PROMISEKEEPER_DB": str(tmp_path / "o.db")})
    assert refused.exit_code == 2 and "stdin: line 2502" in refused.stderr


def test_any_layout_of_an_array_is_read_an_item_at_a_time(pk, tmp_path):
    # Many promises a line, spread over lines, and past the 1 MiB piece the reader takes at a time.
    records = [dict(_record(n), what=f"{n} " + "w" * 400) for n in range(3000)]
    text = "[" + ",".join(json.dumps(r) for r in records[:1500]) + ",\n  " + ",\n".join(
        json.dumps(r, indent=1) for r in records[1500:]) + "\n]\n"
    path = tmp_path / "layout.json"
    path.write_text(text)
    assert len(text) > 1 << 20
    result = pk("import", str(path))
    assert result.exit_code == 0 and "Imported 3000" in result.stdout, result.output
    assert json.loads(pk("show", "3000", "--json").stdout)["what"].startswith("2999 w")


def test_a_mistake_late_in_a_large_array_is_named_by_its_line(pk, files, tmp_path):
    records = [dict(_record(n), what=f"{n} " + "w" * 400) for n in range(3000)]
    lines = [json.dumps(r) for r in records]
    lines[2800] = lines[2800][:-1]  # a brace left out
    path = tmp_path / "broken.json"
    path.write_text("[\n" + ",\n".join(lines) + "\n]\n")
    result = pk("import", str(path))
    assert result.exit_code == 2 and "broken.json is not valid JSON" in result.stderr
    assert "at line 2803" in result.stderr  # where the parser meets the next promise
    assert _leftovers(files) == [] and not files.db.exists()  # a refused import makes no database


@both_engines
def test_the_export_the_database_writes_reads_back_the_same(pk, tmp_path):
    pk("add", "Call Bob", "--to", "Bob", "--tag", "vpn", "--tag", "billing", "--due", "2026-11-25 10:00 Europe/Rome")
    pk("note", "1", "first")
    pk("undo")
    pk("add", "Late one", "--due", "2026-11-24 10:00")
    pk("done", "2", now="2026-11-24T11:00:00+01:00")
    document = json.loads(pk("export").stdout)
    listed = {p["id"]: p for p in json.loads(pk("list", "--all", "--json").stdout)}
    for promise in document["promises"]:
        events = promise.pop("events")
        assert promise == listed[promise["id"]]
        assert all(e["at"].endswith("+00:00") and len(e["at"]) == 25 for e in events)
    first = document["promises"][0]
    assert first["due_local"] == "2026-11-25T10:00:00+01:00" and first["tags"] == ["vpn", "billing"]
    journal = json.loads(pk("export").stdout)["promises"][0]["events"]
    noted = next(e for e in journal if e["kind"] == "noted")
    undone = next(e for e in journal if e["kind"] == "undone")
    assert noted["undone"] is True and undone["undoes"] == noted["id"] and undone["undone"] is False
    assert pk("export", "--format", "csv").stdout.startswith("id,uuid,what")
    assert "BEGIN:VTODO" in pk("export", "--format", "ics").stdout
