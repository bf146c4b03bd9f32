"""`pk stats` counts a series as the next change leaves it: the slots that passed while
nothing ran count as broken check-ins before any change records them, in the week, owner,
person, channel and tag they will be recorded with. Before and after the change writes them,
the figures are the same. On SQLite and PostgreSQL; stats writes nothing."""

from __future__ import annotations

import itertools
import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from conftest import Engine, both_engines, sqlite_only
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = both_engines

# Check-ins every weekday at 10:00 from Monday 23 Nov (Stockholm); each is missed from
# halfway (22:00) to the next one.
TUESDAY_1200 = "2026-11-24T12:00:00+01:00"  # Monday's missed; Tuesday's open and overdue
THURSDAY_0950 = "2026-11-26T09:50:00+01:00"  # Monday's to Wednesday's missed; Thursday's ahead
NEXT_TUESDAY_1200 = "2026-12-01T12:00:00+01:00"  # six missed over two weeks; Tuesday's overdue
MOMENTS = [TUESDAY_1200, THURSDAY_0950, NEXT_TUESDAY_1200]
GROUPINGS = [[], ["--by", "week"], ["--by", "who"], ["--by", "via"], ["--by", "tag"], ["--by", "owner"],
             ["--since", "2026-11-24", "--until", "2026-11-30"]]


def ok(pk, *args: str, now: str | None = None):
    result = pk(*args, now=now)
    assert result.exit_code == 0, result.output
    return result


def start(pk) -> None:
    ok(pk, "add", "Update on the mail outage", "--to", "Eva Spacek", "--every", "weekday 10:00", "--via", "phone",
       "--tag", "outage", "--tag", "mail", "--owner", "Ann Lind")
    # a single promise beside it, kept on time, so the groups are not the series' alone
    ok(pk, "add", "Call Bo back", "--to", "Bo Ek", "--due", "11:00", "--owner", "Ann Lind")
    ok(pk, "done", "2", now="2026-11-23T10:30:00+01:00")


def stats(pk, now: str, *args: str) -> dict:
    return json.loads(ok(pk, "stats", "--team", "--json", *args, now=now).stdout)


def everything(pk, now: str) -> list[dict]:
    return [stats(pk, now, *grouping) for grouping in GROUPINGS]


@pytest.mark.parametrize("now", MOMENTS)
def test_stats_before_the_catch_up_is_written_equals_stats_after(pk, engine: Engine, now: str):
    start(pk)
    stored = engine.content()
    projected = everything(pk, now)
    assert engine.content() == stored  # counting wrote nothing
    ok(pk, "remind", now=now)  # writes the catch-up
    assert engine.content() != stored
    assert everything(pk, now) == projected


def test_each_whole_missed_slot_counts_as_a_broken_check_in(pk):
    start(pk)
    totals = stats(pk, THURSDAY_0950)
    assert (totals["kept"], totals["broken"]) == (1, 3)  # Monday's, Tuesday's, Wednesday's
    by_tag = {group["group"]: group["broken"] for group in stats(pk, THURSDAY_0950, "--by", "tag")["groups"]}
    assert by_tag == {"mail": 3, "outage": 3, None: 0}
    by_who = {group["group"]: (group["kept"], group["broken"])
              for group in stats(pk, THURSDAY_0950, "--by", "who")["groups"]}
    assert by_who == {"Bo Ek": (1, 0), "Eva Spacek": (0, 3)}


def test_missed_slots_fall_in_the_weeks_of_their_deadlines(pk):
    start(pk)
    weeks = {group["group"]: group["broken"] for group in stats(pk, NEXT_TUESDAY_1200, "--by", "week")["groups"]}
    # Mon-Fri of W48 missed; W49: Monday's missed and Tuesday's open past its deadline
    assert weeks == {"2026-W48": 5, "2026-W49": 2}
    trend = stats(pk, NEXT_TUESDAY_1200, "--since", "2026-11-30")
    assert trend["broken"] == 2


def test_the_stats_table_counts_them_too(pk):
    start(pk)
    before = ok(pk, "stats", "--team", now=THURSDAY_0950).output
    ok(pk, "remind", now=THURSDAY_0950)
    assert ok(pk, "stats", "--team", now=THURSDAY_0950).output == before


STOCKHOLM = ZoneInfo("Europe/Stockholm")
START = datetime(2026, 11, 23, 9, 30, tzinfo=STOCKHOLM)
RULES = ["weekday 10:00", "day 9:00", "mon,thu 16:00", "4h", "3 business hours", "business day 15:00"]
cases = itertools.count()


@sqlite_only  # a property over many databases: the engine-specific part is covered above
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rule=st.sampled_from(RULES), after_done=st.booleans(), until_days=st.one_of(st.none(), st.integers(1, 8)),
       kept_after=st.one_of(st.none(), st.integers(10, 60)), silent=st.integers(60, 12 * 24 * 60))
def test_any_silence_counts_the_same_before_and_after_it_is_written(
    pk, tmp_path, rule, after_done, until_days, kept_after, silent,
):
    env = {"PROMISEKEEPER_DB": str(tmp_path / f"case{next(cases)}.db")}

    def run(at: datetime, *args: str):
        result = pk(*args, env=env | {"PROMISEKEEPER_NOW": at.isoformat()})
        assert result.exit_code == 0, result.output
        return result

    until = (START + timedelta(days=until_days)).strftime("%Y-%m-%d 18:00") if until_days else None
    run(START, "add", "Update", "--to", "Eva", "--every", rule, *(["--after-done"] if after_done else []),
        *(["--until", until] if until else []))
    moment = START
    if kept_after is not None:  # the first check-in kept (before any can be missed), then the silence
        moment += timedelta(minutes=kept_after)
        run(moment, "done", str(json.loads(run(moment, "list", "--json").stdout)[0]["id"]))
    moment += timedelta(minutes=silent)

    def figures() -> list[str]:
        return [run(moment, "stats", "--json", *grouping).stdout for grouping in GROUPINGS[:3]]

    before = figures()
    run(moment, "remind")
    assert figures() == before
