"""Sending the outbox: after a change is committed, from `pk outbox send`, and from `pk remind`.

Only the notices of the owner whose changes queued them, with that owner's mail settings.
Each is claimed in one short write transaction, handed to the transport with no lock held,
and settled in another: a server that is slow or away never holds up a colleague's change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from typing import Any

from promisekeeper.db.database import Database
from promisekeeper.db.read_outbox import NoticeRow
from promisekeeper.errors import BadInput
from promisekeeper.lang.i18n import _
from promisekeeper.outbox import headers, queue, ready, transports


@dataclass(frozen=True)
class Outcome:
    """How one notice went."""

    notice: NoticeRow
    recipient: str | None
    sent: bool
    answer: str
    permanent: bool = False
    news: bool = True  # False: it failed again, exactly as last time


def envelope(config: Any, *, recipient: str, customer: str | None) -> headers.Envelope:
    sender = config.get("mail.from")
    if not sender:
        raise BadInput(_('notices need a sender: pk config set mail.from "Your Name <you@example.com>"'))
    return headers.Envelope(
        sender=sender, recipient=recipient, customer=customer, reply_to=config.get("mail.reply_to") or None,
        bcc_self=bool(config.get("mail.bcc_self")),
    )


def message(notice: NoticeRow, *, config: Any, recipient: str, customer: str | None, now: datetime) -> EmailMessage:
    """The mail a notice is: the same for a dry run and for the real thing."""
    return headers.build(
        uuid=notice.uuid, subject=notice.subject, body=notice.body, language=notice.language,
        earlier=notice.refs, envelope=envelope(config, recipient=recipient, customer=customer), date=now,
    )


def deliver(
    db: Database, *, config: Any, now: datetime, owner: str | None, ids: list[int] | None = None,
    retry_failed: bool = False,
) -> list[Outcome]:
    """Send this owner's waiting notices (or only `ids`); each one's outcome, recorded."""
    if not ready.ready(config):
        return []
    with db.change() as tx:
        claimed = queue.claim(tx, now=now, owner=owner, ids=ids, retry_failed=retry_failed)
    return _send_all(db, claimed, config=config, now=now)


def deliver_queued(db: Database, *, config: Any, now: datetime, ids: list[int]) -> list[Outcome]:
    """Send the notices a change just queued, claimed in its own transaction."""
    with db.reading() as reader:
        claimed = queue.claimed_now(reader, ids)
    return _send_all(db, claimed, config=config, now=now)


def _send_all(db: Database, claimed: list[queue.Claimed], *, config: Any, now: datetime) -> list[Outcome]:
    if not claimed:
        return []
    transport = transports.from_config(config)
    outcomes = []
    try:
        for each in claimed:
            sent, answer, permanent = _send_one(transport, each, config=config, now=now)
            with db.change() as tx:
                news = queue.settle(tx, now=now, claimed=each, sent=sent, answer=answer, permanent=permanent)
            outcomes.append(Outcome(each.notice, each.recipient, sent, answer, permanent, news))
    finally:
        transport.close()
    return outcomes


def _send_one(
    transport: transports.Transport, claimed: queue.Claimed, *, config: Any, now: datetime,
) -> tuple[bool, str, bool]:
    if claimed.recipient is None:
        return False, _("the promise has no email contact; add one with pk edit ID --contact ADDRESS"), True
    if claimed.stale and transport.delivered(claimed.notice.uuid):
        return True, _("already delivered before pk stopped"), False
    mail = message(claimed.notice, config=config, recipient=claimed.recipient, customer=claimed.customer, now=now)
    try:
        return True, transport.send(mail, claimed.notice.uuid), False
    except transports.Failure as failure:
        return False, failure.answer, failure.permanent
