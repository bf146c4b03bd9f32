"""PostgreSQL reads over libpq through ctypes (`promisekeeper.db.libpq`), on the suite's server.

Values come back as psycopg gives them (each case runs the same statement through both);
parameters travel apart from the SQL; errors carry SQLSTATE and become the same one-line
messages; an interrupted read is cancelled on the server; psycopg is never imported by the
prompt's rebuild or a reading command; PROMISEKEEPER_LIBPQ=psycopg (or no loadable libpq)
falls back to psycopg.
"""

from __future__ import annotations

import ast
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from conftest import MONDAY_MORNING, Files, pk_executable

from promisekeeper.db.libpq import library, values
from promisekeeper.db.libpq.connection import Connection
from promisekeeper.db.libpq.errors import Error
from promisekeeper.db.reader import Reader, connect_postgres, storage_error
from promisekeeper.db.target import Target
from promisekeeper.errors import StorageError

pytestmark = pytest.mark.skipif(library.load() is None, reason="no loadable libpq (psycopg's wheel or the system's)")


@pytest.fixture
def server(files: Files, monkeypatch: pytest.MonkeyPatch, postgres_server: Any) -> Iterator[Any]:
    postgres_server.reset()
    monkeypatch.setenv("PROMISEKEEPER_DB", postgres_server.url)
    yield postgres_server


@pytest.fixture
def target(server: Any) -> Target:
    return Target(server.url)


@pytest.fixture
def connection(target: Target) -> Iterator[Connection]:
    made = connect_postgres(target)
    assert isinstance(made, Connection)
    try:
        yield made
    finally:
        made.close()


def both(server: Any, connection: Connection, sql: str, params: Any = None) -> list[tuple[Any, ...]]:
    """The rows through libpq, after checking psycopg gives the very same (values and types)."""
    with connection.cursor() as cursor:
        ours = cursor.execute(sql, params).fetchall()
    connection.rollback()
    theirs = server.connection.execute(sql, params).fetchall()
    assert [[(type(v), v) for v in row] for row in ours] == [[(type(v), v) for v in row] for row in theirs]
    return ours


def test_every_type_the_reads_return_comes_back_as_psycopg_gives_it(server: Any, connection: Connection) -> None:
    rows = both(server, connection,
                "SELECT true, false, 7::int2, -8::int4, 9000000000::int8, 1.5::float4, -2.25::float8,"
                " 'Infinity'::float8, 12.50::numeric, sum(x), 'text'::text, 'var'::varchar, 'nm'::name,"
                " 'ab'::char(3), 'unknown', '', NULL::text, NULL::int4, NULL::bool, NULL::numeric,"
                " '{\"a\": [1, \"é\"]}'::json, '[true]'::jsonb, 'ünï ✓ 中'::text, 42::oid"
                " FROM (VALUES (9223372036854775807::int8), (1::int8)) AS v(x)")
    assert rows == [(True, False, 7, -8, 9000000000, 1.5, -2.25, float("inf"), Decimal("12.50"),
                     Decimal("9223372036854775808"), "text", "var", "nm", "ab ", "unknown", "", None, None,
                     None, None, {"a": [1, "é"]}, [True], "ünï ✓ 中", 42)]


def test_nan_comes_back_as_nan(connection: Connection) -> None:
    with connection.cursor() as cursor:
        value = cursor.execute("SELECT 'NaN'::float8").fetchone()
    assert value is not None and value[0] != value[0]


def test_parameters_travel_apart_from_the_sql(server: Any, connection: Connection) -> None:
    tricky = "O'Brien \\ \"quoted\" $1 %s :name -- ünï ✓ 中"
    params = {"text": tricky, "none": None, "yes": True, "small": 3, "big": 2**40, "huge": 2**70,
              "half": 0.5, "inf": float("inf")}
    rows = both(server, connection,
                "SELECT %(text)s::text, %(none)s::text, %(yes)s, %(small)s, %(big)s, %(huge)s, %(half)s,"
                " %(inf)s, %(text)s::text = %(text)s::text, 100 %% 7", params)
    assert rows == [(tricky, None, True, 3, 2**40, Decimal(2**70), 0.5, float("inf"), True, 2)]
    assert both(server, connection, "SELECT %s::text || %s::text", ("a'", "\\b")) == [("a'\\b",)]


def test_a_function_taking_integer_accepts_a_small_int(connection: Connection) -> None:
    # int2 like psycopg: a function declared for integer takes it (int8 would not cast down)
    with connection.cursor() as cursor:
        assert cursor.execute("SELECT repeat('ab', %(n)s)", {"n": 3}).fetchall() == [("ababab",)]


def test_a_nul_in_text_or_an_unknown_python_type_is_refused(connection: Connection) -> None:
    with connection.cursor() as cursor:
        with pytest.raises(Error, match="NUL"):
            cursor.execute("SELECT %(t)s::text", {"t": "a\0b"})
        with pytest.raises(TypeError, match="bytes"):
            cursor.execute("SELECT %(t)s", {"t": b"raw"})


def test_a_column_type_it_does_not_know_is_refused_not_guessed(connection: Connection) -> None:
    with connection.cursor() as cursor, pytest.raises(Error, match="type 1184"):
        cursor.execute("SELECT now()")
    connection.rollback()
    with connection.cursor() as cursor:  # the connection reads on
        assert cursor.execute("SELECT 1").fetchall() == [(1,)]


def test_rows_are_fetched_in_batches(connection: Connection) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT g FROM generate_series(1, 5) AS g")
        assert cursor.fetchmany(2) == [(1,), (2,)]
        assert cursor.fetchone() == (3,)
        assert cursor.fetchall() == [(4,), (5,)]
        assert cursor.fetchmany(2) == [] and cursor.fetchone() is None


def test_an_error_carries_its_sqlstate_and_becomes_one_line(target: Target, connection: Connection) -> None:
    with connection.cursor() as cursor, pytest.raises(Error) as raised:
        cursor.execute("SELECT * FROM no_such_table")
    assert raised.value.sqlstate == "42P01"
    translated = storage_error(raised.value, target.shown)
    assert translated is not None and str(translated).endswith('relation "no_such_table" does not exist')


def test_reads_are_read_only_and_one_snapshot_when_asked(server: Any, target: Target) -> None:
    server.connection.execute("CREATE TABLE t (x int)")
    plain = connect_postgres(target)
    snapshot = connect_postgres(target, repeatable_read=True)
    try:
        with plain.cursor() as cursor, pytest.raises(Error) as raised:
            cursor.execute("INSERT INTO t VALUES (1)")
        assert raised.value.sqlstate == "25006"  # read-only transaction
        plain.rollback()
        with snapshot.cursor() as cursor:
            assert cursor.execute("SELECT count(*) FROM t").fetchall() == [(0,)]
            server.connection.execute("INSERT INTO t VALUES (1)")  # another session, committed
            assert cursor.execute("SELECT count(*) FROM t").fetchall() == [(0,)]
        snapshot.rollback()
        with snapshot.cursor() as cursor:
            assert cursor.execute("SELECT count(*) FROM t").fetchall() == [(1,)]
    finally:
        plain.close()
        snapshot.close()


def test_a_lock_timeout_and_a_statement_timeout_read_as_before(server: Any, target: Target,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    server.connection.execute("CREATE TABLE t (x int)")
    monkeypatch.setenv("PROMISEKEEPER_BUSY_TIMEOUT", "0.3")
    with server.connection.transaction():
        server.connection.execute("LOCK TABLE t IN ACCESS EXCLUSIVE MODE")
        reader = Reader(connect_postgres(target), target.engine, target.shown)
        try:
            with pytest.raises(StorageError, match=r"stayed locked by another process for 0.3 s; try again"):
                reader.all("SELECT x FROM t")
        finally:
            reader.connection.close()
    reader = Reader(connect_postgres(target, statement_s=0.2), target.engine, target.shown)
    try:
        with pytest.raises(StorageError, match=r"database error at .*: canceling statement due to statement timeout$"):
            reader.all("SELECT pg_sleep(5)")
    finally:
        reader.connection.close()


def test_a_url_of_its_own_options_keeps_them(server: Any) -> None:
    url = server.url + "&options=-c%20search_path%3Dpg_catalog"
    connection = connect_postgres(Target(url), statement_s=1.5)
    try:
        with connection.cursor() as cursor:
            rows = cursor.execute("SELECT current_setting('search_path'), current_setting('statement_timeout'),"
                                  " current_setting('lock_timeout')").fetchall()
    finally:
        connection.close()
    assert rows == [("pg_catalog", "1500ms", "1500ms")]


def test_an_unreachable_server_is_one_line_without_the_password() -> None:
    target = Target("postgresql://ann:s3cret-pass@127.0.0.1:9/pk")
    with pytest.raises(StorageError) as raised:
        connect_postgres(target, timeout=2)
    message = str(raised.value)
    assert "\n" not in message and "s3cret-pass" not in message
    assert "connection failed: connection to server at" in message


def test_without_libpq_or_when_asked_psycopg_reads(target: Target, monkeypatch: pytest.MonkeyPatch) -> None:
    psycopg = pytest.importorskip("psycopg")
    monkeypatch.setattr(library, "_loaded", [])
    monkeypatch.setattr(library, "_candidates", lambda: iter(["/nowhere/libpq.so.5"]))
    assert library.load() is None
    monkeypatch.setattr(library, "_loaded", [])
    monkeypatch.setenv(library.DRIVER_VAR, "psycopg")
    assert library.load() is None
    connection = connect_postgres(target, repeatable_read=True)
    try:
        assert isinstance(connection, psycopg.Connection)
        reader = Reader(connection, target.engine, target.shown)
        assert reader.all("SELECT :a::text, current_setting('transaction_isolation')", {"a": "x"}) == [
            ("x", "repeatable read")]
    finally:
        connection.close()


def test_pk_reads_through_psycopg_when_asked(server: Any, pk_process: Any) -> None:
    assert pk_process("add", "Call Eva", "--due", "3pm", now=MONDAY_MORNING).returncode == 0
    for driver in ("psycopg", ""):
        listed = pk_process("list", now=MONDAY_MORNING, env={library.DRIVER_VAR: driver})
        assert listed.returncode == 0 and "Call Eva" in listed.stdout, listed.stderr


def imported_modules(*args: str, **env: str) -> set[str]:
    """Every module `pk ARGS` has imported by its end."""
    script = ("import atexit, sys; atexit.register(lambda: print(sorted(sys.modules), file=sys.stderr));"
              "sys.argv[0] = 'pk'; from promisekeeper.__main__ import main; sys.exit(main())")
    done = subprocess.run([sys.executable, "-c", script, *args], env={**os.environ, **env},
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return set(ast.literal_eval(done.stderr.strip().splitlines()[-1]))


def test_the_prompt_and_a_reading_command_never_import_psycopg(server: Any, files: Files, pk_process: Any) -> None:
    assert pk_process("add", "Call Eva", "--due", "3pm", now=MONDAY_MORNING).returncode == 0
    for args in (("prompt",), ("list",), ("show", "1"), ()):  # () is the agenda
        shutil.rmtree(files.state, ignore_errors=True)  # no schedule: the prompt reads the database
        names = imported_modules(*args, PROMISEKEEPER_NOW=MONDAY_MORNING)
        assert "promisekeeper.db.libpq.connection" in names, args
        assert not {name for name in names if name.split(".")[0] == "psycopg"}, args


@pytest.mark.parametrize(("number", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_on_a_read_waiting_for_a_lock_cancels_it_on_the_server(server: Any, pk_process: Any,
                                                                       number: int, code: int) -> None:
    assert pk_process("add", "Call Eva", "--due", "3pm", now=MONDAY_MORNING).returncode == 0
    admin = server.connection

    def waiting() -> int:
        admin.execute("SELECT pg_stat_clear_snapshot()")  # else a transaction sees one snapshot of it
        return int(admin.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                                 " AND datname = current_database()").fetchone()[0])

    with admin.transaction():
        admin.execute("LOCK TABLE promise IN ACCESS EXCLUSIVE MODE")
        process = subprocess.Popen([pk_executable(), "list"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True, env={**os.environ, "PROMISEKEEPER_BUSY_TIMEOUT": "120",
                                                   "PROMISEKEEPER_NOW": MONDAY_MORNING})
        try:
            assert until(lambda: waiting() == 1), "pk list never waited on the lock"
            process.send_signal(number)
            assert process.wait(timeout=30) == code
            said = process.communicate()[1]
            assert len(said.splitlines()) == 1 and "nothing more was written" in said, said
            # cancelled: the server stops waiting now, not when the lock times out in 120 s
            assert until(lambda: waiting() == 0), "the server still runs the interrupted read"
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate()


def until(condition: Any, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)  # polling for the condition, not waiting for time to pass
    return False


def test_libpq_statements_number_their_placeholders() -> None:
    assert values.numbered("SELECT %(a)s, %(b)s, %(a)s, 5 %% 2") == ("SELECT $1, $2, $1, 5 % 2", ["a", "b"])
    assert values.numbered("SELECT %s, %s") == ("SELECT $1, $2", [0, 1])
    assert values.parameter(2**15) == (b"32768", 23) and values.parameter(-(2**15)) == (b"-32768", 21)
