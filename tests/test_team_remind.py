"""Reminders on a team's database: each owner's own, the lead's morning digest
(`pk remind --team --digest`), and the bookkeeping that keeps them apart: the digest never
uses up an owner's reminder, an owner's reminder never keeps a promise out of the digest,
and neither is sent twice."""

from __future__ import annotations

import json

import pytest
from conftest import both_engines
from remind_support import at
from team_support import ANN, BO, add, reminded, run

pytestmark = both_engines

LEAD = "Lars Ström"
ASA, ZOE = "Åsa Berg", "Zoë Lund"
DIGEST = ("remind", "--team", "--digest")


@pytest.fixture
def desk(pk) -> dict[str, int]:
    """Monday 09:30: two promises overdue, three due later today, one tomorrow, one kept."""
    found = {
        "ann late": add(pk, ANN, "Call Ann's customer", "09:00"),
        "ann today": add(pk, ANN, "Send Ann's quote", "15:00", "--to", "Dora"),
        "ann tomorrow": add(pk, ANN, "Ann's renewal", "tomorrow 10am"),
        "bo late": add(pk, BO, "Call Bo's customer", "09:15", "--owner", BO),
        "bo kept": add(pk, BO, "Bo's kept one", "09:10", "--owner", BO),
        "zoe today": add(pk, ZOE, "Zoë's order", "16:00", "--owner", ZOE),
        "asa today": add(pk, ASA, "Åsa's callback", "12:00", "--owner", ASA),
    }
    run(pk, BO, "done", str(found["bo kept"]), now=at("09:05"))
    return found


def test_the_digest_lists_every_owners_overdue_and_due_today_by_owner(pk, desk) -> None:
    result = run(pk, LEAD, *DIGEST, now=at("09:30"))
    assert result.stdout == (
        "Team digest for Mon 23 Nov: 2 overdue, 3 due later today (4 owners)\n"
        "\n"
        "Ann Lind (1 overdue, 1 due later today):\n"
        "#1  Mon 23 Nov 09:00  29m late  Call Ann's customer\n"
        "#2  Mon 23 Nov 15:00  in 5h 30m  Send Ann's quote  — Dora\n"
        "\n"
        "Åsa Berg (1 due later today):\n"
        "#7  Mon 23 Nov 12:00  in 2h 30m  Åsa's callback\n"
        "\n"
        "Bo Ek (1 overdue):\n"
        "#4  Mon 23 Nov 09:15  14m late  Call Bo's customer\n"
        "\n"
        "Zoë Lund (1 due later today):\n"
        "#6  Mon 23 Nov 16:00  in 6h 30m  Zoë's order\n"
    )
    assert reminded() == [(1, "overdue", None, 1), (2, "today", None, 1), (7, "today", None, 1),
                          (4, "overdue", None, 1), (6, "today", None, 1)]
    assert "#1  reminded  reminder sent to the team (overdue)" in run(pk, LEAD, "log").stdout


def test_the_digest_in_json_and_in_swedish_order(pk, files, desk) -> None:
    files.config.write_text('language = "sv"\n')  # Å after Z
    found = json.loads(run(pk, LEAD, *DIGEST, "--json", now=at("09:30")).stdout)
    assert [(item["owner"], item["id"], item["stage"]) for item in found] == [
        (ANN, 1, "overdue"), (ANN, 2, "today"), (BO, 4, "overdue"), (ZOE, 6, "today"), (ASA, 7, "today"),
    ]


def test_the_digest_is_silent_when_nothing_is_due(pk, desk) -> None:
    quiet = at("09:30", day=22)  # Sunday: nothing was due yet, only added
    assert run(pk, LEAD, *DIGEST, now=quiet).stdout == ""
    assert run(pk, LEAD, *DIGEST, "--json", now=quiet).stdout == "[]\n"
    assert reminded() == []


def test_the_digest_lists_a_promise_once_a_day(pk, desk) -> None:
    assert run(pk, LEAD, *DIGEST, now=at("09:30")).stdout
    assert run(pk, LEAD, *DIGEST, now=at("10:30")).stdout == ""  # nothing new: no mail
    late = add(pk, BO, "Bo's afternoon call", "17:00", "--owner", BO, now=at("11:00"))
    assert json_ids(run(pk, LEAD, *DIGEST, "--json", now=at("11:05"))) == [late]
    tomorrow = json.loads(run(pk, LEAD, *DIGEST, "--json", now=at("08:00", day=24)).stdout)
    assert [(item["id"], item["stage"]) for item in tomorrow] == [
        (1, "overdue"), (2, "overdue"), (3, "today"), (7, "overdue"), (4, "overdue"), (late, "overdue"),
        (6, "overdue"),
    ]


def json_ids(result) -> list[int]:
    return [item["id"] for item in json.loads(result.stdout)]


def test_the_digest_does_not_use_up_an_owners_own_reminder(pk, desk) -> None:
    run(pk, LEAD, *DIGEST, now=at("09:30"))
    assert json_ids(run(pk, ANN, "remind", "--json", now=at("09:31"))) == [1]  # her overdue one, as due
    assert json_ids(run(pk, BO, "remind", "--json", now=at("09:31"))) == [4]
    assert run(pk, ANN, "remind", now=at("09:32")).stdout == ""  # and not twice
    # Ann's own digest the next morning, beside the lead's: each has its own.
    assert json_ids(run(pk, ANN, "remind", "--digest", "--json", now=at("08:00", day=24))) == [1, 2]
    assert 1 in json_ids(run(pk, LEAD, *DIGEST, "--json", now=at("08:01", day=24)))


def test_an_owners_reminders_do_not_keep_a_promise_out_of_the_digest(pk, desk) -> None:
    assert json_ids(run(pk, ANN, "remind", "--digest", "--json", now=at("09:30"))) == [1]
    assert json_ids(run(pk, LEAD, *DIGEST, "--json", now=at("09:31"))) == [1, 2, 7, 4, 6]
    assert reminded() == [(1, "due", ANN, 0), (1, "overdue", None, 1), (2, "today", None, 1),
                          (7, "today", None, 1), (4, "overdue", None, 1), (6, "today", None, 1)]
    assert "#1  reminded  reminder sent (due)" in run(pk, LEAD, "log").stdout  # as it always read


def test_a_promise_handed_on_is_reminded_to_its_new_owner_at_once(pk, desk) -> None:
    assert json_ids(run(pk, ANN, "remind", "--json", now=at("09:30"))) == [1]
    run(pk, ANN, "handoff", "1", "--to-owner", BO, "--reason", "off shift", now=at("09:31"))
    assert json_ids(run(pk, BO, "remind", "--json", now=at("09:32"))) == [1, 4]
    assert run(pk, ANN, "remind", now=at("09:33")).stdout == ""
    run(pk, BO, "undo", now=at("09:34"))  # back to Ann, who was told already
    assert run(pk, ANN, "remind", now=at("09:35")).stdout == ""


def test_covering_for_a_colleague_counts_as_their_own(pk, desk) -> None:
    covered = run(pk, ANN, "remind", "--owner", "bo ek", now=at("09:30")).stdout
    assert "Overdue: #4 Call Bo's customer" in covered and "owner:  Bo Ek" in covered
    assert run(pk, BO, "remind", now=at("09:31")).stdout == ""


def test_reminders_for_the_team_go_by_stage_and_name_the_owner(pk, desk) -> None:
    result = run(pk, LEAD, "remind", "--team", now=at("09:30"))
    assert result.stdout.startswith("2 promises overdue\n")
    assert "Overdue: #1 Call Ann's customer" in result.stdout and "owner:  Ann Lind" in result.stdout
    assert "owner:  Bo Ek" in result.stdout
    assert run(pk, LEAD, "remind", "--team", now=at("09:31")).stdout == ""
    assert json_ids(run(pk, ANN, "remind", "--json", now=at("09:32"))) == [1]  # hers all the same
    coming = json.loads(run(pk, LEAD, "remind", "--team", "--json", now=at("11:50")).stdout)
    assert [(item["id"], item["stage"], item["owner"]) for item in coming] == [(7, "upcoming", ASA)]


def test_one_owners_reminders_read_as_they_always_have(pk) -> None:
    add(pk, ANN, "Call the customer", "09:00")
    result = run(pk, ANN, "remind", "--team", now=at("09:30"))
    assert result.stdout == (
        "1 promise overdue\n\nOverdue: #1 Call the customer\n  due:  Mon 23 Nov 09:00, 29m late\n"
    )
