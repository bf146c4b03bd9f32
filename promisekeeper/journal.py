"""Reading the event journal aloud: one line per event, for `pk show`, `pk log` and `pk undo --list`."""

from __future__ import annotations

from collections.abc import Sequence
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


def _moment(view: View, value: str | None) -> str:
    if not value:
        return "?"
    return timefmt.moment(datetime.fromisoformat(value), view.zone, now=view.now)


def _value(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(f"+{item}" for item in value) or "(none)"
    return "(none)" if value in (None, "") else str(value)


def describe(event: Event, view: View) -> Text:
    """What an event did, in words: "moved Tue 24 Nov 10:00 → Fri 27 Nov 10:00: waiting on vendor"."""
    data = event.data
    kind = event.kind
    if kind == "created":
        return Text.assemble("promised ", user(data.get("what")), f", due {_moment(view, data.get('due_at'))}")
    if kind == "rescheduled":
        when = "after the deadline had passed" if data.get("after_deadline") else "before the deadline"
        return Text.assemble(
            f"moved {_moment(view, data.get('from'))} → {_moment(view, data.get('to'))} ({when}): ",
            user(data.get("reason")),
        )
    if kind == "kept":
        verdict = f"{timefmt.span_seconds(data['late_by_s'])} late" if data.get("late") else "on time"
        return Text.assemble(f"kept, {verdict}", *_note(data.get("note")))
    if kind == "released":
        return Text.assemble("released: ", user(data.get("reason")))
    if kind == "reopened":
        return Text(f"reopened (was {data.get('from_state')})")
    if kind == "edited":
        changes = [
            Text.assemble(f"{name}: ", user(_value(data["before"].get(name))), " → ", user(_value(new)))
            for name, new in data.get("after", {}).items()
        ]
        return Text("edited ").append_text(Text("; ").join(changes))
    if kind == "noted":
        return Text.assemble("note: ", user(data.get("text")))
    if kind == "attempted":
        return Text.assemble("tried to reach them", *_note(data.get("note")))
    if kind == "reminded":
        return Text(f"reminder sent ({data.get('stage')})")
    if kind == "undone":
        return Text(f"undid the {data.get('kind')} event")
    return Text(kind)


def _note(text: str | None) -> tuple[Text, ...]:
    return (Text(": "), user(text)) if text else ()


def event_json(event: Event, *, undone: bool = False) -> dict[str, Any]:
    """The stable JSON form of a journal entry."""
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
    """Events oldest first, one line each; undone ones are struck through."""
    if view.rich:
        table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 1))
        for _ in range(4 if with_promise else 3):
            table.add_column(overflow="fold")
        for event in events:
            style = "strike dim" if event.id in undone else ""
            cells = [Text(timefmt.moment(event.at, view.zone, now=view.now), "dim")]
            if with_promise:
                cells.append(Text(f"#{event.promise_id}", "dim"))
            cells += [Text(event.kind, KIND_STYLE.get(event.kind, "")), describe(event, view)]
            if style:
                for cell in cells:
                    cell.stylize(style)
            table.add_row(*cells)
        view.console.print(table)
        return
    for event in events:
        parts = [timefmt.moment(event.at, view.zone, now=view.now)]
        if with_promise:
            parts.append(f"#{event.promise_id}")
        parts += [event.kind, describe(event, view).plain]
        if event.id in undone:
            parts.append("(undone)")
        view.line("  ".join(parts))


def show_undo_list(view: View, session: Session, candidates: Sequence[Event]) -> None:
    """What `pk undo` would revert, next first."""
    if not candidates:
        view.line("Nothing to undo.")
        return
    view.line("pk undo would revert, in this order:")
    for event in candidates:
        promise = session.get(Promise, event.promise_id)
        title = f"#{event.promise_id} {promise.what if promise else ''}"
        view.line(Text.assemble(
            f"  {timefmt.moment(event.at, view.zone, now=view.now)}  {event.kind:<11} ", user(title), " — ",
            describe(event, view),
        ))


def promise_history(session: Session, promise: Promise) -> tuple[list[Event], set[int]]:
    events = queries.events(session, promise_id=promise.id)
    return events, queries.undone_ids(session, [e.id for e in events if e.id is not None])
