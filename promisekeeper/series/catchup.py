"""Catching up a series' missed check-ins inside a change, without risking the change.

Every change command (and `pk remind`) runs this first, in a savepoint of its own
transaction: what it does is committed with the change, and if it fails, only the savepoint
is rolled back and the change goes on as if no series needed catching up.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from promisekeeper.db.read_schedule import LIVE_CHECK_INS
from promisekeeper.errors import PKError

if TYPE_CHECKING:
    from promisekeeper.db.reader import Reader
    from promisekeeper.db.writing import Transaction
    from promisekeeper.series.projected import Pending
    from promisekeeper.when.calendar import BusinessCalendar

# Any overdue check-in of a live series: the one cheap question asked before loading more.
_ANY_OVERDUE = f"SELECT 1 {LIVE_CHECK_INS} AND p.due_at < :now LIMIT 1"


def overdue(reader: Reader, *, now: datetime) -> bool:
    """Whether some live series' open check-in is past its deadline (it may need catching up)."""
    return reader.one(_ANY_OVERDUE, {"now": int(now.timestamp())}) is not None


def missed(reader: Reader, *, now: datetime, calendar: Callable[[], BusinessCalendar]) -> dict[int, Pending]:
    """The open check-ins the next change closes as missed, by id, read without writing
    (usually none: one indexed question; the series' code, and `calendar`, only when not)."""
    if not overdue(reader, now=now):
        return {}
    from promisekeeper.series import projected

    return projected.missed(reader, now=now, calendar=calendar)


def catch_up(tx: Transaction, *, now: datetime, calendar: Callable[[], BusinessCalendar]) -> int:
    """Close the check-ins missed by now and open the next ones; how many were closed
    (0 also when catching up failed, which leaves the transaction as it was)."""
    if not overdue(tx.reader, now=now):
        return 0
    from promisekeeper.series import keeping

    closed = tx.attempt(lambda: keeping.catch_up(tx, now=now, calendar=calendar),
                        (PKError, ValueError, ArithmeticError))
    return closed or 0
