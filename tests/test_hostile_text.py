"""Markup and escape sequences in user text are shown literally, without control bytes.

Control characters are refused on the way in (tests/test_limits.py), so the hostile text
here is planted in the database directly, as a pk from before the limits could have
stored it; markup needs no planting: it is ordinary text.
"""

from __future__ import annotations

import json

import pytest
from conftest import plant

HOSTILE_WHO = "[bold]Bob[/] \x1b]0;pwned\x07\x1b[5mblink\x9b31m"
HOSTILE_WHAT = "Reset [red]password[/red]\x1b[2J\r\nnext line\x08\u202eevil"
CONTROL_BYTES = ("\x1b]0;", "\x07", "\x1b[5m", "\x1b[2J", "\x9b", "\x08", "\u202e", "\r")


@pytest.fixture
def hostile(pk, files) -> str:
    result = pk("add", "Reset [red]password[/red]", "--to", "[bold]Bob[/]", "--ref", "[link=http://x]INC[/link]",
                "--due", "2026-11-23 08:00", now="2026-11-23T07:00:00+01:00")
    assert result.exit_code == 0, result.output
    plant(files.db, 1, what=HOSTILE_WHAT.strip(), who=HOSTILE_WHO)
    return "1"


def assert_safe(output: str) -> None:
    for sequence in CONTROL_BYTES:
        assert sequence not in output, repr(sequence)


def assert_literal(output: str) -> None:
    assert "[bold]Bob[/]" in output
    assert "[red]password[/red]" in output
    assert "]0;pwned" in output and "[5mblink" in output


COMMANDS = [[], ["list"], ["list", "--all"], ["show", "1"], ["log"], ["log", "1"]]


@pytest.mark.parametrize("command", COMMANDS)
def test_plain_output_is_literal_and_clean(pk, hostile, command):
    result = pk(*command)
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout
    assert_safe(result.stdout)
    assert_literal(result.stdout)


@pytest.mark.parametrize("command", COMMANDS)
def test_rich_output_is_literal_and_clean(pk, hostile, command):
    result = pk(*command, env={"PROMISEKEEPER_LAYOUT": "terminal", "FORCE_COLOR": "1", "COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert "\x1b[" in result.stdout, "expected Rich styling on a forced terminal"
    assert_safe(result.stdout)
    assert_literal(result.stdout)


def test_confirmation_lines_are_clean(pk, hostile):
    for command in (["done", "1"], ["reopen", "1"], ["note", "1", "[red]red[/red]"], ["tried", "1", "--note", "[b]x[/b]"]):
        result = pk(*command)
        assert result.exit_code == 0, result.output
        assert_safe(result.stdout)
        assert "[bold]Bob[/]" in result.stdout


@pytest.mark.parametrize("command", [["note", "1", "\x1b[31mred\x07"], ["tried", "1", "--note", "\x1b]0;x\x07"]])
def test_control_bytes_are_refused_on_the_way_in(pk, hostile, files, command):
    from conftest import db_content

    before = db_content(files.db)
    result = pk(*command)
    assert result.exit_code == 2
    assert "control character" in result.stderr
    assert_safe(result.stderr)
    assert db_content(files.db) == before


def test_json_keeps_text_exact_but_escapes_controls(pk, hostile):
    result = pk("list", "--json")
    assert_safe(result.stdout)
    assert "\x1b" not in result.stdout
    promise = json.loads(result.stdout)[0]
    assert promise["who"] == HOSTILE_WHO
    assert promise["what"] == HOSTILE_WHAT.strip()


def test_errors_do_not_echo_control_bytes(pk):
    result = pk("add", "x", "--due", "\x1b]0;pwned\x07")
    assert result.exit_code == 2
    assert_safe(result.stderr)


def test_no_color_is_honoured(pk, hostile):
    result = pk("list", env={"PROMISEKEEPER_LAYOUT": "terminal", "FORCE_COLOR": "1", "NO_COLOR": "1", "COLUMNS": "200"})
    assert result.exit_code == 0
    for colour in ("\x1b[31m", "\x1b[91m", "\x1b[33m", "\x1b[32m", "\x1b[36m", "\x1b[1;31m"):
        assert colour not in result.stdout
