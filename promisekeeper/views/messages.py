"""The one line each change prints to say what it did.

Each line is one translated sentence whose `{placeholders}` the language orders as it
needs; the values (the promise, the deadline, a verdict) keep their own colours.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from promisekeeper.db.rows import PromiseRow
from promisekeeper.lang import vocabulary
from promisekeeper.lang.i18n import _, ngettext, pgettext
from promisekeeper.views.render import View
from promisekeeper.views.styled import Styled, sentence, user
from promisekeeper.when import deadline, timefmt

if TYPE_CHECKING:
    from promisekeeper.ledger import HandedOff, Rescheduled, Undone


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


def _aside(text: Styled, words: str, style: str) -> Styled:
    """A second clause after a dash: " — renegotiated before the deadline"."""
    return text.append(f" — {words}", style)


def added(view: View, promise: PromiseRow, notes: Sequence[str]) -> Styled:
    """ "Promised #12 Send VPN config → Eva Spacek: Tue 24 Nov 10:00, in 10h"."""
    text = sentence(_("Promised {title}: {due}"), "green",
                    title=_title(promise), due=Styled(_due(view, promise), "bold"))
    return _with_notes(text, notes)


def kept(view: View, promise: PromiseRow, *, moved_late: bool = False) -> Styled:
    assert promise.closed_at is not None
    late = deadline.lateness(promise.closed_at, promise.due_at)
    if late is not None:
        # Translators: {verdict} is "2h late" (as "Kept {verdict}" reads), or "on time".
        verdict = Styled(pgettext("kept", "{span} late").format(span=timefmt.span(late)), "yellow")
    else:
        verdict = Styled(pgettext("kept", "on time"), "green")
    text = sentence(_("Kept {verdict}: {title} (due {due})"), "",
                    verdict=verdict, title=_title(promise), due=view.due(promise, nested=True))
    if moved_late:
        _aside(text, _("its deadline was moved after it had passed: it still counts as broken"), "red")
    return text


def rescheduled(view: View, result: Rescheduled, notes: Sequence[str]) -> Styled:
    promise = result.promise
    text = sentence(_("Moved {title} to {due} (was {previous})"), "",
                    title=_title(promise), due=Styled(_due(view, promise), "bold"),
                    previous=view.due(promise, at=result.previous, tz=result.previous_tz, nested=True))
    if result.after_deadline:
        _aside(text, _("the old deadline had already passed: recorded as broken"), "red")
    else:
        _aside(text, _("renegotiated before the deadline"), "green")
    return _with_notes(text, notes)


def released(view: View, promise: PromiseRow) -> Styled:
    text = sentence(_("Released {title}"), "", title=_title(promise))
    if promise.closed_at and deadline.is_late(promise.closed_at, promise.due_at):
        _aside(text, _("after its deadline had passed: it still counts as broken"), "red")
    return text


def reopened(view: View, promise: PromiseRow) -> Styled:
    return sentence(_("Reopened {title}: due {due}"), "", title=_title(promise), due=_due(view, promise))


def edited(view: View, promise: PromiseRow, changed: dict[str, Any]) -> Styled:
    names = ", ".join(vocabulary.field(name) for name in sorted(changed))
    return sentence(_("Edited {title}: {fields}"), "", title=_title(promise), fields=names)


def noted(view: View, promise: PromiseRow) -> Styled:
    return sentence(_("Noted on {title}"), "", title=_title(promise))


def tried(view: View, promise: PromiseRow, count: int) -> Styled:
    template = ngettext(
        "Attempt recorded on {title} (tried {count}×; still open, due {due})",
        "Attempt recorded on {title} (tried {count}×; still open, due {due})",
        count,
    )
    return sentence(template, "", title=_title(promise), count=str(count), due=_due(view, promise))


def undone(view: View, result: Undone) -> Styled:
    promise = result.promise
    values: dict[str, Any] = {
        "change": vocabulary.undid(result.event.kind), "title": _title(promise),
        "state": vocabulary.state(promise.state),
        "when": timefmt.moment(result.event.at, view.zone, now=view.now),
    }
    if promise.state == "open":
        # Translators: {change} is what was undone, as "Undid the {change}" names it ("move").
        template = _("Undid the {change} ({when}) of {title}; it is now {state}, due {due}")
        values["due"] = _due(view, promise)
    else:
        template = _("Undid the {change} ({when}) of {title}; it is now {state}")
    text = sentence(template, "", **values)
    if result.event.kind == "handed_off":
        text.append(sentence(_(" — {owner} has it again"), "", owner=_owner(promise.owner)))
    if result.theirs is not None:
        text.append(sentence(_(" — it was {owner}'s change"), "yellow", owner=_owner(result.theirs)))
    return text


def handed_off(view: View, result: HandedOff) -> Styled:
    """ "Handed #12 Send VPN config → Eva Spacek from Ann Lind to Bo Ek; the deadline stands:
    Tue 24 Nov 10:00, in 10h"."""
    promise = result.promise
    values: dict[str, Any] = {
        "title": _title(promise), "owner": _owner(promise.owner, "bold"), "due": Styled(_due(view, promise), "bold"),
    }
    if result.previous:
        template = _("Handed {title} from {previous} to {owner}; the deadline stands: {due}")
        values["previous"] = _owner(result.previous)
    else:
        template = _("Handed {title} to {owner}; the deadline stands: {due}")
    return sentence(template, "", **values)


def _owner(name: str | None, style: str = "") -> Styled:
    return user(name, style) if name else Styled(_("(no owner)"), style)


def would_add(view: View, promise: PromiseRow, notes: Sequence[str]) -> list[Styled]:
    """What `pk add --dry-run` shows: the confirmation it would print, its details, and
    that nothing was saved."""
    due = Styled(_due(view, promise), "bold")
    if promise.who:
        text = sentence(_("Would promise {what} → {who}: {due}"), "green",
                        what=user(promise.what), who=user(promise.who), due=due)
    else:
        text = sentence(_("Would promise {what}: {due}"), "green", what=user(promise.what), due=due)
    details = [
        Styled.assemble(f"{vocabulary.label(name)} ", user(value))
        for name, value in (("contact", promise.contact), ("via", promise.via), ("ticket", promise.ref),
                            ("owner", promise.owner))
        if value
    ]
    if promise.tags:
        details.append(Styled(view.tags(promise), "cyan"))
    lines = [_with_notes(text, notes)]
    if details:
        lines.append(Styled("  ").append(Styled(" · ").join(details)))
    return [*lines, Styled(_("Nothing was saved (--dry-run)."))]
