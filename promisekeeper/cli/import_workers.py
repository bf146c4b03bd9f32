"""`pk import` of a large `pk export` on every core, each worker staging its own share.

Checking each promise and making its rows is most of an import's time, and no promise's
depends on another's. So for a large export (Linux, `fork`) worker processes each read the
whole file themselves (decoding is the cheap part) and check, prepare and stage only their
share (record number % N == k) into their own private scratch file, numbered as one process
numbers them; nothing is sent back but a summary (counts, the check-ins' series and members,
and the first problem met). The parent then adds the workers' rows to the import's own
staging, before the write lock, and the move is as with one process.

The problem named is the one one process names: a record's at its number; one met reading
the file just after the records read before it; a uuid given twice once the batch holding
its second use is checked (`bulk.BATCH`): one process stages a batch after checking it.
"""

from __future__ import annotations

import os
import pickle
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

from promisekeeper.errors import BadInput, PKError

if TYPE_CHECKING:
    from promisekeeper.db.bulk import Staging
    from promisekeeper.exchange import Reading
    from promisekeeper.series.carried import CarriedSeries

WORKERS_VAR = "PROMISEKEEPER_IMPORT_WORKERS"
MOST_WORKERS = 4  # by default; more rarely pays: the parent's merge and the move stay one process
MOST_ASKED = 16
LARGE = 4 << 20  # bytes (about 3,000 promises): below this one process is as quick (measured)


def count(handle: TextIO, reading: Reading) -> int:
    """How many workers import this file: 1 (this process alone) unless it is a `pk export`
    that is large (or `PROMISEKEEPER_IMPORT_WORKERS` asks for more than one) and processes
    can be forked with the state they need (Linux)."""
    if reading.export_start is None or not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return 1
    if not os.path.exists(f"/proc/self/fd/{handle.fileno()}"):
        return 1  # each worker opens the file anew, with an offset of its own
    asked = _asked()
    if asked is not None:
        return asked
    if os.fstat(handle.fileno()).st_size < LARGE:
        return 1
    return min(len(os.sched_getaffinity(0)), MOST_WORKERS)


def _asked() -> int | None:
    """The count `PROMISEKEEPER_IMPORT_WORKERS` asks for; None when unset, or when it is not a
    whole number of 1 or more (said once on stderr, as the other tuning variables are)."""
    raw = os.environ.get(WORKERS_VAR, "")
    if not raw.strip():
        return None
    try:
        asked = int(raw)
    except ValueError:
        asked = 0
    if asked >= 1:
        return min(asked, MOST_ASKED)
    from promisekeeper.db.reader import warn_once
    from promisekeeper.lang.i18n import _

    warn_once(WORKERS_VAR, raw, _("warning: {variable}={value} is not a whole number of processes (1 or more); "
                                  "pk chooses how many itself"))
    return None


@dataclass
class _Summary:
    """All a worker sends back."""

    promises: int = 0
    events: int = 0
    members: list[tuple[int, str, str, int]] = field(default_factory=list)  # (seq, uuid, series, slot)
    series: list[tuple[int, CarriedSeries]] = field(default_factory=list)  # first check-in of each
    problem: tuple[float, BaseException] | None = None  # (where it stands, the refusal)
    failure: str | None = None  # anything else, in words


def stage(handle: TextIO, reading: Reading, staged: Staging, workers: int, *, name: str,
          beside: str | None) -> list[CarriedSeries]:
    """Stage the export `handle` holds into `staged` with `workers` processes; returns the
    series its check-ins carry (each once, in file order). Raises the problem one process
    would (a UnicodeDecodeError as it is, for the caller to put into words)."""
    from promisekeeper.db import bulk

    assert reading.export_start is not None
    paths: list[str] = []
    try:
        paths.extend(bulk.scratch_file(beside, f"-{index}") for index in range(workers))
        summaries = _run(handle.fileno(), reading.export_start, name, paths)
        staged.finish()
        twice = staged.merge(paths, name=name)
    finally:
        for path in paths:
            bulk.remove_scratch(path)
    problems = [summary.problem for summary in summaries if summary.problem is not None]
    if twice is not None:
        second, refusal = twice
        problems.append((_batch_end(second) + 0.5, refusal))
    if problems:
        raise min(problems, key=lambda problem: problem[0])[1]
    staged.promises = sum(summary.promises for summary in summaries)
    staged.events = sum(summary.events for summary in summaries)
    staged.members = [member[1:] for member in sorted(m for summary in summaries for m in summary.members)]
    first: dict[str, tuple[int, CarriedSeries]] = {}
    for summary in summaries:
        for number, carried in summary.series:
            if carried.uuid not in first or number < first[carried.uuid][0]:
                first[carried.uuid] = number, carried
    return [carried for _number, carried in sorted(first.values(), key=lambda pair: pair[0])]


def _batch_end(number: int) -> int:
    """The last record of the batch one process checks `number` in, before staging it."""
    from promisekeeper.db.bulk import BATCH

    return -(-number // BATCH) * BATCH


def _run(fd: int, start: int, name: str, paths: list[str]) -> list[_Summary]:
    """Fork one worker per scratch file and wait for each one's summary; a worker stopped
    any way but by its own hand is refused in one line, and no worker outlives this."""
    from promisekeeper.lang.i18n import _

    started: list[tuple[int, int]] = []  # (pid, the pipe's reading end)
    try:
        parent = os.getpid()
        for index, path in enumerate(paths):
            reading_end, writing_end = os.pipe()
            pid = os.fork()
            if pid == 0:  # the worker: never returns
                os.close(reading_end)
                _worker(parent, writing_end, fd, start, name, index, len(paths), path)
            os.close(writing_end)
            started.append((pid, reading_end))
        summaries = []
        for place, (pid, reading_end) in enumerate(started):
            started[place] = (pid, -1)  # the pipe is closed by its file object from here on
            with os.fdopen(reading_end, "rb") as pipe:
                sent = pipe.read()
            _pid, status = os.waitpid(pid, 0)
            started[place] = (0, -1)
            if os.WIFSIGNALED(status):
                raise PKError(_("an import worker was stopped by signal {signal}; nothing was imported").format(
                    signal=os.WTERMSIG(status)))
            summary = pickle.loads(sent) if sent else _Summary(failure=f"exit status {os.WEXITSTATUS(status)}")
            if summary.failure is not None:
                raise PKError(_("an import worker failed ({problem}); nothing was imported").format(
                    problem=summary.failure))
            summaries.append(summary)
        return summaries
    finally:
        _stop([pid for pid, _end in started if pid], [end for _pid, end in started if end >= 0])


def _stop(pids: list[int], ends: list[int]) -> None:
    """Workers still running (the parent was interrupted, or another failed) are ended."""
    import signal

    for end in ends:
        try:
            os.close(end)
        except OSError:
            pass
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)


def _worker(parent: int, pipe: int, fd: int, start: int, name: str, index: int, count: int, path: str) -> None:
    """A worker's whole life: its share staged, its summary written, then `_exit` (nothing
    of the parent's, its `finally` blocks above all, runs twice)."""
    code = 1
    try:
        import signal

        # Ctrl-C reaches the whole process group: the parent unwinds and cleans up, a worker just ends.
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            if signal.getsignal(number) is not signal.SIG_IGN:
                signal.signal(number, signal.SIG_DFL)
        _end_with(parent)
        summary = _share(fd, start, name, index, count, path)
        sent = pickle.dumps(summary)
        with os.fdopen(pipe, "wb") as out:
            out.write(sent)
        code = 0
    finally:
        os._exit(code)


def _end_with(parent: int) -> None:
    """The worker is killed if pk ends without ending it (killed outright): Linux's
    parent-death signal, asked for through the C library."""
    import ctypes
    import signal

    pr_set_pdeathsig = 1
    try:
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, int(signal.SIGKILL))
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # pk was gone before the request took effect
        os._exit(1)


def _share(fd: int, start: int, name: str, index: int, count: int, path: str) -> _Summary:
    from promisekeeper import exchange, ledger
    from promisekeeper.db import bulk

    summary = _Summary()
    seen: set[str] = set()
    current: int | None = None
    try:
        with open(f"/proc/self/fd/{fd}", encoding="utf-8-sig", newline="") as source:
            share = exchange.Share(source, start, name, index, count)
            staged = bulk.Staging(path, unique=False)
            batch: list[tuple[int, bulk.Prepared]] = []
            try:
                for number, raw, place in share:
                    current = number
                    record = exchange.check(raw, place)
                    batch.append((number, ledger.prepare_import(record)))
                    current = None
                    if record.series is not None:
                        summary.members.append((number, batch[-1][1].uuid, record.series.uuid, record.series.slot))
                        if record.series.uuid not in seen:
                            seen.add(record.series.uuid)
                            summary.series.append((number, record.series))
                    if len(batch) == bulk.BATCH:
                        staged.take_numbered(batch)
                        batch = []
            except (BadInput, UnicodeDecodeError) as problem:
                summary.problem = (current if current is not None else share.read + 1), problem
            # The records before a problem are staged too: a uuid given twice among them
            # may come before it.
            staged.take_numbered(batch)
            staged.finish()
            staged.close()
            summary.promises, summary.events = staged.promises, staged.events
    except Exception as error:  # sent back in words, refused by the parent
        summary.failure = f"{type(error).__name__}: {error}"
    return summary
