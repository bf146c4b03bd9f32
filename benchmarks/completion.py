"""Time a shell completion (`pk __complete`, what each TAB runs) at 1,000 and 100,000 promises.

Usage: python benchmarks/completion.py [--sizes 1000,100000] [--runs N] [--pk PATH]

For each size the schema is made by the real program (`pk db init` on a fresh file) and filled
with sqlite3 as the ledger writes it: promises with their folded keys and tag rows, 1% still
open, names from a pool of 2,000 (accented ones too), tickets, channels and owners, and a
`created` event each. Each completion then runs as a fresh process, as a TAB does, several
times after warm-ups; the median and the 90th percentile of the wall time, and the median
CPU time, are printed beside the floor measured in the same run: `python -c "import sqlite3"`
with the interpreter in pk's shebang. Target: every completion under 50 ms at 100,000
promises. On a machine busy with other work the wall times swell with the floor; compare
the ratio to the floor, and the CPU times.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from promisekeeper.db.keys import promise_keys

NOW = 1795420800  # Mon 23 Nov 2026 09:00 UTC
TARGET_MS = 50.0
FIRST = ("Eva", "Éva", "Åsa", "Zoë", "Bo", "Anna", "Örjan", "Marco", "Giulia", "Ádám", "Liam", "Ines")
LAST = ("Spacek", "Lund", "Berg", "Holm", "Rossi", "Nagy", "Szabó", "Ek", "Moreau", "Sjö")
TAGS = ("vpn", "billing", "printer", "email", "hardware", "access", "network", "vip", "urgent")
VIAS = ("phone", "email", "chat", "desk")
CASES = (
    ("commands", ["1", "pk", ""]),
    ("options", ["2", "pk", "add", "--"]),
    ("open ids", ["2", "pk", "done", ""]),
    ("ids starting 12", ["2", "pk", "show", "12"]),
    ("names", ["4", "pk", "add", "x", "--to", ""]),
    ("names É", ["4", "pk", "add", "x", "--to", "é"]),
    ("tags", ["4", "pk", "add", "x", "--tag", ""]),
    ("tickets", ["4", "pk", "add", "x", "--ref", "INC-1"]),
    ("values --by", ["3", "pk", "stats", "--by", ""]),
)


def find_pk(given: str | None) -> Path:
    candidates = [Path(given)] if given else [Path(sys.executable).parent / "pk"]
    found = next((c for c in candidates if c.exists()), None) or (shutil.which("pk") and Path(shutil.which("pk")))
    if not found:
        sys.exit("benchmarks/completion.py: no pk found; install promisekeeper or pass --pk PATH")
    return Path(found).resolve()


def shebang_python(script: Path) -> str:
    first = script.read_text(encoding="utf-8", errors="replace").splitlines()[0]
    return first[2:].strip().split()[0] if first.startswith("#!") else sys.executable


def build(pk: Path, env: dict[str, str], count: int) -> None:
    """The real schema, then `count` promises as the ledger stores them."""
    subprocess.run([str(pk), "db", "init"], env=env, check=True, capture_output=True)
    rng = random.Random(count)
    names = [f"{rng.choice(FIRST)} {rng.choice(LAST)}{n}" for n in range(2000)]
    promises, tags, events = [], [], []
    for ident in range(1, count + 1):
        is_open = ident > count - max(10, count // 100)
        due = NOW + rng.randint(-2, 28) * 86400 if is_open else NOW - rng.randint(1, 700) * 86400
        who, ref = rng.choice(names), f"INC-{rng.randint(1000, 99999)}"
        via, chosen = rng.choice(VIAS), rng.sample(TAGS, rng.randint(0, 2))
        keys = promise_keys(what="Send the VPN config", who=who, contact=None, via=via, ref=ref, tags=chosen)
        promises.append((ident, str(uuid.UUID(int=rng.getrandbits(128))), "Send the VPN config", who, via, ref,
                         " ".join(chosen), f"tech{ident % 10}", due - 86400, due, due,
                         "open" if is_open else "kept", None if is_open else due, keys.who, keys.ref,
                         keys.search))
        tags += [(tag, ident) for tag in chosen]
        events.append((ident, due - 86400, "created", "{}"))
    connection = sqlite3.connect(env["PROMISEKEEPER_DB"])
    with connection:
        connection.executemany(
            "INSERT INTO promise (id, uuid, what, who, via, ref, tags, owner, created_at, due_at,"
            " original_due_at, state, closed_at, who_key, ref_key, search_key)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", promises)
        connection.executemany("INSERT INTO promise_tag (tag, promise_id) VALUES (?, ?)", tags)
        connection.executemany("INSERT INTO event (promise_id, at, kind, data, imported) VALUES (?, ?, ?, ?, 0)", events)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()


def timed(command: list[str], env: dict[str, str], runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU (user + system) times in ms of `command` as a fresh process, after three
    warm-ups. On a busy machine the CPU time is the steadier figure."""
    walls, cpus = [], []
    for index in range(runs + 3):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter_ns()
        subprocess.run(command, env=env, stdout=subprocess.DEVNULL, check=True)
        wall = (time.perf_counter_ns() - start) / 1e6
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if index >= 3:
            walls.append(wall)
            cpus.append((after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000)
    return walls, cpus


def line(label: str, measured: tuple[list[float], list[float]], floor: float) -> str:
    walls, cpus = measured
    ordered = sorted(walls)
    p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
    median = statistics.median(walls)
    mark = "" if label.startswith("python") else ("  ok" if p90 < TARGET_MS else "  over 50 ms")
    return (f"  {label:<22} wall median {median:6.1f} ms  p90 {p90:6.1f} ms  {median / floor:4.2f}x floor"
            f"  cpu median {statistics.median(cpus):6.1f} ms{mark}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--pk")
    options = parser.parse_args()
    pk = find_pk(options.pk)
    python = shebang_python(pk)
    for count in (int(size) for size in options.sizes.split(",")):
        with tempfile.TemporaryDirectory() as work:
            env = dict(os.environ, PROMISEKEEPER_DB=f"{work}/promises.db", PROMISEKEEPER_CONFIG=f"{work}/c.toml",
                       PROMISEKEEPER_STATE=f"{work}/state", HOME=work, LC_ALL="C.UTF-8")
            env.pop("PK_DEBUG", None)
            build(pk, env, count)
            floor_times = timed([python, "-c", "import sqlite3"], env, options.runs)
            floor = statistics.median(floor_times[0])
            print(f"{count:,} promises")
            print(line('python -c "import sqlite3"', floor_times, floor))
            for label, args in CASES:
                print(line(label, timed([str(pk), "__complete", *args], env, options.runs), floor))


if __name__ == "__main__":
    main()
