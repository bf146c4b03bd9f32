"""A notice as a mail: headers and a plain-text UTF-8 body, with the standard library's `email`.

Imported only where a notice is sent or shown (`--dry-run`): the prompt and the reading
commands never load `email`. Names and subjects are encoded as RFC 2047 words by the
`email` package's SMTP policy, and every header value is made one line first, so no text
from a customer can add a header. The Message-ID comes from the notice's uuid, so a notice
sent again after a crash is the same message to the customer's mail program.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, parseaddr

from promisekeeper.sanitize import clean


@dataclass(frozen=True)
class Envelope:
    """Who a notice is from and to, as the settings and the promise say."""

    sender: str  # mail.from: "Eva Lund <eva@example.com>" or an address
    recipient: str
    customer: str | None = None
    reply_to: str | None = None
    bcc_self: bool = False


def message_id(uuid: str, sender: str) -> str:
    """ "<uuid@domain of the sender>": stable for a notice, unique across notices."""
    domain = _address(sender)[1].rpartition("@")[2] or "promisekeeper.invalid"
    return f"<{uuid}@{domain}>"


def build(
    *, uuid: str, subject: str, body: str, language: str, earlier: Sequence[str], envelope: Envelope,
    date: datetime,
) -> EmailMessage:
    """The mail for a notice; `earlier` are the uuids of the promise's earlier notices (its thread)."""
    message = EmailMessage(policy=SMTP)
    name, address = _address(envelope.sender)
    message["From"] = _mailbox(name, address)
    message["To"] = _mailbox(_one_line(envelope.customer or ""), envelope.recipient)
    if envelope.reply_to:
        message["Reply-To"] = _mailbox(*_address(envelope.reply_to))
    if envelope.bcc_self:
        message["Bcc"] = _mailbox(name, address)
    message["Subject"] = _one_line(subject)
    message["Date"] = format_datetime(date)
    message["Message-ID"] = message_id(uuid, envelope.sender)
    if earlier:
        ids = [message_id(each, envelope.sender) for each in earlier]
        message["In-Reply-To"] = ids[-1]
        message["References"] = " ".join(ids)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-reply loops
    # quoted-printable: plain text stays readable, and no server needs 8BITMIME
    message.set_content(body, charset="utf-8", cte="quoted-printable")
    message["Content-Language"] = language  # after set_content, which clears Content-* headers
    return message


def recipients(message: EmailMessage) -> list[str]:
    """Every address the mail goes to (To and Bcc)."""
    found = []
    for header in ("To", "Bcc"):
        for value in message.get_all(header, []):
            found += [each.addr_spec for each in value.addresses]
    return found


def sender_address(message: EmailMessage) -> str:
    return str(message["From"].addresses[0].addr_spec)


def as_bytes(message: EmailMessage, *, with_bcc: bool = True) -> bytes:
    if not with_bcc and "Bcc" in message:
        message = _copy_without(message, "Bcc")
    return message.as_bytes()


def _copy_without(message: EmailMessage, header: str) -> EmailMessage:
    import copy

    trimmed = copy.copy(message)
    del trimmed[header]
    return trimmed


def _one_line(text: str) -> str:
    """Text as one header line: control characters (newlines above all) become spaces."""
    return " ".join(clean(text).split())


def _address(text: str) -> tuple[str, str]:
    if "<" not in text:
        return "", text.strip()
    name, address = parseaddr(text)
    return _one_line(name), address


def _mailbox(name: str, address: str) -> Address:
    user, _at, domain = address.rpartition("@")
    return Address(display_name=_one_line(name), username=user, domain=domain)
