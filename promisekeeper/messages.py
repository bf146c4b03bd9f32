"""The one line each change prints to say what it did."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text

from promisekeeper import timefmt
from promisekeeper.ledger import Rescheduled, Undone
from promisekeeper.db.rows import PromiseRow
from promisekeeper.render import View, user


def _title(promise: PromiseRow) -> Text:
    text = Text.assemble((f"#{promise.id}", "bold"), " ", user(promise.what))
    if promise.who:
        text.append(" → ")
        text.append_text(user(promise.who))
    return text


def _due(view: View, promise: PromiseRow) -> str:
    return f"{view.due(promise)}, {timefmt.distance(promise.due_at, view.now)}"


def _with_notes(text: Text, notes: Sequence[str]) -> Text:
    for note in notes:
        text.append(f" — {note}", "italic")
    return text


def added(view: View, promise: PromiseRow, notes: Sequence[str]) -> Text:
    """ "Promised #12 Send VPN config → Eva Spacek: Tue 24 Nov 10:00, in 10h"."""
    text = Text("Promised ", "green")
    text.append_text(_title(promise))
    text.append(": ")
    text.append(_due(view, promise), "bold")
    return _with_notes(text, notes)


def kept(view: View, promise: PromiseRow, *, moved_late: bool = False) -> Text:
    assert promise.closed_at is not None
    late = promise.closed_at - promise.due_at
    verdict = Text(f"{timefmt.span(late)} late", "yellow") if late.total_seconds() > 0 else Text("on time", "green")
    text = Text("Kept ")
    text.append_text(verdict)
    text.append(": ")
    text.append_text(_title(promise))
    text.append(f" (due {view.due(promise)})")
    if moved_late:
        text.append(" — its deadline was moved after it had passed: it still counts as broken", "red")
    return text


def rescheduled(view: View, result: Rescheduled, notes: Sequence[str]) -> Text:
    promise = result.promise
    text = Text("Moved ")
    text.append_text(_title(promise))
    text.append(" to ")
    text.append(_due(view, promise), "bold")
    text.append(f" (was {view.both_clocks(result.previous, result.previous_tz)})")
    if result.after_deadline:
        text.append(" — the old deadline had already passed: recorded as broken", "red")
    else:
        text.append(" — renegotiated before the deadline", "green")
    return _with_notes(text, notes)


def released(view: View, promise: PromiseRow) -> Text:
    text = Text("Released ")
    text.append_text(_title(promise))
    if promise.closed_at and promise.closed_at > promise.due_at:
        text.append(" — after its deadline had passed: it still counts as broken", "red")
    return text


def reopened(view: View, promise: PromiseRow) -> Text:
    text = Text("Reopened ")
    text.append_text(_title(promise))
    text.append(f": due {_due(view, promise)}")
    return text


def edited(view: View, promise: PromiseRow, changed: dict[str, Any]) -> Text:
    text = Text("Edited ")
    text.append_text(_title(promise))
    text.append(": ")
    text.append(", ".join(sorted(changed)))
    return text


def noted(view: View, promise: PromiseRow) -> Text:
    text = Text("Noted on ")
    text.append_text(_title(promise))
    return text


def tried(view: View, promise: PromiseRow, count: int) -> Text:
    text = Text("Attempt recorded on ")
    text.append_text(_title(promise))
    text.append(f" (tried {count}×; still open, due {_due(view, promise)})")
    return text


def undone(view: View, result: Undone) -> Text:
    from promisekeeper.journal import UNDID

    text = Text(f"Undid the {UNDID.get(result.event.kind, result.event.kind)} ")
    text.append(f"({timefmt.moment(result.event.at, view.zone, now=view.now)}) of ")
    text.append_text(_title(result.promise))
    text.append(f"; it is now {result.promise.state}")
    if result.promise.state == "open":
        text.append(f", due {_due(view, result.promise)}")
    return text


def would_add(view: View, promise: PromiseRow, notes: Sequence[str]) -> list[Text]:
    """What `pk add --dry-run` shows: the confirmation it would print, its details, and
    that nothing was saved."""
    text = Text("Would promise ", "green")
    text.append_text(user(promise.what))
    if promise.who:
        text.append(" → ")
        text.append_text(user(promise.who))
    text.append(": ")
    text.append(_due(view, promise), "bold")
    details = [
        Text.assemble(f"{label} ", user(value))
        for label, value in (("contact", promise.contact), ("via", promise.via), ("ticket", promise.ref),
                             ("owner", promise.owner))
        if value
    ]
    if promise.tags:
        details.append(view.tags(promise))
    lines = [_with_notes(text, notes)]
    if details:
        lines.append(Text("  ") + Text(" · ").join(details))
    return lines + [Text("Nothing was saved (--dry-run).")]
