"""pk's own words for its kinds of things, in the active language: states, outcomes, kinds
of event, what an undo took back, reminder stages, field names and labels.

Each table holds the English words (marked for the catalogues with a context, as one
English word may need two translations: a promise "kept" and an event "kept"); the
functions give them in the language being spoken. Standard library only, like i18n.
"""

from __future__ import annotations

from promisekeeper.lang.i18n import NP_, pgettext

# A promise's state, and an open one's standing; said of a promise.
STATES = {
    "open": NP_("state", "open"), "kept": NP_("state", "kept"), "released": NP_("state", "released"),
    "overdue": NP_("state", "overdue"), "today": NP_("state", "today"), "upcoming": NP_("state", "upcoming"),
}
# How a promise's deadline turned out (`pk show`; `pk stats` counts the same outcomes).
OUTCOMES = {
    "kept": NP_("outcome", "kept"), "late": NP_("outcome", "late"), "broken": NP_("outcome", "broken"),
    "released": NP_("outcome", "released"),
}
# Each kind of event, as the journal's column names it.
EVENTS = {
    "created": NP_("event", "created"), "rescheduled": NP_("event", "rescheduled"),
    "kept": NP_("event", "kept"), "released": NP_("event", "released"), "reopened": NP_("event", "reopened"),
    "edited": NP_("event", "edited"), "noted": NP_("event", "noted"), "attempted": NP_("event", "attempted"),
    "handed_off": NP_("event", "handed over"), "reminded": NP_("event", "reminded"),
    "undone": NP_("event", "undone"), "notified": NP_("event", "notified"),
    "opened": NP_("event", "opened"), "missed": NP_("event", "missed"), "ended": NP_("event", "ended"),
}
# The change each undoable kind of event records, as `pk undo` reports undoing it.
# Translators: each is what "Undid the …" and "undid the … of {when}" name; give it the
# article (or preposition) those sentences need in your language.
UNDID = {
    "created": NP_("undone change", "add"), "rescheduled": NP_("undone change", "move"),
    "kept": NP_("undone change", "done"), "released": NP_("undone change", "cancel"),
    "reopened": NP_("undone change", "reopen"), "edited": NP_("undone change", "edit"),
    "noted": NP_("undone change", "note"), "attempted": NP_("undone change", "attempt"),
    "handed_off": NP_("undone change", "hand-off"),
    "opened": NP_("undone change", "next check-in"), "ended": NP_("undone change", "end of the series"),
}
# A promise's fields as an edit names them ("edited who: Eva → Éva").
FIELDS = {
    "what": NP_("edited field", "what"), "who": NP_("edited field", "who"),
    "contact": NP_("edited field", "contact"), "via": NP_("edited field", "via"),
    "ref": NP_("edited field", "ref"), "tags": NP_("edited field", "tags"),
    "owner": NP_("edited field", "owner"), "every": NP_("edited field", "series rule"),
    "contact2": NP_("edited field", "second contact"),
    "language": NP_("edited field", "language"),
}
# What a notice to the customer says, as the outbox and the journal name it.
NOTICES = {
    "confirmed": NP_("notice", "confirmation"), "renegotiated": NP_("notice", "new time"),
    "apology": NP_("notice", "apology"), "done": NP_("notice", "done"), "released": NP_("notice", "release"),
    "handoff": NP_("notice", "hand-off"), "tried": NP_("notice", "missed call"),
    "correction": NP_("notice", "correction"), "series": NP_("notice", "series"),
    "update": NP_("notice", "update"), "last_update": NP_("notice", "last update"),
    "stopped": NP_("notice", "updates stop"),
}
# Where a notice stands, as `pk outbox` and `pk show` say it.
NOTICE_STATES = {
    "waiting": NP_("notice state", "waiting"), "sending": NP_("notice state", "sending"),
    "sent": NP_("notice state", "sent"), "failed": NP_("notice state", "failed"),
    "dropped": NP_("notice state", "dropped"), "withdrawn": NP_("notice state", "withdrawn"),
}
# A reminder's stage, as "reminder sent (…)" names it.
STAGES = {
    "upcoming": NP_("stage", "upcoming"), "due": NP_("stage", "due"), "overdue": NP_("stage", "overdue"),
    "today": NP_("stage", "today"),
}
# The labels of `pk show`, `pk add --dry-run` and a reminder block.
LABELS = {
    "state": NP_("field", "state"), "outcome": NP_("field", "outcome"), "due": NP_("field", "due"),
    "to": NP_("field", "to"), "contact": NP_("field", "contact"), "via": NP_("field", "via"),
    "language": NP_("field", "language"), "notices": NP_("field", "notices"),
    "ticket": NP_("field", "ticket"), "tags": NP_("field", "tags"), "attempts": NP_("field", "attempts"),
    "promised": NP_("field", "promised"), "first due": NP_("field", "first due"),
    "closed": NP_("field", "closed"), "owner": NP_("field", "owner"), "uuid": NP_("field", "uuid"),
}


def _word(context: str, table: dict[str, str], key: object) -> str:
    """The key's word in the active language; a key the table lacks (from a newer
    version's data) as it is."""
    name = str(key)
    return pgettext(context, table[name]) if name in table else name


def state(key: object) -> str:
    """ "open", "kept", "overdue"…"""
    return _word("state", STATES, key)


def outcome(key: object) -> str:
    """ "kept", "late", "broken", "released"."""
    return _word("outcome", OUTCOMES, key)


def event(kind: object) -> str:
    """ "created", "rescheduled"…: an event's kind."""
    return _word("event", EVENTS, kind)


def undid(kind: object) -> str:
    """What undoing an event of this kind took back: "move"."""
    return _word("undone change", UNDID, kind)


def field(name: object) -> str:
    """A field as an edit names it: "who", "ref"."""
    return _word("edited field", FIELDS, name)


def stage(name: object) -> str:
    """A reminder's stage: "upcoming", "due", "overdue", "today" (in a daily digest)."""
    return _word("stage", STAGES, name)


def notice(kind: object) -> str:
    """What a notice says: "confirmation", "new time"…"""
    return _word("notice", NOTICES, kind)


def notice_state(name: object) -> str:
    """Where a notice stands: "waiting", "sent"…"""
    return _word("notice state", NOTICE_STATES, name)


def label(name: str) -> str:
    """A label of `pk show`: "ticket", "first due"."""
    return _word("field", LABELS, name)
