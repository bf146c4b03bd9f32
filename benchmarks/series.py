#!/usr/bin/env python3
"""Series of check-ins: what a series costs the commands that meet it.

Usage: python benchmarks/series.py [--pk PATH] [--size 100000] [--series 1000] [--runs 7]

Builds two databases of `--size` promises in the real schema (made by `pk db`, then filled
with sqlite3 directly: years of kept and released promises, 1% open around now). In the
second, `--series` of the open ones are the open check-ins of live series (each with a few
kept check-ins behind it); the first has the same promises and no series. Then, each command
as a fresh process, the two sides taking turns run by run:

  pk done      on an open check-in (keeps it and opens the next) against `pk done` on a
               single open promise, both in the database with series (target: <= 1.2x)
  pk           the agenda with series against the same without (its target: unchanged)
  pk prompt    with no schedule (reads the database, writes the schedule) with series
               against without (the prompt schedule's target: unchanged)

Prints medians in milliseconds and the ratios; on a loaded machine quote the ratios.
"""

from __future__ import annotations

import argparse
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
from pathlib import Path

NOW = 1795419000  # Mon 23 Nov 2026 08:30 UTC (09:30 in Stockholm)
NOW_ISO = "2026-11-23T09:30:00+01:00"
DAY = 86400


def find_pk(given: str | None) -> str:
    if given:
        return given
    beside = Path(sys.executable).parent / "pk"
    found = str(beside) if beside.exists() else shutil.which("pk")
    if not found:
        sys.exit("benchmarks/series.py: no pk found; install promisekeeper or pass --pk PATH")
    return found


def environment(folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PROMISEKEEPER_")}
    env.update(PROMISEKEEPER_DB=str(folder / "promises.db"), PROMISEKEEPER_CONFIG=str(folder / "config.toml"),
               PROMISEKEEPER_STATE=str(folder / "state"), PROMISEKEEPER_NOW=NOW_ISO, HOME=str(folder),
               TZ="Europe/Stockholm", LC_ALL="C.UTF-8")
    return env


def build(pk: str, folder: Path, size: int, series: int, open_count: int) -> list[int]:
    """A database of `size` promises, `open_count` of them open; with `series`, that many of
    the open ones are live check-ins. Returns the open single promises' ids."""
    folder.mkdir(parents=True)
    env = environment(folder)
    subprocess.run([pk, "db", "init"], env=env, check=True, capture_output=True)
    rng = random.Random(size)
    rows = []
    for index in range(size):
        if index < open_count:
            due, state, closed = NOW + int(rng.uniform(0.1, 28) * DAY), "open", None
        else:
            due = NOW - int(rng.uniform(1, 3 * 365) * DAY)
            state = "kept" if rng.random() < 0.9 else "released"
            closed = due + int(rng.uniform(-2, 6) * 3600)
        rows.append((index + 1, str(uuid.UUID(int=rng.getrandbits(128))), "Send the VPN config", "Eva Spacek",
                     due - DAY, due, due, state, closed))
    with sqlite3.connect(folder / "promises.db") as connection:
        connection.executemany(
            "INSERT INTO promise (id, uuid, what, who, tags, created_at, due_at, original_due_at, state, closed_at,"
            " who_key, ref_key, search_key) VALUES (?, ?, ?, ?, '', ?, ?, ?, ?, ?, 'eva spacek', '', '')", rows)
        connection.executemany(
            "INSERT INTO event (promise_id, at, kind, data, imported, team) VALUES (?, ?, 'created', '{}', 1, 0)",
            [(row[0], row[4]) for row in rows])
        for number in range(series):
            _series(connection, number, open_id=number + 1, size=size + number * 4)
    return list(range(series + 1, open_count + 1))


def _series(connection: sqlite3.Connection, number: int, *, open_id: int, size: int) -> None:
    """A live series: 'weekday 10:00', three kept check-ins behind its open one."""
    start = NOW - 3 * DAY + 1800
    connection.execute(
        "INSERT INTO series (id, uuid, rule, zone, start_at, first_slot, after_done, created_at)"
        " VALUES (?, ?, 'weekday 10:00', 'Europe/Stockholm', ?, 0, 0, ?)",
        (number + 1, str(uuid.UUID(int=number + 1)), start, start - DAY))
    for slot in range(3):
        at = start + slot * DAY
        connection.execute(
            "INSERT INTO promise (id, uuid, what, tags, created_at, due_at, original_due_at, state, closed_at,"
            " who_key, ref_key, search_key, series_id, series_slot)"
            " VALUES (?, ?, 'Update on the outage', '', ?, ?, ?, 'kept', ?, '', '', '', ?, ?)",
            (10_000_000 + size + slot, str(uuid.uuid4()), at - DAY, at, at, at - 600, number + 1, slot))
    due = connection.execute("SELECT due_at FROM promise WHERE id = ?", (open_id,)).fetchone()[0]
    # The open check-in falls on its slot: the next weekday at 10:00 after the last kept one.
    slot_due = max(due, NOW + 1800)
    connection.execute("UPDATE promise SET series_id = ?, series_slot = 3, due_at = ?, original_due_at = ?"
                       " WHERE id = ?", (number + 1, slot_due, slot_due, open_id))


def timed(command: list[str], env: dict[str, str], before: list[str] | None = None) -> float:
    if before:
        subprocess.run(before, env=env, check=True, capture_output=True)
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    elapsed = (time.perf_counter() - start) * 1000
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed: {done.stderr.strip()}")
    return elapsed


def compare(name: str, runs: int, ours: callable, theirs: callable, target: str) -> None:  # type: ignore[valid-type]
    mine, base = [], []
    ours(), theirs()  # warm-up: byte-code and the page cache
    for _run in range(runs):
        mine.append(ours())
        base.append(theirs())
    a, b = statistics.median(mine), statistics.median(base)
    print(f"{name:<44} {a:8.1f} ms  {b:8.1f} ms  {a / b:5.2f}x   target {target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pk")
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--series", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    pk = find_pk(args.pk)
    work = Path(tempfile.mkdtemp(prefix="pk-series-"))
    try:
        print(f"building {args.size:,} promises twice, {args.series:,} live series in one…", flush=True)
        open_count = args.size // 100 + args.series  # 1% open, besides the check-ins
        singles = build(pk, work / "with", args.size, args.series, open_count)
        build(pk, work / "without", args.size, 0, open_count)
        with_env, without_env = environment(work / "with"), environment(work / "without")
        print(f"load average {os.getloadavg()[0]:.2f}; medians of {args.runs} runs, fresh processes\n")
        print(f"{'':<44} {'series':>11}  {'baseline':>11}  ratio")
        check_ins = iter(range(1, args.series + 1))
        single = iter(singles)
        compare("pk done: a check-in / a single promise", args.runs,
                lambda: timed([pk, "done", str(next(check_ins))], with_env),
                lambda: timed([pk, "done", str(next(single))], with_env), "<= 1.2x")
        compare("pk (agenda): with series / without", args.runs,
                lambda: timed([pk], with_env), lambda: timed([pk], without_env), "unchanged (~1.0x)")
        schedule = ("import os; from promisekeeper.shell import schedule_file as f;"
                    " p = f.Place().schedule_file; os.path.exists(p) and os.remove(p)")
        python = str(Path(pk).resolve().parent / "python")
        compare("pk prompt, no schedule: with series / without", args.runs,
                lambda: timed([pk, "prompt"], with_env, [python, "-c", schedule]),
                lambda: timed([pk, "prompt"], without_env, [python, "-c", schedule]), "unchanged (~1.0x)")
        print(f"\nload average {os.getloadavg()[0]:.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
