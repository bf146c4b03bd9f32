"""`pk show`: one promise laid out field by field."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from promisekeeper import queries, timefmt
from promisekeeper.models import Promise
from promisekeeper.render import STATE_STYLE, View, user


def fields(view: View, promise: Promise, tried: queries.Attempts | None) -> list[tuple[str, Text]]:
    """The label/value pairs shown for a promise; empty ones are left out."""
    status = view.status(promise)
    rows: list[tuple[str, Text]] = [
        ("state", Text(status if status == promise.state else f"open, {status}", STATE_STYLE.get(status, ""))),
        ("due", Text(f"{view.due(promise)} — {view.when(promise) if promise.state != 'open' else timefmt.distance(promise.due_at, view.now)}")),
        ("to", user(promise.who)),
        ("contact", user(promise.contact)),
        ("via", user(promise.via)),
        ("ticket", user(promise.ref)),
        ("tags", view.tags(promise)),
        ("attempts", Text(view.attempts(tried))),
        ("promised", Text(timefmt.moment(promise.created_at, view.zone, now=view.now))),
    ]
    if promise.original_due_at != promise.due_at:
        rows.append(("first due", Text(view.due(promise, at=promise.original_due_at))))
    if promise.closed_at is not None:
        rows.append(("closed", Text(timefmt.moment(promise.closed_at, view.zone, now=view.now))))
    rows += [("owner", user(promise.owner)), ("uuid", Text(promise.uuid, "dim"))]
    return [(label, value) for label, value in rows if value.plain]


def show(view: View, promise: Promise, tried: queries.Attempts | None) -> None:
    title = Text.assemble((f"#{promise.id} ", "bold"), user(promise.what, "bold"))
    rows = fields(view, promise, tried)
    if view.rich:
        table = Table(title=title, title_justify="left", box=None, show_header=False, pad_edge=False)
        table.add_column(style="dim", no_wrap=True)
        table.add_column(overflow="fold")
        for label, value in rows:
            table.add_row(label, value)
        view.console.print(table)
        return
    view.line(title)
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        view.line(f"  {label:<{width}}  {value.plain}")
