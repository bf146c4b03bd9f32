"""`pk prompt`: what the segment says, its options, and that it never gets in the way."""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import Files
from test_prompt_helpers import MONDAY, MONDAY_EPOCH, monday_promises, pk_run, seed

from promisekeeper import segment
from promisekeeper.segment import Reading
from promisekeeper.shell import prompt, schedule_file

HOUR = 3600


def row(overdue: int, today: int, next_due: int | None = None, who: str = "") -> Reading:
    return Reading(overdue, today, next_due, who)


# -- rendering ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overdue", "today", "ascii", "expected"),
    [
        (2, 3, False, "⚑2 ◷3"),
        (2, 0, False, "⚑2"),
        (0, 3, False, "◷3"),
        (0, 0, False, ""),
        (2, 3, True, "!2 ~3"),
        (0, 1, True, "~1"),
    ],
)
def test_default_segment(overdue: int, today: int, ascii: bool, expected: str) -> None:
    assert segment.render(row(overdue, today), now=0, template="", ascii=ascii) == expected


def test_template_fields_and_empty_when_nothing_due() -> None:
    template = "{overdue} late, {today} today, next {next_in} for {next_who}"
    text = segment.render(row(1, 2, 5400, "Eva"), now=0, template=template, ascii=False)
    assert text == "1 late, 2 today, next 1h for Eva"
    assert segment.render(row(0, 0, 5400, "Eva"), now=0, template=template, ascii=False) == ""
    assert (
        segment.render(row(1, 0, None, ""), now=0, template="{next_in}|{next_who}", ascii=False)
        == "|"
    )


def test_a_name_that_looks_like_a_field_is_shown_as_it_is() -> None:
    text = segment.render(
        row(1, 0, 60, "{overdue}{today}"), now=0, template="{next_who}", ascii=False
    )
    assert text == "{overdue}{today}"


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (0, "0m"),
        (59, "0m"),
        (60, "1m"),
        (3599, "59m"),
        (3600, "1h"),
        (47 * HOUR + 3599, "47h"),
        (48 * HOUR, "2d"),
        (10 * 86400 + 5, "10d"),
    ],
)
def test_next_in_is_one_floored_unit(seconds: int, expected: str) -> None:
    assert segment.next_in(seconds) == expected


@pytest.mark.parametrize("seconds", [0, 1, 59, 60, 61, 3599, 3600, 3601, 7199, 47 * HOUR + 5,
                                     48 * HOUR, 48 * HOUR + 1, 3 * 86400 - 1, 10 * 86400 + 5])
def test_next_in_floor_is_where_the_countdown_ticks_over(seconds: int) -> None:
    floor = segment.next_in_floor(seconds)
    assert floor <= seconds
    assert all(segment.next_in(left) == segment.next_in(seconds) for left in {floor, seconds})
    if floor:
        assert segment.next_in(floor - 1) != segment.next_in(seconds)


def test_severity_picks_the_colour() -> None:
    assert [row(*counts).severity for counts in [(0, 0), (0, 2), (1, 0), (1, 2)]] == [
        segment.QUIET, segment.TODAY, segment.OVERDUE, segment.OVERDUE]


def test_decorate_escapes_and_colours_for_each_shell() -> None:
    text = "⚑1 50% #1"
    red, yellow = segment.OVERDUE, segment.TODAY
    assert segment.decorate(text, severity=red, shell="plain", color=False) == text
    assert segment.decorate(text, severity=red, shell="zsh", color=False) == "⚑1 50%% #1"
    assert segment.decorate(text, severity=red, shell="tmux", color=False) == "⚑1 50% ##1"
    assert (
        segment.decorate(text, severity=red, shell="plain", color=True)
        == f"\x1b[31m{text}\x1b[0m"
    )
    assert (
        segment.decorate(text, severity=yellow, shell="bash", color=True)
        == f"\x01\x1b[33m\x02{text}\x01\x1b[0m\x02"
    )
    assert segment.decorate(text, severity=red, shell="zsh", color=True) == "%F{red}⚑1 50%% #1%f"
    assert (
        segment.decorate(text, severity=yellow, shell="tmux", color=True)
        == "#[fg=yellow]⚑1 50% ##1#[default]"
    )
    assert segment.decorate("", severity=red, shell="bash", color=True) == ""


def test_parse_args() -> None:
    options = prompt.parse_args(["--format", "{today}", "--ascii", "--color", "--shell=zsh"])
    assert (options.format, options.ascii, options.color, options.shell) == (
        "{today}",
        True,
        True,
        "zsh",
    )
    assert prompt.parse_args(["--format="]).format == ""
    assert prompt.parse_args(["--no-color", "--no-ascii"]).color is False
    for bad in (
        ["--shell", "csh"],
        ["--format"],
        ["--frobnicate"],
        ["extra"],
        ["--format", "{overdeu}"],
    ):
        with pytest.raises(prompt.UsageError):
            prompt.parse_args(bad)


def test_printable_names_need_no_cleaning() -> None:
    # schedule.display_who skips sanitize.clean for printable names (and its import).
    from promisekeeper.sanitize import clean
    from promisekeeper.shell.schedule import display_who

    printable = "".join(c for c in map(chr, range(0x110000)) if c.isprintable())
    assert clean(printable) == printable
    assert display_who("  Eva\u202eSpacek\t") == "EvaSpacek"
    assert display_who(None) == ""


# -- the command -------------------------------------------------------------------------


@pytest.fixture
def monday_db(files: Files) -> Path:
    seed(files.db, monday_promises())
    return files.db


def test_pk_prompt_counts_overdue_and_due_today(monday_db: Path) -> None:
    result = pk_run("prompt", now=MONDAY_EPOCH)
    assert (result.returncode, result.stdout, result.stderr) == (0, "⚑2 ◷3\n", "")


def test_pk_prompt_prints_nothing_at_all_when_all_is_well(files: Files) -> None:
    seed(
        files.db,
        [
            (MONDAY + timedelta(days=3), "Later", "open"),
            (MONDAY - timedelta(hours=1), "Kept", "kept"),
        ],
    )
    result = pk_run("prompt", "--format", "{overdue}/{today}", now=MONDAY_EPOCH)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_format_ascii_and_iso_clock(monday_db: Path) -> None:
    template = "{overdue}!{today} next in {next_in} ({next_who})"
    result = pk_run("prompt", "--format", template, now=MONDAY_EPOCH)
    assert result.stdout == "2!3 next in 1h (O'Brien $HOME `x` %n #S)\n"
    assert pk_run("prompt", "--ascii", now="2026-11-23T09:30:00+01:00").stdout == "!2 ~3\n"


def test_user_text_is_stripped_of_control_characters(monday_db: Path) -> None:
    # At 11:01 (the end of O'Brien's 11:00 minute) the next deadline is Bo's, whose name carries an escape byte.
    result = pk_run("prompt", "--format", "{next_who}", now=MONDAY_EPOCH + 5460)
    assert result.stdout == "Bo[31m Lind\n"


def test_a_template_with_control_characters_is_cleaned(monday_db: Path) -> None:
    result = pk_run("prompt", "--format", "\x1b]0;pwned\x07{overdue}\n{today}", now=MONDAY_EPOCH)
    assert result.stdout == "]0;pwned2 3\n"


def test_shell_flavours(monday_db: Path) -> None:
    template = "{next_who}"
    zsh = pk_run("prompt", "--format", template, "--shell", "zsh", now=MONDAY_EPOCH).stdout
    tmux = pk_run(
        "prompt", "--format", template, "--shell", "tmux", "--color", now=MONDAY_EPOCH
    ).stdout
    bash = pk_run("prompt", "--shell", "bash", "--color", now=MONDAY_EPOCH).stdout
    assert zsh == "O'Brien $HOME `x` %%n #S\n"
    assert tmux == "#[fg=red]O'Brien $HOME `x` %n ##S#[default]\n"
    assert bash == "\x01\x1b[31m\x02⚑2 ◷3\x01\x1b[0m\x02\n"


@pytest.mark.parametrize("encoding", ["ascii", "latin-1", "cp1252"])
def test_an_output_that_cannot_carry_the_symbols_gets_the_ascii_ones(
    monday_db: Path, encoding: str
) -> None:
    # Not "?2 ?3", where overdue and due today would look alike.
    env = {"PYTHONIOENCODING": encoding}
    assert pk_run("prompt", env=env, now=MONDAY_EPOCH).stdout == "!2 ~3\n"
    assert pk_run("prompt", "--no-ascii", env=env, now=MONDAY_EPOCH).stdout == "!2 ~3\n"
    bash = pk_run("prompt", "--shell", "bash", "--color", env=env, now=MONDAY_EPOCH).stdout
    assert bash == "\x01\x1b[31m\x02!2 ~3\x01\x1b[0m\x02\n"
    # A format of your own has no symbols to replace.
    template = pk_run("prompt", "--format", "{overdue}/{today}", env=env, now=MONDAY_EPOCH)
    assert template.stdout == "2/3\n"
    assert pk_run("prompt", env={"PYTHONIOENCODING": "utf-8"}, now=MONDAY_EPOCH).stdout == (
        "⚑2 ◷3\n"
    )


def test_shows_symbols_asks_the_streams_encoding() -> None:
    import io

    assert prompt.shows_symbols(io.StringIO())  # no encoding of its own: any text goes
    for encoding, expected in [
        ("utf-8", True),
        ("utf-16", True),
        ("ascii", False),
        ("iso8859-15", False),
    ]:
        stream = io.TextIOWrapper(io.BytesIO(), encoding=encoding)
        assert prompt.shows_symbols(stream) is expected, encoding


def test_bad_usage_exits_2_with_one_line(monday_db: Path) -> None:
    for args in (["--shell", "csh"], ["--bogus"], ["--format", "{nope}"]):
        result = pk_run("prompt", *args, now=MONDAY_EPOCH)
        assert result.returncode == 2, args
        assert result.stdout == ""
        assert result.stderr.startswith("pk: prompt: ") and result.stderr.count("\n") == 1
    result = pk_run("prompt", now="tomorrow-ish")
    assert result.returncode == 2 and "PROMISEKEEPER_NOW" in result.stderr


def test_help_comes_from_the_full_cli() -> None:
    result = pk_run("prompt", "--help")
    assert result.returncode == 0 and "--format" in result.stdout and "{next_who}" in result.stdout


def test_missing_database_prints_nothing_and_creates_nothing(files: Files) -> None:
    result = pk_run("prompt", now=MONDAY_EPOCH)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert not files.db.exists()


@pytest.mark.parametrize("damage", ["garbage", "no-table"])
def test_unreadable_database_prints_nothing_and_exits_0(files: Files, damage: str) -> None:
    files.db.parent.mkdir(parents=True, exist_ok=True)
    if damage == "garbage":
        files.db.write_bytes(b"this is not a database" * 100)
    else:
        sqlite3.connect(files.db).close()
    result = pk_run("prompt", now=MONDAY_EPOCH)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def _snapshot(directory: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_mtime_ns, p.stat().st_size) for p in directory.iterdir()}


def test_reading_never_writes_locks_or_creates_files(monday_db: Path) -> None:
    before = _snapshot(monday_db.parent)
    assert set(before) == {monday_db.name}  # no -wal/-shm: every connection is closed
    for _ in range(2):
        assert pk_run("prompt", now=MONDAY_EPOCH).stdout == "⚑2 ◷3\n"
        assert pk_run("prompt", "--schedule", env={"TZ": "UTC"}, now=MONDAY_EPOCH).returncode == 0
    assert _snapshot(monday_db.parent) == before


def test_reading_beside_an_open_writer_sees_its_commits_and_does_not_block_it(
    monday_db: Path,
) -> None:
    writer = sqlite3.connect(monday_db, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE promise SET state = 'kept' WHERE who = 'Eva Spacek'")
        writer.execute("COMMIT")  # in the -wal file only, while the writer stays open
        files_before = _snapshot(monday_db.parent)
        writer.execute("BEGIN IMMEDIATE")  # holds the write lock while pk reads
        assert pk_run("prompt", now=MONDAY_EPOCH).stdout == "⚑1 ◷3\n"
        writer.execute("UPDATE promise SET state = 'kept' WHERE who = 'Tomorrow AB'")
        writer.execute("COMMIT")  # the reader left no lock behind
        after = _snapshot(monday_db.parent)
        assert set(after) == set(files_before)
        assert after[monday_db.name] == files_before[monday_db.name]  # the database file untouched
    finally:
        writer.close()


def test_config_sets_the_default_format_and_colour(files: Files, monday_db: Path) -> None:
    files.config.write_text('[prompt]\nformat = "{overdue}+{today}"\ncolor = true\n')
    assert pk_run("prompt", now=MONDAY_EPOCH).stdout == "\x1b[31m2+3\x1b[0m\n"
    assert pk_run("prompt", env={"NO_COLOR": "1"}, now=MONDAY_EPOCH).stdout == "2+3\n"
    assert pk_run("prompt", "--no-color", "--format", "", now=MONDAY_EPOCH).stdout == "⚑2 ◷3\n"
    time.sleep(0.01)
    files.config.write_text("[prompt]\nascii = true\n")  # newer than the schedule: read again
    assert pk_run("prompt", now=MONDAY_EPOCH).stdout == "!2 ~3\n"
    files.config.unlink()
    assert pk_run("prompt", now=MONDAY_EPOCH).stdout == "⚑2 ◷3\n"


def test_in_process_cli_matches_the_fast_path(pk: Callable[..., Any], monday_db: Path) -> None:
    env = {"PROMISEKEEPER_NOW": f"@{MONDAY_EPOCH}"}
    result = pk("prompt", "--format", "{overdue} {next_in}", env=env)
    assert (result.exit_code, result.output) == (0, "2 1h\n")
    result = pk("prompt", "--shell", "csh", env=env)
    assert result.exit_code == 2


def test_the_schedule_option_prints_the_schedule_from_now(monday_db: Path) -> None:
    text = pk_run("prompt", "--schedule", now=MONDAY_EPOCH + 60).stdout
    lines = text.splitlines()
    assert lines[0] == "pk-schedule 2"
    assert lines[4].startswith(f"{MONDAY_EPOCH + 60} {MONDAY_EPOCH + 5460} ")
    parsed = schedule_file.loads(text.encode())
    assert parsed is not None and parsed.start == MONDAY_EPOCH + 60
    assert (parsed.rows[0].text, parsed.rows[0].reading.key()[:2]) == ("⚑2 ◷3", (2, 3))


def test_a_broken_pipe_is_not_an_error(monday_db: Path) -> None:
    import subprocess

    from test_prompt_helpers import pk_path

    environment = dict(os.environ, PROMISEKEEPER_NOW=f"@{MONDAY_EPOCH}")
    result = subprocess.run(
        f"'{pk_path()}' prompt | true",
        shell=True,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0 and "Error" not in result.stderr
