"""Commands that change the ledger: add, done, reschedule, cancel, reopen, edit, note, tried, undo."""

from __future__ import annotations

from typing import Annotated

import typer

from promisekeeper.cli.app import app
from promisekeeper.cli import context
from promisekeeper.errors import BadInput

IdArg = Annotated[str, typer.Argument(metavar="ID", help="The promise's number (#12 or 12) or a uuid prefix.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the promise as JSON instead.")]
DEFAULT_DUE = "eod"


@app.command()
def add(
    ctx: typer.Context,
    what: Annotated[list[str], typer.Argument(metavar="WHAT", help="What you promised (quotes optional).")],
    to: Annotated[str | None, typer.Option("--to", help="Who it was promised to.", metavar="WHO")] = None,
    contact: Annotated[str | None, typer.Option(help="Their phone number or email.", metavar="PHONE_OR_EMAIL")] = None,
    via: Annotated[str | None, typer.Option(help="Channel: phone, email, chat, desk…", metavar="CHANNEL")] = None,
    ref: Annotated[str | None, typer.Option(help="Ticket reference, e.g. INC-4821.", metavar="TICKET")] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", "-t", help="A tag (repeatable).", metavar="TAG")] = None,
    due: Annotated[str | None, typer.Option(help='When, e.g. "tomorrow 10am", "in 2h", "fri 3pm Europe/Rome". Default: eod.', metavar="WHEN")] = None,
    owner: Annotated[str | None, typer.Option(help="Who owns it (default: config owner, else your login).", metavar="NAME")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Log a promise: what, to whom, and by when."""
    from promisekeeper import ledger, messages
    from promisekeeper.render import promise_json

    rt = context.of(ctx)
    resolved = rt.deadline(DEFAULT_DUE if due is None else due)
    draft = ledger.Draft(
        what=" ".join(what), who=to, contact=contact, via=via, ref=ref,
        tags=tuple(tag or ()), owner=owner or rt.config.get("owner") or None,
    )
    with rt.change() as tx:
        promise = ledger.add(tx, now=rt.now, draft=draft, due=resolved.at, due_tz=resolved.zone)
    if as_json:
        rt.view.confirm_json(promise_json(promise, now=rt.now, zone=rt.zone))
    else:
        rt.view.confirm(messages.added(rt.view, promise, resolved.notes))


@app.command()
def done(
    ctx: typer.Context,
    ident: IdArg,
    note: Annotated[str | None, typer.Option(help="A closing note, e.g. what was sent.", metavar="TEXT")] = None,
) -> None:
    """Mark a promise kept (on time or late is worked out from the clock)."""
    from promisekeeper import ledger, messages

    rt = context.of(ctx)
    with rt.change() as tx:
        closed = ledger.done(tx, now=rt.now, ident=ident, note=note)
    rt.view.confirm(messages.kept(rt.view, closed.promise, moved_late=closed.moved_late))


@app.command()
def reschedule(
    ctx: typer.Context,
    ident: IdArg,
    when: Annotated[list[str], typer.Argument(metavar="WHEN", help='The new deadline, e.g. "fri 10am".')],
    reason: Annotated[str | None, typer.Option(help="Why it moves (required).", metavar="TEXT")] = None,
) -> None:
    """Renegotiate a deadline, with a reason. After the deadline it counts as broken."""
    from promisekeeper import ledger, messages

    rt = context.of(ctx)
    if not (reason or "").strip():
        raise BadInput(f'reschedule needs --reason TEXT, e.g. pk reschedule {ident} "fri 10am" --reason "waiting on vendor"')
    resolved = rt.deadline(when)
    with rt.change() as tx:
        result = ledger.reschedule(tx, now=rt.now, ident=ident, due=resolved.at, due_tz=resolved.zone, reason=reason)
    rt.view.confirm(messages.rescheduled(rt.view, result, resolved.notes))


@app.command()
def cancel(
    ctx: typer.Context,
    ident: IdArg,
    reason: Annotated[str | None, typer.Option(help="Why it is released (required).", metavar="TEXT")] = None,
) -> None:
    """Release a promise the customer no longer needs, with a reason."""
    from promisekeeper import ledger, messages

    rt = context.of(ctx)
    with rt.change() as tx:
        promise = ledger.cancel(tx, now=rt.now, ident=ident, reason=reason)
    rt.view.confirm(messages.released(rt.view, promise))


@app.command()
def reopen(ctx: typer.Context, ident: IdArg) -> None:
    """Bring a kept or released promise back, with its deadline as it was."""
    from promisekeeper import ledger, messages

    rt = context.of(ctx)
    with rt.change() as tx:
        promise = ledger.reopen(tx, now=rt.now, ident=ident)
    rt.view.confirm(messages.reopened(rt.view, promise))


@app.command()
def edit(
    ctx: typer.Context,
    ident: IdArg,
    what: Annotated[str | None, typer.Option(help="New text of the promise.", metavar="TEXT")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Who it was promised to.", metavar="WHO")] = None,
    contact: Annotated[str | None, typer.Option(help="Their phone number or email.", metavar="PHONE_OR_EMAIL")] = None,
    via: Annotated[str | None, typer.Option(help="Channel.", metavar="CHANNEL")] = None,
    ref: Annotated[str | None, typer.Option(help="Ticket reference.", metavar="TICKET")] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", "-t", help="Replace the tags (repeatable).", metavar="TAG")] = None,
    add_tag: Annotated[list[str] | None, typer.Option("--add-tag", help="Add a tag.", metavar="TAG")] = None,
    remove_tag: Annotated[list[str] | None, typer.Option("--remove-tag", help="Remove a tag.", metavar="TAG")] = None,
    owner: Annotated[str | None, typer.Option(help="Who owns it.", metavar="NAME")] = None,
    due: Annotated[str | None, typer.Option(hidden=True)] = None,
) -> None:
    """Change a promise's details (not its deadline: that is `pk reschedule`). "" clears a field."""
    from promisekeeper import ledger, messages
    from promisekeeper.db import read_promises

    if due is not None:
        raise BadInput(f'a deadline is renegotiated, not edited: pk reschedule {ident} "{due}" --reason TEXT')
    rt = context.of(ctx)
    changes = {k: v for k, v in {"what": what, "who": to, "contact": contact, "via": via, "ref": ref, "owner": owner}.items() if v is not None}
    with rt.change() as tx:
        if tag is not None or add_tag or remove_tag:
            current = list(tag) if tag is not None else list(read_promises.find(tx.reader, ident).tags)
            dropped = set(ledger.normalize_tags(remove_tag or []))
            kept_tags = [t for t in ledger.normalize_tags(current + (add_tag or [])) if t not in dropped]
            changes["tags"] = kept_tags
        promise, changed = ledger.edit(tx, now=rt.now, ident=ident, changes=changes)
    rt.view.confirm(messages.edited(rt.view, promise, changed))


@app.command()
def note(
    ctx: typer.Context,
    ident: IdArg,
    text: Annotated[list[str], typer.Argument(metavar="TEXT", help="The note.")],
) -> None:
    """Add a note to a promise's history."""
    from promisekeeper import ledger, messages

    rt = context.of(ctx)
    with rt.change() as tx:
        promise = ledger.note(tx, now=rt.now, ident=ident, text_=" ".join(text))
    rt.view.confirm(messages.noted(rt.view, promise))


@app.command()
def tried(
    ctx: typer.Context,
    ident: IdArg,
    note: Annotated[str | None, typer.Option(help='What happened, e.g. "voicemail".', metavar="TEXT")] = None,
) -> None:
    """Record a callback attempt that did not reach the customer (the promise stays open)."""
    from promisekeeper import ledger, messages

    rt = context.of(ctx)
    with rt.change() as tx:
        promise, count = ledger.tried(tx, now=rt.now, ident=ident, note=note)
    rt.view.confirm(messages.tried(rt.view, promise, count))


@app.command()
def undo(
    ctx: typer.Context,
    show_list: Annotated[bool, typer.Option("--list", help="Show what would be undone, newest first; change nothing.")] = False,
) -> None:
    """Revert the last change by recording its opposite; history keeps both."""
    rt = context.of(ctx)
    if show_list:
        from promisekeeper import journal
        from promisekeeper.db import read_journal, read_promises

        with rt.db.reading() as reader:
            candidates = read_journal.undo_candidates(reader)
            promises = {c.promise_id: read_promises.by_id(reader, c.promise_id) for c in candidates}
        journal.show_undo_list(rt.view, candidates, promises)
        return
    from promisekeeper import ledger, messages

    with rt.change() as tx:
        result = ledger.undo(tx, now=rt.now)
    rt.view.confirm(messages.undone(rt.view, result))
