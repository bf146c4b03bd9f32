"""One set of limits for every way in (issue 13): the command line, JSON, CSV, Taskwarrior.

Each refusal is exit 2 with one line that names the place (file, record, field) and the
limit, and nothing is written. A database an older pk filled with out-of-range moments
stays readable by every view and by export, and `pk db check` reports what it holds.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime

import pytest
from conftest import db_content

from promisekeeper import limits

GOOD = {"what": "x", "due_at": "2026-12-01T10:00:00+00:00", "created_at": "2026-11-01T10:00:00+00:00"}


def refused(result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("pk: ") and len(result.stderr.splitlines()) == 1, result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


# -- files --------------------------------------------------------------------------------------

CSV_HEAD = "what,due_at,created_at\n"
BAD_FILES = [
    ("inf.json", '[{"what": 1e999, "due_at": "2026-12-01T10:00:00+00:00", "created_at": "2026-11-01T10:00:00+00:00"}]',
     "inf.json: line 1: the number 1e999 is too large to be finite"),
    ("nan.json", '[{"what": "x", "due_at": "2026-12-01T10:00:00+00:00", "created_at": "2026-11-01T10:00:00+00:00", "n": NaN}]',
     "nan.json: line 1: the number NaN is not one pk accepts"),
    ("number.json", json.dumps([dict(GOOD, who=4821)]), "number.json: promise 1: who must be text, not a number"),
    ("deep.json", "[" * 100_000 + "]" * 100_000, "deep.json: the JSON is nested too deeply"),
    ("digits.json", '[{"what": "x",\n "n": ' + "9" * 5000 + "}]",
     "digits.json: line 2: the number 999999999999… (5,000 digits) does not fit in 64 bits"),
    ("y9999.json", json.dumps([dict(GOOD, due_at="9999-12-31T23:00:00+00:00")]),
     "y9999.json: promise 1: due_at 9999-12-31T23:00:00+00:00 is outside the years 1970–2200"),
    ("y9999west.json", json.dumps([dict(GOOD, due_at="9999-12-31T23:00:00-05:00")]),
     "promise 1: due_at '9999-12-31T23:00:00-05:00' is outside the years 1970–2200"),
    ("y0001.json", json.dumps([dict(GOOD, created_at="0001-01-01T00:00:00+01:00")]),
     "promise 1: created_at '0001-01-01T00:00:00+01:00' is outside the years 1970–2200"),
    ("y2201.json", json.dumps([dict(GOOD, due_at="2201-01-01T00:00:00+00:00")]), "outside the years 1970–2200"),
    ("long.json", json.dumps([dict(GOOD, what="x" * 501)]), "promise 1: what is 501 characters long; the limit is 500"),
    ("longwho.json", json.dumps([dict(GOOD, who="x" * 201)]), "who is 201 characters long; the limit is 200"),
    ("esc.json", json.dumps([dict(GOOD, who="Eva\x1b[2J")]), "promise 1: who holds the control character U+001B (ESC)"),
    ("nul.json", json.dumps([dict(GOOD, what="a\x00b")]), "what holds the control character U+0000 (NUL)"),
    ("bidi.json", json.dumps([dict(GOOD, ref="INC\u202e1")]), "ref holds the control character U+202E"),
    ("surrogate.json", '[{"what": "a\\ud800", "due_at": "2026-12-01T10:00:00+00:00", "created_at": "2026-11-01T10:00:00+00:00"}]',
     "what holds a lone surrogate U+D800"),
    ("tags.json", json.dumps([dict(GOOD, tags=[f"t{n}" for n in range(51)])]), "51 tags; the limit is 50"),
    ("tag.json", json.dumps([dict(GOOD, tags=["x" * 65])]), "tag is 65 characters long; the limit is 64"),
    ("event.json", json.dumps({"promises": [dict(GOOD, events=[{"id": 1, "kind": "noted", "at": "2026-11-02T10:00:00+00:00",
                                                                 "data": {"text": "n" * 2001}}])]}),
     "event.json: promise 1, event 1: text is 2,001 characters long; the limit is 2,000"),
    ("eventdeep.json", json.dumps({"promises": [dict(GOOD, events=[{"kind": "noted", "at": "2026-11-02T10:00:00+00:00",
                                                                     "data": {"text": "n", "x": [[[[[[[1]]]]]]]}}])]}),
     "promise 1, event 1: x is nested more than 6 levels deep"),
    ("eventtime.json", json.dumps({"promises": [dict(GOOD, events=[{"kind": "rescheduled", "at": "2026-11-02T10:00:00+00:00",
                                                                     "data": {"from": "2026-12-01T10:00:00+00:00", "to": "9999-01-01T00:00:00+00:00",
                                                                              "reason": "r", "after_deadline": False}}])]}),
     "promise 1, event 1: to '9999-01-01T00:00:00+00:00' is outside the years 1970–2200"),
    ("forward.json", json.dumps({"promises": [dict(GOOD, events=[
        {"id": 1, "kind": "undone", "undoes": 2, "at": "2026-11-02T10:00:00+00:00", "data": {"kind": "noted"}},
        {"id": 2, "kind": "noted", "at": "2026-11-02T11:00:00+00:00", "data": {"text": "n"}}])]}),
     "promise 1, event 1: undoes names event 2, which is not an earlier event of this promise"),
    ("field.csv", CSV_HEAD + "x" * 140_000 + ",2026-12-01T10:00:00+00:00,2026-11-01T10:00:00+00:00\n",
     "field.csv: line 2: field larger than field limit (131072); the longest field pk takes is 2,000 characters"),
    ("row.csv", CSV_HEAD + "x,2026-12-01T10:00:00+00:00,2026-11-01T10:00:00+00:00,spare\n",
     "row.csv: line 2: 1 more field than the header has columns"),
    ("y9999.csv", CSV_HEAD + "x,9999-12-31T23:00:00+00:00,2026-11-01T10:00:00+00:00\n",
     "y9999.csv: line 2: due_at 9999-12-31T23:00:00+00:00 is outside the years 1970–2200"),
    ("y0001.csv", CSV_HEAD + "x,2026-12-01T10:00:00+00:00,0001-01-01T00:00:00+01:00\n",
     "y0001.csv: line 2: created_at '0001-01-01T00:00:00+01:00' is outside the years 1970–2200"),
    ("esc.csv", CSV_HEAD + "\"a\x1b]0;x\x07\",2026-12-01T10:00:00+00:00,2026-11-01T10:00:00+00:00\n",
     "esc.csv: line 2: what holds the control character U+001B (ESC)"),
    ("task.json", json.dumps([{"description": "x", "status": "pending", "entry": "20261101T100000Z", "due": "99991231T230000Z"}]),
     "task.json: task 1: due 9999-12-31T23:00:00+00:00 is outside the years 1970–2200"),
    ("tasktext.json", json.dumps([{"description": "x", "status": "pending", "entry": "20261101T100000Z", "due": "20261201T100000Z",
                                   "annotations": [{"entry": "20261102T100000Z", "description": "\x07beep"}]}]),
     "tasktext.json: task 1: annotation holds the control character U+0007 (BEL)"),
]


@pytest.mark.parametrize(("name", "content", "fragment"), BAD_FILES, ids=[name for name, _, _ in BAD_FILES])
def test_a_file_outside_the_limits_is_refused_whole(pk, files, tmp_path, name, content, fragment):
    pk("add", "already here", "--due", "in 2h")
    before = db_content(files.db)
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    for dry_run in ((), ("--dry-run",)):
        refused(pk("import", str(path), *dry_run), fragment)
    assert db_content(files.db) == before


def test_a_bad_record_late_in_a_file_refuses_the_good_ones_before_it(pk, files, tmp_path):
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps([GOOD] * 3 + [dict(GOOD, due_at="9999-12-31T23:00:00+00:00")]))
    refused(pk("import", str(path)), "mixed.json: promise 4: due_at")
    assert db_content(files.db) == ([], [])


def test_text_at_the_limits_is_taken(pk, tmp_path):
    path = tmp_path / "edge.json"
    path.write_text(json.dumps([dict(GOOD, what="w" * 500, who="p" * 200, due_at="2200-12-31T23:59:59+00:00",
                                     created_at="1970-01-01T00:00:00+00:00", tags=[f"t{n}" for n in range(50)],
                                     contact="line one\nline two\ttabbed")]))
    result = pk("import", str(path))
    assert result.exit_code == 0, result.output
    shown = json.loads(pk("list", "--json").stdout)[0]
    assert shown["due_at"] == "2200-12-31T23:59:59+00:00" and len(shown["tags"]) == 50


# -- the command line ----------------------------------------------------------------------------


@pytest.mark.parametrize(("args", "fragment"), [
    (["add", "a\x1bb"], "what holds the control character U+001B (ESC)"),
    (["add", "x", "--to", "Eva\x07"], "who holds the control character U+0007 (BEL)"),
    (["add", "x", "--contact", "\x9b31m"], "contact holds the control character U+009B (CSI)"),
    (["add", "x", "--tag", "vpn\x1b"], "tag holds the control character U+001B"),
    (["add", "x" * 501], "what is 501 characters long; the limit is 500"),
    (["add", "x", "--ref", "r" * 201], "ref is 201 characters long; the limit is 200"),
    (["add", "x", *[arg for n in range(51) for arg in ("--tag", f"t{n}")]], "51 tags; the limit is 50"),
    (["add", "x", "--due", "2201-01-01"], "years 1970–2200"),
    (["add", "x", "--due", "31 dec 2200 23:30 America/New_York"], "is outside the years 1970–2200"),
    (["edit", "1", "--to", "a\x1b[2J"], "who holds the control character"),
    (["note", "1", "n" * 2001], "note is 2,001 characters long; the limit is 2,000"),
    (["done", "1", "--note", "\x00"], "note holds the control character U+0000 (NUL)"),
    (["reschedule", "1", "fri 10am", "--reason", "\x1b]0;x\x07"], "reason holds the control character"),
    (["cancel", "1", "--reason", "r" * 2001], "reason is 2,001 characters long"),
    (["tried", "1", "--note", "a\u2028b"], "note holds the control character U+2028"),
    (["list", "--at", "2201-01-02"], "years 1970–2200"),
    (["stats", "--since", "1969-12-01"], "years 1970–2200"),
    (["log", "--limit", "9223372036854775808"], "--limit 9223372036854775808 is more than the largest count"),
    (["config", "set", "owner", "Bob\x1b[2J"], "owner holds the control character U+001B (ESC)"),
    (["config", "set", "owner", "o" * 201], "owner is 201 characters long; the limit is 200"),
])
def test_the_command_line_checks_the_same_limits(pk, files, args, fragment):
    pk("add", "first", "--due", "in 2h")
    before = db_content(files.db)
    refused(pk(*args), fragment)
    assert db_content(files.db) == before
    assert not files.config.exists()


def test_line_breaks_and_tabs_are_text(pk):
    pk("add", "first", "--due", "in 2h")
    assert pk("note", "1", "line one\nline two\twith a tab").exit_code == 0


# -- the clock, the same for every command --------------------------------------------------------

CLOCKS = ["9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00", "2201-01-01T00:00:00+00:00",
          "@99999999999999", "@-1", "@" + "9" * 5000]


@pytest.mark.parametrize("value", CLOCKS)
@pytest.mark.parametrize("command", [[], ["list"], ["add", "x"], ["remind"], ["stats"], ["export"]])
def test_a_clock_out_of_range_is_refused_by_every_command(pk, files, value, command):
    result = pk(*command, now=value)
    refused(result, "PROMISEKEEPER_NOW=", "is outside the years 1970–2200")
    assert len(result.stderr) < 200  # a 5,000-digit value is not echoed whole
    assert db_content(files.db) == ([], [])


@pytest.mark.parametrize("value", CLOCKS[:3])
def test_the_prompt_refuses_the_same_clock(pk_process, value):
    result = pk_process("prompt", now=value)
    assert result.returncode == 2, result.stderr
    assert "outside the years 1970–2200" in result.stderr and "Traceback" not in result.stderr


def test_the_prompt_refuses_an_epoch_out_of_range(pk_process):
    result = pk_process("prompt", now="@99999999999999")
    assert result.returncode == 2 and "outside the years 1970–2200" in result.stderr


def test_the_limits_of_the_clock_are_the_limits_of_everything():
    from promisekeeper.when import clock

    assert limits.EARLIEST == datetime(1970, 1, 1, tzinfo=UTC)
    assert limits.LATEST == datetime(2200, 12, 31, 23, 59, 59, tzinfo=UTC)
    assert clock.parse_fixed_now("@0") == limits.EARLIEST
    assert clock.parse_fixed_now(f"@{limits.LATEST_S}") == limits.LATEST
    assert clock.from_epoch(10**15) == limits.LATEST and clock.from_epoch(-10**12) == limits.EARLIEST


# -- a database an older pk filled --------------------------------------------------------------


@pytest.fixture
def out_of_range(pk, files):
    """Promises due in year 9999 and made in year 1 (New York), as a pk without limits stored them."""
    pk("add", "far ahead", "--to", "Eva", "--due", "in 2h")
    pk("add", "long ago", "--to", "Bob", "--due", "in 3h")
    pk("done", "2")
    with sqlite3.connect(files.db) as conn:
        conn.execute("UPDATE promise SET due_at = 253402297200, original_due_at = 253402297200 WHERE id = 1")
        conn.execute("UPDATE promise SET created_at = -62135596800, closed_at = -62135596000 WHERE id = 2")
        conn.execute("UPDATE event SET data = replace(data, '2026-11-23T10:30:00+00:00', '9999-12-31T23:00:00+00:00'),"
                     " due_at = 253402297200 WHERE promise_id = 1")
        conn.execute("UPDATE event SET at = -62135596800 WHERE promise_id = 2")


VIEWS = [[], ["list"], ["list", "--all"], ["list", "--all", "--json"], ["show", "1"], ["show", "2"],
         ["show", "1", "--json"], ["log"], ["log", "--json"], ["export"], ["export", "--format", "csv"],
         ["export", "--format", "ics"], ["stats"], ["stats", "--json"], ["remind"], ["brief"]]


@pytest.mark.parametrize("command", VIEWS, ids=" ".join)
@pytest.mark.parametrize("zone", ["America/New_York", "Pacific/Kiritimati"])
def test_every_view_reads_a_database_with_values_out_of_range(pk, out_of_range, command, zone):
    result = pk(*command, env={"TZ": zone})
    assert result.exit_code == 0, result.output


def test_out_of_range_values_read_as_the_nearest_moment_within_range(pk, out_of_range):
    promise = json.loads(pk("show", "1", "--json").stdout)
    assert promise["due_at"] == "2200-12-31T23:59:59+00:00"
    assert "(details unreadable)" in pk("log", "1").stdout


def test_db_check_reports_values_out_of_range(pk, out_of_range):
    result = pk("db", "check")
    assert result.exit_code == 1
    assert "promise #1: due_at @253402297200 is outside the years 1970–2200" in result.stderr
    assert "promise #2: created_at @-62135596800 is outside the years 1970–2200" in result.stderr
    assert "event #1 (created of #1) cannot be read: due_at '9999-12-31T23:00:00+00:00'" in result.stderr


def test_an_out_of_range_export_imports_again(pk, out_of_range, tmp_path):
    path = tmp_path / "out.json"
    path.write_text(pk("export").stdout)
    result = pk("import", str(path), env={"PROMISEKEEPER_DB": str(tmp_path / "other.db")})
    # The unreadable journal entry is refused by name; the promise rows themselves were clamped.
    refused(result, "out.json: promise 1 (line 2), event 1: due_at '9999-12-31T23:00:00+00:00' is outside the years 1970–2200")


def test_the_export_s_fast_timestamps_read_as_datetime_writes_them():
    from hypothesis import given
    from hypothesis import strategies as st

    from promisekeeper.when import clock

    @given(st.integers(min_value=-10**12, max_value=10**13))
    def same(seconds: int) -> None:
        assert clock.iso_from_epoch(seconds) == clock.from_epoch(seconds).isoformat()

    same()
