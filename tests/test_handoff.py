"""`pk handoff ID --to-owner NAME --reason TEXT`: a promise passes to a colleague in one
journal event, its deadline standing; undone like any change; refused when it cannot be."""

from __future__ import annotations

import json

import pytest
from conftest import both_engines
from team_support import ANN, BO, EVA, add, listed, run

pytestmark = both_engines

OFF_SHIFT = ["--reason", "Ann is off shift at noon"]


@pytest.fixture
def desk(pk) -> dict[str, int]:
    """Ann's call due at 15:00 and her overdue quote; one promise of Bo's and one of Éva's."""
    return {
        "call": add(pk, ANN, "Call back about the printer", "15:00", "--to", "Dora Falk"),
        "quote": add(pk, ANN, "Send the quote", "09:00"),
        "bo": add(pk, BO, "Bo's renewal", "16:00", "--owner", BO),
        "eva": add(pk, EVA, "Éva's order", "17:00", "--owner", EVA),
    }


def shown(pk, ident: int) -> dict:
    return json.loads(run(pk, ANN, "show", str(ident), "--json").stdout)


def test_a_handoff_changes_hands_and_nothing_else(pk, desk) -> None:
    before = shown(pk, desk["call"])
    result = run(pk, ANN, "handoff", str(desk["call"]), "--to-owner", "bo ek", *OFF_SHIFT)
    assert result.stdout == (
        f"Handed #{desk['call']} Call back about the printer → Dora Falk from Ann Lind to Bo Ek;"
        " the deadline stands: Mon 23 Nov 15:00, in 5h 30m\n"
    )
    after = shown(pk, desk["call"])
    assert after["owner"] == BO  # stored as Bo's name is spelled
    assert {key: value for key, value in after.items() if key not in ("owner", "events")} == {
        key: value for key, value in before.items() if key not in ("owner", "events")
    }
    assert [event["kind"] for event in after["events"]] == ["created", "handed_off"]
    assert after["events"][-1]["data"] == {"from_owner": ANN, "to_owner": BO, "reason": "Ann is off shift at noon"}
    assert (desk["call"], BO) in listed(pk, BO) and desk["call"] not in [ident for ident, _ in listed(pk, ANN)]


def test_show_and_log_name_both_owners_and_the_reason(pk, desk) -> None:
    run(pk, ANN, "handoff", str(desk["quote"]), "--to-owner", "ÉVA BERG", *OFF_SHIFT, now="2026-11-23T09:40:00+01:00")
    line = "handed over  handed off from Ann Lind to Éva Berg: Ann is off shift at noon"
    shown_text = run(pk, ANN, "show", str(desk["quote"])).stdout
    assert line in shown_text and "owner     Éva Berg" in shown_text
    assert f"#{desk['quote']}  {line}" in run(pk, ANN, "log").stdout


def test_undo_puts_it_back_in_the_first_hands(pk, desk) -> None:
    run(pk, ANN, "handoff", str(desk["call"]), "--to-owner", BO, *OFF_SHIFT)
    undone = run(pk, ANN, "undo").stdout  # hers: she made the hand-off
    assert undone == (
        f"Undid the hand-off (Mon 23 Nov 09:30) of #{desk['call']} Call back about the printer → Dora Falk;"
        " it is now open, due Mon 23 Nov 15:00, in 5h 30m — Ann Lind has it again\n"
    )
    assert shown(pk, desk["call"])["owner"] == ANN
    assert "undid the hand-off of Mon 23 Nov 09:30: owner back to Ann Lind" in run(pk, ANN, "log").stdout
    assert [ident for ident, _ in listed(pk, BO)] == [desk["bo"]]


def test_someone_new_is_taken_only_when_said(pk, engine, desk) -> None:
    refused = pk("handoff", str(desk["call"]), "--to-owner", "Cid Holm", *OFF_SHIFT, env={"PK_DEBUG": ""})
    assert refused.exit_code == 2
    assert refused.stderr == (
        "pk: no owner 'Cid Holm' here; the owners are: Ann Lind, Bo Ek, Éva Berg; "
        "--new-owner hands it to someone who has no promise here yet\n"
    )
    run(pk, ANN, "handoff", str(desk["call"]), "--to-owner", " Cid Holm ", "--new-owner", *OFF_SHIFT)
    assert listed(pk, "cid holm") == [(desk["call"], "Cid Holm")]


REFUSALS = {
    "closed": (["--to-owner", BO, *OFF_SHIFT], "#{call} was already kept just now; `pk reopen {call}` first to hand it off"),
    "already theirs": (["--to-owner", "ann lind", *OFF_SHIFT], "#{call} is already Ann Lind's; name someone else with --to-owner"),
    "no reason": (["--to-owner", BO], 'handoff needs --reason TEXT, e.g. pk handoff {call} --to-owner "Bo Ek" --reason "off shift"'),
    "blank reason": (["--to-owner", BO, "--reason", " "], 'handoff needs --reason TEXT, e.g. pk handoff {call} --to-owner "Bo Ek" --reason "off shift"'),
    "nobody": ([*OFF_SHIFT], 'say who takes it over, e.g. --to-owner "Bo Ek"'),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_a_refused_handoff_writes_nothing(pk, engine, desk, case) -> None:
    if case == "closed":
        run(pk, ANN, "done", str(desk["call"]))
    args, message = REFUSALS[case]
    before = engine.content()
    result = pk("handoff", str(desk["call"]), *args, env={"LOGNAME": ANN, "PK_DEBUG": ""})
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"pk: {message.format(call=desk['call'])}\n"
    assert engine.content() == before


def test_edit_no_longer_changes_hands(pk, engine, desk) -> None:
    before = engine.content()
    result = pk("edit", str(desk["call"]), "--owner", BO, env={"PK_DEBUG": ""})
    assert result.exit_code == 2
    assert result.stderr == (
        f'pk: a promise changes hands by a hand-off, with its reason: pk handoff {desk["call"]} --to-owner "Bo Ek"'
        " --reason TEXT\n"
    )
    assert engine.content() == before
    assert "--owner" not in run(pk, ANN, "edit", "--help").stdout


def test_the_new_owner_sees_it_in_the_prompt(pk, pk_process, engine, desk, tmp_path) -> None:
    """At once on an SQLite file (its change is seen); on PostgreSQL within prompt.refresh (5m)."""
    states = {name: str(tmp_path / f"state-{name}") for name in ("ann", "bo")}

    def prompt(login: str, now: str) -> str:
        env = {"LOGNAME": login, "PROMISEKEEPER_STATE": states[login.split()[0].lower()]}
        result = pk_process("prompt", env=env, now=now)
        assert (result.returncode, result.stderr) == (0, "")
        return result.stdout

    assert prompt(BO, "2026-11-23T09:30:00+01:00") == "◷1\n"  # his own renewal at 16:00
    assert prompt(ANN, "2026-11-23T09:30:00+01:00") == "⚑1 ◷1\n"
    env = {"LOGNAME": ANN, "PROMISEKEEPER_STATE": states["ann"]}
    # A second after those prompts read, as a person types: a schedule read in the same second
    # as a change on PostgreSQL is kept, and the change shows after prompt.refresh.
    handed = pk("handoff", str(desk["quote"]), "--to-owner", BO, *OFF_SHIFT, env=env, now="2026-11-23T09:30:01+01:00")
    assert handed.exit_code == 0
    assert prompt(ANN, "2026-11-23T09:30:05+01:00") == "◷1\n"  # this machine's change: at once
    if engine.name == "sqlite":
        assert prompt(BO, "2026-11-23T09:30:05+01:00") == "⚑1 ◷1\n"
    assert prompt(BO, "2026-11-23T09:35:01+01:00") == "⚑1 ◷1\n"
