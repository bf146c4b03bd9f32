"""Reading promises: find one, filtered lists, the agenda, owners. Nothing here writes.

Every function takes a `Reader` (a read transaction, or the write transaction of a change)
and keyword arguments; times are aware datetimes, compared in SQL as epoch seconds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from promisekeeper import windows
from promisekeeper.db.read_journal import LIVE_SQL
from promisekeeper.db.reader import Reader
from promisekeeper.db.rows import PROMISE_COLUMNS, PromiseRow
from promisekeeper.errors import BadInput, NotFound
from promisekeeper.kinds import Kind, State
from promisekeeper.lang.folding import fold, like_pattern
from promisekeeper.lang.i18n import _
from promisekeeper.sanitize import clean
from promisekeeper.when.clock import epoch

_UUID_PREFIX = re.compile(r"^[0-9a-f-]{4,36}$")
_LARGEST_ID = 2**63 - 1
_SELECT = "SELECT " + ", ".join(f"p.{name.strip()}" for name in PROMISE_COLUMNS.split(",")) + " FROM promise AS p"


# -- one promise -------------------------------------------------------------------------------


def find(reader: Reader, ident: str) -> PromiseRow:
    """The promise named by its number ("12", "#12") or a unique uuid prefix (4+ hex digits).

    Digits are the number pk shows, never the start of another promise's uuid (at 100,000
    promises nearly every four digits start some uuid, and `pk done 1234` must never close
    a promise other than #1234); only digits with a leading zero, or eight and more digits
    naming no promise, are read as the start of a uuid.
    """
    explicit_number = ident.strip().startswith("#")
    text = ident.strip().lstrip("#")
    if text.isascii() and text.isdigit() and (explicit_number or not text.startswith("0")):
        found = by_id(reader, int(text)) if int(text) <= _LARGEST_ID else None
        if found is None and not explicit_number and len(text) >= 8:
            found = _by_uuid_prefix(reader, text, ident)
        if found is None:
            raise NotFound(_("no promise #{number}; `pk list --all` shows every id").format(number=text))
        return found
    if text.isascii() and _UUID_PREFIX.match(text.lower()):
        found = _by_uuid_prefix(reader, text, ident)
        if found is None:
            raise NotFound(_("no promise with uuid starting '{prefix}'; `pk list --all` shows every id").format(
                prefix=text))
        return found
    raise BadInput(
        _("'{ident}' is not a promise id; use the number shown as #12, or 4+ hex digits of its uuid").format(
            ident=ident)
    )


def by_id(reader: Reader, ident: int) -> PromiseRow | None:
    row = reader.one(f"{_SELECT} WHERE p.id = :id", {"id": ident})
    return PromiseRow.of(row) if row else None


def _by_uuid_prefix(reader: Reader, text: str, ident: str) -> PromiseRow | None:
    # uuids are stored in lower case; the prefix holds only hex digits and dashes.
    prefix = text.lower()
    rows = reader.all(
        f"{_SELECT} WHERE p.uuid >= :low AND p.uuid < :high LIMIT 2",
        {"low": prefix, "high": prefix + "\uffff"},
    )
    if len(rows) > 1:
        raise BadInput(_("'{ident}' matches more than one promise; give more of the uuid or the #id").format(ident=ident))
    return PromiseRow.of(rows[0]) if rows else None


def uuid_taken(reader: Reader, uuids: Sequence[str]) -> set[str]:
    """Which of these uuids are already in the database."""
    taken: set[str] = set()
    for start in range(0, len(uuids), 500):
        chunk = list(uuids[start : start + 500])
        names = {f"u{index}": value for index, value in enumerate(chunk)}
        marks = ", ".join(f":{name}" for name in names)
        taken.update(row[0] for row in reader.all(f"SELECT uuid FROM promise WHERE uuid IN ({marks})", names))
    return taken


# -- lists ---------------------------------------------------------------------------------------


class Filters(NamedTuple):
    """What a list narrows by; empty fields do not narrow. `owners` None means everyone's."""

    who: str | None = None
    tag: str | None = None
    ref: str | None = None
    owners: tuple[str | None, ...] | None = None


class Bounds(NamedTuple):
    """Deadline bounds: before (<), until (<=), from (>=), after (>)."""

    before: datetime | None = None
    until: datetime | None = None
    since: datetime | None = None
    after: datetime | None = None


def promises(
    reader: Reader,
    *,
    states: Sequence[str] = (State.OPEN,),
    bounds: Bounds = Bounds(),
    filters: Filters = Filters(),
    limit: int | None = None,
) -> list[PromiseRow]:
    """Promises in the given states, by deadline (then id), narrowed by bounds and filters."""
    return list(iterate(reader, states=states, bounds=bounds, filters=filters, limit=limit))


def iterate(
    reader: Reader,
    *,
    states: Sequence[str] = (State.OPEN,),
    bounds: Bounds = Bounds(),
    filters: Filters = Filters(),
    limit: int | None = None,
    order: str = "p.due_at, p.id",
) -> Iterator[PromiseRow]:
    """The same, streamed in batches (exports and long lists)."""
    where, params = _conditions(states, bounds, filters)
    sql = f"{_SELECT} WHERE {where} ORDER BY {order}"
    if limit is not None:
        sql += " LIMIT :limit"
        params["limit"] = limit
    for row in reader.iterate(sql, params):
        yield PromiseRow.of(row)


def count(reader: Reader, *, states: Sequence[str] = (State.OPEN,), bounds: Bounds = Bounds(),
          filters: Filters = Filters()) -> int:
    where, params = _conditions(states, bounds, filters)
    return int(reader.value(f"SELECT count(*) FROM promise AS p WHERE {where}", params) or 0)


def _conditions(states: Sequence[str], bounds: Bounds, filters: Filters) -> tuple[str, dict[str, Any]]:
    params: dict[str, Any] = {}
    parts = [_among("p.state", [str(state) for state in states], "state", params)]
    for moment, operator, name in (
        (bounds.before, "<", "before"), (bounds.until, "<=", "until"),
        (bounds.since, ">=", "since"), (bounds.after, ">", "after"),
    ):
        if moment is not None:
            parts.append(f"p.due_at {operator} :{name}")
            params[name] = epoch(moment)
    parts += _narrowing(filters, params)
    return " AND ".join(parts), params


def _narrowing(filters: Filters, params: dict[str, Any]) -> list[str]:
    parts = []
    if filters.who:
        parts.append(r"p.who_key LIKE :who ESCAPE '\'")
        params["who"] = like_pattern(filters.who)
    if filters.ref:
        parts.append("p.ref_key = :ref")
        params["ref"] = fold(filters.ref)
    if filters.tag:
        parts.append("EXISTS (SELECT 1 FROM promise_tag AS t WHERE t.promise_id = p.id AND t.tag = :tag)")
        params["tag"] = filters.tag.strip().lstrip("+#").lower()
    if filters.owners is not None:
        parts.append(_owned_by(filters.owners, params))
    return parts


def _owned_by(owners: Sequence[str | None], params: dict[str, Any]) -> str:
    named = [owner for owner in owners if owner is not None]
    options = [_among("p.owner", named, "owner", params)] if named else []
    if None in owners:
        options.append("p.owner IS NULL")
    return f"({' OR '.join(options)})" if options else "1 = 0"


def _among(column: str, values: Sequence[Any], name: str, params: dict[str, Any]) -> str:
    if not values:
        return "1 = 0"
    marks = []
    for index, value in enumerate(values):
        params[f"{name}{index}"] = value
        marks.append(f":{name}{index}")
    return f"{column} IN ({', '.join(marks)})"


# -- the agenda -----------------------------------------------------------------------------------


class Agenda(NamedTuple):
    """What `pk` shows: what is late, what is due by midnight, and what comes next."""

    overdue: list[PromiseRow]
    today: list[PromiseRow]
    upcoming: list[PromiseRow]
    later: int = 0
    more_overdue: int = 0  # overdue beyond those listed (a summary lists a screenful)
    more_today: int = 0

    @property
    def shown(self) -> list[PromiseRow]:
        return self.overdue + self.today + self.upcoming


def agenda(
    reader: Reader, *, at: windows.Windows, filters: Filters = Filters(), upcoming: int = 5,
    section: int | None = None,
) -> Agenda:
    """Overdue, due later today (midnight included), and the next few after (with a count
    of the rest). `section`: list at most so many overdue and due today, and count the rest
    (a summary, as Taskwarrior's `next` is); None lists them all."""
    where, params = _conditions((State.OPEN,), Bounds(), filters)
    params |= at.params

    def group(window: str, limit: int | None) -> tuple[list[PromiseRow], int]:
        tail = "" if limit is None else f" LIMIT {int(limit)}"
        sql = f"{_SELECT} WHERE {where} AND {window} ORDER BY p.due_at, p.id{tail}"
        rows = [PromiseRow.of(row) for row in reader.all(sql, params)]
        if limit is None or len(rows) < limit:
            return rows, 0
        total = reader.value(f"SELECT count(*) FROM promise AS p WHERE {where} AND {window}", params)
        return rows, max(0, int(total or 0) - len(rows))

    overdue, more_overdue = group(windows.OVERDUE_SQL, section)
    today, more_today = group(windows.TODAY_SQL, section)
    following, later = group(windows.NEXT_SQL, upcoming) if upcoming else ([], 0)
    return Agenda(overdue, today, following, later, more_overdue, more_today)


# -- owners ----------------------------------------------------------------------------------------


def owners(reader: Reader) -> list[str | None]:
    """Every owner that has a promise here (None: promises without one).

    One index probe per owner and one for "no owner": DISTINCT would read the whole owner
    index, a million entries at a million promises, on every agenda.
    """
    from promisekeeper.db.read_schedule import OWNERS_SQL

    named: list[str | None] = [row[0] for row in reader.all(OWNERS_SQL)]
    return [*named, None] if reader.all("SELECT 1 FROM promise WHERE owner IS NULL LIMIT 1") else named


def former_owners(reader: Reader) -> list[str]:
    """Everyone who held a promise here before it changed hands (their outcomes still count
    for them, though they may hold none now)."""
    return [row[0] for row in reader.all(
        f"SELECT DISTINCT owner FROM event WHERE kind IN ('{Kind.HANDED_OFF}', '{Kind.EDITED}') AND owner IS NOT NULL"
    )]


# -- search ----------------------------------------------------------------------------------------


def search(
    reader: Reader, *, words: Sequence[str], states: Sequence[str] = tuple(State), limit: int | None = None,
    owners: tuple[str | None, ...] | None = None,
) -> list[PromiseRow]:
    """Promises in which every word is found, ignoring case and accents: in what, who,
    contact, channel, ticket or tags (`search_key`), or in a note or reason of theirs that
    was not undone (`event.text_key`); only these owners' (None: everyone's). By deadline,
    then id."""
    params: dict[str, Any] = {}
    parts = [_among("p.state", [str(state) for state in states], "state", params)]
    if owners is not None:
        parts.append(_owned_by(owners, params))
    typed = (" ".join(clean(word).split()) for word in words)  # no control character: see keys
    for index, word in enumerate(dict.fromkeys(fold(word) for word in typed if word)):
        params[f"w{index}"] = like_pattern(word)
        parts.append(
            f"(p.search_key LIKE :w{index} ESCAPE '\\' OR p.id IN (SELECT e.promise_id FROM event AS e"
            f" WHERE e.text_key LIKE :w{index} ESCAPE '\\' AND {LIVE_SQL}))"
        )
    sql = f"{_SELECT} WHERE {' AND '.join(parts)} ORDER BY p.due_at, p.id"
    if limit is not None:
        sql += " LIMIT :limit"
        params["limit"] = limit
    return [PromiseRow.of(row) for row in reader.iterate(sql, params)]
