"""The daily briefing: what is overdue and what is due today, in a small panel.

`pk brief --once-a-day` shows it only the first time each local day, so the shell
snippets can run it at every shell start. The day it was last shown is kept in a
one-line state file per database ("2026-11-23"), which the snippets compare with
today's date themselves: once it has been shown, a new shell starts no process for it.
Nothing is shown, and the day is not marked, when nothing is overdue or due today.
"""

from __future__ import annotations

import os
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from promisekeeper import owner as ownership
from promisekeeper import paths, timefmt
from promisekeeper.db import read_journal, read_promises
from promisekeeper.render import View
from promisekeeper.windows import Windows

if TYPE_CHECKING:
    from promisekeeper.db.database import Database
    from promisekeeper.db.rows import Attempts, PromiseRow


def state_path(target: str) -> str:
    return paths.state_file("brief", target)


def local_day(now: datetime, zone: tzinfo) -> str:
    """The local date as the state file and the shell snippets spell it: 2026-11-23."""
    return now.astimezone(zone).date().isoformat()


def last_shown(path: str) -> str | None:
    read = paths.read_regular(path, limit=64)  # a FIFO or a device in its place is ignored
    if read is None:
        return None
    try:
        return read[0].decode("utf-8").strip() or None
    except UnicodeDecodeError:
        return None


def mark_shown(path: str, day: str) -> None:
    """Record the day atomically; failing to is not worth failing the briefing for."""
    try:
        paths.atomic_write(path, (day + "\n").encode("utf-8"))
    except OSError:
        pass


def brief(db: Database, view: View, *, once_a_day: bool, owner: str | None = None) -> bool:
    """Show the briefing (unless already shown today, with once_a_day); True if shown.

    On a database shared by several owners it counts `owner`'s promises only, as the prompt
    segment that makes the shell hooks ask for it does."""
    path = state_path(db.key)
    today = local_day(view.now, view.zone)
    if once_a_day and last_shown(path) == today:
        return False
    if db.file is not None and not os.path.exists(db.file):
        return False  # no promises yet; do not create the database for a briefing
    with db.reading() as reader:
        mine = read_promises.Filters(owners=ownership.view(read_promises.owners(reader), owner))
        plan = read_promises.agenda(
            reader, at=Windows.at(view.now, view.zone), filters=mine, upcoming=0
        )
        shown = plan.shown
        tried = read_journal.attempts(reader, [p.id for p in shown])
    if not shown:
        return False
    show(view, plan.overdue, plan.today, tried)
    mark_shown(path, today)
    return True


def show(
    view: View, overdue: list[PromiseRow], today: list[PromiseRow], tried: dict[int, Attempts]
) -> None:
    """A panel on a terminal; plain lines, as `pk` prints them, when piped."""
    if not view.rich:
        view.line(headline(view, overdue, today))
        view.align([*overdue, *today])
        view.promises(f"Overdue ({len(overdue)})", overdue, tried)
        view.promises(f"Due today ({len(today)})", today, tried)
        return
    view.align([*overdue, *today])
    parts: list[Table | Text] = []
    if overdue:
        parts.append(view.table(f"Overdue ({len(overdue)})", overdue, tried, "bold red"))
    if today:
        parts.append(view.table(f"Due today ({len(today)})", today, tried, "bold yellow"))
    border = "red" if overdue else "yellow"
    title = Text(headline(view, overdue, today), style="bold")
    view.console.print(
        Panel(Group(*parts), title=title, title_align="left", border_style=border, expand=False)
    )


def headline(view: View, overdue: list[PromiseRow], today: list[PromiseRow]) -> str:
    """ "Mon 23 Nov: 2 overdue, 3 due today"."""
    counts = []
    if overdue:
        counts.append(f"{len(overdue)} overdue")
    if today:
        counts.append(f"{len(today)} due today")
    day = timefmt.day_label(view.now.astimezone(view.zone).date())
    return f"{day}: {', '.join(counts)}"
