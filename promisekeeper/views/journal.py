"""Reading the event journal aloud: one line per event, for `pk show`, `pk log` and `pk undo --list`.

An undone event stays in the journal, struck through (or marked "(undone)" when piped),
and the `undone` event that compensates it says in words what was put back. Each kind's
words come from its typed payload (`events`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from promisekeeper import events
from promisekeeper.db.rows import EventRow, PromiseRow
from promisekeeper.kinds import Kind
from promisekeeper.lang import vocabulary
from promisekeeper.lang.i18n import _, ngettext
from promisekeeper.lang.vocabulary import UNDID  # noqa: F401 - the words of `pk undo`, where they were
from promisekeeper.views.render import View
from promisekeeper.views.styled import Styled, display_width, pad, sentence, user
from promisekeeper.when import timefmt

KIND_STYLE = {
    Kind.CREATED: "green", Kind.RESCHEDULED: "yellow", Kind.KEPT: "blue", Kind.RELEASED: "dim",
    Kind.REOPENED: "cyan", Kind.EDITED: "cyan", Kind.NOTED: "", Kind.ATTEMPTED: "magenta",
    Kind.HANDED_OFF: "cyan", Kind.REMINDED: "dim", Kind.UNDONE: "red", Kind.OPENED: "green",
    Kind.MISSED: "red", Kind.ENDED: "blue", Kind.NOTIFIED: "dim",
}
KIND_WIDTH = max(len(kind) for kind in KIND_STYLE)


def _moment(view: View, value: datetime | None) -> str:
    return "?" if value is None else timefmt.moment(value, view.zone, now=view.now)


def _value(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(f"+{item}" for item in value) or _("(none)")
    return _("(none)") if value in (None, "") else str(value)


def describe(event: EventRow, view: View) -> Styled:
    """What an event did, in words: "moved Tue 24 Nov 10:00 → Fri 27 Nov 10:00 (before the deadline): vendor"."""
    try:
        payload = event.payload
    except ValueError:
        return Styled(_("(details unreadable)"), "dim")  # an old import may hold anything
    describer = _DESCRIBERS.get(type(payload))
    return describer(payload, view) if describer else Styled(vocabulary.event(event.kind))


def _clocks(view: View, value: datetime | None, due_tz: str | None) -> str:
    """A deadline on your clock, and on the customer's when the promise has one."""
    return "?" if value is None else view.both_clocks(value, due_tz)


def _created(payload: Any, view: View) -> Styled:
    due = _clocks(view, payload.due_at, payload.due_tz)
    if payload.who:
        return sentence(_("promised {what} to {who}, due {due}"), "",
                        what=user(payload.what), who=user(payload.who), due=due)
    return sentence(_("promised {what}, due {due}"), "", what=user(payload.what), due=due)


def _broken_after() -> Styled:
    return Styled(_("after the deadline had passed: broken"), "red")


def _rescheduled(payload: Any, view: View) -> Styled:
    when = _broken_after() if payload.after_deadline else Styled(_("before the deadline"))
    return sentence(
        _("moved {before} → {after} ({when}): {reason}"), "",
        before=_clocks(view, payload.moved_from, payload.from_tz),
        after=_clocks(view, payload.moved_to, payload.to_tz), when=when, reason=user(payload.reason),
    )


def _kept(payload: Any, view: View) -> Styled:
    if payload.late:
        text = _("kept, {span} late").format(span=timefmt.span_seconds(payload.late_by_s))
    else:
        text = _("kept, on time")
    return Styled.assemble(text, *_note(payload.note))


def _released(payload: Any, view: View) -> Styled:
    if payload.after_deadline:
        return sentence(_("released ({when}): {reason}"), "", when=_broken_after(), reason=user(payload.reason))
    return sentence(_("released: {reason}"), "", reason=user(payload.reason))


def _reopened(payload: Any, view: View) -> Styled:
    return sentence(_("reopened (was {state})"), "", state=user(vocabulary.state(str(payload.from_state))))


def _edited(payload: Any, view: View) -> Styled:
    changes = [
        sentence(_("{field}: {before} → {after}"), "", field=vocabulary.field(name),
                 before=user(_value(payload.before.get(name))), after=user(_value(new)))
        for name, new in payload.after.items()
    ]
    return sentence(_("edited {changes}"), "", changes=Styled("; ").join(changes))


def _noted(payload: Any, view: View) -> Styled:
    return sentence(_("note: {text}"), "", text=user(payload.text))


def _attempted(payload: Any, view: View) -> Styled:
    return Styled.assemble(_("callback attempt"), *_note(payload.note))


def _handed_off(payload: Any, view: View) -> Styled:
    return sentence(
        _("handed off from {before} to {after}: {reason}"), "",
        before=user(payload.from_owner or _("(no owner)")), after=user(payload.to_owner), reason=user(payload.reason),
    )


def _reminded(payload: Any, view: View) -> Styled:
    # An owner's own reminder reads as it always has (its `owner` is in the JSON); the
    # team's says so, as it went to someone else.
    stage = user(vocabulary.stage(payload.stage))
    if payload.team:
        return sentence(_("reminder sent to the team ({stage})"), "", stage=stage)
    return sentence(_("reminder sent ({stage})"), "", stage=stage)


def _opened(payload: Any, view: View) -> Styled:
    """ "next check-in of the series, due Tue 24 Nov 10:00 (the one before was kept)"."""
    due = _clocks(view, payload.due_at, payload.due_tz)
    reasons = {
        "kept": _("the one before was kept"), "missed": _("the one before was missed"),
        "skipped": _("the one before was skipped"), "resumed": _("the series resumed"),
    }
    reason = reasons.get(payload.after)
    if reason is None:
        return sentence(_("next check-in of the series, due {due}"), "", due=due)
    return sentence(_("next check-in of the series, due {due} ({reason})"), "", due=due, reason=reason)


def _missed(payload: Any, view: View) -> Styled:
    return Styled(_("missed: its time passed halfway to the next check-in; broken"), "red")


def _ended(payload: Any, view: View) -> Styled:
    if payload.how == "final":
        return Styled(_("the series ended: this was its last check-in"))
    return Styled(_("the series ended with this check-in's release"))


def _undone(payload: Any, view: View) -> Styled:
    """ "undid the move of Mon 23 Nov 09:30: due Mon 23 Nov 15:00 again"."""
    change = user(vocabulary.undid(payload.undid))
    effect = _undo_effect(payload.undid, payload.restored, view)
    if payload.target_at is None:
        text = sentence(_("undid the {change}"), "", change=change)
        return sentence(_("{undone}: {effect}"), "", undone=text, effect=effect) if effect.plain else text
    when = _moment(view, payload.target_at)
    if effect.plain:
        return sentence(_("undid the {change} of {when}: {effect}"), "", change=change, when=when, effect=effect)
    return sentence(_("undid the {change} of {when}"), "", change=change, when=when)


def _undo_effect(kind: Kind, restored: dict[str, Any], view: View) -> Styled:
    if kind == Kind.CREATED:
        return Styled(_("released, its history kept"))
    if kind in (Kind.KEPT, Kind.RELEASED):
        return Styled(_("open again"))
    if kind == Kind.OPENED:
        return Styled(_("withdrawn, its history kept"))
    if kind == Kind.ENDED:
        return Styled(_("the series goes on"))
    if kind == Kind.RESCHEDULED and restored.get("due_at"):
        try:
            return Styled(_("due {when} again").format(when=_moment(view, datetime.fromisoformat(restored["due_at"]))))
        except (TypeError, ValueError):
            return Styled()
    if kind == Kind.REOPENED and restored.get("state"):
        return sentence(_("{state} again"), "", state=user(vocabulary.state(str(restored["state"]))))
    if kind in (Kind.EDITED, Kind.HANDED_OFF):
        return Styled("; ").join(
            sentence(_("{field} back to {value}"), "", field=vocabulary.field(name), value=user(_value(value)))
            for name, value in restored.items()
        )
    return Styled()


def _notified(payload: Any, view: View) -> Styled:
    notice = user(vocabulary.notice(payload.notice))
    to = user(payload.to or "?")
    answer = user(payload.answer or "")
    if payload.outcome == "sent":
        return sentence(_("{notice} notice sent to {to}: {answer}"), "", notice=notice, to=to, answer=answer)
    if payload.outcome == "failed":
        return sentence(_("{notice} notice not sent to {to}: {answer}"), "", notice=notice, to=to, answer=answer)
    if payload.outcome == "dropped":
        return sentence(_("{notice} notice dropped, never sent"), "", notice=notice)
    return sentence(_("{notice} notice withdrawn: its change was undone before it left"), "", notice=notice)


_DESCRIBERS: dict[type, Callable[[Any, View], Styled]] = {
    events.Created: _created, events.Rescheduled: _rescheduled, events.Kept: _kept,
    events.Released: _released, events.Reopened: _reopened, events.Edited: _edited,
    events.Noted: _noted, events.Attempted: _attempted, events.HandedOff: _handed_off,
    events.Reminded: _reminded, events.Undone: _undone, events.Opened: _opened, events.Missed: _missed,
    events.Ended: _ended, events.Notified: _notified,
}


def _note(text: str | None) -> tuple[Styled, ...]:
    return (Styled(": "), user(text)) if text else ()


def event_json(event: EventRow, *, undone: bool = False) -> dict[str, Any]:
    """The stable JSON form of a journal entry (documented in the README)."""
    return {
        "id": event.id,
        "promise": event.promise_id,
        "at": timefmt.iso(event.at),
        "kind": str(event.kind),
        "data": event.data,
        "undoes": event.undoes,
        "undone": undone,
    }


def refuse_unknown_kinds(kinds: Iterable[str]) -> None:
    """Before an export copies the journal's text: an entry of a kind pk does not know would
    not be a journal entry any pk could read back."""
    for kind in kinds:
        if kind not in _KIND_NAMES:
            raise ValueError(f"an event has an unknown kind {kind!r}")


_KIND_NAMES = frozenset(str(kind) for kind in Kind)


def show_events(view: View, entries: Sequence[EventRow], undone: set[int], *, with_promise: bool = False) -> None:
    """Events oldest first, one line each, in columns; an undone one is struck through in
    colour and marked "(undone)" wherever strike-through cannot show."""
    rows = [_cells(view, event, with_promise=with_promise) for event in entries]
    widths = [max((len(row[i]) for row in rows), default=0) for i in range(len(rows[0]) - 1)] if rows else []
    marked = not (view.terminal and view.out.color)
    for event, row in zip(entries, rows):
        line = Styled("  ").join(
            [Styled().append(cell).append(" " * (width - len(cell))) for cell, width in zip(row, widths)]
            + [row[-1]]
        )
        if event.id in undone:
            line = line.styled("strike dim") if view.out.color else line
            if marked:
                line.append("  " + _("(undone)"))
        view.line(line)


def _cells(view: View, event: EventRow, *, with_promise: bool) -> list[Styled]:
    cells = [Styled(timefmt.moment(event.at, view.zone, now=view.now), "dim")]
    if with_promise:
        cells.append(Styled(f"#{event.promise_id}", "dim"))
    cells += [Styled(vocabulary.event(event.kind), KIND_STYLE.get(event.kind, "")), describe(event, view)]
    return cells


def show_undo_list(view: View, candidates: Sequence[EventRow], promises: Mapping[int, PromiseRow | None]) -> None:
    """What `pk undo` would revert, next first; nothing is changed."""
    if not candidates:
        view.line(_("Nothing to undo."))
        return
    count = len(candidates)
    view.line(ngettext("pk undo would revert, newest first ({count} shown):",
                       "pk undo would revert, newest first ({count} shown):", count).format(count=count))
    width = max(KIND_WIDTH, *(display_width(vocabulary.event(kind)) for kind in KIND_STYLE))
    number = max(len(str(event.id)) for event in candidates)  # what pk undo --event takes
    # The dates padded to the widest as shown ("lun 23 nov 09:30" and "mar 1 dic 09:30").
    moments = [timefmt.moment(event.at, view.zone, now=view.now) for event in candidates]
    moment_width = max(display_width(moment) for moment in moments)
    for event, moment in zip(candidates, moments, strict=True):
        promise = promises.get(event.promise_id)
        title = Styled.assemble(f"#{event.promise_id} ", user(promise.what if promise else ""))
        view.line(Styled.assemble(
            f"  {event.id:>{number}}  {pad(moment, moment_width)}  {pad(vocabulary.event(event.kind), width)}  ",
            title, " — ", describe(event, view),
        ))
