"""How long the time language takes to read a phrase, against a stdlib baseline.

Run: python benchmarks/when_parse.py. Imports the parser once (and times that import in a
fresh interpreter), then times ~30 representative phrases many times each and prints the
median per phrase in microseconds, next to the cost of one `datetime.fromisoformat` and
one `zoneinfo` conversion measured in the same run. Target: well under 1 ms a phrase.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from promisekeeper.calendar import BusinessCalendar  # noqa: E402
from promisekeeper.when import WhenError, parse  # noqa: E402

PHRASES = [
    "now",
    "in 2h",
    "90m",
    "2h30m",
    "3d",
    "in an hour",
    "in 2 business days",
    "4bh",
    "in four business hours",
    "14:00",
    "3pm",
    "3:30pm",
    "noon",
    "eod",
    "close of business",
    "tonight",
    "tomorrow 9am",
    "9am tomorrow",
    "fri",
    "friday 3pm",
    "next fri 10:00",
    "eow",
    "eom",
    "nbd 10am",
    "2026-12-01 14:00",
    "2026-12-01T14:00+01:00",
    "1 Dec 2pm",
    "December 24 2026",
    "3pm America/New_York",
    "tomorrow 9am europe/rome",
    "2026-02-30",
]
ROUNDS = 7
CALLS = 300
TARGET_US = 1000.0


def per_call_us(action: Callable[[], object], calls: int = CALLS, rounds: int = ROUNDS) -> float:
    """The median over rounds of the mean time of one call, in microseconds."""
    samples = []
    for _ in range(rounds):
        start = time.perf_counter_ns()
        for _ in range(calls):
            action()
        samples.append((time.perf_counter_ns() - start) / calls / 1000)
    return statistics.median(samples)


def import_ms() -> float:
    """Importing promisekeeper.when in a fresh interpreter, in milliseconds."""
    code = (
        "import time; t = time.perf_counter(); import promisekeeper.when; "
        "print(time.perf_counter() - t)"
    )
    runs = [
        float(
            subprocess.run(
                [sys.executable, "-c", code],
                capture_output=True,
                text=True,
                check=True,
                cwd=Path(__file__).resolve().parent.parent,
            ).stdout
        )
        for _ in range(3)
    ]
    return min(runs) * 1000


def main() -> None:
    zone = ZoneInfo("Europe/Stockholm")
    now = datetime(2026, 11, 23, 8, 30, tzinfo=timezone.utc)
    calendar = BusinessCalendar(listed_holidays=frozenset({date(2026, 12, 25)}), country="SE")
    calendar.is_business_day(date(2026, 11, 23))  # load this year's holidays before timing

    def reader(phrase: str) -> Callable[[], object]:
        def read() -> object:
            try:
                return parse(phrase, now=now, zone=zone, calendar=calendar)
            except WhenError as error:
                return error

        return read

    iso_us = per_call_us(lambda: datetime.fromisoformat("2026-12-01T14:00:00+01:00"))
    zone_us = per_call_us(lambda: now.astimezone(zone))
    timings = [(phrase, per_call_us(reader(phrase))) for phrase in PHRASES]

    print(f"import promisekeeper.when (fresh interpreter): {import_ms():.1f} ms")
    print(f"baseline  datetime.fromisoformat: {iso_us:6.2f} µs", end="   ")
    print(f"one zoneinfo conversion: {zone_us:6.2f} µs")
    print()
    print(f"{'phrase':<30} {'median µs':>10} {'× fromisoformat':>16}")
    print("-" * 58)
    for phrase, us in timings:
        print(f"{phrase:<30} {us:>10.1f} {us / iso_us:>16.0f}")
    print("-" * 58)
    values = [us for _, us in timings]
    overall, slowest = statistics.median(values), max(values)
    verdict = "OK" if slowest < TARGET_US else "SLOW"
    print(f"{'median of phrases':<30} {overall:>10.1f} {overall / iso_us:>16.0f}")
    print(f"{'slowest phrase':<30} {slowest:>10.1f} {slowest / iso_us:>16.0f}")
    print(f"target: every phrase under {TARGET_US:.0f} µs after import — {verdict}")


if __name__ == "__main__":
    main()
