"""Working as a team, the views: your own promises by default on a shared database,
`--owner NAME` one colleague's, `--team` everyone's with the owner in each line; owners
matched as people type them, and an owner nobody is refused with the known ones listed."""

from __future__ import annotations

import json

import pytest
from conftest import both_engines
from team_support import ANN, BO, EVA, add, listed, run

pytestmark = both_engines

PLAIN_VIEWS = [("list",), ("list", "--all"), ("search", "call"), ("brief",), ()]


@pytest.fixture
def desk(pk) -> dict[str, int]:
    """Ann's, Bo's and Éva's promises in one database (09:30 Monday: one of each overdue)."""
    return {
        "ann late": add(pk, ANN, "Call Ann's customer back", "09:00"),
        "ann today": add(pk, ANN, "Send Ann's quote", "15:00", "--to", "Dora"),
        "bo late": add(pk, BO, "Call Bo's customer back", "09:15", "--owner", BO),
        "bo later": add(pk, BO, "Bo's renewal", "tomorrow 10am", "--owner", BO),
        "eva today": add(pk, EVA, "Éva's printer call", "16:00", "--owner", EVA),
    }


def test_with_one_owner_every_view_reads_as_it_always_has(pk) -> None:
    add(pk, ANN, "Call the customer back", "09:00")
    add(pk, ANN, "Send the quote", "15:00")
    for args in PLAIN_VIEWS:
        anyone = run(pk, "someone else", *args).stdout  # one owner: nobody else's, all count
        assert anyone == run(pk, ANN, *args).stdout == run(pk, ANN, *args, "--team").stdout
        assert "owner" not in anyone and ANN not in anyone
    assert "Call the customer back" in run(pk, "someone else").stdout


def test_on_a_shared_database_each_sees_their_own(pk, desk) -> None:
    assert listed(pk, ANN) == [(desk["ann late"], ANN), (desk["ann today"], ANN)]
    assert listed(pk, BO) == [(desk["bo late"], BO), (desk["bo later"], BO)]
    agenda = run(pk, ANN).stdout
    assert "Call Ann's customer back" in agenda and "Bo's" not in agenda and "Éva's" not in agenda
    assert "owner" not in agenda  # your own lines are as they always were
    found = run(pk, BO, "search", "call").stdout
    assert "Call Bo's customer back" in found and "Ann's" not in found


def test_owner_is_matched_as_people_type_it(pk, desk) -> None:
    for typed in ("bo ek", "BO EK", "  Bo Ek "):
        assert listed(pk, ANN, "--owner", typed) == [(desk["bo late"], BO), (desk["bo later"], BO)]
    assert listed(pk, ANN, "--owner", "eva berg") == [(desk["eva today"], EVA)]  # accents ignored
    assert listed(pk, "EVA BERG") == [(desk["eva today"], EVA)]  # so is who "I" am


def test_a_colleagues_lines_and_the_teams_name_the_owner(pk, desk) -> None:
    team = run(pk, ANN, "list", "--team").stdout.splitlines()
    assert len(team) == 6  # the title and five promises
    assert all(line.endswith(f"owner {name}") for line, name in zip(team[1:], [ANN, BO, ANN, EVA, BO]))
    agenda = run(pk, ANN, "--team").stdout
    assert "Call Bo's customer back  owner Bo Ek" in agenda and "Bo's renewal  owner Bo Ek" in agenda
    assert "#4  Tue 24 Nov 10:00  in 24h  Bo's renewal  owner Bo Ek" in run(pk, ANN, "--owner", "bo ek").stdout
    found = run(pk, ANN, "search", "call", "--team").stdout
    assert "Call Ann's customer back  owner Ann Lind" in found and "Call Bo's customer back  owner Bo Ek" in found
    brief = run(pk, ANN, "brief", "--team").stdout
    assert "Overdue (2)" in brief and "Due today (2)" in brief and "owner Éva Berg" in brief


def test_json_names_the_owner_as_it_always_has(pk, desk) -> None:
    everyone = json.loads(run(pk, ANN, "list", "--json", "--team").stdout)
    assert [item["owner"] for item in everyone] == [ANN, BO, ANN, EVA, BO]
    searched = json.loads(run(pk, ANN, "search", "call", "--json", "--owner", "bo ek").stdout)
    assert [(item["id"], item["owner"]) for item in searched] == [(desk["bo late"], BO)]


def test_the_briefing_is_your_own_unless_asked(pk, desk) -> None:
    own = run(pk, BO, "brief").stdout
    assert "Overdue (1)" in own and "Call Bo's customer back" in own and "Due today" not in own
    theirs = run(pk, BO, "brief", "--owner", "éva berg").stdout
    assert "Due today (1)" in theirs and "Éva's printer call" in theirs and "owner Éva Berg" in theirs


@pytest.mark.parametrize("args", [("list",), ("search", "call"), ("brief",), ("stats",), ("remind",), ()])
def test_an_owner_nobody_is_refused_naming_those_there_are(pk, engine, desk, args) -> None:
    before = engine.content()
    result = pk(*args, "--owner", "Bob", env={"LOGNAME": ANN, "PK_DEBUG": ""})
    assert result.exit_code == 2
    assert result.stderr == "pk: no owner 'Bob' here; the owners are: Ann Lind, Bo Ek, Éva Berg\n"
    assert result.stdout == ""
    assert engine.content() == before


def test_owner_and_team_together_are_refused(pk, desk) -> None:
    result = pk("list", "--owner", BO, "--team", env={"PK_DEBUG": ""})
    assert (result.exit_code, result.stderr) == (2, "pk: choose --owner NAME or --team, not both\n")
    blank = pk("list", "--owner", " ", env={"PK_DEBUG": ""})
    assert blank.exit_code == 2 and "--owner needs a name" in blank.stderr


def test_the_options_of_the_agenda_go_before_no_command(pk, desk) -> None:
    result = pk("--team", "list", env={"PK_DEBUG": ""})
    assert result.exit_code == 2
    assert result.stderr == "pk: --owner and --team go after the command, e.g. pk list --team\n"


def test_an_empty_agenda_of_your_own_points_at_the_team(pk, desk) -> None:
    assert run(pk, "Cid").stdout == "Nothing of yours is open. `pk --team` shows everyone's promises.\n"
    assert "Call Bo's customer back" in run(pk, "Cid", "--team").stdout
