"""`pk remind`: what needs action now, for cron and systemd timers; silent when all is well."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from promisekeeper.cli import context
from promisekeeper.cli.app import app
from promisekeeper.cli.whose import asked_for
from promisekeeper.push.targets import targets

if TYPE_CHECKING:
    from promisekeeper.owner import Whose
    from promisekeeper.remind import Plan
    from promisekeeper.shell.notify import Notification


@app.command()
def remind(
    ctx: typer.Context,
    within: Annotated[str | None, typer.Option(
        metavar="DURATION", help='Lead time for "coming up", this run only (default: remind.lead, 15m).')] = None,
    as_json: Annotated[bool, typer.Option("--json", help="A JSON array of reminders ([] when none).")] = False,
    notify: Annotated[bool, typer.Option("--notify", help="Also show a desktop notification.")] = False,
    digest: Annotated[bool, typer.Option("--digest", help=(
        "Once a day, also what is still overdue; with --team, the lead's digest: everyone's overdue and "
        "due-today promises, by owner."))] = False,
    owner: Annotated[str | None, typer.Option("--owner", metavar="NAME", help=(
        "A colleague's promises, reminded as their own run would (it counts as theirs)."))] = None,
    team: Annotated[bool, typer.Option("--team", help=(
        "Everyone's promises, for the team: counted apart from each owner's own reminders."))] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would be reminded; record nothing.")] = False,
    exit_code: Annotated[bool, typer.Option("--exit-code", help=(
        "Exit 0 if nothing was reminded, 10 if only coming-up, 11 if any due/overdue, "
        "12 if a push was not delivered."))] = False,
) -> None:
    """What needs action now, each reminded once per stage; prints nothing when nothing does."""
    from promisekeeper import remind as reminders

    rt = context.of(ctx)
    whose = asked_for(rt, owner, team)
    push_to = () if dry_run or (owner is not None and not team) else tuple(targets(rt.config, team=whose.team))
    plan = reminders.Plan(
        now=rt.now, zone=rt.zone, lead=reminders.lead_time(within, rt.config.get("remind.lead")), digest=digest,
        whose=whose, labelled=_labelled(rt, whose), push_to=push_to,
    )

    def deliver(found: list[reminders.Reminder]) -> None:
        if as_json:
            reminders.write_reminders_json(found, plan=plan)
        elif plan.team_digest:
            from promisekeeper.views import digest as team_digest

            team_digest.show(rt.view, found, plan=plan)
        else:
            reminders.show(rt.view, found, plan=plan)

    if not dry_run:
        _catch_up_series(rt)
    found = reminders.run(rt.db.reading, rt.change, plan=plan, deliver=deliver, dry_run=dry_run,
                          calendar=lambda: rt.calendar)
    if as_json and not found:
        reminders.write_reminders_json([], plan=plan)
    if not dry_run and not whose.team and whose.owner is None:
        from promisekeeper.cli import telling

        telling.retry_waiting(rt, to_stderr=as_json)
    if notify and found:
        _notify(reminders.notification(found, plan=plan))
    push_failed = _push(rt, plan) if push_to else False
    if exit_code:
        raise typer.Exit(reminders.exit_code(found, push_failed=push_failed))


def _catch_up_series(rt: context.Context) -> None:
    """Close the series' check-ins missed by now and open the next ones (a change catches
    them up first), before the reminders are decided: the next one may need one."""
    from promisekeeper.series.catchup import overdue

    with rt.db.reading() as reader:
        waiting = overdue(reader, now=rt.now)
    if waiting:
        with rt.change():
            pass


def _labelled(rt: context.Context, whose: Whose) -> bool:
    """Whether each reminder names its owner: a colleague's or the team's, on a shared
    database (a name nobody here has is refused now, before anything is decided)."""
    if not whose.team and whose.owner is None:
        return False
    from promisekeeper.db import read_promises

    with rt.db.reading() as reader:
        present = read_promises.owners(reader)
    whose.owners(present)
    return whose.labelled(present)


def _notify(notification: Notification) -> None:
    # After the commit: a desktop that cannot be reached never costs a printed reminder.
    from promisekeeper.shell import notify

    reason = notify.send(notification)
    if reason:
        from promisekeeper.lang.i18n import _

        sys.stderr.write("pk: " + _("desktop notification not sent: {reason}").format(reason=reason) + "\n")
        sys.stderr.flush()


def _push(rt: context.Context, plan: Plan) -> bool:
    """Push what waits for this run's URLs (after the printed reminders: a push that fails
    never costs one); say on stderr only which URLs started failing or work again.
    Returns whether a push failed."""
    from promisekeeper import remind as reminders
    from promisekeeper.lang.i18n import _
    from promisekeeper.push import deliveries
    from promisekeeper.push.transport import PushUnavailable

    try:
        report = deliveries.deliver(
            rt.db.reading, rt.change, targets=plan.push_to, team=plan.team, now=rt.now, zone=rt.zone,
            quiet=rt.config.get("notify.quiet"), compose=lambda items: reminders.push_messages(items, plan=plan),
        )
    except PushUnavailable as error:
        _say(str(error))
        return True
    for target in report.newly_failing:
        _say(_("push to {url} not delivered ({reason}); the next `pk remind` tries again").format(
            url=target.shown, reason=report.failed[target]))
    for target in report.recovered:
        _say(_("push to {url} delivered again").format(url=target.shown))
    return bool(report.failed)


def _say(line: str) -> None:
    from promisekeeper.sanitize import clean

    sys.stderr.write("pk: " + clean(line) + "\n")
    sys.stderr.flush()
