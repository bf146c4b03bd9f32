"""Reading the ledger: find a promise, filtered lists, the agenda, the journal.

Every function takes the session and, where time matters, `now`; none writes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo

from sqlalchemy import func
from sqlmodel import Session, col, select

from promisekeeper.errors import BadInput, NotFound
from promisekeeper.models import Event, Promise

_UUID_PREFIX = re.compile(r"^[0-9a-f-]{4,36}$")


def find(session: Session, ident: str) -> Promise:
    """The promise named by an id ("12", "#12") or a unique uuid prefix (4+ hex digits)."""
    text = ident.strip().lstrip("#")
    if text.isdigit():
        promise = session.get(Promise, int(text))
        if promise is None:
            raise NotFound(f"no promise #{text}; `pk list --all` shows every id")
        return promise
    if _UUID_PREFIX.match(text.lower()):
        pattern = text.lower().replace("%", "").replace("_", "") + "%"
        matches = session.exec(select(Promise).where(col(Promise.uuid).like(pattern)).limit(2)).all()
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise BadInput(f"{ident!r} matches more than one promise; give more of the uuid or the #id")
        raise NotFound(f"no promise with uuid starting {text!r}; `pk list --all` shows every id")
    raise BadInput(f"{ident!r} is not a promise id; use the number shown as #12 (or a uuid prefix)")


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
    due_from: datetime | None = None,
    filters: Filters = Filters(),
    limit: int | None = None,
) -> list[Promise]:
    """Promises in the given states, by deadline (then id), narrowed by filters."""
    query = select(Promise).where(col(Promise.state).in_(list(states)))
    if due_before is not None:
        query = query.where(Promise.due_at < due_before)
    if due_from is not None:
        query = query.where(Promise.due_at >= due_from)
    query = _narrow(query, filters)
    query = query.order_by(col(Promise.due_at), col(Promise.id))
    if limit is not None:
        query = query.limit(limit)
    return list(session.exec(query).all())


def _narrow(query, filters: Filters):  # type: ignore[no-untyped-def]
    if filters.who:
        query = query.where(func.lower(Promise.who).contains(filters.who.lower(), autoescape=True))
    if filters.ref:
        query = query.where(func.lower(Promise.ref) == filters.ref.lower())
    if filters.tag:
        # Tags are stored as a JSON list of plain words, so a quoted word matches one tag exactly.
        needle = json.dumps(filters.tag.lower())
        query = query.where(func.cast(Promise.tags, _text_type()).contains(needle, autoescape=True))
    return query


def _text_type():  # type: ignore[no-untyped-def]
    from sqlalchemy import Text

    return Text


def local_day_end(now: datetime, zone: tzinfo) -> datetime:
    """The next local midnight after now (the end of "today"), as aware UTC."""
    local = now.astimezone(zone)
    midnight = datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), zone)
    return midnight.astimezone(now.tzinfo)


@dataclass
class Agenda:
    """What `pk` shows: what is late, what is due before midnight, and what comes next."""

    overdue: list[Promise] = field(default_factory=list)
    today: list[Promise] = field(default_factory=list)
    upcoming: list[Promise] = field(default_factory=list)
    later: int = 0


def agenda(session: Session, *, now: datetime, zone: tzinfo, upcoming: int = 5) -> Agenda:
    """Overdue (deadline passed), due later today, and the next few after today."""
    end_of_today = local_day_end(now, zone)
    overdue = promises(session, due_before=now)
    today = promises(session, due_from=now, due_before=end_of_today)
    after = promises(session, due_from=end_of_today, limit=upcoming)
    total_after = session.exec(
        select(func.count()).select_from(Promise).where(
            Promise.state == "open", Promise.due_at >= end_of_today
        )
    ).one()
    return Agenda(overdue, today, after, max(0, total_after - len(after)))


@dataclass(frozen=True)
class Attempts:
    count: int
    last: datetime | None


def attempts(session: Session, promise_ids: Sequence[int]) -> dict[int, Attempts]:
    """Callback attempts per promise (undone ones excluded)."""
    if not promise_ids:
        return {}
    undone = select(Event.undoes).where(col(Event.undoes).is_not(None))
    rows = session.exec(
        select(Event.promise_id, func.count(), func.max(Event.at))
        .where(Event.kind == "attempted", col(Event.promise_id).in_(list(promise_ids)))
        .where(col(Event.id).not_in(undone))
        .group_by(col(Event.promise_id))
    ).all()
    return {pid: Attempts(count, _aware(last)) for pid, count, last in rows}


def _aware(value: datetime | str | None) -> datetime | None:
    # Aggregates bypass the column type, so SQLite hands back its stored text.
    if value is None or isinstance(value, datetime):
        return value if value is None or value.tzinfo else value.replace(tzinfo=_utc())
    return datetime.fromisoformat(value).replace(tzinfo=_utc())


def _utc() -> tzinfo:
    from datetime import timezone

    return timezone.utc


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


def undone_ids(session: Session, event_ids: Sequence[int]) -> set[int]:
    """Which of these events a later `undone` event compensates."""
    if not event_ids:
        return set()
    rows = session.exec(select(Event.undoes).where(col(Event.undoes).in_(list(event_ids)))).all()
    return {row for row in rows if row is not None}
