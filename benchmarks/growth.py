"""How pk grows from 100 to 1,000,000 promises: what a technician runs every minute, what
prints every match, and moving them all in and out.

Usage: python benchmarks/growth.py [--sizes 100,1000,10000,100000,1000000] [--runs N]
                                   [--postgres SIZE [--only-postgres]] [--docs docs/performance.md]
                                   [--keep DIR]

For each size the promises are generated as `benchmarks/side_by_side.py` generates them
(`same_data.generate`: 70% open, a third of those overdue, about three journal entries a
promise), loaded with `pk import` (timed, with its peak memory), then each figure runs as a
fresh process, one warm-up and N timed runs (median), taking turns with `pk --version`,
whose median is printed beside it so that a busy machine can be told from a slow pk:

- every minute: the agenda (`pk`), `pk show ID`, the prompt's rebuild (`pk prompt` with no
  schedule file, as after a change) and a TAB (`pk __complete`, open ids and names). Target:
  at 1,000,000 within 2x their 100,000 figures.
- every match: `pk list --overdue` and `pk remind --dry-run`, with the lines they print.
  Target: their time grows no faster than their lines.
- in and out: `pk import` (of the generated file) and `pk export` (JSON with the journal).
  Target: time linear in the promises (10x a step), peak memory flat.

The Taskwarrior side is left out here (`benchmarks/side_by_side.py` has it up to 100,000).
`--postgres SIZE` also loads SIZE promises into a throw-away PostgreSQL cluster (as the test
suite makes one, tests/postgres_server.py) and times the agenda and the prompt's rebuild
there (through libpq, pk's read path, and through psycopg for comparison); target: within 2x
their SQLite figures; `--only-postgres` skips the sizes and writes only the PostgreSQL tables
(between `<!-- growth-postgres:begin -->` and its end) with `--docs`. `--docs FILE` writes the tables into FILE
between the markers `<!-- growth:begin -->` and `<!-- growth:end -->`. `--keep DIR` keeps
each size's database in DIR/SIZE, and a later run with the same DIR measures it again without
loading it (a million takes minutes to load); with it, the every-minute figures of the two
largest sizes are also measured in the same turns (at least 9 runs), and their verdicts use
those.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from measure import Command, measure, run_once
from same_data import generate

HERE = Path(__file__).resolve().parent
ANCHOR = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)  # the data's "now", pk's frozen clock
MINUTE = ("agenda", "show", "prompt rebuild", "TAB open ids", "TAB names")
MATCHES = ("list --overdue", "remind --dry-run")
BEGIN, END = "<!-- growth:begin -->", "<!-- growth:end -->"
PG_BEGIN, PG_END = "<!-- growth-postgres:begin -->", "<!-- growth-postgres:end -->"


@dataclass
class Figure:
    size: int
    name: str
    seconds: float
    baseline: float = 0.0  # `pk --version` in the same turns
    lines: int = 0
    peak_mb: float = 0.0
    earlier: bool = False  # measured by an earlier run (a database kept with --keep)


def environment(folder: Path, database: str) -> dict[str, str]:
    # The frozen clock as epoch seconds: the prompt reads that form without the time
    # language, as it reads the system clock; an ISO moment would add ~5 ms no user pays.
    env = dict(os.environ, PROMISEKEEPER_DB=database, PROMISEKEEPER_NOW=f"@{int(ANCHOR.timestamp())}",
               PROMISEKEEPER_STATE=str(folder / "state"), PROMISEKEEPER_CONFIG=str(folder / "config.toml"),
               HOME=str(folder), LC_ALL="C.UTF-8", TZ="Europe/Stockholm", USER="bench")
    env.pop("PK_DEBUG", None)
    return env


def load(pk: str, folder: Path, size: int, env: dict[str, str]) -> Figure:
    """Generate and import the promises; a database already loaded in a kept folder is reused
    (its import figure read back from `loaded.json`), since a million takes minutes to load."""
    loaded = folder / "loaded.json"
    if loaded.exists() and Path(env["PROMISEKEEPER_DB"]).exists():
        print(f"  reusing the {size:,} promises loaded in {folder}", file=sys.stderr)
        return Figure(size, "import", **json.loads(loaded.read_text(encoding="utf-8")), earlier=True)
    data = folder / "data"
    if not (data / "promises.json").exists():
        print(f"  generating {size:,} promises", file=sys.stderr)
        generate(size, data, seed=9, anchor=ANCHOR)
    # Through standard input: a file named on the command line is read only up to 256 MB,
    # and the million's is larger (exec: the time and memory are pk's own).
    piped = ["sh", "-c", 'exec "$0" import - < "$1"', pk, str(data / "promises.json")]
    seconds, peak = run_once(Command("pk import", piped, env))
    loaded.write_text(json.dumps({"seconds": seconds, "peak_mb": peak / 2**20}), encoding="utf-8")
    return Figure(size, "import", seconds, peak_mb=peak / 2**20)


def lines_of(command: Command) -> int:
    with tempfile.TemporaryFile() as output:
        run_once(command, output=output)
        output.seek(0)
        return sum(1 for _ in output)


def minute_commands(pk: str, env: dict[str, str], *, show: int, suffix: str = "") -> list[Command]:
    schedule = Path(env["PROMISEKEEPER_STATE"])

    def stale() -> None:  # the prompt after a change: no schedule, so it reads the database
        shutil.rmtree(schedule, ignore_errors=True)

    return [
        Command(f"agenda{suffix}", [pk], env),
        Command(f"show{suffix}", [pk, "show", str(show)], env),
        Command(f"prompt rebuild{suffix}", [pk, "prompt"], env, prepare=stale),
        Command(f"TAB open ids{suffix}", [pk, "__complete", "2", "pk", "done", "1"], env),
        Command(f"TAB names{suffix}", [pk, "__complete", "4", "pk", "add", "x", "--to", "e"], env),
    ]


def every_minute(pk: str, size: int, env: dict[str, str], runs: int, *, show: int) -> list[Figure]:
    commands = [
        *minute_commands(pk, env, show=show),
        Command("list --overdue", [pk, "list", "--overdue"], env),
        Command("remind --dry-run", [pk, "remind", "--dry-run"], env),
        Command("pk --version", [pk, "--version"], env),
    ]
    samples = measure(commands, runs=runs)
    version = samples[-1].median
    figures = [Figure(size, s.label, s.median, version, peak_mb=s.peak / 2**20) for s in samples[:-1]]
    for figure, command in zip(figures, commands, strict=False):
        if figure.name in MATCHES:
            figure.lines = lines_of(command)
    return figures


def same_turns(pk: str, keep: Path, sizes: list[int], runs: int) -> list[Figure]:
    """The every-minute figures of two kept databases again, taking turns run by run, so that
    their growth is pk's and not the machine's: their verdicts use these."""
    print(f"every minute, {sizes[0]:,} and {sizes[1]:,} in the same turns", file=sys.stderr)
    commands = []
    for size in sizes:
        env = environment(keep / str(size), str(keep / str(size) / "promises.db"))
        commands += minute_commands(pk, env, show=max(1, size // 2), suffix=f" @{size}")
    samples = measure(commands, runs=runs)
    figures = []
    for sample in samples:
        name, _, size = sample.label.rpartition(" @")
        figures.append(Figure(int(size), f"{name} (same turns)", sample.median))
    return figures


def export(pk: str, folder: Path, size: int, env: dict[str, str]) -> Figure:
    seconds, peak = run_once(Command("pk export", [pk, "export", "-o", str(folder / "export.json")], env))
    return Figure(size, "export", seconds, peak_mb=peak / 2**20)


def run_size(pk: str, size: int, runs: int, keep: Path | None) -> list[Figure]:
    if keep is None:
        folder = Path(tempfile.mkdtemp(prefix=f"pk-growth-{size}-"))
    else:  # one folder per size, so that a later run with the same --keep reuses it
        folder = keep / str(size)
        folder.mkdir(parents=True, exist_ok=True)
    try:
        env = environment(folder, str(folder / "promises.db"))
        print(f"{size:,} promises", file=sys.stderr)
        figures = [load(pk, folder, size, env)]
        figures += every_minute(pk, size, env, runs, show=max(1, size // 2))
        figures.append(export(pk, folder, size, env))
        return figures
    finally:
        if keep is None:
            shutil.rmtree(folder, ignore_errors=True)


def postgres(pk: str, size: int, runs: int) -> list[Figure]:
    """The agenda and the prompt's rebuild on PostgreSQL beside SQLite, on the same data and
    in the same turns, reading through libpq (pk's read path) and, for comparison, through
    psycopg (PROMISEKEEPER_LIBPQ=psycopg, as before issue 24); with what PostgreSQL's extra
    time is made of: starting Python with ctypes and libpq rather than sqlite3, and
    connecting (the rest is pk's queries and their answers)."""
    sys.path.insert(0, str(HERE.parent / "tests"))
    import postgres_server as server

    binaries = server.find_binaries()
    if binaries is None:
        print(f"--postgres: {server.NOT_INSTALLED}", file=sys.stderr)
        return []
    folder = Path(tempfile.mkdtemp(prefix="pk-growth-pg-"))
    python = str(Path(pk).parent / "python")
    try:
        with server.throwaway_cluster(binaries) as socket_dir:
            figures, commands = [], []
            for engine, database in (("sqlite", str(folder / "promises.db")), ("postgresql", server._create_database(socket_dir))):
                env = environment(folder / engine, database)
                (folder / engine).mkdir(exist_ok=True)
                print(f"{size:,} promises on {engine}", file=sys.stderr)
                loaded = load(pk, folder, size, env)
                figures.append(Figure(size, f"import ({engine})", loaded.seconds, peak_mb=loaded.peak_mb))
                drivers = [(engine, env)]
                if engine == "postgresql":
                    drivers.append(("postgresql, psycopg", dict(env, PROMISEKEEPER_LIBPQ="psycopg")))
                for label, driven in drivers:
                    def stale(env: dict[str, str] = driven) -> None:
                        shutil.rmtree(env["PROMISEKEEPER_STATE"], ignore_errors=True)

                    commands += [Command(f"agenda ({label})", [pk], driven),
                                 Command(f"prompt rebuild ({label})", [pk, "prompt"], driven, prepare=stale),
                                 Command(f"list --overdue ({label})", [pk, "list", "--overdue"], driven)]
            conninfo = "postgresql://" + database.partition("://")[2]
            commands += [Command("import sqlite3", [python, "-c", "import sqlite3"], env),
                         Command("load libpq", [python, "-c", LOAD_LIBPQ], env),
                         Command("connect", [python, "-c", LOAD_LIBPQ + CONNECT.format(conninfo=conninfo)], env),
                         Command("import psycopg", [python, "-c", "import psycopg"], env),
                         Command("pk --version", [pk, "--version"], env)]
            samples = measure(commands, runs=runs)
            return figures + [Figure(size, s.label, s.median, samples[-1].median) for s in samples[:-1]]
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# what pk's read path does before its first statement on PostgreSQL, and its connection
LOAD_LIBPQ = "from promisekeeper.db.libpq import library; assert library.load()"
CONNECT = "\nfrom promisekeeper.db.libpq.connection import connect; connect({conninfo!r}, connect_timeout=10).close()"


# -- the report ------------------------------------------------------------------------------


def by(figures: list[Figure], name: str) -> dict[int, Figure]:
    return {f.size: f for f in figures if f.name == name}


def growth_table(figures: list[Figure], sizes: list[int]) -> list[str]:
    head = "| figure | " + " | ".join(f"{size:,}" for size in sizes) + " |"
    rows = [head, "| --- |" + " ---: |" * len(sizes)]
    for name in ("import", *MINUTE, *MATCHES, "export"):
        found = by(figures, name)
        cells = []
        for size in sizes:
            figure = found.get(size)
            if figure is None:
                cells.append("—")
                continue
            text = f"{figure.seconds:.3f} s"
            if figure.lines:
                text += f" ({figure.lines:,} lines)"
            if name in ("import", "export"):
                text += f", {figure.peak_mb:.0f} MB"
            if figure.earlier:
                text += " (loaded before this run)"
            cells.append(text)
        rows.append(f"| {'`pk ' + name + '`' if name not in MINUTE else name} | " + " | ".join(cells) + " |")
    version = by(figures, "agenda")
    rows.append("| `pk --version` (same turns) | " + " | ".join(
        f"{version[size].baseline:.3f} s" if size in version else "—" for size in sizes) + " |")
    return rows


def verdicts(figures: list[Figure], sizes: list[int]) -> list[str]:
    """Each target against the last two sizes measured (1,000,000 against 100,000)."""
    if len(sizes) < 2:
        return []
    small, large = sizes[-2], sizes[-1]
    factor = large / small
    lines = [f"| figure | {small:,} | {large:,} | growth (same turns, else ÷ `pk --version`) | target | |",
             "| --- | ---: | ---: | ---: | --- | --- |"]
    for name in (*MINUTE, *MATCHES, "import", "export"):
        found = by(figures, name)
        if small not in found or large not in found:
            continue
        a, b = found[small], found[large]
        paired = by(figures, f"{name} (same turns)")
        if small in paired and large in paired:  # both sizes in the same turns: as measured
            a, b = paired[small], paired[large]
            grew = b.seconds / a.seconds
        else:
            # Against `pk --version` in the same turns where there is one: the load changes
            # between sizes, and would otherwise pass for pk's growth.
            grew = (b.seconds / b.baseline) / (a.seconds / a.baseline) if a.baseline and b.baseline else b.seconds / a.seconds
        if name in MINUTE:
            target, met = "≤ 2×", grew <= 2
        elif name in MATCHES:
            allowed = max(1.0, b.lines / max(1, a.lines))
            target, met = f"≤ lines' growth ({allowed:.1f}×)", grew <= allowed * 1.1
        else:
            flat = b.peak_mb <= a.peak_mb * 1.5
            target, met = f"≤ {factor:.0f}× (linear, within 10%), memory flat ({a.peak_mb:.0f} → {b.peak_mb:.0f} MB)", grew <= factor * 1.1 and flat
        lines.append(f"| {name} | {a.seconds:.3f} s | {b.seconds:.3f} s | {grew:.2f}× | {target} | {'met' if met else 'missed'} |")
    return lines


def postgres_lines(figures: list[Figure]) -> list[str]:
    # `pk list --overdue` has no PostgreSQL target: it shows what reading every row through
    # ctypes costs against psycopg's C loaders
    names = ("agenda", "prompt rebuild", "list --overdue")
    lines = ["| figure | SQLite | PostgreSQL | ratio | target | | PostgreSQL through psycopg |",
             "| --- | ---: | ---: | ---: | --- | --- | ---: |"]
    for name in names:
        lite, pg, old = (by(figures, f"{name} ({engine})") for engine in ("sqlite", "postgresql", "postgresql, psycopg"))
        for size in sorted(set(lite) & set(pg)):
            ratio = pg[size].seconds / lite[size].seconds
            before = f"{old[size].seconds:.3f} s ({old[size].seconds / lite[size].seconds:.2f}×)" if size in old else "—"
            target, verdict = ("—", "") if name == "list --overdue" else ("≤ 2×", "met" if ratio <= 2 else "missed")
            shown = f"`pk {name}`" if name == "list --overdue" else name
            lines.append(f"| {shown}, {size:,} | {lite[size].seconds:.3f} s | {pg[size].seconds:.3f} s | {ratio:.2f}× "
                         f"| {target} | {verdict} | {before} |")
    parts = [by(figures, name) for name in ("import sqlite3", "load libpq", "connect", "import psycopg")]
    sizes = sorted(set(parts[0]) & set(parts[1]) & set(parts[2]) & set(parts[3]))
    if sizes:
        lite_start, pg_start, connect, psycopg = (part[sizes[-1]].seconds for part in parts)
        lines += ["", "| PostgreSQL's extra time, made of | seconds |", "| --- | ---: |",
                  (f"| loading libpq through ctypes beyond `import sqlite3` ({pg_start:.3f} − {lite_start:.3f} s) "
                   f"| {pg_start - lite_start:.3f} s |"),
                  f"| connecting (libpq's connect beyond loading it) | {connect - pg_start:.3f} s |",
                  f"| for comparison: `import psycopg` beyond `import sqlite3` ({psycopg:.3f} s) | {psycopg - lite_start:.3f} s |"]
    return lines


def report(figures: list[Figure], sizes: list[int], loads: tuple[float, float], runs: int) -> str:
    when = datetime.now(UTC).strftime("%d %B %Y %H:%M UTC")
    heading = (f"Measured {when}: load average {loads[0]:.1f} at the start, {loads[1]:.1f} at the end "
               f"({os.cpu_count()} CPUs, shared); medians of {runs} runs; seconds are wall-clock.")
    parts = [heading, "",
             *growth_table(figures, sizes), ""]
    checked = verdicts(figures, sizes)
    if checked:
        parts += [*checked, ""]
    on_postgres = postgres_lines(figures)
    if len(on_postgres) > 2:
        parts += [PG_BEGIN, *on_postgres, PG_END, ""]
    return "\n".join(parts)


def postgres_report(figures: list[Figure], loads: tuple[float, float], runs: int) -> str:
    """The PostgreSQL tables alone (`--only-postgres`), with their own time and load."""
    when = datetime.now(UTC).strftime("%d %B %Y %H:%M UTC")
    heading = (f"PostgreSQL measured {when}: load average {loads[0]:.1f} at the start, {loads[1]:.1f} at the end "
               f"({os.cpu_count()} CPUs, shared); medians of {runs} runs.")
    return "\n".join([PG_BEGIN, heading, "", *postgres_lines(figures), PG_END])


def write_docs(path: Path, text: str, *, only_postgres: bool = False) -> None:
    page = path.read_text(encoding="utf-8")
    if only_postgres:  # the PostgreSQL part of the growth section; the sizes' tables stay
        start, end = page.index(PG_BEGIN), page.index(PG_END) + len(PG_END)
        path.write_text(page[:start] + text + page[end:], encoding="utf-8")
        return
    start, end = page.index(BEGIN) + len(BEGIN), page.index(END)
    path.write_text(page[:start] + "\n" + text + page[end:], encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000,100000,1000000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pk", default=shutil.which("pk", path=os.path.dirname(sys.executable)) or "pk")
    parser.add_argument("--postgres", type=int, default=0, metavar="SIZE")
    parser.add_argument("--docs", type=Path)
    parser.add_argument("--keep", type=Path)
    parser.add_argument("--only-postgres", action="store_true", help="only the --postgres part (its docs tables alone)")
    options = parser.parse_args()
    sizes = [] if options.only_postgres else [int(size) for size in options.sizes.split(",") if size]
    start = os.getloadavg()[0]
    figures: list[Figure] = []
    for size in sizes:
        figures += run_size(options.pk, size, options.runs, options.keep)
    if options.keep and len(sizes) >= 2:
        figures += same_turns(options.pk, options.keep, sizes[-2:], max(options.runs, 9))
    if options.postgres:
        figures += postgres(options.pk, options.postgres, options.runs)
    loads = (start, os.getloadavg()[0])
    text = postgres_report(figures, loads, options.runs) if options.only_postgres else report(figures, sizes, loads, options.runs)
    print(text)
    if options.docs:
        write_docs(options.docs, text, only_postgres=options.only_postgres)


if __name__ == "__main__":
    main()
