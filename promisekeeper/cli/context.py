"""A command's context, built once where the CLI starts and handed to the command.

The clock, the local zone, the config, the business calendar, the database and the view
are each made on first use and then shared. Tests may build one with a database and a
clock of their own and pass it to the app (`CliRunner().invoke(app, args, obj=context)`).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, tzinfo
from functools import cached_property
from typing import TYPE_CHECKING, Any

from promisekeeper.errors import BadInput
from promisekeeper.when import clock

if TYPE_CHECKING:
    from promisekeeper.config import Config
    from promisekeeper.db.database import Database
    from promisekeeper.db.writing import Transaction
    from promisekeeper.views.output import Output
    from promisekeeper.views.render import View
    from promisekeeper.when.calendar import BusinessCalendar
    from promisekeeper.when.resolve import Resolved


class Context:
    """One command's view of the world; everything is read once and shared."""

    def __init__(
        self,
        *,
        now: datetime | None = None,
        zone: tzinfo | None = None,
        db: Database | None = None,
        config: Config | None = None,
        color: str | None = None,
    ) -> None:
        self.color = color  # --color: auto, always or never (None: as the environment says)
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
        zone = clock.local_zone()
        unknown = clock.unrecognized_tz()
        if unknown is not None:
            from promisekeeper.lang.i18n import _
            from promisekeeper.sanitize import clean
            from promisekeeper.views.styled import shorten

            sys.stderr.write("pk: " + _(
                "warning: TZ={value} is not a time zone this system knows; using UTC. "
                "Set TZ to an IANA name such as Europe/Stockholm, or unset it"
            ).format(value=shorten(clean(unknown), 60)) + "\n")
        return zone

    @cached_property
    def config(self) -> Config:
        from promisekeeper import config

        return config.load()

    @cached_property
    def calendar(self) -> BusinessCalendar:
        from promisekeeper.when.calendar import BusinessCalendar

        return BusinessCalendar.from_config(self.config)

    @cached_property
    def db(self) -> Database:
        from promisekeeper.db.database import Database

        self.now  # noqa: B018 -- a clock out of range is bad input (exit 2), said before "no database"
        return Database()

    @cached_property
    def out(self) -> Output:
        from promisekeeper.views.output import Output

        return Output(color=self.color)

    @cached_property
    def view(self) -> View:
        from promisekeeper.views.render import View

        return View(now=self.now, zone=self.zone, out=self.out)

    def speak(self) -> None:
        """Speak the configured language (`language`), else the locale's, from now on."""
        from promisekeeper.errors import PKError
        from promisekeeper.lang import i18n

        try:
            configured = self.config.get("language")
        except PKError:
            configured = None  # a broken config file is reported by the command that reads it
        i18n.activate(i18n.resolve(configured))

    @contextmanager
    def change(self, *, create: bool = False, attach: str | None = None) -> Iterator[Transaction]:
        """One write transaction; series' missed check-ins are caught up in it first (in a
        savepoint: a failure there never costs the change); once it is committed the prompt
        schedule is brought up to date and tmux redraws its status line. `create`: this
        command may make the database when there is none (`pk add`, `pk import`). `attach`:
        see `Writer.transaction`."""
        from promisekeeper import owner as ownership
        from promisekeeper.series.catchup import catch_up
        from promisekeeper.shell import schedule

        database = self.db.creating() if create else self.db
        with database.change(attach=attach) as tx:
            tx.author = ownership.me(self.config.get("owner"))
            tx.after_commit(lambda: schedule.refresh_after_change(self.db, now=self.now))
            catch_up(tx, now=self.now, calendar=lambda: self.calendar)
            yield tx

    def deadline(self, words: str | list[str], *, customer_zone: str | None = None) -> Resolved:
        """A new deadline from the time language; refused unless it is ahead.

        `customer_zone` is the zone of a promise made on the customer's clock: the phrase is read
        on that clock and the deadline keeps that zone, unless the phrase names another.
        """
        from dataclasses import replace

        from promisekeeper.when import resolve as when
        from promisekeeper.when.zones import zone as named_zone

        text = words if isinstance(words, str) else " ".join(words)
        reading_zone = named_zone(customer_zone) or self.zone
        try:
            resolved = when.parse_deadline(text, now=self.now, zone=reading_zone, calendar=self.calendar)
        except when.WhenError as error:
            raise BadInput(str(error)) from None
        return _within_limits(replace(resolved, zone=resolved.zone or customer_zone), text)

    def moment(self, words: str | list[str], *, past: bool = False) -> Resolved:
        """Any moment (for --at, --since, --until), ahead or behind."""
        from promisekeeper.when import resolve as when

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


# Commands that run whatever the config file holds: the prompt never fails, completion and
# help need no setting, and `pk config` reads the file itself (`pk config path` says where).
CONFIG_UNCHECKED = frozenset({"prompt", "init", "completion", "help", "config"})


def check_config(ctx: Any) -> None:
    """Refuse a config file that cannot be read or is not TOML before any other command
    runs, so every command says the same line, whether or not it needs a setting."""
    if ctx.invoked_subcommand not in CONFIG_UNCHECKED:
        from promisekeeper import config

        config.check()
