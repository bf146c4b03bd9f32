"""`pk show`: one promise laid out field by field."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

from promisekeeper import timefmt
from promisekeeper.db.rows import Attempts, PromiseRow
from promisekeeper.render import STATE_STYLE, View, user

if TYPE_CHECKING:
    from promisekeeper.db.read_stats import Judgement


OUTCOME_STYLE = {"kept": "green", "late": "yellow", "broken": "bold red", "released": "dim"}


def _outcome_text(judged: Judgement | None) -> Text:
    if judged is None:
        return Text("")
    words = judged.outcome
    if judged.outcome == "late" and judged.late_s:
        words += f" by {timefmt.span_seconds(judged.late_s)}"
    if judged.renegotiated:
        words += " (renegotiated)"
    return Text(words, OUTCOME_STYLE.get(judged.outcome, ""))


def fields(
    view: View, promise: PromiseRow, tried: Attempts | None, judged: Judgement | None = None
) -> list[tuple[str, Text]]:
    """The label/value pairs shown for a promise; empty ones are left out."""
    status = view.status(promise)
    rows: list[tuple[str, Text]] = [
        ("state", Text(status if status == promise.state else f"open, {status}", STATE_STYLE.get(status, ""))),
        ("outcome", _outcome_text(judged)),
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
    rows += [("owner", user(promise.owner)), ("uuid", user(promise.uuid, "dim"))]
    return [(label, value) for label, value in rows if value.plain]


def show(view: View, promise: PromiseRow, tried: Attempts | None, judged: Judgement | None = None) -> None:
    title = Text.assemble((f"#{promise.id} ", "bold"), user(promise.what, "bold"))
    rows = fields(view, promise, tried, judged)
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
