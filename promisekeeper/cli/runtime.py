"""What a command needs, made on first use: the clock, zone, config, calendar, database, view."""

from __future__ import annotations

from datetime import datetime, tzinfo
from functools import cached_property
from typing import TYPE_CHECKING

from promisekeeper import clock
from promisekeeper.errors import BadInput

if TYPE_CHECKING:
    from promisekeeper.calendar import BusinessCalendar
    from promisekeeper.config import Config
    from promisekeeper.render import View
    from promisekeeper.store import Database
    from promisekeeper.when import Resolved


class Runtime:
    """One command's view of the world; everything is read once and shared."""

    def __init__(self) -> None:
        # Issue 11: the language this command reads and writes — the `language` setting,
        # else the locale. Kept to these lines so it can move where the runtime is made.
        from promisekeeper import i18n

        i18n.activate(i18n.resolve(self.config.get("language")))

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
        from promisekeeper.store import Database

        return Database()

    @cached_property
    def view(self) -> View:
        from promisekeeper.render import View

        return View(now=self.now, zone=self.zone)

    def deadline(self, words: str | list[str]) -> Resolved:
        """A new deadline from the time language; refused unless it is ahead."""
        from promisekeeper import when

        text = words if isinstance(words, str) else " ".join(words)
        try:
            return when.parse_deadline(text, now=self.now, zone=self.zone, calendar=self.calendar)
        except when.WhenError as error:
            raise BadInput(str(error)) from None

    def moment(self, words: str | list[str], *, past: bool = False) -> Resolved:
        """Any moment (for --at, --since, --until), ahead or behind."""
        from promisekeeper import when

        text = words if isinstance(words, str) else " ".join(words)
        parse = when.parse_since if past else when.parse
        try:
            return parse(text, now=self.now, zone=self.zone, calendar=self.calendar)
        except when.WhenError as error:
            raise BadInput(str(error)) from None
