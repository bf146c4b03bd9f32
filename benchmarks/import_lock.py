"""How long `pk import` holds the write lock, and what the damage check costs.

Usage: python benchmarks/import_lock.py [--promises N] [--keep DIR]

A JSON file of N promises (default 100,000, as `pk export` writes them, without journals)
is imported into a fresh database by the installed `pk`, while this script tries to take
the write lock every 5 ms (`BEGIN IMMEDIATE` with no wait): the longest stretch it cannot
is the longest any other writer (`pk add`, the cron reminder) would wait. Then, on the
imported database:

- SQLite's quick check, which a write runs when the files changed since pk's last commit;
- what every write pays to know whether it must (stat the files, read the remembered
  identity) and to remember them after its commit.

Figures are wall-clock seconds on this machine, with its load average printed beside them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid

NOW = "2026-11-23T09:30:00+01:00"


def write_file(path: str, count: int) -> None:
    promises = []
    for n in range(count):
        kept = n % 3 == 0
        promises.append({
            "uuid": str(uuid.uuid4()), "what": f"Send the VPN config, case {n}", "who": f"Customer {n % 997}",
            "contact": f"+46 70 {n:07d}", "via": "phone", "ref": f"INC-{n}", "tags": ["vpn", "billing"],
            "owner": "tech01", "state": "kept" if kept else "open",
            "due_at": f"2026-{1 + n % 11:02d}-{1 + n % 28:02d}T10:00:00+00:00",
            "created_at": "2025-12-01T09:00:00+00:00",
            "closed_at": "2026-01-02T10:00:00+00:00" if kept else None,
        })
    with open(path, "w", encoding="utf-8") as handle:
        json.dump({"format": "promisekeeper", "version": 1, "promises": promises}, handle)


class LockWatch(threading.Thread):
    """Tries the write lock every 5 ms; keeps the longest stretch it could not have it."""

    def __init__(self, db: str) -> None:
        super().__init__(daemon=True)
        self.db, self.longest, self.running = db, 0.0, True

    def run(self) -> None:
        blocked_since = None
        while self.running:
            connection = sqlite3.connect(self.db, timeout=0, isolation_level=None)
            try:
                connection.execute("BEGIN IMMEDIATE")
                connection.execute("ROLLBACK")
                if blocked_since is not None:
                    self.longest = max(self.longest, time.monotonic() - blocked_since)
                    blocked_since = None
            except sqlite3.OperationalError:
                blocked_since = blocked_since or time.monotonic()
            finally:
                connection.close()
            time.sleep(0.005)


def pk(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    executable = shutil.which("pk", path=os.path.dirname(sys.executable)) or "pk"
    return subprocess.run([executable, *args], env=env, capture_output=True, text=True, check=True)


def per_call(action, runs: int = 2000) -> float:
    started = time.perf_counter()
    for _ in range(runs):
        action()
    return (time.perf_counter() - started) / runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--promises", type=int, default=100_000)
    parser.add_argument("--keep", help="work in this folder and leave it")
    options = parser.parse_args()
    folder = options.keep or tempfile.mkdtemp(prefix="pk-import-lock-")
    os.makedirs(folder, exist_ok=True)
    db, source = os.path.join(folder, "promises.db"), os.path.join(folder, "promises.json")
    env = dict(os.environ, PROMISEKEEPER_DB=db, PROMISEKEEPER_NOW=NOW,
               PROMISEKEEPER_STATE=os.path.join(folder, "state"), PROMISEKEEPER_CONFIG=os.path.join(folder, "c.toml"))
    write_file(source, options.promises)
    pk("db", "init", env=env)  # the schema, made by the program
    watch = LockWatch(db)
    watch.start()
    started = time.monotonic()
    imported = pk("import", source, env=env)
    total = time.monotonic() - started
    watch.running = False
    watch.join()
    print(f"load average {os.getloadavg()[0]:.1f}; {imported.stdout.strip()}")
    print(f"pk import, {options.promises:,} promises: {total:.1f} s in all, the write lock held at most {watch.longest:.2f} s")

    sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
    os.environ.update(env)
    from promisekeeper.db import files

    connection = sqlite3.connect(db)
    started = time.monotonic()
    assert files.quick_check(connection) == []
    print(f"quick check of {os.path.getsize(db) / 2**20:.0f} MiB: {time.monotonic() - started:.2f} s "
          "(run before a write only when the files changed since pk's last commit)")
    connection.close()
    files.remember(db, db)
    look = per_call(lambda: files.changed_since_remembered(db, db))
    note = per_call(lambda: files.remember(db, db), runs=500)
    print(f"every write: {look * 1e6:.0f} µs to see whether to check, {note * 1e6:.0f} µs to remember the files after its commit")
    if not options.keep:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
