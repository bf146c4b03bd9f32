"""How long `pk prompt` takes on PostgreSQL while another session holds a lock on its table.

Usage: python benchmarks/prompt_locked.py POSTGRES_URL [--runs N]

POSTGRES_URL names a database the benchmark may fill (its `public` schema is dropped and made
again), e.g. the test suite's: `postgresql://pk@/pk_test?host=/tmp/pk-test-pg-…`. With the
installed `pk`, it adds a promise, lets the prompt write its schedule, then moves the clock
past `prompt.refresh` before each prompt, so every one asks the server again, and times N prompts:

- baseline: nobody holds a lock;
- locked: another session holds `LOCK TABLE promise IN ACCESS EXCLUSIVE MODE` (as an
  `ALTER TABLE` or a stuck migration would). The prompt's budget is 3 s: it gives up after
  its second for statements and shows the segment it last read.

Figures are wall-clock seconds on this machine (each run starts Python), with the load
average beside them: compare the two rows, not the absolute numbers, on a loaded machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

NOW = "2026-11-23T09:30:00+01:00"
START = 1795422600  # NOW as epoch seconds
STEP_S = 600  # each timed prompt comes past the last one's prompt.refresh (5 minutes)


def pk(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    executable = shutil.which("pk") or sys.exit("the pk console script is not on PATH")
    return subprocess.run([executable, *args], env=env, capture_output=True, text=True, check=False)


def timed(env: dict[str, str], runs: int, first: int) -> tuple[list[float], set[str]]:
    spent, shown = [], set()
    for run in range(runs):
        started = time.perf_counter()
        done = pk({**env, "PROMISEKEEPER_NOW": f"@{START + (first + run) * STEP_S}"}, "prompt")
        spent.append(time.perf_counter() - started)
        shown.add(done.stdout.strip())
    return spent, shown


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    import psycopg

    conninfo = "postgresql://" + options.url.partition("://")[2]
    admin = psycopg.connect(conninfo, autocommit=True)
    admin.execute("DROP SCHEMA IF EXISTS public CASCADE")
    admin.execute("CREATE SCHEMA public")
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "PROMISEKEEPER_DB": options.url, "PROMISEKEEPER_STATE": folder,
               "PROMISEKEEPER_CONFIG": os.path.join(folder, "config.toml"), "PROMISEKEEPER_NOW": NOW}
        pk(env, "add", "Call back", "--due", "3pm")
        pk(env, "prompt")
        baseline, _ = timed(env, options.runs, 1)
        with admin.transaction():
            admin.execute("LOCK TABLE promise IN ACCESS EXCLUSIVE MODE")
            locked, shown = timed(env, options.runs, 1 + options.runs)
    admin.close()
    load = os.getloadavg()[0]
    print(f"load average {load:.2f}; {options.runs} runs each, seconds (median, max)")
    print(f"baseline  {statistics.median(baseline):.2f}  {max(baseline):.2f}")
    print(f"locked    {statistics.median(locked):.2f}  {max(locked):.2f}   shown: {sorted(shown)}")
    print(f"ratio     {statistics.median(locked) / statistics.median(baseline):.1f}x (budget: 3 s)")


if __name__ == "__main__":
    main()
