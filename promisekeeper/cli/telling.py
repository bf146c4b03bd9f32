"""`--tell`: deciding whether a change tells the customer, queuing the notice in the change's
transaction, and sending it once the change is committed and confirmed.

A failed send never undoes or hides the change: it is saved (exit status 0), and one line
on stderr says the notice waits in the outbox. Nothing here loads the mail modules unless a
notice is really told.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any

import typer

from promisekeeper import contacts
from promisekeeper.errors import BadInput
from promisekeeper.kinds import NoticeKind

if TYPE_CHECKING:
    from promisekeeper.cli.context import Context
    from promisekeeper.db.read_series import Telling
    from promisekeeper.db.rows import PromiseRow
    from promisekeeper.db.writing import Transaction
    from promisekeeper.outbox.send import Outcome

TellOpt = Annotated[bool | None, typer.Option(
    "--tell/--no-tell", help="Tell the customer by mail (default: the tell.default setting).", show_default=False)]
DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="With --tell: print the mail it would send; change nothing.")]


class _Rehearsed(Exception):
    """Raised at the end of a dry run's transaction, so it is rolled back."""


@contextmanager
def change(rt: Context, *, dry_run: bool = False, create: bool = False) -> Iterator[Transaction]:
    """A change as usual; with `dry_run`, the same change rolled back at the end. `create`:
    this command may make the database when there is none (`pk add`)."""
    try:
        with rt.change(create=create) as tx:
            yield tx
            if dry_run:
                raise _Rehearsed
    except _Rehearsed:
        pass


def me(rt: Context) -> str | None:
    from promisekeeper import owner

    return owner.me(rt.config.get("owner"))


def wanted(
    rt: Context, tell: bool | None, promise: PromiseRow, *, dry_run: bool = False, remembered: bool | None = None,
) -> bool:
    """Whether this change tells the customer: `--tell`, or what its series remembers
    (`remembered`: `--tell`/`--no-tell` given with `--every`), or `tell.default`, the last
    two when the promise has an email; refused (nothing written) when it was asked for and
    cannot be done."""
    from promisekeeper.lang.i18n import _

    email = contacts.email_of(*promise.contacts)
    if tell is None:
        chosen = bool(rt.config.get("tell.default")) if remembered is None else remembered
        tell = chosen and email is not None
    if not tell:
        if dry_run:
            raise BadInput(_("--dry-run shows the mail --tell would send; add --tell"))
        return False
    if email is None:
        raise BadInput(_("#{id} has no email contact to tell; add one with --contact ADDRESS, "
                         "or leave out --tell").format(id=promise.id or ""))
    _require_mail_settings(rt.config)
    return True


def _require_mail_settings(config: Any) -> None:
    from promisekeeper.lang.i18n import _
    from promisekeeper.outbox import ready

    if not config.get("mail.from"):
        raise BadInput(_('notices need a sender: pk config set mail.from "Your Name <you@example.com>"'))
    if not ready.has_transport(config):
        raise BadInput(_("no way to send notices is set: `pk config set mail.smtp smtp://you@mail.example.com:587` "
                         "(or mail.sendmail, or mail.drafts)"))


def language(rt: Context, promise: PromiseRow) -> str:
    """The customer's language: the promise's, else customer.language, else the technician's."""
    from promisekeeper.lang.i18n import active

    return promise.language or rt.config.get("customer.language") or active()


def queue(
    tx: Transaction, rt: Context, tell: bool | None, promise: PromiseRow, kind: NoticeKind, *,
    dry_run: bool = False, remembered: bool | None = None, **facts: Any,
) -> list[int]:
    """Queue the notice of a change just recorded, when it is to be told; its id, or [].

    Neither `--tell` nor `--no-tell` given, a check-in follows what its series remembers
    (`remembered`, else looked up here), whatever the change: an update moved, handed over
    or tried is the customer's business as much as the update itself."""
    if tell is None and remembered is None:
        series = series_of(tx, promise.id)
        remembered = None if series is None else series.tell
    if not wanted(rt, tell, promise, dry_run=dry_run, remembered=remembered):
        return []
    from promisekeeper import ledger
    from promisekeeper.outbox.compose import Facts
    from promisekeeper.outbox.ready import signer

    owner = me(rt)
    told = Facts(kind=kind, what=promise.what, due=promise.due_at, due_tz=promise.due_tz, customer=promise.who,
                 signer=signer(rt.config, owner), ref=promise.ref, **facts)
    return [ledger.tell(tx, now=rt.now, zone=rt.zone, facts=told, promise_id=promise.id,
                        language=language(rt, promise), owner=owner, claim=not dry_run)]


def series_of(tx: Transaction, promise_id: int) -> Telling | None:
    """The series of a check-in, as its notices need it (None for a single promise)."""
    from promisekeeper.db import read_series

    return read_series.telling_of(tx.reader, promise_id)


def rule_words(rt: Context, promise: PromiseRow, rule_text: str) -> str:
    """A series' rule in words, in the customer's language (the notice's)."""
    from promisekeeper.outbox.compose import speaking
    from promisekeeper.series import rule as rules
    from promisekeeper.views.checkins import rule_words as words

    with speaking(language(rt, promise)):
        return words(rules.parse(rule_text))


def show(rt: Context, tx: Transaction, ids: list[int]) -> None:
    """Print the mails these notices would be, exactly (a dry run)."""
    from email.policy import SMTP

    from promisekeeper.db import read_outbox, read_promises
    from promisekeeper.outbox import send
    from promisekeeper.sanitize import terminal_safe

    for row in read_outbox.by_ids(tx.reader, ids):
        promise = read_promises.by_id(tx.reader, row.promise_id)
        assert promise is not None
        recipient = contacts.email_of(*promise.contacts) or ""
        mail = send.message(row, config=rt.config, recipient=recipient, customer=promise.who, now=rt.now)
        sys.stdout.write(terminal_safe(mail.as_string(policy=SMTP.clone(linesep="\n"))))
        sys.stdout.flush()


def send_now(rt: Context, ids: list[int], *, to_stderr: bool = False) -> None:
    """Send the notices a change just queued (it is committed and confirmed already);
    `to_stderr` when stdout carries JSON."""
    if not ids:
        return
    from promisekeeper.outbox import send

    for outcome in send.deliver_queued(rt.db, config=rt.config, now=rt.now, ids=ids):
        report(rt, outcome, to_stderr=to_stderr)


def retry_waiting(rt: Context, *, to_stderr: bool = False) -> None:
    """`pk remind`'s turn at the outbox: send your waiting notices, and say so only when
    something changed (one left, or failed in a new way), never every run."""
    from promisekeeper.db import read_outbox
    from promisekeeper.outbox import ready

    if not ready.ready(rt.config):
        return
    with rt.db.reading() as reader:
        if not read_outbox.waiting_count(reader, owner=me(rt)):
            return  # the usual case: no mail module is loaded
    from promisekeeper.outbox import send

    for outcome in send.deliver(rt.db, config=rt.config, now=rt.now, owner=me(rt)):
        if outcome.news:
            report(rt, outcome, to_stderr=to_stderr)


def report(rt: Context, outcome: Outcome, *, to_stderr: bool = False) -> None:
    """One line per notice: told (stdout), or waiting / refused (stderr)."""
    from promisekeeper.lang.i18n import _
    from promisekeeper.lang.vocabulary import notice
    from promisekeeper.sanitize import clean

    kind = notice(outcome.notice.kind)
    if outcome.sent:
        told = _("Told the customer ({notice}): sent to {to}").format(notice=kind, to=clean(outcome.recipient or ""))
        if to_stderr:
            sys.stderr.write(f"pk: {told}\n")
        else:
            rt.view.line(told)
        return
    if outcome.permanent:
        line = _("notice not sent ({notice}): {reason}; see pk outbox").format(notice=kind, reason=outcome.answer)
    else:
        line = _("notice waiting ({notice}): {reason}; pk outbox send (or pk remind) tries again").format(
            notice=kind, reason=outcome.answer)
    sys.stderr.write(f"pk: {clean(line)}\n")
