"""Each reminder's delivery to each push URL: queued with the reminder, claimed by one run,
sent, and settled as sent or failed; a failed one is tried again by the next run.

Never the same stage twice to one URL: a delivery is claimed under the write lock before it
is sent and settled after, so overlapping runs never both send it. The one window: a send
that timed out may have reached the server after all; it counts as failed and is sent again
(as is one claimed by a run that died mid-send, after `CLAIM_TIMEOUT`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import Any

from promisekeeper.db import deliveries as records
from promisekeeper.db import read_promises
from promisekeeper.db.deliveries import Waiting
from promisekeeper.db.reader import Reader
from promisekeeper.db.rows import PromiseRow
from promisekeeper.kinds import State
from promisekeeper.push import transport
from promisekeeper.push.quiet import is_quiet
from promisekeeper.push.targets import Target

CLAIM_TIMEOUT = timedelta(minutes=10)  # a run holding a delivery longer than this has died
MAX_AGE = timedelta(days=1)  # a reminder not delivered within a day is not news any more


@dataclass(frozen=True)
class Message:
    """What one push says, and which deliveries it makes."""

    title: str
    body: str
    deliveries: tuple[int, ...]


@dataclass(frozen=True)
class Item:
    """A delivery to make, with the promise it is about as it stands now."""

    delivery: Waiting
    promise: PromiseRow


Compose = Callable[[list[Item]], list[Message]]


@dataclass
class Report:
    """What a run's pushes did: how many were sent and held, which URLs failed (and why),
    and which URLs changed: newly failing, or delivered again."""

    sent: int = 0
    held: int = 0
    failed: dict[Target, str] = field(default_factory=dict)
    newly_failing: list[Target] = field(default_factory=list)
    recovered: list[Target] = field(default_factory=list)


def queue(tx: Any, *, event_id: int, targets: Sequence[Target], now: datetime) -> None:
    """Queue a just-recorded reminder for every URL (in its transaction)."""
    records.queue(tx, event_id=event_id, keys=[target.key for target in targets], now=now)


def deliver(
    reading: Callable[[], AbstractContextManager[Reader]],
    change: Callable[[], AbstractContextManager[Any]],
    *, targets: Sequence[Target], team: bool, now: datetime, zone: tzinfo, quiet: str, compose: Compose,
) -> Report:
    """Send what is waiting for these URLs (new reminders and earlier failures), unless it
    is quiet now; each URL on its own, so one that fails never holds up another."""
    by_key = {target.key: target for target in targets}
    stale_before = now - CLAIM_TIMEOUT
    with reading() as reader:
        found = records.waiting(reader, list(by_key), team=team, stale_before=stale_before)
        if not found:
            return Report()
        failing_before = records.failing(reader, list(by_key))
    if is_quiet(quiet, now=now, zone=zone):
        return Report(held=len(found))
    transport.apprise_module()  # refused before anything is claimed: it stays waiting
    with change() as tx:
        claimed = records.claim(tx, found, stale_before=stale_before, now=now)
        items, dropped = _worth_sending(tx.reader, claimed, now=now)
        records.settle(tx, [(ident, records.DROPPED, None) for ident in dropped], now=now, attempt=False)
    outcomes, report = _send(items, by_key, compose)
    with change() as tx:
        records.settle(tx, outcomes, now=now)
    return _changes(report, failing_before)


def _worth_sending(reader: Reader, claimed: list[Waiting], *, now: datetime) -> tuple[list[Item], list[int]]:
    """The deliveries still worth making, with their promises; the rest are dropped: the
    promise was closed or moved since, the reminder is old, or a later one supersedes it."""
    latest: dict[tuple[str, int], Item] = {}
    dropped: list[int] = []
    for row in claimed:  # oldest first
        promise = read_promises.by_id(reader, row.promise_id)
        if promise is None or not _current(row, promise, now=now):
            dropped.append(row.id)
            continue
        earlier = latest.get((row.url_key, row.promise_id))
        if earlier is not None:
            dropped.append(earlier.delivery.id)  # the later reminder says it all
        latest[(row.url_key, row.promise_id)] = Item(row, promise)
    return list(latest.values()), dropped


def _current(row: Waiting, promise: PromiseRow, *, now: datetime) -> bool:
    return (
        promise.state == State.OPEN and row.reminded_at > now - MAX_AGE
        and (row.due_at is None or row.due_at == promise.due_at)
    )


def _send(items: list[Item], by_key: dict[str, Target], compose: Compose) -> tuple[list[Any], Report]:
    outcomes: list[tuple[int, str, str | None]] = []
    report = Report()
    delivered_to: set[Target] = set()
    for key, target in by_key.items():
        mine = [item for item in items if item.delivery.url_key == key]
        for message in compose(mine) if mine else []:
            answer = transport.send(target.url, title=message.title, body=message.body)
            state = records.SENT if answer.delivered else records.FAILED
            outcomes += [(ident, state, answer.reason or None) for ident in message.deliveries]
            if answer.delivered:
                report.sent += 1
                delivered_to.add(target)
            else:
                report.failed.setdefault(target, answer.reason)
    report.recovered = [target for target in delivered_to if target not in report.failed]
    return outcomes, report


def _changes(report: Report, failing_before: set[str]) -> Report:
    """Keep only the URLs whose state changed: newly failing, or delivered again."""
    report.newly_failing = [target for target in report.failed if target.key not in failing_before]
    report.recovered = [target for target in report.recovered if target.key in failing_before]
    return report
