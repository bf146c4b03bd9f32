"""What a new user tripped on in a first week (issue 12), each found again by a test."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import Files, db_content

from promisekeeper.lang import collation

NEW_YORK = "fri 3pm America/New_York"


def ok(pk, *args: str, **kwargs):
    result = pk(*args, **kwargs)
    assert result.exit_code == 0, result.output
    return result


# -- a promise on the customer's clock keeps that clock when it moves ---------------------


def test_reschedule_reads_the_new_time_on_the_customers_clock(pk) -> None:
    ok(pk, "add", "Call back", "--to", "Bob", "--due", NEW_YORK)

    moved = ok(pk, "reschedule", "1", "mon 10am", "--reason", "vendor").stdout

    # 10:00 in New York on Monday is 16:00 in Stockholm, and the zone is kept.
    shown = json.loads(ok(pk, "show", "1", "--json").stdout)
    assert shown["due_at"] == "2026-11-23T15:00:00+00:00"
    assert shown["due_tz"] == "America/New_York"
    assert "to Mon 23 Nov 16:00 (10:00 America/New_York)" in moved
    assert "(was Fri 27 Nov 21:00, 15:00 America/New_York)" in moved


def test_a_phrase_naming_another_zone_moves_to_that_clock(pk) -> None:
    ok(pk, "add", "Call back", "--due", NEW_YORK)

    moved = ok(pk, "reschedule", "1", "tue 9am Asia/Tokyo", "--reason", "travel").stdout

    shown = json.loads(ok(pk, "show", "1", "--json").stdout)
    assert shown["due_tz"] == "Asia/Tokyo"
    assert shown["due_at"] == "2026-11-24T00:00:00+00:00"
    assert "(09:00 Asia/Tokyo)" in moved and "(was Fri 27 Nov 21:00, 15:00 America/New_York)" in moved


def test_an_exact_duration_keeps_the_customers_zone(pk) -> None:
    ok(pk, "add", "Call back", "--due", NEW_YORK)

    ok(pk, "reschedule", "1", "in 2h", "--reason", "sooner")

    shown = json.loads(ok(pk, "show", "1", "--json").stdout)
    assert shown["due_at"] == "2026-11-23T10:30:00+00:00" and shown["due_tz"] == "America/New_York"


def test_the_log_shows_both_clocks_for_a_move(pk) -> None:
    ok(pk, "add", "Call back", "--to", "Bob", "--due", NEW_YORK)
    ok(pk, "reschedule", "1", "mon 10am", "--reason", "vendor")

    log = ok(pk, "log", "1").stdout

    assert "due Fri 27 Nov 21:00 (15:00 America/New_York)" in log
    assert (
        "moved Fri 27 Nov 21:00 (15:00 America/New_York) → Mon 23 Nov 16:00 (10:00 America/New_York)"
        in log
    )


def test_a_promise_on_your_own_clock_still_moves_on_yours(pk) -> None:
    ok(pk, "add", "Call back", "--due", "fri 3pm")

    ok(pk, "reschedule", "1", "mon 4pm", "--reason", "vendor")

    shown = json.loads(ok(pk, "show", "1", "--json").stdout)
    assert shown["due_at"] == "2026-11-23T15:00:00+00:00" and shown["due_tz"] is None


# -- a broken config file: one line from every command, and a silent prompt ---------------

BROKEN_CONFIGS = {
    "latin-1": (b'owner = "Ren\xe9"\n', "line 1: not UTF-8 text (byte 0xe9)"),
    "not TOML": (b'[prompt]\nformat = "{overdue}\nascii = true\n', "line 2, column"),
}
EVERY_KIND_OF_COMMAND = [
    (),
    ("list",),
    ("list", "--json"),
    ("show", "1"),
    ("log",),
    ("stats",),
    ("export",),
    ("add", "x", "--due", "in 2h"),
    ("remind",),
    ("brief",),
    ("config",),
    ("config", "get", "owner"),
    ("config", "set", "owner", "me"),
    ("db",),
]


@pytest.mark.parametrize("broken", BROKEN_CONFIGS)
@pytest.mark.parametrize("args", EVERY_KIND_OF_COMMAND, ids=" ".join)
def test_a_broken_config_stops_every_command_with_one_line(pk, files: Files, broken, args) -> None:
    ok(pk, "add", "Call Eva", "--due", "in 2h")
    content, problem = BROKEN_CONFIGS[broken]
    files.config.write_bytes(content)
    before = db_content(files.db)

    result = pk(*args)

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"pk: config file {files.config}, {result.stderr.split(', ', 1)[1]}"
    assert problem in result.stderr and result.stderr.count("\n") == 1
    assert "fix or remove it" in result.stderr or "save it as UTF-8" in result.stderr
    assert db_content(files.db) == before


def test_an_unreadable_config_file_is_named(pk, files: Files) -> None:
    files.config.mkdir()  # root can read any file; nobody can read a directory as one

    result = pk("list")

    assert result.exit_code == 2
    assert result.stderr == (
        f"pk: config file: {files.config} is a folder, not a file; pk reads it only from a regular file\n"
    )


def test_a_bad_value_names_its_line(pk, files: Files) -> None:
    files.config.write_text('owner = "me"\n\n[business]\nstart = "25:00"\n')

    result = pk("add", "x")

    assert result.exit_code == 2
    assert result.stderr.startswith(f"pk: config file {files.config}, line 4: business.start:")


@pytest.mark.parametrize("broken", BROKEN_CONFIGS)
def test_the_prompt_stays_silent_with_a_broken_config(pk, pk_process, files: Files, broken) -> None:
    ok(pk, "add", "Call Eva", "--due", "in 2h")
    files.config.write_bytes(BROKEN_CONFIGS[broken][0])

    fast = pk_process("prompt")
    in_process = pk("prompt")

    assert (fast.returncode, fast.stderr) == (0, "")
    assert fast.stdout == "◷1\n"
    assert (in_process.exit_code, in_process.stderr) == (0, "")


def test_config_path_still_says_where_the_broken_file_is(pk, files: Files) -> None:
    files.config.write_bytes(b"\xff\xfe")

    result = ok(pk, "config", "path")

    assert result.stdout == f"{files.config}\n"


# -- deadlines are whole minutes ---------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "due", "stored"),
    [
        ("2026-11-23T02:06:51+01:00", "in 1m", "2026-11-23T01:08:00+00:00"),
        ("2026-11-23T02:06:00+01:00", "in 1m", "2026-11-23T01:07:00+00:00"),
        ("2026-11-23T09:30:00+01:00", "2026-11-24T10:00:30+01:00", "2026-11-24T09:01:00+00:00"),
        ("2026-11-23T09:30:59+01:00", "3pm", "2026-11-23T14:00:00+00:00"),
    ],
)
def test_deadlines_are_whole_minutes_rounded_up(pk, now: str, due: str, stored: str) -> None:
    shown = json.loads(ok(pk, "add", "x", "--due", due, "--json", now=now).stdout)

    assert shown["due_at"] == stored == shown["original_due_at"]
    created = json.loads(ok(pk, "log", "--json").stdout)[0]
    assert created["data"]["due_at"] == stored


def test_a_rescheduled_deadline_is_a_whole_minute_too(pk) -> None:
    ok(pk, "add", "x", "--due", "in 2h")

    ok(pk, "reschedule", "1", "in 3h", "--reason", "r", now="2026-11-23T09:45:10+01:00")

    assert json.loads(ok(pk, "show", "1", "--json").stdout)["due_at"] == "2026-11-23T11:46:00+00:00"


def test_done_within_the_shown_minute_is_on_time(pk) -> None:
    ok(pk, "add", "x", "--due", "in 1m", now="2026-11-23T02:06:51+01:00")

    kept = ok(pk, "done", "1", now="2026-11-23T02:07:59+01:00").stdout

    assert kept.startswith("Kept on time")


# -- an unknown TZ ------------------------------------------------------------------------


def test_an_unknown_tz_warns_once_and_falls_back_to_utc(pk_process, pk) -> None:
    ok(pk, "add", "x", "--due", "2026-11-24 10:00")

    result = pk_process("list", env={"TZ": "Mars/Olympus"})

    assert result.returncode == 0
    assert result.stderr == (
        "pk: warning: TZ=Mars/Olympus is not a time zone this system knows; using UTC. "
        "Set TZ to an IANA name such as Europe/Stockholm, or unset it\n"
    )
    assert "Tue 24 Nov 09:00" in result.stdout  # 10:00 in Stockholm, shown in UTC


@pytest.mark.parametrize("tz", ["EST+5EDT,M3.2.0,M11.1.0", "Europe/Rome", "", ":/usr/share/zoneinfo/Asia/Tokyo"])
def test_known_zones_and_posix_rules_do_not_warn(pk_process, tz: str) -> None:
    if tz.startswith(":") and not os.path.exists(tz[1:]):
        pytest.skip("no system zone files here")

    assert pk_process("db", "init").returncode == 0  # a list makes no database
    result = pk_process("list", env={"TZ": tz})

    assert (result.returncode, result.stderr) == (0, "")


def test_the_prompt_does_not_warn_about_tz(pk, pk_process) -> None:
    ok(pk, "add", "x", "--due", "in 2h")

    assert pk_process("prompt", env={"TZ": "Mars/Olympus"}).stderr == ""


# -- messages a person expects -------------------------------------------------------------


def test_an_empty_at_is_refused_saying_what_works(pk) -> None:
    result = pk("list", "--at", "")

    assert result.exit_code == 2
    assert result.stderr == (
        'pk: --at needs a moment, e.g. --at "tomorrow 9am" or --at "fri 17:00"; '
        "leave it out to judge as of now\n"
    )


def test_a_negative_lead_is_refused_as_negative(pk, files: Files) -> None:
    result = pk("config", "set", "remind.lead", "-5m")

    assert result.exit_code == 2
    assert result.stderr == (
        "pk: remind.lead: '-5m': the lead cannot be negative; use e.g. 15m or 1h, or 0m to be "
        "reminded only when a promise is due\n"
    )
    assert not files.config.exists()
    assert "cannot be negative" in pk("remind", "--within", "-5m").stderr


def test_removing_a_tag_the_promise_lacks_names_it(pk) -> None:
    ok(pk, "add", "x", "--tag", "vpn")

    result = pk("edit", "1", "--remove-tag", "nosuchtag")

    assert result.exit_code == 2
    assert result.stderr == "pk: #1 has no tag nosuchtag (its tags: +vpn)\n"
    ok(pk, "edit", "1", "--remove-tag", "vpn")
    assert pk("edit", "1", "--remove-tag", "vpn").stderr == "pk: #1 has no tag vpn (it has no tags)\n"


TASK = {
    "uuid": "6a1d0d2e-0d5a-4c57-9f3e-0f1e2b3c4d5e",
    "description": "Call Bo",
    "entry": "20261120T090000Z",
    "due": "20261124T090000Z",
}


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"due": "tomorrow"}, "task 2 (uuid 6a1d0d2e-0d5a-4c57-9f3e-0f1e2b3c4d5e): due 'tomorrow' is not a timestamp"),
        ({"tags": ['a"b']}, "task 2 (uuid 6a1d0d2e-0d5a-4c57-9f3e-0f1e2b3c4d5e): tag 'a\"b' has spaces or quotes"),
        ({"annotations": ["x"]}, "task 2 (uuid 6a1d0d2e-0d5a-4c57-9f3e-0f1e2b3c4d5e): annotations must be"),
    ],
)
def test_taskwarrior_refusals_name_the_file_and_the_task(pk, files: Files, tmp_path: Path, change, problem) -> None:
    first = dict(TASK, uuid="11111111-0d5a-4c57-9f3e-0f1e2b3c4d5e")
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps([first, dict(TASK, **change)]))

    result = pk("import", str(path))

    assert result.exit_code == 2
    assert result.stderr.startswith(f"pk: tasks.json: {problem}")
    assert db_content(files.db) == ([], [])


def test_an_empty_json_file_is_reported_as_empty_json(pk, tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text("\n")

    result = pk("import", str(path))

    assert result.exit_code == 2
    assert result.stderr == "pk: export.json is empty: there is no JSON to import; export with `pk export > FILE`\n"


def test_a_csv_file_without_the_columns_is_still_reported_so(pk, tmp_path: Path) -> None:
    path = tmp_path / "promises.csv"
    path.write_text("what,who\nx,y\n")

    assert "CSV lacks the column(s) created_at, due_at" in pk("import", str(path)).stderr


def test_a_csv_imported_promise_is_created_with_its_first_deadline(pk, tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text(
        "what,due_at,original_due_at,created_at\n"
        "Quote,2026-11-27T16:00:00+00:00,2026-11-25T16:00:00+00:00,2026-11-20T09:00:00+00:00\n"
    )
    ok(pk, "import", str(path))

    created = json.loads(ok(pk, "log", "--json").stdout)[0]
    history = ok(pk, "show", "1").stdout

    assert created["kind"] == "created" and created["data"]["due_at"] == "2026-11-25T16:00:00+00:00"
    assert "due Wed 25 Nov 17:00" in history


# -- the daily briefing is used up only by the shell's --once-a-day -------------------------


def test_a_plain_brief_leaves_the_days_briefing_to_the_shell(pk) -> None:
    ok(pk, "add", "Call Eva", "--due", "in 2h")

    assert "Due today (1)" in ok(pk, "brief").stdout
    assert "Due today (1)" in ok(pk, "brief", "--once-a-day").stdout
    assert ok(pk, "brief", "--once-a-day").stdout == ""
    assert "Due today (1)" in ok(pk, "brief").stdout


def test_brief_help_says_which_one_marks_the_day(pk) -> None:
    text = " ".join(ok(pk, "brief", "--help").stdout.split())

    assert "A plain `pk brief` does not use up the day's briefing" in text
    assert "Only `--once-a-day` marks the day as shown." in text


# -- names in the language's order ------------------------------------------------------------

NAMES = ["Zoë", "Åsa", "Eva", "Éva", "Evan", "Bo"]


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en_GB.UTF-8", ["Åsa", "Bo", "Eva", "Éva", "Evan", "Zoë", None]),
        ("sv_SE.UTF-8", ["Bo", "Eva", "Éva", "Evan", "Zoë", "Åsa", None]),
        ("C.UTF-8", ["Åsa", "Bo", "Eva", "Éva", "Evan", "Zoë", None]),
    ],
)
def test_stats_groups_names_in_the_languages_order(pk, locale: str, expected) -> None:
    for name in [*NAMES, None]:
        ok(pk, "add", "x", *(["--to", name] if name else []), "--due", "in 1h")
        ok(pk, "done", str(_last_id(pk)))

    groups = json.loads(ok(pk, "stats", "--by", "who", "--json", env={"LC_ALL": locale}).stdout)["groups"]

    assert [group["group"] for group in groups] == expected


def _last_id(pk) -> int:
    return max(p["id"] for p in json.loads(pk("list", "--all", "--json").stdout))


@pytest.mark.parametrize(
    ("language", "names", "expected"),
    [
        ("en", ["Zoë", "Åsa", "éva", "Eva", "eva", "Evan"], ["Åsa", "eva", "Eva", "éva", "Evan", "Zoë"]),
        ("it", ["Zanetti", "Àlvaro", "Alberto", "Ùrsula", "Ugo"], ["Alberto", "Àlvaro", "Ugo", "Ùrsula", "Zanetti"]),
        ("sv", ["Örjan", "Zoë", "Åsa", "Ärla", "Olle", "Ülla", "Yngve", "Xena"],
         ["Olle", "Xena", "Ülla", "Yngve", "Zoë", "Åsa", "Ärla", "Örjan"]),
        ("hu", ["Zsolt", "Zoltán", "Csaba", "Cecília", "Ödön", "Ottó", "Őze", "Hosszú", "Hoszu", "Ágnes", "Anna"],
         ["Ágnes", "Anna", "Cecília", "Csaba", "Hosszú", "Hoszu", "Ottó", "Ödön", "Őze", "Zoltán", "Zsolt"]),
    ],
)
def test_the_collation_of_each_language(language: str, names: list[str], expected: list[str]) -> None:
    assert collation.sort_names(names, language) == expected


def test_the_collation_language_follows_the_locale() -> None:
    assert collation.language(None, {"LANG": "sv_SE.UTF-8"}) == "sv"
    assert collation.language(None, {"LC_ALL": "hu_HU.UTF-8", "LANG": "sv_SE.UTF-8"}) == "hu"
    assert collation.language(None, {"LC_COLLATE": "it_IT"}) == "it"
    assert collation.language(None, {"LANG": "de_DE.UTF-8"}) == "en"
    assert collation.language("sv", {"LANG": "en_US.UTF-8"}) == "sv"
