"""How a series of check-ins reads: its rule in words, and the lines its changes print.

"↻ every weekday at 10:00, until Fri 27 Nov 17:00"; "↻ Next check-in: #13 Tue 24 Nov
10:00, in 24h"; "↻ The series ended with #12".
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from promisekeeper.db.read_series import Listed, Record, SeriesRow
from promisekeeper.db.rows import PromiseRow
from promisekeeper.lang.i18n import NP_, _, ngettext, pgettext
from promisekeeper.series import rule as rules
from promisekeeper.views.render import Cells, View
from promisekeeper.views.styled import Styled, sentence, user
from promisekeeper.when import timefmt

MARK = "↻"

# Translators: a weekday as "every …" names it in a rule ("every Monday at 9:00"); give the
# form your language's "every" takes (Hungarian "minden hétfőn").
WEEKDAY_NAMES = (
    NP_("every", "Monday"), NP_("every", "Tuesday"), NP_("every", "Wednesday"), NP_("every", "Thursday"),
    NP_("every", "Friday"), NP_("every", "Saturday"), NP_("every", "Sunday"),
)


def rule_words(rule: rules.Rule) -> str:
    """A rule as a sentence says it: "every weekday at 10:00", "every 2h"."""
    if rule.kind == rules.INTERVAL:
        return _interval_words(rule)
    assert rule.at is not None
    clock = f"{rule.at:%H:%M}"
    if rule.kind == rules.DAILY:
        return _("every day at {time}").format(time=clock)
    if rule.kind == rules.WEEKDAYS:
        return _("every weekday at {time}").format(time=clock)
    if rule.kind == rules.BUSINESS:
        return _("every business day at {time}").format(time=clock)
    days = ", ".join(pgettext("every", WEEKDAY_NAMES[day]) for day in rule.weekdays)
    return _("every {days} at {time}").format(days=days, time=clock)


def _interval_words(rule: rules.Rule) -> str:
    if rule.business_minutes:
        hours = rule.business_minutes // 60
        return ngettext("every business hour", "every {count} business hours", hours).format(count=hours)
    if rule.business_days:
        return ngettext("every business day", "every {count} business days", rule.business_days).format(
            count=rule.business_days)
    if rule.days and rule.days % 7 == 0:
        weeks = rule.days // 7
        return ngettext("every week", "every {count} weeks", weeks).format(count=weeks)
    if rule.minutes and rule.minutes % 60 == 0:
        hours = rule.minutes // 60
        return ngettext("every hour", "every {count} hours", hours).format(count=hours)
    if rule.days and not rule.minutes:
        return ngettext("every day", "every {count} days", rule.days).format(count=rule.days)
    span = timefmt.span(timedelta(minutes=rule.minutes, days=rule.days))
    return _("every {span}").format(span=span)


def describe(rule_text: str, until: datetime | None, after_done: bool, view: View) -> str:
    """The series in words: its rule, counted from the last keep or not, and its end."""
    words = rule_words(rules.parse(rule_text))
    if after_done:
        words = _("{rule}, counted from the last check-in kept").format(rule=words)
    if until is not None:
        words = _("{rule}, until {moment}").format(rule=words, moment=timefmt.moment(until, view.zone, now=view.now))
    return words


def started(view: View, rule_text: str, until: datetime | None, after_done: bool) -> Styled:
    """ "↻ Check-ins every weekday at 10:00, until Fri 27 Nov 17:00"."""
    return sentence(_("{mark} Check-ins {rule}"), "", mark=MARK, rule=describe(rule_text, until, after_done, view))


def next_opened(view: View, promise: PromiseRow) -> Styled:
    """ "↻ Next check-in: #13 Tue 24 Nov 10:00, in 24h"."""
    due = f"{view.due(promise)}, {timefmt.distance(promise.due_at, view.now)}"
    return sentence(_("{mark} Next check-in: {id} {due}"), "", mark=MARK,
                    id=Styled(f"#{promise.id}", "bold"), due=Styled(due, "bold"))


def ended(promise: PromiseRow) -> Styled:
    """ "↻ The series ended with #12: no more check-ins"."""
    return sentence(_("{mark} The series ended with #{id}: no more check-ins"), "", mark=MARK, id=str(promise.id))


def finished(promise: PromiseRow) -> Styled:
    """ "↻ #12 was the series' last check-in (its --until is reached)"."""
    return sentence(_("{mark} #{id} was the last check-in of its series: its end (--until) is reached"), "",
                    mark=MARK, id=str(promise.id))


def skipped(promise: PromiseRow) -> Styled:
    """ "Skipped #12 Update on the outage → Eva Spacek"."""
    title = Styled.assemble((f"#{promise.id}", "bold"), " ", user(promise.what))
    return sentence(_("Skipped check-in {title}"), "", title=title)


def rule_changed(rule_text: str) -> Styled:
    """ "↻ The check-ins still to come: every day at 9:00"."""
    return sentence(_("{mark} The check-ins still to come: {rule}"), "", mark=MARK,
                    rule=rule_words(rules.parse(rule_text)))


def marked(cells: Cells, promise_id: int, check_ins: Collection[int]) -> Cells:
    """A list row, with the series mark before what was promised when it is a check-in."""
    return cells._replace(what=f"{MARK} {cells.what}") if promise_id in check_ins else cells


def projected(cells: Cells, missed_id: int) -> Cells:
    """A list row for the check-in a missed one's series opens at the next change: no
    number yet, so the row names the missed one instead."""
    return cells._replace(ident="—", what=f"{MARK} {cells.what} ({opening_note(missed_id)})", attempts="")


def opening_note(missed_id: int) -> str:
    """What a check-in the next change opens is called: it has no number yet."""
    return _("opens at the next change; #{id} was missed").format(id=missed_id)


def missed_fields(view: View, next_due: datetime | None) -> list[tuple[str, Styled | str]]:
    """What `pk show` adds for a check-in the next change closes as missed."""
    found: list[tuple[str, Styled | str]] = [(pgettext("field", "missed"), Styled(_(
        "its time passed halfway to the next check-in: it counts as broken (recorded at the next change)"),
        "red"))]
    if next_due is not None:
        when = f"{timefmt.moment(next_due, view.zone, now=view.now)}, {timefmt.distance(next_due, view.now)}"
        found.append((pgettext("field", "next"), _("{mark} {due} (opens at the next change)").format(
            mark=MARK, due=when)))
    else:
        found.append((pgettext("field", "next"), _("none: the series reaches its end (--until)")))
    return found


def record_words(record: Record) -> str:
    """ "7 of 8 on time" (late and broken ones said when there are any)."""
    text = ngettext("{kept} of {count} on time", "{kept} of {count} on time", record.decided).format(
        kept=record.on_time, count=record.decided)
    if record.late:
        text += ", " + ngettext("{count} late", "{count} late", record.late).format(count=record.late)
    if record.broken:
        text += ", " + ngettext("{count} broken", "{count} broken", record.broken).format(count=record.broken)
    return text


def fields(view: View, series: SeriesRow, slot: int, record: Record) -> list[tuple[str, Styled | str]]:
    """What `pk show` adds for a check-in: its series (rule, end) and the series' record."""
    state = describe(series.rule, series.until_at, series.after_done, view)
    if series.ended_at is not None:
        state = _("{rule} (ended {ago})").format(rule=state, ago=timefmt.ago(series.ended_at, view.now))
    return [
        (pgettext("field", "series"), Styled(f"{MARK} {state}")),
        (pgettext("field", "check-in"), _("number {number} of the series").format(number=slot + 1)),
        (pgettext("field", "record"), record_words(record)),
    ]


def series_json(series: SeriesRow, slot: int | None, record: Record | None = None) -> dict[str, Any]:
    """A series as JSON (`pk show --json`, `pk list --series --json`, the export)."""
    document: dict[str, Any] = {
        "uuid": series.uuid, "rule": series.rule, "zone": series.zone, "start_at": timefmt.iso(series.start_at),
        "first_slot": series.first_slot, "until_at": timefmt.iso(series.until_at), "after_done": series.after_done,
        "created_at": timefmt.iso(series.created_at), "ended_at": timefmt.iso(series.ended_at),
        "tell": series.tell,
    }
    if slot is not None:
        document["slot"] = slot
    if record is not None:
        document["record"] = {"on_time": record.on_time, "late": record.late, "broken": record.broken}
    return document


def show_listing(view: View, listed: list[Listed], caught: Collection[int] = ()) -> None:
    """ `pk list --series`: each series, its open check-in and its rule; `caught`: the open
    check-ins the next change closes as missed (their successors, numberless, are shown)."""
    if not listed:
        view.line(_("No series match."))
        return
    view.line(ngettext("{count} series", "{count} series", len(listed)).format(count=len(listed)))
    for entry in listed:
        rule = describe(entry.series.rule, entry.series.until_at, entry.series.after_done, view)
        if entry.open_id is not None and entry.open_due is not None and entry.open_id in caught:
            where = _("{due} (opens at the next change)").format(
                due=timefmt.moment(entry.open_due, view.zone, now=view.now))
        elif entry.open_id is not None and entry.open_due is not None:
            where = f"#{entry.open_id}  {timefmt.moment(entry.open_due, view.zone, now=view.now)}"
        else:
            where = _("ended")
        who = f"  — {entry.who}" if entry.who else ""
        view.line(Styled.assemble(f"{MARK} ", (where, "bold"), f"  {rule}  ", user(entry.what), user(who, "dim")))
