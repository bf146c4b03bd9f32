"""Schema history: small named steps, applied in order, each recorded, never edited once shipped.

A database records the steps it has had in `schema_migrations` (and their count in SQLite's
`user_version`), so a newer promisekeeper upgrades an older file in place and an older one
refuses a newer file instead of misreading it.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Connection,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    text,
)

from promisekeeper.errors import StorageError


def m0001_promises_and_journal(conn: Connection) -> None:
    """The promise table and its append-only event journal (as first shipped)."""
    meta = MetaData()
    Table(
        "promise",
        meta,
        Column("id", Integer, primary_key=True),
        Column("uuid", String, nullable=False, unique=True),
        Column("what", String, nullable=False),
        Column("who", String),
        Column("contact", String),
        Column("via", String),
        Column("ref", String),
        Column("tags", JSON, nullable=False),
        Column("owner", String),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("due_at", DateTime(timezone=True), nullable=False),
        Column("original_due_at", DateTime(timezone=True), nullable=False),
        Column("due_tz", String),
        Column("state", String, nullable=False),
        Column("closed_at", DateTime(timezone=True)),
        CheckConstraint("state IN ('open', 'kept', 'released')", name="ck_promise_state"),
        Index("ix_promise_open_due", "state", "due_at"),
    )
    Table(
        "event",
        meta,
        Column("id", Integer, primary_key=True),
        Column("promise_id", Integer, ForeignKey("promise.id"), nullable=False),
        Column("at", DateTime(timezone=True), nullable=False),
        Column("kind", String, nullable=False),
        Column("data", JSON, nullable=False),
        Index("ix_event_promise", "promise_id", "id"),
    )
    meta.create_all(conn)


def m0002_undo_links(conn: Connection) -> None:
    """Let an `undone` event point at the event it compensates."""
    conn.execute(text("ALTER TABLE event ADD COLUMN undoes INTEGER REFERENCES event (id)"))
    conn.execute(text("CREATE INDEX ix_event_undoes ON event (undoes)"))


MIGRATIONS: list[Callable[[Connection], None]] = [
    m0001_promises_and_journal,
    m0002_undo_links,
]

SCHEMA_VERSION = len(MIGRATIONS)

_LEDGER_TABLE = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    name VARCHAR PRIMARY KEY,
    applied_at VARCHAR NOT NULL DEFAULT (CURRENT_TIMESTAMP)
)
"""


def applied(conn: Connection) -> list[str]:
    """The names of the steps this database has had, or [] for a blank one."""
    if not conn.dialect.has_table(conn, "schema_migrations"):
        return []
    return list(conn.execute(text("SELECT name FROM schema_migrations")).scalars())


def pending(conn: Connection) -> list[Callable[[Connection], None]]:
    done = set(applied(conn))
    unknown = done - {step.__name__ for step in MIGRATIONS}
    if unknown:
        raise StorageError(
            f"this database was written by a newer promisekeeper (schema {len(done)}, "
            f"this version knows {SCHEMA_VERSION}); upgrade pk to use it"
        )
    return [step for step in MIGRATIONS if step.__name__ not in done]


def upgrade(conn: Connection, steps: list[Callable[[Connection], None]] | None = None) -> list[str]:
    """Apply the pending steps (or the given ones) inside the caller's transaction."""
    conn.execute(text(_LEDGER_TABLE))
    todo = pending(conn) if steps is None else steps
    for step in todo:
        step(conn)
        conn.execute(text("INSERT INTO schema_migrations (name) VALUES (:name)"), {"name": step.__name__})
    if conn.dialect.name == "sqlite":
        count = len(applied(conn))
        conn.execute(text(f"PRAGMA user_version = {count:d}"))
    return [step.__name__ for step in todo]
