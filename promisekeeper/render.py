"""Showing promises: Rich on a terminal, plain stable lines when piped, JSON for scripts.

User text never reaches the terminal as markup or control codes: it is wrapped in
`rich.text.Text` (never parsed for markup) after `sanitize.clean` strips control
characters, and JSON escapes anything a terminal would obey.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import datetime, tzinfo
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from promisekeeper import sanitize, timefmt
from promisekeeper.db.rows import Attempts, PromiseRow
from promisekeeper.errors import PKError
from promisekeeper.windows import Windows

STATE_STYLE = {"overdue": "bold red", "today": "yellow", "upcoming": "green", "kept": "blue", "released": "dim"}


def make_console(*, stderr: bool = False) -> Console:
    # Rich honours NO_COLOR and FORCE_COLOR itself; markup is off because we never
    # print user text as a markup string.
    return Console(stderr=stderr, highlight=False, markup=False, emoji=False)


def write_json(document: Any) -> None:
    """Print a JSON document (UTF-8, indented, terminal-safe) to stdout."""
    text = json.dumps(document, ensure_ascii=False, indent=2)
    sys.stdout.write(sanitize.json_safe(text) + "\n")
    sys.stdout.flush()


def user(text: str | None, style: str = "") -> Text:
    """User-supplied text as a Rich Text: literal, without control characters."""
    return Text(sanitize.clean(text), style=style)


class View:
    """Renders for one command: knows the console, the clock and the local zone."""

    def __init__(self, *, now: datetime, zone: tzinfo, console: Console | None = None) -> None:
        self.now = now
        self.zone = zone
        self.console = console or make_console()
        self.rich = self.console.is_terminal
        self._groups = 0
        self._widths: dict[str, int] = {}
        self.windows = Windows.at(now, zone)

    # -- building blocks -------------------------------------------------------------

    def line(self, text: Text | str = "") -> None:
        """One line of output: styled on a terminal, plain text otherwise."""
        if self.rich:
            self.console.print(text, soft_wrap=True)
        else:
            plain = text.plain if isinstance(text, Text) else text
            sys.stdout.write(plain + "\n")

    def status(self, promise: PromiseRow) -> str:
        if promise.state != "open":
            return promise.state
        standing = self.windows.standing(promise.due_at)
        return "upcoming" if standing == "next" else standing

    def due(self, promise: PromiseRow, *, at: datetime | None = None) -> str:
        """ "Tue 24 Nov 10:00 (16:00 Europe/Rome)" — both clocks when they differ."""
        return self.both_clocks(at or promise.due_at, promise.due_tz)

    def both_clocks(self, at: datetime, due_tz: str | None) -> str:
        """A moment on your clock, and on the customer's (`due_tz`) when that reads differently."""
        text = timefmt.moment(at, self.zone, now=self.now)
        theirs = timefmt.customer_clock(at, self.zone, due_tz)
        return f"{text} ({theirs})" if theirs else text

    def _local_due(self, promise: PromiseRow, *, at: datetime | None = None) -> str:
        return timefmt.moment(at or promise.due_at, self.zone, now=self.now)

    def when(self, promise: PromiseRow) -> str:
        """Where the deadline stands: "in 10h", "2h late", or the outcome once closed."""
        if promise.state == "open":
            return timefmt.distance(promise.due_at, self.now)
        assert promise.closed_at is not None
        if promise.state == "kept":
            verdict = "late" if promise.closed_at > promise.due_at else "on time"
            return f"kept {verdict}"
        return "released"

    def party(self, promise: PromiseRow) -> Text:
        """Who, how and which ticket: "Eva Spacek · email · INC-4821"."""
        parts = [p for p in (promise.who, promise.contact, promise.via, promise.ref) if p]
        return Text(" · ").join(user(part) for part in parts)

    def tags(self, promise: PromiseRow) -> Text:
        return Text(" ").join(user(f"+{tag}", "cyan") for tag in promise.tags)

    def attempts(self, tried: Attempts | None) -> str:
        if not tried or not tried.count or tried.last is None:
            return ""
        same_day = tried.last.astimezone(self.zone).date() == self.now.astimezone(self.zone).date()
        last = timefmt.clock(tried.last, self.zone) if same_day else timefmt.moment(tried.last, self.zone, now=self.now)
        return f"tried {tried.count}× — last {last}"

    # -- promise lists ------------------------------------------------------------------

    _ALIGNED = ("id", "due", "when")

    def align(self, items: Sequence[PromiseRow]) -> None:
        """Line up the id, due and when columns of the groups that will show these promises."""
        cells = [(f"#{p.id}", self._due_cell(p).plain, self.when(p)) for p in items]
        self._widths = {
            name: max((len(line) for row in cells for line in row[i].splitlines()), default=0)
            for i, name in enumerate(self._ALIGNED)
        }

    def promises(
        self,
        title: str,
        items: Sequence[PromiseRow],
        tried: dict[int, Attempts],
        *,
        style: str = "",
    ) -> None:
        """A titled group of promises, one row each; groups are separated by a blank line."""
        if not items:
            return
        if self._groups:
            self.line()
        self._groups += 1
        if self.rich:
            self.console.print(self.table(title, items, tried, style))
            return
        self.line(f"{title}:")
        for promise in items:
            self.line(self.plain_row(promise, tried.get(promise.id or 0)))

    def table(self, title: str, items: Sequence[PromiseRow], tried: dict[int, Attempts], style: str = "") -> Table:
        """The Rich table of a titled group (the agenda and the briefing panel use it)."""
        table = Table(
            title=Text(title, style=style or "bold"), title_justify="left", box=None,
            show_header=False, pad_edge=False, padding=(0, 1),
        )
        for column in ("id", "due", "when", "detail"):
            table.add_column(
                column, overflow="fold", no_wrap=column in self._ALIGNED, min_width=self._widths.get(column)
            )
        for promise in items:
            status = self.status(promise)
            table.add_row(
                Text(f"#{promise.id}", "dim"),
                self._due_cell(promise),
                Text(self.when(promise), STATE_STYLE.get(status, "")),
                self._detail_cell(promise, tried.get(promise.id or 0), bold=status == "overdue"),
            )
        return table

    def _due_cell(self, promise: PromiseRow) -> Text:
        # The customer's clock goes under yours, so the column stays narrow.
        cell = Text(self._local_due(promise))
        theirs = timefmt.customer_clock(promise.due_at, self.zone, promise.due_tz)
        if theirs:
            cell.append(f"\n{theirs}", "dim")
        return cell

    def _detail_cell(self, promise: PromiseRow, tried: Attempts | None, *, bold: bool) -> Text:
        """What was promised, and under it who, how, tags and attempts (a narrow terminal
        then wraps between those, not inside a phone number)."""
        cell = user(promise.what, "bold" if bold else "")
        second = [part for part in (self.party(promise), self.tags(promise), Text(self.attempts(tried), "magenta")) if part]
        if second:
            cell.append("\n")
            line = Text(" · ").join(second)
            line.stylize("dim", 0, len(self.party(promise)))
            cell.append_text(line)
        return cell

    def plain_row(self, promise: PromiseRow, tried: Attempts | None) -> str:
        """A stable one-line form: "#12  Tue 24 Nov 10:00  in 10h  What  — who · via · ref  +tag"."""
        fields = [f"#{promise.id}", self.due(promise), self.when(promise), sanitize.clean(promise.what)]
        party = self.party(promise).plain
        if party:
            fields.append(f"— {party}")
        extra = " ".join(part for part in (self.tags(promise).plain, self.attempts(tried)) if part)
        if extra:
            fields.append(extra)
        return "  ".join(fields)

    def confirm(self, message: Text | str) -> None:
        """The one line that says what a command did, printed once the change is committed.

        If it cannot be written (a full disk), the change is kept all the same, and the
        error says so: a script must not retry it.
        """
        try:
            self.line(message)
            self.console.file.flush()
            sys.stdout.flush()
        except BrokenPipeError:
            raise  # the reader left: the change stands, and leaving quietly is right
        except OSError as error:
            raise unconfirmed(error) from None

    def confirm_json(self, document: Any) -> None:
        """A committed change's result as JSON (see confirm)."""
        try:
            write_json(document)
        except BrokenPipeError:
            raise
        except OSError as error:
            raise unconfirmed(error) from None


def unconfirmed(error: OSError) -> PKError:
    return PKError(
        f"the change was saved, but its confirmation could not be written: {error.strerror or error}"
    )


def promise_json(promise: PromiseRow, *, now: datetime, zone: tzinfo, tried: Attempts | None = None) -> dict[str, Any]:
    """The stable JSON form of a promise (documented in the README)."""
    return {
        "id": promise.id,
        "uuid": promise.uuid,
        "what": promise.what,
        "who": promise.who,
        "contact": promise.contact,
        "via": promise.via,
        "ref": promise.ref,
        "tags": list(promise.tags),
        "owner": promise.owner,
        "state": promise.state,
        "overdue": promise.state == "open" and promise.due_at < now,
        "due_at": timefmt.iso(promise.due_at),
        "due_local": timefmt.iso(promise.due_at.astimezone(zone)),
        "due_tz": promise.due_tz,
        "original_due_at": timefmt.iso(promise.original_due_at),
        "created_at": timefmt.iso(promise.created_at),
        "closed_at": timefmt.iso(promise.closed_at),
        "attempts": tried.count if tried else 0,
    }
