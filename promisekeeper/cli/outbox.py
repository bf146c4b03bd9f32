"""`pk outbox` (customer notices not yet delivered, a retry, giving one up, a correction)
and `pk config check` (the mail settings and templates tried)."""

from __future__ import annotations

from typing import Annotated

import typer

from promisekeeper.cli import context, telling
from promisekeeper.cli.app import HelpGroup, PKTyper, app
from promisekeeper.cli.settings import config_app
from promisekeeper.errors import BadInput, PKError

outbox_app = PKTyper(
    cls=HelpGroup, help="Notices to customers that have not left yet: list, send, drop.", invoke_without_command=True,
)
app.add_typer(outbox_app, name="outbox")


@outbox_app.callback()
def outbox_list(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="The notices as JSON.")] = False,
) -> None:
    """Your notices waiting to be sent, or refused by the server, oldest first."""
    if ctx.invoked_subcommand is not None:
        return
    from promisekeeper.db import read_outbox, read_promises
    from promisekeeper.views import notices

    rt = context.of(ctx)
    with rt.db.reading() as reader:
        rows = read_outbox.pending(reader, owner=telling.me(rt))
        promises = {row.promise_id: read_promises.by_id(reader, row.promise_id) for row in rows}
    if as_json:
        notices.write_json(rows, promises)
    else:
        notices.show_outbox(rt.view, rows, promises)


@outbox_app.command("send")
def outbox_send(ctx: typer.Context) -> None:
    """Send your waiting notices now, and try the refused ones again."""
    from promisekeeper.lang.i18n import _
    from promisekeeper.outbox import send

    rt = context.of(ctx)
    _require_ready(rt)
    outcomes = send.deliver(rt.db, config=rt.config, now=rt.now, owner=telling.me(rt), retry_failed=True)
    if not outcomes:
        rt.view.line(_("No notice is waiting."))
    for outcome in outcomes:
        telling.report(rt, outcome)


@outbox_app.command("drop")
def outbox_drop(
    ctx: typer.Context,
    ident: Annotated[int, typer.Argument(metavar="ID", help="The notice's number, as pk outbox lists it.")],
) -> None:
    """Give up a notice that has not left (recorded in the promise's journal)."""
    from promisekeeper.lang.i18n import _
    from promisekeeper.lang.vocabulary import notice, notice_state
    from promisekeeper.outbox import queue

    rt = context.of(ctx)
    with rt.change() as tx:
        row = queue.drop(tx, now=rt.now, notice_id=ident)
    if row is None:
        raise PKError(_("no notice {id}; pk outbox lists the waiting ones").format(id=ident))
    if row.state not in ("waiting", "sending", "failed"):
        raise BadInput(_("notice {id} is already {state}; only one that has not left can be dropped").format(
            id=ident, state=notice_state(row.state)))
    rt.view.confirm(_("Dropped notice {id} ({notice} about #{promise}); it will not be sent.").format(
        id=ident, notice=notice(row.kind), promise=row.promise_id))


@outbox_app.command("correct")
def outbox_correct(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(metavar="ID", help="The promise's number (#12 or 12) or a uuid prefix.")],
    dry_run: telling.DryRunOpt = False,
) -> None:
    """Tell the customer what stands now, after an undo of a change they were told about."""
    from promisekeeper.db import read_promises
    from promisekeeper.kinds import NoticeKind

    rt = context.of(ctx)
    with telling.change(rt, dry_run=dry_run) as tx:
        promise = read_promises.find(tx.reader, ident)
        told = telling.queue(tx, rt, True, promise, NoticeKind.CORRECTION, dry_run=dry_run)
        if dry_run:
            telling.show(rt, tx, told)
    if not dry_run:
        telling.send_now(rt, told)


def _require_ready(rt: context.Context) -> None:
    from promisekeeper.lang.i18n import _
    from promisekeeper.outbox import ready

    if not ready.ready(rt.config):
        raise BadInput(_("notices need mail.from and one of mail.smtp, mail.sendmail or mail.drafts; "
                         "see pk config"))


@config_app.command("check")
def config_check(ctx: typer.Context) -> None:
    """Check the settings and your notice templates, and try the mail server (nothing is sent)."""
    from promisekeeper.lang.i18n import _
    from promisekeeper.outbox import ready, templates

    rt = context.of(ctx)
    rt.config  # noqa: B018 -- loading checks every value
    checked = templates.check_all()
    rt.view.line(_("Settings: fine ({path})").format(path=rt.config.path))
    for path in checked:
        rt.view.line(_("Template: fine ({path})").format(path=path))
    if not ready.has_transport(rt.config):
        rt.view.line(_("Mail: not set up (notices to customers need mail.from and mail.smtp, mail.sendmail "
                       "or mail.drafts)"))
        return
    from promisekeeper.outbox import transports

    transport = transports.from_config(rt.config)
    try:
        answer = transport.check()
    except transports.Failure as failure:
        raise PKError(_("mail: {reason}").format(reason=failure.answer)) from None
    finally:
        transport.close()
    rt.view.line(_("Mail ({transport}): {answer}").format(transport=transport.name, answer=answer))
    if not rt.config.get("mail.from"):
        raise BadInput(_('notices need a sender: pk config set mail.from "Your Name <you@example.com>"'))
