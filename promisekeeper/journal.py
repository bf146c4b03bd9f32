"""Reading the event journal aloud: one line per event, for `pk show`, `pk log` and `pk undo --list`.

An undone event stays in the journal, struck through (or marked "(undone)" when piped),
and the `undone` event that compensates it says in words what was put back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from rich.table import Table
from rich.text import Text
from sqlmodel import Session

from promisekeeper import queries, timefmt
from promisekeeper.models import Event, Promise
from promisekeeper.render import View, user

KIND_STYLE = {
    "created": "green", "rescheduled": "yellow", "kept": "blue", "released": "dim",
    "reopened": "cyan", "edited": "cyan", "noted": "", "attempted": "magenta",
    "reminded": "dim", "undone": "red",
}
KIND_WIDTH = max(len(kind) for kind in KIND_STYLE)

# The change each undoable kind of event records, as `pk undo` reports undoing it.
UNDID = {
    "created": "add", "rescheduled": "move", "kept": "done", "released": "cancel",
    "reopened": "reopen", "edited": "edit", "noted": "note", "attempted": "attempt",
}


def _moment(view: View, value: Any) -> str:
    try:
        return timefmt.moment(datetime.fromisoformat(value), view.zone, now=view.now)
    except (TypeError, ValueError):
        return "?"  # an imported journal may hold anything here


def _value(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(f"+{item}" for item in value) or "(none)"
    return "(none)" if value in (None, "") else str(value)


def describe(event: Event, view: View, targets: Mapping[int, Event] | None = None) -> Text:
    """What an event did, in words: "moved Tue 24 Nov 10:00 → Fri 27 Nov 10:00 (before the deadline): vendor"."""
    if event.kind == "undone":
        return _undone(event.data, view, (targets or {}).get(event.undoes or 0))
    describer = _DESCRIBERS.get(event.kind)
    if describer is None:
        return Text(event.kind)
    try:
        return describer(event.data, view)
    except (TypeError, ValueError, AttributeError):
        return Text("(details unreadable)", "dim")  # an imported journal may hold anything


def _created(data: dict[str, Any], view: View) -> Text:
    to = (Text(" to "), user(data.get("who"))) if data.get("who") else ()
    return Text.assemble("promised ", user(data.get("what")), *to, f", due {_moment(view, data.get('due_at'))}")


def _rescheduled(data: dict[str, Any], view: View) -> Text:
    when = ("after the deadline had passed: broken", "red") if data.get("after_deadline") else "before the deadline"
    return Text.assemble(
        f"moved {_moment(view, data.get('from'))} → {_moment(view, data.get('to'))} (", when, "): ",
        user(data.get("reason")),
    )


def _kept(data: dict[str, Any], view: View) -> Text:
    verdict = f"{timefmt.span_seconds(data.get('late_by_s') or 0)} late" if data.get("late") else "on time"
    return Text.assemble(f"kept, {verdict}", *_note(data.get("note")))


def _released(data: dict[str, Any], view: View) -> Text:
    after = (" (after the deadline had passed: broken)", "red") if data.get("after_deadline") else ""
    return Text.assemble("released", after, ": ", user(data.get("reason")))


def _reopened(data: dict[str, Any], view: View) -> Text:
    return Text.assemble("reopened (was ", user(str(data.get("from_state"))), ")")


def _edited(data: dict[str, Any], view: View) -> Text:
    before = data.get("before", {})
    changes = [
        Text.assemble(f"{name}: ", user(_value(before.get(name))), " → ", user(_value(new)))
        for name, new in data.get("after", {}).items()
    ]
    return Text("edited ").append_text(Text("; ").join(changes))


def _noted(data: dict[str, Any], view: View) -> Text:
    return Text.assemble("note: ", user(data.get("text")))


def _attempted(data: dict[str, Any], view: View) -> Text:
    return Text.assemble("callback attempt", *_note(data.get("note")))


def _reminded(data: dict[str, Any], view: View) -> Text:
    return Text.assemble("reminder sent (", user(str(data.get("stage"))), ")")


def _undone(data: dict[str, Any], view: View, target: Event | None) -> Text:
    """ "undid the move of Mon 23 Nov 09:30: due Mon 23 Nov 15:00 again"."""
    kind = str(data.get("kind", ""))
    text = Text.assemble("undid the ", user(UNDID.get(kind, kind)))
    # Newer `undone` events carry the undone change's time; older ones need it looked up.
    if data.get("target_at"):
        text.append(f" of {_moment(view, data['target_at'])}")
    elif target is not None:
        text.append(f" of {timefmt.moment(target.at, view.zone, now=view.now)}")
    effect = _undo_effect(kind, data.get("restored") or {}, view)
    if effect.plain:
        text.append(": ")
        text.append_text(effect)
    return text


def _undo_effect(kind: str, restored: dict[str, Any], view: View) -> Text:
    if kind == "created":
        return Text("released, its history kept")
    if kind in ("kept", "released"):
        return Text("open again")
    if kind == "rescheduled" and restored.get("due_at"):
        return Text(f"due {_moment(view, restored['due_at'])} again")
    if kind == "reopened" and restored.get("state"):
        return Text.assemble(user(str(restored["state"])), " again")
    if kind == "edited":
        return Text("; ").join(
            Text.assemble(f"{name} back to ", user(_value(value))) for name, value in restored.items()
        )
    return Text()


_DESCRIBERS = {
    "created": _created, "rescheduled": _rescheduled, "kept": _kept, "released": _released,
    "reopened": _reopened, "edited": _edited, "noted": _noted, "attempted": _attempted,
    "reminded": _reminded,
}


def _note(text: str | None) -> tuple[Text, ...]:
    return (Text(": "), user(text)) if text else ()


def event_json(event: Event, *, undone: bool = False) -> dict[str, Any]:
    """The stable JSON form of a journal entry (documented in the README)."""
    return {
        "id": event.id,
        "promise": event.promise_id,
        "at": timefmt.iso(event.at),
        "kind": event.kind,
        "data": event.data,
        "undoes": event.undoes,
        "undone": undone,
    }


def show_events(view: View, events: Sequence[Event], undone: set[int], *, with_promise: bool = False) -> None:
    """Events oldest first, one line each; undone ones are struck through (or marked when piped)."""
    targets = {event.id: event for event in events if event.id is not None}
    rows = [_cells(view, event, targets, with_promise=with_promise) for event in events]
    if view.rich:
        _rich_events(view, events, rows, undone)
        return
    widths = [max((len(row[i].plain) for row in rows), default=0) for i in range(len(rows[0]) - 1)] if rows else []
    for event, row in zip(events, rows):
        columns = [cell.plain.ljust(width) for cell, width in zip(row, widths)] + [row[-1].plain]
        line = "  ".join(columns)
        view.line(f"{line}  (undone)" if event.id in undone else line)


def _cells(view: View, event: Event, targets: Mapping[int, Event], *, with_promise: bool) -> list[Text]:
    cells = [Text(timefmt.moment(event.at, view.zone, now=view.now), "dim")]
    if with_promise:
        cells.append(Text(f"#{event.promise_id}", "dim"))
    cells += [Text(event.kind, KIND_STYLE.get(event.kind, "")), describe(event, view, targets)]
    return cells


def _rich_events(view: View, events: Sequence[Event], rows: list[list[Text]], undone: set[int]) -> None:
    table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 1))
    for index in range(len(rows[0]) if rows else 0):
        last = index == len(rows[0]) - 1
        table.add_column(overflow="fold", no_wrap=not last)
    for event, cells in zip(events, rows):
        if event.id in undone:
            for cell in cells:
                cell.stylize("strike dim")
        table.add_row(*cells)
    view.console.print(table)


def show_undo_list(view: View, session: Session, candidates: Sequence[Event]) -> None:
    """What `pk undo` would revert, next first; nothing is changed."""
    if not candidates:
        view.line("Nothing to undo.")
        return
    view.line(f"pk undo would revert, newest first ({len(candidates)} shown):")
    for event in candidates:
        promise = session.get(Promise, event.promise_id)
        title = Text.assemble(f"#{event.promise_id} ", user(promise.what if promise else ""))
        view.line(Text.assemble(
            f"  {timefmt.moment(event.at, view.zone, now=view.now)}  {event.kind:<{KIND_WIDTH}}  ",
            title, " — ", describe(event, view),
        ))


def promise_history(session: Session, promise: Promise) -> tuple[list[Event], set[int]]:
    """A promise's events, oldest first, and which of them were undone."""
    events = queries.events(session, promise_id=promise.id)
    return events, queries.undone_ids(session, [e.id for e in events if e.id is not None])
