"""The one exception of the libpq reads: libpq's message, and the server's SQLSTATE."""

from __future__ import annotations


class Error(Exception):
    """A failure libpq reported, with its SQLSTATE when the server gave one."""

    def __init__(self, message: str, sqlstate: str | None = None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate

