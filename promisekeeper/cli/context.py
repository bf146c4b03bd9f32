"""A command's context, built once where the CLI starts and handed to the command.

The clock, the local zone, the config, the business calendar, the database and the view
are each made on first use and then shared. Tests may build one with a database and a
clock of their own and pass it to the app (`CliRunner().invoke(app, args, obj=context)`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, tzinfo
from functools import cached_property
from typing import TYPE_CHECKING, Any

from promisekeeper import clock
from promisekeeper.errors import BadInput

if TYPE_CHECKING:
    from promisekeeper.calendar import BusinessCalendar
    from promisekeeper.config import Config
    from promisekeeper.db.database import Database
    from promisekeeper.db.writing import Transaction
    from promisekeeper.render import View
    from promisekeeper.when import Resolved


class Context:
    """One command's view of the world; everything is read once and shared."""

    def __init__(
        self,
        *,
        now: datetime | None = None,
        zone: tzinfo | None = None,
        db: Database | None = None,
        config: Config | None = None,
    ) -> None:
        given: dict[str, Any] = {"now": now, "zone": zone, "db": db, "config": config}
        for name, value in given.items():
            if value is not None:
                self.__dict__[name] = value  # takes the place of the cached property

    @cached_property
    def now(self) -> datetime:
        try:
            return clock.now()
        except clock.ClockError as error:
            raise BadInput(str(error)) from None

    @cached_property
    def zone(self) -> tzinfo:
        return clock.local_zone()

    @cached_property
    def config(self) -> Config:
        from promisekeeper import config

        return config.load()

    @cached_property
    def calendar(self) -> BusinessCalendar:
        from promisekeeper.calendar import BusinessCalendar

        return BusinessCalendar.from_config(self.config)

    @cached_property
    def db(self) -> Database:
        from promisekeeper.db.database import Database

        return Database()

    @cached_property
    def view(self) -> View:
        from promisekeeper.render import View

        return View(now=self.now, zone=self.zone)

    @contextmanager
    def change(self) -> Iterator[Transaction]:
        """One write transaction; once it is committed the prompt schedule is brought up
        to date and tmux redraws its status line."""
        from promisekeeper import schedule

        with self.db.change() as tx:
            tx.after_commit(lambda: schedule.refresh_after_change(self.db, now=self.now))
            yield tx

    def deadline(self, words: str | list[str]) -> Resolved:
        """A new deadline from the time language; refused unless it is ahead."""
        from promisekeeper import when

        text = words if isinstance(words, str) else " ".join(words)
        try:
            resolved = when.parse_deadline(text, now=self.now, zone=self.zone, calendar=self.calendar)
        except when.WhenError as error:
            raise BadInput(str(error)) from None
        return _within_limits(resolved, text)

    def moment(self, words: str | list[str], *, past: bool = False) -> Resolved:
        """Any moment (for --at, --since, --until), ahead or behind."""
        from promisekeeper import when

        text = words if isinstance(words, str) else " ".join(words)
        parse = when.parse_since if past else when.parse
        try:
            resolved = parse(text, now=self.now, zone=self.zone, calendar=self.calendar)
        except when.WhenError as error:
            raise BadInput(str(error)) from None
        return _within_limits(resolved, text)


def _within_limits(resolved: Resolved, words: str) -> Resolved:
    """Every moment typed on the command line lies within the years every way in accepts."""
    from promisekeeper import limits

    limits.moment(resolved.at, repr(words))
    return resolved


def of(ctx: Any) -> Context:
    """The context of a running command (made at the root and shared by its subcommands)."""
    root = ctx.find_root()
    if not isinstance(root.obj, Context):
        root.obj = Context()
    return root.obj
