"""What `pk remind` prints: nothing at all when all is well; plain, mail-friendly text or JSON otherwise."""

from __future__ import annotations

import json

import pytest
from conftest import both_engines, plant
from remind_support import add, at

EVA = ["--to", "Eva Spacek", "--contact", "+44 20 7946 0000", "--via", "phone", "--ref", "INC-4821", "--tag", "vpn"]


@both_engines  # cron mails any output: silence must hold on both engines
class TestSilence:
    def test_empty_database_prints_zero_bytes(self, pk_process):
        assert pk_process("db", "init").returncode == 0  # a missing one is said (test_missing_database)
        result = pk_process("remind")
        assert (result.returncode, result.stdout, result.stderr) == (0, "", "")

    def test_nothing_near_its_deadline_prints_zero_bytes(self, pk, pk_process):
        add(pk, "Send VPN config", "2026-11-24 10:00")
        result = pk_process("remind", "--notify", "--digest", now=at("12:00"))
        assert (result.returncode, result.stdout, result.stderr) == (0, "", "")

    def test_everything_already_reminded_prints_zero_bytes(self, pk, pk_process):
        add(pk, "Send VPN config", "2026-11-23 10:00")
        assert pk_process("remind", now=at("10:30")).stdout
        result = pk_process("remind", "--exit-code", now=at("10:35"))
        assert (result.returncode, result.stdout, result.stderr) == (0, "", "")

    def test_json_prints_an_empty_array(self, pk):
        assert pk("db", "init").exit_code == 0
        result = pk("remind", "--json")
        assert result.exit_code == 0
        assert json.loads(result.stdout) == []


class TestPlainText:
    def test_summary_line_then_one_block_per_promise(self, pk, pk_process):
        add(pk, "Send VPN config", "2026-11-23 10:00 Europe/London", *EVA)
        assert pk("tried", "1", "--note", "voicemail", now=at("10:30")).exit_code == 0
        add(pk, "Call Bob", "2026-11-23 11:30")
        result = pk_process("remind", now=at("11:20"))
        assert result.returncode == 0 and result.stderr == ""
        assert result.stdout == (
            "1 promise overdue, 1 due in 10m\n"
            "\n"
            "Overdue: #1 Send VPN config\n"
            "  to:        Eva Spacek\n"
            "  contact:   +44 20 7946 0000\n"
            "  via:       phone\n"
            "  ticket:    INC-4821\n"
            "  due:       Mon 23 Nov 11:00 (10:00 Europe/London), 19m late\n"
            "  tags:      +vpn\n"
            "  attempts:  1 (last Mon 23 Nov 10:30)\n"
            "\n"
            "Coming up: #2 Call Bob\n"
            "  due:  Mon 23 Nov 11:30, in 10m\n"
        )

    def test_summary_counts(self, pk):
        for minute in ("10:00", "10:10", "11:00", "11:05", "11:10"):
            add(pk, f"Promise at {minute}", f"2026-11-23 {minute}")
        first_line = pk("remind", now=at("11:00")).stdout.splitlines()[0]
        assert first_line == "2 promises overdue, 1 due now, 2 due within 15m"

    @pytest.mark.parametrize(("now", "headline"), [
        (at("09:50"), "Coming up: #1"), (at("10:00"), "Due now: #1"), (at("10:07"), "Overdue: #1"),
    ])
    def test_headline_says_how_it_stands(self, pk, now, headline):
        add(pk, "Send VPN config", "2026-11-23 10:00")
        assert pk("remind", now=now).stdout.splitlines()[2].startswith(headline)

    def test_digest_headline(self, pk):
        add(pk, "Send VPN config", "2026-11-23 10:00")
        pk("remind", now=at("10:00"))
        lines = pk("remind", "--digest", now=at("08:00", day=24)).stdout.splitlines()
        assert lines[0] == "1 promise overdue"
        assert lines[2] == "Still overdue: #1 Send VPN config"
        assert lines[3] == "  due:  Mon 23 Nov 10:00, 21h late"

    def test_piped_output_has_no_escape_codes_even_for_hostile_text(self, pk, pk_process, files):
        hostile = "[bold]Bob[/] \x1b]0;pwned\x07\x1b[5mblink\x9b31m"
        add(pk, "Reset [red]password[/red]", "2026-11-23 10:00")
        plant(files.db, 1, what="Reset [red]password[/red]\x1b[2J\r\nnext\u202e", who=hostile,
              contact="\x1b[31m+46 70\x07")  # as an older pk let in
        result = pk_process("remind", now=at("10:30"), env={"TERM": "xterm-256color"})
        assert result.returncode == 0 and result.stderr == ""
        for sequence in ("\x1b", "\x07", "\x9b", "\u202e", "\r"):
            assert sequence not in result.stdout
        assert "Reset [red]password[/red][2J  next" in result.stdout
        assert "[bold]Bob[/] ]0;pwned[5mblink31m" in result.stdout

    def test_on_a_terminal_it_is_styled_but_user_text_stays_literal(self, pk, files):
        add(pk, "Reset [red]password[/red]", "2026-11-23 10:00", "--to", "[bold]Bob[/]")
        plant(files.db, 1, what="Reset [red]password[/red]\x1b[2J", who="[bold]Bob[/]\x07")
        result = pk("remind", now=at("10:30"), env={"PROMISEKEEPER_LAYOUT": "terminal", "FORCE_COLOR": "1", "COLUMNS": "200"})
        assert "\x1b[" in result.stdout
        assert "[red]password[/red]" in result.stdout and "[bold]Bob[/]" in result.stdout
        assert "\x1b[2J" not in result.stdout and "\x07" not in result.stdout


class TestJson:
    def test_keys_and_values(self, pk):
        add(pk, "Send VPN config", "2026-11-23 10:00 Europe/London", *EVA)
        add(pk, "Call Bob", "2026-11-23 11:30")
        result = pk("remind", "--json", now=at("11:20"))
        assert result.exit_code == 0 and result.stderr == ""
        late, soon = json.loads(result.stdout)
        assert late["stage"] == "due" and soon["stage"] == "upcoming"
        for key in ("id", "uuid", "what", "who", "contact", "via", "ref", "tags", "owner", "state", "overdue",
                    "due_at", "due_local", "due_tz", "due_customer", "original_due_at", "created_at",
                    "closed_at", "attempts", "late_by_s", "due_in_s", "reminded_at"):
            assert key in late, key
        assert late["due_at"] == "2026-11-23T10:00:00+00:00"
        assert late["due_local"] == "2026-11-23T11:00:00+01:00"
        assert late["due_customer"] == "2026-11-23T10:00:00+00:00"
        assert (late["late_by_s"], late["due_in_s"], late["overdue"]) == (1140, 0, True)  # from the end of the deadline's minute
        assert (soon["late_by_s"], soon["due_in_s"], soon["due_customer"]) == (0, 600, None)
        assert late["reminded_at"] == "2026-11-23T10:20:00+00:00"
        assert late["who"] == "Eva Spacek" and late["tags"] == ["vpn"]

    def test_json_is_recorded_like_text(self, pk):
        add(pk, "Send VPN config", "2026-11-23 10:00")
        assert len(json.loads(pk("remind", "--json", now=at("10:30")).stdout)) == 1
        assert pk("remind", now=at("10:35")).stdout == ""

    def test_json_escapes_terminal_controls(self, pk, files):
        add(pk, "Reset", "2026-11-23 10:00")
        plant(files.db, 1, what="Reset\x1b[2J\u202eevil", who="Bob\x9b31m")
        result = pk("remind", "--json", now=at("10:30"))
        assert "\x1b" not in result.stdout and "\x9b" not in result.stdout and "\u202e" not in result.stdout
        item = json.loads(result.stdout)[0]
        assert item["what"] == "Reset\x1b[2J\u202eevil" and item["who"] == "Bob\x9b31m"


def test_help_lists_the_options(pk):
    result = pk("remind", "--help")
    assert result.exit_code == 0
    for option in ("--within", "--json", "--notify", "--digest", "--dry-run", "--exit-code"):
        assert option in result.stdout
