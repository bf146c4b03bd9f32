"""The two tables: promises, and the append-only journal of what happened to them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey, Index, Integer
from sqlmodel import Field, SQLModel

STATES = ("open", "kept", "released")

# Every kind of event the journal holds; `undone` compensates an earlier one.
EVENT_KINDS = (
    "created",
    "rescheduled",
    "kept",
    "released",
    "reopened",
    "edited",
    "noted",
    "attempted",
    "reminded",
    "undone",
)

# Fields `pk edit` may change: everything but the deadline, which is renegotiated.
EDITABLE = ("what", "who", "contact", "via", "ref", "tags", "owner")


class Promise(SQLModel, table=True):
    __tablename__ = "promise"
    __table_args__ = (
        Index("ix_promise_open_due", "state", "due_at"),
        CheckConstraint("state IN ('open', 'kept', 'released')", name="ck_promise_state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(unique=True)
    what: str
    who: str | None = None
    contact: str | None = None
    via: str | None = None
    ref: str | None = None
    tags: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    owner: str | None = None
    created_at: datetime
    due_at: datetime
    original_due_at: datetime
    due_tz: str | None = None
    state: str = "open"
    closed_at: datetime | None = None


class Event(SQLModel, table=True):
    __tablename__ = "event"
    __table_args__ = (
        Index("ix_event_promise", "promise_id", "id"),
        Index("ix_event_undoes", "undoes"),
    )

    id: int | None = Field(default=None, primary_key=True)
    promise_id: int = Field(
        sa_column=Column(Integer, ForeignKey("promise.id"), nullable=False)
    )
    at: datetime
    kind: str
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    undoes: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("event.id"), nullable=True)
    )
