"""How long the time language takes to read a phrase, against a stdlib baseline.

Run: python benchmarks/when_parse.py. Imports the parser once (and times that import in a
fresh interpreter), then times ~30 representative phrases many times each and prints the
median per phrase in microseconds, next to the cost of one `datetime.fromisoformat` and
one `zoneinfo` conversion measured in the same run. Target: well under 1 ms a phrase.
Then the same for Italian, Hungarian and Swedish phrases (each read with its language
active), and what a language adds to a command's start-up in a fresh interpreter: loading
its catalogue and compiling its vocabulary, then reading a first phrase (target: < 30 ms).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from promisekeeper.lang import i18n
from promisekeeper.when.calendar import BusinessCalendar
from promisekeeper.when.resolve import WhenError, parse

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
    # as technicians say them (parts of the day, within, half hours, a weekday with its date)
    "this afternoon",
    "first thing tomorrow",
    "within 2 business days",
    "half past 3 this afternoon",
    "fri 27 nov",
]
NATIVE_PHRASES = {
    "it": ["domani alle 10", "venerdì alle 15", "lunedì prossimo alle 9", "tra 2 ore",
           "tra 4 ore lavorative", "prossimo giorno lavorativo", "fine giornata",
           "15 marzo alle 10", "venerdì alle 15 America/New_York", "alle 3",
           "oggi pomeriggio", "entro 2 giorni lavorativi", "alle 15 e mezza"],
    "hu": ["holnap 10-kor", "pénteken 15 órakor", "jövő hétfő 9:00", "2 óra múlva",
           "4 munkaóra múlva", "következő munkanap", "nap végéig", "március 15. 10:00",
           "péntek 15:00 America/New_York", "holnap 3-kor",
           "ma délután", "3 munkanapon belül", "délután fél 3"],
    "sv": ["i morgon kl 10", "fredag kl 15", "nästa måndag kl 9", "om 2 timmar",
           "om 4 arbetstimmar", "nästa arbetsdag", "vid dagens slut", "15 mars kl 10",
           "fredag kl 15 America/New_York", "kl 3",
           "i eftermiddag", "inom 2 arbetsdagar", "halv tre i eftermiddag"],
}  # fmt: skip
STARTUP_TARGET_MS = 30.0
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


def startup_ms(language: str, phrase: str) -> float:
    """Importing the time language, activating `language` and reading a first phrase, in a
    fresh interpreter (best of seven), in milliseconds."""
    code = (
        "import time; t = time.perf_counter(); "
        "from datetime import datetime, timezone; from zoneinfo import ZoneInfo; "
        "from promisekeeper.lang import i18n; from promisekeeper.when.resolve import parse, WhenError; "
        "from promisekeeper.when.calendar import BusinessCalendar; "
        f"i18n.activate({language!r}); "
        "now = datetime(2026, 11, 23, 8, 30, tzinfo=timezone.utc); "
        f"parse({phrase!r}, now=now, zone=ZoneInfo('Europe/Rome'), "
        "calendar=BusinessCalendar()); print(time.perf_counter() - t)"
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
        for _ in range(7)
    ]
    return min(runs) * 1000


def native_report(timer: Callable[[str, str], float], iso_us: float) -> None:
    """Per-language parse times and the start-up a language adds over English."""
    english = startup_ms("en", "tomorrow 10am")
    print()
    print(f"start-up, English (import, first phrase): {english:.1f} ms")
    for language, phrases in NATIVE_PHRASES.items():
        i18n.activate(language)
        timings = [(phrase, timer(language, phrase)) for phrase in phrases]
        i18n.activate("en")
        added = startup_ms(language, phrases[0]) - english
        verdict = "OK" if added < STARTUP_TARGET_MS else "SLOW"
        print()
        print(f"[{language}] start-up added over English: {added:.1f} ms "
              f"(target < {STARTUP_TARGET_MS:.0f} ms — {verdict})")
        print(f"{'phrase':<34} {'median µs':>10} {'× fromisoformat':>16}")
        print("-" * 62)
        for phrase, us in timings:
            print(f"{phrase:<34} {us:>10.1f} {us / iso_us:>16.0f}")
        slowest = max(us for _, us in timings)
        verdict = "OK" if slowest < TARGET_US else "SLOW"
        print(f"{'slowest phrase':<34} {slowest:>10.1f}   target {TARGET_US:.0f} µs — {verdict}")


def main() -> None:
    zone = ZoneInfo("Europe/Stockholm")
    now = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)
    calendar = BusinessCalendar(listed_holidays=frozenset({date(2026, 12, 25)}), country="SE")
    calendar.is_business_day(date(2026, 11, 23))  # load this year's holidays before timing

    def reader(phrase: str, language: str = "en") -> Callable[[], object]:
        def read() -> object:
            try:
                return parse(phrase, now=now, zone=zone, calendar=calendar, language=language)
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
    native_report(lambda language, phrase: per_call_us(reader(phrase, language)), iso_us)


if __name__ == "__main__":
    main()
