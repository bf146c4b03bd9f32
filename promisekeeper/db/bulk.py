"""Storing many promises at once (`pk import`): staged first, then moved in one statement a table.

Everything that can be done before the write lock is: `prepare()` turns a promise and its
journal into plain rows (moments as epoch seconds, keys folded, payload JSON encoded), and
`Staging` writes them, a batch at a time, into a private scratch SQLite file (beside the
live database, or in the temporary folder for PostgreSQL). Memory stays flat however large
the file, and a uuid given twice is caught by the scratch file's own unique index.
Under the lock, `move()` numbers the promises that are new here and copies them with one
`INSERT … SELECT` per table (on PostgreSQL after a COPY into temporary tables), so the
lock is held for the copy alone.

The columns staged and copied are the models' own: a column added to `Promise` or `Event`
travels through here without a change (its value comes from `prepare`'s `fields`).
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from itertools import islice
from typing import TYPE_CHECKING, Any, NamedTuple

from promisekeeper import paths
from promisekeeper.db.files import PRIVATE
from promisekeeper.db.keys import promise_keys
from promisekeeper.db.models import IMPORTED, EpochSeconds, Event, Promise, Words
from promisekeeper.db.target import SQLITE
from promisekeeper.errors import BadInput, StorageError
from promisekeeper.when.clock import epoch

if TYPE_CHECKING:
    from promisekeeper.db.writing import Transaction
    from promisekeeper.events import Payload

# The stored columns an import carries, in the models' order; ids are given when moved.
PROMISE_FIELDS = tuple(column.name for column in Promise.__table__.columns if column.name != "id")  # type: ignore[attr-defined]
EVENT_FIELDS = tuple(column.name for column in Event.__table__.columns  # type: ignore[attr-defined]
                     if column.name not in ("id", "promise_id", "undoes"))


class NewEvent(NamedTuple):
    """A journal entry to store; `undoes` is the position of the entry it compensates."""

    at: datetime
    payload: Payload
    data: dict[str, Any]
    undoes: int | None = None


class Prepared(NamedTuple):
    """A promise ready to store: its row and its events' rows, without ids yet; a check-in
    names its series (by uuid) and its slot in it."""

    uuid: str
    row: tuple[Any, ...]  # PROMISE_FIELDS
    tags: tuple[str, ...]
    events: tuple[tuple[tuple[Any, ...], int | None], ...]  # EVENT_FIELDS, position undone
    series: tuple[str, int] | None = None  # (series uuid, slot) of a check-in


def prepare(
    *, fields: Mapping[str, Any], journal: Sequence[NewEvent], series: tuple[str, int] | None = None,
) -> Prepared:
    """`fields` holds the promise's stored fields by column name (uuid, what, tags, moments…)."""
    tags = tuple(dict.fromkeys(fields.get("tags") or ()))
    keys = promise_keys(what=fields["what"], who=fields.get("who"), contact=fields.get("contact"),
                        via=fields.get("via"), ref=fields.get("ref"), tags=tags)
    values = {**fields, "tags": tags, "who_key": keys.who, "ref_key": keys.ref, "search_key": keys.search}
    return Prepared(fields["uuid"], _stored(values, _PROMISE_STORING), tags,
                    tuple(_event_row(entry) for entry in journal), series)


def _storing(table: Any) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
    """The columns whose values are stored otherwise than as given, and how: from the
    model's column types (moments as epoch seconds, word lists as text)."""
    ways: dict[type, Callable[[Any], Any]] = {EpochSeconds: epoch, Words: " ".join}
    return tuple((column.name, ways[type(column.type)]) for column in table.columns if type(column.type) in ways)


_PROMISE_STORING = _storing(Promise.__table__), PROMISE_FIELDS  # type: ignore[attr-defined]
_EVENT_STORING = _storing(Event.__table__), EVENT_FIELDS  # type: ignore[attr-defined]


def _encoder() -> Callable[[Any], str]:
    """`json.dumps(value, ensure_ascii=False)`, as the models store a payload, made once.

    An import encodes some 300,000 payloads: the C encoder is kept rather than made anew
    for each (which `JSONEncoder.encode` does, and which took half its time)."""
    from json import encoder as c

    plain = json.JSONEncoder(ensure_ascii=False)
    make: Any = getattr(c, "c_make_encoder", None)  # the accelerator's, as JSONEncoder uses it
    if make is None:  # an interpreter without it
        return plain.encode
    try:
        encode = make(None, plain.default, c.encode_basestring, None, plain.key_separator,
                      plain.item_separator, False, False, True)
    except TypeError:  # a private helper: another interpreter may take other arguments
        return plain.encode
    return lambda value: "".join(encode(value, 0))


_ENCODE = _encoder()


def _stored(values: dict[str, Any], storing: tuple[tuple[tuple[str, Callable[[Any], Any]], ...], tuple[str, ...]]) -> tuple[Any, ...]:
    """The row in the columns' order (a column not given is NULL), each value as stored."""
    ways, names = storing
    for name, store in ways:
        value = values.get(name)
        if value is not None:
            values[name] = store(value)
    return tuple(map(values.get, names))


def _event_row(entry: NewEvent) -> tuple[tuple[Any, ...], int | None]:
    columns = entry.payload.columns()
    values = {
        "at": entry.at, "kind": str(entry.payload.kind), "imported": 1, "stage": columns.stage,
        "data": _ENCODE(entry.data | {IMPORTED: True}), "due_at": columns.due_at,
        "text_key": columns.text_key, "owner": columns.owner, "team": int(columns.team),
    }
    return _stored(values, _EVENT_STORING), entry.undoes


# -- staging ---------------------------------------------------------------------------------

BATCH = 2000  # promises a staging statement takes: enough to amortise it, little to hold


class Staging:
    """An import's rows in a private scratch SQLite file, numbered in the file's order."""

    def __init__(self, path: str, *, unique: bool = True) -> None:
        self.path = path
        self.promises = 0
        self.events = 0
        # Check-ins' (uuid, series uuid, slot): few, so held here and joined after the move.
        self.members: list[tuple[str, str, int]] = []
        self.connection = sqlite3.connect(path, isolation_level=None)
        # A scratch file: nothing to recover if the machine stops, so no journal, no syncs.
        for pragma in ("journal_mode = OFF", "synchronous = OFF", "temp_store = MEMORY"):
            self.connection.execute(f"PRAGMA {pragma}")
        for statement in _staging_tables(unique=unique):
            self.connection.execute(statement)
        self.connection.execute("BEGIN")

    def take(self, records: Iterable[Prepared], *, name: str) -> None:
        """Stage the records a batch at a time; BadInput names a uuid given twice."""
        iterator = iter(records)
        while batch := list(islice(iterator, BATCH)):
            first = self.promises + 1
            try:
                self.take_numbered(list(enumerate(batch, first)))
            except sqlite3.IntegrityError:
                twice = _twice(self.connection, batch, first, name)
                if twice is None:
                    raise
                raise twice from None

    def take_numbered(self, batch: list[tuple[int, Prepared]]) -> None:
        """Stage records already numbered (`seq`: the record's number in the file)."""
        promises = ((seq, len(record.events), *record.row) for seq, record in batch)
        tags = ((seq, tag) for seq, record in batch for tag in record.tags)
        events = [(seq, pos, undoes, *row) for seq, record in batch for pos, (row, undoes) in enumerate(record.events)]
        self.connection.executemany(_insert("import_promise", ("seq", "events", *PROMISE_FIELDS)), promises)
        self.connection.executemany(_insert("import_tag", ("seq", "tag")), tags)
        self.connection.executemany(_insert("import_event", ("seq", "pos", "undoes_pos", *EVENT_FIELDS)), events)
        self.promises += len(batch)
        self.events += len(events)
        self.members.extend((record.uuid, *record.series) for _seq, record in batch if record.series)

    def merge(self, paths: Sequence[str], *, name: str) -> tuple[int, BadInput] | None:
        """Fill this staging, empty and finished, with the rows of others (closed, made with
        `unique=False`); the counts are the caller's to set. When a uuid is given twice nothing
        is kept, and the refusal is returned with its record (the earliest second use)."""
        schemas = [f"part{index}" for index in range(len(paths))]
        for schema, path in zip(schemas, paths):
            self.connection.execute("ATTACH DATABASE ? AS " + schema, (path,))
        try:
            self.connection.execute("BEGIN")
            # Each part's rows are in file order: merged (not sorted) and appended, into a
            # table whose uuid index is built once at the end (a fifth quicker at a million
            # than inserting part after part into a live index of random uuids).
            self.connection.execute("DROP TABLE import_promise")
            self.connection.execute(_staging_tables(unique=False)[0])
            for table, order in (("import_promise", "seq"), ("import_event", "seq, pos")):
                parts = " UNION ALL ".join(f"SELECT * FROM {schema}.{table}" for schema in schemas)
                self.connection.execute(f"INSERT INTO {table} {parts} ORDER BY {order}")
            # The tags in the order they were staged, as one process stages them.
            tags = " UNION ALL ".join(f"SELECT seq, tag, rowid AS n FROM {schema}.import_tag" for schema in schemas)
            self.connection.execute(f"INSERT INTO import_tag (seq, tag) SELECT seq, tag FROM ({tags}) ORDER BY seq, n")
            try:
                self.connection.execute("CREATE UNIQUE INDEX import_promise_uuid ON import_promise (uuid)")
            except sqlite3.IntegrityError:
                twice = _first_twice(self.connection, name)
                self.connection.execute("ROLLBACK")
                return twice
            self.connection.execute("COMMIT")
        finally:
            for schema in schemas:
                self.connection.execute("DETACH DATABASE " + schema)
        return None

    def finish(self) -> None:
        self.connection.execute("COMMIT")

    def rows(self, table: str, columns: Sequence[str]) -> Iterator[tuple[Any, ...]]:
        return iter(self.connection.execute(f"SELECT {', '.join(columns)} FROM {table}"))

    def close(self) -> None:
        self.connection.close()


def _staging_tables(*, unique: bool = True) -> tuple[str, ...]:
    promise = ", ".join(f"{name} UNIQUE" if name == "uuid" and unique else name for name in PROMISE_FIELDS)
    return (
        f"CREATE TABLE import_promise (seq INTEGER PRIMARY KEY, events INTEGER NOT NULL, {promise})",
        "CREATE TABLE import_tag (seq INTEGER NOT NULL, tag TEXT NOT NULL)",
        (f"CREATE TABLE import_event (seq INTEGER NOT NULL, pos INTEGER NOT NULL, undoes_pos INTEGER,"
         f" {', '.join(EVENT_FIELDS)}, PRIMARY KEY (seq, pos)) WITHOUT ROWID"),
    )


def _insert(table: str, columns: Sequence[str]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


def _twice(connection: sqlite3.Connection, batch: list[Prepared], first: int, name: str) -> BadInput | None:
    """The first record of the batch whose uuid an earlier record of the file already has
    (the batch's records before it are staged: the failed statement stopped at it)."""
    for seq, record in enumerate(batch, first):
        earlier = connection.execute(
            "SELECT seq FROM import_promise WHERE uuid = ? AND seq < ?", (record.uuid, seq)).fetchone()
        if earlier is not None:
            return _given_twice(name, record.uuid, earlier[0], seq)
    return None


def _first_twice(connection: sqlite3.Connection, name: str) -> tuple[int, BadInput] | None:
    """The earliest second use of a uuid among the staged promises, with its first."""
    connection.execute("CREATE INDEX import_promise_by_uuid ON import_promise (uuid, seq)")
    found = connection.execute(
        "SELECT u.seq, u.uuid, (SELECT min(e.seq) FROM import_promise e WHERE e.uuid = u.uuid) AS earliest"
        " FROM import_promise u WHERE earliest < u.seq ORDER BY u.seq LIMIT 1").fetchone()
    if found is None:
        return None
    second, uuid, first = found
    return second, _given_twice(name, uuid, first, second)


def _given_twice(name: str, uuid: str, first: int, second: int) -> BadInput:
    from promisekeeper.lang.i18n import _

    return BadInput(_("{file}: uuid {uuid} is given to promise {first} and promise {second}").format(
        file=name, uuid=uuid, first=first, second=second))


def scratch_file(beside: str | None, tag: str = "") -> str:
    """A new private (0600) scratch file beside the database `beside`, or in the temporary
    folder; the caller removes it (`remove_scratch`)."""
    if beside is None:
        handle, path = tempfile.mkstemp(prefix="pk-import-", suffix=f"{tag}.db")
        os.close(handle)
        return path
    path = f"{beside}.import-{os.getpid()}{tag}"
    try:
        paths.ensure_private_dir(os.path.dirname(path))
        os.close(os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, PRIVATE))
    except OSError as error:
        from promisekeeper.lang.i18n import _

        raise StorageError(_("cannot write {path}: {reason}").format(path=path, reason=error.strerror)) from None
    return path


def remove_scratch(path: str) -> None:
    for suffix in ("", "-journal"):
        try:
            os.unlink(path + suffix)
        except FileNotFoundError:
            pass


@contextmanager
def staging(beside: str | None) -> Iterator[Staging]:
    """A private (0600) scratch file beside the database `beside`, or in the temporary
    folder; removed however the import ends."""
    path = scratch_file(beside)
    staged = None
    try:
        staged = Staging(path)
        yield staged
    finally:
        if staged is not None:
            staged.close()
        remove_scratch(path)


# -- moving in, under the write lock ---------------------------------------------------------

# An import that stores this many promises or more has the tables it filled vacuumed and
# analysed afterwards on PostgreSQL (`Writer.refresh_statistics`); autovacuum's own
# thresholds see to smaller ones soon enough.
REFRESH_AFTER = 1000
FILLED_TABLES = ("promise", "promise_tag", "event")

IMPORT_CACHE_KIB = 65536  # 64 MiB of page cache for this connection only; it closes with the transaction


def move(tx: Transaction, staged: Staging) -> tuple[int, int]:
    """Copy the staged promises whose uuid is new here, with their tags and journals, into
    the caller's transaction; returns (stored, already here).

    On SQLite the scratch file is attached to the transaction's connection as `stage`
    (`Writer.transaction(attach=…)`); on PostgreSQL it is copied into temporary tables.
    """
    reader = tx.reader
    cursor = reader.connection.cursor()
    try:
        if reader.engine == SQLITE:
            # Room for the indexes being filled (random uuids above all), so pages are not
            # written out and read back mid-insert.
            cursor.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
            source = "stage."
        else:
            _copy_to_postgres(cursor, staged)
            source = ""
        for statement in _numbering(reader.engine, source):
            cursor.execute(statement)
        cursor.execute(f"SELECT count(*), coalesce(sum(p.events), 0) FROM import_fresh f"
                       f" JOIN {source}import_promise p ON p.seq = f.seq")
        fresh, events = cursor.fetchone()
        promise_base = _reserve(reader, "promise", int(fresh))
        event_base = _reserve(reader, "event", int(events))
        for statement in _copies(source, promise_base, event_base):
            cursor.execute(statement)
        if reader.engine == SQLITE:
            cursor.execute("DROP TABLE temp.import_fresh")
    finally:
        cursor.close()
    return int(fresh), staged.promises - int(fresh)


def join_series(tx: Transaction, members: Sequence[tuple[str, str, int]], series_ids: Mapping[str, int],
                present: set[str]) -> None:
    """Moved-in check-ins join their series (by the ids `series_ids` gives their uuids); a
    promise that was here before the import is left as it was."""
    rows = [(series_ids[series], slot, uuid) for uuid, series, slot in members if uuid not in present]
    if rows:
        cursor = tx.reader.connection.cursor()
        try:
            mark = "?" if tx.reader.engine == SQLITE else "%s"
            cursor.executemany(f"UPDATE promise SET series_id = {mark}, series_slot = {mark} WHERE uuid = {mark}", rows)
        finally:
            cursor.close()


def present_uuids(tx: Transaction, uuids: Sequence[str]) -> set[str]:
    """Which of `uuids` are here already."""
    found: set[str] = set()
    for start in range(0, len(uuids), 500):
        chunk = list(uuids[start:start + 500])
        marks = ", ".join(f":u{n}" for n in range(len(chunk)))
        found.update(row[0] for row in tx.reader.all(
            f"SELECT uuid FROM promise WHERE uuid IN ({marks})", {f"u{n}": uuid for n, uuid in enumerate(chunk)}))
    return found


def _numbering(engine: str, source: str) -> tuple[str, ...]:
    """The staged promises new here, numbered in file order, each with the count of new
    events before it (its events' ids follow from those)."""
    key, until_commit = ("INTEGER PRIMARY KEY", "") if engine == SQLITE else ("bigint PRIMARY KEY", " ON COMMIT DROP")
    return (
        f"CREATE TEMP TABLE import_fresh (seq {key}, n bigint NOT NULL, ahead bigint NOT NULL){until_commit}",
        ("INSERT INTO import_fresh (seq, n, ahead)"
         " SELECT seq, row_number() OVER (ORDER BY seq), sum(events) OVER (ORDER BY seq) - events"
         f" FROM {source}import_promise p WHERE NOT EXISTS (SELECT 1 FROM promise m WHERE m.uuid = p.uuid)"),
    )


def _copies(source: str, promise_base: int, event_base: int) -> tuple[str, ...]:
    promise_id, event_id = f"{int(promise_base)} + f.n", f"{int(event_base)} + f.ahead"
    promised = ", ".join(f"p.{name}" for name in PROMISE_FIELDS)
    journal = ", ".join(f"e.{name}" for name in EVENT_FIELDS)
    return (
        (f"INSERT INTO promise (id, {', '.join(PROMISE_FIELDS)}) SELECT {promise_id}, {promised}"
         f" FROM import_fresh f JOIN {source}import_promise p ON p.seq = f.seq ORDER BY f.seq"),  # n follows seq: no sort
        (f"INSERT INTO promise_tag (tag, promise_id) SELECT t.tag, {promise_id}"
         f" FROM {source}import_tag t JOIN import_fresh f ON f.seq = t.seq"),
        (f"INSERT INTO event (id, promise_id, undoes, {', '.join(EVENT_FIELDS)})"
         f" SELECT {event_id} + e.pos + 1, {promise_id},"
         f" CASE WHEN e.undoes_pos IS NULL THEN NULL ELSE {event_id} + e.undoes_pos + 1 END, {journal}"
         f" FROM {source}import_event e JOIN import_fresh f ON f.seq = e.seq ORDER BY e.seq, e.pos"),
    )


def _copy_to_postgres(cursor: Any, staged: Staging) -> None:
    """The scratch file's rows into temporary tables shaped like the live ones (COPY)."""
    tables = (
        ("import_promise", "seq bigint PRIMARY KEY, events integer NOT NULL, LIKE promise", ("id",),
         ("seq", "events", *PROMISE_FIELDS)),
        ("import_tag", "seq bigint NOT NULL, tag text NOT NULL", (), ("seq", "tag")),
        ("import_event", "seq bigint NOT NULL, pos integer NOT NULL, undoes_pos integer, LIKE event",
         ("id", "promise_id", "undoes"), ("seq", "pos", "undoes_pos", *EVENT_FIELDS)),
    )
    for table, shape, dropped, columns in tables:
        cursor.execute(f"CREATE TEMP TABLE {table} ({shape}) ON COMMIT DROP")
        for column in dropped:
            cursor.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in staged.rows(table, columns):
                copy.write_row(row)
        cursor.execute(f"ANALYZE {table}")


def _reserve(reader: Any, table: str, count: int) -> int:
    """The id before `count` fresh ones for a table, never used before (we hold the write lock)."""
    if reader.engine == SQLITE:
        used = reader.value(
            f"SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = '{table}'), 0),"
            f" coalesce((SELECT max(id) FROM {table}), 0))"
        )
        return int(used)
    if not count:
        return 0
    sequence = f"pg_get_serial_sequence('{table}', 'id')"
    first = int(reader.value(f"SELECT nextval({sequence})"))
    reader.value(f"SELECT setval({sequence}, :last)", {"last": first + count - 1})
    return first - 1
