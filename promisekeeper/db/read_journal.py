"""Reading the journal: events, what was undone, attempts, reminders sent, what undo would take.

An event is **live** unless a later `undone` event compensates it: `LIVE_SQL` says so once,
for every statement that counts events (attempts, moves, stats, undo).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from promisekeeper.db.reader import Reader
from promisekeeper.db.rows import EVENT_COLUMNS, Attempts, EventRow
from promisekeeper.kinds import UNDOABLE, Kind, Stage
from promisekeeper.when.clock import from_epoch
from promisekeeper.when.deadline import late_sql

UNDONE_IDS_SQL = "SELECT undoes FROM event WHERE undoes IS NOT NULL"
LIVE_SQL = f"e.id NOT IN ({UNDONE_IDS_SQL})"
_SELECT = "SELECT " + ", ".join(f"e.{name.strip()}" for name in EVENT_COLUMNS.split(",")) + " FROM event AS e"
_CHUNK = 500  # ids per IN list


def events(reader: Reader, *, promise_id: int | None = None, limit: int | None = None) -> list[EventRow]:
    """Journal entries, oldest first (the last `limit` when limited)."""
    where = "WHERE e.promise_id = :promise" if promise_id is not None else ""
    params: dict[str, Any] = {"promise": promise_id}
    if limit is None:
        rows = reader.all(f"{_SELECT} {where} ORDER BY e.id", params)
        return [EventRow.of(row) for row in rows]
    params["limit"] = limit
    rows = reader.all(f"{_SELECT} {where} ORDER BY e.id DESC LIMIT :limit", params)
    return [EventRow.of(row) for row in reversed(rows)]


def undone_ids(reader: Reader, event_ids: Sequence[int] | None = None) -> set[int]:
    """Which of these events (None: of all) a later `undone` event compensates."""
    if event_ids is None:
        return {row[0] for row in reader.all(UNDONE_IDS_SQL)}
    found: set[int] = set()
    for names, marks in _chunks(event_ids):
        found.update(row[0] for row in reader.all(f"{UNDONE_IDS_SQL} AND undoes IN ({marks})", names))
    return found


def undo_candidates(
    reader: Reader, *, authors: tuple[str | None, ...] | None, event: int | None = None, limit: int = 10
) -> list[EventRow]:
    """The changes `pk undo` would revert, most recent first: live, made here, undoable;
    recorded by one of `authors` (their stored spellings; None: by anyone), or the one `event`."""
    kinds = ", ".join(f"'{kind}'" for kind in sorted(UNDOABLE))
    params: dict[str, Any] = {"limit": limit}
    narrowing = ""
    if authors is not None:
        named = [name for name in authors if name is not None]
        params.update((f"author{index}", name) for index, name in enumerate(named))
        either = [f"e.author IN ({', '.join(f':author{index}' for index in range(len(named)))})"] if named else []
        either += ["e.author IS NULL"] if None in authors else []
        narrowing = f" AND ({' OR '.join(either)})" if either else " AND 1 = 0"
    if event is not None:
        params["event"] = event
        narrowing += " AND e.id = :event"
    rows = reader.all(
        f"{_SELECT} WHERE e.kind IN ({kinds}) AND e.imported = 0 AND {LIVE_SQL}{narrowing}"
        " ORDER BY e.id DESC LIMIT :limit",
        params,
    )
    return [EventRow.of(row) for row in rows]


def authors_of(reader: Reader, caller: str | None) -> tuple[str | None, ...] | None:
    """Whose changes count as the caller's for `pk undo`: the stored spellings of the caller's
    name; or everyone's (None) while nobody else has recorded a change here, so that changes
    from before pk kept authors stay the caller's own on a database used alone."""
    from promisekeeper import owner as ownership

    present = [row[0] for row in reader.all("SELECT DISTINCT author FROM event WHERE author IS NOT NULL")]
    mine = ownership.spellings(present, caller) if caller is not None else ()
    if set(present) <= set(mine):
        return None
    return mine


def changes_made(reader: Reader) -> int:
    """How many changes were made here (imported history and reminders are not changes)."""
    kinds = ", ".join(f"'{kind}'" for kind in sorted(UNDOABLE))
    return int(reader.value(f"SELECT count(*) FROM event AS e WHERE e.kind IN ({kinds}) AND e.imported = 0") or 0)


# Live callback attempts: (promise id, how many, the last one's moment), with GROUP BY e.promise_id.
ATTEMPTS_SQL = f"SELECT e.promise_id, count(*), max(e.at) FROM event AS e WHERE e.kind = '{Kind.ATTEMPTED}' AND {LIVE_SQL}"


def attempts(reader: Reader, promise_ids: Sequence[int] | None) -> dict[int, Attempts]:
    """Live callback attempts per promise; None asks for every promise."""
    sql = ATTEMPTS_SQL
    found: dict[int, Attempts] = {}
    wanted = None if promise_ids is None else set(promise_ids)
    if wanted is not None and len(wanted) > _CHUNK * 4:
        # Thousands of promises: one grouped pass beats many IN lists.
        return {key: value for key, value in attempts(reader, None).items() if key in wanted}
    for names, marks in _chunks(promise_ids):
        narrowed = f"{sql} AND e.promise_id IN ({marks})" if marks else sql
        for promise_id, number, last in reader.all(f"{narrowed} GROUP BY e.promise_id", names):
            found[promise_id] = Attempts(int(number), from_epoch(last))
    return found


Sent = tuple[Stage, datetime | None, datetime, str | None, bool]


def reminders_sent(reader: Reader, promise_ids: Sequence[int]) -> dict[int, list[Sent]]:
    """The reminders recorded for these promises, oldest first: (stage, deadline, when,
    whose own reminder it was, whether it was for the team)."""
    history: dict[int, list[Sent]] = {}
    for names, marks in _chunks(promise_ids):
        rows = reader.all(
            f"SELECT e.promise_id, e.stage, e.due_at, e.at, e.owner, e.team FROM event AS e"
            f" WHERE e.kind = '{Kind.REMINDED}' AND e.promise_id IN ({marks}) ORDER BY e.id",
            names,
        )
        for promise_id, stage, due, at, owner, team in rows:
            if stage in tuple(Stage):
                entry = (Stage(stage), from_epoch(due) if due is not None else None, from_epoch(at), owner, bool(team))
                history.setdefault(promise_id, []).append(entry)
    return history


def moved_after_deadline(reader: Reader, promise_id: int) -> bool:
    """Whether the promise was ever moved after its deadline had passed (and not undone)."""
    found = reader.value(
        f"SELECT count(*) FROM event AS e WHERE e.promise_id = :promise AND e.kind = '{Kind.RESCHEDULED}'"
        f" AND {late_sql('e.at', 'e.due_at')} AND {LIVE_SQL}",
        {"promise": promise_id},
    )
    return bool(found)


def _chunks(ids: Sequence[int] | None) -> Iterator[tuple[dict[str, int], str]]:
    """Named parameters and their marks for IN lists of at most _CHUNK ids; None: one
    unnarrowed pass (marks empty)."""
    if ids is None:
        yield {}, ""
        return
    unique = list(dict.fromkeys(ids))
    for start in range(0, len(unique), _CHUNK):
        names = {f"i{index}": value for index, value in enumerate(unique[start : start + _CHUNK])}
        yield names, ", ".join(f":{name}" for name in names)
