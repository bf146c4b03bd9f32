"""`pk undo` on a shared database takes back *my* last change, never a colleague's unasked.

Each event records who recorded it (its author); `pk undo --owner NAME` and
`pk undo --event N` take back someone else's change explicitly and say whose it was.
"""

from __future__ import annotations

import json

from conftest import both_engines
from team_support import ANN, BO, add, run

from promisekeeper.db.database import Database

pytestmark = both_engines


def state(pk, ident: int) -> str:
    return json.loads(run(pk, ANN, "show", str(ident), "--json").stdout)["state"]


def test_my_undo_leaves_a_colleagues_later_change_alone(pk):
    mine = add(pk, ANN, "Note for Eva", "tomorrow 10am")
    bos = add(pk, BO, "Bo's call back", "tomorrow 11am", now="2026-11-23T09:00:00+01:00")
    result = run(pk, ANN, "undo")
    assert f"of #{mine} Note for Eva" in result.stdout and "change" not in result.stdout.split(";")[-1]
    assert (state(pk, mine), state(pk, bos)) == ("released", "open")


def test_undo_list_lists_mine(pk):
    add(pk, ANN, "Ann's", "tomorrow 10am")
    add(pk, BO, "Bo's", "tomorrow 11am")
    lines = run(pk, ANN, "undo", "--list").stdout.splitlines()
    assert len(lines) == 2 and "Ann's" in lines[1]
    theirs = run(pk, ANN, "undo", "--list", "--owner", BO).stdout.splitlines()
    assert len(theirs) == 2 and "Bo's" in theirs[1]


def test_taking_back_a_colleagues_change_is_explicit_and_says_whose(pk):
    add(pk, ANN, "Ann's", "tomorrow 10am")
    bos = add(pk, BO, "Bo's", "tomorrow 11am")
    result = run(pk, ANN, "undo", "--owner", BO)
    assert f"#{bos} Bo's" in result.stdout and f"it was {BO}'s change" in result.stdout
    assert state(pk, bos) == "released"


def test_by_event_number(pk):
    bos = add(pk, BO, "Bo's", "tomorrow 11am")
    run(pk, BO, "note", str(bos), "left a voicemail")
    [first, *_] = run(pk, ANN, "undo", "--list", "--owner", BO).stdout.splitlines()[1:]
    number = first.split()[0]
    result = run(pk, ANN, "undo", "--event", number)
    assert "note" in result.stdout and f"it was {BO}'s change" in result.stdout
    again = run(pk, ANN, "undo", "--event", number, code=2)
    assert "is not a change pk undo can take back" in again.stderr


def test_with_nothing_of_mine_it_says_how_to_take_back_a_colleagues(pk):
    bos = add(pk, BO, "Bo's", "tomorrow 11am")
    result = run(pk, ANN, "undo", code=1)
    assert "pk undo --owner NAME" in result.stderr
    assert state(pk, bos) == "open"


def test_changes_from_before_authors_were_kept_are_mine_while_nobody_else_has_written(pk, engine):
    ident = add(pk, ANN, "older", "tomorrow 10am")
    with Database(engine.target).change() as tx:  # as m0005 leaves an older journal
        tx.session.connection().exec_driver_sql("UPDATE event SET author = NULL")
    assert "it was" not in run(pk, ANN, "undo").stdout
    assert state(pk, ident) == "released"
