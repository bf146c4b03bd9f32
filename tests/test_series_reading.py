"""Reading commands and the prompt show a series caught up before anything writes it: a
check-in past halfway to its next slot reads as missed, its successor (no number yet) as
opening at the next change; what the next change then writes is exactly that. On SQLite
and PostgreSQL; reads write nothing."""

from __future__ import annotations

import json
import os

import pytest
from conftest import Engine, Files, both_engines, sqlite_only

pytestmark = both_engines

# Check-ins every weekday at 10:00 from Monday 23 Nov (Stockholm); Monday's is missed from
# 22:00 (halfway to Tuesday 10:00).
MONDAY_2159 = "2026-11-23T21:59:00+01:00"
MONDAY_2200 = "2026-11-23T22:00:00+01:00"
TUESDAY_1200 = "2026-11-24T12:00:00+01:00"  # Monday's missed; Tuesday's open and overdue
THURSDAY_0950 = "2026-11-26T09:50:00+01:00"  # Monday's to Wednesday's missed; Thursday's ahead


def ok(pk, *args: str, now: str | None = None):
    result = pk(*args, now=now)
    assert result.exit_code == 0, result.output
    return result


def start(pk) -> None:
    ok(pk, "add", "Update on the mail outage", "--to", "Eva Spacek", "--every", "weekday 10:00")


def series_json(pk, now: str) -> dict:
    (found,) = json.loads(ok(pk, "list", "--series", "--json", now=now).stdout)
    return found


def test_before_halfway_the_missed_check_in_is_still_open_and_overdue(pk):
    start(pk)
    listing = ok(pk, "list", now=MONDAY_2159).output
    assert "#1  Mon 23 Nov 10:00" in listing and "opens at the next change" not in listing
    shown = ok(pk, "show", "1", now=MONDAY_2159).output
    assert "missed" not in shown.split("History:")[0]
    assert "caught_up" not in json.loads(ok(pk, "list", "--json", now=MONDAY_2159).stdout)[0]


def test_from_halfway_lists_show_the_next_check_in_opening_at_the_next_change(pk):
    start(pk)
    listing = ok(pk, "list", now=MONDAY_2200).output
    assert listing.splitlines() == [
        "1 promise:",
        ("—  Tue 24 Nov 10:00  in 12h  ↻ Update on the mail outage (opens at the next change; #1 was missed)"
         "  — Eva Spacek"),
    ]
    agenda = ok(pk, now=MONDAY_2200).output
    assert "Overdue" not in agenda and "opens at the next change; #1 was missed" in agenda
    everything = ok(pk, "list", "--all", now=MONDAY_2200).output
    assert "#1  Mon 23 Nov 10:00  released" in everything
    (row,) = json.loads(ok(pk, "list", "--json", now=MONDAY_2200).stdout)
    assert row["id"] == 1 and row["state"] == "open"  # as stored: a script can still tell which it was
    assert row["caught_up"] == {"missed": True, "next_due": "2026-11-24T09:00:00+00:00"}


def test_show_of_the_missed_check_in_says_so_and_names_the_next_deadline(pk):
    start(pk)
    shown = ok(pk, "show", "1", now=TUESDAY_1200).output
    assert "  record    0 of 2 on time, 2 broken\n" in shown
    assert "  missed    its time passed halfway to the next check-in: it counts as broken" in shown
    assert "  next      ↻ Tue 24 Nov 10:00, 1h 59m late (opens at the next change)\n" in shown
    document = json.loads(ok(pk, "show", "1", "--json", now=TUESDAY_1200).stdout)
    assert document["caught_up"]["next_due"] == "2026-11-24T09:00:00+00:00"
    assert document["series"]["record"] == {"on_time": 0, "late": 0, "broken": 2}


@pytest.mark.parametrize("now", [MONDAY_2159, MONDAY_2200, TUESDAY_1200, THURSDAY_0950,
                                 "2026-11-30T23:00:00+01:00"])
def test_what_reads_show_is_what_the_next_change_writes(pk, now: str):
    start(pk)
    projected = series_json(pk, now)
    listing = ok(pk, "list", now=now).output
    ok(pk, "remind", now=now)
    written = series_json(pk, now)
    assert projected["open_due_at"] == written["open_due_at"]
    assert projected["record"] == written["record"]
    assert "opens_at_next_change" not in written and "open_check_in" in written
    assert ok(pk, "list", now=now).output.split("  ", 1)[1] == listing.split("  ", 1)[1].replace(
        " (opens at the next change; #1 was missed)", "")


def test_whole_slots_missed_meanwhile_are_counted_and_the_old_id_says_what_happened(pk, engine: Engine):
    start(pk)
    found = series_json(pk, THURSDAY_0950)
    assert found["open_check_in"] is None and found["missed_check_in"] == 1
    assert found["open_due_at"] == "2026-11-26T09:00:00+00:00"
    assert found["record"] == {"on_time": 0, "late": 0, "broken": 3}
    assert "↻ Thu 26 Nov 10:00 (opens at the next change)" in ok(pk, "list", "--series", now=THURSDAY_0950).output
    assert len(engine.content()[0]) == 1  # nothing written by reading
    ok(pk, "remind", now=THURSDAY_0950)
    assert len(engine.content()[0]) == 4  # Tuesday's and Wednesday's recorded as missed, Thursday's open
    refused = pk("done", "1", now=THURSDAY_0950)
    assert refused.exit_code == 2
    assert "#1 was missed" in refused.output and "open check-in is #4" in refused.output


def test_reads_write_nothing(pk, engine: Engine):
    start(pk)
    before = engine.content()
    for args in (["list"], [], ["list", "--all"], ["list", "--series"], ["list", "--json"], ["show", "1"],
                 ["show", "1", "--json"], ["list", "--series", "--json"]):
        ok(pk, *args, now=THURSDAY_0950)
    assert engine.content() == before


@sqlite_only  # the file itself: its size, times and no journal left behind
def test_reads_leave_the_sqlite_file_untouched(pk, files: Files, pk_process):
    start(pk)
    stat = os.stat(files.db)
    leftovers = sorted(os.listdir(files.db.parent))
    for args in (["list"], [], ["list", "--series"], ["show", "1"], ["prompt"]):
        result = pk_process(*args, now=THURSDAY_0950)
        assert result.returncode == 0, result.stderr
    after = os.stat(files.db)
    assert (after.st_size, after.st_mtime_ns) == (stat.st_size, stat.st_mtime_ns)
    assert sorted(os.listdir(files.db.parent)) == leftovers


def readings(pk_process, now: str) -> list[list[str]]:
    result = pk_process("prompt", "--schedule", now=now)
    assert result.returncode == 0, result.stderr
    return [line.split()[1:] for line in result.stdout.splitlines() if line.startswith("reading ")]


def epoch(moment: str) -> str:
    from datetime import datetime

    return str(int(datetime.fromisoformat(moment).timestamp()))


def test_the_prompt_counts_the_series_as_the_next_change_leaves_it(pk, pk_process):
    start(pk)
    assert pk_process("prompt", now=MONDAY_2159).stdout.strip() == "⚑1"
    assert pk_process("prompt", now=MONDAY_2200).stdout.strip() == ""
    assert pk_process("prompt", now=TUESDAY_1200).stdout.strip() == "⚑1"
    assert pk_process("prompt", now=THURSDAY_0950).stdout.strip() == "◷1"


@sqlite_only  # a schedule on PostgreSQL spans prompt.refresh (5 minutes): the moments are SQLite's 48 hours
def test_the_prompt_schedule_changes_where_the_series_closes_a_missed_check_in(pk, pk_process):
    start(pk)
    rows = readings(pk_process, MONDAY_2159)
    # overdue from 21:59; from 22:00 the series' next check-in (Tuesday 10:00) instead, due
    # today from midnight, overdue from 10:01, until halfway to Wednesday's (22:00) again
    assert rows[:5] == [
        [epoch(MONDAY_2159), "1", "0", "-"],
        [epoch(MONDAY_2200), "0", "0", epoch("2026-11-24T10:00:00+01:00"), "Eva", "Spacek"],
        [epoch("2026-11-24T00:00:00+01:00"), "0", "1", epoch("2026-11-24T10:00:00+01:00"), "Eva", "Spacek"],
        [epoch("2026-11-24T10:01:00+01:00"), "1", "0", "-"],
        [epoch("2026-11-24T22:00:00+01:00"), "0", "0", epoch("2026-11-25T10:00:00+01:00"), "Eva", "Spacek"],
    ]


@sqlite_only  # as above
def test_a_check_in_still_ahead_ends_the_prompt_schedule_at_its_deadline(pk, pk_process):
    start(pk)
    result = pk_process("prompt", "--schedule", now="2026-11-23T09:30:00+01:00")
    moments = [int(line.split()[1]) for line in result.stdout.splitlines() if line[:1].isdigit() and " " in line
               and len(line.split()) > 3]
    assert max(moments) <= int(epoch("2026-11-23T10:01:00+01:00"))


@pytest.mark.parametrize("command", [["reschedule", "1", "fri 10:00", "--reason", "x"], ["tried", "1"],
                                     ["skip", "1", "--reason", "x"], ["cancel", "1", "--reason", "x"]])
def test_every_change_given_the_missed_id_after_catching_up_says_what_happened(pk, command: list[str]):
    start(pk)
    result = pk(*command, now=TUESDAY_1200)
    assert result.exit_code == 2
    assert "#1 was missed" in result.output and "open check-in is #2" in result.output


def test_the_briefing_shows_the_series_as_the_next_change_leaves_it(pk):
    start(pk)
    before = ok(pk, "brief", now=MONDAY_2159).output
    assert "#1  Mon 23 Nov 10:00" in before
    after = ok(pk, "brief", now=TUESDAY_1200).output
    assert "—  Tue 24 Nov 10:00" in after and "opens at the next change; #1 was missed" in after


def test_the_last_check_in_opened_late_stays_open_as_any_promise(pk):
    # the last check-in (Tuesday's: --until) is opened by a catch-up on Wednesday, after its
    # halfway to a slot the series never reaches: it stays open, overdue, not missed on the way
    ok(pk, "add", "Update on the mail outage", "--to", "Eva Spacek", "--every", "day 10:00", "--until", "tue 10:00")
    wednesday = "2026-11-25T12:00:00+01:00"
    assert series_json(pk, wednesday)["open_due_at"] == "2026-11-24T09:00:00+00:00"
    ok(pk, "remind", now=wednesday)
    found = series_json(pk, wednesday)
    assert found["open_check_in"] == 2 and found["open_due_at"] == "2026-11-24T09:00:00+00:00"
    assert found["record"] == {"on_time": 0, "late": 0, "broken": 2}
