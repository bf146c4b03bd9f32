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
