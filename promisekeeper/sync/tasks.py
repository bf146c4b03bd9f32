"""What a calendar must receive: one VTODO per promise, only where it changed.

Every open promise in scope (your own, or the team's) as NEEDS-ACTION with its alarms; a
promise the calendar received before and that is now kept (COMPLETED), released, or in
someone else's hands (both CANCELLED). What each calendar last received is kept as a digest
per promise (`sync_mark`), so a second run sends nothing that did not change.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from promisekeeper.db import deliveries, read_promises
from promisekeeper.db.reader import Reader
from promisekeeper.db.rows import PromiseRow
from promisekeeper.kinds import State
from promisekeeper.when import timefmt

_STAMP = re.compile(rb"^DTSTAMP[:;][^\r\n]*\r\n", re.MULTILINE)


@dataclass(frozen=True)
class Task:
    """One promise's VTODO as a calendar object (VCALENDAR text), and its digest."""

    uuid: str
    text: bytes
    digest: str


@dataclass(frozen=True)
class Scope:
    """What one sync covers: the calendar (its key), whose promises (None: everyone's),
    the zone deadlines are shown in when the promise names none, and the alarms' leads."""

    target: str
    owners: tuple[str | None, ...] | None
    zone: str | None
    alarms: tuple[timedelta, ...]


@dataclass
class Outcome:
    """What a sync did: the tasks sent, by status, and how many were already current."""

    sent: dict[str, int] = field(default_factory=dict)
    unchanged: int = 0

    @property
    def total(self) -> int:
        return sum(self.sent.values())


def sync(
    reading: Callable[[], AbstractContextManager[Reader]],
    change: Callable[[], AbstractContextManager[Any]],
    *, scope: Scope, now: datetime, put: Callable[[Task], None],
) -> Outcome:
    """Send every task that changed through `put`, then remember what was received (also
    when a later `put` fails: what arrived is not sent again)."""
    outcome = Outcome()
    received: dict[str, str] = {}
    try:
        with reading() as reader:
            for task, status in due_tasks(reader, scope=scope, now=now, outcome=outcome):
                put(task)
                received[task.uuid] = task.digest
                outcome.sent[status] = outcome.sent.get(status, 0) + 1
    finally:
        if received:
            with change() as tx:
                deliveries.mark(tx, target=scope.target, received=received, now=now)
    return outcome


def due_tasks(reader: Reader, *, scope: Scope, now: datetime, outcome: Outcome) -> Iterator[tuple[Task, str]]:
    """The tasks the calendar lacks or holds an older form of, with their status."""
    marks = deliveries.marks(reader, scope.target)
    filters = read_promises.Filters(owners=scope.owners)
    candidates = read_promises.promises(reader, filters=filters)
    in_scope = {promise.uuid for promise in candidates}
    if set(marks) - in_scope:  # some it received are closed now, or someone else's
        candidates += [
            promise for promise in read_promises.iterate(reader, states=tuple(State), order="p.id")
            if promise.uuid in marks and promise.uuid not in in_scope
        ]
    for promise in candidates:
        state = State.OPEN if promise.uuid in in_scope else _closed_state(promise)
        task = build(promise, state=state, scope=scope, now=now)
        if marks.get(promise.uuid) == task.digest:
            outcome.unchanged += 1
            continue
        yield task, str(state)


def _closed_state(promise: PromiseRow) -> str:
    """How a promise out of scope reads in a calendar that had it: kept stays kept; released,
    or open in someone else's hands, is cancelled here."""
    return State.KEPT if promise.state == State.KEPT else State.RELEASED


_HEAD = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//promisekeeper//promisekeeper//EN\r\n"
_FOOT = b"END:VCALENDAR\r\n"
_zones: dict[str, bytes] = {}


def build(promise: PromiseRow, *, state: str, scope: Scope, now: datetime) -> Task:
    """The promise's VTODO (the export's rule) in a calendar object of its own, with the
    VTIMEZONE its DUE names. The digest covers the VTODO without its DTSTAMP."""
    from promisekeeper.exchange import todo

    zone = promise.due_tz or scope.zone
    vtodo = todo(_record(promise, state), now=now, zone=zone, alarms=scope.alarms).to_ical()
    timezone = _timezone(zone) if zone and b"TZID=" in vtodo else b""
    digest = hashlib.sha256(_STAMP.sub(b"", vtodo)).hexdigest()
    return Task(promise.uuid, _HEAD + timezone + vtodo + _FOOT, digest)


def _timezone(name: str) -> bytes:
    """The VTIMEZONE of a zone, made once a run (it is the same for every task in it)."""
    if name not in _zones:
        from icalendar import Timezone

        _zones[name] = Timezone.from_tzid(name).to_ical()
    return _zones[name]


def _record(promise: PromiseRow, state: str) -> dict[str, Any]:
    return {
        "uuid": promise.uuid, "what": promise.what, "who": promise.who, "contact": promise.contact,
        "via": promise.via, "ref": promise.ref, "tags": list(promise.tags), "state": state,
        "due_at": timefmt.iso(promise.due_at), "created_at": timefmt.iso(promise.created_at),
        "closed_at": timefmt.iso(promise.closed_at),
    }
