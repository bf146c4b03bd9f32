"""`pk stats` on a team's database: an outcome counts for whoever held the promise when it
was decided (who closed it; who had it when its deadline passed, for a broken one), and
`--owner NAME` / `--team` choose whose outcomes are counted (default: your own)."""

from __future__ import annotations

import json

import pytest
from conftest import both_engines
from team_support import ANN, BO, add, run

pytestmark = both_engines

CID = "Cid Holm"
DUE = "2026-11-16 15:00"


def on(clock: str) -> str:
    """A moment on Monday 16 Nov, Stockholm."""
    return f"2026-11-16T{clock}:00+01:00"


@pytest.fixture
def week(pk) -> None:
    """A week of promises due Monday 16 Nov 15:00, judged on Monday 23 Nov 09:30."""
    morning = on("08:00")
    handed = add(pk, ANN, "Kept by Bo after a hand-off", DUE, now=morning)
    late = add(pk, ANN, "Kept late by Ann", DUE, now=morning)
    missed = add(pk, ANN, "Missed by Ann, then handed on", DUE, now=morning)
    undone = add(pk, ANN, "Handed and taken back", DUE, now=morning)
    rescued = add(pk, ANN, "Missed by Ann, kept late by Bo", DUE, now=morning)
    released = add(pk, BO, "Released by Bo", DUE, "--owner", BO, now=morning)
    former = add(pk, CID, "Missed by Cid, who holds nothing now", DUE, "--owner", CID, now=morning)

    def handoff(ident: int, login: str, to: str, clock: str) -> None:
        run(pk, login, "handoff", str(ident), "--to-owner", to, "--reason", "shift change", now=on(clock))

    handoff(handed, ANN, BO, "12:00")
    run(pk, BO, "done", str(handed), now=on("14:00"))
    run(pk, ANN, "done", str(late), now=on("16:00"))
    handoff(missed, ANN, BO, "17:00")
    handoff(undone, ANN, BO, "12:05")
    run(pk, ANN, "undo", now=on("12:06"))  # hers: she made the hand-off
    handoff(rescued, ANN, BO, "17:05")
    run(pk, BO, "done", str(rescued), now=on("18:00"))
    run(pk, BO, "cancel", str(released), "--reason", "solved", now=on("13:00"))
    handoff(former, CID, BO, "17:10")


def counts(document: dict) -> tuple[int, int, int, int]:
    return document["kept"], document["late"], document["broken"], document["released"]


def stats(pk, login: str, *args: str) -> dict:
    return json.loads(run(pk, login, "stats", "--json", *args).stdout)


def test_by_owner_an_outcome_counts_for_who_held_it_when_it_was_decided(pk, week) -> None:
    report = stats(pk, ANN, "--team", "--by", "owner")
    assert [(group["group"], counts(group)) for group in report["groups"]] == [
        (ANN, (0, 1, 2, 0)),  # kept late; missed and handed on; handed, taken back and missed
        (BO, (1, 1, 0, 1)),  # kept after the hand-off; kept late what he took over; released
        (CID, (0, 0, 1, 0)),  # missed before handing it on
    ]
    assert counts(report) == (1, 2, 3, 1)


def test_your_own_outcomes_by_default_a_colleagues_or_the_teams_when_asked(pk, week) -> None:
    assert counts(stats(pk, ANN)) == (0, 1, 2, 0)
    assert counts(stats(pk, BO)) == (1, 1, 0, 1)
    assert counts(stats(pk, ANN, "--owner", "bo ek")) == (1, 1, 0, 1)
    assert counts(stats(pk, ANN, "--team")) == (1, 2, 3, 1)
    # Cid holds no promise any more, but his outcomes are still his to count.
    assert counts(stats(pk, ANN, "--owner", "cid holm")) == (0, 0, 1, 0)
    refused = pk("list", "--owner", "cid holm", env={"PK_DEBUG": ""})
    assert refused.exit_code == 2 and "no owner 'cid holm' here" in refused.stderr


def test_the_report_says_whose_outcomes_it_counted(pk, week) -> None:
    own = run(pk, ANN, "stats").stdout.splitlines()
    assert own[1] == "Your own outcomes (Ann Lind); --team counts everyone's."
    assert run(pk, ANN, "stats", "--owner", "BO EK").stdout.splitlines()[1] == "The outcomes of Bo Ek."
    assert run(pk, ANN, "stats", "--team").stdout.splitlines()[1].startswith("keep rate")


def test_by_owner_with_one_owner_is_as_it_always_was(pk) -> None:
    add(pk, ANN, "Kept", DUE, now=on("08:00"))
    run(pk, ANN, "done", "1", now=on("09:00"))
    for login in (ANN, "someone else"):
        report = stats(pk, login, "--by", "owner")
        assert [(group["group"], counts(group)) for group in report["groups"]] == [(ANN, (1, 0, 0, 0))]
    assert run(pk, "someone else", "stats").stdout.splitlines()[1].startswith("keep rate")
