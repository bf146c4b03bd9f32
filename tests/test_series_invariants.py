"""The rules a series keeps whatever happens, as a property: any run of keeps, skips,
reminders and silences leaves at most one open check-in, never one beyond --until, and every
slot the series passed accounted for (kept, skipped or missed), none lost."""

from __future__ import annotations

import itertools
import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

STOCKHOLM = ZoneInfo("Europe/Stockholm")
START = datetime(2026, 11, 23, 9, 30, tzinfo=STOCKHOLM)
RULES = ["weekday 10:00", "day 9:00", "mon,thu 16:00", "4h", "3 business hours", "business day 15:00"]
ACTIONS = st.lists(st.tuples(st.sampled_from(["done", "skip", "remind", "nothing"]), st.integers(10, 40 * 60)),
                   min_size=1, max_size=8)
counter = itertools.count()


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rule=st.sampled_from(RULES), until_days=st.one_of(st.none(), st.integers(1, 6)), actions=ACTIONS)
def test_one_open_check_in_never_beyond_until_and_none_lost(pk, tmp_path, rule, until_days, actions):
    env = {"PROMISEKEEPER_DB": str(tmp_path / f"case{next(counter)}.db")}
    now = START

    def run(*args: str):
        return pk(*args, env=env | {"PROMISEKEEPER_NOW": now.isoformat()})

    until = (START + timedelta(days=until_days)).strftime("%Y-%m-%d 18:00") if until_days else None
    added = run("add", "Update", "--every", rule, *(["--until", until] if until else []))
    assert added.exit_code == 0, added.output
    for action, minutes in actions:
        now += timedelta(minutes=minutes)
        opened = [p for p in json.loads(run("list", "--json").stdout)]
        if action in ("done", "skip") and opened:
            result = run(action, str(opened[0]["id"]), *(["--reason", "away"] if action == "skip" else []))
            assert result.exit_code in (0, 2), result.output
        elif action == "remind":
            assert run("remind").exit_code == 0
    everything = json.loads(run("list", "--all", "--json").stdout)
    assert sum(p["state"] == "open" for p in everything) <= 1
    if until:
        limit = datetime.fromisoformat(until).replace(tzinfo=STOCKHOLM)
        assert all(datetime.fromisoformat(p["due_at"]) <= limit for p in everything)
    log = json.loads(run("log", "--limit", "0", "--json").stdout)
    opened_ids = {e["promise"] for e in log if e["kind"] in ("created", "opened")}
    assert opened_ids == {p["id"] for p in everything}
    # Every check-in but the last is closed, and each was followed by the next one in order.
    dues = [p["due_at"] for p in sorted(everything, key=lambda p: p["id"])]
    assert dues == sorted(dues)
    assert all(p["state"] != "open" for p in sorted(everything, key=lambda p: p["id"])[:-1])
