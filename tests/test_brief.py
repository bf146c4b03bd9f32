"""`pk brief`: overdue and due today in a small panel, once a day when asked."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import Files
from test_prompt_helpers import MONDAY, monday_promises, seed

from promisekeeper import paths

TUESDAY_MORNING = "2026-11-24T08:00:00+01:00"


@pytest.fixture
def monday_db(files: Files) -> Path:
    seed(files.db, monday_promises())
    return files.db


def briefed_file(files: Files) -> Path:
    return Path(paths.state_file("brief", str(files.db)))


def test_brief_lists_overdue_and_due_today_only(pk: Callable[..., Any], monday_db: Path) -> None:
    result = pk("brief")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "Mon 23 Nov: 2 overdue, 3 due today"
    assert lines[1] == "Overdue (2):"
    assert lines[4] == ""
    assert lines[5] == "Due today (3):"
    assert len(lines) == 9
    text = result.output
    assert "Eva Spacek" in text and "Old & Forgotten" in text and "O'Brien" in text
    assert "Tomorrow AB" not in text and "Kept Kalle" not in text and "Released Rut" not in text
    assert "\x1b" not in text  # the escape byte in Bo's name is gone: "Bo[31m Lind"


def test_nothing_due_prints_nothing(pk: Callable[..., Any], files: Files) -> None:
    seed(files.db, [(MONDAY + timedelta(days=2), "Later", "open")])
    result = pk("brief", "--once-a-day")
    assert (result.exit_code, result.output) == (0, "")
    assert not briefed_file(files).exists()  # a later promise may still make today's briefing


def test_once_a_day(pk: Callable[..., Any], files: Files, monday_db: Path) -> None:
    assert "Overdue (2):" in pk("brief", "--once-a-day").output
    assert briefed_file(files).read_text() == "2026-11-23\n"
    assert pk("brief", "--once-a-day").output == ""
    assert "Overdue" in pk("brief").output  # asked for outright: shown again
    tuesday = pk("brief", "--once-a-day", now=TUESDAY_MORNING)
    assert tuesday.output.startswith("Tue 24 Nov: 5 overdue, 1 due today")
    assert briefed_file(files).read_text() == "2026-11-24\n"


def test_the_day_is_the_local_one(pk: Callable[..., Any], files: Files, monday_db: Path) -> None:
    # 00:30 on Tuesday in Stockholm is still Monday in UTC.
    pk("brief", "--once-a-day", now="2026-11-23T23:00:00Z")
    assert briefed_file(files).read_text() == "2026-11-24\n"


def test_no_database_no_briefing_and_none_created(pk: Callable[..., Any], files: Files) -> None:
    result = pk("brief", "--once-a-day")
    assert (result.exit_code, result.output) == (0, "")
    assert not files.db.exists()


def test_on_a_terminal_a_panel_with_user_text_kept_literal(
    pk: Callable[..., Any], files: Files
) -> None:
    seed(
        files.db,
        [
            (MONDAY - timedelta(hours=1), "[red]Mallory[/red]", "open"),
            (MONDAY + timedelta(hours=2), "Eva", "open"),
        ],
    )
    result = pk("brief", env={"PROMISEKEEPER_LAYOUT": "terminal", "FORCE_COLOR": "1", "COLUMNS": "100"})
    assert result.exit_code == 0
    assert "\x1b[" in result.output
    text = re.sub(r"\x1b\[[0-9;]*m", "", result.output)
    assert text.splitlines()[0].startswith("╭─ Mon 23 Nov: 1 overdue, 1 due today")
    assert "[red]Mallory[/red]" in text
    assert "Overdue (1)" in text and "Due today (1)" in text
    assert text.rstrip().endswith("╯")
