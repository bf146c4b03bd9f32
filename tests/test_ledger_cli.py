"""The ledger end to end through the CLI: log, list, keep, renegotiate, release, edit, note."""

from __future__ import annotations

import json

import pytest
from conftest import both_engines, sqlite_only

pytestmark = both_engines  # every test on SQLite and on PostgreSQL, unless it says why not

EVA = ["Send VPN config", "--to", "Eva Spacek", "--via", "email", "--ref", "INC-4821", "--contact", "eva@example.com"]


def add(pk, *args: str, due: str = "2026-11-24 10:00", now: str | None = None) -> int:
    result = pk("add", *args, "--due", due, "--json", now=now)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["id"]


def listed(pk, *args: str) -> list[dict]:
    result = pk("list", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


class TestAdd:
    def test_confirms_in_one_line_with_local_time_and_distance(self, pk):
        result = pk("add", *EVA, "--due", "2026-11-24 10:00")
        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()
        assert len(lines) == 1
        assert "#1" in lines[0] and "Send VPN config" in lines[0] and "Eva Spacek" in lines[0]
        assert "Tue 24 Nov 10:00, in 24h" in lines[0]

    def test_words_without_quotes_make_the_text(self, pk):
        add(pk, "call", "back", "about", "printer")
        assert listed(pk)[0]["what"] == "call back about printer"

    def test_default_deadline_is_end_of_business_day(self, pk):
        result = pk("add", "Ring Bob")
        assert result.exit_code == 0, result.output
        assert "Mon 23 Nov 17:00, in 7h 30m" in result.stdout

    def test_json_has_the_documented_keys(self, pk):
        result = pk("add", *EVA, "--tag", "vpn", "--tag", "+Billing,urgent", "--due", "2026-11-24 10:00", "--json")
        promise = json.loads(result.stdout)
        for key in ("id", "uuid", "what", "who", "contact", "via", "ref", "tags", "state", "due_at",
                    "original_due_at", "created_at", "closed_at"):
            assert key in promise
        assert promise["tags"] == ["vpn", "billing", "urgent"]
        assert promise["due_at"] == "2026-11-24T09:00:00+00:00"
        assert promise["created_at"] == "2026-11-23T08:30:00+00:00"
        assert promise["state"] == "open" and promise["closed_at"] is None
        assert promise["owner"]

    def test_customer_zone_is_kept_and_both_clocks_shown(self, pk):
        result = pk("add", "Call Marco", "--due", "tomorrow 3pm America/New_York")
        assert result.exit_code == 0, result.output
        assert "Tue 24 Nov 21:00 (15:00 America/New_York)" in result.stdout
        assert listed(pk)[0]["due_tz"] == "America/New_York"

    @pytest.mark.parametrize(
        ("args", "fragment"),
        [
            (["Call", "--due", "2026-02-30"], ""),
            (["Call", "--due", "yesterday 10am"], "past"),
            (["Call", "--due", "2026-11-23 09:00"], "past"),
            (["Call", "--due", "someday"], ""),
            (["   ", "--due", "in 2h"], "say what was promised"),
            (["Call", "--tag", "two words", "--due", "in 2h"], "tag"),
        ],
    )
    def test_bad_input_exits_2_with_one_line_and_writes_nothing(self, pk, engine, args, fragment):
        add(pk, "existing")
        before = engine.content()
        result = pk("add", *args)
        assert result.exit_code == 2, result.output
        assert result.stdout == ""
        assert len(result.stderr.strip().splitlines()) <= 2
        assert result.stderr.startswith("pk: ")
        assert fragment in result.stderr
        assert engine.content() == before


class TestList:
    @pytest.fixture
    def spread(self, pk):
        """Overdue, due today, this week, next month, and a kept one."""
        ids = {
            "overdue": add(pk, "late one", "--to", "Ann", "--tag", "vpn", now="2026-11-23T07:00:00+01:00", due="2026-11-23 08:00"),
            "today": add(pk, "today one", "--to", "Bob", "--ref", "INC-1", due="2026-11-23 15:00"),
            "week": add(pk, "week one", "--to", "Annika", "--tag", "vpn", due="2026-11-27 12:00"),
            "later": add(pk, "later one", "--to", "Cleo", due="2026-12-20 12:00"),
            "kept": add(pk, "kept one", due="2026-11-25 12:00"),
        }
        assert pk("done", str(ids["kept"])).exit_code == 0
        return ids

    def ids(self, pk, *args: str) -> list[int]:
        return [p["id"] for p in listed(pk, *args)]

    def test_views(self, pk, spread):
        s = spread
        assert self.ids(pk) == [s["overdue"], s["today"], s["week"], s["later"]]
        assert self.ids(pk, "--overdue") == [s["overdue"]]
        assert self.ids(pk, "--today") == [s["overdue"], s["today"]]
        assert self.ids(pk, "--week") == [s["overdue"], s["today"], s["week"]]
        assert set(self.ids(pk, "--all")) == set(s.values())

    def test_name_and_ticket_filters_ignore_case_beyond_ascii(self, pk):
        add(pk, "x", "--to", "ÅSA ÖBERG", "--ref", "ÄRENDE-7")
        add(pk, "y", "--to", "Bob")
        assert self.ids(pk, "--to", "åsa") == [1]
        assert self.ids(pk, "--ref", "ärende-7") == [1]

    def test_filters(self, pk, spread):
        s = spread
        assert self.ids(pk, "--to", "ann") == [s["overdue"], s["week"]]
        assert self.ids(pk, "--tag", "VPN") == [s["overdue"], s["week"]]
        assert self.ids(pk, "--ref", "inc-1") == [s["today"]]
        assert self.ids(pk, "--to", "%") == []

    def test_at_shows_the_list_as_it_will_stand(self, pk, spread):
        s = spread
        assert self.ids(pk, "--overdue", "--at", "2026-11-23 16:00") == [s["overdue"], s["today"]]
        result = pk("list", "--overdue", "--at", "2026-11-23 16:00")
        assert "as of Mon 23 Nov 16:00" in result.stdout

    def test_json_marks_overdue(self, pk, spread):
        flags = {p["id"]: p["overdue"] for p in listed(pk)}
        assert flags[spread["overdue"]] is True and flags[spread["today"]] is False

    def test_plain_output_is_stable_text(self, pk, spread):
        result = pk("list")
        assert result.exit_code == 0
        assert "\x1b" not in result.stdout
        lines = result.stdout.splitlines()
        assert lines[0] == "4 promises:"
        assert lines[1].startswith(f"#{spread['overdue']}  Mon 23 Nov 08:00  1h 29m late  late one  — Ann  +vpn")

    def test_two_views_at_once_are_refused(self, pk):
        result = pk("list", "--overdue", "--today")
        assert result.exit_code == 2 and "choose one" in result.stderr

    def test_agenda_groups(self, pk, spread):
        result = pk()
        assert result.exit_code == 0, result.output
        text = result.stdout
        assert text.index("Overdue (1)") < text.index("late one") < text.index("Due today (1)")
        assert text.index("Due today (1)") < text.index("today one") < text.index("Next up")
        assert "kept one" not in text

    def test_empty_agenda_says_how_to_start(self, pk):
        assert pk("db", "init").exit_code == 0  # reading makes no database (test_missing_database)
        result = pk()
        assert result.exit_code == 0 and "pk add" in result.stdout


class TestClosing:
    def test_done_on_time_and_late_is_computed(self, pk):
        first = add(pk, "on time", due="2026-11-23 12:00")
        second = add(pk, "late", due="2026-11-23 10:00")
        assert "on time" in pk("done", str(first), now="2026-11-23T11:00:00+01:00").stdout
        late = pk("done", f"#{second}", "--note", "sent by mail", now="2026-11-23T12:05:00+01:00")
        # Late from the end of 10:00's minute, the deadline as shown.
        assert late.exit_code == 0 and "2h 04m late" in late.stdout
        states = {p["id"]: (p["state"], p["closed_at"]) for p in listed(pk, "--all")}
        assert states[second] == ("kept", "2026-11-23T11:05:00+00:00")

    def test_kept_within_the_deadlines_minute_is_on_time(self, pk):
        pid = add(pk, "x", due="2026-11-23 10:00")
        result = pk("done", str(pid), now="2026-11-23T10:00:59+01:00")
        assert "Kept on time" in result.stdout

    def test_seconds_after_the_deadlines_minute_read_late(self, pk):
        pid = add(pk, "x", due="2026-11-23 10:00")
        result = pk("done", str(pid), now="2026-11-23T10:01:00+01:00")
        assert "Kept <1m late" in result.stdout

    def test_done_twice_is_refused(self, pk, engine):
        pid = add(pk, "x")
        pk("done", str(pid))
        before = engine.content()
        result = pk("done", str(pid))
        assert result.exit_code == 2 and "already kept" in result.stderr and "reopen" in result.stderr
        assert engine.content() == before

    def test_unknown_id_exits_1(self, pk):
        add(pk, "x")
        for command in (["done", "99"], ["show", "99"], ["cancel", "99", "--reason", "r"], ["note", "99", "x"]):
            result = pk(*command)
            assert result.exit_code == 1, command
            assert "no promise #99" in result.stderr

    def test_malformed_id_exits_2(self, pk):
        assert pk("db", "init").exit_code == 0  # reading makes no database (test_missing_database)
        result = pk("done", "abc!")
        assert result.exit_code == 2 and "not a promise id" in result.stderr
        assert pk("show", "²").exit_code == 2

    def test_huge_id_is_simply_not_found(self, pk):
        add(pk, "x")
        result = pk("show", "99999999999999999999")
        assert result.exit_code == 1 and "no promise" in result.stderr

    def test_uuid_prefix_finds_a_promise(self, pk):
        add(pk, "x")
        uuid = listed(pk)[0]["uuid"]
        assert pk("show", uuid[:8]).exit_code == 0

    def test_cancel_needs_a_reason_and_releases(self, pk, engine):
        pid = add(pk, "x")
        before = engine.content()
        missing = pk("cancel", str(pid))
        assert missing.exit_code == 2 and "--reason" in missing.stderr
        assert engine.content() == before
        result = pk("cancel", str(pid), "--reason", "customer fixed it")
        assert result.exit_code == 0 and "Released" in result.stdout
        assert listed(pk, "--all")[0]["state"] == "released"

    def test_reopen_brings_back_and_refuses_an_open_one(self, pk):
        pid = add(pk, "x")
        assert pk("reopen", str(pid)).exit_code == 2
        pk("done", str(pid))
        result = pk("reopen", str(pid))
        assert result.exit_code == 0 and "Reopened" in result.stdout
        promise = listed(pk)[0]
        assert promise["state"] == "open" and promise["closed_at"] is None


class TestReschedule:
    def test_before_the_deadline_is_a_renegotiation(self, pk):
        pid = add(pk, "x", due="2026-11-23 12:00")
        result = pk("reschedule", str(pid), "2026-11-24", "12:00", "--reason", "vendor late")
        assert result.exit_code == 0, result.output
        assert "renegotiated before the deadline" in result.stdout
        promise = listed(pk)[0]
        assert promise["due_at"] == "2026-11-24T11:00:00+00:00"
        assert promise["original_due_at"] == "2026-11-23T11:00:00+00:00"

    def test_after_the_deadline_counts_as_broken(self, pk):
        pid = add(pk, "x", due="2026-11-23 10:00")
        result = pk("reschedule", str(pid), "2026-11-24 12:00", "--reason", "forgot", now="2026-11-23T10:01:00+01:00")
        assert result.exit_code == 0 and "broken" in result.stdout

    @pytest.mark.parametrize(
        ("args", "fragment"),
        [
            (["2026-11-24 12:00"], "--reason"),
            (["2026-11-24 12:00", "--reason", "  "], "--reason"),
            (["2026-11-20 12:00", "--reason", "r"], "past"),
            (["2026-11-31 12:00", "--reason", "r"], ""),
            (["2026-11-23 12:00", "--reason", "r"], "already due then"),
        ],
    )
    def test_refusals_write_nothing(self, pk, engine, args, fragment):
        pid = add(pk, "x", due="2026-11-23 12:00")
        before = engine.content()
        result = pk("reschedule", str(pid), *args)
        assert result.exit_code == 2, result.output
        assert fragment in result.stderr
        assert engine.content() == before

    def test_closed_promise_cannot_move(self, pk):
        pid = add(pk, "x")
        pk("done", str(pid))
        result = pk("reschedule", str(pid), "2026-11-30 10:00", "--reason", "r")
        assert result.exit_code == 2 and "reopen" in result.stderr


class TestEditAndNote:
    def test_edit_changes_details_and_records_before_after(self, pk):
        pid = add(pk, *EVA, "--tag", "vpn")
        result = pk("edit", str(pid), "--to", "Eva Späcek", "--add-tag", "urgent", "--contact", "")
        assert result.exit_code == 0, result.output
        promise = listed(pk)[0]
        assert promise["who"] == "Eva Späcek" and promise["contact"] is None
        assert promise["tags"] == ["vpn", "urgent"]
        edited = next(e for e in json.loads(pk("log", str(pid), "--json").stdout) if e["kind"] == "edited")
        assert edited["data"]["before"]["who"] == "Eva Spacek"
        assert edited["data"]["after"]["who"] == "Eva Späcek"

    def test_edit_refuses_the_deadline_and_no_ops(self, pk, engine):
        pid = add(pk, *EVA)
        before = engine.content()
        due = pk("edit", str(pid), "--due", "fri")
        assert due.exit_code == 2 and "pk reschedule" in due.stderr
        same = pk("edit", str(pid), "--to", "Eva Spacek")
        assert same.exit_code == 2 and "nothing to change" in same.stderr
        empty = pk("edit", str(pid))
        assert empty.exit_code == 2
        assert engine.content() == before

    def test_note_is_added_to_history(self, pk):
        pid = add(pk, "x")
        assert pk("note", str(pid), "prefers", "email").exit_code == 0
        shown = pk("show", str(pid))
        assert "note: prefers email" in shown.stdout
        assert pk("note", str(pid), " ").exit_code == 2


class TestShowAndLog:
    def test_show_lists_fields_and_history(self, pk):
        pid = add(pk, *EVA, "--tag", "vpn", due="2026-11-23 12:00")
        pk("reschedule", str(pid), "2026-11-23 14:00", "--reason", "waiting on vendor")
        result = pk("show", str(pid))
        assert result.exit_code == 0, result.output
        out = result.stdout
        for fragment in ("#1 Send VPN config", "Eva Spacek", "eva@example.com", "INC-4821", "+vpn",
                         "first due", "History:", "waiting on vendor", "created", "rescheduled"):
            assert fragment in out

    def test_show_json_includes_events(self, pk):
        pid = add(pk, "x")
        document = json.loads(pk("show", str(pid), "--json").stdout)
        assert document["id"] == pid and [e["kind"] for e in document["events"]] == ["created"]

    def test_log_is_oldest_first_across_promises(self, pk):
        a = add(pk, "a")
        b = add(pk, "b")
        pk("done", str(a))
        events = json.loads(pk("log", "--json").stdout)
        assert [(e["promise"], e["kind"]) for e in events] == [(a, "created"), (b, "created"), (a, "kept")]
        assert {"id", "promise", "at", "kind", "data"} <= set(events[0])


def test_prompt_format_setting_is_checked(pk):
    result = pk("config", "set", "prompt.format", "{overdeu}")
    assert result.exit_code == 2 and "unknown field {overdeu}" in result.stderr
    assert pk("config", "set", "prompt.format", "{overdue} late").exit_code == 0


@sqlite_only  # rewrites ids and uuids in the SQLite file directly
def test_digits_that_start_a_uuid_are_never_taken_for_another_promise(pk, files):
    import sqlite3

    add(pk, "first")
    add(pk, "second")
    with sqlite3.connect(files.db) as conn:
        conn.execute("UPDATE event SET promise_id = 1234 WHERE promise_id = 1")
        conn.execute("UPDATE promise SET id = 1234 WHERE id = 1")
        conn.execute("UPDATE promise SET uuid = '1234abcd-0000-4000-8000-000000000002' WHERE id = 2")
        conn.execute("INSERT INTO promise SELECT 3, '0012aaaa-0000-4000-8000-000000000003', what, who, contact, "
                     "via, ref, tags, owner, created_at, due_at, original_due_at, due_tz, state, closed_at, "
                     "who_key, ref_key, search_key, series_id, series_slot, contact2, language FROM promise WHERE id = 2")
    # Digits are the number pk shows, even where they also start another promise's uuid (at
    # 100,000 promises nearly every four digits do); a number no promise has is not found,
    # never taken for a uuid.
    assert pk("done", "1234").exit_code == 0
    assert json.loads(pk("show", "#1234", "--json").stdout)["state"] == "kept"
    assert json.loads(pk("show", "1234ab", "--json").stdout)["what"] == "second"
    assert json.loads(pk("show", "0012", "--json").stdout)["id"] == 3
    missing = pk("show", "1235")
    assert missing.exit_code == 1 and "no promise #1235" in missing.stderr
    assert pk("show", "12340000").exit_code == 1  # eight digits: the start of no uuid either


def test_keeping_a_promise_moved_too_late_says_it_still_counts_as_broken(pk):
    add(pk, "x", due="2026-11-23 10:00")
    pk("reschedule", "1", "2026-11-23 16:00", "--reason", "late", now="2026-11-23T11:00:00+01:00")
    result = pk("done", "1", now="2026-11-23T15:00:00+01:00")
    assert "Kept on time" in result.stdout and "still counts as broken" in result.stdout
    assert json.loads(pk("show", "1", "--json").stdout)["outcome"] == "broken"


def test_a_promise_due_by_midnight_is_due_today_everywhere(pk):
    add(pk, "by midnight", due="midnight")
    assert "Due today (1)" in pk().stdout
    assert [p["what"] for p in listed(pk, "--today")] == ["by midnight"]
    assert pk("prompt").stdout.strip() == "◷1"
    assert "Due today (1)" in pk("brief").stdout
    assert pk("prompt", now="2026-11-24T00:00:59+01:00").stdout.strip() == "◷1"  # its minute
    assert pk("prompt", now="2026-11-24T00:01:00+01:00").stdout.strip() == "⚑1"
