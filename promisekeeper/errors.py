"""Errors that carry their exit code; the CLI turns them into one line on stderr."""

from __future__ import annotations


class PKError(Exception):
    """A failure to report to the user as one line, without a traceback."""

    exit_code = 1


class BadInput(PKError):
    """The user asked for something malformed or impossible: nothing was written."""

    exit_code = 2


class NotFound(PKError):
    """No promise (or other thing) matches what was named."""

    exit_code = 1


class StorageError(PKError):
    """The database cannot be opened, read or written."""

    exit_code = 1


class NoDatabase(StorageError):
    """There is no database where one is configured, and this command does not make one."""


class Interrupted(BaseException):
    """A signal (Ctrl-C, SIGTERM, SIGHUP) asked pk to stop.

    A BaseException, like KeyboardInterrupt, so that nothing on the way out mistakes it
    for an ordinary failure: it unwinds through every `with` and `finally` (a write
    transaction rolls back, temporary files are removed) to `__main__`, which says so in
    one line and exits 128 + the signal's number.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


# The signals that asked pk to stop. Python drops an exception raised where it cannot pass
# it on (a weakref callback, a __del__), so the request is also kept here, and a write
# checks it before it commits: a stop that was asked for is never followed by a commit.
stop_requests: list[int] = []


def raise_if_stopped() -> None:
    """Raise Interrupted if a signal asked pk to stop (whether or not its exception got through)."""
    if stop_requests:
        raise Interrupted(stop_requests[0])


def silence_stdout() -> int:
    """The reader went away (`pk list | head`): point stdout at /dev/null so exiting is quiet."""
    import os
    import sys

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 0


def write_out(text: str) -> int:
    """Write text to stdout and flush: 0 when done or the reader left, 1 (with a line on
    stderr) when it cannot be written, e.g. on a full disk."""
    import sys

    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        return silence_stdout()
    except OSError as error:
        sys.stderr.write(f"pk: cannot write the output: {error.strerror}\n")
        return 1
    return 0
