"""What an export reads: promises and their journals with their moments already written as
ISO 8601 text by the database, streamed in batches.

For CSV and iCalendar a promise's columns are the read half's own (`rows.PROMISE_COLUMNS`).
For JSON the database writes each promise's object itself (`promise_json`), the local clock
included, but for the two values the caller splices in.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import tzinfo
from typing import Any

from promisekeeper import windows, years
from promisekeeper.db.read_journal import ATTEMPTS_SQL, UNDONE_IDS_SQL
from promisekeeper.db.reader import Reader
from promisekeeper.db.rows import JSON_KEYS, JSON_WHEN_GIVEN, PROMISE_FIELDS
from promisekeeper.db.target import SQLITE
from promisekeeper.kinds import State
from promisekeeper.when import deadline
from promisekeeper.when.clock import offset_spans

MOMENTS = frozenset(("created_at", "due_at", "original_due_at", "closed_at"))


def iso_sql(engine: str, column: str) -> str:
    """SQL writing an epoch-seconds column as "2026-11-24T09:00:00+00:00" (NULL stays NULL),
    a value beyond the years pk keeps read as the nearest within them, as `from_epoch` does."""
    written = f"{_seconds_text(engine, _clamped_sql(engine, column))} || '+00:00'"
    if engine == SQLITE:
        return written
    return f"CASE WHEN {column} IS NOT NULL THEN {written} END"  # greatest() and least() pass over NULLs


def _clamped_sql(engine: str, column: str) -> str:
    if engine == SQLITE:
        return f"max(min({column}, {years.LATEST_S}), {years.EARLIEST_S})"
    return f"greatest(least({column}, {years.LATEST_S}), {years.EARLIEST_S})"


def _seconds_text(engine: str, seconds: str) -> str:
    """SQL writing epoch seconds as "2026-11-24T09:00:00", with no offset."""
    if engine == SQLITE:
        return f"strftime('%Y-%m-%dT%H:%M:%S', {seconds}, 'unixepoch')"
    return f"to_char(to_timestamp({seconds}) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS')"


def local_iso_sql(engine: str, column: str, spans: Sequence[tuple[int, int, str]]) -> str:
    """SQL writing a non-NULL epoch-seconds column on the local clock, "2026-11-24T10:00:00+01:00",
    as `when.clock.local_iso_from_epoch` does, from the zone's offsets over the column's
    values (`when.clock.offset_spans`): the nearest moment within the years, shifted."""
    moment = _clamped_sql(engine, column)
    branches = []
    for index, (_start, shift, suffix) in enumerate(spans):
        if not set(suffix) <= set("+-:0123456789"):
            raise ValueError(f"an offset that is not one: {suffix!r}")
        text = f"{_seconds_text(engine, f'{moment} + {int(shift)}')} || '{suffix}'"
        if index + 1 == len(spans):
            branches.append(f"ELSE {text}")
        else:
            branches.append(f"WHEN {moment} < {int(spans[index + 1][0])} THEN {text}")
    return f"CASE {' '.join(branches)} END" if len(branches) > 1 else branches[0].removeprefix("ELSE ")


def due_range(reader: Reader, *, states: Sequence[str]) -> tuple[int, int] | None:
    """The earliest and latest deadline of these promises, within the years kept."""
    marks, params = _states(states)
    row = reader.one(f"SELECT min(p.due_at), max(p.due_at) FROM promise AS p WHERE p.state IN ({marks})", params)
    if row is None or row[0] is None:
        return None
    return years.clamped(int(row[0])), years.clamped(int(row[1]))


def _states(states: Sequence[str]) -> tuple[str, dict[str, Any]]:
    return (", ".join(f":state{n}" for n in range(len(states))),
            {f"state{n}": str(state) for n, state in enumerate(states)})


def promises(reader: Reader, *, states: Sequence[str]) -> Iterator[tuple[Any, ...]]:
    """Each promise as PROMISE_FIELDS, its moments as text, then its deadline in epoch
    seconds (for the local clock and "overdue"), in id order."""
    columns = [iso_sql(reader.engine, f"p.{name}") if name in MOMENTS else f"p.{name}" for name in PROMISE_FIELDS]
    marks = ", ".join(f":state{n}" for n in range(len(states)))
    params = {f"state{n}": str(state) for n, state in enumerate(states)}
    yield from reader.iterate(
        f"SELECT {', '.join(columns)}, p.due_at FROM promise AS p WHERE p.state IN ({marks}) ORDER BY p.id", params)


def columns(reader: Reader, names: Sequence[str], *, states: Sequence[str]) -> Iterator[tuple[Any, ...]]:
    """These columns of each promise (its moments as text), in id order: a CSV row each."""
    unknown = set(names) - set(PROMISE_FIELDS)
    if unknown:
        raise ValueError(f"not a promise's column: {sorted(unknown)}")
    chosen = ", ".join(iso_sql(reader.engine, f"p.{name}") if name in MOMENTS else f"p.{name}" for name in names)
    marks, params = _states(states)
    yield from reader.iterate(f"SELECT {chosen} FROM promise AS p WHERE p.state IN ({marks}) ORDER BY p.id", params)


# The keys of a promise's JSON object, in the order `pk list --json` writes them
# (`views.render.json_record`; tests/test_export_text.py holds the two to the same bytes).
# The caller splices in the values of SPLICED — the stored tags split into words, the live
# callback attempts — so the object comes back in three pieces.
SPLICED = ("tags", "attempts")


def json_text_sql(engine: str, value: str) -> str:
    """SQL writing a value as a JSON string (NULL as null), escaped as Python's encoder does:
    \\b \\f \\n \\r \\t and \\u00XX for other controls, everything else as it is."""
    if engine == SQLITE:
        return f"json_quote({value})"
    return f"coalesce(to_json({value})::text, 'null')"


def _json_value_sql(engine: str, key: str, local: str) -> str:
    if key == "id":
        return "CAST(p.id AS TEXT)"
    if key == "overdue":
        return f"CASE WHEN p.state = '{State.OPEN}' AND {windows.OVERDUE_SQL} THEN 'true' ELSE 'false' END"
    if key == "due_local":
        return f"'\"' || {local} || '\"'"
    return json_text_sql(engine, iso_sql(engine, f"p.{key}") if key in MOMENTS else f"p.{key}")


def _json_pieces_sql(engine: str, local: str) -> list[str]:
    """The object's text up to each spliced value, and what follows the last of them."""
    pieces: list[str] = []
    text: list[str] = []
    separator = "{"
    for key in JSON_KEYS:
        text.append(f"'{separator}\"{key}\": '")
        separator = ", "
        if key in SPLICED:
            pieces.append(" || ".join(text))
            text = []
        else:
            text.append(_json_value_sql(engine, key, local))
    for key in JSON_WHEN_GIVEN:
        text.append(f"CASE WHEN p.{key} <> '' THEN ', \"{key}\": ' || {json_text_sql(engine, f'p.{key}')} ELSE '' END")
    pieces.append(" || ".join(text))
    return pieces


def promise_json(reader: Reader, *, states: Sequence[str], now: int, zone: tzinfo) -> Iterator[tuple[Any, ...]]:
    """Each promise as (id, stored tags, and the three pieces of its JSON object around the
    spliced values), in id order, its deadline on the local clock of `zone` and "overdue" as
    of `now` (epoch seconds); the object is left open for what follows ("series", "events")."""
    found = due_range(reader, states=states)
    if found is None:
        return
    local = local_iso_sql(reader.engine, "p.due_at", offset_spans(zone, *found))
    marks, params = _states(states)
    params["overdue_before"] = deadline.overdue_before(now)
    pieces = ", ".join(_json_pieces_sql(reader.engine, local))
    yield from reader.iterate(
        f"SELECT p.id, p.tags, {pieces} FROM promise AS p WHERE p.state IN ({marks}) ORDER BY p.id", params)


def kinds(reader: Reader) -> list[str]:
    """Every kind of event the journal holds (an index answers it)."""
    return [str(row[0]) for row in reader.all("SELECT DISTINCT kind FROM event")]


def events(reader: Reader) -> Iterator[tuple[int, str]]:
    """Every event as (promise id, its JSON text as `pk log --json` shows it), by promise
    then in order: the text written by the database, the payload copied as stored."""
    text = (
        "'{\"id\": ' || CAST(e.id AS TEXT) || ', \"promise\": ' || CAST(e.promise_id AS TEXT)"
        f" || ', \"at\": \"' || {iso_sql(reader.engine, 'e.at')} || '\", \"kind\": \"' || e.kind"
        " || '\", \"data\": ' || e.data || ', \"undoes\": ' || coalesce(CAST(e.undoes AS TEXT), 'null')"
        f" || ', \"undone\": ' || CASE WHEN e.id IN ({UNDONE_IDS_SQL}) THEN 'true' ELSE 'false' END || '}}'"
    )
    yield from reader.iterate(f"SELECT e.promise_id, {text} FROM event AS e ORDER BY e.promise_id, e.id")


def attempts(reader: Reader) -> Iterator[tuple[int, int]]:
    """(promise id, live callback attempts) of every promise with any, by promise: streamed
    beside the promises, so an export holds none of them."""
    for promise_id, count, _last in reader.iterate(f"{ATTEMPTS_SQL} GROUP BY e.promise_id ORDER BY e.promise_id"):
        yield promise_id, count
