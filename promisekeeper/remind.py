"""Reminders: which promises need a word now, each said once per stage, and how it reads.

Stages, for an open promise:
  upcoming  its deadline is within the lead time (`remind.lead`, or `--within`);
  due       its deadline has been reached;
  overdue   the daily "still overdue" digest (`--digest`): a promise past its deadline,
            already reminded as due, and not reminded at all yet this local day.

Each (promise, deadline, stage) is reminded once; a new deadline (`pk reschedule`)
starts afresh. A run decides from the clock alone, so after missed runs (a laptop
asleep) only the current stage is sent: a later stage supersedes an unsent earlier one.

Every reminder is for someone, and each audience keeps its own count: the promise's owner
(`pk remind`, your own promises; `--owner NAME` covers a colleague's as their own run
would), or the team (`pk remind --team`). A promise handed to someone else starts afresh
for its new owner. The team's daily digest (`--team --digest`: every owner's overdue and
due-today promises) lists each promise once a local day, and never uses up an owner's own
reminder, nor they its place in the digest.

Never doubled by overlapping runs: the decision and its `reminded` events are made in one
write transaction (runs take turns on the write lock, and a run that waited sees what the
first one recorded), and a reminder is printed only once that transaction is committed, so
what was printed is always on record. If printing then fails (a full disk), the run says
so on stderr and exits 1: the reminders count as sent.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from promisekeeper import owner as ownership
from promisekeeper import sanitize
from promisekeeper.db import read_journal, read_promises
from promisekeeper.db.reader import Reader
from promisekeeper.db.rows import Attempts, PromiseRow
from promisekeeper.errors import BadInput, PKError
from promisekeeper.kinds import Stage
from promisekeeper.lang.i18n import _, ngettext
from promisekeeper.push.deliveries import Item, Message
from promisekeeper.push.targets import Target
from promisekeeper.shell.notify import Notification
from promisekeeper.views.render import View, promise_json, write_json
from promisekeeper.views.styled import Styled, user
from promisekeeper.when import deadline as boundary
from promisekeeper.when import timefmt
from promisekeeper.when.clock import local_midnight

if TYPE_CHECKING:
    from promisekeeper.series.projected import Pending
    from promisekeeper.when.calendar import BusinessCalendar

UPCOMING, DUE, OVERDUE, TODAY = Stage.UPCOMING, Stage.DUE, Stage.OVERDUE, Stage.TODAY
DIGEST_STAGES = (OVERDUE, TODAY)  # what a daily digest records, with the day it was for

# `--exit-code`: distinct from 1 (runtime failure) and 2 (bad usage).
EXIT_NOTHING = 0
EXIT_UPCOMING = 10
EXIT_DUE = 11
EXIT_PUSH_FAILED = 12

NOTIFY_LINES = 8
DUE_NOW_TOLERANCE = timefmt.DUE_NOW  # as timefmt.distance, so summary and blocks agree
_HEADLINE_STYLE = {"soon": "bold green", "now": "bold yellow", "late": "bold red", "still": "bold red",
                  "today": "bold yellow"}


@dataclass(frozen=True)
class Plan:
    """What one run looks for: its moment, the local zone, the lead time, the digest, and
    whose promises (None: everyone's, for their owners); `labelled` shows each one's owner."""

    now: datetime
    zone: tzinfo
    lead: timedelta
    digest: bool = False
    whose: ownership.Whose | None = None
    labelled: bool = False
    push_to: tuple[Target, ...] = ()  # the push URLs this run's reminders are queued for

    @property
    def team(self) -> bool:
        """Whether the reminders are for the team (the lead), not for each promise's owner."""
        return self.whose is not None and self.whose.team

    @property
    def team_digest(self) -> bool:
        return self.team and self.digest

    @property
    def today(self) -> date:
        return self.now.astimezone(self.zone).date()

    @property
    def day_start(self) -> datetime:
        """Local midnight at the start of today, as aware UTC."""
        return local_midnight(self.today, self.zone)


@dataclass(frozen=True)
class Reminder:
    """One promise to remind about, at one stage."""

    promise: PromiseRow
    stage: Stage
    tried: Attempts | None = None
    # A dry run's check-in that the real run opens first (it has no number yet): the id of
    # the missed one it follows, which `promise` still carries.
    opens_after: int | None = None


@dataclass(frozen=True)
class Sent:
    """A reminder already recorded: its stage, the deadline it was about, when, and for whom
    (the owner whose own reminder it was; None in older records; or the team)."""

    stage: Stage
    due_at: datetime | None
    at: datetime
    owner: str | None = None
    team: bool = False


def lead_time(within: str | None, configured: str) -> timedelta:
    """The lead time for this run: `--within` when given, else the `remind.lead` setting."""
    from promisekeeper.config import lead_duration

    source, text = ("--within", within) if within is not None else ("remind.lead", configured)
    try:
        return lead_duration(str(text))
    except ValueError as error:
        raise BadInput(f"{source}: {error}") from None


# -- deciding -------------------------------------------------------------------------


def run(
    reading: Callable[[], AbstractContextManager[Reader]],
    change: Callable[[], AbstractContextManager[Any]],
    *,
    plan: Plan,
    deliver: Callable[[list[Reminder]], None],
    dry_run: bool = False,
    calendar: Callable[[], BusinessCalendar] | None = None,
) -> list[Reminder]:
    """Find what needs a word now, record it, and deliver it once that is committed.

    A first look without the write lock keeps the common case (nothing to say) from
    queueing behind, or holding up, someone at the keyboard. A dry run (given `calendar`)
    decides on the series as the real run's catch-up leaves them, writing nothing.
    """
    with reading() as reader:
        caught = _caught_up(reader, plan=plan, calendar=calendar) if dry_run else {}
        reminders = pending(reader, plan=plan, caught=caught)
    if not reminders or dry_run:
        if reminders:
            deliver(reminders)
        return reminders
    with change() as tx:
        # Decided again under the write lock: an overlapping run may have said some already.
        reminders = pending(tx.reader, plan=plan)
        record(tx, plan=plan, reminders=reminders)
    if reminders:
        _deliver_recorded(deliver, reminders)
    return reminders


def _deliver_recorded(deliver: Callable[[list[Reminder]], None], reminders: list[Reminder]) -> None:
    try:
        deliver(reminders)
    except OSError as error:
        count = len(reminders)
        raise PKError(ngettext(
            "{count} reminder was recorded as sent but could not be printed: {reason}; `pk log` lists it",
            "{count} reminders were recorded as sent but could not be printed: {reason}; `pk log` lists them",
            count,
        ).format(count=count, reason=error.strerror or error)) from None


def _caught_up(
    reader: Reader, *, plan: Plan, calendar: Callable[[], BusinessCalendar] | None,
) -> dict[int, Pending]:
    """The check-ins the real run's catch-up closes as missed (`views.caught_up`)."""
    if calendar is None:
        return {}
    from promisekeeper.views import caught_up

    return caught_up.missed(reader, now=plan.now, calendar=calendar)


def pending(reader: Reader, *, plan: Plan, caught: dict[int, Pending] | None = None) -> list[Reminder]:
    """The reminders due now, most urgent deadline first (the team digest: by owner); nothing
    is written. `caught`: missed check-ins, each decided as the successor it gives way to
    (new: nothing reminded, no attempts)."""
    caught = caught or {}
    owners = plan.whose.owners(read_promises.owners(reader)) if plan.whose else None
    whose = read_promises.Filters(owners=owners)
    choose = _digest if plan.team_digest else _staged
    chosen = choose(reader, plan=plan, whose=whose, caught=caught)
    tried = read_journal.attempts(reader, [promise.id for promise, _ in chosen if promise.id not in caught])
    return [Reminder(promise, stage, tried.get(promise.id)) if promise.id not in caught
            else Reminder(promise._replace(created_at=plan.now), stage, None, opens_after=promise.id)
            for promise, stage in chosen]


def _staged(
    reader: Reader, *, plan: Plan, whose: read_promises.Filters, caught: dict[int, Pending],
) -> list[tuple[PromiseRow, Stage]]:
    """Each promise due within the lead time at the one stage to remind it at now, if any."""
    bounds = read_promises.Bounds(until=plan.now + plan.lead)
    candidates = read_promises.promises(reader, bounds=bounds, filters=whose)
    if caught:
        from promisekeeper.views import caught_up

        candidates = caught_up.rows(candidates, caught, bounds=bounds)
    history = sent_reminders(reader, promise_ids=[promise.id for promise in candidates if promise.id not in caught])
    chosen = []
    for promise in candidates:
        sent = heard(history.get(promise.id, []), promise, plan=plan)
        stage = stage_to_send(promise, plan=plan, sent=sent)
        if stage is not None:
            chosen.append((promise, stage))
    return chosen


def _digest(
    reader: Reader, *, plan: Plan, whose: read_promises.Filters, caught: dict[int, Pending],
) -> list[tuple[PromiseRow, Stage]]:
    """The team digest: every overdue and due-today promise not yet in one today, by owner
    (in the language's alphabetical order, no owner last), then by deadline."""
    from promisekeeper.lang import collation
    from promisekeeper.lang.i18n import active
    from promisekeeper.windows import Windows

    at = Windows.at(plan.now, plan.zone)
    agenda = read_promises.agenda(reader, at=at, filters=whose, upcoming=0)
    if caught:
        from promisekeeper.views import caught_up

        agenda = caught_up.agenda(agenda, caught, now=plan.now, day_end=at.day_end, upcoming=0)
    history = sent_reminders(reader, promise_ids=[promise.id for promise in agenda.shown if promise.id not in caught])
    chosen = [
        (promise, stage)
        for group, stage in ((agenda.overdue, OVERDUE), (agenda.today, TODAY))
        for promise in group
        if not in_digest_today(heard(history.get(promise.id, []), promise, plan=plan), plan=plan)
    ]
    name = collation.sorter(active())  # names in the order of the language pk speaks

    def by_owner(item: tuple[PromiseRow, Stage]) -> tuple[Any, ...]:
        promise = item[0]
        return promise.owner is None, name(promise.owner or ""), promise.due_at, promise.id

    return sorted(chosen, key=by_owner)


def heard(sent: Sequence[Sent], promise: PromiseRow, *, plan: Plan) -> list[Sent]:
    """The reminders this run's audience has had: the team's, or the promise's owner's own
    (older records name nobody: they count for whoever owns it)."""
    if plan.team:
        return [entry for entry in sent if entry.team]
    return [
        entry for entry in sent
        if not entry.team and (entry.owner is None or ownership.same(entry.owner, promise.owner))
    ]


def in_digest_today(sent: Iterable[Sent], *, plan: Plan) -> bool:
    """Whether a daily digest already listed the promise this local day."""
    return any(entry.stage in DIGEST_STAGES and entry.at >= plan.day_start for entry in sent)


def stage_to_send(promise: PromiseRow, *, plan: Plan, sent: Sequence[Sent]) -> Stage | None:
    """The one stage to remind this promise at now, or None when it needs no word."""
    if promise.due_at <= plan.now:
        if not _was_sent(sent, DUE, promise.due_at):
            return DUE
        if plan.digest and not any(entry.at >= plan.day_start for entry in sent):
            return OVERDUE
        return None
    if promise.due_at > plan.now + plan.lead:
        return None
    # A run whose clock was read before another run's (it waited for the lock) must not
    # say "coming up" about a deadline already reminded as due.
    if _was_sent(sent, UPCOMING, promise.due_at) or _was_sent(sent, DUE, promise.due_at):
        return None
    return UPCOMING


def _was_sent(sent: Iterable[Sent], stage: Stage, due_at: datetime) -> bool:
    return any(entry.stage == stage and entry.due_at == due_at for entry in sent)


def sent_reminders(reader: Reader, *, promise_ids: Sequence[int]) -> dict[int, list[Sent]]:
    """The reminders recorded so far for these promises, oldest first."""
    return {
        promise_id: [Sent(*entry) for entry in entries]
        for promise_id, entries in read_journal.reminders_sent(reader, promise_ids).items()
    }


def record(tx: Any, *, plan: Plan, reminders: Sequence[Reminder]) -> None:
    """Append one `reminded` event per reminder, naming the deadline (and day) it was for,
    and whom: the promise's owner, or the team."""
    from promisekeeper import ledger  # the write half: only once there is something to say
    from promisekeeper.push import deliveries

    for reminder in reminders:
        day = plan.today.isoformat() if reminder.stage in DIGEST_STAGES else None
        event_id = ledger.record_reminder(
            tx, now=plan.now, promise_id=reminder.promise.id, stage=reminder.stage,
            due_at=reminder.promise.due_at, day=day,
            owner=None if plan.team else reminder.promise.owner, team=plan.team,
        )
        if plan.push_to:
            deliveries.queue(tx, event_id=event_id, targets=plan.push_to, now=plan.now)


def exit_code(reminders: Sequence[Reminder], *, push_failed: bool = False) -> int:
    """0 nothing reminded, 10 only coming-up reminders, 11 at least one due or overdue;
    12 when a push was not delivered (it is tried again next run), whatever was reminded."""
    if push_failed:
        return EXIT_PUSH_FAILED
    if any(reminder.stage in (DUE, OVERDUE) for reminder in reminders):
        return EXIT_DUE
    return EXIT_UPCOMING if reminders else EXIT_NOTHING


# -- showing --------------------------------------------------------------------------


def summary(reminders: Sequence[Reminder], *, plan: Plan) -> str:
    """The first line: "2 promises overdue, 1 due now, 1 due in 12m".

    The first count names what it counts ("2 promises overdue"), the others do not.
    """
    standings = [
        "today" if reminder.stage == TODAY else _standing(reminder.promise, plan.now) for reminder in reminders
    ]
    soon = [r for r, standing in zip(reminders, standings, strict=True) if standing == "soon"]
    counts = [(standings.count("late"), "late"), (standings.count("now"), "now"), (len(soon), "soon"),
              (standings.count("today"), "today")]
    values = {
        "distance": timefmt.distance(soon[0].promise.due_at, plan.now) if soon else "",
        "span": timefmt.span(plan.lead),
    }
    parts: list[str] = []
    for count, standing in counts:
        if count:
            if standing == "soon" and count > 1:
                standing = "within"
            parts.append(_count_phrase(standing, count, first=not parts).format(count=count, **values))
    return ", ".join(parts)


def _count_phrase(standing: str, count: int, *, first: bool) -> str:
    """One count of the summary line, as a whole phrase for each standing."""
    if first:
        # Translators: the start of a reminder's summary line; {distance} is e.g. "in 12m".
        phrases = {
            "late": ngettext("{count} promise overdue", "{count} promises overdue", count),
            "now": ngettext("{count} promise due now", "{count} promises due now", count),
            "soon": ngettext("{count} promise due {distance}", "{count} promises due {distance}", count),
            "within": ngettext("{count} promise due within {span}", "{count} promises due within {span}", count),
            "today": ngettext("{count} promise due later today", "{count} promises due later today", count),
        }
    else:
        # Translators: a later count of the summary line ("…, 1 due now"); the promises are
        # named by the first count.
        phrases = {
            "late": ngettext("{count} overdue", "{count} overdue", count),
            "now": ngettext("{count} due now", "{count} due now", count),
            "soon": ngettext("{count} due {distance}", "{count} due {distance}", count),
            "within": ngettext("{count} due within {span}", "{count} due within {span}", count),
            "today": ngettext("{count} due later today", "{count} due later today", count),
        }
    return phrases[standing]


def _standing(promise: PromiseRow, now: datetime) -> str:
    """ "late", "now" or "soon", with timefmt.distance's "due now" tolerance (and its
    deadline's minute: late only from its end, as `pk done` judges)."""
    if boundary.is_late(now, promise.due_at):
        return "late"
    return "soon" if promise.due_at - now >= DUE_NOW_TOLERANCE else "now"


def headline(reminder: Reminder, *, now: datetime) -> str:
    """What kind of reminder this is: "Coming up", "Due now", "Overdue", "Still overdue"."""
    return _HEADLINES[_headline_kind(reminder, now=now)]()


def _headline_kind(reminder: Reminder, *, now: datetime) -> str:
    if reminder.stage in (OVERDUE, TODAY):
        return "still" if reminder.stage == OVERDUE else "today"
    return _standing(reminder.promise, now)


_HEADLINES: dict[str, Callable[[], str]] = {
    "soon": lambda: _("Coming up"), "now": lambda: _("Due now"), "late": lambda: _("Overdue"),
    "still": lambda: _("Still overdue"), "today": lambda: _("Due today"),
}


def deadline(promise: PromiseRow, *, plan: Plan) -> str:
    """ "Mon 23 Nov 15:00 (16:00 Europe/Rome), 2h 05m late": both clocks and the distance."""
    local = timefmt.moment(promise.due_at, plan.zone, now=plan.now)
    theirs = timefmt.customer_clock(promise.due_at, plan.zone, promise.due_tz)
    clocks = f"{local} ({theirs})" if theirs else local
    return f"{clocks}, {timefmt.distance(promise.due_at, plan.now)}"


def fields(reminder: Reminder, *, plan: Plan) -> list[tuple[str, str]]:
    """The label/value lines of one reminder block; empty ones are left out."""
    promise = reminder.promise
    tried = reminder.tried
    rows = [
        ("to", sanitize.clean(promise.who)),
        ("contact", sanitize.clean(promise.contact)),
        ("via", sanitize.clean(promise.via)),
        ("ticket", sanitize.clean(promise.ref)),
        ("due", deadline(promise, plan=plan)),
        ("tags", sanitize.clean(" ".join(f"+{tag}" for tag in promise.tags))),
        ("attempts", _attempts(tried, plan=plan)),
        ("owner", sanitize.clean(promise.owner) if plan.labelled else ""),
    ]
    from promisekeeper.lang.vocabulary import label

    return [(label(name), value) for name, value in rows if value]


def _attempts(tried: Attempts | None, *, plan: Plan) -> str:
    if not tried or not tried.count or tried.last is None:
        return ""
    last = timefmt.moment(tried.last, plan.zone, now=plan.now)
    return ngettext("{count} (last {last})", "{count} (last {last})", tried.count).format(count=tried.count, last=last)


def show(view: View, reminders: Sequence[Reminder], *, plan: Plan) -> None:
    """The summary line, then one block per promise, flushed."""
    view.line(Styled(summary(reminders, plan=plan), "bold"))
    for reminder in reminders:
        view.line("")
        _show_block(view, reminder, plan=plan)
    view.out.flush()


def _show_block(view: View, reminder: Reminder, *, plan: Plan) -> None:
    kind = _headline_kind(reminder, now=plan.now)
    view.line(Styled.assemble(
        (f"{_HEADLINES[kind]()}: ", _HEADLINE_STYLE[kind]), (f"{_number(reminder)} ", "bold"), user(reminder.promise.what),
        _opening(reminder),
    ))
    rows = fields(reminder, plan=plan)
    width = max(len(label) for label, _ in rows) + 1
    for label, value in rows:
        view.line(Styled.assemble("  ", (f"{label + ':':<{width}}", "dim"), "  ", value))


def _number(reminder: Reminder) -> str:
    """ "#12", or "—" for a check-in a dry run sees opening (it has no number yet)."""
    return "—" if reminder.opens_after is not None else f"#{reminder.promise.id}"


def _opening(reminder: Reminder) -> str:
    if reminder.opens_after is None:
        return ""
    from promisekeeper.views.checkins import opening_note

    return f" ({opening_note(reminder.opens_after)})"


def reminder_json(reminder: Reminder, *, plan: Plan) -> dict[str, Any]:
    """The stable JSON form of a reminder: the stage, then `pk list --json`'s promise keys.
    A check-in a dry run sees opening has no id or uuid yet; it names the missed one."""
    promise = reminder.promise
    ahead = promise.due_at - plan.now
    document = {
        "stage": str(reminder.stage),
        **promise_json(promise, now=plan.now, zone=plan.zone, tried=reminder.tried),
        "due_customer": _customer_iso(promise),
        "late_by_s": boundary.late_by_s(plan.now, promise.due_at),
        "due_in_s": max(0, int(ahead.total_seconds())),
        "reminded_at": timefmt.iso(plan.now),
    }
    if reminder.opens_after is not None:
        document.update(id=None, uuid=None, opens_at_next_change=True, missed_check_in=reminder.opens_after)
    return document


def _customer_iso(promise: PromiseRow) -> str | None:
    from promisekeeper.when.zones import zone

    theirs = zone(promise.due_tz)
    return timefmt.iso(promise.due_at.astimezone(theirs)) if theirs else None


def write_reminders_json(reminders: Sequence[Reminder], *, plan: Plan) -> None:
    """The reminders as a JSON array (`[]` when there are none), flushed."""
    write_json([reminder_json(reminder, plan=plan) for reminder in reminders])
    sys.stdout.flush()


def notification(reminders: Sequence[Reminder], *, plan: Plan) -> Notification:
    """The desktop notification for a run: the summary as title, a line per promise."""
    lines = [_notification_line(reminder, plan=plan) for reminder in reminders[:NOTIFY_LINES]]
    if len(reminders) > NOTIFY_LINES:
        more = len(reminders) - NOTIFY_LINES
        lines.append(ngettext("…and {count} more", "…and {count} more", more).format(count=more))
    return Notification(summary(reminders, plan=plan), lines, urgent=exit_code(reminders) == EXIT_DUE)


def _notification_line(reminder: Reminder, *, plan: Plan) -> str:
    promise = reminder.promise
    who = f" → {sanitize.clean(promise.who)}" if promise.who else ""
    when = timefmt.distance(promise.due_at, plan.now)
    return f"{_number(reminder)} {sanitize.clean(promise.what)}{who} ({when})"


# -- pushing ----------------------------------------------------------------------------


def push_messages(items: list[Item], *, plan: Plan) -> list[Message]:
    """What each push says: one message per reminder (its headline, number and text as
    the title; customer, ticket and deadline below), or the team's digest as one."""
    reminders = [Reminder(item.promise, Stage(item.delivery.stage)) for item in items]
    if plan.team_digest:
        digest = notification(reminders, plan=plan)
        return [Message(digest.title, "\n".join(digest.lines), tuple(item.delivery.id for item in items))]
    return [
        Message(
            f"{headline(reminder, now=plan.now)}: #{reminder.promise.id} {sanitize.clean(reminder.promise.what)}",
            "\n".join(f"{label}: {value}" for label, value in fields(reminder, plan=plan)),
            (item.delivery.id,),
        )
        for reminder, item in zip(reminders, items)
    ]
