"""Candidates for shell completion: promise numbers with their text, and the names, tags,
tickets, channels and owners already in use.

Every TAB runs these, so each is bounded whatever the size of the database: numbers are
looked up by id range on the primary key (or among the open promises, by the index on
their deadlines), and words are gathered from the RECENT open promises due soonest and the
RECENT latest ones. Standard library only, over a `Reader` (sqlite3, or psycopg for PostgreSQL), or
anything with its `all(sql, params)`.
"""

from __future__ import annotations

from promisekeeper.lang.folding import fold

# Each TAB imports this module: what only annotations name is not imported (typing alone
# costs a few milliseconds).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from promisekeeper.db.reader import Reader

RECENT = 5000  # the latest promises whose words are offered, besides every open one
_LARGEST_ID = 2**63 - 1
_EVERY_STATE = {"open", "kept", "released"}
# The promises whose words are offered, as two bounded index lookups (an OR would scan the
# table): the RECENT open ones due soonest, and the RECENT latest. Bounded even when most of
# a million promises are open, so a TAB costs the same at any size.
_IN_USE = (
    "p.id IN (SELECT id FROM (SELECT id FROM promise WHERE state = 'open' ORDER BY due_at LIMIT :recent) AS soon"
    " UNION ALL SELECT id FROM promise WHERE id > (SELECT coalesce(max(id), 0) FROM promise) - :recent)"
)
# Each word and the column it is matched on: folded keys where they exist.
_WORD_COLUMNS = {
    "who": ("p.who", "p.who_key"),
    "ref": ("p.ref", "p.ref_key"),
    "via": ("p.via", "lower(p.via)"),
    "owner": ("p.owner", "lower(p.owner)"),
}


def numbers(
    reader: Reader, *, prefix: str, states: Sequence[str], limit: int = 50
) -> list[tuple[int, str, str | None]]:
    """(id, what, who) of promises in these states whose number starts with `prefix`: open
    ones soonest due first; others the latest first, or by number when some are typed."""
    digits = prefix.lstrip("#")
    if digits and (not (digits.isascii() and digits.isdigit()) or digits.startswith("0")):
        return []
    params: dict[str, Any] = {"limit": limit}
    if tuple(states) == ("open",):
        # The open promises are few and indexed: their numbers are matched as text.
        where, order = "p.state = 'open' AND CAST(p.id AS TEXT) LIKE :digits", "p.due_at, p.id"
        params["digits"] = f"{digits}%"
    else:
        where = "1 = 1" if set(states) >= _EVERY_STATE else _state_among(states, params)
        where += f" AND {_id_ranges(digits, params)}" if digits else ""
        order = "p.id" if digits else "p.id DESC"
    sql = f"SELECT p.id, p.what, p.who FROM promise AS p WHERE {where} ORDER BY {order} LIMIT :limit"
    return [(row[0], row[1], row[2]) for row in reader.all(sql, params)]


def words(reader: Reader, *, field: str, prefix: str, limit: int = 200) -> list[str]:
    """Distinct values of a field (who, ref, via, owner) that start with `prefix`, ignoring
    case and accents, among the promises in use."""
    column, key = _WORD_COLUMNS[field]
    sql = (
        f"SELECT DISTINCT {column} FROM promise AS p WHERE {column} IS NOT NULL AND {column} <> ''"
        f" AND {key} LIKE :prefix ESCAPE '\\' AND {_IN_USE} LIMIT :limit"
    )
    params = {"prefix": _starting(prefix), "recent": RECENT, "limit": limit}
    return [row[0] for row in reader.all(sql, params)]


def tags(reader: Reader, *, prefix: str, limit: int = 200) -> list[str]:
    """Tags in use that start with `prefix` (tags are stored in lower case)."""
    sql = (
        "SELECT DISTINCT t.tag FROM promise AS p JOIN promise_tag AS t ON t.promise_id = p.id"
        f" WHERE t.tag LIKE :prefix ESCAPE '\\' AND {_IN_USE} LIMIT :limit"
    )
    params = {"prefix": _starting(prefix.lstrip("+#")), "recent": RECENT, "limit": limit}
    return [row[0] for row in reader.all(sql, params)]


def owner_of(reader: Reader, ident: str) -> str | None:
    """The owner of promise number `ident` as typed (a "#12" too), or None."""
    digits = ident.lstrip("#")
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 12:
        return None
    found = reader.all("SELECT owner FROM promise WHERE id = :id", {"id": int(digits)})
    return found[0][0] if found else None


def _starting(prefix: str) -> str:
    escaped = fold(prefix).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{escaped}%"


def _state_among(states: Sequence[str], params: dict[str, Any]) -> str:
    marks = []
    for index, state in enumerate(states):
        params[f"state{index}"] = str(state)
        marks.append(f":state{index}")
    # `|| ''` keeps the planner on the id ranges: by the state index it would sort them all.
    return f"p.state || '' IN ({', '.join(marks)})"


def _id_ranges(digits: str, params: dict[str, Any]) -> str:
    """The ids written with these leading digits: 12, 120-129, 1200-1299, … (primary key ranges)."""
    ranges = []
    low, high = int(digits), int(digits)
    for index in range(19):
        if low > _LARGEST_ID:
            break
        params[f"low{index}"], params[f"high{index}"] = low, min(high, _LARGEST_ID)
        ranges.append(f"SELECT id FROM promise WHERE id BETWEEN :low{index} AND :high{index}")
        low, high = low * 10, high * 10 + 9
    # A union of primary-key ranges: OR-ed ranges would make the planner scan by state.
    return f"p.id IN ({' UNION ALL '.join(ranges)})"
