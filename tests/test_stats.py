"""Outcomes and `pk stats`: a table of promise histories with the verdict each must get.

Every history is written through the ledger at explicit moments; the clock for judging is
the suite's fixed Monday morning (23 Nov 2026 09:30, Europe/Stockholm). The deadline of
most stories is Monday 16 Nov 15:00 local.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from conftest import MONDAY_MORNING, ZONE, both_engines, sqlite_only

from promisekeeper import events, ledger, stats
from promisekeeper.db import read_stats
from promisekeeper.db.database import Database
from promisekeeper.db.read_stats import Window
from promisekeeper.when import clock

pytestmark = both_engines  # the outcomes are counted in SQL both engines run

LOCAL = ZoneInfo(ZONE)
NOW = clock.parse_fixed_now(MONDAY_MORNING)
DEADLINE = "2026-11-16 15:00"


def at(text: str) -> datetime:
    """A local wall-clock moment ("2026-11-16 15:00") as aware UTC."""
    return datetime.fromisoformat(text).replace(tzinfo=LOCAL).astimezone(UTC)


class Desk:
    """Writes promise histories through the ledger, each step at its own moment."""

    def __init__(self) -> None:
        self.db = Database().creating()

    def add(self, what: str, *, due: str = DEADLINE, when: str = "2026-11-16 08:00",
            who: str | None = None, via: str | None = None, tags: tuple[str, ...] = ()) -> str:
        draft = ledger.Draft(what=what, who=who, via=via, tags=tags)
        with self.db.change() as tx:
            promise = ledger.add(tx, now=at(when), draft=draft, due=at(due), due_tz=None)
        return str(promise.id)

    def done(self, ident: str, when: str) -> None:
        with self.db.change() as tx:
            ledger.done(tx, now=at(when), ident=ident)

    def move(self, ident: str, to: str, when: str) -> None:
        with self.db.change() as tx:
            ledger.reschedule(tx, now=at(when), ident=ident, due=at(to), due_tz=None, reason="vendor")

    def cancel(self, ident: str, when: str) -> None:
        with self.db.change() as tx:
            ledger.cancel(tx, now=at(when), ident=ident, reason="not needed")

    def reopen(self, ident: str, when: str) -> None:
        with self.db.change() as tx:
            ledger.reopen(tx, now=at(when), ident=ident)

    def undo(self, when: str) -> None:
        with self.db.change() as tx:
            ledger.undo(tx, now=at(when))

    def tried(self, ident: str, when: str) -> None:
        with self.db.change() as tx:
            ledger.tried(tx, now=at(when), ident=ident, note="voicemail")

    def note(self, ident: str, when: str) -> None:
        with self.db.change() as tx:
            ledger.note(tx, now=at(when), ident=ident, text_="customer called")

    def judgements(self) -> dict[int, stats.Judgement]:
        with self.db.reading() as reader:
            return {j.promise_id: j for j in read_stats.judgements(reader, now=NOW)}


@dataclass(frozen=True)
class Case:
    story: str
    write: Callable[[Desk, str], None]
    outcome: str | None  # None: not counted (yet, or at all)
    decided: str | None = None  # local wall clock of the deciding moment
    late_minutes: int | None = None
    renegotiated: bool = False
    due: str = DEADLINE


def _nothing(desk: Desk, ident: str) -> None:
    pass


CASES = [
    Case("kept an hour early", lambda d, i: d.done(i, "2026-11-16 14:00"), "kept", "2026-11-16 14:00"),
    Case("kept exactly at the deadline", lambda d, i: d.done(i, "2026-11-16 15:00"), "kept", "2026-11-16 15:00"),
    Case("kept one minute late", lambda d, i: d.done(i, "2026-11-16 15:01"), "late", "2026-11-16 15:01", 1),
    Case(
        "kept three hours late after attempts and a note",
        lambda d, i: (d.tried(i, "2026-11-16 10:00"), d.note(i, "2026-11-16 11:00"), d.done(i, "2026-11-16 18:00")),
        "late", "2026-11-16 18:00", 180,
    ),
    Case(
        "moved one minute before the deadline, then kept",
        lambda d, i: (d.move(i, "2026-11-17 15:00", "2026-11-16 14:59"), d.done(i, "2026-11-17 14:00")),
        "kept", "2026-11-17 14:00", renegotiated=True,
    ),
    Case(
        "moved one minute after the deadline, then kept by the new one",
        lambda d, i: (d.move(i, "2026-11-17 15:00", "2026-11-16 15:01"), d.done(i, "2026-11-17 14:00")),
        "broken", "2026-11-16 15:00",
    ),
    Case(
        "moved exactly at the deadline, then kept an hour late",
        lambda d, i: (d.move(i, "2026-11-17 15:00", "2026-11-16 15:00"), d.done(i, "2026-11-17 16:00")),
        "late", "2026-11-17 16:00", 60, renegotiated=True,
    ),
    Case("still open past its deadline", _nothing, "broken", "2026-11-16 15:00"),
    Case("open, deadline still ahead", _nothing, None, due="2026-11-24 10:00"),
    Case(
        "moved after its deadline to one still ahead",
        lambda d, i: d.move(i, "2026-11-24 12:00", "2026-11-16 16:00"),
        "broken", "2026-11-16 15:00",
    ),
    Case("released before its deadline", lambda d, i: d.cancel(i, "2026-11-16 12:00"), "released", "2026-11-16 12:00"),
    Case("released after breaking", lambda d, i: d.cancel(i, "2026-11-17 09:00"), "broken", "2026-11-16 15:00"),
    Case(
        "reopened after done, now past its deadline",
        lambda d, i: (d.done(i, "2026-11-16 14:00"), d.reopen(i, "2026-11-17 09:00")),
        "broken", "2026-11-16 15:00",
    ),
    Case(
        "reopened after done, then done late",
        lambda d, i: (d.done(i, "2026-11-16 14:00"), d.reopen(i, "2026-11-16 16:00"), d.done(i, "2026-11-16 17:00")),
        "late", "2026-11-16 17:00", 120,
    ),
    Case(
        "released, reopened, then kept in time",
        lambda d, i: (d.cancel(i, "2026-11-16 10:00"), d.reopen(i, "2026-11-16 11:00"), d.done(i, "2026-11-16 14:30")),
        "kept", "2026-11-16 14:30",
    ),
    Case(
        "a move after the deadline undone, then kept late",
        lambda d, i: (d.move(i, "2026-11-17 15:00", "2026-11-16 16:00"), d.undo("2026-11-16 16:05"),
                      d.done(i, "2026-11-16 17:00")),
        "late", "2026-11-16 17:00", 120,
    ),
    Case("added by mistake and undone", lambda d, i: d.undo("2026-11-16 08:05"), None),
    Case(
        "done, then the done undone",
        lambda d, i: (d.done(i, "2026-11-16 14:00"), d.undo("2026-11-16 14:10")),
        "broken", "2026-11-16 15:00",
    ),
    Case(
        "moved in time, then moved after the new deadline",
        lambda d, i: (d.move(i, "2026-11-17 15:00", "2026-11-16 14:00"), d.move(i, "2026-11-18 15:00", "2026-11-17 16:00"),
                      d.done(i, "2026-11-18 14:00")),
        "broken", "2026-11-17 15:00", renegotiated=True,
    ),
    Case(
        "moved after the deadline twice: dated by the first missed",
        lambda d, i: (d.move(i, "2026-11-17 15:00", "2026-11-16 16:00"), d.move(i, "2026-11-18 15:00", "2026-11-17 16:00")),
        "broken", "2026-11-16 15:00",
    ),
    Case(
        "added, undone, reopened and kept: counted again",
        lambda d, i: (d.undo("2026-11-16 08:05"), d.reopen(i, "2026-11-16 10:00"), d.done(i, "2026-11-16 14:00")),
        "kept", "2026-11-16 14:00",
    ),
]

# What the table adds up to (late minutes, from the end of each deadline's minute: 0, 59,
# 119, 119, 179).
EXPECTED_TOTALS = {
    "kept": 5,
    "late": 5,
    "broken": 8,
    "released": 1,
    "renegotiated": 3,
    "keep_rate": round(5 / 18, 4),
    "lateness_median_minutes": 119.0,
    "lateness_p90_minutes": 179.0,
}


@pytest.fixture
def table() -> dict[str, tuple[Case, int]]:
    """Every story written, each to its own promise; story -> (case, promise id)."""
    desk = Desk()
    written: dict[str, tuple[Case, int]] = {}
    for case in CASES:
        ident = desk.add(case.story, due=case.due, who="Eva" if case.outcome == "broken" else "Bob")
        case.write(desk, ident)
        written[case.story] = (case, int(ident))
    return written


@pytest.mark.parametrize("case", CASES, ids=[case.story for case in CASES])
def test_each_story_gets_its_outcome(case: Case) -> None:
    desk = Desk()
    desk.add("an unrelated promise kept in time")  # ids and other rows must not matter
    desk.done("1", "2026-11-16 09:00")
    ident = desk.add(case.story, due=case.due)
    case.write(desk, ident)

    found = desk.judgements().get(int(ident))

    if case.outcome is None:
        assert found is None
        return
    assert found is not None
    assert found.outcome == case.outcome
    assert found.decided_at == at(case.decided or "")
    # Lateness counts from the end of the deadline's minute (when.deadline).
    assert found.late_s == (None if case.late_minutes is None else (case.late_minutes - 1) * 60)
    assert found.renegotiated is case.renegotiated


def test_the_table_adds_up_to_the_stats(pk, table) -> None:
    result = pk("stats", "--json")

    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert {key: document[key] for key in EXPECTED_TOTALS} == EXPECTED_TOTALS


def test_json_has_exactly_the_documented_keys(pk, table) -> None:
    plain = json.loads(pk("stats", "--json").output)
    grouped = json.loads(pk("stats", "--json", "--by", "who").output)

    totals = {"kept", "late", "broken", "released", "renegotiated", "keep_rate",
              "lateness_median_minutes", "lateness_p90_minutes"}
    assert set(plain) == totals | {"as_of", "since", "until", "by"}
    assert set(grouped) == set(plain) | {"groups"}
    assert all(set(group) == totals | {"group"} for group in grouped["groups"])


def test_an_empty_ledger_has_no_rate_and_no_lateness(pk) -> None:
    assert pk("db", "init").exit_code == 0  # reading makes no database (test_missing_database)
    document = json.loads(pk("stats", "--json").output)

    assert document["kept"] == document["late"] == document["broken"] == document["released"] == 0
    assert document["keep_rate"] is None
    assert document["lateness_median_minutes"] is None
    assert document["lateness_p90_minutes"] is None
    assert "nothing to count yet" in pk("stats").output


def test_released_promises_are_outside_the_rate(pk) -> None:
    desk = Desk()
    desk.cancel(desk.add("released"), "2026-11-16 09:00")
    desk.done(desk.add("kept"), "2026-11-16 09:00")

    document = json.loads(pk("stats", "--json").output)

    assert (document["kept"], document["released"], document["keep_rate"]) == (1, 1, 1.0)


def test_grouped_by_who_splits_the_totals(pk, table) -> None:
    document = json.loads(pk("stats", "--json", "--by", "who").output)

    groups = {group["group"]: group for group in document["groups"]}
    assert set(groups) == {"Bob", "Eva"}
    assert groups["Eva"]["broken"] == 8 and groups["Eva"]["kept"] == 0
    assert groups["Bob"]["broken"] == 0 and groups["Bob"]["kept"] == 5
    for key in ("kept", "late", "broken", "released", "renegotiated"):
        assert groups["Bob"][key] + groups["Eva"][key] == document[key]


def test_a_promise_with_two_tags_counts_in_both_and_untagged_ones_are_a_group(pk) -> None:
    desk = Desk()
    desk.done(desk.add("two tags", tags=("vpn", "billing")), "2026-11-16 14:00")
    desk.done(desk.add("one tag", tags=("vpn",)), "2026-11-16 16:00")
    desk.add("no tag")

    document = json.loads(pk("stats", "--json", "--by", "tag").output)

    groups = {group["group"]: group for group in document["groups"]}
    assert (groups["vpn"]["kept"], groups["vpn"]["late"]) == (1, 1)
    assert (groups["billing"]["kept"], groups["billing"]["late"]) == (1, 0)
    assert groups[None]["broken"] == 1
    assert [group["group"] for group in document["groups"]] == ["billing", "vpn", None]


def test_grouped_by_via_and_owner(pk) -> None:
    desk = Desk()
    desk.done(desk.add("by phone", via="phone"), "2026-11-16 14:00")
    desk.add("by email", via="email")

    via = json.loads(pk("stats", "--json", "--by", "via").output)
    owner = json.loads(pk("stats", "--json", "--by", "OWNER").output)

    assert {g["group"]: (g["kept"], g["broken"]) for g in via["groups"]} == {"email": (0, 1), "phone": (1, 0)}
    assert len(owner["groups"]) == 1 and owner["groups"][0]["broken"] == 1


def test_since_and_until_select_by_when_the_outcome_was_decided(pk, table) -> None:
    later = json.loads(pk("stats", "--json", "--since", "2026-11-17").output)
    earlier = json.loads(pk("stats", "--json", "--until", "2026-11-17").output)

    # From Tuesday: story 5 kept on the 17th, story 7 late on the 17th, story 19 broken
    # at the 17th's deadline it missed.
    assert (later["kept"], later["late"], later["broken"], later["renegotiated"]) == (1, 1, 1, 3)
    for key in ("kept", "late", "broken", "released"):
        assert later[key] + earlier[key] == EXPECTED_TOTALS[key]
    assert later["since"] == "2026-11-16T23:00:00+00:00" and later["until"] is None


def test_until_is_exclusive(pk) -> None:
    desk = Desk()
    desk.done(desk.add("kept at 14:00"), "2026-11-16 14:00")

    before = json.loads(pk("stats", "--json", "--until", "2026-11-16 14:00").output)
    after = json.loads(pk("stats", "--json", "--since", "2026-11-16 14:00").output)

    assert (before["kept"], after["kept"]) == (0, 1)


def test_since_after_until_is_refused(pk) -> None:
    assert pk("db", "init").exit_code == 0  # reading makes no database (test_missing_database)
    result = pk("stats", "--since", "2026-11-20", "--until", "2026-11-10")

    assert result.exit_code == 2
    assert "--since must come before --until" in result.output


@pytest.mark.parametrize("args, message", [
    (("--by", "month"), "use one of: week, who, via, tag, owner"),
    (("--weeks", "0"), "--weeks must be between 1 and"),
    (("--since", "the day after never"), "the day after never"),
])
def test_bad_options_say_what_works(pk_process, args, message) -> None:
    result = pk_process("stats", *args)

    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


# -- weeks ---------------------------------------------------------------------------------


def test_by_week_covers_every_week_from_the_first_outcome_to_now(pk) -> None:
    desk = Desk()
    desk.done(desk.add("early", when="2026-11-02 08:00", due="2026-11-02 15:00"), "2026-11-02 14:00")
    desk.done(desk.add("late one", due="2026-11-16 15:00"), "2026-11-16 16:00")

    document = json.loads(pk("stats", "--json", "--by", "week").output)

    labels = [group["group"] for group in document["groups"]]
    assert labels == ["2026-W45", "2026-W46", "2026-W47", "2026-W48"]
    counts = [(g["kept"], g["late"]) for g in document["groups"]]
    assert counts == [(1, 0), (0, 0), (0, 1), (0, 0)]
    assert document["groups"][0]["start"] == "2026-11-01T23:00:00+00:00"  # Mon 2 Nov 00:00 CET


@pytest.mark.parametrize("done_utc, week", [
    ("2026-10-25T22:30:00+00:00", "2026-W43"),  # Sun 25 Oct 23:30 CET, after the clocks went back
    ("2026-10-25T23:00:00+00:00", "2026-W44"),  # Mon 26 Oct 00:00 CET
    ("2026-03-29T21:30:00+00:00", "2026-W13"),  # Sun 29 Mar 23:30 CEST, after the clocks went forward
    ("2026-03-29T22:00:00+00:00", "2026-W14"),  # Mon 30 Mar 00:00 CEST
])
def test_weeks_are_local_and_follow_daylight_saving(pk, done_utc: str, week: str) -> None:
    moment = datetime.fromisoformat(done_utc)
    local = moment.astimezone(LOCAL).strftime("%Y-%m-%d %H:%M")
    desk = Desk()
    desk.done(desk.add("at the week's edge", when="2026-01-05 08:00", due="2026-12-31 12:00"), local)

    document = json.loads(pk("stats", "--json", "--by", "week").output)

    counted = [group["group"] for group in document["groups"] if group["kept"]]
    assert counted == [week]


def test_week_boundaries_are_local_midnights() -> None:
    autumn = stats.week_of(at("2026-10-21 12:00"), LOCAL)

    assert autumn.label == "2026-W43"
    assert autumn.start == at("2026-10-19 00:00")
    assert (autumn.end - autumn.start).total_seconds() == 169 * 3600  # an hour gained


def test_the_trend_shows_the_last_weeks_ending_this_week(pk) -> None:
    desk = Desk()
    desk.done(desk.add("kept", due="2026-11-16 15:00"), "2026-11-16 14:00")
    with desk.db.reading() as reader:
        report = stats.report(reader, now=NOW, zone=LOCAL, trend_weeks=3)

    # Not W46: the trend of a young database starts at the week of its first promise.
    assert [week.group for week in report.trend] == ["2026-W47", "2026-W48"]
    assert [week.kept for week in report.trend] == [1, 0]


# -- how it is shown ---------------------------------------------------------------------------


def test_plain_output_is_stable_text(pk, table) -> None:
    result = pk("stats")

    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "Promise outcomes, all time (as of Mon 23 Nov 09:30)"
    assert lines[1].split()[:3] == ["keep", "rate", "28%"]
    assert "median 1h 59m, p90 2h 59m" in result.output
    assert "Weekly trend:" in result.output
    assert "2026-W47  Mon 16 Nov  kept 5  late 5  broken 8  released 1  keep rate 28%" in result.output
    assert "\x1b" not in result.output


def test_a_terminal_gets_a_bar_chart(pk, table) -> None:
    result = pk("stats", env={"PROMISEKEEPER_LAYOUT": "terminal", "FORCE_COLOR": "1", "COLUMNS": "120"})

    assert result.exit_code == 0
    assert "█" in result.output and "▓" in result.output and "░" in result.output
    assert "\x1b[" in result.output


def test_grouped_plain_output_is_a_table(pk, table) -> None:
    lines = pk("stats", "--by", "who").output.splitlines()

    header = lines.index(next(line for line in lines if line.startswith("who ")))
    assert lines[header].split() == ["who", "kept", "late", "broken", "released", "renegotiated",
                                     "keep", "rate", "late", "median", "late", "p90"]
    assert lines[header + 1].split() == ["Bob", "5", "5", "0", "1", "2", "50%", "1h", "59m", "2h", "59m"]
    assert lines[header + 2].split() == ["Eva", "0", "0", "8", "0", "1", "0%", "—", "—"]


@sqlite_only  # plants text as an older pk stored it, straight into the SQLite file
def test_names_in_groups_are_shown_as_text(pk, files) -> None:
    from conftest import plant

    desk = Desk()
    desk.add("x", who="[red]Eva[/red]")
    plant(files.db, 1, who="[red]Eva[/red]\x1b[31m\x07")  # as an older pk let in

    plain = pk("stats", "--by", "who").output
    rich = pk("stats", "--by", "who", env={"PROMISEKEEPER_LAYOUT": "terminal", "FORCE_COLOR": "1", "COLUMNS": "150"}).output

    assert "[red]Eva[/red][31m" in plain and "\x1b[31m\x07" not in plain and "\x07" not in rich
    assert "[red]Eva[/red]" in rich


# -- SQL, not Python -------------------------------------------------------------------------


def test_stats_are_one_statement_whatever_the_number_of_promises(monkeypatch) -> None:
    from promisekeeper.db.reader import Reader

    desk = Desk()
    for number in range(30):
        ident = desk.add(f"promise {number}", who=f"person {number % 4}", tags=("vpn",) if number % 5 else ())
        if number % 3:
            desk.done(ident, "2026-11-16 14:00" if number % 2 else "2026-11-16 16:00")
    statements: list[str] = []
    sent = Reader._statement
    monkeypatch.setattr(Reader, "_statement", lambda self, sql: statements.append(sql) or sent(self, sql))
    with desk.db.reading() as reader:
        for by in (None, "week", "who", "via", "tag", "owner"):
            statements.clear()
            stats.report(reader, now=NOW, zone=LOCAL, by=by)
            judging = [sql for sql in statements if "outcomes AS" in sql]
            assert len(judging) == 1, by  # the totals and the groups together
            assert len(statements) <= 3, statements  # and at most the bounds of the weeks


# -- more definitions --------------------------------------------------------------------------


def test_renegotiated_counts_only_promises_with_an_outcome(pk) -> None:
    desk = Desk()
    pending = desk.add("moved in time, not due yet", due="2026-11-23 15:00", when="2026-11-23 08:00")
    desk.move(pending, "2026-11-25 15:00", "2026-11-23 09:00")
    kept = desk.add("moved in time, then kept")
    desk.move(kept, "2026-11-17 15:00", "2026-11-16 12:00")
    desk.move(kept, "2026-11-18 15:00", "2026-11-17 12:00")  # moved twice: one promise
    desk.done(kept, "2026-11-18 10:00")

    document = json.loads(pk("stats", "--json").output)

    assert (document["kept"], document["renegotiated"]) == (1, 1)


def test_an_imported_move_without_a_verdict_is_judged_by_its_times(pk) -> None:
    from promisekeeper.db.models import new_event

    desk = Desk()
    ident = desk.add("imported history")
    desk.done(ident, "2026-11-17 10:00")
    move = events.decode("rescheduled", {
        "from": "2026-11-16T14:00:00+00:00", "to": "2026-11-17T14:00:00+00:00", "reason": "imported",
    })
    with desk.db.change() as tx:
        tx.session.add(new_event(promise_id=int(ident), at=at("2026-11-16 16:00"), payload=move, imported=True))

    [found] = desk.judgements().values()

    assert (found.outcome, found.decided_at) == ("broken", at("2026-11-16 15:00"))


@pytest.mark.parametrize("minutes, median, p90", [
    ([7], 7, 7),
    ([1, 2], 1, 2),
    ([10, 1, 9, 2, 8, 3, 7, 4, 6, 5], 5, 9),
    ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 6, 10),
])
def test_lateness_percentiles_are_nearest_rank(pk, minutes: list[int], median: int, p90: int) -> None:
    desk = Desk()
    for number, late in enumerate(minutes):
        desk.done(desk.add(f"late by {late}m", who="Eva" if number % 2 else "Bob"), f"2026-11-16 15:{late + 1:02d}")
    desk.done(desk.add("on time"), "2026-11-16 14:00")

    document = json.loads(pk("stats", "--json").output)

    assert document["lateness_median_minutes"] == median
    assert document["lateness_p90_minutes"] == p90
    assert document["late"] == len(minutes) and document["kept"] == 1


def test_each_group_has_its_own_percentiles(pk) -> None:
    desk = Desk()
    for late, who in ((1, "Bob"), (2, "Bob"), (30, "Eva"), (40, "Eva"), (50, "Eva")):
        desk.done(desk.add("late", who=who), f"2026-11-16 15:{late + 1:02d}")  # from the minute's end

    groups = json.loads(pk("stats", "--json", "--by", "who").output)["groups"]

    assert [(g["group"], g["lateness_median_minutes"], g["lateness_p90_minutes"]) for g in groups] == [
        ("Bob", 1, 2), ("Eva", 40, 50),
    ]


def test_lateness_keeps_seconds_as_tenths_of_minutes(pk) -> None:
    desk = Desk()
    ident = desk.add("late by 90 s")
    with desk.db.change() as tx:
        ledger.done(tx, now=at("2026-11-16 15:02") + (at("2026-11-16 15:01") - at("2026-11-16 15:00")) / 2,
                    ident=ident)

    document = json.loads(pk("stats", "--json").output)

    assert document["lateness_median_minutes"] == 1.5


def test_keep_rate_is_a_fraction_rounded_to_four_places(pk) -> None:
    desk = Desk()
    desk.done(desk.add("kept"), "2026-11-16 14:00")
    desk.add("broken")
    desk.add("broken too")

    assert json.loads(pk("stats", "--json").output)["keep_rate"] == 0.3333


def test_one_promise_outcome_can_be_asked_for() -> None:
    desk = Desk()
    desk.done(desk.add("kept"), "2026-11-16 14:00")
    broken = desk.add("broken")
    with desk.db.reading() as reader:
        found = read_stats.judgements(reader, now=NOW, promise_id=int(broken))

    assert [(j.promise_id, j.outcome) for j in found] == [(int(broken), "broken")]


# -- more of the command -------------------------------------------------------------------------


def test_the_trend_starts_no_earlier_than_since(pk) -> None:
    desk = Desk()
    desk.done(desk.add("kept"), "2026-11-16 14:00")

    with desk.db.reading() as reader:
        report = stats.report(reader, now=NOW, zone=LOCAL, window=Window(since=at("2026-11-11 00:00")))
        since_later = stats.report(reader, now=NOW, zone=LOCAL, window=Window(since=at("2026-11-18 00:00")))

    assert [week.group for week in report.trend] == ["2026-W47", "2026-W48"]  # the first promise's week
    assert [week.group for week in since_later.trend] == ["2026-W47", "2026-W48"]  # --since's week


def test_weeks_option_sets_the_trend_length(pk) -> None:
    Desk().done(Desk().add("kept"), "2026-11-16 14:00")

    lines = pk("stats", "--weeks", "2").output.splitlines()

    trend = lines[lines.index("Weekly trend:") + 1:]
    assert [line.split()[0] for line in trend] == ["2026-W47", "2026-W48"]


def test_by_week_with_since_and_until_covers_exactly_those_weeks(pk, table) -> None:
    document = json.loads(pk("stats", "--json", "--by", "week", "--since", "2026-11-09",
                             "--until", "2026-11-23").output)

    assert [group["group"] for group in document["groups"]] == ["2026-W46", "2026-W47"]
    for key in ("kept", "late", "broken", "released"):
        assert sum(group[key] for group in document["groups"]) == document[key] == EXPECTED_TOTALS[key]


def test_by_week_on_an_empty_ledger_has_no_groups(pk) -> None:
    assert pk("db", "init").exit_code == 0  # reading makes no database (test_missing_database)
    document = json.loads(pk("stats", "--json", "--by", "week").output)

    assert document["groups"] == [] and document["kept"] == 0


def test_the_header_names_the_period_in_local_time(pk) -> None:
    Desk().done(Desk().add("kept"), "2026-11-16 14:00")

    first = pk("stats", "--since", "2026-11-16", "--until", "2026-11-20 12:00").output.splitlines()[0]

    assert first == ("Promise outcomes, since Mon 16 Nov 00:00 until Fri 20 Nov 12:00 "
                     "(as of Mon 23 Nov 09:30)")


def test_a_terminal_gets_bars_by_week_too(pk, table) -> None:
    output = pk("stats", "--by", "week", env={"PROMISEKEEPER_LAYOUT": "terminal", "FORCE_COLOR": "1", "COLUMNS": "150"}).output

    row = next(line for line in output.splitlines() if "2026-W47" in line)
    assert "█" in row and "28%" in row


def test_the_installed_pk_reports_stats(pk_process) -> None:
    Desk().done(Desk().add("kept"), "2026-11-16 14:00")

    result = pk_process("stats", "--json", "--by", "week")

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["kept"] == 1
