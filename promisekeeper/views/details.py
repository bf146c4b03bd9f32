"""`pk show`: one promise laid out field by field."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from promisekeeper.db.rows import Attempts, PromiseRow
from promisekeeper.lang import vocabulary
from promisekeeper.lang.i18n import _
from promisekeeper.views.render import STATE_STYLE, View
from promisekeeper.views.styled import Styled, user
from promisekeeper.when import timefmt

if TYPE_CHECKING:
    from promisekeeper.db.read_stats import Judgement


OUTCOME_STYLE = {"kept": "green", "late": "yellow", "broken": "bold red", "released": "dim"}
def _outcome_text(judged: Judgement | None) -> Styled:
    if judged is None:
        return Styled("")
    words = vocabulary.outcome(judged.outcome)
    if judged.outcome == "late" and judged.late_s:
        words = _("late by {span}").format(span=timefmt.span_seconds(judged.late_s))
    if judged.renegotiated:
        words = _("{outcome} (renegotiated)").format(outcome=words)
    return Styled(words, OUTCOME_STYLE.get(judged.outcome, ""))


def fields(
    view: View, promise: PromiseRow, tried: Attempts | None, judged: Judgement | None = None
) -> list[tuple[str, Styled]]:
    """The label/value pairs shown for a promise; empty ones are left out."""
    status = view.status(promise)
    state = vocabulary.state(status)
    if status != promise.state:
        state = _("open, {standing}").format(standing=state)
    rows: list[tuple[str, Styled]] = [
        ("state", Styled(state, STATE_STYLE.get(status, ""))),
        ("outcome", _outcome_text(judged)),
        ("due", Styled(f"{view.due(promise)} — {view.when(promise) if promise.state != 'open' else timefmt.distance(promise.due_at, view.now)}")),
        ("to", user(promise.who)),
        ("contact", user(", ".join(promise.contacts))),
        ("language", user(promise.language)),
        ("via", user(promise.via)),
        ("ticket", user(promise.ref)),
        ("tags", Styled(view.tags(promise), "cyan")),
        ("attempts", Styled(view.attempts(tried))),
        ("promised", Styled(timefmt.moment(promise.created_at, view.zone, now=view.now))),
    ]
    if promise.original_due_at != promise.due_at:
        rows.append(("first due", Styled(view.due(promise, at=promise.original_due_at))))
    if promise.closed_at is not None:
        rows.append(("closed", Styled(timefmt.moment(promise.closed_at, view.zone, now=view.now))))
    rows += [("owner", user(promise.owner)), ("uuid", user(promise.uuid, "dim"))]
    return [(vocabulary.label(name), value) for name, value in rows if value.plain]


def show(
    view: View, promise: PromiseRow, tried: Attempts | None, judged: Judgement | None = None,
    more: Sequence[tuple[str, Styled | str]] = (),
) -> None:
    """The promise's fields, and `more` after them (a check-in's series and its record)."""
    view.line(Styled.assemble((f"#{promise.id} ", "bold"), user(promise.what, "bold")))
    rows = [*fields(view, promise, tried, judged), *more]
    width = max(len(name) for name, _value in rows)
    for name, value in rows:
        view.line(Styled.assemble("  ", (name.ljust(width), "dim"), "  ", value))
