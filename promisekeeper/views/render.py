"""Showing promises: aligned rows on a terminal, plain stable lines when piped, JSON for scripts.

User text never reaches the terminal as markup or control codes: it enters lines through
`styled.user` (control characters removed), and JSON escapes anything a terminal would
obey. Nothing here imports Rich: a list of 100,000 promises is laid out with its column
widths computed once and written in chunks.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from datetime import datetime, tzinfo
from typing import Any, NamedTuple

from promisekeeper import sanitize
from promisekeeper.db.rows import JSON_KEYS, JSON_WHEN_GIVEN, Attempts, PromiseRow
from promisekeeper.errors import PKError
from promisekeeper.lang import vocabulary
from promisekeeper.lang.i18n import _, ngettext, pgettext
from promisekeeper.sanitize import clean
from promisekeeper.views.output import Output
from promisekeeper.views.styled import Styled, shorten
from promisekeeper.when import deadline, timefmt
from promisekeeper.windows import Windows

STATE_STYLE = {"overdue": "bold red", "today": "yellow", "upcoming": "green", "kept": "blue", "released": "dim"}
# How much of a promise's text a row shows; `pk show` and --json have all of it.
WHAT_SHOWN = 100
PARTY_SHOWN = 60


SCREENFUL = 10  # promises the agenda and the briefing list per section; the rest are counted


def overdue_heading(count: int) -> str:
    """The agenda's and the briefing's first heading: "Overdue (2)"."""
    return ngettext("Overdue ({count})", "Overdue ({count})", count).format(count=grouped(count))


def today_heading(count: int) -> str:
    """ "Due today (3)"."""
    return ngettext("Due today ({count})", "Due today ({count})", count).format(count=grouped(count))


def grouped(count: int) -> str:
    """A count with its thousands grouped as the language writes them: "23,310"."""
    # Translators: what separates thousands in a count, as in 23,310 (e.g. "." or a no-break space).
    return f"{count:,}".replace(",", pgettext("thousands separator", ","))


def more_overdue(count: int) -> str:
    """The line under a summary's overdue section: "… and 23,310 more (pk list --overdue)"."""
    if not count:
        return ""
    return ngettext("… and {count} more (pk list --overdue)", "… and {count} more (pk list --overdue)",
                    count).format(count=grouped(count))


def more_today(count: int) -> str:
    """The line under a summary's section of what is due today."""
    if not count:
        return ""
    return ngettext("… and {count} more (pk list --today)", "… and {count} more (pk list --today)",
                    count).format(count=grouped(count))


def write_json(document: Any) -> None:
    """Print a JSON document (UTF-8, indented, terminal-safe) to stdout."""
    text = json.dumps(document, ensure_ascii=False, indent=2)
    sys.stdout.write(sanitize.json_safe(text) + "\n")
    sys.stdout.flush()


class Cells(NamedTuple):
    """One promise's row, worked out once: the aligned columns and the text beside them."""

    ident: str
    due: str
    their_due: str
    when: str
    status: str
    what: str
    party: str
    tags: str
    attempts: str
    owner: str = ""  # "owner Ann Lind", when the rows are a colleague's or the team's
    parties: tuple[tuple[str, str], ...] = ()  # the party's parts by role, to fit a narrow window

    @property
    def detail(self) -> Styled:
        """The line under what was promised: who, how, tags, attempts and (for the team) owner."""
        parts = ((self.party, "dim"), (self.tags, "cyan"), (self.attempts, "magenta"), (self.owner, "blue"))
        return Styled(" · ").join(Styled(text, style) for text, style in parts)


def _fitted(row: Cells, room: int) -> Cells:
    """The row with its party fitted into `room` beside the rest of its detail line: the
    contact goes first, then the channel, then who is shortened; the ticket stays whole,
    for it and the customer's name are what a technician looks for."""
    over = len(row.detail) - room
    if over <= 0 or not row.parties:
        return row
    kept = dict(row.parties)
    budget = len(row.party) - over

    def joined() -> str:
        return " · ".join(kept.values())

    for role in ("contact", "via"):
        if len(joined()) <= budget:
            break
        kept.pop(role, None)
    if len(joined()) > budget and "who" in kept and len(kept) > 1:
        others = len(joined()) - len(kept["who"])
        kept["who"] = shorten(kept["who"], max(budget - others, 6))
    return row._replace(party=joined())


class View:
    """Renders for one command: knows the output, the clock and the local zone."""

    def __init__(self, *, now: datetime, zone: tzinfo, out: Output | None = None) -> None:
        self.now = now
        self.zone = zone
        self.out = out or Output()
        self.windows = Windows.at(now, zone)
        self.owners = False  # whether each row names its owner (a colleague's or the team's)
        self._groups = 0
        self._widths = (0, 0, 0)

    @property
    def terminal(self) -> bool:
        return self.out.terminal

    def line(self, text: Styled | str = "") -> None:
        self.out.line(text)

    # -- the words of a promise -----------------------------------------------------------

    def status(self, promise: PromiseRow) -> str:
        if promise.state != "open":
            return str(promise.state)
        standing = self.windows.standing(promise.due_at)
        return "upcoming" if standing == "next" else standing

    def due(
        self, promise: PromiseRow, *, at: datetime | None = None, tz: str | None = "", nested: bool = False
    ) -> str:
        """ "Tue 24 Nov 10:00 (16:00 Europe/Rome)" — both clocks when they differ.

        `at` shows another of its deadlines (its first, its previous) on the clock of `tz`
        (default: the promise's own zone); `nested`: it stands in parentheses already.
        """
        return self.both_clocks(at or promise.due_at, promise.due_tz if tz == "" else tz, nested=nested)

    def both_clocks(self, at: datetime, due_tz: str | None, *, nested: bool = False) -> str:
        """A moment on your clock, and on the customer's (`due_tz`) when that reads differently:
        in parentheses, or after a comma when the whole stands in parentheses already."""
        text = timefmt.moment(at, self.zone, now=self.now)
        theirs = timefmt.customer_clock(at, self.zone, due_tz)
        if not theirs:
            return text
        return f"{text}, {theirs}" if nested else f"{text} ({theirs})"

    def when(self, promise: PromiseRow) -> str:
        """Where the deadline stands: "in 10h", "2h late", or the outcome once closed."""
        if promise.state == "open":
            return timefmt.distance(promise.due_at, self.now)
        if promise.state == "kept" and promise.closed_at is not None:
            return _("kept late") if deadline.is_late(promise.closed_at, promise.due_at) else _("kept on time")
        return vocabulary.state("released")

    def party(self, promise: PromiseRow) -> str:
        """Who, how and which ticket: "Eva Spacek · email · INC-4821" (safe to print)."""
        return " · ".join(text for _role, text in self.parties(promise))

    def parties(self, promise: PromiseRow) -> tuple[tuple[str, str], ...]:
        parts = zip(("who", "contact", "via", "ref"), (promise.who, promise.contact, promise.via, promise.ref))
        return tuple((role, clean(shorten(part, PARTY_SHOWN))) for role, part in parts if part)

    def tags(self, promise: PromiseRow) -> str:
        return " ".join(f"+{clean(tag)}" for tag in promise.tags)

    def attempts(self, tried: Attempts | None) -> str:
        if not tried or not tried.count or tried.last is None:
            return ""
        same_day = tried.last.astimezone(self.zone).date() == self.now.astimezone(self.zone).date()
        last = timefmt.clock(tried.last, self.zone) if same_day else timefmt.moment(tried.last, self.zone, now=self.now)
        return ngettext("tried {count}× — last {last}", "tried {count}× — last {last}", tried.count).format(
            count=tried.count, last=last
        )

    # -- promise lists ------------------------------------------------------------------------

    def cells(self, promise: PromiseRow, tried: Attempts | None) -> Cells:
        status = self.status(promise)
        theirs = timefmt.customer_clock(promise.due_at, self.zone, promise.due_tz) or ""
        what = clean(shorten(promise.what, WHAT_SHOWN))
        return Cells(f"#{promise.id}", timefmt.moment(promise.due_at, self.zone, now=self.now), theirs,
                     self.when(promise), status, what, self.party(promise), self.tags(promise),
                     self.attempts(tried), self.owner(promise) if self.owners else "", self.parties(promise))

    def owner(self, promise: PromiseRow) -> str:
        """ "owner Ann Lind" (safe to print), or "no owner"."""
        if not promise.owner:
            return _("no owner")
        return _("owner {name}").format(name=clean(shorten(promise.owner, PARTY_SHOWN)))

    def align(self, rows: Sequence[Cells]) -> None:
        """Line up the id, due and when columns of the groups that will show these rows."""
        self._widths = (
            max((len(row.ident) for row in rows), default=0),
            max((len(row.due) for row in rows), default=0),  # a zone line may reach further
            max((len(row.when) for row in rows), default=0),
        )

    def promises(self, title: str, rows: Sequence[Cells], *, style: str = "", more: str = "") -> None:
        """A titled group of promises; groups are separated by a blank line. `more`: a last
        line saying how many more there are, and where."""
        if not rows:
            return
        if self._groups:
            self.line()
        self._groups += 1
        if not self.terminal:
            self.out.lines([f"{title}:", *(self.plain_row(row) for row in rows), *([more] if more else [])])
            return
        self.line(Styled(title, style or "bold"))
        self.out.lines(self.terminal_lines(rows))
        if more:
            self.line(Styled(more, "dim"))

    def terminal_lines(self, rows: Sequence[Cells], *, width: int | None = None) -> Iterator[Styled]:
        """Each row as one or two lines, columns padded to the widths already worked out
        (`align`), cut to the window's width (or `width`)."""
        if self._widths == (0, 0, 0):
            self.align(rows)
        id_width, due_width, when_width = self._widths
        indent = id_width + due_width + when_width + 6
        room = max((width or self.out.width) - indent, 10)
        for row in rows:
            what = Styled(row.what, "bold" if row.status == "overdue" else "")
            yield Styled.assemble(
                (row.ident.ljust(id_width), "dim"), "  ", row.due.ljust(due_width), "  ",
                (row.when.ljust(when_width), STATE_STYLE.get(row.status, "")), "  ", what.shortened(room),
            )
            if row.their_due or row.detail:
                head = " " * (id_width + 2) + row.their_due
                head = head.ljust(indent) if len(head) + 2 <= indent else head + "  "
                space = max((width or self.out.width) - len(head), 10)
                yield Styled.assemble((head, "dim"), _fitted(row, space).detail.shortened(space))

    def plain_row(self, row: Cells) -> Styled | str:
        """A stable one-line form: "#12  Tue 24 Nov 10:00  in 10h  What  — who · via · ref  +tag"
        (coloured when colour is forced into a pipe)."""
        due = f"{row.due} ({row.their_due})" if row.their_due else row.due
        fields = [(row.ident, "dim"), (due, ""), (row.when, STATE_STYLE.get(row.status, "")),
                  (row.what, "bold" if row.status == "overdue" else "")]
        if row.party:
            fields.append((f"— {row.party}", "dim"))
        extra = " ".join(part for part in (row.tags, row.attempts) if part)
        if row.owner:
            extra = f"{extra}  {row.owner}" if extra else row.owner
        if extra:
            fields.append((extra, "cyan"))
        if not self.out.color:
            return "  ".join(text for text, _ in fields)
        return Styled("  ").join(Styled(text, style) for text, style in fields)

    # -- a committed change ---------------------------------------------------------------------

    def confirm(self, message: Styled | str) -> None:
        """The one line that says what a command did, printed once the change is committed.

        If it cannot be written (a full disk), the change is kept all the same, and the
        error says so: a script must not retry it.
        """
        try:
            self.line(message)
            self.out.flush()
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
        _("the change was saved, but its confirmation could not be written: {reason}").format(
            reason=error.strerror or error
        )
    )


def promise_json(promise: PromiseRow, *, now: datetime, zone: tzinfo, tried: Attempts | None = None) -> dict[str, Any]:
    """The stable JSON form of a promise (documented in the README)."""
    stored = promise._asdict()
    for name in _MOMENTS:
        stored[name] = timefmt.iso(getattr(promise, name))
    return json_record(stored, overdue=promise.state == "open" and deadline.is_late(now, promise.due_at),
                       due_local=timefmt.iso(promise.due_at.astimezone(zone)), attempts=tried.count if tried else 0)


_MOMENTS = ("due_at", "original_due_at", "created_at", "closed_at")


def json_record(stored: dict[str, Any], *, overdue: bool, due_local: str | None, attempts: int) -> dict[str, Any]:
    """The stable JSON form from a promise's stored fields, its moments already ISO 8601
    text (an export has the database write them), and what is worked out beside them."""
    worked_out = {"tags": list(stored["tags"]), "state": str(stored["state"]), "overdue": overdue,
                  "due_local": due_local, "attempts": attempts}
    record = {key: worked_out[key] if key in worked_out else stored[key] for key in JSON_KEYS}
    return record | {name: stored[name] for name in JSON_WHEN_GIVEN if stored.get(name)}
