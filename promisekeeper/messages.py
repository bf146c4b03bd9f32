"""The one line each change prints to say what it did."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from promisekeeper import timefmt
from promisekeeper.db.rows import PromiseRow
from promisekeeper.render import View
from promisekeeper.styled import Styled, user

if TYPE_CHECKING:
    from promisekeeper.ledger import Rescheduled, Undone


def _title(promise: PromiseRow) -> Styled:
    text = Styled.assemble((f"#{promise.id}", "bold"), " ", user(promise.what))
    if promise.who:
        text.append(" → ")
        text.append(user(promise.who))
    return text


def _due(view: View, promise: PromiseRow) -> str:
    return f"{view.due(promise)}, {timefmt.distance(promise.due_at, view.now)}"


def _with_notes(text: Styled, notes: Sequence[str]) -> Styled:
    for note in notes:
        text.append(f" — {note}", "italic")
    return text


def added(view: View, promise: PromiseRow, notes: Sequence[str]) -> Styled:
    """ "Promised #12 Send VPN config → Eva Spacek: Tue 24 Nov 10:00, in 10h"."""
    text = Styled("Promised ", "green")
    text.append(_title(promise))
    text.append(": ")
    text.append(_due(view, promise), "bold")
    return _with_notes(text, notes)


def kept(view: View, promise: PromiseRow, *, moved_late: bool = False) -> Styled:
    assert promise.closed_at is not None
    late = promise.closed_at - promise.due_at
    verdict = Styled(f"{timefmt.span(late)} late", "yellow") if late.total_seconds() > 0 else Styled("on time", "green")
    text = Styled("Kept ")
    text.append(verdict)
    text.append(": ")
    text.append(_title(promise))
    text.append(f" (due {view.due(promise)})")
    if moved_late:
        text.append(" — its deadline was moved after it had passed: it still counts as broken", "red")
    return text


def rescheduled(view: View, result: Rescheduled, notes: Sequence[str]) -> Styled:
    promise = result.promise
    text = Styled("Moved ")
    text.append(_title(promise))
    text.append(" to ")
    text.append(_due(view, promise), "bold")
    text.append(f" (was {view.due(promise, at=result.previous, tz=result.previous_tz)})")
    if result.after_deadline:
        text.append(" — the old deadline had already passed: recorded as broken", "red")
    else:
        text.append(" — renegotiated before the deadline", "green")
    return _with_notes(text, notes)


def released(view: View, promise: PromiseRow) -> Styled:
    text = Styled("Released ")
    text.append(_title(promise))
    if promise.closed_at and promise.closed_at > promise.due_at:
        text.append(" — after its deadline had passed: it still counts as broken", "red")
    return text


def reopened(view: View, promise: PromiseRow) -> Styled:
    text = Styled("Reopened ")
    text.append(_title(promise))
    text.append(f": due {_due(view, promise)}")
    return text


def edited(view: View, promise: PromiseRow, changed: dict[str, Any]) -> Styled:
    text = Styled("Edited ")
    text.append(_title(promise))
    text.append(": ")
    text.append(", ".join(sorted(changed)))
    return text


def noted(view: View, promise: PromiseRow) -> Styled:
    text = Styled("Noted on ")
    text.append(_title(promise))
    return text


def tried(view: View, promise: PromiseRow, count: int) -> Styled:
    text = Styled("Attempt recorded on ")
    text.append(_title(promise))
    text.append(f" (tried {count}×; still open, due {_due(view, promise)})")
    return text


def undone(view: View, result: Undone) -> Styled:
    from promisekeeper.journal import UNDID

    text = Styled(f"Undid the {UNDID.get(result.event.kind, result.event.kind)} ")
    text.append(f"({timefmt.moment(result.event.at, view.zone, now=view.now)}) of ")
    text.append(_title(result.promise))
    text.append(f"; it is now {result.promise.state}")
    if result.promise.state == "open":
        text.append(f", due {_due(view, result.promise)}")
    return text


def would_add(view: View, promise: PromiseRow, notes: Sequence[str]) -> list[Styled]:
    """What `pk add --dry-run` shows: the confirmation it would print, its details, and
    that nothing was saved."""
    text = Styled("Would promise ", "green")
    text.append(user(promise.what))
    if promise.who:
        text.append(" → ")
        text.append(user(promise.who))
    text.append(": ")
    text.append(_due(view, promise), "bold")
    details = [
        Styled.assemble(f"{label} ", user(value))
        for label, value in (("contact", promise.contact), ("via", promise.via), ("ticket", promise.ref),
                             ("owner", promise.owner))
        if value
    ]
    if promise.tags:
        details.append(Styled(view.tags(promise), "cyan"))
    lines = [_with_notes(text, notes)]
    if details:
        lines.append(Styled("  ").append(Styled(" · ").join(details)))
    return lines + [Styled("Nothing was saved (--dry-run).")]
