"""The JSON export's text, written by the database, is exactly what Python's encoder writes.

Each promise's object comes from SQL (`read_export.promise_json`: SQLite's `json_quote`,
PostgreSQL's `to_json`) with the tags, the local deadline and the attempts spliced in. These
tests hold that text, byte for byte, to the objects `pk list --all --json` makes in Python
(`views.render.json_record` through `json.dumps`), on both engines, so both engines write the
same export as each other and as before.
"""

from __future__ import annotations

import json

import pytest
from conftest import both_engines, plant, sqlite_only

pytestmark = both_engines

# Everything JSON must escape or keep as it is: quotes, backslashes, tabs and line breaks,
# accents, a non-BMP emoji, markup and a formula.
EARLY = "2026-11-23T07:00:00+01:00"  # two and a half hours before the tests' clock
AWKWARD = 'Say "hi" \\ back\tnow\nthen\r\nöÉ ñ 😀 [b]x[/b] =SUM(A1)'


def ok(pk, *args: str, now: str | None = None):
    result = pk(*args, now=now)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def varied(pk):
    """Promises with every kind of field: awkward text, several tags, two contacts and a
    language, a renegotiation, attempts, an undone note, closed ones, and a series' check-in."""
    ok(pk, "add", AWKWARD, "--to", "Inès \"Ö\" Sjöberg", "--contact", "+46 70 123", "--contact", "eva@example.com",
       "--lang", "sv", "--via", "phone", "--ref", "INC-7", "--tag", "vpn", "--tag", "vip", "--tag", "urgent",
       "--due", "2026-11-23 08:00", now=EARLY)
    ok(pk, "reschedule", "1", "2026-11-23 09:00", "--reason", 'vendor "late"\tagain', now=EARLY)
    ok(pk, "tried", "1", "--note", "voicemail")
    ok(pk, "tried", "1")
    ok(pk, "add", "Plain one", "--due", "2026-11-24 10:00 Europe/Rome")
    ok(pk, "note", "2", "oops")
    ok(pk, "undo")
    ok(pk, "add", "Kept one", "--to", "Bo", "--due", "2026-11-23 15:00")
    ok(pk, "done", "3")
    ok(pk, "add", "Released", "--due", "2026-11-25 10:00")
    ok(pk, "cancel", "4", "--reason", "not needed")
    ok(pk, "add", "Update on the outage", "--to", "Eva", "--every", "weekday 10:00")
    # Either side of the spring change (Stockholm: 01:00 UTC on 28 March 2027), and a summer one.
    ok(pk, "add", "Before the change", "--due", "2027-03-28 01:59")
    ok(pk, "add", "At the change", "--due", "2027-03-28 03:00")
    ok(pk, "add", "In summer", "--due", "2027-07-01 10:00")


def expected_lines(pk, *listing: str, now: str | None = None) -> list[str]:
    """Each exported promise's text up to its series and events, as Python's encoder writes
    the object `pk list --json` shows, in id order (the export's). A listing also shows a missed
    check-in as the next change will close it (`caught_up`); an export writes what is stored."""
    promises = sorted(json.loads(ok(pk, "list", *listing, "--json", now=now).stdout), key=lambda p: p["id"])
    for promise in promises:
        promise.pop("caught_up", None)
    return [json.dumps(promise, ensure_ascii=False)[:-1] for promise in promises]


def exported_lines(pk, *args: str, now: str | None = None) -> list[str]:
    text = ok(pk, "export", *args, now=now).stdout
    head, tail = '{"format": "promisekeeper", "version": 1, "promises": [\n', "\n]}\n"
    assert text.startswith(head) and text.endswith(tail)
    return text[len(head):-len(tail)].split(",\n")


def without_series_and_events(line: str) -> str:
    cut = min(at for at in (line.find(', "series": '), line.find(', "events": ')) if at >= 0)
    return line[:cut]


def test_each_promise_is_written_as_python_writes_it(pk, varied):
    lines = exported_lines(pk)
    assert [without_series_and_events(line) for line in lines] == expected_lines(pk, "--all")
    assert [json.loads(line)["id"] for line in lines] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert [json.loads(line)["due_local"] for line in lines[5:]] == [
        "2027-03-28T01:59:00+01:00", "2027-03-28T03:00:00+02:00", "2027-07-01T10:00:00+02:00"]


@pytest.mark.parametrize(("now", "overdue"), [
    ("2026-11-24T10:00:59+01:00", [True, False, True, False, False, False]),  # promise 2's minute has not passed
    ("2026-11-24T10:01:00+01:00", [True, True, True, False, False, False]),
])
def test_open_only_and_overdue_follow_the_clock(pk, varied, now, overdue):
    lines = exported_lines(pk, "--open", now=now)
    assert [without_series_and_events(line) for line in lines] == expected_lines(pk, now=now)
    assert [json.loads(line)["overdue"] for line in lines] == overdue


def test_events_and_series_close_each_object_as_before(pk, varied):
    promises = [json.loads(line) for line in exported_lines(pk)]
    journal = json.loads(ok(pk, "log", "--json").stdout)
    for promise in promises:
        assert promise["events"] == [entry for entry in journal if entry["promise"] == promise["id"]]
    assert [p["attempts"] for p in promises] == [2, 0, 0, 0, 0, 0, 0, 0]
    assert "series" in promises[4] and all("series" not in p for p in promises[:4] + promises[5:])
    line = exported_lines(pk)[4]
    assert line.index(', "series": ') < line.index(', "events": ') and line.endswith("]}")
    assert promises[0]["tags"] == ["vpn", "vip", "urgent"] and promises[1]["tags"] == []
    assert promises[0]["contact2"] == "eva@example.com" and promises[0]["language"] == "sv"
    assert "contact2" not in promises[1] and "language" not in promises[1]


def test_an_empty_database_exports_an_empty_list(pk):
    ok(pk, "add", "Gone", "--due", "tomorrow 10:00")
    ok(pk, "done", "1")
    assert ok(pk, "export", "--open").stdout == '{"format": "promisekeeper", "version": 1, "promises": [\n]}\n'


@pytest.mark.parametrize("zone", ["UTC", "America/St_Johns", "Australia/Lord_Howe", "Asia/Kathmandu"])
def test_the_local_clock_is_the_zone_s_in_every_zone(pk, varied, monkeypatch, zone):
    monkeypatch.setenv("TZ", zone)  # offsets of half an hour, and Lord Howe's change of 30 minutes
    lines = exported_lines(pk)
    assert [without_series_and_events(line) for line in lines] == expected_lines(pk, "--all")


@sqlite_only  # planting text past the limits writes the SQLite file directly
def test_characters_a_terminal_obeys_are_escaped_as_before(pk, files):
    ok(pk, "add", "Plain", "--due", "2026-11-24 10:00")
    hostile = "del\x7f c1\x9b esc\x1b bell\x07 nul-free \u2028 \u202e evil"
    plant(files.db, 1, what=hostile, who="\x85next", tags="vpn\tvip  urgent")
    line = exported_lines(pk)[0]
    for raw in ("\x7f", "\x9b", "\x1b", "\x07", "\u2028", "\u202e", "\x85"):
        assert raw not in line
    assert "\\u007f" in line and "\\u009b" in line and "\\u001b" in line and "\\u2028" in line
    promise = json.loads(line)
    assert promise["what"] == hostile and promise["who"] == "\x85next"
    assert promise["tags"] == ["vpn", "vip", "urgent"]  # stored tags split on any blank, as before
    assert ",vpn vip urgent," in ok(pk, "export", "--format", "csv").stdout


@sqlite_only  # no database: the zone's offsets the database is given
def test_offset_spans_find_each_change_to_the_second():
    from zoneinfo import ZoneInfo

    from promisekeeper.when.clock import offset_spans

    start, spring, autumn, end = 1795000000, 1806195600, 1824944400, 1830000000  # 2026-11 … 2027-12
    assert offset_spans(ZoneInfo("Europe/Stockholm"), start, end) == [
        (start, 3600, "+01:00"), (spring, 7200, "+02:00"), (autumn, 3600, "+01:00")]
    assert offset_spans(ZoneInfo("UTC"), start, end) == [(start, 0, "+00:00")]
    assert offset_spans(ZoneInfo("Asia/Kathmandu"), start, start) == [(start, 20700, "+05:45")]


def test_csv_rows_are_the_promises_fields_as_before(pk, varied):
    import csv
    import io

    from promisekeeper.exchange import CSV_COLUMNS

    def cell(value):
        text = "" if value is None else " ".join(value) if isinstance(value, list) else str(value)
        return "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r", "'")) else text

    text = ok(pk, "export", "--format", "csv").stdout_bytes.decode()
    listed = sorted(json.loads(ok(pk, "list", "--all", "--json").stdout), key=lambda p: p["id"])
    expected = io.StringIO()
    writer = csv.writer(expected, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows([[cell(promise[column]) for column in CSV_COLUMNS] for promise in listed])
    assert text == expected.getvalue()
