"""Looking things up without changing anything: `pk search`, `pk when`, `pk help`,
`pk add --dry-run`, and help that reads cleanly."""

from __future__ import annotations

import json
import re

import pytest
from conftest import Files, db_content

from promisekeeper.cli.lookup import topic_text
from promisekeeper.when import resolve as when
from promisekeeper.when.calendar import BusinessCalendar


def ok(pk, *args: str, **kwargs):
    result = pk(*args, **kwargs)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def book(pk) -> None:
    ok(pk, "add", "Send VPN config", "--to", "Éva Spacek", "--contact", "eva@example.com", "--ref", "INC-4821",
       "--tag", "vpn", "--due", "in 2h")
    ok(pk, "add", "Call back about the printer", "--to", "Bob Lund", "--via", "phone", "--due", "in 3h")
    ok(pk, "add", "Quote for licences", "--to", "Marco Rossi", "--due", "in 4h")
    ok(pk, "note", "2", "Wants the Kyocera driver")
    ok(pk, "cancel", "3", "--reason", "Budget frozen until März")
    ok(pk, "note", "1", "a mistaken note about toner")
    ok(pk, "undo")


def found(pk, *words: str, flags: tuple[str, ...] = ()) -> list[int]:
    return [p["id"] for p in json.loads(ok(pk, "search", *words, *flags, "--json").stdout)]


# -- search ----------------------------------------------------------------------------------


def test_search_looks_in_every_field_ignoring_case_and_accents(pk, book) -> None:
    assert found(pk, "eva") == [1]  # who, folded
    assert found(pk, "EXAMPLE.COM") == [1]  # contact
    assert found(pk, "inc-4821") == [1]  # ticket
    assert found(pk, "printer") == [2]  # what
    assert found(pk, "kyocera") == [2]  # a note
    assert found(pk, "marz") == [3]  # a reason, accents ignored
    assert found(pk, "VPN") == [1]  # what and tag


def test_every_word_must_be_found_somewhere(pk, book) -> None:
    assert found(pk, "bob", "kyocera") == [2]
    assert found(pk, "bob kyocera") == [2]
    assert found(pk, "bob", "vpn") == []


def test_an_undone_note_is_not_searched(pk, book) -> None:
    assert found(pk, "toner") == []


def test_kept_and_released_ones_are_found_unless_only_open_ones_are_asked(pk, book) -> None:
    assert found(pk, "licences") == [3]
    assert found(pk, "licences", flags=("--open",)) == []


def test_search_json_is_list_json(pk, book) -> None:
    searched = json.loads(ok(pk, "search", "vpn", "--json").stdout)
    listed = json.loads(ok(pk, "list", "--json").stdout)

    assert searched == [p for p in listed if p["id"] == 1]


def test_search_prints_the_list_view(pk, book) -> None:
    assert ok(pk, "search", "bob").stdout == (
        "1 promise found:\n#2  Mon 23 Nov 12:30  in 3h  Call back about the printer  — Bob Lund · phone\n"
    )
    assert ok(pk, "search", "zzz").stdout == "No promise has 'zzz'.\n"


def test_like_wildcards_are_text(pk, book) -> None:
    ok(pk, "add", "100% done_soon", "--due", "in 2h")

    assert found(pk, "100%") == [4]
    assert found(pk, "_") == [4]
    assert found(pk, "%") == [4]


def test_an_empty_search_is_refused(pk) -> None:
    result = pk("search", " ")

    assert result.exit_code == 2
    assert result.stderr == 'pk: say what to look for, e.g. pk search vpn, or pk search "INC-4821"\n'


# -- pk when -----------------------------------------------------------------------------------


def test_when_shows_both_clocks_the_distance_and_saves_nothing(pk, files: Files) -> None:
    result = ok(pk, "when", "fri", "3pm", "America/New_York")

    assert result.stdout == (
        "phrase         fri 3pm America/New_York\n"
        "your clock     Fri 27 Nov 21:00 (Europe/Stockholm)\n"
        "their clock    Fri 27 Nov 15:00 (America/New_York)\n"
        "from now       in 4d 11h\n"
        "as a deadline  Fri 27 Nov 21:00\n"
        "Nothing was saved.\n"
    )
    assert not files.db.exists()


def test_when_gives_the_notes_and_a_refusal_as_a_deadline(pk) -> None:
    result = ok(pk, "when", "9am yesterday")

    assert "note           Sun 22 Nov is not a business day\n" in result.stdout
    assert "as a deadline  refused: '9am yesterday' is in the past (Sun 22 Nov 09:00, 24h ago)" in result.stdout


def test_when_rounds_as_a_deadline_would(pk) -> None:
    result = ok(pk, "when", "in 1m", now="2026-11-23T09:30:20+01:00")

    assert "as a deadline  Mon 23 Nov 09:32 (rounded up to the minute)\n" in result.stdout


def test_when_since_reads_backward(pk) -> None:
    document = json.loads(ok(pk, "when", "--since", "this week", "--json").stdout)

    assert document == {
        "phrase": "this week", "at": "2026-11-22T23:00:00+00:00", "local": "2026-11-23T00:00:00+01:00",
        "zone": None, "notes": [], "since": True, "deadline": None, "refusal": None,
    }


def test_when_refuses_what_the_time_language_refuses(pk) -> None:
    result = pk("when", "soon")

    assert result.exit_code == 2
    assert result.stderr.startswith("pk: 'soon' is not a time word")


# -- pk add --dry-run ----------------------------------------------------------------------------


def test_add_dry_run_shows_what_would_be_logged_and_writes_nothing(pk, files: Files) -> None:
    ok(pk, "add", "existing", "--due", "in 5h")
    before = db_content(files.db)

    result = ok(pk, "add", "Send VPN config", "--to", "Eva", "--via", "email", "--tag", "vpn",
                "--owner", "maja", "--due", "sat 10am", "--dry-run")

    assert result.stdout == (
        "Would promise Send VPN config → Eva: Sat 28 Nov 10:00, in 5d — Sat 28 Nov is not a business day\n"
        "  via email · owner maja · +vpn\n"
        "Nothing was saved (--dry-run).\n"
    )
    assert db_content(files.db) == before


def test_add_dry_run_json_and_refusals(pk, files: Files) -> None:
    document = json.loads(ok(pk, "add", "x", "--due", "in 2h", "--dry-run", "--json").stdout)

    assert document["id"] is None and document["uuid"] is None
    assert document["due_at"] == "2026-11-23T10:30:00+00:00" and document["state"] == "open"
    assert pk("add", "x", "--tag", "a b", "--dry-run").exit_code == 2
    assert not files.db.exists()


# -- help ---------------------------------------------------------------------------------------


def test_pk_help_when_prints_the_time_language(pk) -> None:
    text = ok(pk, "help", "when").stdout

    assert text == topic_text("when")
    assert text.startswith("Saying when: the time language\n")


def test_every_example_in_the_help_page_reads(pk) -> None:
    """Every `  phrase, phrase   meaning` row's phrases parse, forward or backward."""
    calendar = BusinessCalendar()
    now = when.datetime(2026, 11, 23, 8, 30, tzinfo=when.UTC)
    zone = when.UTC
    phrases = []
    for line in topic_text("when").splitlines():
        if line.startswith("  ") and not line.startswith("    ") and "  " in line.strip():
            phrases += [p.strip() for p in line.strip().split("  ")[0].split(",")]
    assert len(phrases) > 40
    for phrase in phrases:
        if phrase in ("...T14:00Z",):
            continue
        try:
            when.parse(phrase, now=now, zone=zone, calendar=calendar)
        except when.WhenError:
            when.parse_since(phrase, now=now, zone=zone, calendar=calendar)


def test_help_on_a_command_and_an_unknown_topic(pk) -> None:
    assert ok(pk, "help", "add").stdout == ok(pk, "add", "--help").stdout
    refused = pk("help", "nothing")
    assert refused.exit_code == 2
    assert refused.stderr == "pk: no help on 'nothing'; topics: when, or a command (`pk --help` lists them)\n"


def every_help(pk) -> dict[str, str]:
    """Each command's --help page, by its words ("config set")."""
    from promisekeeper.cli.reference import describe

    pages = {}

    def visit(command, path: list[str]) -> None:
        pages[" ".join(path) or "pk"] = ok(pk, *path, "--help").stdout
        for sub in command.commands:
            visit(sub, [*path, sub.name])

    visit(describe(), [])
    return pages


def test_help_reads_cleanly_everywhere(pk) -> None:
    pages = every_help(pk)

    assert len(pages) > 25
    for name, page in pages.items():
        assert not re.search(r"<(list\[)?(str|int|bool)", page), name
        assert "{" not in page.split("\n\n")[0], name  # the usage line: no {WHAT}
        assert "[[" not in page, name
        assert "..." not in page.replace("WHAT...", "").replace("TEXT...", "").replace(
            "WHEN...", "").replace("PHRASE...", "").replace("COMMAND [ARGS]...", ""), name


def test_the_command_list_is_whole(pk) -> None:
    page = ok(pk, "--help").stdout

    assert "  edit        Change a promise's details (not its deadline: that is `pk\n              reschedule`).\n" in page


def test_add_help_says_where_the_time_language_is(pk) -> None:
    page = " ".join(ok(pk, "add", "--help").stdout.split())

    assert "described whole by `pk help when` and `man pk`" in page
    assert "Usage: pk add [OPTIONS] WHAT..." in page


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "x", "--due"), "pk: add: --due needs a value (WHEN); the time language is described by `pk help when`. See `pk add --help`.\n"),
        (("list", "--to"), "pk: list: --to needs a value (WHO). See `pk list --help`.\n"),
        (("config", "set", "owner"), "pk: config set: Missing argument 'VALUE'. See `pk config set --help`.\n"),
        (("stats", "--by"), "pk: stats: --by needs a value (week|who|via|tag|owner). See `pk stats --help`.\n"),
    ],
)
def test_a_missing_value_points_to_that_commands_help(pk, args, message) -> None:
    result = pk(*args)

    assert result.exit_code == 2
    assert result.stderr == message
