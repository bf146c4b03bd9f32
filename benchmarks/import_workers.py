"""`pk import` in worker processes against one process, on the same file, taking turns.

Usage: python benchmarks/import_workers.py FILE [--runs N] [--workers N] [--pk PATH]

FILE is a `pk export` (e.g. the one benchmarks/side_by_side.py --keep DIR writes, or
DIR/100000/data/promises.json). Each run imports it into an empty database: one process
(PROMISEKEEPER_IMPORT_WORKERS=1), then the workers (the default count, or --workers N),
and so on by turns, so a change in the machine's load falls on both alike. For each it
prints the median wall time, the CPU time of the whole process tree (user + system, from
wait4: the workers are reaped by pk, so their time is counted), the peak resident memory
of the biggest process (ru_maxrss) and of all of them together (the sum of their
proportional set sizes, sampled every 20 ms: pages the workers share with pk after the
fork are counted once), and the load average before and after.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

WORKERS_VAR = "PROMISEKEEPER_IMPORT_WORKERS"


@dataclass
class Runs:
    label: str
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    biggest: list[int] = field(default_factory=list)
    together: list[int] = field(default_factory=list)


def _tree(pid: int) -> list[int]:
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        try:
            with open(f"/proc/{current}/task/{current}/children") as listed:
                pending.extend(int(child) for child in listed.read().split())
        except OSError:
            pass
    return found


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def run(pk: str, source: Path, env: dict[str, str], database: Path) -> tuple[float, float, int, int]:
    """Wall seconds, CPU seconds of the tree, biggest process's peak bytes, peak bytes together."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    peak = [0]
    started = time.perf_counter()
    process = subprocess.Popen([pk, "import", str(source)], env=env, stdout=subprocess.DEVNULL)
    finished = threading.Event()

    def sample() -> None:
        while not finished.wait(0.02):
            peak[0] = max(peak[0], sum(_pss(pid) for pid in _tree(process.pid)))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    finished.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"pk import exited with {process.returncode}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, peak[0]


def load() -> str:
    return "load average " + " ".join(f"{figure:.2f}" for figure in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path, help="a pk export")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each (default 3), after a warm-up")
    parser.add_argument("--workers", type=int, default=0, help="the workers' count (default: pk's own choice)")
    parser.add_argument("--pk", default=shutil.which("pk", path=os.path.dirname(sys.executable)) or "pk")
    options = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="pk-import-workers-"))
    base = dict(os.environ, PROMISEKEEPER_DB=str(folder / "promises.db"),
                PROMISEKEEPER_CONFIG=str(folder / "config.toml"), PROMISEKEEPER_STATE=str(folder / "state"),
                PROMISEKEEPER_NOW="2026-12-08T09:00:00+00:00")
    base.pop(WORKERS_VAR, None)
    spread = dict(base, **({WORKERS_VAR: str(options.workers)} if options.workers else {}))
    kinds = [(Runs("one process"), dict(base, **{WORKERS_VAR: "1"})),
             (Runs(f"workers ({options.workers or 'default'})"), spread)]
    print(f"{options.file} ({options.file.stat().st_size / 1e6:.1f} MB), {len(os.sched_getaffinity(0))} usable cores;"
          f" before: {load()}")
    try:
        for attempt in range(options.runs + 1):
            for runs, env in kinds:
                wall, cpu, biggest, together = run(options.pk, options.file, env, folder / "promises.db")
                if attempt:  # the first round warms the caches
                    runs.wall.append(wall), runs.cpu.append(cpu)
                    runs.biggest.append(biggest), runs.together.append(together)
                print(f"  {'run ' + str(attempt) if attempt else 'warm-up'}: {runs.label}: {wall:.2f} s wall,"
                      f" {cpu:.2f} s CPU ({load()})", file=sys.stderr)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"after: {load()}")
    one = kinds[0][0]
    for runs, _env in kinds:
        print(f"{runs.label:>22}: wall {statistics.median(runs.wall):6.2f} s ({min(runs.wall):.2f}–{max(runs.wall):.2f})"
              f"  CPU {statistics.median(runs.cpu):6.2f} s  peak {max(runs.biggest) / 2**20:5.0f} MB biggest,"
              f" {max(runs.together) / 2**20:5.0f} MB together"
              f"  ({statistics.median(runs.wall) / statistics.median(one.wall):.2f}× one process's wall,"
              f" {statistics.median(runs.cpu) / statistics.median(one.cpu):.2f}× its CPU)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
