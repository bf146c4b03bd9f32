"""Schema history: small named steps, applied in order, each recorded, never edited once shipped.

A database records the steps it has had in `schema_migrations` (and their count in SQLite's
`user_version`), so a newer promisekeeper upgrades an older file in place and an older one
refuses a newer file instead of misreading it. Importing this module is cheap (each step
imports what it needs), so the read half can tell whether a database is current without
loading SQLAlchemy; only an upgrade does.
"""

from __future__ import annotations

from collections.abc import Callable

from promisekeeper.errors import StorageError

# The prompt imports this module to compare schema versions: typing would cost it ~3 ms.
# Type checkers treat a TYPE_CHECKING constant as true whatever its value.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from sqlalchemy import Connection


def m0001_promises_and_journal(conn: Connection) -> None:
    """The promise table and its append-only event journal (as first shipped)."""
    from sqlalchemy import (
        JSON,
        CheckConstraint,
        Column,
        DateTime,
        ForeignKey,
        Index,
        Integer,
        MetaData,
        String,
        Table,
    )

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
    from sqlalchemy import text

    conn.execute(text("ALTER TABLE event ADD COLUMN undoes INTEGER REFERENCES event (id)"))
    conn.execute(text("CREATE INDEX ix_event_undoes ON event (undoes)"))


def m0003_plain_columns(conn: Connection) -> None:
    """One layout both engines read with the same SQL.

    Moments become whole epoch seconds (BIGINT), tags plain text ("vpn billing") with a
    `promise_tag` table to filter and group on, numbers are never reused (AUTOINCREMENT),
    and what queries filter on moves out of the JSON into columns: folded keys for
    matching names and words, and each event's deadline, reminder stage, note words and
    whether it was imported. Existing rows are converted in place.
    """
    if conn.dialect.name == "sqlite":
        _rebuild_sqlite_3(conn)
    else:
        _alter_postgres_3(conn)
    _derive_promise_columns(conn)
    _derive_event_columns(conn)


def _layout_3() -> Any:
    """The tables as m0003 leaves them (frozen here: later steps change them, not this)."""
    from sqlalchemy import (
        BigInteger,
        CheckConstraint,
        Column,
        ForeignKey,
        Index,
        Integer,
        MetaData,
        PrimaryKeyConstraint,
        SmallInteger,
        String,
        Table,
        Text,
    )

    meta = MetaData()
    Table(
        "promise", meta,
        Column("id", Integer, primary_key=True),
        Column("uuid", String, nullable=False, unique=True),
        Column("what", String, nullable=False),
        *(Column(name, String) for name in ("who", "contact", "via", "ref")),
        Column("tags", String, nullable=False),
        Column("owner", String),
        *(Column(name, BigInteger, nullable=False) for name in ("created_at", "due_at", "original_due_at")),
        Column("due_tz", String),
        Column("state", String, nullable=False),
        Column("closed_at", BigInteger),
        *(Column(name, String, nullable=False) for name in ("who_key", "ref_key", "search_key")),
        CheckConstraint("state IN ('open', 'kept', 'released')", name="ck_promise_state"),
        Index("ix_promise_open_due", "state", "due_at"),
        Index("ix_promise_owner_due", "owner", "state", "due_at"),
        sqlite_autoincrement=True,
    )
    Table(
        "promise_tag", meta,
        Column("tag", String, nullable=False),
        Column("promise_id", Integer, ForeignKey("promise.id"), nullable=False),
        PrimaryKeyConstraint("tag", "promise_id", name="pk_promise_tag"),
        Index("ix_promise_tag_promise", "promise_id"),
    )
    Table(
        "event", meta,
        Column("id", Integer, primary_key=True),
        Column("promise_id", Integer, ForeignKey("promise.id"), nullable=False),
        Column("at", BigInteger, nullable=False),
        Column("kind", String, nullable=False),
        Column("data", Text, nullable=False),
        Column("undoes", Integer, ForeignKey("event.id")),
        Column("imported", SmallInteger, nullable=False),
        Column("stage", String),
        Column("due_at", BigInteger),
        Column("text_key", String),
        Index("ix_event_promise", "promise_id", "id"),
        Index("ix_event_undoes", "undoes"),
        Index("ix_event_kind", "kind", "promise_id"),
        sqlite_autoincrement=True,
    )
    return meta


_EPOCH = "CAST(strftime('%s', {0}) AS INTEGER)"  # SQLite's stored text is naive UTC


def _rebuild_sqlite_3(conn: Connection) -> None:
    """SQLite cannot change a column's type: the tables are made anew and the rows copied."""
    conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    for index in ("ix_promise_open_due", "ix_event_promise", "ix_event_undoes"):
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {index}")
    conn.exec_driver_sql("ALTER TABLE event RENAME TO event_2")
    conn.exec_driver_sql("ALTER TABLE promise RENAME TO promise_2")
    _layout_3().create_all(conn)
    when = {name: _EPOCH.format(name) for name in ("created_at", "due_at", "original_due_at", "closed_at", "at")}
    conn.exec_driver_sql(
        "INSERT INTO promise (id, uuid, what, who, contact, via, ref, tags, owner, created_at, due_at,"
        " original_due_at, due_tz, state, closed_at, who_key, ref_key, search_key)"
        " SELECT id, uuid, what, who, contact, via, ref, tags, owner,"
        f" {when['created_at']}, {when['due_at']}, {when['original_due_at']}, due_tz, state,"
        f" {when['closed_at']}, '', '', '' FROM promise_2"
    )
    conn.exec_driver_sql(
        "INSERT INTO event (id, promise_id, at, kind, data, undoes, imported)"
        f" SELECT id, promise_id, {when['at']}, kind, data, undoes, 0 FROM event_2"
    )
    conn.exec_driver_sql("DROP TABLE event_2")
    conn.exec_driver_sql("DROP TABLE promise_2")


def _alter_postgres_3(conn: Connection) -> None:
    """PostgreSQL changes the columns in place; the new table and columns are added."""
    epoch = "TYPE BIGINT USING floor(extract(epoch FROM {0}))::bigint"
    for table, columns in (("promise", ("created_at", "due_at", "original_due_at", "closed_at")), ("event", ("at",))):
        for column in columns:
            conn.exec_driver_sql(f"ALTER TABLE {table} ALTER COLUMN {column} {epoch.format(column)}")
    conn.exec_driver_sql("ALTER TABLE promise ALTER COLUMN tags TYPE VARCHAR USING tags::text")
    conn.exec_driver_sql("ALTER TABLE event ALTER COLUMN data TYPE TEXT USING data::text")
    for column in ("who_key", "ref_key", "search_key"):
        conn.exec_driver_sql(f"ALTER TABLE promise ADD COLUMN {column} VARCHAR NOT NULL DEFAULT ''")
        conn.exec_driver_sql(f"ALTER TABLE promise ALTER COLUMN {column} DROP DEFAULT")
    conn.exec_driver_sql("ALTER TABLE event ADD COLUMN imported SMALLINT NOT NULL DEFAULT 0")
    conn.exec_driver_sql("ALTER TABLE event ALTER COLUMN imported DROP DEFAULT")
    for column, kind in (("stage", "VARCHAR"), ("due_at", "BIGINT"), ("text_key", "VARCHAR")):
        conn.exec_driver_sql(f"ALTER TABLE event ADD COLUMN {column} {kind}")
    layout = _layout_3()
    layout.tables["promise_tag"].create(conn)
    for name in ("ix_promise_owner_due", "ix_event_kind"):
        table = "promise" if name.startswith("ix_promise") else "event"
        next(index for index in layout.tables[table].indexes if index.name == name).create(conn)


_BATCH = 5000


def _batches(conn: Connection, sql: str) -> Any:
    """Rows of `sql` (id first, `id > ?`, ordered by id) a batch at a time."""
    statement = sql.format(limit=_BATCH)
    if conn.dialect.name != "sqlite":
        statement = statement.replace("?", "%s")
    after = 0
    while rows := conn.exec_driver_sql(statement, (after,)).all():
        yield rows
        after = rows[-1][0]


def _derive_promise_columns(conn: Connection) -> None:
    """Tags become words, matching keys are filled, and each tag gets its promise_tag row."""
    import json

    from promisekeeper.db.keys import promise_keys

    placeholder = "?" if conn.dialect.name == "sqlite" else "%s"
    select = "SELECT id, what, who, contact, via, ref, tags FROM promise WHERE id > ? ORDER BY id LIMIT {limit}"
    update = (f"UPDATE promise SET tags = {placeholder}, who_key = {placeholder}, ref_key = {placeholder}, search_key = {placeholder} WHERE id = {placeholder}"
              )
    insert = f"INSERT INTO promise_tag (tag, promise_id) VALUES ({placeholder}, {placeholder})"
    for rows in _batches(conn, select):
        updates, tags = [], []
        for ident, what, who, contact, via, ref, stored in rows:
            words = json.loads(stored) if stored.startswith("[") else stored.split()
            keys = promise_keys(what=what, who=who, contact=contact, via=via, ref=ref, tags=words)
            updates.append((" ".join(words), keys.who, keys.ref, keys.search, ident))
            tags += [(tag, ident) for tag in dict.fromkeys(words)]
        conn.exec_driver_sql(update, updates)
        if tags:
            conn.exec_driver_sql(insert, tags)


def _derive_event_columns(conn: Connection) -> None:
    """Each event's deadline, stage, note words and import mark, read from its JSON once."""
    placeholder = "?" if conn.dialect.name == "sqlite" else "%s"
    select = "SELECT id, kind, data FROM event WHERE id > ? ORDER BY id LIMIT {limit}"
    update = (f"UPDATE event SET imported = {placeholder}, stage = {placeholder}, due_at = {placeholder}, text_key = {placeholder} WHERE id = {placeholder}"
              )
    for rows in _batches(conn, select):
        conn.exec_driver_sql(update, [_event_columns(*row) for row in rows])


def _event_columns(ident: int, kind: str, stored: str) -> tuple[Any, ...]:
    import json

    from promisekeeper import events

    data = json.loads(stored)
    imported = 1 if isinstance(data, dict) and data.get("imported") is True else 0
    try:
        columns = events.decode(kind, data).columns()
    except ValueError:
        columns = events.Columns()  # an old import may hold anything: keep it, derive nothing
    due = int(columns.due_at.timestamp()) if columns.due_at is not None else None
    return imported, columns.stage, due, columns.text_key, ident


def m0004_owners_in_the_journal(conn: Connection) -> None:
    """Who an event concerns, in columns: `owner` (who had the promise before it changed
    hands; whose own reminder a reminder was) and `team` (a reminder for the team, the
    lead's digest). Filled from the JSON of the events that say so: hand-offs, edits of the
    owner, and reminders (older reminders name nobody: they count for whoever owns it)."""
    conn.exec_driver_sql("ALTER TABLE event ADD COLUMN owner VARCHAR")
    conn.exec_driver_sql("ALTER TABLE event ADD COLUMN team SMALLINT NOT NULL DEFAULT 0")
    if conn.dialect.name != "sqlite":
        conn.exec_driver_sql("ALTER TABLE event ALTER COLUMN team DROP DEFAULT")
    placeholder = "?" if conn.dialect.name == "sqlite" else "%s"
    select = ("SELECT id, kind, data FROM event WHERE id > ? AND kind IN ('handed_off', 'edited', 'reminded')"
              " ORDER BY id LIMIT {limit}")
    update = f"UPDATE event SET owner = {placeholder}, team = {placeholder} WHERE id = {placeholder}"
    for rows in _batches(conn, select):
        changed = [row for row in (_owner_columns(*row) for row in rows) if row[0] is not None or row[1]]
        if changed:
            conn.exec_driver_sql(update, changed)


def _owner_columns(ident: int, kind: str, stored: str) -> tuple[Any, ...]:
    import json

    from promisekeeper import events

    try:
        columns = events.decode(kind, json.loads(stored)).columns()
    except ValueError:
        columns = events.Columns()  # an old import may hold anything: keep it, derive nothing
    return columns.owner, int(columns.team), ident


def m0005_authors_in_the_journal(conn: Connection) -> None:
    """Who recorded each change (`author`: the owner pk acted as), so that `pk undo` takes
    back the caller's own last change on a shared database. Events recorded before are left
    without an author: who made them is not known, and guessing would let one person undo
    another's work."""
    conn.exec_driver_sql("ALTER TABLE event ADD COLUMN author VARCHAR")


def m0006_search_fields_apart(conn: Connection) -> None:
    """`search_key` separates its fields with a character no text holds (the unit separator,
    which every way in refuses) instead of " | ", which `pk search '|'` found in every promise."""
    from promisekeeper.db.keys import promise_keys

    placeholder = "?" if conn.dialect.name == "sqlite" else "%s"
    select = "SELECT id, what, who, contact, via, ref, tags FROM promise WHERE id > ? ORDER BY id LIMIT {limit}"
    update = f"UPDATE promise SET search_key = {placeholder} WHERE id = {placeholder}"
    for rows in _batches(conn, select):
        conn.exec_driver_sql(update, [
            (promise_keys(what=what, who=who, contact=contact, via=via, ref=ref, tags=tags.split()).search, ident)
            for ident, what, who, contact, via, ref, tags in rows
        ])


def m0007_customer_notices(conn: Connection) -> None:
    """Telling the customer: on promises the customer's language and a second contact (a
    phone and an email), and the outbox of notices, each written in the transaction of the
    change it reports and marked once a server has accepted it."""
    from sqlalchemy import (
        BigInteger,
        Column,
        ForeignKey,
        Index,
        Integer,
        MetaData,
        String,
        Table,
        Text,
    )

    conn.exec_driver_sql("ALTER TABLE promise ADD COLUMN contact2 VARCHAR")
    conn.exec_driver_sql("ALTER TABLE promise ADD COLUMN language VARCHAR")
    meta = MetaData()
    Table("promise", meta, Column("id", Integer, primary_key=True))
    Table("event", meta, Column("id", Integer, primary_key=True))
    Table(
        "notice",
        meta,
        Column("id", Integer, primary_key=True),
        Column("uuid", String, nullable=False, unique=True),
        Column("promise_id", Integer, ForeignKey("promise.id"), nullable=False),
        Column("event_id", Integer, ForeignKey("event.id")),
        Column("owner", String),
        Column("kind", String, nullable=False),
        Column("language", String, nullable=False),
        Column("subject", String, nullable=False),
        Column("body", Text, nullable=False),
        Column("refs", String, nullable=False),
        Column("state", String, nullable=False),
        Column("created_at", BigInteger, nullable=False),
        Column("claimed_at", BigInteger),
        Column("sent_at", BigInteger),
        Column("attempts", Integer, nullable=False),
        Column("recipient", String),
        Column("answer", String),
        Index("ix_notice_state_owner", "state", "owner"),
        Index("ix_notice_promise", "promise_id", "id"),
        sqlite_autoincrement=True,
    )
    meta.tables["notice"].create(conn)


def m0008_series_of_check_ins(conn: Connection) -> None:
    """Series of check-ins: the `series` table, each check-in's series and slot on its
    promise, and the rule that a series never has two open check-ins, as a partial unique
    index (SQLite and PostgreSQL both have them). Existing promises are in no series."""
    autoincrement = "INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT" if conn.dialect.name == "sqlite" else "SERIAL PRIMARY KEY"
    conn.exec_driver_sql(f"""
        CREATE TABLE series (
            id {autoincrement},
            uuid VARCHAR NOT NULL UNIQUE,
            rule VARCHAR NOT NULL,
            zone VARCHAR NOT NULL,
            start_at BIGINT NOT NULL,
            first_slot INTEGER NOT NULL,
            until_at BIGINT,
            after_done SMALLINT NOT NULL,
            created_at BIGINT NOT NULL,
            ended_at BIGINT
        )""")
    conn.exec_driver_sql("ALTER TABLE promise ADD COLUMN series_id INTEGER REFERENCES series (id)")
    conn.exec_driver_sql("ALTER TABLE promise ADD COLUMN series_slot INTEGER")
    conn.exec_driver_sql(
        "CREATE UNIQUE INDEX ux_promise_series_open ON promise (series_id)"
        " WHERE state = 'open' AND series_id IS NOT NULL")


def m0009_push_and_calendar(conn: Connection) -> None:
    """Push deliveries, one row per reminder and push URL (by the URL's key, never the URL),
    and sync marks, one row per calendar and promise (what it last received)."""
    from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, MetaData, String, Table

    meta = MetaData()
    Table(
        "push_delivery",
        meta,
        Column("id", Integer, primary_key=True),
        Column("event_id", Integer, ForeignKey("event.id"), nullable=False),
        Column("url_key", String, nullable=False),
        Column("state", String, nullable=False),
        Column("tries", Integer, nullable=False),
        Column("changed_at", BigInteger, nullable=False),
        Column("reason", String),
        Index("ux_push_delivery_event_url", "event_id", "url_key", unique=True),
        Index("ix_push_delivery_url_state", "url_key", "state"),
        sqlite_autoincrement=True,
    )
    Table(
        "sync_mark",
        meta,
        Column("target", String, primary_key=True, nullable=False),
        Column("promise_uuid", String, primary_key=True, nullable=False),
        Column("digest", String, nullable=False),
        Column("synced_at", BigInteger, nullable=False),
    )
    Table("event", meta, Column("id", Integer, primary_key=True))  # referred to, not created
    meta.create_all(conn, tables=[meta.tables["push_delivery"], meta.tables["sync_mark"]])


def m0010_series_tell(conn: Connection) -> None:
    """Whether a series tells the customer about each check-in without --tell being given
    again (`pk add --every --tell`). Existing series keep telling only when asked."""
    conn.exec_driver_sql("ALTER TABLE series ADD COLUMN tell SMALLINT")


Step = Callable[["Connection"], None]

MIGRATIONS: list[Step] = [
    m0001_promises_and_journal,
    m0002_undo_links,
    m0003_plain_columns,
    m0004_owners_in_the_journal,
    m0005_authors_in_the_journal,
    m0006_search_fields_apart,
    m0007_customer_notices,
    m0008_series_of_check_ins,
    m0009_push_and_calendar,
    m0010_series_tell,
]

SCHEMA_VERSION = len(MIGRATIONS)
KNOWN = frozenset(step.__name__ for step in MIGRATIONS)

_LEDGER_TABLE = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    name VARCHAR PRIMARY KEY,
    applied_at VARCHAR NOT NULL DEFAULT (CURRENT_TIMESTAMP)
)
"""


def newer_schema(count: int) -> StorageError:
    from promisekeeper.lang.i18n import _

    return StorageError(_(
        "this database was written by a newer promisekeeper (schema {count}, "
        "this version knows {known}); upgrade pk to use it"
    ).format(count=count, known=SCHEMA_VERSION))


def applied(conn: Connection) -> list[str]:
    """The names of the steps this database has had, or [] for a blank one."""
    from sqlalchemy import text

    if not conn.dialect.has_table(conn, "schema_migrations"):
        return []
    return list(conn.execute(text("SELECT name FROM schema_migrations")).scalars())


def pending(conn: Connection) -> list[Step]:
    """The steps this database still needs; a newer one (by its steps or, in SQLite, by its
    header's user_version) is refused, so no writer ever touches it."""
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        recorded_version(cursor, conn.dialect.name)
    finally:
        cursor.close()
    done = set(applied(conn))
    if done - KNOWN:
        raise newer_schema(len(done))
    return [step for step in MIGRATIONS if step.__name__ not in done]


def upgrade(conn: Connection, steps: list[Step] | None = None) -> list[str]:
    """Apply the pending steps (or the given ones) inside the caller's transaction."""
    from sqlalchemy import text

    conn.execute(text(_LEDGER_TABLE))
    todo = pending(conn) if steps is None else steps
    for step in todo:
        step(conn)
        conn.execute(text("INSERT INTO schema_migrations (name) VALUES (:name)"), {"name": step.__name__})
    if conn.dialect.name == "sqlite":
        conn.execute(text(f"PRAGMA user_version = {len(applied(conn)):d}"))
    return [step.__name__ for step in todo]


def recorded_version(cursor: Any, engine: str) -> int | None:
    """How many steps a database says it has had, read cheaply over DB-API; None when it
    has no schema yet. Refuses one that names a step this version does not know, or whose
    SQLite header (user_version) claims more steps than it records."""
    if engine == "sqlite":
        header = int(cursor.execute("PRAGMA user_version").fetchone()[0])
        if header > SCHEMA_VERSION:
            raise newer_schema(header)
        if not header:
            return None
        cursor.execute("SELECT name FROM schema_migrations")
    else:
        # pg_tables lists a table whatever the role's rights on it (information_schema only
        # those it has some right on): a member without the grants is told so, not "no database".
        cursor.execute(
            "SELECT count(*) FROM pg_catalog.pg_tables WHERE tablename = 'schema_migrations'"
            " AND schemaname = current_schema()"
        )
        if not cursor.fetchone()[0]:
            return None
        cursor.execute("SELECT name FROM schema_migrations")
    names = {row[0] for row in cursor.fetchall()}
    if names - KNOWN:
        raise newer_schema(len(names))
    return len(names)
