"""The same promises for pk and for Taskwarrior: a seeded generator writing both import files.

Usage: python benchmarks/same_data.py N DIR [--seed S] [--anchor ISO]

Writes DIR/promises.json (a promisekeeper JSON export, for `pk import`) and
DIR/tasks.json (Taskwarrior's JSON, for `task import`), one task per promise. The shape is
that of a technician's month: deadlines from six weeks ago to four weeks ahead of the
anchor moment (none of the open ones in the three hours after it); 70% of promises still
open, a third of those overdue; 30% closed (kept on
time, kept late, released); renegotiations, notes, callback attempts and reminders, about
three journal entries per promise in all. The same seed and anchor give the same files.

Taskwarrior has no journal, so each task carries what a Taskwarrior user would keep:
the final deadline, `end` for closed tasks, the ticket as `project`, the tags, and notes,
callback attempts and renegotiation reasons as annotations. Its description is the promise
followed by the customer's name, so a list line carries about what pk's does.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

T = TypeVar("T")
OWNER = "bench"  # the owner the benchmark's config names, so every view shows every promise
ZONE = ZoneInfo("Europe/Stockholm")
MINUTE, HOUR, DAY = 60, 3600, 86400  # times are whole seconds since the epoch: fast to make and write
LEADS = (2 * HOUR, 4 * HOUR, DAY, 2 * DAY, 3 * DAY, 7 * DAY, 14 * DAY)
BATCH = 1000  # records encoded per json.dumps call
# No open promise falls due in the first three hours after the anchor: a tool whose clock
# cannot be frozen (Taskwarrior) sees the same promises overdue as pk for that long.
CALM = 3 * HOUR
VIAS = ("phone", "email", "chat", "desk")
TASKS = ("Send VPN config", "Call back about the printer", "Reset MFA token", "Confirm the refund",
         "Check the backup logs", "Order a replacement laptop", "Share the onboarding checklist",
         "Follow up on the invoice", "Restore the deleted folder", "Renew the licence",
         "Set up the shared mailbox", "Escalate the Wi-Fi outage", "Send the quote")
FIRST = ("Eva", "Bo", "Anna", "Oskar", "Maja", "Liam", "Inès", "Karl", "Sofia", "Tomas", "Lena", "Amir")
LAST = ("Spacek", "Lind", "Berg", "Holm", "Ek", "Sjöberg", "Moreau", "Nilsson", "Rossi", "Kovács")
TAGS = ("vpn", "billing", "printer", "email", "hardware", "access", "network", "vip", "urgent", "licence")
NOTES = ("customer called back", "waiting for the vendor", "sent a reminder email", "manager informed")
ATTEMPT_NOTES = ("voicemail", "no answer", "line busy")
REASONS = ("waiting on vendor", "customer asked for Friday", "part not in stock")


@dataclass
class Story:
    """One promise and its journal (time, kind, data), before it is written in either format."""

    number: int
    uuid: str
    what: str
    who: str
    contact: str
    via: str
    ref: str | None
    tags: list[str]
    created: int
    due: int
    original_due: int
    state: str = "open"
    closed: int | None = None
    events: list[tuple[int, str, dict[str, Any]]] = field(default_factory=list)


@dataclass
class Summary:
    """What was written: counts for the report, and one promise with history to `show`."""

    promises: int = 0
    events: int = 0
    open: int = 0
    overdue: int = 0
    kept: int = 0
    released: int = 0
    show_number: int = 0  # the open promise with the longest journal
    show_uuid: str = ""
    most_events: int = 0


@cache
def _day(days: int) -> datetime:
    return datetime.fromtimestamp(days * DAY, UTC)


@cache
def _iso_day(days: int) -> str:
    return _day(days).strftime("%Y-%m-%d")


@cache
def _task_day(days: int) -> str:
    return _day(days).strftime("%Y%m%d")


@cache
def _iso_minute(minutes: int) -> str:
    days, minutes = divmod(minutes, 24 * 60)
    return f"{_iso_day(days)}T{minutes // 60:02d}:{minutes % 60:02d}:"


@cache
def _task_minute(minutes: int) -> str:
    days, minutes = divmod(minutes, 24 * 60)
    return f"{_task_day(days)}T{minutes // 60:02d}{minutes % 60:02d}"


def iso(moment: int) -> str:
    """ISO 8601 in UTC, as pk writes it: 2026-11-23T08:30:00+00:00."""
    return f"{_iso_minute(moment // MINUTE)}{moment % MINUTE:02d}+00:00"


def task_time(moment: int) -> str:
    """Taskwarrior's form: 20261123T083000Z."""
    return f"{_task_minute(moment // MINUTE)}{moment % MINUTE:02d}Z"


def local(moment: int) -> datetime:
    return datetime.fromtimestamp(moment, ZONE)


# -- the stories ------------------------------------------------------------------------------
# `random.choice` and `randint` are written in Python; these two do the same from one
# `random()` call each, about ten times faster, which matters at a million draws.


def pick(rng: random.Random, items: Sequence[T]) -> T:
    return items[int(rng.random() * len(items))]


def uniform_int(rng: random.Random, low: float, high: float) -> int:
    return int(low + (high - low) * rng.random())


def stories(count: int, *, seed: int, anchor: datetime) -> Iterator[Story]:
    """`count` promises, numbered from 1; the same seed and anchor give the same ones."""
    rng = random.Random(seed)
    now = int(anchor.timestamp())
    for number in range(1, count + 1):
        yield story(rng, number, now)


def story(rng: random.Random, number: int, now: int) -> Story:
    roll = rng.random()
    outcome = "open" if roll < 0.70 else "kept" if roll < 0.90 else "late" if roll < 0.95 else "released"
    due = _minute(_deadline(rng, outcome, now))
    moved = rng.random() < 0.15
    original_due = _minute(due - uniform_int(rng, DAY, 5 * DAY)) if moved else due
    created = _minute(min(original_due - pick(rng, LEADS), now - uniform_int(rng, 5 * MINUTE, 3 * DAY)))
    name = f"{pick(rng, FIRST)} {pick(rng, LAST)}"
    s = Story(
        number, _uuid4(rng.getrandbits(128)), pick(rng, TASKS), name,
        _contact(rng, name), pick(rng, VIAS), f"INC-{uniform_int(rng, 1000, 99999)}" if rng.random() < 0.7 else None,
        sorted({pick(rng, TAGS) for _ in range(pick(rng, (0, 0, 1, 1, 1, 2)))}), created, due, original_due,
    )
    s.events.append((created, "created", _created_data(s)))
    if moved:
        _renegotiate(rng, s, now)
    if outcome != "open":
        _close(rng, s, outcome, now)
    _history(rng, s, now)
    s.events.sort(key=lambda event: event[0])
    return s


def _uuid4(bits: int) -> str:
    hexa = f"{bits & ~(0xF000 << 64) & ~(0xC000 << 48) | (0x4000 << 64) | (0x8000 << 48):032x}"
    return f"{hexa[:8]}-{hexa[8:12]}-{hexa[12:16]}-{hexa[16:20]}-{hexa[20:]}"


def _minute(moment: int) -> int:
    return moment - moment % MINUTE


def _deadline(rng: random.Random, outcome: str, now: int) -> int:
    if outcome == "open":
        if rng.random() < 1 / 3:
            return now - uniform_int(rng, MINUTE, 21 * DAY)  # overdue: up to three weeks
        return now + uniform_int(rng, CALM, 28 * DAY)  # ahead: up to four weeks
    if outcome == "late":  # kept after the deadline, and before now
        return now - uniform_int(rng, 2 * DAY, 42 * DAY)
    return now - uniform_int(rng, -7 * DAY, 42 * DAY)  # kept on time or released: some ahead of time


def _contact(rng: random.Random, name: str) -> str:
    if rng.random() < 0.5:
        return f"+46 70 {uniform_int(rng, 100, 999)} {uniform_int(rng, 10, 99)} {uniform_int(rng, 10, 99)}"
    return _email(name)


@cache
def _email(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return plain.replace(" ", ".") + "@example.com"


def _created_data(s: Story) -> dict[str, Any]:
    return {"what": s.what, "who": s.who, "contact": s.contact, "via": s.via, "ref": s.ref,
            "tags": s.tags, "owner": OWNER, "due_at": iso(s.original_due), "due_tz": None}


def _part_way(rng: random.Random, start: int, end: int, low: float, high: float) -> int:
    return start + int((end - start) * rng.uniform(low, high))


def _renegotiate(rng: random.Random, s: Story, now: int) -> None:
    after = s.original_due < now and rng.random() < 0.2  # moved once the deadline had passed
    if after:
        at = _part_way(rng, s.original_due, min(now, s.due), 0.05, 0.9)
    else:
        at = _part_way(rng, s.created, min(s.original_due, now), 0.2, 0.95)
    s.events.append((at, "rescheduled", {
        "from": iso(s.original_due), "to": iso(s.due), "from_tz": None, "to_tz": None,
        "reason": pick(rng, REASONS), "after_deadline": after,
    }))


def _close(rng: random.Random, s: Story, outcome: str, now: int) -> None:
    last = max(at for at, _, _ in s.events)
    if outcome == "late":
        closed = s.due + min(int(rng.lognormvariate(5, 1.2) * MINUTE) + 1, (now - s.due) * 9 // 10)
    else:
        closed = _part_way(rng, last, min(s.due, now), 0.1, 0.95) + 1
    s.closed = closed
    if outcome == "released":
        s.state = "released"
        s.events.append((closed, "released", {"reason": "customer solved it", "after_deadline": closed > s.due}))
        return
    s.state = "kept"
    data: dict[str, Any] = {"due_at": iso(s.due), "late": closed > s.due}
    if closed > s.due:
        data["late_by_s"] = closed - s.due
    s.events.append((closed, "kept", data))


def _history(rng: random.Random, s: Story, now: int) -> None:
    """Notes, callback attempts and reminders, all between creation and closing (or now)."""
    end = s.closed or now
    for _ in range(pick(rng, (0, 0, 0, 1, 1, 2))):
        s.events.append((_part_way(rng, s.created, end, 0.05, 0.95), "noted", {"text": pick(rng, NOTES)}))
    for _ in range(pick(rng, (0, 0, 0, 0, 1, 1, 2, 3))):
        data = {"note": pick(rng, ATTEMPT_NOTES)} if rng.random() < 0.5 else {}
        s.events.append((_part_way(rng, s.created, end, 0.05, 0.95), "attempted", data))
    _reminders(rng, s, end)


def _reminders(rng: random.Random, s: Story, end: int) -> None:
    # Sent by `pk remind` from cron: coming up 15 minutes before, due at the deadline,
    # overdue an hour or more after it, each only if the promise was still open then.
    overdue_at = s.due + uniform_int(rng, HOUR, 20 * HOUR)
    for stage, at in (("upcoming", s.due - 15 * MINUTE), ("due", s.due), ("overdue", overdue_at)):
        if s.created < at < end and rng.random() < 0.4:
            data: dict[str, Any] = {"stage": stage, "due_at": iso(s.due)}
            if stage == "overdue":
                data["day"] = local(at).date().isoformat()
            s.events.append((at, "reminded", data))


# -- writing both formats -----------------------------------------------------------------------


def pk_record(s: Story, now: int, first_event_id: int) -> dict[str, Any]:
    """The promise as `pk export` writes it: `pk list --json`'s keys plus its `events`."""
    attempts = sum(1 for _, kind, _ in s.events if kind == "attempted")
    return {
        "id": s.number, "uuid": s.uuid, "what": s.what, "who": s.who, "contact": s.contact, "via": s.via,
        "ref": s.ref, "tags": s.tags, "owner": OWNER, "state": s.state,
        "overdue": s.state == "open" and s.due < now, "due_at": iso(s.due),
        "due_local": local(s.due).isoformat(), "due_tz": None, "original_due_at": iso(s.original_due),
        "created_at": iso(s.created), "closed_at": iso(s.closed) if s.closed else None, "attempts": attempts,
        "events": [
            {"id": first_event_id + index, "promise": s.number, "at": iso(at), "kind": kind, "data": data,
             "undoes": None, "undone": False}
            for index, (at, kind, data) in enumerate(s.events)
        ],
    }


def task_record(s: Story) -> dict[str, Any]:
    """The promise as one Taskwarrior task."""
    status = {"open": "pending", "kept": "completed", "released": "deleted"}[s.state]
    task: dict[str, Any] = {
        "uuid": s.uuid, "description": f"{s.what} — {s.who}", "status": status,
        "entry": task_time(s.created), "modified": task_time(s.events[-1][0]), "due": task_time(s.due),
    }
    if s.closed:
        task["end"] = task_time(s.closed)
    if s.ref:
        task["project"] = s.ref
    if s.tags:
        task["tags"] = s.tags
    annotations = [{"entry": task_time(at), "description": _annotation(kind, data)}
                   for at, kind, data in s.events if kind in ("noted", "attempted", "rescheduled")]
    if annotations:
        task["annotations"] = annotations
    return task


def _annotation(kind: str, data: dict[str, Any]) -> str:
    if kind == "noted":
        return str(data["text"])
    if kind == "attempted":
        return "Callback attempt" + (f": {data['note']}" if data.get("note") else "")
    return f"Moved: {data['reason']}"


def generate(count: int, directory: Path, *, seed: int, anchor: datetime) -> Summary:
    """Write DIR/promises.json and DIR/tasks.json, a batch of records at a time."""
    directory.mkdir(parents=True, exist_ok=True)
    summary, now = Summary(), int(anchor.timestamp())
    with open(directory / "promises.json", "w", encoding="utf-8") as pk_file, \
            open(directory / "tasks.json", "w", encoding="utf-8") as task_file:
        pk_file.write('{"format": "promisekeeper", "version": 1, "promises": [\n')
        task_file.write("[\n")
        for batch in _batches(stories(count, seed=seed, anchor=anchor)):
            pk_records = []
            for s in batch:
                pk_records.append(pk_record(s, now, summary.events + 1))
                _count(summary, s, now)
            separator = ",\n" if batch[0].number > 1 else ""
            # One dumps call per batch (its brackets cut off): the C encoder at full speed.
            pk_file.write(separator + json.dumps(pk_records, ensure_ascii=False)[1:-1])
            task_file.write(separator + json.dumps([task_record(s) for s in batch], ensure_ascii=False)[1:-1])
        pk_file.write("\n]}\n")
        task_file.write("\n]\n")
    return summary


def _batches(items: Iterator[Story]) -> Iterator[list[Story]]:
    while batch := list(islice(items, BATCH)):
        yield batch


def _count(summary: Summary, s: Story, now: int) -> None:
    summary.promises += 1
    summary.events += len(s.events)
    if s.state == "open":
        summary.open += 1
        summary.overdue += s.due < now
    elif s.state == "kept":
        summary.kept += 1
    else:
        summary.released += 1
    if s.state == "open" and len(s.events) > summary.most_events:
        summary.most_events, summary.show_number, summary.show_uuid = len(s.events), s.number, s.uuid


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, help="how many promises")
    parser.add_argument("directory", type=Path)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--anchor", type=datetime.fromisoformat, help="'now' for the data, ISO 8601 with an offset "
                        "(default: the current minute)")
    options = parser.parse_args(argv)
    anchor = options.anchor or datetime.now(UTC).replace(second=0, microsecond=0)
    if anchor.utcoffset() is None:
        parser.error("--anchor needs a UTC offset, e.g. 2026-11-23T09:30:00+01:00")
    summary = generate(options.count, options.directory, seed=options.seed, anchor=anchor)
    print(f"{summary.promises:,} promises ({summary.open:,} open, {summary.overdue:,} overdue), "
          f"{summary.events:,} events, anchored at {anchor.isoformat()}, in {options.directory}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
