"""What a notice says: the facts of a change, in the customer's language, on their clock.

The subject and body are made when the change is recorded (what was true then is what the
customer is told), in the promise's language with the same catalogues and CLDR formats as
the views. Standard library only.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, tzinfo

from promisekeeper.kinds import NoticeKind
from promisekeeper.lang import i18n
from promisekeeper.lang.i18n import _
from promisekeeper.outbox import templates
from promisekeeper.when import timefmt
from promisekeeper.when.zones import zone as named_zone


@dataclass(frozen=True)
class Facts:
    """What a notice reports about a promise."""

    kind: NoticeKind
    what: str
    due: datetime
    due_tz: str | None = None
    customer: str | None = None
    signer: str | None = None  # who signs it: the sender's name
    ref: str | None = None
    previous: datetime | None = None
    reason: str | None = None
    new_owner: str | None = None
    note: str | None = None
    tried_at: datetime | None = None
    rule: str | None = None  # a series' rule in words, in the customer's language ("every weekday at 10:00")
    until: datetime | None = None  # when a series ends
    next_due: datetime | None = None  # a series' next check-in


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Write in `language` for a while (the customer's), then in the technician's again."""
    before = i18n.active()
    i18n.activate(language)
    try:
        yield
    finally:
        i18n.activate(before)


def compose(facts: Facts, *, language: str, zone: tzinfo) -> tuple[str, str]:
    """The notice's subject and body: on the customer's clock (the promise's zone, else
    `zone`), in `language`; the subject starts with the ticket reference when there is one."""
    clock = named_zone(facts.due_tz) or zone
    with speaking(language):
        template = templates.load(facts.kind, language)
        subject, body = templates.fill(template, _values(facts, clock))
    if facts.ref:
        subject = f"[{' '.join(facts.ref.split())}] {subject}"
    return subject, body


def _values(facts: Facts, clock: tzinfo) -> dict[str, str]:
    def when(at: datetime | None) -> str:
        return "" if at is None else timefmt.moment(at, clock)

    customer = " ".join((facts.customer or "").split())
    greeting = _("Hello {customer},").format(customer=customer) if customer else _("Hello,")
    signer = " ".join((facts.signer or "").split())
    signature = _("Kind regards,\n{name}").format(name=signer) if signer else _("Kind regards,")
    return {
        "greeting": greeting, "customer": customer, "what": facts.what, "due": when(facts.due),
        "previous": when(facts.previous), "reason": facts.reason or "", "owner": signer,
        "new_owner": facts.new_owner or "", "note": facts.note or "", "ref": facts.ref or "",
        "tried_at": when(facts.tried_at), "signature": signature, "rule": facts.rule or "",
        # Translators: follows a series' rule in a notice: "every weekday at 10:00, until Fri 27 Nov 17:00"
        "until": _(", until {moment}").format(moment=when(facts.until)) if facts.until else "",
        "next": when(facts.next_due),
    }
