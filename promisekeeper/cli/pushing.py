"""`pk notify test`: one test message to every push URL, and what each one answered."""

from __future__ import annotations

import typer

from promisekeeper.cli import context
from promisekeeper.cli.app import HelpGroup, PKTyper, app

notify_app = PKTyper(cls=HelpGroup, help="Push to phones and chats (Apprise URLs: notify.urls, notify.team_urls).")
app.add_typer(notify_app, name="notify")


@notify_app.command("test")
def notify_test(ctx: typer.Context) -> None:
    """Send one test message to each push URL and show what each answered (URLs masked)."""
    from promisekeeper.errors import PKError
    from promisekeeper.lang.i18n import _
    from promisekeeper.push import transport
    from promisekeeper.push.targets import targets
    from promisekeeper.sanitize import clean

    rt = context.of(ctx)
    found = list(dict.fromkeys([*targets(rt.config, team=False), *targets(rt.config, team=True)]))
    if not found:
        raise PKError(_("no push URLs are set; e.g. `pk config set notify.urls ntfy://ntfy.sh/your-topic`"))
    transport.apprise_module()
    title = _("promisekeeper: test message")
    body = _("If you read this here, `pk remind` reaches you here too.")
    failed = 0
    for target in found:
        answer = transport.send(target.url, title=title, body=body)
        failed += not answer.delivered
        rt.view.line(clean(f"{target.shown}: {answer.words}"))
    if failed:
        raise typer.Exit(1)
