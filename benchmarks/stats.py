"""Time `pk stats` over 100,000 promises with realistic histories.

Usage: python benchmarks/stats.py [--promises N] [--runs R] [--keep DIR]

The schema is made by the real program (`pk db init` on a fresh file); the promises and
their journals are then bulk-inserted with sqlite3, shaped like the ledger writes them: two
years of promises; most kept, some late; about one in ten moved, a quarter of those after
the deadline; some released, some still open and broken; callback attempts, notes,
reminders and a few undone changes. Each command runs as a subprocess several times (after
one unmeasured warm-up) and the median is reported, next to two start-up baselines measured
in the same run:

- `pk --version`: the interpreter and the CLI framework, nothing else;
- `pk stats` on an empty database with the same schema: the whole command (imports of
  SQLAlchemy, SQLModel and Rich, opening the database, rendering) except the work that
  grows with the data. This is the fair "program's own start-up" for the target: under
  0.5 s beyond it at 100,000 promises.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from promisekeeper.db.keys import promise_keys

NOW = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)
YEARS_OF_HISTORY = 2
TARGET_S = 0.5
COMMANDS = (
    ("pk stats", ["stats"]),
    ("pk stats --by week", ["stats", "--by", "week"]),
    ("pk stats --by who", ["stats", "--by", "who"]),
    ("pk stats --by tag", ["stats", "--by", "tag"]),
    ("pk stats --json", ["stats", "--json"]),
)
VIAS = ("phone", "email", "chat", "desk")
TAGS = ("vpn", "billing", "printer", "email", "hardware", "access", "network", "onboarding",
        "licence", "backup", "security", "mobile", "wifi", "vip", "urgent")
OWNERS = tuple(f"tech{n:02d}" for n in range(1, 11))
STAGES = ("soon", "due", "overdue")


# -- generating histories -------------------------------------------------------------------


@dataclass
class Story:
    """One promise and the events of its life, before ids are given."""

    created: datetime
    due: datetime
    original_due: datetime
    who: str
    via: str
    tags: list[str]
    owner: str
    state: str = "open"
    closed: datetime | None = None
    events: list[tuple[datetime, str, dict, int | None]] = field(default_factory=list)  # at, kind, data, undoes (local index)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _stamp(moment: datetime | None) -> int | None:
    """A moment as pk stores it: epoch seconds."""
    return int(moment.timestamp()) if moment else None


def _working_moment(rng: random.Random) -> datetime:
    day = NOW - timedelta(days=rng.uniform(0, 365 * YEARS_OF_HISTORY))
    return day.replace(hour=rng.randint(7, 16), minute=rng.randint(0, 59), second=0, microsecond=0)


def story(rng: random.Random, number: int) -> Story:
    created = _working_moment(rng)
    due = created + timedelta(minutes=rng.choice((60, 120, 240, 360, 1440, 2880, 4320)))
    tags = rng.sample(TAGS, k=rng.choice((0, 0, 1, 1, 1, 2)))
    s = Story(created, due, due, f"Customer {rng.randint(1, 2000)}", rng.choice(VIAS), tags, rng.choice(OWNERS))
    s.events.append((created, "created", {
        "what": f"Promise {number}", "who": s.who, "contact": None, "via": s.via, "ref": None,
        "tags": tags, "owner": s.owner, "due_at": _iso(due), "due_tz": None,
    }, None))
    _maybe_move(rng, s)
    _close(rng, s)
    _extras(rng, s)
    s.events.sort(key=lambda event: event[0])
    return s


def _maybe_move(rng: random.Random, s: Story) -> None:
    if rng.random() >= 0.10:
        return
    after = rng.random() < 0.25
    if after:
        at = s.due + timedelta(minutes=rng.randint(5, 1440))
    else:
        at = s.created + (s.due - s.created) * rng.uniform(0.2, 0.95)
    if at >= NOW:
        return
    new_due = at + timedelta(minutes=rng.choice((120, 1440, 2880)))
    s.events.append((at, "rescheduled", {
        "from": _iso(s.due), "to": _iso(new_due), "from_tz": None, "to_tz": None,
        "reason": "waiting on vendor", "after_deadline": after,
    }, None))
    s.due = new_due


def _close(rng: random.Random, s: Story) -> None:
    roll = rng.random()
    last_change = max(event[0] for event in s.events)
    if roll < 0.80:
        if rng.random() < 0.85:
            closed = last_change + (s.due - last_change) * rng.uniform(0.1, 1.0)
        else:
            closed = s.due + timedelta(minutes=max(1, int(rng.lognormvariate(3.8, 1.0))))
        closed = closed.replace(microsecond=0)
        if closed <= NOW:
            late = closed > s.due
            data: dict[str, object] = {"due_at": _iso(s.due), "late": late}
            if late:
                data["late_by_s"] = int((closed - s.due).total_seconds())
            s.events.append((closed, "kept", data, None))
            s.state, s.closed = "kept", closed
    elif roll < 0.85:
        after = rng.random() < 0.2
        closed = (s.due + timedelta(hours=rng.randint(1, 48)) if after
                  else last_change + (s.due - last_change) * rng.uniform(0.1, 0.9)).replace(microsecond=0)
        if closed <= NOW:
            s.events.append((closed, "released", {"reason": "customer solved it", "after_deadline": closed > s.due}, None))
            s.state, s.closed = "released", closed
    # otherwise still open: broken once its deadline has passed


def _extras(rng: random.Random, s: Story) -> None:
    end = min(s.closed or NOW, NOW)
    span = max((end - s.created).total_seconds(), 60)

    def sometime() -> datetime:
        return s.created + timedelta(seconds=rng.uniform(1, span))

    if rng.random() < 0.20:
        for _ in range(rng.randint(1, 3)):
            s.events.append((sometime(), "attempted", rng.choice(({}, {"note": "voicemail"})), None))
    if rng.random() < 0.10:
        s.events.append((sometime(), "noted", {"text": "customer called back"}, None))
    if rng.random() < 0.35:
        for stage in rng.sample(STAGES, k=rng.randint(1, 2)):
            s.events.append((sometime(), "reminded", {"stage": stage}, None))
    if rng.random() < 0.01:  # a note taken back at once
        at = sometime()
        s.events.append((at, "noted", {"text": "wrong promise"}, None))
        s.events.append((at + timedelta(seconds=30), "undone", {"kind": "noted", "restored": {}}, len(s.events) - 1))


# -- writing --------------------------------------------------------------------------------


def write(path: str, count: int, seed: int) -> tuple[int, int]:
    """Bulk-insert `count` promises and their events; returns (promises, events)."""
    rng = random.Random(seed)
    stories = sorted((story(rng, n) for n in range(count)), key=lambda s: s.created)
    promise_rows = []
    timeline = []  # (at, promise id, kind, data, undoes as (promise id, local index))
    for pid, s in enumerate(stories, start=1):
        keys = promise_keys(what=f"Promise {pid}", who=s.who, contact=None, via=s.via, ref=None, tags=s.tags)
        promise_rows.append((pid, str(uuid.UUID(int=rng.getrandbits(128), version=4)), f"Promise {pid}", s.who, None,
                             s.via, None, " ".join(s.tags), s.owner, _stamp(s.created), _stamp(s.due),
                             _stamp(s.original_due), None, s.state, _stamp(s.closed), keys.who, keys.ref, keys.search))
        for index, (at, kind, data, undoes) in enumerate(s.events):
            timeline.append((at, pid, index, kind, data, undoes))
    timeline.sort(key=lambda event: (event[0], event[1], event[2]))
    ids = {(pid, index): number for number, (_, pid, index, *_rest) in enumerate(timeline, start=1)}
    event_rows = [
        (ids[pid, index], pid, _stamp(at), kind, json.dumps(data),
         ids[pid, undoes] if undoes is not None else None)
        for at, pid, index, kind, data, undoes in timeline
    ]
    with sqlite3.connect(path) as conn:
        conn.executemany("INSERT INTO promise (id, uuid, what, who, contact, via, ref, tags, owner, created_at, "
                         "due_at, original_due_at, due_tz, state, closed_at, who_key, ref_key, search_key) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", promise_rows)
        conn.executemany("INSERT INTO event (id, promise_id, at, kind, data, undoes, imported) VALUES (?, ?, ?, ?, ?, ?, 0)",
                         event_rows)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return len(promise_rows), len(event_rows)


# -- timing ---------------------------------------------------------------------------------


def pk_executable() -> str:
    found = shutil.which("pk", path=os.path.dirname(sys.executable)) or shutil.which("pk")
    if not found:
        sys.exit("benchmarks/stats.py: no `pk` beside this Python or on PATH; install promisekeeper first")
    return found


def environment(root: str, db: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "PK_DEBUG")}
    env.update({
        "PROMISEKEEPER_DB": db,
        "PROMISEKEEPER_CONFIG": os.path.join(root, "config.toml"),
        "PROMISEKEEPER_STATE": os.path.join(root, "state"),
        "PROMISEKEEPER_NOW": NOW.isoformat(),
        "TZ": "Europe/Stockholm",
    })
    return env


def timed(pk: str, args: list[str], env: dict[str, str], runs: int) -> list[float]:
    """Wall-clock seconds of each run, after one warm-up run; output goes to a pipe."""
    times = []
    for attempt in range(runs + 1):
        started = time.perf_counter()
        done = subprocess.run([pk, *args], env=env, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - started
        if done.returncode != 0:
            sys.exit(f"`pk {' '.join(args)}` failed: {done.stderr.strip()}")
        if attempt:
            times.append(elapsed)
    return times


def prepare(pk: str, env: dict[str, str]) -> None:
    """Let the real program make the schema (and apply every migration)."""
    done = subprocess.run([pk, "db", "init"], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"`pk db init` failed: {done.stderr.strip()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--promises", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", metavar="DIR", help="build the databases in DIR and leave them there")
    options = parser.parse_args(argv)
    pk = pk_executable()
    root = options.keep or tempfile.mkdtemp(prefix="pk-bench-")
    os.makedirs(root, exist_ok=True)
    try:
        return run(pk, root, options)
    finally:
        if not options.keep:
            shutil.rmtree(root, ignore_errors=True)


def run(pk: str, root: str, options: argparse.Namespace) -> int:
    empty_db, full_db = os.path.join(root, "empty.db"), os.path.join(root, "full.db")
    for path in (empty_db, full_db):
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
    empty_env, full_env = environment(root, empty_db), environment(root, full_db)
    prepare(pk, empty_env)
    prepare(pk, full_env)
    started = time.perf_counter()
    promises, events = write(full_db, options.promises, options.seed)
    generated = time.perf_counter() - started
    size = os.path.getsize(full_db) / 2**20
    print(f"{promises:,} promises, {events:,} events, {size:.0f} MiB; generated in {generated:.1f} s")
    print(f"{options.runs} timed runs each after a warm-up; median (min–max) wall-clock seconds\n")

    version = timed(pk, ["--version"], empty_env, options.runs)
    startup = timed(pk, ["stats"], empty_env, options.runs)
    rows: list[tuple[str, list[float], float | None]] = [
        ("pk --version (interpreter + CLI)", version, None),
        ("pk stats, empty database (start-up)", startup, None),
    ]
    for label, args in COMMANDS:
        rows.append((label, timed(pk, args, full_env, options.runs), statistics.median(startup)))
    report(rows, statistics.median(version))
    worst = max(statistics.median(times) - (base or 0.0) for _, times, base in rows if base is not None)
    verdict = "meets" if worst < TARGET_S else "MISSES"
    print(f"\nWorst beyond start-up: {worst:.3f} s — {verdict} the {TARGET_S} s target.")
    return 0 if worst < TARGET_S else 1


def report(rows: list[tuple[str, list[float], float | None]], version: float) -> None:
    print(f"{'command':<38} {'median':>7} {'min–max':>13} {'beyond start-up':>16} {'beyond --version':>17}")
    for label, times, base in rows:
        median = statistics.median(times)
        spread = f"{min(times):.3f}–{max(times):.3f}"
        beyond = f"{median - base:+.3f}" if base is not None else ""
        beyond_version = f"{median - version:+.3f}" if base is not None else ""
        print(f"{label:<38} {median:7.3f} {spread:>13} {beyond:>16} {beyond_version:>17}")


if __name__ == "__main__":
    sys.exit(main())
