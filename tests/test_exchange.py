"""Export (JSON with history, CSV, iCalendar) and import (JSON, CSV, Taskwarrior)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from conftest import db_content


@pytest.fixture
def history(pk):
    """Three promises: one kept late after a renegotiation, one released, one open with an undone note."""
    pk("add", "Send VPN config", "--to", "Eva", "--contact", "+46 70 123", "--tag", "vpn", "--due", "2026-11-23 12:00")
    pk("reschedule", "1", "2026-11-23 14:00", "--reason", "vendor")
    pk("done", "1", now="2026-11-23T14:30:00+01:00")
    pk("add", "=HYPERLINK(\"http://evil\")", "--due", "2026-11-24 10:00")
    pk("cancel", "2", "--reason", "not needed")
    pk("add", "Call Bob", "--ref", "INC-7", "--due", "2026-11-25 10:00 Europe/Rome")
    pk("note", "3", "oops")
    pk("undo")


def stats(pk, env=None):
    return json.loads(pk("stats", "--json", env=env).stdout)


def test_json_round_trip_keeps_history_and_stats(pk, history, files, tmp_path):
    exported = pk("export")
    assert exported.exit_code == 0, exported.output
    document = json.loads(exported.stdout)
    assert document["format"] == "promisekeeper" and len(document["promises"]) == 3
    (tmp_path / "out.json").write_text(exported.stdout)
    other = {"PROMISEKEEPER_DB": str(tmp_path / "other.db")}
    imported = pk("import", str(tmp_path / "out.json"), env=other)
    assert imported.exit_code == 0 and "Imported 3" in imported.stdout
    again = pk("export", env=other)
    redo = json.loads(again.stdout)["promises"]
    for before, after in zip(document["promises"], redo):
        assert {k: v for k, v in before.items() if k != "events"} == {k: v for k, v in after.items() if k != "events"}
        assert [(e["kind"], e["at"], e["data"]) for e in before["events"]] == [(e["kind"], e["at"], e["data"]) for e in after["events"]]
    undone = [e for e in redo[2]["events"] if e["kind"] == "undone"][0]
    noted = [e for e in redo[2]["events"] if e["kind"] == "noted"][0]
    assert undone["undoes"] == noted["id"]
    assert stats(pk, other) == stats(pk)


def test_importing_twice_skips_what_is_there(pk, history, tmp_path):
    path = tmp_path / "out.json"
    path.write_text(pk("export").stdout)
    result = pk("import", str(path))
    assert result.exit_code == 0 and "Imported 0" in result.stdout and "3 already here" in result.stdout


def test_csv_export_defuses_formulas_and_round_trips(pk, history, tmp_path):
    text = pk("export", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[1]["what"].startswith("'=HYPERLINK")
    assert rows[0]["contact"] == "'+46 70 123"
    assert rows[0]["tags"] == "vpn" and rows[0]["state"] == "kept"
    path = tmp_path / "out.csv"
    path.write_text(text)
    other = {"PROMISEKEEPER_DB": str(tmp_path / "other.db")}
    assert pk("import", str(path), env=other).exit_code == 0
    back = json.loads(pk("list", "--all", "--json", env=other).stdout)
    assert back[1]["what"] == '=HYPERLINK("http://evil")' and back[0]["contact"] == "+46 70 123"
    assert [p["state"] for p in back] == ["kept", "released", "open"]


def test_ics_export_has_todos_with_due(pk, history):
    from icalendar import Calendar

    text = pk("export", "--format", "ics").stdout
    calendar = Calendar.from_ical(text)
    todos = [c for c in calendar.walk() if c.name == "VTODO"]
    assert [str(t["status"]) for t in todos] == ["COMPLETED", "CANCELLED", "NEEDS-ACTION"]
    assert todos[2].decoded("due").isoformat() == "2026-11-25T09:00:00+00:00"


def test_taskwarrior_import(pk, tmp_path):
    tasks = [
        {"id": 1, "description": "Call back Eva", "entry": "20261120T100000Z", "due": "20261124T090000Z",
         "status": "pending", "uuid": "7c8c4f5e-0000-4000-8000-000000000001", "tags": ["vpn"], "project": "INC-1",
         "annotations": [{"entry": "20261121T100000Z", "description": "left voicemail"}]},
        {"id": 0, "description": "Old one", "entry": "20261101T100000Z", "due": "20261102T090000Z",
         "end": "20261102T080000Z", "status": "completed", "uuid": "7c8c4f5e-0000-4000-8000-000000000002"},
        {"id": 0, "description": "No deadline", "entry": "20261101T100000Z", "status": "pending",
         "uuid": "7c8c4f5e-0000-4000-8000-000000000003"},
    ]
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps(tasks))
    result = pk("import", str(path))
    assert result.exit_code == 0 and "Imported 2" in result.stdout
    promises = json.loads(pk("list", "--all", "--json").stdout)
    assert [(p["what"], p["state"], p["ref"], p["tags"]) for p in promises] == [
        ("Old one", "kept", None, []), ("Call back Eva", "open", "INC-1", ["vpn"])]
    assert "left voicemail" in pk("show", str(promises[1]["id"])).stdout


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ('{"promises": [{"what": "x"}]}', "not a timestamp"),
        ('[{"what": "x", "due_at": "2026-11-24 10:00", "created_at": "2026-11-20T10:00:00+00:00"}]', "no UTC offset"),
        ("what,who\nx,y\n", "lacks the column"),
        ('{"promises": [{"what": "", "due_at": "2026-11-24T10:00:00+00:00", "created_at": "2026-11-20T10:00:00+00:00"}]}', "empty"),
        ("[1, 2", "not valid JSON"),
    ],
)
def test_bad_import_files_are_refused_whole(pk, files, tmp_path, content, fragment):
    pk("add", "existing", "--due", "in 2h")
    before = db_content(files.db)
    path = tmp_path / "bad.json"
    path.write_text(content)
    result = pk("import", str(path))
    assert result.exit_code == 2, result.output
    assert fragment in result.stderr
    assert db_content(files.db) == before


def test_import_from_stdin_and_dry_run(pk, history, files):
    text = pk("export").stdout
    other = {"PROMISEKEEPER_DB": str(files.root / "other.db")}
    dry = pk("import", "-", "--dry-run", input=text, env=other)
    assert dry.exit_code == 0 and "nothing stored" in dry.stdout
    assert pk("import", "-", input=text, env=other).exit_code == 0


def test_unknown_formats_are_usage_errors(pk):
    assert pk("export", "--format", "xml").exit_code == 2
    assert pk("import", "x.json", "--format", "xml").exit_code == 2
