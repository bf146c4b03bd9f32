"""Reading the ledger: find a promise, filtered lists, the agenda, the journal.

Every function takes the session and, where time matters, `now`; none writes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone, tzinfo

from sqlalchemy import Text, cast, func
from sqlmodel import Session, col, select

from promisekeeper.clock import local_midnight
from promisekeeper.errors import BadInput, NotFound
from promisekeeper.models import Event, Promise

_UUID_PREFIX = re.compile(r"^[0-9a-f-]{4,36}$")


_LARGEST_ID = 2**63 - 1  # SQLite's integer range


def find(session: Session, ident: str) -> Promise:
    """The promise named by an id ("12", "#12") or a unique uuid prefix (4+ hex digits)."""
    explicit_number = ident.strip().startswith("#")
    text = ident.strip().lstrip("#")
    if text.isascii() and text.isdigit():
        return _by_number(session, text, ident, explicit=explicit_number)
    if text.isascii() and _UUID_PREFIX.match(text.lower()):
        promise = _by_uuid_prefix(session, text, ident)
        if promise is None:
            raise NotFound(f"no promise with uuid starting {text!r}; `pk list --all` shows every id")
        return promise
    raise BadInput(
        f"{ident!r} is not a promise id; use the number shown as #12, or 4+ hex digits of its uuid"
    )


def _by_number(session: Session, text: str, ident: str, *, explicit: bool) -> Promise:
    """ "12" is promise #12; digits may also start a uuid ("0010705b-…"), which must not be confused."""
    number = int(text)
    by_id = session.get(Promise, number) if number <= _LARGEST_ID and not text.startswith("0") else None
    by_uuid = _by_uuid_prefix(session, text, ident) if len(text) >= 4 and not explicit else None
    if by_id is not None and by_uuid is not None and by_id.id != by_uuid.id:
        raise BadInput(
            f"{ident!r} is both promise #{number} and the start of #{by_uuid.id}'s uuid; "
            f"say #{number}, or give more of the uuid"
        )
    found = by_id or by_uuid
    if found is None:
        raise NotFound(f"no promise #{text.lstrip('0') or '0'}; `pk list --all` shows every id")
    return found


def _by_uuid_prefix(session: Session, text: str, ident: str) -> Promise | None:
    pattern = text.lower().replace("%", "").replace("_", "") + "%"
    matches = session.exec(select(Promise).where(col(Promise.uuid).like(pattern)).limit(2)).all()
    if len(matches) > 1:
        raise BadInput(f"{ident!r} matches more than one promise; give more of the uuid or the #id")
    return matches[0] if matches else None


@dataclass(frozen=True)
class Filters:
    """What `pk list` narrows by; empty fields do not narrow."""

    who: str | None = None
    tag: str | None = None
    ref: str | None = None


def promises(
    session: Session,
    *,
    states: Sequence[str] = ("open",),
    due_before: datetime | None = None,
    due_until: datetime | None = None,
    due_from: datetime | None = None,
    due_after: datetime | None = None,
    filters: Filters = Filters(),
    limit: int | None = None,
) -> list[Promise]:
    """Promises in the given states, by deadline (then id), narrowed by filters.

    Bounds: before (<), until (<=), from (>=), after (>).
    """
    query = select(Promise).where(col(Promise.state).in_(list(states)))
    if due_before is not None:
        query = query.where(Promise.due_at < due_before)
    if due_until is not None:
        query = query.where(Promise.due_at <= due_until)
    if due_from is not None:
        query = query.where(Promise.due_at >= due_from)
    if due_after is not None:
        query = query.where(Promise.due_at > due_after)
    query = _narrow(query, filters, fold=_folding(session))
    query = query.order_by(col(Promise.due_at), col(Promise.id))
    if limit is not None:
        query = query.limit(limit)
    return list(session.exec(query).all())


def _folding(session: Session):  # type: ignore[no-untyped-def]
    # SQLite's lower() knows only ASCII; store.py gives each connection pk_fold (casefold),
    # so "Åsa" finds "ÅSA ÖBERG". Other databases lower-case Unicode themselves.
    return func.pk_fold if session.get_bind().dialect.name == "sqlite" else func.lower


def _narrow(query, filters: Filters, *, fold) -> object:  # type: ignore[no-untyped-def]
    if filters.who:
        query = query.where(fold(Promise.who).contains(filters.who.casefold(), autoescape=True))
    if filters.ref:
        query = query.where(fold(Promise.ref) == filters.ref.casefold())
    if filters.tag:
        # Tags are stored as a JSON list of plain words, so a quoted word matches one tag exactly.
        needle = json.dumps(filters.tag.lower())
        query = query.where(cast(Promise.tags, Text).contains(needle, autoescape=True))
    return query


def local_day_end(now: datetime, zone: tzinfo) -> datetime:
    """The next local midnight after now, as aware UTC: "today" runs up to it, inclusive,
    so a promise due "by midnight" is due today."""
    return local_midnight(now.astimezone(zone).date() + timedelta(days=1), zone)


@dataclass
class Agenda:
    """What `pk` shows: what is late, what is due by midnight, and what comes next."""

    overdue: list[Promise] = field(default_factory=list)
    today: list[Promise] = field(default_factory=list)
    upcoming: list[Promise] = field(default_factory=list)
    later: int = 0


def agenda(session: Session, *, now: datetime, zone: tzinfo, upcoming: int = 5) -> Agenda:
    """Overdue (deadline passed), due later today (midnight included), and the next few after."""
    end_of_today = local_day_end(now, zone)
    overdue = promises(session, due_before=now)
    today = promises(session, due_from=now, due_until=end_of_today)
    after = promises(session, due_after=end_of_today, limit=upcoming)
    total_after = session.exec(
        select(func.count()).select_from(Promise).where(
            Promise.state == "open", Promise.due_at > end_of_today
        )
    ).one()
    return Agenda(overdue, today, after, max(0, total_after - len(after)))


@dataclass(frozen=True)
class Attempts:
    count: int
    last: datetime | None


FEW = 500  # beyond this many ids, one grouped pass beats a giant IN list (SQLite caps those)


def attempts(session: Session, promise_ids: Sequence[int] | None) -> dict[int, Attempts]:
    """Callback attempts per promise (undone ones excluded); None asks for every promise."""
    if promise_ids is not None and not promise_ids:
        return {}
    undone = select(Event.undoes).where(col(Event.undoes).is_not(None))
    query = (
        select(Event.promise_id, func.count(), func.max(Event.at))
        .where(Event.kind == "attempted", col(Event.id).not_in(undone))
        .group_by(col(Event.promise_id))
    )
    wanted = None if promise_ids is None else set(promise_ids)
    if wanted is not None and len(wanted) <= FEW:
        query = query.where(col(Event.promise_id).in_(wanted))
    rows = session.exec(query).all()
    return {
        pid: Attempts(count, _aware(last)) for pid, count, last in rows if wanted is None or pid in wanted
    }


def _aware(value: datetime | str | None) -> datetime | None:
    # Aggregates bypass the column type, so SQLite hands back its stored text.
    if value is None or isinstance(value, datetime):
        return value if value is None or value.tzinfo else value.replace(tzinfo=timezone.utc)
    return datetime.fromisoformat(value).replace(tzinfo=timezone.utc)


def events(
    session: Session, *, promise_id: int | None = None, limit: int | None = None
) -> list[Event]:
    """Journal entries, oldest first (the last `limit` when limited)."""
    query = select(Event)
    if promise_id is not None:
        query = query.where(Event.promise_id == promise_id)
    if limit is None:
        return list(session.exec(query.order_by(col(Event.id))).all())
    newest = list(session.exec(query.order_by(col(Event.id).desc()).limit(limit)).all())
    return newest[::-1]


def undone_ids(session: Session, event_ids: Sequence[int] | None) -> set[int]:
    """Which of these events (None: of all) a later `undone` event compensates."""
    if event_ids is not None and not event_ids:
        return set()
    query = select(Event.undoes).where(col(Event.undoes).is_not(None))
    if event_ids is not None and len(event_ids) <= FEW:
        query = query.where(col(Event.undoes).in_(list(event_ids)))
    found = {row for row in session.exec(query).all() if row is not None}
    return found if event_ids is None else found & set(event_ids)


def journals(session: Session) -> dict[int, list[Event]]:
    """Every promise's events, oldest first, in one pass (for exports)."""
    grouped: dict[int, list[Event]] = {}
    for entry in session.exec(select(Event).order_by(col(Event.promise_id), col(Event.id))).all():
        grouped.setdefault(entry.promise_id, []).append(entry)
    return grouped


def moved_after_deadline(session: Session, promise_id: int) -> bool:
    """Whether the promise was ever moved after its deadline had passed (and not undone)."""
    undone = select(Event.undoes).where(col(Event.undoes).is_not(None))
    moves = session.exec(
        select(Event).where(Event.promise_id == promise_id, Event.kind == "rescheduled", col(Event.id).not_in(undone))
    ).all()
    return any(move.data.get("after_deadline") for move in moves)
