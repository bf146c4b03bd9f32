"""Trust boundaries (issue 18), look-alike names: two owners never print the same.

Names with characters that show as nothing are refused; a name that looks like an owner's
(a Cyrillic А in "Аnn") is a conflict that needs --new-owner and says why; the list of
owners tells look-alikes apart; `pk search '|'` finds only promises that hold a '|'.
"""

from __future__ import annotations

import pytest
from conftest import Engine, both_engines

from promisekeeper.lang.lookalike import invisible, skeleton

pytestmark = [pytest.mark.reliability, both_engines]

CYRILLIC_ANN = "\u0410nn"
INVISIBLE = {
    "zero-width space": "An\u200bn", "zero-width joiner": "An\u200dn", "word joiner": "An\u2060n",
    "BOM": "\ufeffAnn", "soft hyphen": "An\u00adn", "LRM": "Ann\u200e", "tag character": "Ann\U000e0041",
    "Hangul filler": "Ann\u3164", "no-break space": "Ann\u00a0Lind", "variation selector": "Ann\ufe0f",
}


@pytest.fixture
def shared(pk, engine: Engine):
    assert pk("add", "Call back", "--to", "Eva", "--owner", "Ann", "--due", "3pm").exit_code == 0
    assert pk("add", "Send quote", "--to", "Bo", "--owner", "Bo Ek", "--due", "4pm").exit_code == 0
    return engine


@pytest.mark.parametrize("name", INVISIBLE.values(), ids=INVISIBLE.keys())
def test_an_owner_with_an_invisible_character_is_refused(pk, shared, name: str) -> None:
    before = shared.content()
    for command in (("handoff", "2", "--to-owner", name, "--reason", "off shift", "--new-owner"),
                    ("add", "x", "--owner", name)):
        result = pk(*command, env={"PK_DEBUG": ""})
        assert result.exit_code == 2, result.output
        assert "invisible character U+" in result.stderr and len(result.stderr.splitlines()) == 1
    assert shared.content() == before


def test_a_look_alike_of_an_owner_needs_new_owner_and_says_why(pk, shared) -> None:
    before = shared.content()
    result = pk("handoff", "2", "--to-owner", CYRILLIC_ANN, "--reason", "off shift", env={"PK_DEBUG": ""})
    assert result.exit_code == 2
    assert "looks like Ann" in result.stderr and "CYRILLIC CAPITAL LETTER A" in result.stderr
    assert "--new-owner" in result.stderr
    assert shared.content() == before
    assert pk("handoff", "2", "--to-owner", CYRILLIC_ANN, "--reason", "off shift", "--new-owner").exit_code == 0


@pytest.mark.parametrize(("name", "looks_like"), [
    (CYRILLIC_ANN, "Ann"), ("B0 Ek", "Bo Ek"), ("Bo \u0415k", "Bo Ek"), ("\u0391nn", "Ann")])
def test_pk_add_with_a_look_alike_owner_needs_new_owner_and_says_why(pk, shared, name: str, looks_like: str) -> None:
    before = shared.content()
    result = pk("add", "Ring back", "--owner", name, "--due", "5pm", env={"PK_DEBUG": ""})
    assert result.exit_code == 2, result.output
    assert len(result.stderr.splitlines()) == 1
    assert f"looks like {looks_like}, an owner here" in result.stderr and "--new-owner" in result.stderr
    assert shared.content() == before
    assert pk("add", "Ring back", "--owner", name, "--due", "5pm", "--new-owner").exit_code == 0
    # now an owner here: named again, as spelled, it needs no --new-owner
    assert pk("add", "Ring again", "--owner", name, "--due", "5pm").exit_code == 0
    owners = pk("list", "--team").output
    assert name in owners and looks_like in owners


def test_a_dry_run_refuses_a_look_alike_owner_as_the_change_would(pk, shared) -> None:
    before = shared.content()
    result = pk("add", "Ring back", "--owner", CYRILLIC_ANN, "--dry-run", env={"PK_DEBUG": ""})
    assert result.exit_code == 2 and "looks like Ann" in result.stderr, result.output
    assert pk("add", "Ring back", "--owner", CYRILLIC_ANN, "--dry-run", "--new-owner").exit_code == 0
    assert shared.content() == before


def test_pk_add_takes_an_owner_as_people_type_it_and_someone_new(pk, shared) -> None:
    for name in ("ann", "ANN", "Eva Lind"):
        result = pk("add", "Ring back", "--owner", name, "--due", "5pm")
        assert result.exit_code == 0, result.output


def test_a_look_alike_of_a_former_owner_is_refused_too(pk, shared) -> None:
    assert pk("handoff", "1", "--to-owner", "Bo Ek", "--reason", "off shift").exit_code == 0
    before = shared.content()
    result = pk("add", "Ring back", "--owner", CYRILLIC_ANN, "--due", "5pm", env={"PK_DEBUG": ""})
    assert result.exit_code == 2 and "looks like Ann" in result.stderr
    assert shared.content() == before


def test_a_configured_owner_that_looks_like_an_owner_needs_new_owner(pk, shared, files) -> None:
    files.config.write_text(f'owner = "{CYRILLIC_ANN}"\n', encoding="utf-8")
    before = shared.content()
    result = pk("add", "Ring back", "--due", "5pm", env={"PK_DEBUG": ""})
    assert result.exit_code == 2 and "looks like Ann" in result.stderr
    assert shared.content() == before
    assert pk("add", "Ring back", "--due", "5pm", "--new-owner").exit_code == 0


def test_the_owners_listed_tell_look_alikes_apart(pk, shared) -> None:
    pk("handoff", "2", "--to-owner", CYRILLIC_ANN, "--reason", "off shift", "--new-owner")
    result = pk("list", "--owner", "Zed", env={"PK_DEBUG": ""})
    assert result.exit_code == 2
    listed = result.stderr.partition("the owners are: ")[2]
    assert listed.startswith("Ann, ") and "U+0410 CYRILLIC CAPITAL LETTER A" in listed


def test_search_for_a_bar_finds_only_promises_that_hold_one(pk, shared) -> None:
    nothing = pk("search", "|")
    assert "Call back" not in nothing.output and "Send quote" not in nothing.output
    pk("add", "Pipe a | b", "--owner", "Ann", "--due", "5pm")
    found = pk("search", "|", "--owner", "Ann")
    assert "Pipe a | b" in found.output and "Call back" not in found.output


def test_skeletons_match_look_alikes_and_keep_names_apart() -> None:
    assert skeleton(CYRILLIC_ANN) == skeleton("Ann") == skeleton("ann")
    assert skeleton("\u0395va") == skeleton("Eva")  # Greek Epsilon
    assert skeleton("Bo Ek") != skeleton("Bo Ok")
    assert invisible("Éva Späcek") is None and invisible("E\u0301va") is None  # accents show
    assert all(invisible(name) for name in INVISIBLE.values())
