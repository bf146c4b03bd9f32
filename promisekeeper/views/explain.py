"""How a time phrase is read, shown before anything is saved: `pk when PHRASE`.

The reading is the time language's own (`when.parse`, `parse_deadline`, `parse_since`):
this module only lays it out, in lines for a person or in JSON for a script.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from promisekeeper.lang.i18n import NP_, _, pgettext
from promisekeeper.sanitize import clean
from promisekeeper.views.render import View
from promisekeeper.when import timefmt
from promisekeeper.when.calendar import zone_label


@dataclass(frozen=True)
class Reading:
    """A phrase, the moment it names, and what it would do as a deadline."""

    phrase: str
    at: datetime
    zone: str | None  # the zone the phrase names, if any
    notes: tuple[str, ...]
    since: bool  # read backward, as --since/--until read it
    deadline: datetime | None  # as `pk add --due` would store it; None when refused
    refusal: str | None  # why it would be refused as a deadline


# The labels of `pk when`'s table.
LABELS = {
    "phrase": NP_("when", "phrase"), "your clock": NP_("when", "your clock"),
    "their clock": NP_("when", "their clock"), "from now": NP_("when", "from now"),
    "note": NP_("when", "note"), "as a deadline": NP_("when", "as a deadline"),
}


def show(view: View, reading: Reading) -> None:
    """ "fri 3pm America/New_York" → the moment on both clocks, the distance, the notes."""
    rows = [("phrase", clean(reading.phrase))]
    rows.append(("your clock", f"{_moment(reading.at, view)} ({zone_label(view.zone)})"))
    theirs = _their_clock(reading.at, reading.zone)
    if theirs:
        rows.append(("their clock", theirs))
    rows.append(("from now", timefmt.ago(reading.at, view.now)))
    rows += [("note", note) for note in reading.notes]
    if not reading.since:
        rows.append(("as a deadline", _as_deadline(reading, view)))
    labelled = [(pgettext("when", LABELS[name]), value) for name, value in rows]
    width = max(len(label) for label, _value in labelled)
    for label, value in labelled:
        view.line(f"{label:<{width}}  {value}")
    view.line(_("Nothing was saved."))


def _moment(at: datetime, view: View) -> str:
    return timefmt.moment(at, view.zone, now=view.now)


def _their_clock(at: datetime, zone: str | None) -> str | None:
    from promisekeeper.when.zones import zone as named_zone

    theirs = named_zone(zone)
    if theirs is None:
        return None
    return f"{timefmt.moment(at, theirs)} ({zone})"


def _as_deadline(reading: Reading, view: View) -> str:
    if reading.deadline is None:
        return _("refused: {reason}").format(reason=reading.refusal)
    if reading.deadline != reading.at:
        return _("{moment} (rounded up to the minute)").format(moment=_moment(reading.deadline, view))
    return _moment(reading.deadline, view)


def reading_json(reading: Reading, *, zone: tzinfo) -> dict[str, Any]:
    """The stable JSON form (documented in the README)."""
    return {
        "phrase": reading.phrase,
        "at": timefmt.iso(reading.at),
        "local": timefmt.iso(reading.at.astimezone(zone)),
        "zone": reading.zone,
        "notes": list(reading.notes),
        "since": reading.since,
        "deadline": timefmt.iso(reading.deadline),
        "refusal": reading.refusal,
    }
