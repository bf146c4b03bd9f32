"""How a series of check-ins reads: its rule in words, and the lines its changes print.

"↻ every weekday at 10:00, until Fri 27 Nov 17:00"; "↻ Next check-in: #13 Tue 24 Nov
10:00, in 24h"; "↻ The series ended with #12".
"""

from __future__ import annotations

from datetime import datetime, timedelta

from promisekeeper.db.rows import PromiseRow
from promisekeeper.lang.i18n import NP_, _, ngettext, pgettext
from promisekeeper.series import rule as rules
from promisekeeper.views.render import View
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
