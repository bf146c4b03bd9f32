"""`pk remind --dry-run` decides on the series as the real run's catch-up leaves them: no
reminder for a check-in the real run closes as missed, one for the check-in it opens
(shown without a number: it has none yet). Nothing is written. On SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from conftest import Engine, both_engines

pytestmark = both_engines

# Check-ins every weekday at 10:00 from Monday 23 Nov (Stockholm); each is missed from
# halfway (22:00) to the next one.
TUESDAY_1200 = "2026-11-24T12:00:00+01:00"  # Monday's missed; Tuesday's open and overdue: due
THURSDAY_0950 = "2026-11-26T09:50:00+01:00"  # Monday's to Wednesday's missed; Thursday's coming up
MONDAY_2159 = "2026-11-23T21:59:00+01:00"  # Monday's not missed yet: still overdue
NOTE = " (opens at the next change; #1 was missed)"


def ok(pk, *args: str, now: str):
    result = pk(*args, now=now)
    assert result.exit_code == 0, result.output
    return result


def start(pk) -> None:
    ok(pk, "add", "Update on the mail outage", "--to", "Eva Spacek", "--every", "weekday 10:00", "--tag", "mail",
       now="2026-11-23T09:30:00+01:00")


def as_opened(reminders: list[dict]) -> list[dict]:
    """The JSON without the keys only the check-in's opening decides."""
    return [{key: value for key, value in each.items()
             if key not in ("id", "uuid", "opens_at_next_change", "missed_check_in")} for each in reminders]


@pytest.mark.parametrize("now", [TUESDAY_1200, THURSDAY_0950])
def test_the_dry_run_reminds_what_the_real_run_then_reminds(pk, engine: Engine, now: str):
    start(pk)
    stored = engine.content()
    dry = json.loads(ok(pk, "remind", "--dry-run", "--json", now=now).stdout)
    assert engine.content() == stored  # the dry run wrote nothing, not even the catch-up
    (seen,) = dry
    assert seen["id"] is None and seen["opens_at_next_change"] and seen["missed_check_in"] == 1
    real = json.loads(ok(pk, "remind", "--json", now=now).stdout)
    assert isinstance(real[0]["id"], int) and real[0]["id"] > 1
    assert as_opened(dry) == as_opened(real)


def test_the_dry_run_shows_the_opening_check_in_without_a_number(pk):
    start(pk)
    dry = ok(pk, "remind", "--dry-run", now=TUESDAY_1200).stdout
    assert f"Overdue: — Update on the mail outage{NOTE}\n" in dry
    real = ok(pk, "remind", now=TUESDAY_1200).stdout
    opened = json.loads(ok(pk, "list", "--json", now=TUESDAY_1200).stdout)[0]["id"]
    assert dry.replace(f"— Update on the mail outage{NOTE}", f"#{opened} Update on the mail outage") == real


def test_before_halfway_the_dry_run_reminds_the_overdue_check_in_itself(pk):
    start(pk)
    dry = json.loads(ok(pk, "remind", "--dry-run", "--json", now=MONDAY_2159).stdout)
    assert [each["id"] for each in dry] == [1]
    assert dry == json.loads(ok(pk, "remind", "--json", now=MONDAY_2159).stdout)


def test_the_team_digest_dry_run_lists_the_series_as_the_real_run_leaves_it(pk):
    start(pk)
    dry = json.loads(ok(pk, "remind", "--team", "--digest", "--dry-run", "--json", now=TUESDAY_1200).stdout)
    real = json.loads(ok(pk, "remind", "--team", "--digest", "--json", now=TUESDAY_1200).stdout)
    assert [each["missed_check_in"] for each in dry] == [1]
    assert as_opened(dry) == as_opened(real)
