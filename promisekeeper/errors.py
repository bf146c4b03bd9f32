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
