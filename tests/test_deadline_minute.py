"""On time or late, to the minute: one boundary (`when.deadline`) decides for `pk done`,
`pk stats`, a reschedule or cancel after the deadline, reminders, the prompt and JSON.

A deadline shown as 11:31 is kept on time any time in that minute; from 11:32:00 it is late,
and lateness counts from there.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from conftest import both_engines

from promisekeeper.when import deadline

pytestmark = both_engines

ADDED = "2026-11-23T09:30:42+01:00"  # "in 2h" from here reads 11:31 (rounded up to the minute)
INSIDE = "2026-11-23T11:31:59+01:00"  # the deadline's last second: still on time
END = "2026-11-23T11:32:00+01:00"  # the end of its minute: late from here


def add_in_2h(pk) -> int:
    result = pk("add", "Send VPN config", "--due", "in 2h", "--json", now=ADDED)
    assert result.exit_code == 0, result.output
    promise = json.loads(result.stdout)
    assert promise["due_local"].startswith("2026-11-23T11:31:00")
    return promise["id"]


def stats(pk, now: str) -> dict:
    result = pk("stats", "--json", now=now)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_kept_within_the_minute_shown_is_on_time_everywhere(pk):
    ident = add_in_2h(pk)
    result = pk("done", str(ident), now="2026-11-23T11:31:05+01:00")
    assert result.exit_code == 0 and "Kept on time" in result.stdout
    counted = stats(pk, END)
    assert (counted["kept"], counted["late"]) == (1, 0)
    assert json.loads(pk("show", str(ident), "--json").stdout)["outcome"] == "kept"


def test_kept_at_the_end_of_the_minute_is_late_from_that_end(pk):
    ident = add_in_2h(pk)
    result = pk("done", str(ident), now=END)
    assert "Kept <1m late" in result.stdout
    later = add_in_2h(pk)
    assert "Kept 5m late" in pk("done", str(later), now="2026-11-23T11:37:00+01:00").stdout
    counted = stats(pk, "2026-11-23T12:00:00+01:00")
    assert (counted["kept"], counted["late"]) == (0, 2)
    assert counted["lateness_p90_minutes"] == 5


@pytest.mark.parametrize("moment, overdue, prompt", [(INSIDE, False, "◷1"), (END, True, "⚑1")])
def test_views_the_prompt_and_json_agree_at_the_edges(pk, moment: str, overdue: bool, prompt: str):
    add_in_2h(pk)
    [listed] = json.loads(pk("list", "--json", now=moment).stdout)
    assert listed["overdue"] is overdue
    assert pk("prompt", now=moment).stdout.strip() == prompt
    assert bool(json.loads(pk("list", "--overdue", "--json", now=moment).stdout)) is overdue
    assert ("late" in pk("list", now=moment).stdout) is overdue
    assert stats(pk, moment)["broken"] == int(overdue)


@pytest.mark.parametrize("moment, broken", [(INSIDE, False), (END, True)])
def test_a_move_or_release_breaks_it_only_from_the_end_of_the_minute(pk, moment: str, broken: bool):
    moved, released = add_in_2h(pk), add_in_2h(pk)
    move = pk("reschedule", str(moved), "tomorrow 10am", "--reason", "vendor", now=moment)
    assert move.exit_code == 0, move.output
    assert ("recorded as broken" in move.stdout) is broken
    assert ("renegotiated before the deadline" in move.stdout) is not broken
    cancel = pk("cancel", str(released), "--reason", "solved", now=moment)
    assert ("still counts as broken" in cancel.stdout) is broken
    counted = stats(pk, "2026-11-23T12:00:00+01:00")
    assert (counted["broken"], counted["released"], counted["renegotiated"]) == (
        (2, 0, 0) if broken else (0, 1, 0)  # the moved one, still open, has no outcome yet
    )


@pytest.mark.parametrize("moment, headline", [(INSIDE, "Due now"), (END, "Overdue")])
def test_a_reminder_says_overdue_only_from_the_end_of_the_minute(pk, moment: str, headline: str):
    add_in_2h(pk)
    result = pk("remind", now=moment)
    assert f"{headline}: #1" in result.stdout


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def test_the_index_bound_and_the_boundary_say_the_same():
    due = int(_at("2026-11-23T11:31:00+01:00").timestamp())
    for now in range(due - 90, due + 150):
        assert (due < deadline.overdue_before(now)) is deadline.is_late_s(now, due)
        assert deadline.is_late_s(now, due) is deadline.is_late(
            datetime.fromtimestamp(now, UTC), datetime.fromtimestamp(due, UTC)
        )
    odd = due + 17  # a deadline with seconds (an import) belongs to its minute too
    assert deadline.end_s(odd) == due + 60
