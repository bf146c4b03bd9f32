"""Commands that change the ledger: add, done, reschedule, cancel, reopen, edit, handoff, note, tried, undo."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from promisekeeper.cli import context, telling
from promisekeeper.cli.app import app
from promisekeeper.cli.telling import DryRunOpt, TellOpt
from promisekeeper.errors import BadInput
from promisekeeper.kinds import NoticeKind

if TYPE_CHECKING:
    from promisekeeper.db.rows import PromiseRow
    from promisekeeper.ledger import Draft

IdArg = Annotated[str, typer.Argument(metavar="ID", help="The promise's number (#12 or 12) or a uuid prefix.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the promise as JSON instead.")]
DEFAULT_DUE = "eod"


@app.command()
def add(
    ctx: typer.Context,
    what: Annotated[list[str], typer.Argument(metavar="WHAT", help="What you promised (quotes optional).")],
    to: Annotated[str | None, typer.Option("--to", help="Who it was promised to.", metavar="WHO")] = None,
    contact: Annotated[list[str] | None, typer.Option(
        help="Their phone number or email; twice for both.", metavar="PHONE_OR_EMAIL")] = None,
    via: Annotated[str | None, typer.Option(help="Channel: phone, email, chat, desk…", metavar="CHANNEL")] = None,
    ref: Annotated[str | None, typer.Option(help="Ticket reference, e.g. INC-4821.", metavar="TICKET")] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", "-t", help="A tag (repeatable).", metavar="TAG")] = None,
    due: Annotated[str | None, typer.Option(help='When, e.g. "tomorrow 10am", "in 2h", "fri 3pm Europe/Rome" (all of it: `pk help when`). Default: eod.', metavar="WHEN")] = None,
    owner: Annotated[str | None, typer.Option(help="Who owns it (default: config owner, else your login).", metavar="NAME")] = None,
    new_owner: Annotated[bool, typer.Option(
        "--new-owner", help="NAME only looks like an owner here: it is someone else, add it all the same.")] = False,
    lang: Annotated[str | None, typer.Option(
        "--lang", help="The customer's language for notices: en, it, hu or sv (default: customer.language).",
        metavar="CODE")] = None,
    tell: TellOpt = None,
    as_json: JsonOpt = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would be logged (with --tell: the mail too); save nothing.")] = False,
    every: Annotated[str | None, typer.Option(help='A series of check-ins, e.g. "weekday 10:00", "mon,thu 16:00", "2h", "4 business hours" (see `pk help when`).', metavar="PHRASE")] = None,
    until: Annotated[str | None, typer.Option(help="With --every: when the series ends (read forward, e.g. fri 17:00).", metavar="WHEN")] = None,
    after_done: Annotated[bool, typer.Option("--after-done", help="With --every: count each next check-in from when the last one was kept.")] = False,
) -> None:
    """Log a promise: what, to whom, and by when; with --every, a series of check-ins.

    WHEN is the time language: "tomorrow 10am", "in 2h", "eod", "fri 3pm Europe/Rome" and
    more, described whole by `pk help when` and `man pk`; `pk when PHRASE` tries one out.
    """
    from promisekeeper import ledger
    from promisekeeper.views import messages
    from promisekeeper.views.render import promise_json

    rt = context.of(ctx)
    if every is None and (until is not None or after_done):
        from promisekeeper.lang.i18n import _

        raise BadInput(_('--until and --after-done belong to a series: add --every, e.g. --every "weekday 10:00"'))
    plan, resolved = _series_plan(rt, every, until, after_done, due) if every is not None else (
        None, rt.deadline(DEFAULT_DUE if due is None else due))
    first, second = _two_contacts(contact)
    draft = ledger.Draft(
        what=" ".join(what), who=to, contact=first, contact2=second, via=via, ref=ref,
        tags=tuple(tag or ()), owner=owner or rt.config.get("owner") or None, language=lang,
    )
    if dry_run and not tell:
        preview = ledger.preview(now=rt.now, draft=draft, due=resolved.at, due_tz=resolved.zone)
        _check_owner_read_only(rt, draft, new_owner=new_owner)
        _show_preview(rt, preview, resolved.notes, as_json=as_json)
        return
    if plan is not None:
        from dataclasses import replace

        plan = replace(plan, tell=tell)
    with telling.change(rt, dry_run=dry_run, create=True) as tx:
        promise = ledger.add(tx, now=rt.now, draft=draft, due=resolved.at, due_tz=resolved.zone, series=plan,
                             new_owner=new_owner)
        if plan is None:
            told = telling.queue(tx, rt, tell, promise, NoticeKind.CONFIRMED, dry_run=dry_run)
        else:
            told = telling.queue(tx, rt, tell, promise, NoticeKind.SERIES, dry_run=dry_run, until=plan.until,
                                 rule=telling.rule_words(rt, promise, plan.rule.text))
        if dry_run:
            telling.show(rt, tx, told)
    if dry_run:
        return
    if as_json:
        rt.view.confirm_json(promise_json(promise, now=rt.now, zone=rt.zone))
    else:
        rt.view.confirm(messages.added(rt.view, promise, resolved.notes))
        if plan is not None:
            from promisekeeper.views import checkins

            rt.view.confirm(checkins.started(rt.view, plan.rule.text, plan.until, plan.after_done))
    telling.send_now(rt, told, to_stderr=as_json)


def _check_owner_read_only(rt: context.Context, draft: Draft, *, new_owner: bool) -> None:
    """A dry run refuses a look-alike owner as the change would (no database yet: no owners)."""
    from promisekeeper import ledger
    from promisekeeper.errors import NoDatabase

    if draft.owner is None or new_owner:
        return  # nothing typed to check: no need to open the database
    try:
        with rt.db.reading() as reader:
            ledger.check_owner(reader, draft, new_owner=new_owner)
    except NoDatabase:
        return


def _series_plan(
    rt: context.Context, every: str, until: str | None, after_done: bool, due: str | None,
) -> tuple[Any, Any]:
    """A series as `--every` (and `--until`, `--after-done`, `--due`) say it, and its first
    check-in: `--due`, else the rule's first slot after now."""
    from promisekeeper.series import keeping, slots
    from promisekeeper.when import calendar as business
    from promisekeeper.when.clock import local_zone_name
    from promisekeeper.when.resolve import Resolved
    from promisekeeper.when.zones import zone as named_zone

    rule = _rule(every)
    given = rt.deadline(due) if due is not None else None
    zone_name = rule.zone or (given.zone if given is not None else None)
    zone = named_zone(zone_name) or rt.zone
    series_zone = zone_name or local_zone_name() or business.zone_label(rt.zone)
    if given is None:
        try:
            first = slots.first_after(rule, after=rt.now, zone=zone, calendar=rt.calendar)
        except slots.NoSlot:
            from promisekeeper.lang.i18n import _

            raise BadInput(_("'{phrase}' names no day within ten years on the business calendar").format(
                phrase=every)) from None
        given = Resolved(first, zone_name)
    end = rt.deadline(until).at if until is not None else None
    return keeping.Plan(rule=rule, zone=series_zone, until=end, after_done=after_done), given


def _two_contacts(given: list[str] | None) -> tuple[str | None, str | None]:
    """At most two contacts (a phone and an email), the first given first."""
    values = list(given or ())
    if len(values) > 2:
        from promisekeeper.lang.i18n import _

        raise BadInput(_("give --contact at most twice: a phone number and an email address"))
    values += [None, None]  # type: ignore[list-item]
    return values[0], values[1]


def _show_preview(rt: context.Context, promise: PromiseRow, notes: tuple[str, ...], *, as_json: bool) -> None:
    from promisekeeper.views import messages
    from promisekeeper.views.render import promise_json, write_json

    if as_json:
        write_json(promise_json(promise, now=rt.now, zone=rt.zone) | {"id": None, "uuid": None})
        return
    for line in messages.would_add(rt.view, promise, notes):
        rt.view.line(line)


@app.command()
def done(
    ctx: typer.Context,
    ident: IdArg,
    note: Annotated[str | None, typer.Option(help="A closing note, e.g. what was sent.", metavar="TEXT")] = None,
    final: Annotated[bool, typer.Option("--final", help="A check-in: the last one; its series ends.")] = False,
    tell: TellOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Mark a promise kept (on time or late is worked out from the clock); a check-in opens the next."""
    from promisekeeper import ledger
    from promisekeeper.views import messages

    rt = context.of(ctx)
    with telling.change(rt, dry_run=dry_run) as tx:
        closed = ledger.done(tx, now=rt.now, ident=ident, note=note, final=final, calendar=rt.calendar)
        series = telling.series_of(tx, closed.promise.id)
        if series is None:
            told = telling.queue(tx, rt, tell, closed.promise, NoticeKind.DONE, dry_run=dry_run, note=note)
        elif closed.following is not None:
            told = telling.queue(tx, rt, tell, closed.promise, NoticeKind.UPDATE, dry_run=dry_run, note=note,
                                 remembered=series.tell, next_due=closed.following.due_at)
        else:  # --final, or its end (--until) reached
            told = telling.queue(tx, rt, tell, closed.promise, NoticeKind.LAST_UPDATE, dry_run=dry_run, note=note,
                                 remembered=series.tell)
        if dry_run:
            telling.show(rt, tx, told)
    if dry_run:
        return
    rt.view.confirm(messages.kept(rt.view, closed.promise, moved_late=closed.moved_late))
    _series_lines(rt, closed)
    telling.send_now(rt, told)


def _series_lines(rt: context.Context, closed: Any) -> None:
    """After a check-in closed: the next one it opened, or the series' end."""
    if closed.following is None and not closed.ended and not _in_series(rt, closed.promise.id):
        return
    from promisekeeper.views import checkins

    if closed.following is not None:
        rt.view.confirm(checkins.next_opened(rt.view, closed.following))
    elif closed.ended:
        rt.view.confirm(checkins.ended(closed.promise))
    else:
        rt.view.confirm(checkins.finished(closed.promise))


def _in_series(rt: context.Context, ident: int) -> bool:
    from promisekeeper.db import read_series

    with rt.db.reading() as reader:
        return read_series.series_of(reader, ident) is not None


@app.command()
def skip(
    ctx: typer.Context,
    ident: IdArg,
    reason: Annotated[str | None, typer.Option(help="Why this check-in is skipped (required).", metavar="TEXT")] = None,
) -> None:
    """Release one check-in of a series, with a reason; the series goes on with the next."""
    from promisekeeper import ledger
    from promisekeeper.views import checkins

    rt = context.of(ctx)
    with rt.change() as tx:
        closed = ledger.skip(tx, now=rt.now, ident=ident, reason=reason, calendar=rt.calendar)
    rt.view.confirm(checkins.skipped(closed.promise))
    _series_lines(rt, closed)


@app.command()
def reschedule(
    ctx: typer.Context,
    ident: IdArg,
    when: Annotated[list[str], typer.Argument(metavar="WHEN", help='The new deadline, e.g. "fri 10am" (all of it: `pk help when`); read on the customer\'s clock when the promise has one.')],
    reason: Annotated[str | None, typer.Option(help="Why it moves (required).", metavar="TEXT")] = None,
    tell: TellOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Renegotiate a deadline, with a reason. After the deadline it counts as broken."""
    from promisekeeper import ledger
    from promisekeeper.db import read_promises
    from promisekeeper.views import messages

    rt = context.of(ctx)
    if not (reason or "").strip():
        from promisekeeper.lang.i18n import _

        example = _('pk reschedule {ident} "fri 10am" --reason "waiting on vendor"').format(ident=ident)
        raise BadInput(_("{command} needs --reason TEXT, e.g. {example}").format(command="reschedule", example=example))
    with telling.change(rt, dry_run=dry_run) as tx:
        # A promise made on the customer's clock is moved on that clock.
        customer_clock = read_promises.find(tx.reader, ident).due_tz
        resolved = rt.deadline(when, customer_zone=customer_clock)
        result = ledger.reschedule(tx, now=rt.now, ident=ident, due=resolved.at, due_tz=resolved.zone, reason=reason)
        kind = NoticeKind.APOLOGY if result.after_deadline else NoticeKind.RENEGOTIATED
        told = telling.queue(tx, rt, tell, result.promise, kind, dry_run=dry_run, previous=result.previous,
                             reason=(reason or "").strip())
        if dry_run:
            telling.show(rt, tx, told)
    if dry_run:
        return
    rt.view.confirm(messages.rescheduled(rt.view, result, resolved.notes))
    telling.send_now(rt, told)


@app.command()
def cancel(
    ctx: typer.Context,
    ident: IdArg,
    reason: Annotated[str | None, typer.Option(help="Why it is released (required).", metavar="TEXT")] = None,
    tell: TellOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Release a promise the customer no longer needs, with a reason."""
    from promisekeeper import ledger
    from promisekeeper.views import messages

    rt = context.of(ctx)
    with telling.change(rt, dry_run=dry_run) as tx:
        promise = ledger.cancel(tx, now=rt.now, ident=ident, reason=reason)
        series = telling.series_of(tx, promise.id)
        if series is None:
            told = telling.queue(tx, rt, tell, promise, NoticeKind.RELEASED, dry_run=dry_run,
                                 reason=(reason or "").strip())
        else:  # a check-in cancelled ends its series: the updates stop
            told = telling.queue(tx, rt, tell, promise, NoticeKind.STOPPED, dry_run=dry_run,
                                 reason=(reason or "").strip(), remembered=series.tell,
                                 rule=telling.rule_words(rt, promise, series.rule))
        if dry_run:
            telling.show(rt, tx, told)
    if dry_run:
        return
    rt.view.confirm(messages.released(rt.view, promise))
    if _in_series(rt, promise.id):
        from promisekeeper.views import checkins

        rt.view.confirm(checkins.ended(promise))
    telling.send_now(rt, told)


@app.command()
def reopen(ctx: typer.Context, ident: IdArg) -> None:
    """Bring a kept or released promise back, with its deadline as it was."""
    from promisekeeper import ledger
    from promisekeeper.views import messages

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
    contact: Annotated[list[str] | None, typer.Option(
        help="Their phone number or email: replaces the one of its kind; twice for both.",
        metavar="PHONE_OR_EMAIL")] = None,
    via: Annotated[str | None, typer.Option(help="Channel.", metavar="CHANNEL")] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="The customer's language: en, it, hu or sv.", metavar="CODE")] = None,
    ref: Annotated[str | None, typer.Option(help="Ticket reference.", metavar="TICKET")] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", "-t", help="Replace the tags (repeatable).", metavar="TAG")] = None,
    add_tag: Annotated[list[str] | None, typer.Option("--add-tag", help="Add a tag.", metavar="TAG")] = None,
    remove_tag: Annotated[list[str] | None, typer.Option("--remove-tag", help="Remove a tag.", metavar="TAG")] = None,
    owner: Annotated[str | None, typer.Option(hidden=True)] = None,
    due: Annotated[str | None, typer.Option(hidden=True)] = None,
    every: Annotated[str | None, typer.Option(help="A check-in: a new rule for the check-ins still to come.", metavar="PHRASE")] = None,
) -> None:
    """Change a promise's details (not its deadline: that is `pk reschedule`). "" clears a field."""
    from promisekeeper import ledger
    from promisekeeper.db import read_promises
    from promisekeeper.views import messages

    if due is not None:
        from promisekeeper.lang.i18n import _

        raise BadInput(_('a deadline is renegotiated, not edited: pk reschedule {ident} "{due}" --reason TEXT').format(
            ident=ident, due=due))
    if owner is not None:
        from promisekeeper.lang.i18n import _

        raise BadInput(_('a promise changes hands by a hand-off, with its reason: '
                         'pk handoff {ident} --to-owner "{owner}" --reason TEXT').format(ident=ident, owner=owner))
    rt = context.of(ctx)
    changes: dict[str, Any] = {k: v for k, v in {"what": what, "who": to, "via": via, "ref": ref, "language": lang}.items() if v is not None}
    with rt.change() as tx:
        if contact is not None:
            from promisekeeper import contacts

            found = read_promises.find(tx.reader, ident)
            _two_contacts(contact)
            changes["contact"], changes["contact2"] = contacts.merged((found.contact, found.contact2), contact)
        if tag is not None or add_tag or remove_tag:
            changes["tags"] = ledger.retagged(
                read_promises.find(tx.reader, ident), replace=tag, add=add_tag or [], remove=remove_tag or []
            )
        rule = _rule(every) if every is not None else None
        if rule is not None:
            ledger.change_rule(tx, now=rt.now, ident=ident, rule=rule, calendar=rt.calendar)
        if rule is None or changes:
            promise, changed = ledger.edit(tx, now=rt.now, ident=ident, changes=changes)
    if rule is None or changes:
        rt.view.confirm(messages.edited(rt.view, promise, changed))
    if rule is not None:
        from promisekeeper.views import checkins

        rt.view.confirm(checkins.rule_changed(rule.text))


def _rule(every: str) -> Any:
    from promisekeeper.lang import i18n
    from promisekeeper.series.rule import RuleError, parse

    try:
        return parse(every, i18n.active())
    except RuleError as error:
        raise BadInput(str(error)) from None


@app.command()
def handoff(
    ctx: typer.Context,
    ident: IdArg,
    to_owner: Annotated[str | None, typer.Option(
        "--to-owner", metavar="NAME", help="Who takes it over (as you would say the name: case and accents do not matter).")] = None,
    reason: Annotated[str | None, typer.Option(help="Why it changes hands (required).", metavar="TEXT")] = None,
    new_owner: Annotated[bool, typer.Option(
        "--new-owner", help="NAME has no promise here yet: hand it over all the same.")] = False,
    tell: TellOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Pass an open promise to a colleague, with a reason; the deadline stands."""
    from promisekeeper import ledger
    from promisekeeper.views import messages

    rt = context.of(ctx)
    with telling.change(rt, dry_run=dry_run) as tx:
        result = ledger.handoff(tx, now=rt.now, ident=ident, to_owner=to_owner, reason=reason, new_owner=new_owner)
        told = telling.queue(tx, rt, tell, result.promise, NoticeKind.HANDOFF, dry_run=dry_run,
                             new_owner=result.promise.owner, reason=(reason or "").strip())
        if dry_run:
            telling.show(rt, tx, told)
    if dry_run:
        return
    rt.view.confirm(messages.handed_off(rt.view, result))
    telling.send_now(rt, told)


@app.command()
def note(
    ctx: typer.Context,
    ident: IdArg,
    text: Annotated[list[str], typer.Argument(metavar="TEXT", help="The note.")],
) -> None:
    """Add a note to a promise's history."""
    from promisekeeper import ledger
    from promisekeeper.views import messages

    rt = context.of(ctx)
    with rt.change() as tx:
        promise = ledger.note(tx, now=rt.now, ident=ident, text_=" ".join(text))
    rt.view.confirm(messages.noted(rt.view, promise))


@app.command()
def tried(
    ctx: typer.Context,
    ident: IdArg,
    note: Annotated[str | None, typer.Option(help='What happened, e.g. "voicemail".', metavar="TEXT")] = None,
    tell: TellOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Record a callback attempt that did not reach the customer (the promise stays open)."""
    from promisekeeper import ledger
    from promisekeeper.views import messages

    rt = context.of(ctx)
    with telling.change(rt, dry_run=dry_run) as tx:
        promise, count = ledger.tried(tx, now=rt.now, ident=ident, note=note)
        told = telling.queue(tx, rt, tell, promise, NoticeKind.TRIED, dry_run=dry_run, tried_at=rt.now)
        if dry_run:
            telling.show(rt, tx, told)
    if dry_run:
        return
    rt.view.confirm(messages.tried(rt.view, promise, count))
    telling.send_now(rt, told)


@app.command()
def undo(
    ctx: typer.Context,
    show_list: Annotated[bool, typer.Option("--list", help="Show what would be undone, newest first; change nothing.")] = False,
    owner: Annotated[str | None, typer.Option("--owner", help="Take back NAME's last change instead of yours (on a shared database).", metavar="NAME")] = None,
    event: Annotated[int | None, typer.Option("--event", help="Take back this change, by its event number (pk undo --list shows them).", metavar="N", min=1)] = None,
) -> None:
    """Revert your last change by recording its opposite; history keeps both."""
    from promisekeeper.lang.i18n import _

    if event is not None and (owner is not None or show_list):
        raise BadInput(_("--event names one change; leave out --owner and --list"))
    rt = context.of(ctx)
    if show_list:
        from promisekeeper import owner as ownership
        from promisekeeper.db import read_journal, read_promises
        from promisekeeper.views import journal

        with rt.db.reading() as reader:
            authors = read_journal.authors_of(reader, owner or ownership.me(rt.config.get("owner")))
            candidates = read_journal.undo_candidates(reader, authors=authors)
            promises = {c.promise_id: read_promises.by_id(reader, c.promise_id) for c in candidates}
        journal.show_undo_list(rt.view, candidates, promises)
        return
    from promisekeeper import ledger
    from promisekeeper.views import messages

    with rt.change() as tx:
        result = ledger.undo(tx, now=rt.now, author=owner, event=event, calendar=rt.calendar)
    rt.view.confirm(messages.undone(rt.view, result))
    _series_now(rt, result.promise.id)
    _undone_notices(rt, result)


def _series_now(rt: context.Context, ident: int) -> None:
    """After an undo on a check-in: its series' open check-in, when another one is."""
    from promisekeeper.db import read_promises, read_series

    with rt.db.reading() as reader:
        found = read_series.series_of(reader, ident)
        current = read_series.open_check_in(reader, found[0].id) if found else None
        promise = read_promises.by_id(reader, current) if current not in (None, ident) else None
    if promise is not None:
        from promisekeeper.views import checkins

        rt.view.confirm(checkins.next_opened(rt.view, promise))


def _undone_notices(rt: context.Context, result: Any) -> None:
    """What became of the undone change's notices to the customer."""
    from promisekeeper.lang.i18n import _
    from promisekeeper.lang.vocabulary import notice

    for row in result.withdrawn:
        rt.view.line(_("Its {notice} notice to the customer is withdrawn: it had not left yet.").format(
            notice=notice(row.kind)))
    for row in result.already_sent:
        rt.view.line(_("The customer already has its {notice} notice: an undo cannot unsend it. "
                       "To tell them what stands now: pk outbox correct {id}").format(
            notice=notice(row.kind), id=result.promise.id))
