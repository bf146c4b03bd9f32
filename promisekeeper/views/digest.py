"""The lead's morning digest (`pk remind --team --digest`): every owner's overdue and
due-today promises, grouped by owner with their counts.

Which promises it lists, and that each is listed once a local day, is decided with the other
reminders (`remind.pending`); this module only lays them out: a headline with the team's
counts, then one group per owner (in the language's alphabetical order, promises with no
owner last), each promise on the line `pk list` would print. Plain and stable in a cron mail.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from promisekeeper.kinds import Stage
from promisekeeper.lang.i18n import _, ngettext
from promisekeeper.remind import Plan, Reminder
from promisekeeper.sanitize import clean
from promisekeeper.views.render import View
from promisekeeper.views.styled import Styled
from promisekeeper.when import timefmt


def by_owner(reminders: Sequence[Reminder]) -> list[tuple[str | None, list[Reminder]]]:
    """The reminders in runs of one owner each, in the order given (`remind.pending` sorts them)."""
    return [(owner, list(group)) for owner, group in groupby(reminders, key=lambda r: r.promise.owner)]


def counts(reminders: Sequence[Reminder]) -> str:
    """ "2 overdue, 1 due later today" (a part with nothing in it is left out)."""
    overdue = sum(reminder.stage == Stage.OVERDUE for reminder in reminders)
    today = len(reminders) - overdue
    parts = []
    if overdue:
        parts.append(ngettext("{count} overdue", "{count} overdue", overdue).format(count=overdue))
    if today:
        parts.append(ngettext("{count} due later today", "{count} due later today", today).format(count=today))
    return ", ".join(parts)


def owner_name(owner: str | None) -> str:
    """An owner as a group's title names them: safe to print; "(no owner)" for nobody."""
    return clean(owner) if owner else _("(no owner)")


def headline(reminders: Sequence[Reminder], *, plan: Plan) -> str:
    """ "Team digest for Mon 23 Nov: 3 overdue, 2 due later today (2 owners)"."""
    owners = len(by_owner(reminders))
    return _("Team digest for {day}: {counts} ({owners})").format(
        day=timefmt.day_label(plan.today), counts=counts(reminders),
        owners=ngettext("{count} owner", "{count} owners", owners).format(count=owners),
    )


def show(view: View, reminders: Sequence[Reminder], *, plan: Plan) -> None:
    """The headline, then each owner's promises under their name and counts, flushed."""
    view.line(Styled(headline(reminders, plan=plan), "bold"))
    view.line()
    rows = {reminder.promise.id: view.cells(reminder.promise, reminder.tried) for reminder in reminders}
    view.align(list(rows.values()))
    for owner, group in by_owner(reminders):
        title = _("{owner} ({counts})").format(owner=owner_name(owner), counts=counts(group))
        style = "bold red" if any(r.stage == Stage.OVERDUE for r in group) else "bold yellow"
        view.promises(title, [rows[reminder.promise.id] for reminder in group], style=style)
    view.out.flush()
