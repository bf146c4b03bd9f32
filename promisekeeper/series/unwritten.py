"""The broken check-ins the next change will write, for `pk stats` to count before it does.

A missed check-in already counts as broken while it is open past its deadline; the slots
that passed entirely while nothing ran, and a successor already past its own deadline, are
rows the next change writes (`keeping.catch_up`). Counting them now keeps the figures the
same before and after that change. Each takes its details from the missed check-in, as the
change copies them (`keeping._check_in`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

from promisekeeper.db import read_promises
from promisekeeper.series.catchup import missed

if TYPE_CHECKING:
    from promisekeeper.db.reader import Reader
    from promisekeeper.when.calendar import BusinessCalendar


class Unwritten(NamedTuple):
    """A broken check-in still to be written: when it counts (its deadline) and the details
    the groupings read."""

    decided_at: datetime
    who: str | None
    via: str | None
    owner: str | None
    tags: tuple[str, ...]


def broken(reader: Reader, *, now: datetime, calendar: Callable[[], BusinessCalendar]) -> list[Unwritten]:
    """Every broken check-in the next change writes, oldest first (usually none: one indexed
    question when no live series' check-in is overdue)."""
    found: list[Unwritten] = []
    for ident, pending in missed(reader, now=now, calendar=calendar).items():
        deadlines = pending.broken_to_come(now)
        model = read_promises.by_id(reader, ident) if deadlines else None
        if model is None:
            continue
        found.extend(Unwritten(at, model.who, model.via, model.owner, model.tags) for at in deadlines)
    return sorted(found, key=lambda each: each.decided_at)
