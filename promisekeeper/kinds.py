"""The kinds of things the ledger knows: promise states, journal event kinds, reminder stages.

Standard library only. Each is a `StrEnum`, so a value compares equal to the text stored in
the database and written in exports ("open", "rescheduled", "due").
"""

from __future__ import annotations

from enum import StrEnum


class State(StrEnum):
    """Where a promise stands."""

    OPEN = "open"
    KEPT = "kept"
    RELEASED = "released"


class Kind(StrEnum):
    """What a journal event records; `undone` compensates an earlier one."""

    CREATED = "created"
    RESCHEDULED = "rescheduled"
    KEPT = "kept"
    RELEASED = "released"
    REOPENED = "reopened"
    EDITED = "edited"
    NOTED = "noted"
    ATTEMPTED = "attempted"
    HANDED_OFF = "handed_off"
    REMINDED = "reminded"
    UNDONE = "undone"
    # A series of check-ins: the next one opened by the series, one missed (its time passed
    # halfway to the next), and the series ended by a person (`done --final`, `cancel`).
    OPENED = "opened"
    MISSED = "missed"
    ENDED = "ended"
    NOTIFIED = "notified"  # a notice to the customer sent, failed, dropped or withdrawn


class Stage(StrEnum):
    """How far along a reminder is, for one deadline; `today` is a daily digest's word for a
    promise due later that day (the team digest lists those beside the overdue ones)."""

    UPCOMING = "upcoming"
    DUE = "due"
    OVERDUE = "overdue"
    TODAY = "today"


class NoticeKind(StrEnum):
    """What a notice to the customer says: one per change `--tell` reports."""

    CONFIRMED = "confirmed"  # a new promise
    RENEGOTIATED = "renegotiated"  # a new time, asked before the deadline
    APOLOGY = "apology"  # a new time after the deadline: the promise was broken
    DONE = "done"
    RELEASED = "released"
    HANDOFF = "handoff"
    TRIED = "tried"
    CORRECTION = "correction"  # an undo of a change the customer was told about
    SERIES = "series"  # a new series of check-ins: what, how often, until when, the first
    UPDATE = "update"  # a check-in kept, and when the next one is
    LAST_UPDATE = "last_update"  # a check-in kept that ends its series (done --final, or --until reached)
    STOPPED = "stopped"  # a check-in cancelled: its series ends, the updates stop


class NoticeState(StrEnum):
    """Where a notice stands in the outbox."""

    WAITING = "waiting"  # to be sent (again): new, or a server was away
    SENDING = "sending"  # claimed by one pk; back to waiting if it never reports
    SENT = "sent"
    FAILED = "failed"  # refused for good (e.g. 550): `pk outbox send` tries again
    DROPPED = "dropped"  # given up by `pk outbox drop`
    WITHDRAWN = "withdrawn"  # its change was undone before it left


# Changes `pk undo` may take back: records of mail sent and undos themselves are not.
# What a series did by itself is not either (a check-in it opened goes with the change that opened it).
UNDOABLE = frozenset(Kind) - {Kind.REMINDED, Kind.UNDONE, Kind.NOTIFIED, Kind.OPENED, Kind.MISSED}

# Fields `pk edit` may change: everything but the deadline (renegotiated) and the owner
# (handed off: a change of hands is recorded with its reason).
EDITABLE = ("what", "who", "contact", "via", "ref", "tags", "contact2", "language")
# Fields an `edited` event may name: older versions edited the owner too.
# A check-in's edit may change its series' rule ("every") for the check-ins still to come.
EDITED_FIELDS = (*EDITABLE, "owner", "every")
