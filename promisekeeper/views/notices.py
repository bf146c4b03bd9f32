"""Notices to customers as a person reads them: `pk outbox`, the lines of `pk show`, and the
agenda's "2 notices waiting"."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from promisekeeper.db.read_outbox import NoticeRow
from promisekeeper.db.rows import PromiseRow
from promisekeeper.lang.i18n import _, ngettext
from promisekeeper.lang.vocabulary import notice, notice_state
from promisekeeper.views.render import View
from promisekeeper.views.render import write_json as _write_json
from promisekeeper.views.styled import Styled, sentence, user
from promisekeeper.when import timefmt
from promisekeeper.when.clock import iso_from_epoch

STATE_STYLE = {"waiting": "yellow", "sending": "yellow", "failed": "red", "sent": "green", "dropped": "dim",
               "withdrawn": "dim"}


def waiting_line(count: int) -> Styled | None:
    """ "2 notices waiting (pk outbox)", or None when none is."""
    if not count:
        return None
    return Styled(ngettext("{count} notice waiting (pk outbox)", "{count} notices waiting (pk outbox)",
                           count).format(count=count), "yellow")


def line(view: View, row: NoticeRow, promise: PromiseRow | None = None) -> Styled:
    """One notice: "3  waiting  confirmation  #12 Send VPN config  (421 try later)"."""
    parts: list[Any] = [
        (f"{row.id:>3}  ", "bold"), (notice_state(row.state), STATE_STYLE.get(row.state, "")), "  ",
        notice(row.kind), "  ", timefmt.moment(row.sent_at or row.created_at, view.zone, now=view.now),
    ]
    if promise is not None:
        parts += ["  ", f"#{promise.id} ", user(promise.what)]
    if row.recipient:
        parts += ["  → ", user(row.recipient)]
    if row.answer:
        parts += ["  ", Styled.assemble("(", user(row.answer), ")")]
    return Styled.assemble(*parts)


def show_outbox(view: View, rows: Sequence[NoticeRow], promises: Mapping[int, PromiseRow | None]) -> None:
    if not rows:
        view.line(_("No notice is waiting."))
        return
    for row in rows:
        view.line(line(view, row, promises.get(row.promise_id)))


def show_for_promise(view: View, rows: Sequence[NoticeRow]) -> None:
    """The notices section of `pk show`."""
    if not rows:
        return
    view.line(sentence(_("Notices to the customer ({count}):"), "dim", count=str(len(rows))))
    for row in rows:
        view.line(Styled.assemble("  ", line(view, row)))


def as_json(row: NoticeRow) -> dict[str, Any]:
    """The stable JSON form of a notice."""
    return {
        "id": row.id, "uuid": row.uuid, "promise_id": row.promise_id, "kind": str(row.kind),
        "state": str(row.state), "language": row.language, "subject": row.subject, "owner": row.owner,
        "created_at": iso_from_epoch(int(row.created_at.timestamp())),
        "sent_at": iso_from_epoch(int(row.sent_at.timestamp())) if row.sent_at else None,
        "attempts": row.attempts, "recipient": row.recipient, "answer": row.answer,
    }


def write_json(rows: Sequence[NoticeRow], promises: Mapping[int, PromiseRow | None]) -> None:
    _write_json([as_json(row) for row in rows])
