"""The daily briefing: what is overdue and what is due today, in a small panel.

`pk brief --once-a-day` shows it only the first time each local day, so the shell
snippets can run it at every shell start; a plain `pk brief` shows it and leaves the
day unmarked. The day it was last shown with `--once-a-day` is kept in a
one-line state file per database ("2026-11-23"), which the snippets compare with
today's date themselves: once it has been shown, a new shell starts no process for it.
Nothing is shown, and the day is not marked, when nothing is overdue or due today.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from promisekeeper import owner as ownership
from promisekeeper import paths
from promisekeeper.db import read_journal, read_outbox, read_promises
from promisekeeper.errors import NoDatabase
from promisekeeper.lang.i18n import ngettext
from promisekeeper.views import caught_up
from promisekeeper.views.notices import waiting_line
from promisekeeper.views.render import (
    SCREENFUL,
    View,
    grouped,
    more_overdue,
    more_today,
    overdue_heading,
    today_heading,
)
from promisekeeper.views.styled import Styled
from promisekeeper.when import timefmt
from promisekeeper.windows import Windows

if TYPE_CHECKING:
    from promisekeeper.db.database import Database
    from promisekeeper.db.rows import Attempts, PromiseRow
    from promisekeeper.when.calendar import BusinessCalendar


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


def brief(db: Database, view: View, *, once_a_day: bool, whose: ownership.Whose | None = None) -> bool:
    """Show the briefing (unless already shown today, with once_a_day); True if shown.

    On a database shared by several owners it counts the caller's own promises (as the prompt
    segment that makes the shell hooks ask for it does), unless `whose` asks for a
    colleague's or the team's."""
    path = state_path(db.key)
    today = local_day(view.now, view.zone)
    if once_a_day and last_shown(path) == today:
        return False
    try:
        with db.reading() as reader:
            present = read_promises.owners(reader)
            whose = whose or ownership.Whose(ownership.me())
            view.owners = whose.labelled(present)
            mine = read_promises.Filters(owners=whose.owners(present))
            at = Windows.at(view.now, view.zone)
            plan = read_promises.agenda(reader, at=at, filters=mine, upcoming=0, section=SCREENFUL)
            # a series' missed check-in as the next change leaves it: its successor instead
            caught = caught_up.missed(reader, now=view.now, calendar=_calendar)
            plan = caught_up.agenda(plan, caught, now=view.now, day_end=at.day_end, upcoming=0)
            shown = plan.shown
            tried = read_journal.attempts(reader, [p.id for p in shown])
            waiting = 0 if whose.team else read_outbox.waiting_count(reader, owner=whose.owner or whose.me)
    except NoDatabase:
        if once_a_day:  # the shell's daily briefing: no promises yet, nothing to say
            return False
        raise
    if not shown and not waiting:
        return False
    if shown:
        show(view, plan.overdue, plan.today, tried, more=(plan.more_overdue, plan.more_today), caught=caught)
    notices_waiting = waiting_line(waiting)
    if notices_waiting is not None:
        view.line(notices_waiting)
    if once_a_day:  # a briefing asked for by hand leaves the shell's daily one to come
        mark_shown(path, today)
    return True


def show(
    view: View, overdue: list[PromiseRow], today: list[PromiseRow], tried: dict[int, Attempts],
    *, more: tuple[int, int] = (0, 0), caught: Collection[int] = (),
) -> None:
    """A panel on a terminal; plain lines, as `pk` prints them, when piped. `more`: how many
    overdue and due today there are beyond those listed; `caught`: missed check-ins whose
    rows show their successors."""
    from promisekeeper.views.checkins import projected

    rows = {promise.id: projected(view.cells(promise, None), promise.id) if promise.id in caught
            else view.cells(promise, tried.get(promise.id)) for promise in (*overdue, *today)}
    view.align(list(rows.values()))
    counts = (len(overdue) + more[0], len(today) + more[1])
    groups = [
        (overdue_heading(counts[0]), [rows[p.id] for p in overdue], "bold red", more_overdue(more[0])),
        (today_heading(counts[1]), [rows[p.id] for p in today], "bold yellow", more_today(more[1])),
    ]
    if not view.terminal:
        view.line(headline(view, *counts))
        for title, group, _, rest in groups:
            view.promises(title, group, more=rest)
        return
    lines: list[Styled] = []
    for title, group, style, rest in groups:
        if group:
            lines += [Styled(title, style), *view.terminal_lines(group, width=view.out.width - 4)]
            lines += [Styled(rest, "dim")] if rest else []
    _panel(view, headline(view, *counts), "red" if overdue else "yellow", lines)


def _panel(view: View, title: str, border: str, lines: list[Styled]) -> None:
    """The lines in a Rich panel, coloured as the output's colour rules say."""
    from rich.console import Console, Group
    from rich.panel import Panel
    from rich.text import Text

    console = Console(
        file=view.out.stream, force_terminal=True, no_color=not view.out.color,
        color_system="standard" if view.out.color else None, width=view.out.width,
        highlight=False, markup=False, emoji=False,
    )
    body = Group(*(Text.assemble(*line.spans, no_wrap=True) for line in lines))
    console.print(Panel(body, title=Text(title, style="bold"), title_align="left", border_style=border, expand=False))


def _calendar() -> BusinessCalendar:
    from promisekeeper import config
    from promisekeeper.errors import PKError
    from promisekeeper.when.calendar import BusinessCalendar

    try:
        return BusinessCalendar.from_config(config.load())
    except PKError:  # a config file that cannot be read: the briefing still shows, on the default calendar
        return BusinessCalendar()


def headline(view: View, overdue: int, today: int) -> str:
    """ "Mon 23 Nov: 2 overdue, 3 due today"."""
    counts = []
    if overdue:
        counts.append(ngettext("{count} overdue", "{count} overdue", overdue).format(count=grouped(overdue)))
    if today:
        counts.append(ngettext("{count} due today", "{count} due today", today).format(count=grouped(today)))
    day = timefmt.day_label(view.now.astimezone(view.zone).date())
    return f"{day}: {', '.join(counts)}"
