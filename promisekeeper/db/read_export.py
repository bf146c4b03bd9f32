"""What an export reads: promises and their journals with their moments already written as
ISO 8601 text by the database, streamed in batches.

A promise's columns are the read half's own (`rows.PROMISE_COLUMNS`): a column added there
reaches the export without a change here.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from promisekeeper import years
from promisekeeper.db.read_journal import ATTEMPTS_SQL, UNDONE_IDS_SQL
from promisekeeper.db.reader import Reader
from promisekeeper.db.rows import PROMISE_FIELDS
from promisekeeper.db.target import SQLITE

MOMENTS = frozenset(("created_at", "due_at", "original_due_at", "closed_at"))


def iso_sql(engine: str, column: str) -> str:
    """SQL writing an epoch-seconds column as "2026-11-24T09:00:00+00:00" (NULL stays NULL),
    a value beyond the years pk keeps read as the nearest within them, as `from_epoch` does."""
    if engine == SQLITE:
        clamped = f"max(min({column}, {years.LATEST_S}), {years.EARLIEST_S})"
        return f"strftime('%Y-%m-%dT%H:%M:%S+00:00', {clamped}, 'unixepoch')"
    # greatest() and least() pass over NULLs: a NULL is kept by the CASE.
    clamped = f"greatest(least({column}, {years.LATEST_S}), {years.EARLIEST_S})"
    written = f"to_char(to_timestamp({clamped}) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"+00:00\"')"
    return f"CASE WHEN {column} IS NOT NULL THEN {written} END"


def promises(reader: Reader, *, states: Sequence[str]) -> Iterator[tuple[Any, ...]]:
    """Each promise as PROMISE_FIELDS, its moments as text, then its deadline in epoch
    seconds (for the local clock and "overdue"), in id order."""
    columns = [iso_sql(reader.engine, f"p.{name}") if name in MOMENTS else f"p.{name}" for name in PROMISE_FIELDS]
    marks = ", ".join(f":state{n}" for n in range(len(states)))
    params = {f"state{n}": str(state) for n, state in enumerate(states)}
    yield from reader.iterate(
        f"SELECT {', '.join(columns)}, p.due_at FROM promise AS p WHERE p.state IN ({marks}) ORDER BY p.id", params)


def events(reader: Reader) -> Iterator[tuple[int, str, str]]:
    """Every event as (promise id, kind, its JSON text as `pk log --json` shows it), by
    promise then in order: the text written by the database, the payload copied as stored."""
    text = (
        "'{\"id\": ' || CAST(e.id AS TEXT) || ', \"promise\": ' || CAST(e.promise_id AS TEXT)"
        f" || ', \"at\": \"' || {iso_sql(reader.engine, 'e.at')} || '\", \"kind\": \"' || e.kind"
        " || '\", \"data\": ' || e.data || ', \"undoes\": ' || coalesce(CAST(e.undoes AS TEXT), 'null')"
        f" || ', \"undone\": ' || CASE WHEN e.id IN ({UNDONE_IDS_SQL}) THEN 'true' ELSE 'false' END || '}}'"
    )
    yield from reader.iterate(f"SELECT e.promise_id, e.kind, {text} FROM event AS e ORDER BY e.promise_id, e.id")


def attempts(reader: Reader) -> Iterator[tuple[int, int]]:
    """(promise id, live callback attempts) of every promise with any, by promise: streamed
    beside the promises, so an export holds none of them."""
    for promise_id, count, _last in reader.iterate(f"{ATTEMPTS_SQL} GROUP BY e.promise_id ORDER BY e.promise_id"):
        yield promise_id, count
