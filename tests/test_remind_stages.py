"""`pk remind` decides: each stage once per deadline, catch-up, the daily digest, exit codes."""

from __future__ import annotations

import json

import pytest
from conftest import both_engines
from remind_support import add, at

from promisekeeper.owner import login

pytestmark = both_engines  # every test, on SQLite and on PostgreSQL


def reminded(pk, now: str, *args: str) -> list[tuple[int, str]]:
    """Run `pk remind --json` at `now`; the (id, stage) pairs it reminded."""
    result = pk("remind", "--json", *args, now=now)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return [(item["id"], item["stage"]) for item in json.loads(result.stdout)]


def journal(pk) -> list[dict]:
    result = pk("log", "--json", "--limit", "0")
    assert result.exit_code == 0, result.output
    return [event for event in json.loads(result.stdout) if event["kind"] == "reminded"]


class TestOncePerStage:
    def test_coming_up_then_due_each_once(self, pk):
        add(pk, "Send VPN config", "2026-11-23 10:00")
        assert reminded(pk, at("09:40")) == []  # 20 minutes ahead: outside the 15m lead
        assert reminded(pk, at("09:45")) == [(1, "upcoming")]
        assert reminded(pk, at("09:50")) == []
        assert reminded(pk, at("09:55")) == []
        assert reminded(pk, at("10:00")) == [(1, "due")]
        assert reminded(pk, at("10:05")) == []
        assert reminded(pk, at("17:00")) == []

    def test_each_reminder_is_a_journal_event_naming_stage_and_deadline(self, pk):
        add(pk, "Send VPN config", "2026-11-23 10:00")
        reminded(pk, at("09:50"))
        reminded(pk, at("10:01"))
        events = journal(pk)
        mine = login()  # whose own reminder it was: the promise's owner, here the login name
        assert [(e["promise"], e["at"], e["data"]) for e in events] == [
            (1, "2026-11-23T08:50:00+00:00", {"stage": "upcoming", "due_at": "2026-11-23T09:00:00+00:00", "owner": mine}),
            (1, "2026-11-23T09:01:00+00:00", {"stage": "due", "due_at": "2026-11-23T09:00:00+00:00", "owner": mine}),
        ]

    def test_several_promises_are_decided_independently(self, pk):
        add(pk, "First", "2026-11-23 10:00")
        add(pk, "Second", "2026-11-23 10:10")
        assert reminded(pk, at("09:55")) == [(1, "upcoming"), (2, "upcoming")]
        assert reminded(pk, at("10:00")) == [(1, "due")]
        assert reminded(pk, at("10:10")) == [(2, "due")]

    def test_promise_added_inside_the_lead_time_is_coming_up(self, pk):
        add(pk, "Quick callback", "2026-11-23 10:05", now=at("09:58"))
        assert reminded(pk, at("10:00")) == [(1, "upcoming")]


class TestCatchUp:
    def test_missed_runs_send_only_the_current_stage(self, pk):
        add(pk, "Send VPN config", "2026-11-23 10:00")
        assert reminded(pk, at("09:30")) == []
        # The laptop slept through the coming-up window and the deadline.
        assert reminded(pk, at("11:30")) == [(1, "due")]
        assert reminded(pk, at("11:35")) == []
        assert [e["data"]["stage"] for e in journal(pk)] == ["due"]

    def test_coming_up_is_never_sent_after_due(self, pk):
        add(pk, "Send VPN config", "2026-11-23 10:00")
        assert reminded(pk, at("10:00")) == [(1, "due")]
        # A run whose clock lags (it read the time, then waited for the lock) stays quiet.
        assert reminded(pk, at("09:50")) == []

    def test_promise_overdue_for_days_gets_one_due_reminder(self, pk):
        add(pk, "Old promise", "2026-11-20 10:00", now=at("09:00", day=20))
        assert reminded(pk, at("09:30")) == [(1, "due")]
        assert reminded(pk, at("09:35")) == []


class TestDeadlineChanges:
    def test_rescheduled_promise_is_reminded_again_for_the_new_deadline(self, pk):
        add(pk, "Send VPN config", "2026-11-23 10:00")
        assert reminded(pk, at("09:45")) == [(1, "upcoming")]
        assert reminded(pk, at("10:00")) == [(1, "due")]
        moved = pk("reschedule", "1", "2026-11-23 11:00", "--reason", "vendor is late", now=at("10:10"))
        assert moved.exit_code == 0, moved.output
        assert reminded(pk, at("10:40")) == []
        assert reminded(pk, at("10:45")) == [(1, "upcoming")]
        assert reminded(pk, at("11:00")) == [(1, "due")]
        deadlines = [(e["data"]["stage"], e["data"]["due_at"][11:16]) for e in journal(pk)]
        assert deadlines == [("upcoming", "09:00"), ("due", "09:00"), ("upcoming", "10:00"), ("due", "10:00")]

    def test_moving_the_deadline_before_the_reminder_skips_the_old_one(self, pk):
        add(pk, "Send VPN config", "2026-11-23 10:00")
        pk("reschedule", "1", "2026-11-23 12:00", "--reason", "customer asked", now=at("09:30"))
        assert reminded(pk, at("10:00")) == []
        assert reminded(pk, at("11:45")) == [(1, "upcoming")]

    def test_kept_before_the_deadline_is_never_reminded_as_due(self, pk):
        add(pk, "Send VPN config", "2026-11-23 10:00")
        assert reminded(pk, at("09:45")) == [(1, "upcoming")]
        assert pk("done", "1", now=at("09:50")).exit_code == 0
        assert reminded(pk, at("10:00")) == []
        assert reminded(pk, at("10:00", day=24), "--digest") == []

    def test_released_promises_are_not_reminded(self, pk):
        add(pk, "Send VPN config", "2026-11-23 10:00")
        assert pk("cancel", "1", "--reason", "solved", now=at("09:00")).exit_code == 0
        assert reminded(pk, at("09:50")) == []
        assert reminded(pk, at("10:30")) == []

    def test_reopened_promise_past_its_deadline_is_reminded_as_due(self, pk):
        add(pk, "Send VPN config", "2026-11-23 10:00")
        assert pk("done", "1", now=at("09:00")).exit_code == 0
        assert pk("reopen", "1", now=at("10:20")).exit_code == 0
        assert reminded(pk, at("10:25")) == [(1, "due")]


class TestDigest:
    def test_still_overdue_once_per_local_day(self, pk):
        add(pk, "Send VPN config", "2026-11-23 10:00")
        assert reminded(pk, at("10:00"), "--digest") == [(1, "due")]
        # Reminded today already: the day's digest leaves it out.
        assert reminded(pk, at("16:00"), "--digest") == []
        assert reminded(pk, at("08:00", day=24), "--digest") == [(1, "overdue")]
        assert reminded(pk, at("08:05", day=24), "--digest") == []
        assert reminded(pk, at("17:00", day=24), "--digest") == []
        assert reminded(pk, at("08:00", day=25), "--digest") == [(1, "overdue")]
        days = [e["data"].get("day") for e in journal(pk) if e["data"]["stage"] == "overdue"]
        assert days == ["2026-11-24", "2026-11-25"]

    def test_without_digest_an_overdue_promise_stays_quiet(self, pk):
        add(pk, "Send VPN config", "2026-11-23 10:00")
        assert reminded(pk, at("10:00")) == [(1, "due")]
        assert reminded(pk, at("08:00", day=24)) == []
        assert reminded(pk, at("08:00", day=25)) == []

    def test_a_promise_never_reminded_gets_due_not_the_digest(self, pk):
        add(pk, "Old promise", "2026-11-20 10:00", now=at("09:00", day=20))
        assert reminded(pk, at("09:30"), "--digest") == [(1, "due")]
        assert reminded(pk, at("09:35"), "--digest") == []

    def test_the_day_is_the_local_day(self, pk):
        add(pk, "Send VPN config", "2026-11-23 10:00")
        assert reminded(pk, at("10:00")) == [(1, "due")]
        assert reminded(pk, at("23:30"), "--digest") == []
        # 00:30 in Stockholm is still Monday in UTC, but a new day here.
        assert reminded(pk, at("00:30", day=24), "--digest") == [(1, "overdue")]
        assert journal(pk)[-1]["data"] == {
            "stage": "overdue", "due_at": "2026-11-23T09:00:00+00:00", "day": "2026-11-24", "owner": login(),
        }


class TestLeadTime:
    def test_within_overrides_the_lead_for_one_run(self, pk):
        add(pk, "Send VPN config", "2026-11-23 11:00")
        assert reminded(pk, at("10:00")) == []
        assert reminded(pk, at("10:00"), "--within", "1h") == [(1, "upcoming")]
        assert reminded(pk, at("10:45")) == []

    def test_within_zero_sends_due_reminders_only(self, pk):
        add(pk, "Send VPN config", "2026-11-23 10:00")
        assert reminded(pk, at("09:59"), "--within", "0m") == []
        assert reminded(pk, at("10:00"), "--within", "0m") == [(1, "due")]

    def test_configured_lead(self, pk, files):
        files.config.write_text('[remind]\nlead = "30m"\n')
        add(pk, "Send VPN config", "2026-11-23 11:00")
        assert reminded(pk, at("10:29")) == []
        assert reminded(pk, at("10:30")) == [(1, "upcoming")]

    @pytest.mark.parametrize("value", ["banana", "-5m", ""])
    def test_bad_within_is_a_usage_error_that_writes_nothing(self, pk, engine, value):
        add(pk, "Send VPN config", "2026-11-23 10:00")
        before = engine.content()
        result = pk("remind", "--within", value, now=at("10:30"))
        assert result.exit_code == 2
        assert result.stdout == ""
        assert result.stderr.startswith("pk: --within") and result.stderr.count("\n") == 1
        assert "Traceback" not in result.output
        assert engine.content() == before


class TestDryRun:
    def test_dry_run_shows_the_same_and_records_nothing(self, pk, engine):
        add(pk, "Send VPN config", "2026-11-23 10:00", "--to", "Eva Spacek")
        before = engine.content()
        dry = pk("remind", "--dry-run", now=at("10:30"))
        assert dry.exit_code == 0 and dry.stderr == ""
        assert engine.content() == before
        real = pk("remind", now=at("10:30"))
        assert real.stdout == dry.stdout
        assert pk("remind", "--dry-run", now=at("10:30")).stdout == ""


class TestExitCodes:
    def codes(self, pk, now: str, *args: str) -> int:
        return pk("remind", "--exit-code", *args, now=now).exit_code

    def test_without_the_option_a_run_that_reminds_exits_0(self, pk):
        add(pk, "Send VPN config", "2026-11-23 10:00")
        assert pk("remind", now=at("10:30")).exit_code == 0

    def test_0_nothing_10_coming_up_11_due(self, pk):
        add(pk, "First", "2026-11-23 10:00")
        add(pk, "Second", "2026-11-23 10:20")
        assert self.codes(pk, at("09:30")) == 0
        assert self.codes(pk, at("09:45")) == 10
        assert self.codes(pk, at("09:50")) == 0
        assert self.codes(pk, at("10:05")) == 11  # first due, second coming up: the worse wins

    def test_digest_counts_as_overdue(self, pk):
        add(pk, "First", "2026-11-23 10:00")
        assert self.codes(pk, at("10:00")) == 11
        assert self.codes(pk, at("09:00", day=24), "--digest") == 11
        assert self.codes(pk, at("09:05", day=24), "--digest") == 0

    def test_dry_run_reports_what_would_be_sent(self, pk):
        add(pk, "First", "2026-11-23 10:00")
        assert self.codes(pk, at("09:50"), "--dry-run") == 10
        assert self.codes(pk, at("10:00"), "--dry-run") == 11
        assert self.codes(pk, at("10:00"), "--dry-run", "--json") == 11
        assert journal(pk) == []
