"""The PostgreSQL cases reach a real PostgreSQL, each on an empty database.

The server is PROMISEKEEPER_TEST_POSTGRES_URL's, else a throw-away cluster from the installed
binaries (tests/postgres_server.py); without either, the `[postgresql]` cases skip saying why.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from postgres_server import URL_VAR, find_binaries


def test_ledger_views_reminders_and_undo(pk, engine, files):
    assert pk("add", "Send VPN config", "--to", "Eva", "--tag", "vpn", "--due", "tomorrow 10am").exit_code == 0
    assert pk("add", "Call Bob", "--due", "11:00").exit_code == 0
    assert [p["what"] for p in json.loads(pk("list", "--tag", "vpn", "--json").stdout)] == ["Send VPN config"]
    assert pk("done", "2", now="2026-11-23T11:30:00+01:00").exit_code == 0
    assert pk("reschedule", "1", "fri", "--reason", "vendor").exit_code == 0
    assert pk("tried", "1").exit_code == 0
    assert pk("undo").exit_code == 0
    shown = json.loads(pk("show", "1", "--json").stdout)
    assert [e["kind"] for e in shown["events"]] == ["created", "rescheduled", "attempted", "undone"]
    late = pk("remind", now="2026-11-27T18:00:00+01:00")
    assert late.exit_code == 0 and "Overdue: #1" in late.stdout
    assert pk("remind", now="2026-11-27T18:05:00+01:00").stdout == ""
    promises, events = engine.content()
    assert (len(promises), len(events)) == (2, 7)
    assert files.db.exists() == (engine.name == "sqlite")  # PostgreSQL's case never made a file


def test_every_case_starts_on_an_empty_database(pk, engine):
    # The case above left two promises behind on each engine.
    assert engine.content() == ([], [])
    assert pk("add", "x", "--due", "in 2h").exit_code == 0
    assert [len(rows) for rows in engine.content()] == [1, 1]


def test_the_installed_pk_reaches_the_same_database(pk, pk_process, engine):
    assert pk("add", "Call Bob", "--due", "11:00").exit_code == 0
    result = pk_process("done", "1")
    assert result.returncode == 0, result.stderr
    assert json.loads(pk("show", "1", "--json").stdout)["state"] == "kept"


def test_reset_ends_a_leftover_connection_holding_a_lock(postgres_server):
    import psycopg
    from postgres_server import _connect

    postgres_server.reset()
    postgres_server.connection.execute("CREATE TABLE promise (id integer)")
    postgres_server.connection.execute("INSERT INTO promise VALUES (1)")
    with _connect(postgres_server.url) as leftover:
        leftover.execute("BEGIN")
        leftover.execute("LOCK TABLE promise")
        postgres_server.reset()  # would wait for the lock (and fail after lock_timeout) otherwise
        assert postgres_server.rows("promise") == []
        with pytest.raises(psycopg.OperationalError):
            leftover.execute("SELECT 1")


def test_pk_db_shows_the_server_but_never_a_password(pk, postgres_server, monkeypatch):
    from sqlalchemy.engine import make_url

    postgres_server.reset()
    url = make_url(postgres_server.url)
    if url.password is None:
        if os.environ.get(URL_VAR):
            pytest.skip(f"{URL_VAR} has no password to hide")
        url = url.set(password="s3cret-pass")  # the throw-away cluster trusts local connections
    monkeypatch.setenv("PROMISEKEEPER_DB", url.render_as_string(hide_password=False))
    missing = pk("db")  # an empty schema is no database, said with the password masked
    assert missing.exit_code == 1 and "***" in missing.stderr and url.password not in missing.output
    assert pk("db", "init").exit_code == 0
    result = pk("db")
    assert result.exit_code == 0, result.output
    assert url.database in result.stdout and "***" in result.stdout
    assert url.password not in result.output


def _fake_installation(root: Path, versions: dict[str, tuple[str, ...]]) -> Path:
    for version, tools in versions.items():
        folder = root / version / "bin"
        folder.mkdir(parents=True)
        for tool in tools:
            (folder / tool).write_text("#!/bin/sh\n")
            (folder / tool).chmod(0o755)
    return root


def test_the_newest_complete_installed_version_is_chosen(tmp_path):
    both = ("initdb", "pg_ctl")
    root = _fake_installation(tmp_path / "lib", {"9.6": both, "15": both, "16": ("pg_ctl",), "notes": both})
    assert find_binaries(path=str(tmp_path / "empty"), installed=root) == root / "15" / "bin"


def test_binaries_on_path_come_first(tmp_path):
    on_path = _fake_installation(tmp_path / "opt", {"pg": ("initdb", "pg_ctl")}) / "pg" / "bin"
    root = _fake_installation(tmp_path / "lib", {"16": ("initdb", "pg_ctl")})
    assert find_binaries(path=str(on_path), installed=root) == on_path


def test_no_installation_is_none(tmp_path):
    assert find_binaries(path=str(tmp_path), installed=tmp_path / "nowhere") is None
