"""Checking an import's promises and making their rows on every core (`pk import`).

Decoding a file is one pass, but checking each promise against the limits and making its
rows is most of an import's time, and no promise's depends on another's. So, for a file of
some thousands, worker processes (forked, one per core) take its decoded records in
chunks, in turn, and send back their rows; the rows come back in the file's order, and a
refusal after the rows before it, so what is staged and which problem is named (the first
in the file) are as in one process. A worker holds one chunk at a time, so memory stays flat.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, islice
from typing import Any

CHUNK = 500  # records a worker is sent at a time: enough to amortise the sending
SMALL = 4 * CHUNK  # a file with fewer records is checked here: starting workers would cost more
MOST_WORKERS = 4

Make = Callable[[Any, str], Any]  # (raw record, its place) -> what the caller stores


def checked(pairs: Iterable[tuple[Any, str]], make: Make) -> Iterator[Any]:
    """`make(raw, place)` for each pair, in order; the first exception it raises is raised
    where that record stands, after everything made from the records before it."""
    iterator = iter(pairs)
    head = list(islice(iterator, SMALL))
    workers = _workers() if len(head) == SMALL else 0
    if workers < 2:
        yield from (make(raw, place) for raw, place in chain(head, iterator))
        return
    yield from _spread(chain(head, iterator), make, workers)


def _workers() -> int:
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return 0  # a worker must start with the parent's state (settings, language) as it is
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    return min(cores, MOST_WORKERS)


def _spread(pairs: Iterator[tuple[Any, str]], make: Make, count: int) -> Iterator[Any]:
    chunks = _Chunks(pairs)
    workers = [_Worker(make) for _ in range(count)]
    try:
        turns: deque[_Worker] = deque()
        for worker in workers:
            if chunks.give(worker):
                turns.append(worker)
        while turns:
            worker = turns.popleft()
            done, problem = worker.take()
            # Its next chunk goes out before these rows are handed on: it works meanwhile.
            if problem is None and chunks.give(worker):
                turns.append(worker)
            yield from done
            if problem is not None:
                raise problem
        chunks.raise_pending()
    finally:
        for worker in workers:
            worker.stop()


class _Chunks:
    """The records a chunk at a time. A problem met while reading them (the decoder's) is
    held back until the records before it have been handed on, as in one process."""

    def __init__(self, pairs: Iterator[tuple[Any, str]]) -> None:
        self.pairs = pairs
        self.pending: BaseException | None = None

    def give(self, worker: _Worker) -> bool:
        """Send the next chunk to `worker`; False when there is none (or a problem is held)."""
        if self.pending is not None:
            return False
        chunk: list[tuple[Any, str]] = []
        try:
            for pair in self.pairs:
                chunk.append(pair)
                if len(chunk) == CHUNK:
                    break
        except Exception as problem:  # raised after the records before it
            self.pending = problem
        if not chunk:
            return False
        worker.send(chunk)
        return True

    def raise_pending(self) -> None:
        if self.pending is not None:
            raise self.pending


class _Worker:
    """A forked process that makes rows from the chunks it is sent, one at a time."""

    def __init__(self, make: Make) -> None:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self.connection, theirs = context.Pipe()
        self.process = context.Process(target=_serve, args=(theirs, make), daemon=True)
        self.process.start()
        theirs.close()

    def send(self, chunk: list[tuple[Any, str]]) -> None:
        self.connection.send(chunk)

    def take(self) -> tuple[list[Any], BaseException | None]:
        try:
            done, problem = self.connection.recv()
        except EOFError:
            raise RuntimeError(f"an import worker stopped (exit code {self.process.exitcode})") from None
        return done, problem

    def stop(self) -> None:
        self.connection.close()
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()


def _serve(connection: Any, make: Make) -> None:
    """A worker's life: make each chunk's rows, send them (and the first problem) back."""
    import signal

    # The parent unwinds on Ctrl-C and stops its workers; a worker simply ends.
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, signal.SIG_DFL)
    while True:
        try:
            chunk = connection.recv()
        except EOFError:
            return
        done: list[Any] = []
        problem: BaseException | None = None
        try:
            for raw, place in chunk:
                done.append(make(raw, place))
        except Exception as error:  # sent back, raised by the parent in order
            problem = error
        try:
            connection.send((done, problem))
        except Exception as error:  # a problem that cannot be sent: its words can
            connection.send((done, RuntimeError(f"{type(problem).__name__}: {problem} ({error})")))
