"""A working day of `pk remind --digest` every five minutes: exactly which reminder comes when.

Monday 23 Nov 2026 in Stockholm, 08:00 to 18:00, with a two-hour gap (11:00 to 13:00:
the laptop was shut over lunch), while the technician keeps, reschedules and adds
promises; then Tuesday morning's first run, which carries the daily digest.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import datetime, timedelta

HEADLINE = re.compile(r"^(Coming up|Due now|Overdue|Still overdue): #(\d+) ")
STAGE_OF = {"Coming up": "upcoming", "Due now": "due", "Overdue": "due", "Still overdue": "overdue"}

# What each promise is; the letters name them in the expectations below.
PROMISES = {
    "A": ("Send VPN config", "2026-11-23 09:00", ["--to", "Eva Spacek", "--via", "email"]),
    "B": ("Call back about the printer", "2026-11-23 09:07", ["--to", "Bob", "--via", "phone"]),
    "C": ("Quote for licences", "2026-11-23 10:00", []),  # kept at 09:50, after "coming up"
    "F": ("Ring Marco", "2026-11-23 10:30", ["--to", "Marco"]),  # stays overdue
    "J": ("Confirm the backup window", "2026-11-23 11:10", []),  # due during the gap
    "D": ("Check the backup logs", "2026-11-23 12:00", []),  # its whole window falls in the gap
    "I": ("Send the training slides", "2026-11-23 16:00", []),  # kept early, in the gap
    "E": ("Send invoice copy", "2026-11-23 13:00 Europe/London", ["--ref", "INV-77"]),  # 14:00 here; moved at 13:50
}

EXPECTED = {
    ("Mon", "08:00"): {("G", "overdue")},  # still overdue since yesterday: the day's digest
    ("Mon", "08:45"): {("A", "upcoming")},
    ("Mon", "08:55"): {("B", "upcoming")},
    ("Mon", "09:00"): {("A", "due")},
    ("Mon", "09:10"): {("B", "due")},
    ("Mon", "09:45"): {("C", "upcoming")},
    ("Mon", "10:15"): {("F", "upcoming")},
    ("Mon", "10:30"): {("F", "due")},
    ("Mon", "10:55"): {("J", "upcoming")},
    # back from lunch: one reminder each for the current stage, none for the missed ones
    ("Mon", "13:00"): {("J", "due"), ("D", "due")},
    ("Mon", "13:45"): {("E", "upcoming")},
    ("Mon", "14:05"): {("H", "upcoming")},
    ("Mon", "14:10"): {("H", "due")},
    ("Mon", "15:15"): {("E", "upcoming")},  # the new deadline gets its own reminders
    ("Mon", "15:30"): {("E", "due")},
    ("Tue", "08:00"): {(name, "overdue") for name in "ABDEFGHJ"},
}


def at(day: str, clock: str) -> str:
    date = {"Sun": "2026-11-22", "Mon": "2026-11-23", "Tue": "2026-11-24"}[day]
    return f"{date}T{clock}:00+01:00"


def monday_runs() -> list[str]:
    """Every five minutes from 08:00 to 18:00, except while the laptop is shut (11:05–12:55)."""
    moment, end = datetime(2026, 11, 23, 8, 0), datetime(2026, 11, 23, 18, 0)
    runs = []
    while moment <= end:
        if not (datetime(2026, 11, 23, 11, 5) <= moment <= datetime(2026, 11, 23, 12, 55)):
            runs.append(f"{moment:%H:%M}")
        moment += timedelta(minutes=5)
    return runs


class Day:
    """The technician's promises and the reminder runs, with what each run said."""

    def __init__(self, pk) -> None:
        self.pk = pk
        self.ids: dict[str, int] = {}
        self.said: dict[tuple[str, str], set[tuple[str, str]]] = {}

    def add(self, name: str, what: str, due: str, args: list[str], now: str) -> None:
        result = self.pk("add", what, "--due", due, *args, "--json", now=now)
        assert result.exit_code == 0, result.output
        self.ids[name] = json.loads(result.stdout)["id"]

    def act(self, *args: str, now: str) -> None:
        result = self.pk(*args, now=now)
        assert result.exit_code == 0, result.output

    def remind(self, day: str, clock: str) -> None:
        result = self.pk("remind", "--digest", now=at(day, clock))
        assert result.exit_code == 0 and result.stderr == "", result.output
        names = {number: name for name, number in self.ids.items()}
        heard = set()
        for line in result.stdout.splitlines():
            if match := HEADLINE.match(line):
                heard.add((names[int(match.group(2))], STAGE_OF[match.group(1)]))
        if not heard:
            assert result.stdout == "", f"{day} {clock}: output without reminders: {result.stdout!r}"
        else:
            assert result.stdout.splitlines()[0][0].isdigit(), "the summary line comes first"
        self.said[(day, clock)] = heard


def live_the_day(pk) -> Day:
    day = Day(pk)
    day.add("G", "Return Olle's call", "2026-11-22 16:00", [], now=at("Sun", "15:00"))
    day.remind("Sun", "16:00")
    for name, (what, due, args) in PROMISES.items():
        day.add(name, what, due, args, now=at("Mon", "07:45"))
    actions = {
        "09:50": lambda: day.act("done", str(day.ids["C"]), now=at("Mon", "09:50")),
        "13:50": lambda: day.act("reschedule", str(day.ids["E"]), "2026-11-23 14:30 Europe/London", "--reason",
                                 "accounts need an hour", now=at("Mon", "13:50")),
        "14:05": lambda: day.add("H", "Quick callback", "2026-11-23 14:10", [], now=at("Mon", "14:02")),
    }
    for clock in monday_runs():
        if clock == "13:00":  # the lunch gap: slides sent at 11:30 while no run happened
            day.act("done", str(day.ids["I"]), now=at("Mon", "11:30"))
        if clock in actions:
            actions[clock]()
        day.remind("Mon", clock)
    day.remind("Tue", "08:00")
    day.remind("Tue", "08:05")
    return day


def test_each_run_says_exactly_what_is_expected(pk):
    day = live_the_day(pk)
    assert day.said.pop(("Sun", "16:00")) == {("G", "due")}
    unexpected = {run: heard for run, heard in day.said.items() if heard != EXPECTED.get(run, set())}
    missing = {run: heard for run, heard in EXPECTED.items() if run not in day.said}
    assert unexpected == {} and missing == {}
    assert len(day.said) == len(monday_runs()) + 2


def test_no_reminder_repeats_and_the_journal_agrees(pk):
    day = live_the_day(pk)
    events = [e for e in json.loads(pk("log", "--json", "--limit", "0").stdout) if e["kind"] == "reminded"]
    keys = Counter((e["promise"], e["data"]["stage"], e["data"]["due_at"], e["data"].get("day")) for e in events)
    assert [key for key, count in keys.items() if count > 1] == []
    assert len(events) == 1 + sum(len(heard) for heard in EXPECTED.values())
    # "Quote for licences" was kept before its deadline, the slides before theirs.
    stages_of = Counter((e["promise"], e["data"]["stage"]) for e in events)
    quote, slides = day.ids["C"], day.ids["I"]
    assert stages_of[(quote, "due")] == 0 and stages_of[(quote, "upcoming")] == 1
    assert not any(e["promise"] == slides for e in events)
