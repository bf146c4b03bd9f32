"""pk and Taskwarrior side by side on the same promises: issue 9's figures as ratios, in one run.

Usage: python benchmarks/side_by_side.py [--sizes 1000,100000] [--runs N] [--pk PATH]
                                         [--keep DIR] [--only NAMES] [--import-runs N]
                                         [--seed S] [--no-taskwarrior]

For each size it writes the same promises twice (benchmarks/same_data.py: a promisekeeper
JSON export and a Taskwarrior JSON file), loads them with `pk import` and `task import`
into private folders, then times each figure and its baselines as fresh processes: one
untimed warm-up, then N timed runs (median, min–max, peak memory of each run), the figure
and its baselines taking turns run by run. Every figure is a ratio against a baseline
measured alongside it, so the ratios hold on a busy machine even when the seconds do not.
The table at the end gives the target from issue 9 where it names one for that size, and
whether it is met.

Taskwarrior is installed with apt-get when it is missing and this runs as root; otherwise
the Taskwarrior column stays empty and the report says why. Its settings: confirmation,
hooks and the verbose messages off (and the news nag), garbage collection on (its
default), and one report run after the import so that completed and deleted tasks are
already moved out of pending.data before anything is timed. pk's clock is frozen at the
moment the data is anchored to (the minute the run starts); Taskwarrior's clock cannot be
frozen, so it runs on from that minute; no open promise falls due in the three hours after
it, so both count the same promises overdue for that long, and the report prints how many
each one counts.

`pk add` and `task add` run against a copy of the loaded data, which grows by one
promise a run. Progress goes to stderr, the report to stdout. A full run at 1,000 and
100,000 takes long today, because `pk import` of 100,000 promises takes minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from measure import MEMORY_METHOD, Command, CommandFailed, Sample, measure, run_once
from same_data import Summary, generate

ANY_SIZE = 0
TERMINAL = "pk list --overdue, terminal"


@dataclass(frozen=True)
class Versus:
    """A baseline for a figure, with issue 9's target ratio by size (ANY_SIZE: every size)."""

    baseline: str
    targets: dict[int, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Figure:
    """One line of issue 9's table: a pk command and what it is measured against."""

    name: str  # for --only
    pk: str
    against: tuple[Versus, ...]
    memory_targets: dict[int, float] = field(default_factory=dict)  # peak MB by size


FIGURES = (
    Figure("agenda", "pk", (Versus("pk --version", {1000: 1.5}), Versus("task next", {1000: 8}))),
    Figure("overdue", "pk list --overdue",
           (Versus("pk --version", {1000: 1.5}), Versus("task +OVERDUE list", {1000: 8, 100_000: 0.5}))),
    Figure("show", "pk show", (Versus("pk --version", {1000: 1.5}), Versus("task info", {1000: 8}))),
    Figure("add", "pk add", (Versus("import typer, rich, sqlmodel", {1000: 1.15}), Versus("task add"))),
    Figure("list", "pk list", (Versus("task list", {100_000: 0.7}),)),
    # Issue 24's targets for moving promises in and out (issue 9 asked ≤ 1.5× and 200 MB of an export).
    Figure("export", "pk export", (Versus("task export", {100_000: 1.2}),), {100_000: 100}),
    Figure("import", "pk import", (Versus("task import", {100_000: 1.5}),), {100_000: 200}),
    Figure("stats", "pk stats", (Versus("task summary", {100_000: 0.6}),)),
    Figure("terminal", TERMINAL, (Versus("pk list --overdue", {100_000: 1.5}),)),
    Figure("prompt", "pk prompt", (Versus("import sqlite3", {ANY_SIZE: 1.4}),)),
)
IMPORTS = ("pk import", "task import")  # each run starts from an empty store: no warm-up, fewer runs
PK_ADD = ["add", "Send VPN config", "--to", "Eva Spacek", "--via", "email", "--ref", "INC-4821",
          "--tag", "vpn", "--due", "tomorrow 10am"]
TASK_ADD = ["add", "Send VPN config — Eva Spacek", "due:tomorrow", "project:INC-4821", "+vpn"]
TASKRC = """\
data.location={data}
confirmation=off
verbose=nothing
hooks=off
news.version=99.0.0
"""


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- the tools ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tools:
    pk: Path
    python: str  # the interpreter in pk's shebang: the venv's
    task: str | None
    task_missing: str  # why the Taskwarrior column is empty, when it is


def find_pk(given: str | None) -> Path:
    found = Path(given) if given else Path(sys.executable).parent / "pk"
    if not found.exists():
        sys.exit(f"side_by_side: no pk at {found}; run with the venv's python or pass --pk PATH")
    return found.absolute()


def shebang_python(script: Path) -> str:
    first = script.read_text(encoding="utf-8", errors="replace").splitlines()[0]
    return first[2:].strip().split()[0] if first.startswith("#!") else sys.executable


def find_taskwarrior() -> tuple[str | None, str]:
    """`task`, installing it with apt-get when missing and allowed; else why not."""
    if found := shutil.which("task"):
        return found, ""
    if not shutil.which("apt-get"):
        return None, "Taskwarrior (`task`) is not installed and there is no apt-get here to install it"
    if os.geteuid() != 0:
        return None, "Taskwarrior (`task`) is not installed; installing it needs root (apt-get install taskwarrior)"
    progress("Taskwarrior is missing: apt-get install -y taskwarrior")
    env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
    for attempt in (["apt-get", "install", "-y", "taskwarrior"], ["apt-get", "update"],
                    ["apt-get", "install", "-y", "taskwarrior"]):
        subprocess.run(attempt, env=env, capture_output=True, check=False)
        if found := shutil.which("task"):
            return found, ""
    return None, "Taskwarrior (`task`) is not installed and `apt-get install -y taskwarrior` did not install it"


def version_of(argv: list[str]) -> str:
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    return (done.stdout.strip().splitlines() or ["?"])[0]


# -- one size: the data, loaded into both tools ------------------------------------------------


@dataclass
class Stage:
    """One size's folders, environments and loaded data."""

    size: int
    root: Path
    anchor: datetime
    summary: Summary = field(default_factory=Summary)
    notes: list[str] = field(default_factory=list)
    pk_show: int = 0
    task_show: int = 0

    def pk_env(self, name: str) -> dict[str, str]:
        folder = self.root / name
        folder.mkdir(parents=True, exist_ok=True)
        config = folder / "config.toml"
        config.write_text('owner = "bench"\n', encoding="utf-8")  # the owner same_data gives every promise
        drop = ("PYTHONDONTWRITEBYTECODE", "TMUX", "NO_COLOR", "FORCE_COLOR", "PK_DEBUG", "COLUMNS", "LINES")
        env = {k: v for k, v in os.environ.items() if not k.startswith("PROMISEKEEPER_") and k not in drop}
        return env | {"PROMISEKEEPER_DB": str(folder / "promises.db"), "PROMISEKEEPER_CONFIG": str(config),
                      # epoch seconds: the prompt reads that form as it reads the system clock,
                      # without the time language (an ISO moment adds ~5 ms no user pays)
                      "PROMISEKEEPER_STATE": str(folder / "state"), "PROMISEKEEPER_NOW": f"@{int(self.anchor.timestamp())}",
                      "TZ": "Europe/Stockholm", "LC_ALL": "C.UTF-8"}

    def task_env(self, name: str) -> dict[str, str]:
        folder = self.root / name
        (folder / "data").mkdir(parents=True, exist_ok=True)
        rc = folder / "taskrc"
        rc.write_text(TASKRC.format(data=folder / "data"), encoding="utf-8")
        drop = ("TASKRC", "TASKDATA", "NO_COLOR", "COLUMNS", "LINES")
        env = {k: v for k, v in os.environ.items() if k not in drop}
        return env | {"TASKRC": str(rc), "TASKDATA": str(folder / "data"), "TZ": "Europe/Stockholm",
                      "LC_ALL": "C.UTF-8"}


def prepare_stage(stage: Stage, tools: Tools, *, seed: int) -> None:
    started = time.perf_counter()
    stage.summary = generate(stage.size, stage.root / "data", seed=seed, anchor=stage.anchor)
    s = stage.summary
    stage.notes.append(f"{s.promises:,} promises ({s.open:,} open, {s.overdue:,} of them overdue; {s.kept:,} kept, "
                       f"{s.released:,} released), {s.events:,} journal entries; "
                       f"generated in {time.perf_counter() - started:.1f} s")
    load_pk(stage, tools)
    if tools.task:
        load_taskwarrior(stage, tools.task)
    stage.notes.append(overdue_counts(stage, tools))


def load_pk(stage: Stage, tools: Tools) -> None:
    env = stage.pk_env("pk")
    progress(f"  loading {stage.size:,} promises into pk (pk import)")
    argv = [str(tools.pk), "import", str(stage.root / "data/promises.json")]
    command = Command("pk import promises.json", argv, env, watch=Path(env["PROMISEKEEPER_DB"]))
    with tempfile.TemporaryFile() as output:
        seconds, peak = run_once(command, output=output)
        output.seek(0)
        said = output.read().decode(errors="replace")
    stored = re.search(r"Imported (\d+) promise", said)
    if not stored or int(stored.group(1)) != stage.size:
        raise CommandFailed(f"pk import did not store all {stage.size} promises; it said {said.strip()!r}")
    stage.pk_show = stage.summary.show_number
    shown = json.loads(_output([str(tools.pk), "show", f"#{stage.pk_show}", "--json"], env))
    if shown["uuid"] != stage.summary.show_uuid:
        raise CommandFailed(f"pk gave the promise to show another id than {stage.pk_show}")
    stage.notes.append(f"loaded into pk in {seconds:.1f} s (peak {peak / 1e6:,.0f} MB)")
    progress(f"  {stage.notes[-1]}")


def load_taskwarrior(stage: Stage, task: str) -> None:
    env = stage.task_env("task")
    progress(f"  loading {stage.size:,} tasks into Taskwarrior (task import)")
    command = Command("task import tasks.json", [task, "import", str(stage.root / "data/tasks.json")], env)
    seconds, peak = run_once(command)
    _output([task, "list"], env)  # the first report collects the garbage: closed tasks leave pending.data
    total = int(_output([task, "count"], env).strip() or 0)
    if total != stage.size:
        raise CommandFailed(f"task import stored {total} tasks of {stage.size}")
    stage.task_show = int(_output([task, "_get", f"{stage.summary.show_uuid}.id"], env).strip())
    stage.notes.append(f"loaded into Taskwarrior in {seconds:.1f} s (peak {peak / 1e6:,.0f} MB)")
    progress(f"  {stage.notes[-1]}")


def overdue_counts(stage: Stage, tools: Tools) -> str:
    pk = len(json.loads(_output([str(tools.pk), "list", "--overdue", "--json"], stage.pk_env("pk"))))
    said = f"overdue as each tool sees it: pk {pk:,}"
    if tools.task:
        task = int(_output([tools.task, "+OVERDUE", "count"], stage.task_env("task")).strip())
        said += f", Taskwarrior {task:,}"
    return said


def _output(argv: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise CommandFailed(f"`{' '.join(argv)}` exited with {done.returncode}: {done.stderr.strip()[-300:]}")
    return done.stdout


# -- one size: the commands --------------------------------------------------------------------


def commands(stage: Stage, tools: Tools, wanted: set[str]) -> dict[str, Command]:
    """Every command the wanted figures need, by the name the figures use."""
    pk, env = str(tools.pk), stage.pk_env("pk")
    found = {
        "pk": Command("pk", [pk], env),
        "pk --version": Command("pk --version", [pk, "--version"], env),
        "pk list --overdue": Command("pk list --overdue, piped", [pk, "list", "--overdue"], env),
        TERMINAL: Command(TERMINAL, [pk, "list", "--overdue"], env, terminal=True),
        # "#N", not "N": with 100,000 promises most four-digit numbers also start some uuid.
        "pk show": Command(f"pk show #{stage.pk_show}", [pk, "show", f"#{stage.pk_show}"], env),
        "pk list": Command("pk list", [pk, "list"], env),
        "pk export": Command("pk export --format json", [pk, "export", "--format", "json"], env),
        "pk stats": Command("pk stats", [pk, "stats"], env),
        "pk prompt": Command("pk prompt", [pk, "prompt"], env),
        "import typer, rich, sqlmodel": Command('python -c "import typer, rich, sqlmodel"',
                                                [tools.python, "-c", "import typer, rich, sqlmodel"], env),
        "import sqlite3": Command('python -c "import sqlite3"', [tools.python, "-c", "import sqlite3"], env),
    }
    if "add" in wanted:
        found["pk add"] = pk_add(stage, pk)
    if "import" in wanted:
        found["pk import"] = pk_import(stage, pk)
    if tools.task:
        found |= task_commands(stage, tools.task, wanted)
    return found


def pk_add(stage: Stage, pk: str) -> Command:
    env = stage.pk_env("pk-add")
    with sqlite3.connect(stage.pk_env("pk")["PROMISEKEEPER_DB"]) as source, \
            sqlite3.connect(env["PROMISEKEEPER_DB"]) as copy:
        source.backup(copy)  # a consistent copy, whatever the write-ahead log holds
    return Command("pk add … (a copy)", [pk, *PK_ADD], env)


def pk_import(stage: Stage, pk: str) -> Command:
    """`pk import` of pk's own export into an empty database, made afresh before each run."""
    exported = stage.root / "data/pk-export.json"
    progress("  writing pk's export for the import figure")
    _output([pk, "export", "--format", "json", "--output", str(exported)], stage.pk_env("pk"))
    env = stage.pk_env("pk-import")
    database = Path(env["PROMISEKEEPER_DB"])

    def empty() -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            database.with_name(database.name + suffix).unlink(missing_ok=True)
        shutil.rmtree(env["PROMISEKEEPER_STATE"], ignore_errors=True)

    return Command("pk import (its export)", [pk, "import", str(exported)], env, prepare=empty, watch=database)


def task_commands(stage: Stage, task: str, wanted: set[str]) -> dict[str, Command]:
    env = stage.task_env("task")
    found = {
        "task next": Command("task next", [task, "next"], env),
        "task +OVERDUE list": Command("task +OVERDUE list", [task, "+OVERDUE", "list"], env),
        "task info": Command(f"task {stage.task_show} info", [task, str(stage.task_show), "info"], env),
        "task list": Command("task list", [task, "list"], env),
        "task export": Command("task export", [task, "export"], env),
        "task summary": Command("task summary", [task, "summary"], env),
    }
    if "add" in wanted:
        add_env = stage.task_env("task-add")
        shutil.copytree(env["TASKDATA"], add_env["TASKDATA"], dirs_exist_ok=True)
        found["task add"] = Command("task add … (a copy)", [task, *TASK_ADD], add_env)
    if "import" in wanted:
        found["task import"] = task_import(stage, task, env)
    return found


def task_import(stage: Stage, task: str, env: dict[str, str]) -> Command:
    """`task import` of Taskwarrior's own export into an empty data folder."""
    exported = stage.root / "data/task-export.json"
    exported.write_text(_output([task, "export"], env), encoding="utf-8")
    fresh = stage.task_env("task-import")
    data = Path(fresh["TASKDATA"])

    def empty() -> None:
        shutil.rmtree(data, ignore_errors=True)
        data.mkdir()

    return Command("task import (its export)", [task, "import", str(exported)], fresh, prepare=empty, watch=data)


# -- measuring and the table -------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    size: int
    figure: Figure
    pk: Sample
    baseline_label: str
    baseline: Sample | None
    target: float | None
    memory_target: float | None


def measure_stage(stage: Stage, tools: Tools, figures: list[Figure], options: argparse.Namespace) -> list[Row]:
    """Each figure's pk command and its baselines, measured together in turns."""
    available = commands(stage, tools, {figure.name for figure in figures})
    rows = []
    for figure in figures:
        names = [figure.pk] + [v.baseline for v in figure.against if v.baseline in available]
        heavy = figure.pk in IMPORTS
        runs = (options.import_runs or (3 if stage.size <= 10_000 else 1)) if heavy else options.runs
        labels = ", ".join(available[name].label for name in names)
        progress(f"  {figure.name}: {labels} ({runs} run{'s' * (runs > 1)} each)")
        samples = dict(zip(names, measure([available[name] for name in names], runs=runs,
                                          warmups=0 if heavy else 1), strict=True))
        for versus in figure.against:
            label = available[versus.baseline].label if versus.baseline in available else versus.baseline
            target = versus.targets.get(stage.size, versus.targets.get(ANY_SIZE))
            rows.append(Row(stage.size, figure, samples[figure.pk], label, samples.get(versus.baseline), target,
                            figure.memory_targets.get(stage.size)))
    return rows


def verdict(row: Row) -> str:
    misses = []
    if row.target is not None and row.baseline is not None and row.pk.median / row.baseline.median > row.target:
        misses.append("time")
    if row.memory_target is not None and row.pk.peak / 1e6 > row.memory_target:
        misses.append("memory")
    if (row.target is None or row.baseline is None) and row.memory_target is None:
        return ""
    return f"missed ({', '.join(misses)})" if misses else "met"


def target_text(row: Row) -> str:
    parts = [f"≤ {row.target:g}×" if row.target is not None else "",
             f"≤ {row.memory_target:g} MB" if row.memory_target is not None else ""]
    return " ".join(part for part in parts if part) or "—"


def megabytes(sample: Sample | None) -> str:
    return f"{sample.peak / 1e6:,.0f}" if sample else "—"


def cells(row: Row) -> list[str]:
    base = row.baseline
    ratio = f"{row.pk.median / base.median:.2f}×" if base else "—"
    return [f"{row.size:,}", row.pk.label, f"{row.pk.median:.3f}", row.pk.spread, row.baseline_label,
            f"{base.median:.3f}" if base else "—", ratio, target_text(row), verdict(row),
            f"{megabytes(row.pk)} / {megabytes(base)}"]


HEADER = ["size", "figure (pk)", "median s", "min–max", "baseline", "median s", "ratio", "target", "verdict",
          "peak MB pk / base"]
RIGHT = {0, 2, 3, 5, 6, 9}


def table(rows: list[Row]) -> str:
    lines = [HEADER] + [cells(row) for row in rows]
    widths = [max(len(line[index]) for line in lines) for index in range(len(HEADER))]
    return "\n".join(
        "  ".join(cell.rjust(width) if index in RIGHT else cell.ljust(width)
                  for index, (cell, width) in enumerate(zip(line, widths, strict=True))).rstrip()
        for line in lines
    )


def machine() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f}"


# -- the run -------------------------------------------------------------------------------------


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,100000", help="numbers of promises, comma-separated")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command, after a warm-up (default 5)")
    parser.add_argument("--import-runs", type=int, default=0,
                        help="runs of the import figure (default 3 up to 10,000 promises, else 1)")
    parser.add_argument("--pk", help="the pk to measure (default: the pk beside this python)")
    parser.add_argument("--keep", metavar="DIR", help="generate and load the data in DIR and leave it there")
    parser.add_argument("--only", metavar="NAMES",
                        help=f"some figures, comma-separated: {', '.join(f.name for f in FIGURES)}")
    parser.add_argument("--seed", type=int, default=2026, help="the data's random seed (default 2026)")
    parser.add_argument("--no-taskwarrior", action="store_true", help="measure pk and its own baselines only")
    options = parser.parse_args(argv)
    try:
        options.sizes = [int(size.replace("_", "")) for size in options.sizes.split(",")]
    except ValueError:
        parser.error(f"--sizes takes whole numbers, comma-separated, e.g. 1000,100000 (not {options.sizes!r})")
    if options.runs < 1 or options.import_runs < 0 or min(options.sizes) < 1:
        parser.error("--runs and --sizes take positive numbers, --import-runs a positive number or 0 (default)")
    names = [figure.name for figure in FIGURES]
    chosen = set(options.only.split(",")) if options.only else set(names)
    if unknown := chosen - set(names):
        parser.error(f"--only: no figure called {', '.join(sorted(unknown))}; choose from {', '.join(names)}")
    options.figures = [figure for figure in FIGURES if figure.name in chosen]
    return options


def main(argv: list[str] | None = None) -> int:
    options = parse(argv)
    pk = find_pk(options.pk)
    task, missing = (None, "left out with --no-taskwarrior") if options.no_taskwarrior else find_taskwarrior()
    tools = Tools(pk, shebang_python(pk), task, missing)
    root = Path(options.keep or tempfile.mkdtemp(prefix="pk-side-by-side-")).absolute()
    anchor = datetime.now(UTC).replace(second=0, microsecond=0)
    started, load_before = time.perf_counter(), machine()
    progress(f"pk {version_of([str(pk), '--version'])}; {version_of([task, '--version']) if task else missing}")
    rows, notes = [], []
    try:
        for size in options.sizes:
            progress(f"{size:,} promises, in {root / str(size)}")
            stage = Stage(size, root / str(size), anchor)
            prepare_stage(stage, tools, seed=options.seed)
            rows += measure_stage(stage, tools, options.figures, options)
            notes += [f"{size:,}: {note}" for note in stage.notes]
    except CommandFailed as error:
        print(f"side_by_side: {error}", file=sys.stderr)
        return 1
    finally:
        if not options.keep:
            shutil.rmtree(root, ignore_errors=True)
    report(rows, notes, tools, options, started=started, load_before=load_before, anchor=anchor)
    return 0


def report(rows: list[Row], notes: list[str], tools: Tools, options: argparse.Namespace, *,
           started: float, load_before: str, anchor: datetime) -> None:
    print(table(rows))
    print()
    for note in notes:
        print(note)
    print(f"pk {version_of([str(tools.pk), '--version'])} ({tools.pk}); "
          f"{version_of([tools.task, '--version']) if tools.task else 'no Taskwarrior: ' + tools.task_missing}")
    runs = f"{options.runs} timed run{'s' * (options.runs > 1)}"
    print(f"data anchored at {anchor.isoformat()} (pk's clock); {runs} per command after a "
          f"warm-up (imports: no warm-up, each into an empty store); peak memory: the largest of the runs, "
          f"from {MEMORY_METHOD}")
    print(f"machine: {os.cpu_count()} CPUs; {load_before} at the start, {machine()} at the end; "
          f"the run took {time.perf_counter() - started:.0f} s")
    print("On a shared, noisy machine quote the medians and above all the ratios: the two sides of a ratio "
          "took turns run by run, so they share the machine's load; absolute seconds move with it.")


if __name__ == "__main__":
    sys.exit(main())
