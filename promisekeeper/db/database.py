"""One database, as commands use it: read transactions, and changes with their follow-ups."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from promisekeeper.db.reader import Reader, open_reader
from promisekeeper.db.target import Target, current

if TYPE_CHECKING:
    from promisekeeper.db.writing import Transaction, Writer


class Database:
    """A database target; the write half (SQLAlchemy) is loaded only when a change is made."""

    def __init__(self, target: Target | str | None = None) -> None:
        if target is None:
            target = current()
        self.target = target if isinstance(target, Target) else Target(target)
        self._writer: Writer | None = None

    @property
    def key(self) -> str:
        return self.target.key

    @property
    def file(self) -> str | None:
        return self.target.file

    @property
    def shown(self) -> str:
        return self.target.shown

    @contextmanager
    def reading(self) -> Iterator[Reader]:
        """A read transaction (one snapshot), over plain DB-API."""
        with open_reader(self.target) as reader:
            yield reader

    @contextmanager
    def change(self) -> Iterator[Transaction]:
        """A write transaction through the ORM; committed when the block ends."""
        with self.writer.transaction() as tx:
            yield tx

    @property
    def writer(self) -> Writer:
        if self._writer is None:
            from promisekeeper.db.writing import Writer

            self._writer = Writer(self.target)
        return self._writer

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None
