"""The outbox's writes: a notice queued with its change, claimed for sending, settled.

Every function runs in the caller's write transaction, so it holds the writers' lock
(SQLite's `BEGIN IMMEDIATE`, PostgreSQL's advisory lock, see db.writing): two `pk remind`
runs, on one machine or on two sharing a PostgreSQL database, can never claim the same
notice. A claim marks it `sending` and commits before the mail leaves; it is marked `sent`
only once the transport has accepted it. A claim that never reports (pk was killed between
the server's acceptance and the mark) is taken again after `LEASE`, with the same
Message-ID; the drafts folder can tell it already left, SMTP and sendmail cannot (the one
window the manual names).
"""

from __future__ import annotations

import uuid as uuidlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from promisekeeper import contacts, events
from promisekeeper.db import read_outbox, read_promises
from promisekeeper.db.models import Notice, new_event
from promisekeeper.db.read_outbox import NoticeRow
from promisekeeper.db.reader import Reader
from promisekeeper.db.writing import Transaction
from promisekeeper.kinds import NoticeKind, NoticeState

LEASE = timedelta(minutes=10)


def enqueue(
    tx: Transaction, *, now: datetime, promise_id: int, kind: NoticeKind, subject: str, body: str,
    language: str, owner: str | None, claim: bool = False,
) -> int:
    """Queue a notice about the change just recorded on this promise (its latest event);
    `claim`: already claimed by this pk, which sends it right after the commit (no second
    transaction to claim it; should this pk die first, the lease lets another send it)."""
    event_id = tx.reader.value("SELECT max(id) FROM event WHERE promise_id = :promise", {"promise": promise_id})
    thread = [each.uuid for each in read_outbox.of_promise(tx.reader, promise_id)
              if each.state not in (NoticeState.WITHDRAWN, NoticeState.DROPPED)]
    notice = Notice(
        uuid=str(uuidlib.uuid4()), promise_id=promise_id, event_id=event_id, owner=owner, kind=str(kind),
        language=language, subject=subject, body=body, refs=" ".join(thread),
        state=NoticeState.SENDING if claim else NoticeState.WAITING, created_at=now,
        claimed_at=now if claim else None, attempts=1 if claim else 0,
    )
    tx.session.add(notice)
    tx.session.flush()
    assert notice.id is not None
    return notice.id


@dataclass(frozen=True)
class Claimed:
    """A notice this pk now sends: to whom (the promise's email as it is now), and whether
    an earlier claim of it never reported back."""

    notice: NoticeRow
    recipient: str | None
    customer: str | None
    stale: bool


def claimed_now(tx_reader: Reader, ids: list[int]) -> list[Claimed]:
    """Notices this pk claimed as it queued them (see `enqueue`), ready to send."""
    found = []
    for row in read_outbox.by_ids(tx_reader, ids):
        if row.state == NoticeState.SENDING:
            found.append(_claimed(tx_reader, row, stale=False))
    return found


def _claimed(reader: Reader, row: NoticeRow, *, stale: bool) -> Claimed:
    promise = read_promises.by_id(reader, row.promise_id)
    recipient = contacts.email_of(*promise.contacts) if promise else None
    return Claimed(row, recipient, promise.who if promise else None, stale)


def claim(
    tx: Transaction, *, now: datetime, owner: str | None, ids: list[int] | None = None, retry_failed: bool = False,
) -> list[Claimed]:
    """Take this owner's notices that are due to go (these `ids` only, when given)."""
    claimed = []
    for row in read_outbox.pending(tx.reader, owner=owner):
        if ids is not None and row.id not in ids:
            continue
        if row.state == NoticeState.FAILED and not retry_failed:
            continue
        if row.state == NoticeState.SENDING and row.claimed_at is not None and row.claimed_at > now - LEASE:
            continue  # another pk is sending it right now
        notice = tx.session.get(Notice, row.id)
        assert notice is not None
        notice.state, notice.claimed_at, notice.attempts = NoticeState.SENDING, now, notice.attempts + 1
        claimed.append(_claimed(tx.reader, row, stale=row.state == NoticeState.SENDING))
    return claimed


def settle(
    tx: Transaction, *, now: datetime, claimed: Claimed, sent: bool, answer: str, permanent: bool,
) -> bool:
    """Record how a claimed notice went; returns whether the journal heard of it (a sent
    notice, or a failure that differs from the last one: a retry that fails the same way
    says nothing new)."""
    notice = tx.session.get(Notice, claimed.notice.id)
    assert notice is not None
    repeated = not sent and notice.answer == answer
    notice.recipient, notice.answer = claimed.recipient, answer
    if sent:
        notice.state, notice.sent_at = NoticeState.SENT, now
    else:
        notice.state = NoticeState.FAILED if permanent else NoticeState.WAITING
    if repeated:
        return False
    outcome = "sent" if sent else "failed"
    _journal(tx, now, notice, outcome, answer)
    return True


def drop(tx: Transaction, *, now: datetime, notice_id: int) -> NoticeRow | None:
    """Give up a notice that has not left; None when there is no such one."""
    row = read_outbox.find(tx.reader, notice_id)
    if row is None or row.state not in read_outbox.PENDING:
        return row
    notice = tx.session.get(Notice, notice_id)
    assert notice is not None
    notice.state = NoticeState.DROPPED
    _journal(tx, now, notice, "dropped", None)
    return row


def withdraw(tx: Transaction, *, now: datetime, event_id: int) -> tuple[list[NoticeRow], list[NoticeRow]]:
    """An undone change's notices: those not yet sent are withdrawn; returns (withdrawn, already sent)."""
    withdrawn, sent = [], []
    for row in read_outbox.for_event(tx.reader, event_id):
        if row.state in (NoticeState.SENT, NoticeState.SENDING):  # gone, or going right now
            sent.append(row)
        elif row.state in (NoticeState.WAITING, NoticeState.FAILED):
            notice = tx.session.get(Notice, row.id)
            assert notice is not None
            notice.state = NoticeState.WITHDRAWN
            _journal(tx, now, notice, "withdrawn", None)
            withdrawn.append(row)
    return withdrawn, sent


def _journal(tx: Transaction, now: datetime, notice: Notice, outcome: str, answer: str | None) -> None:
    payload = events.Notified(notice=notice.kind, outcome=outcome, uuid=notice.uuid, to=notice.recipient,
                              answer=answer)
    tx.session.add(new_event(promise_id=notice.promise_id, at=now, payload=payload))
