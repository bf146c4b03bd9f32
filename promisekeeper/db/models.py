"""The write half's schema of record: promises, their tags, and the append-only journal.

SQLModel tables the ledger changes through a session. Moments are timezone-aware datetimes
in Python and whole epoch seconds (BIGINT) in the database; tags are a list in Python and
words ("vpn billing") in the row, with one `promise_tag` row per tag to filter and group
on; an event's payload is JSON text, and what queries need of it lives in columns beside
it. The folded keys and tag rows are kept right by the hooks at the end of this module.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    TypeDecorator,
    delete,
    event,
    insert,
    inspect,
    text,
)
from sqlmodel import Field, SQLModel

from promisekeeper import events
from promisekeeper.db.keys import promise_keys
from promisekeeper.db.rows import EventRow, PromiseRow
from promisekeeper.kinds import Kind, State
from promisekeeper.when.clock import epoch, from_epoch


class EpochSeconds(TypeDecorator[datetime]):
    """An aware datetime stored as whole seconds since 1970 (UTC)."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> int | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: promisekeeper stores aware moments only")
        return epoch(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        return None if value is None else from_epoch(value)


class Words(TypeDecorator[list[str]]):
    """A list of single words (tags) stored space-separated."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: list[str] | None, dialect: Dialect) -> str:
        return " ".join(value or ())

    def process_result_value(self, value: Any, dialect: Dialect) -> list[str]:
        return str(value or "").split()


class JSONText(TypeDecorator[dict[str, Any]]):
    """A JSON object stored as text, the same in every engine."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: dict[str, Any] | None, dialect: Dialect) -> str:
        return json.dumps(value or {}, ensure_ascii=False)

    def process_result_value(self, value: Any, dialect: Dialect) -> dict[str, Any]:
        return json.loads(value) if value else {}


class Series(SQLModel, table=True):
    """A series of check-ins: its rule (the time language's canonical words, e.g. "weekday
    10:00"), read in `zone`; slot `first_slot` falls at `start_at` and the rule counts on
    from there (a changed rule starts a new count). `until_at` bounds it; `ended_at` says a
    person ended it."""

    __tablename__ = "series"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: int | None = Field(default=None, sa_column=Column(Integer, primary_key=True))
    uuid: str = Field(sa_column=Column(String, nullable=False, unique=True))
    rule: str = Field(sa_column=Column(String, nullable=False))
    zone: str = Field(sa_column=Column(String, nullable=False))
    start_at: datetime = Field(sa_column=Column(EpochSeconds, nullable=False))
    first_slot: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    until_at: datetime | None = Field(default=None, sa_column=Column(EpochSeconds))
    after_done: int = Field(default=0, sa_column=Column(SmallInteger, nullable=False))
    created_at: datetime = Field(sa_column=Column(EpochSeconds, nullable=False))
    ended_at: datetime | None = Field(default=None, sa_column=Column(EpochSeconds))
    # Whether its check-ins tell the customer without --tell (1: `pk add --every --tell`);
    # NULL in series from before, which tell only when asked, as single promises do.
    tell: int | None = Field(default=None, sa_column=Column(SmallInteger))


# Never two open check-ins of one series, whatever runs at once: the schema says so. Single
# promises (no series) are left out of the index, so logging one costs it nothing.
OPEN_CHECK_IN = "state = 'open' AND series_id IS NOT NULL"


class Promise(SQLModel, table=True):
    __tablename__ = "promise"
    __table_args__ = (
        CheckConstraint("state IN ('open', 'kept', 'released')", name="ck_promise_state"),
        Index("ix_promise_open_due", "state", "due_at"),
        Index("ix_promise_owner_due", "owner", "state", "due_at"),
        Index("ux_promise_series_open", "series_id", unique=True,
              sqlite_where=text(OPEN_CHECK_IN), postgresql_where=text(OPEN_CHECK_IN)),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, sa_column=Column(Integer, primary_key=True))
    uuid: str = Field(sa_column=Column(String, nullable=False, unique=True))
    what: str = Field(sa_column=Column(String, nullable=False))
    who: str | None = Field(default=None, sa_column=Column(String))
    contact: str | None = Field(default=None, sa_column=Column(String))
    via: str | None = Field(default=None, sa_column=Column(String))
    ref: str | None = Field(default=None, sa_column=Column(String))
    tags: list[str] = Field(default_factory=list, sa_column=Column(Words, nullable=False))
    owner: str | None = Field(default=None, sa_column=Column(String))
    created_at: datetime = Field(sa_column=Column(EpochSeconds, nullable=False))
    due_at: datetime = Field(sa_column=Column(EpochSeconds, nullable=False))
    original_due_at: datetime = Field(sa_column=Column(EpochSeconds, nullable=False))
    due_tz: str | None = Field(default=None, sa_column=Column(String))
    state: str = Field(default=State.OPEN, sa_column=Column(String, nullable=False))
    closed_at: datetime | None = Field(default=None, sa_column=Column(EpochSeconds))
    who_key: str = Field(default="", sa_column=Column(String, nullable=False))
    ref_key: str = Field(default="", sa_column=Column(String, nullable=False))
    search_key: str = Field(default="", sa_column=Column(String, nullable=False))
    series_id: int | None = Field(default=None, sa_column=Column(Integer, ForeignKey("series.id")))
    series_slot: int | None = Field(default=None, sa_column=Column(Integer))
    contact2: str | None = Field(default=None, sa_column=Column(String))
    language: str | None = Field(default=None, sa_column=Column(String))

    def row(self) -> PromiseRow:
        """The promise as the read half hands it out, for showing after the commit."""
        assert self.id is not None
        return PromiseRow(
            id=self.id, uuid=self.uuid, what=self.what, who=self.who, contact=self.contact,
            via=self.via, ref=self.ref, tags=tuple(self.tags), owner=self.owner,
            created_at=self.created_at, due_at=self.due_at, original_due_at=self.original_due_at,
            due_tz=self.due_tz, state=State(self.state), closed_at=self.closed_at,
            contact2=self.contact2, language=self.language,
        )


class PromiseTag(SQLModel, table=True):
    __tablename__ = "promise_tag"
    __table_args__ = (Index("ix_promise_tag_promise", "promise_id"),)

    tag: str = Field(sa_column=Column(String, primary_key=True, nullable=False))
    promise_id: int = Field(
        sa_column=Column(Integer, ForeignKey("promise.id"), primary_key=True, nullable=False)
    )


class Event(SQLModel, table=True):
    __tablename__ = "event"
    __table_args__ = (
        Index("ix_event_promise", "promise_id", "id"),
        Index("ix_event_undoes", "undoes"),
        Index("ix_event_kind", "kind", "promise_id"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, sa_column=Column(Integer, primary_key=True))
    promise_id: int = Field(sa_column=Column(Integer, ForeignKey("promise.id"), nullable=False))
    at: datetime = Field(sa_column=Column(EpochSeconds, nullable=False))
    kind: str = Field(sa_column=Column(String, nullable=False))
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONText, nullable=False))
    undoes: int | None = Field(default=None, sa_column=Column(Integer, ForeignKey("event.id")))
    imported: int = Field(default=0, sa_column=Column(SmallInteger, nullable=False))
    stage: str | None = Field(default=None, sa_column=Column(String))
    due_at: datetime | None = Field(default=None, sa_column=Column(EpochSeconds))
    text_key: str | None = Field(default=None, sa_column=Column(String))
    owner: str | None = Field(default=None, sa_column=Column(String))
    team: int = Field(default=0, sa_column=Column(SmallInteger, nullable=False))
    author: str | None = Field(default=None, sa_column=Column(String))

    def row(self) -> EventRow:
        assert self.id is not None
        return EventRow(
            id=self.id, promise_id=self.promise_id, at=self.at, kind=Kind(self.kind),
            data=dict(self.data), undoes=self.undoes, imported=bool(self.imported), author=self.author,
        )


class Notice(SQLModel, table=True):
    """A message to the customer about a change: written with the change, sent after it."""

    __tablename__ = "notice"
    __table_args__ = (
        Index("ix_notice_state_owner", "state", "owner"),
        Index("ix_notice_promise", "promise_id", "id"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, sa_column=Column(Integer, primary_key=True))
    uuid: str = Field(sa_column=Column(String, nullable=False, unique=True))
    promise_id: int = Field(sa_column=Column(Integer, ForeignKey("promise.id"), nullable=False))
    event_id: int | None = Field(default=None, sa_column=Column(Integer, ForeignKey("event.id")))
    owner: str | None = Field(default=None, sa_column=Column(String))
    kind: str = Field(sa_column=Column(String, nullable=False))
    language: str = Field(sa_column=Column(String, nullable=False))
    subject: str = Field(sa_column=Column(String, nullable=False))
    body: str = Field(sa_column=Column(Text, nullable=False))
    refs: str = Field(default="", sa_column=Column(String, nullable=False))  # earlier Message-IDs
    state: str = Field(sa_column=Column(String, nullable=False))
    created_at: datetime = Field(sa_column=Column(EpochSeconds, nullable=False))
    claimed_at: datetime | None = Field(default=None, sa_column=Column(EpochSeconds))
    sent_at: datetime | None = Field(default=None, sa_column=Column(EpochSeconds))
    attempts: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    recipient: str | None = Field(default=None, sa_column=Column(String))
    answer: str | None = Field(default=None, sa_column=Column(String))


IMPORTED = "imported"  # the key that marks an imported event in its JSON too, as exported


def new_event(
    *, promise_id: int, at: datetime, payload: events.Payload, undoes: int | None = None,
    imported: bool = False, author: str | None = None,
) -> Event:
    """A journal entry for a payload: its JSON, and the columns queries read."""
    columns = payload.columns()
    data = payload.encode() | ({IMPORTED: True} if imported else {})
    return Event(
        promise_id=promise_id, at=at, kind=str(payload.kind), data=data, undoes=undoes,
        imported=int(imported), stage=columns.stage, due_at=columns.due_at, text_key=columns.text_key,
        owner=columns.owner, team=int(columns.team), author=author,
    )


# -- keeping the derived columns right --------------------------------------------------------


@event.listens_for(Promise, "before_insert")
@event.listens_for(Promise, "before_update")
def _fill_keys(_mapper: Any, _connection: Any, promise: Promise) -> None:
    keys = promise_keys(
        what=promise.what, who=promise.who, contact=promise.contact, via=promise.via,
        ref=promise.ref, tags=promise.tags,
    )
    promise.who_key, promise.ref_key, promise.search_key = keys.who, keys.ref, keys.search


@event.listens_for(Promise, "after_insert")
def _insert_tags(_mapper: Any, connection: Any, promise: Promise) -> None:
    _write_tags(connection, promise)


@event.listens_for(Promise, "after_update")
def _update_tags(_mapper: Any, connection: Any, promise: Promise) -> None:
    if inspect(promise).attrs.tags.history.has_changes():
        connection.execute(delete(PromiseTag).where(PromiseTag.promise_id == promise.id))  # type: ignore[arg-type]
        _write_tags(connection, promise)


def _write_tags(connection: Any, promise: Promise) -> None:
    rows = [{"tag": tag, "promise_id": promise.id} for tag in dict.fromkeys(promise.tags)]
    if rows:
        connection.execute(insert(PromiseTag), rows)


class PushDelivery(SQLModel, table=True):
    """One reminder on its way to one push URL (named by `secrets.url_key`, never the URL):
    waiting, sending (claimed by a run), sent, failed (retried by the next run) or dropped."""

    __tablename__ = "push_delivery"
    __table_args__ = (
        Index("ux_push_delivery_event_url", "event_id", "url_key", unique=True),
        Index("ix_push_delivery_url_state", "url_key", "state"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, sa_column=Column(Integer, primary_key=True))
    event_id: int = Field(sa_column=Column(Integer, ForeignKey("event.id"), nullable=False))
    url_key: str = Field(sa_column=Column(String, nullable=False))
    state: str = Field(sa_column=Column(String, nullable=False))
    tries: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    changed_at: datetime = Field(sa_column=Column(EpochSeconds, nullable=False))
    reason: str | None = Field(default=None, sa_column=Column(String))


class SyncMark(SQLModel, table=True):
    """What a calendar (a CalDAV list or a vdir, named by a key that reveals nothing) last
    received of a promise: a digest of its VTODO, so a later sync sends only changes."""

    __tablename__ = "sync_mark"

    target: str = Field(sa_column=Column(String, primary_key=True, nullable=False))
    promise_uuid: str = Field(sa_column=Column(String, primary_key=True, nullable=False))
    digest: str = Field(sa_column=Column(String, nullable=False))
    synced_at: datetime = Field(sa_column=Column(EpochSeconds, nullable=False))
