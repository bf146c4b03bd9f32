"""`pk show`: one promise laid out field by field."""

from __future__ import annotations

from typing import TYPE_CHECKING

from promisekeeper import timefmt
from promisekeeper.db.rows import Attempts, PromiseRow
from promisekeeper.i18n import NP_, _, pgettext
from promisekeeper.render import STATE_STYLE, View, state_word
from promisekeeper.styled import Styled, user

if TYPE_CHECKING:
    from promisekeeper.db.read_stats import Judgement


OUTCOME_STYLE = {"kept": "green", "late": "yellow", "broken": "bold red", "released": "dim"}
# How a promise's deadline turned out (`pk stats` counts the same outcomes).
OUTCOME_WORDS = {
    "kept": NP_("outcome", "kept"), "late": NP_("outcome", "late"), "broken": NP_("outcome", "broken"),
    "released": NP_("outcome", "released"),
}
# The labels of `pk show` and of a reminder block (one word each in English).
LABELS = {
    "state": NP_("field", "state"), "outcome": NP_("field", "outcome"), "due": NP_("field", "due"),
    "to": NP_("field", "to"), "contact": NP_("field", "contact"), "via": NP_("field", "via"),
    "ticket": NP_("field", "ticket"), "tags": NP_("field", "tags"), "attempts": NP_("field", "attempts"),
    "promised": NP_("field", "promised"), "first due": NP_("field", "first due"),
    "closed": NP_("field", "closed"), "owner": NP_("field", "owner"), "uuid": NP_("field", "uuid"),
}


def label(name: str) -> str:
    """A field's label in the active language: "ticket" → "ticket", "biglietto"…"""
    return pgettext("field", LABELS[name])


def _outcome_text(judged: Judgement | None) -> Styled:
    if judged is None:
        return Styled("")
    words = pgettext("outcome", OUTCOME_WORDS[judged.outcome]) if judged.outcome in OUTCOME_WORDS else judged.outcome
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
    state = state_word(status) if status == promise.state else _("open, {standing}").format(standing=state_word(status))
    rows: list[tuple[str, Styled]] = [
        ("state", Styled(state, STATE_STYLE.get(status, ""))),
        ("outcome", _outcome_text(judged)),
        ("due", Styled(f"{view.due(promise)} — {view.when(promise) if promise.state != 'open' else timefmt.distance(promise.due_at, view.now)}")),
        ("to", user(promise.who)),
        ("contact", user(promise.contact)),
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
    return [(label(name), value) for name, value in rows if value.plain]


def show(view: View, promise: PromiseRow, tried: Attempts | None, judged: Judgement | None = None) -> None:
    view.line(Styled.assemble((f"#{promise.id} ", "bold"), user(promise.what, "bold")))
    rows = fields(view, promise, tried, judged)
    width = max(len(name) for name, _value in rows)
    for name, value in rows:
        view.line(Styled.assemble("  ", (name.ljust(width), "dim"), "  ", value))
