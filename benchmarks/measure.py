"""Time a command as a fresh process, piped or on a pseudo-terminal, with its peak memory.

Each run is started with `subprocess.Popen` and timed until it is reaped. Its peak resident
memory comes from GNU `/usr/bin/time -f %M` wrapped around it where that is installed: a
child forked from this Python process would inherit this process's own high-water mark
(Linux keeps the larger of the two across `exec`), so `os.wait4`'s figure is only an
upper bound, and is used, said so, only when GNU time is missing. Output is read as it comes
and thrown away, as a pipe into `less` or `grep` would take it; on a terminal, the child
writes to a pseudo-terminal of a fixed size and the parent drains it, as a terminal would.
Several commands are measured in turns, run by run, so that their ratios hold on a machine
whose load changes. Runs longer than a few seconds say they are still going, so a slow
import is not mistaken for a hang.
"""

from __future__ import annotations

import fcntl
import os
import pty
import resource
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

CHUNK = 1 << 20
GNU_TIME = "/usr/bin/time"
PEAK_MARK = "side-by-side peak KiB: "
TIME_SAYS = (PEAK_MARK, "Command exited with non-zero status", "Command terminated by signal")
TERMINAL_SIZE = (50, 120)  # rows, columns
TICK_S = 15.0


def gnu_time() -> bool:
    """Whether /usr/bin/time is GNU time, which reports a child's peak memory with -f %M."""
    try:
        done = subprocess.run([GNU_TIME, "-f", f"{PEAK_MARK}%M", "true"], capture_output=True, text=True, check=False)
    except OSError:
        return False
    return done.stderr.strip().startswith(PEAK_MARK)


WRAP = gnu_time()
MEMORY_METHOD = ("GNU time's %M" if WRAP else
                 "os.wait4 (GNU /usr/bin/time is missing: each figure includes this Python's own size)")


class CommandFailed(RuntimeError):
    """A measured command exited with an error: the figure would mean nothing."""


@dataclass(frozen=True)
class Command:
    """One command line to measure, with its environment and what must happen before each run."""

    label: str
    argv: list[str]
    env: dict[str, str]
    terminal: bool = False
    prepare: Callable[[], None] | None = None  # untimed, before every run (warm-up included)
    watch: Path | None = None  # a file whose growth the progress line reports


@dataclass
class Sample:
    """The timed runs of one command: wall-clock seconds and peak memory in bytes."""

    label: str
    times: list[float] = field(default_factory=list)
    peaks: list[int] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def spread(self) -> str:
        return f"{min(self.times):.3f}–{max(self.times):.3f}"

    @property
    def peak(self) -> int:
        return max(self.peaks)


def measure(commands: list[Command], *, runs: int, warmups: int = 1) -> list[Sample]:
    """`warmups` untimed runs, then `runs` timed ones, of each command in turn.

    The commands take turns run by run (A B A B …, not A A … B B …), so a change in the
    machine's load while they run falls on all of them alike and their ratios hold.
    """
    samples = [Sample(command.label) for command in commands]
    for attempt in range(warmups + runs):
        timed = attempt >= warmups
        for command, sample in zip(commands, samples, strict=True):
            if command.prepare:
                command.prepare()
            seconds, peak = run_once(command, which=f"run {attempt - warmups + 1}/{runs}" if timed else "warm-up")
            if timed:
                sample.times.append(seconds)
                sample.peaks.append(peak)
    return samples


def run_once(command: Command, *, output: IO[bytes] | None = None, which: str = "") -> tuple[float, int]:
    """Wall-clock seconds and peak resident bytes of one run; CommandFailed on a non-zero exit.

    A piped run's output is kept in `output` when one is given, else thrown away. `which`
    names the run in the progress lines of a long one.
    """
    with tempfile.TemporaryFile() as errors, ticking(command, which):
        started = time.perf_counter()
        if command.terminal:
            status, usage = _on_terminal(command, errors)
        else:
            status, usage = _piped(command, errors, output)
        elapsed = time.perf_counter() - started
        errors.seek(0)
        said = errors.read().decode(errors="replace").splitlines()
    peaks = [int(line.removeprefix(PEAK_MARK)) for line in said if line.startswith(PEAK_MARK)]
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        message = [line for line in said if line.strip() and not line.startswith(TIME_SAYS)][-1:] or ["(no message)"]
        raise CommandFailed(f"`{command.label}` exited with {code}: {message[0]}")
    return elapsed, (peaks[-1] if peaks else usage.ru_maxrss) * 1024  # Linux counts kibibytes


def _argv(command: Command) -> list[str]:
    return [GNU_TIME, "-f", f"{PEAK_MARK}%M", *command.argv] if WRAP else command.argv


def _piped(command: Command, errors: IO[bytes], output: IO[bytes] | None) -> tuple[int, resource.struct_rusage]:
    process = subprocess.Popen(_argv(command), env=command.env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=errors)
    assert process.stdout is not None
    with process.stdout:
        while chunk := process.stdout.read(CHUNK):
            if output is not None:
                output.write(chunk)
    return _reap(process)


def _on_terminal(command: Command, errors: IO[bytes]) -> tuple[int, resource.struct_rusage]:
    leader, follower = pty.openpty()
    rows, columns = TERMINAL_SIZE
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    env = command.env | {"COLUMNS": str(columns), "LINES": str(rows), "TERM": command.env.get("TERM", "xterm-256color")}
    try:
        process = subprocess.Popen(_argv(command), env=env, stdin=follower, stdout=follower, stderr=errors)
    finally:
        os.close(follower)
    try:
        while os.read(leader, CHUNK):
            pass
    except OSError:  # EIO: every writer to the terminal has gone
        pass
    finally:
        os.close(leader)
    return _reap(process)


def _reap(process: subprocess.Popen[bytes]) -> tuple[int, resource.struct_rusage]:
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)  # so Popen does not wait again
    return status, usage


@contextmanager
def ticking(command: Command, which: str) -> Iterator[None]:
    """While a run takes long, one line on stderr now and then saying it is still going."""
    done = threading.Event()
    started = time.perf_counter()
    named = f" ({which})" if which else ""

    def tick() -> None:
        # Every TICK_S for the first minute, then every minute: an import of 100,000
        # promises takes long enough to fill a screen otherwise.
        while not done.wait(TICK_S if time.perf_counter() - started < 4 * TICK_S else 4 * TICK_S):
            grown = f", {_size(command.watch) / 1e6:,.1f} MB on disk so far" if command.watch else ""
            print(f"    … {command.label}{named}: {time.perf_counter() - started:.0f} s{grown}",
                  file=sys.stderr, flush=True)

    thread = threading.Thread(target=tick, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def _size(path: Path | None) -> int:
    """A SQLite file and its journal together, or one plain file or folder."""
    if path is None:
        return 0
    candidates = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-journal")]
    if path.is_dir():
        candidates = list(path.iterdir())
    return sum(candidate.stat().st_size for candidate in candidates if candidate.is_file())
