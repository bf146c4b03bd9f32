"""The write half's questions about series, asked inside a change's transaction.

The series code decides what a series does; this is where it finds the rows it changes, so
that the database library stays inside the data package.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import col, select

from promisekeeper.db.models import Promise, Series
from promisekeeper.db.writing import Transaction
from promisekeeper.kinds import State


def ids_by_uuid(tx: Transaction, uuids: Iterable[str]) -> dict[str, int]:
    """The ids of the series here among `uuids`, by uuid."""
    statement = select(Series.uuid, Series.id).where(col(Series.uuid).in_(list(uuids)))
    return {uuid: int(ident) for uuid, ident in tx.session.exec(statement) if ident is not None}


def latest_check_in(tx: Transaction, series: Series) -> Promise:
    """The series' most recent check-in, open or closed."""
    statement = select(Promise).where(Promise.series_id == series.id).order_by(col(Promise.id).desc()).limit(1)
    return tx.session.exec(statement).one()


def open_check_in(tx: Transaction, series: Series) -> Promise | None:
    """The series' open check-in, if it has one (never more: a unique index says so)."""
    statement = select(Promise).where(Promise.series_id == series.id, Promise.state == State.OPEN)
    return tx.session.exec(statement).first()
