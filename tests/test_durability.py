"""What pk promises about your data (issue 13): private files, a damaged or newer database
left alone, `pk db restore`, safe text for paths and settings, and Ctrl-C.

The crash, full-disk, concurrency and fuzzing checks are in test_reliability.py.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import db_content, pk_executable


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def run_pk(*args: str, umask: int | None = None, env: dict[str, str] | None = None,
           **options) -> subprocess.CompletedProcess[str]:
    """The installed pk, as a subprocess (with a umask of its own when given)."""
    environment = dict(os.environ)
    environment.pop("PK_DEBUG", None)
    environment.update(env or {})
    return subprocess.run([pk_executable(), *args], env=environment, capture_output=True, text=True,
                          timeout=120, preexec_fn=(lambda: os.umask(umask)) if umask is not None else None,
                          **options)


# -- files are private whatever the umask ---------------------------------------------------------


def test_every_file_with_customer_data_is_0600_under_umask_000(files, tmp_path):
    assert run_pk("add", "Call Eva", "--to", "Eva", "--contact", "+46 70 123", umask=0).returncode == 0
    holder = sqlite3.connect(files.db)  # keeps the WAL and shared-memory files in place
    holder.execute("SELECT 1 FROM promise").fetchall()
    try:
        assert run_pk("add", "Call Bob", umask=0).returncode == 0
        for name in ("promises.db", "promises.db-wal", "promises.db-shm"):
            assert mode(files.db.parent / name) == 0o600, name
    finally:
        holder.close()
    assert mode(files.db.parent) == 0o700
    assert run_pk("export", "-o", str(tmp_path / "out.json"), umask=0).returncode == 0
    assert run_pk("export", "--format", "csv", "-o", str(tmp_path / "out.csv"), umask=0).returncode == 0
    assert run_pk("db", "backup", str(tmp_path / "copy.db"), umask=0).returncode == 0
    assert run_pk("db", "backup", umask=0).returncode == 0
    for made in (tmp_path / "out.json", tmp_path / "out.csv", tmp_path / "copy.db",
                 *(files.db.parent / "backups").iterdir()):
        assert mode(made) == 0o600, made
    assert mode(files.db.parent / "backups") == 0o700


def test_an_export_over_a_readable_file_is_private_afterwards(pk, tmp_path):
    pk("add", "x", "--due", "in 2h")
    target = tmp_path / "out.json"
    target.write_text("old")
    target.chmod(0o644)
    assert pk("export", "-o", str(target)).exit_code == 0
    assert mode(target) == 0o600 and json.loads(target.read_text())["promises"]


def test_a_database_open_to_others_is_tightened_with_its_side_files(files, pk):
    pk("add", "x", "--due", "in 2h")
    holder = sqlite3.connect(files.db)
    holder.execute("SELECT 1 FROM promise").fetchall()
    try:
        for name in ("promises.db", "promises.db-wal", "promises.db-shm"):
            os.chmod(files.db.parent / name, 0o644)
        result = run_pk("list")
        assert result.returncode == 0
        assert result.stderr == (f"pk: {files.db} was open to others (mode 0644); it holds customers' "
                                 "details, so it is now private (0600)\n")
        for name in ("promises.db", "promises.db-wal", "promises.db-shm"):
            assert mode(files.db.parent / name) == 0o600, name
        assert run_pk("list").stderr == ""  # said once
    finally:
        holder.close()


# -- a damaged database is not written to ---------------------------------------------------------


def damage(path: Path) -> None:
    """Random bytes in the middle of the file, as a failing disk or a stray program leaves them."""
    size = path.stat().st_size
    with open(path, "r+b") as handle:
        handle.seek(size // 2)
        handle.write(os.urandom(8192))


@pytest.fixture
def many(pk, files):
    """Enough promises for the file to have pages in its middle, checkpointed into it."""
    pk("add", "first", "--due", "in 2h")
    with sqlite3.connect(files.db) as conn:
        conn.executemany(
            "INSERT INTO promise (uuid, what, tags, created_at, due_at, original_due_at, state, who_key, ref_key,"
            " search_key) VALUES (?, ?, '', 1795420800, 1795430800, 1795430800, 'open', '', '', '')",
            [(f"u{n}", "x" * 400) for n in range(2000)],
        )
    with sqlite3.connect(files.db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def test_a_damaged_database_is_not_written_to(pk, files, many):
    assert pk("add", "before", "--due", "in 2h").exit_code == 0  # pk has seen the file as it was
    damage(files.db)
    before = files.db.read_bytes()
    result = pk("add", "after", "--due", "in 2h", env={"PK_DEBUG": ""})
    assert result.exit_code == 1
    assert f"the database at {files.db} is damaged (" in result.stderr
    assert "`pk db restore BACKUP`" in result.stderr and ".recover" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert files.db.read_bytes() == before
    checked = pk("db", "check", env={"PK_DEBUG": ""})
    assert checked.exit_code == 1 and "problem: integrity:" in checked.stderr


def test_a_backup_of_a_damaged_database_is_refused(pk, files, many, tmp_path):
    damage(files.db)
    result = pk("db", "backup", str(tmp_path / "copy.db"), env={"PK_DEBUG": ""})
    assert result.exit_code == 1 and "is damaged" in result.stderr
    assert list(tmp_path.glob("copy.db*")) == []


def test_the_check_before_a_write_runs_only_when_the_files_changed(pk, files, monkeypatch):
    from promisekeeper.db import files as db_files

    pk("add", "first", "--due", "in 2h")
    checks = []
    original = db_files.quick_check
    monkeypatch.setattr(db_files, "quick_check", lambda connection: checks.append(1) or original(connection))
    pk("add", "second", "--due", "in 2h")
    pk("done", "1")
    assert checks == []  # only pk wrote since it last looked
    with sqlite3.connect(files.db) as conn:
        conn.execute("UPDATE promise SET what = 'changed elsewhere' WHERE id = 2")
    pk("note", "2", "hello")
    assert checks == [1]


def test_a_newer_schema_is_refused_by_every_command(pk, files, tmp_path):
    pk("add", "x", "--due", "in 2h")
    with sqlite3.connect(files.db) as conn:
        conn.execute("PRAGMA user_version = 99")
    before = db_content(files.db)
    (tmp_path / "in.csv").write_text("what,due_at,created_at\nx,2026-12-01T10:00:00+00:00,2026-11-01T10:00:00+00:00\n")
    for command in (["add", "y"], ["done", "1"], ["list"], [], ["show", "1"], ["export"], ["remind"], ["stats"],
                    ["import", str(tmp_path / "in.csv")], ["db", "backup", str(tmp_path / "b.db")], ["undo"]):
        result = pk(*command, env={"PK_DEBUG": ""})
        assert result.exit_code == 1, (command, result.output)
        assert "written by a newer promisekeeper (schema 99" in result.stderr, command
    assert pk("db", "check").exit_code == 1
    assert db_content(files.db) == before


# -- pk db restore --------------------------------------------------------------------------------


@pytest.fixture
def backed_up(pk, files, tmp_path) -> Path:
    """Two promises in a backup; two more added after it."""
    pk("add", "one", "--due", "in 2h")
    pk("add", "two", "--due", "in 2h")
    assert pk("db", "backup", str(tmp_path / "b1.db")).exit_code == 0
    pk("add", "three", "--due", "in 2h")
    pk("add", "four", "--due", "in 2h")
    return tmp_path / "b1.db"


def whats(pk) -> list[str]:
    return [p["what"] for p in json.loads(pk("list", "--all", "--json").stdout)]


def test_restore_replaces_the_data_and_keeps_the_old_aside(pk, files, backed_up):
    result = pk("db", "restore", str(backed_up))
    assert result.exit_code == 0, result.output
    aside = next((files.db.parent / "backups").glob("*-before-restore.db"))
    assert result.stdout == f"Restored 2 promises from {backed_up}; the data as it was is kept in {aside}\n"
    assert whats(pk) == ["one", "two"]
    assert mode(aside) == 0o600 and mode(files.db) == 0o600
    assert whats(pk_at := (lambda *a: pk(*a, env={"PROMISEKEEPER_DB": str(aside)}))) == ["one", "two", "three", "four"]
    assert pk_at("db", "check").exit_code == 0
    assert pk("db", "check").exit_code == 0
    assert list(files.db.parent.glob("*.tmp*")) == [] and list(backed_up.parent.glob("b1.db-*")) == []


def test_numbers_given_before_a_restore_are_not_given_again(pk, backed_up):
    pk("db", "restore", str(backed_up))
    added = pk("add", "five", "--due", "in 2h")
    assert added.stdout.startswith("Promised #5 ")


def test_the_prompt_notices_a_restore(pk_process, pk, files, backed_up):
    assert pk_process("prompt").stdout.strip() == "◷4"
    schedule = list(files.state.glob("prompt-*"))
    assert schedule
    assert pk("db", "restore", str(backed_up)).exit_code == 0
    assert not any(path.exists() for path in schedule)
    assert pk_process("prompt").stdout.strip() == "◷2"


@pytest.mark.parametrize("kind", ["missing", "text", "damaged", "newer", "itself", "empty"])
def test_an_unusable_backup_is_refused_and_nothing_changes(pk, files, backed_up, tmp_path, kind):
    bad = tmp_path / "bad.db"
    if kind == "text":
        bad.write_text("not a database")
    elif kind == "damaged":
        many_rows = sqlite3.connect(bad)
        many_rows.execute("CREATE TABLE t (x)")
        many_rows.executemany("INSERT INTO t VALUES (?)", [("x" * 400,) for _ in range(2000)])
        many_rows.commit()
        many_rows.close()
        damage(bad)
    elif kind == "newer":
        bad.write_bytes(backed_up.read_bytes())
        with sqlite3.connect(bad) as conn:
            conn.execute("PRAGMA user_version = 99")
    elif kind == "itself":
        bad = files.db
    elif kind == "empty":
        sqlite3.connect(bad).execute("CREATE TABLE t (x)").connection.close()
    before = db_content(files.db)
    result = pk("db", "restore", str(bad))
    assert result.exit_code == 2, result.output
    assert len(result.stderr.splitlines()) == 1
    assert db_content(files.db) == before
    assert not (files.db.parent / "backups").exists()


def test_restore_waits_for_a_writer_then_gives_up(pk, files, backed_up):
    holder = sqlite3.connect(files.db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        result = pk("db", "restore", str(backed_up), env={"PROMISEKEEPER_BUSY_TIMEOUT": "1", "PK_DEBUG": ""})
        assert time.monotonic() - started >= 1
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 1 and "stayed locked by another process for 1 s" in result.stderr
    assert whats(pk) == ["one", "two", "three", "four"]
    assert list((files.db.parent / "backups").glob("*")) == []


def test_restore_into_a_damaged_database(pk, files, many, tmp_path):
    assert pk("db", "backup", str(tmp_path / "good.db")).exit_code == 0
    damage(files.db)
    result = pk("db", "restore", str(tmp_path / "good.db"))
    assert result.exit_code == 0, result.output
    assert pk("db", "check").exit_code == 0
    assert pk("add", "after", "--due", "in 2h").exit_code == 0


def test_restore_of_an_older_schema_upgrades_it(pk, files, tmp_path):
    fixture = Path(__file__).parent / "fixtures" / "schema-2-database.sql"
    old = tmp_path / "old.db"
    with sqlite3.connect(old) as conn:
        conn.executescript(fixture.read_text())
    result = pk("db", "restore", str(old))
    assert result.exit_code == 0, result.output
    assert pk("db", "check").exit_code == 0 and whats(pk)


# -- text from outside the code is shown safely -------------------------------------------------

HOSTILE = "Bob\x1b[2J\x1b]0;pwned\x07\r\x9b31m"


def assert_clean(text: str) -> None:
    for sequence in ("\x1b", "\x07", "\r", "\x9b"):
        assert sequence not in text, repr(text)


def test_settings_from_a_hand_edited_file_are_shown_safely(pk, files):
    files.config.write_text('owner = "Bob\\u001b[2J\\u001b]0;pwned\\u0007\\r\\u009b31m"\n')
    for command in (["config"], ["config", "get", "owner"], ["config", "set", "prompt.ascii", "true"],
                    ["config", "path"]):
        result = pk(*command)
        assert result.exit_code == 0, result.output
        assert_clean(result.output)
    assert "Bob[2J]0;pwned 31m" in pk("config", "get", "owner").stdout
    assert "\\u001b" in pk("config", "--json").stdout


def test_paths_are_shown_safely(pk, files, tmp_path):
    folder = tmp_path / "evil\x1b[2J\x07"
    folder.mkdir()
    database = folder / "p\x1b]0;x\x07.db"
    env = {"PROMISEKEEPER_DB": str(database)}
    assert pk("add", "x", "--due", "in 2h", env=env).exit_code == 0
    (folder / "in\x1b[5m.csv").write_text("what,due_at,created_at\nx,2026-12-01T10:00:00+00:00,2026-11-01T10:00:00+00:00\n")
    os.chmod(database, 0o644)
    for command in (["db"], ["db", "path"], ["db", "check"], ["db", "backup"], ["db", "backup", str(folder / "b\x1b.db")],
                    ["export", "-o", str(folder / "o\x1b[2J.json")], ["import", str(folder / "in\x1b[5m.csv")],
                    ["import", str(folder / "missing\x1b.csv")], ["db", "restore", str(folder / "b\x1b.db")]):
        result = pk(*command, env=env)
        assert result.exit_code in (0, 2), (command, result.output)
        assert_clean(result.stdout)
        assert_clean(result.stderr)


def test_csv_on_a_terminal_has_no_bare_carriage_return():
    from promisekeeper.sanitize import terminal_safe

    assert terminal_safe('a,"x\rOVERWRITE",b\r\n') == 'a,"x\nOVERWRITE",b\n'
    assert terminal_safe("\x1b[2Jok\r\n") == "[2Jok\n"


# -- Ctrl-C and other signals -------------------------------------------------------------------


def handlers_installed(pid: int) -> bool:
    """Whether pk's handlers are in place (Linux: SIGTERM among the caught signals)."""
    with open(f"/proc/{pid}/status") as status:
        caught = next(line for line in status if line.startswith("SigCgt:"))
    return bool(int(caught.split()[1], 16) & (1 << (signal.SIGTERM - 1)))


def start(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    environment = dict(os.environ)
    environment.pop("PK_DEBUG", None)
    environment.update(env or {})
    process = subprocess.Popen([pk_executable(), *args], env=environment, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while not handlers_installed(process.pid):
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.001)
    return process


needs_proc = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc to time the signal")


@needs_proc
@pytest.mark.parametrize(("number", "code", "said"), [
    (signal.SIGINT, 130, "pk: interrupted; nothing more was written\n"),
    (signal.SIGTERM, 143, "pk: stopped by SIGTERM; nothing more was written\n"),
    (signal.SIGHUP, 129, "pk: stopped by SIGHUP; nothing more was written\n"),
])
def test_a_signal_while_waiting_for_the_lock_leaves_nothing_half_done(pk, files, number, code, said):
    pk("add", "first", "--due", "in 2h")
    before = db_content(files.db)
    holder = sqlite3.connect(files.db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        process = start("add", "second", "--due", "in 2h")
        time.sleep(0.5)  # well into its imports or its wait for the lock
        process.send_signal(number)
        out, err = process.communicate(timeout=60)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert (process.returncode, out, err) == (code, "", said)
    assert db_content(files.db) == before


@needs_proc
def test_ctrl_c_during_start_up_says_interrupted(files):
    process = start("list")  # signalled the moment the handlers are in, before the CLI is imported
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=60)
    *before, last = err.splitlines()
    assert (process.returncode, last) == (130, "pk: interrupted; nothing more was written")
    # On a busy machine the signal may land only after `pk list` found there is no database
    # yet: then that line comes first, and still nothing else.
    assert before in ([], [f"pk: no database at {files.db} (create it with pk add or pk db init)"])


@needs_proc
def test_ctrl_c_during_an_export_leaves_no_file(pk, files, tmp_path):
    for n in range(30):
        pk("add", f"promise {n}", "--due", "in 2h")
    target = tmp_path / "out.json"
    process = start("export", "-o", str(target), env={"PROMISEKEEPER_BUSY_TIMEOUT": "30"})
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=60)
    assert process.returncode in (0, 130)
    assert list(tmp_path.glob("out.json.*.tmp")) == []
    if process.returncode == 130:
        assert not target.exists()


def _wrapped_stop() -> RuntimeError:
    """What Python raises when a signal's Interrupted lands while a class is being built (a
    descriptor's __set_name__ during an import): the stop, wrapped in a RuntimeError."""
    from promisekeeper.errors import Interrupted, stop_requests

    stop_requests.append(signal.SIGINT)
    error = RuntimeError("Error calling __set_name__ on 'cached_property' instance 'data'")
    error.__cause__ = Interrupted(signal.SIGINT)
    return error


@pytest.fixture
def stop_requested():
    from promisekeeper.errors import stop_requests

    yield
    stop_requests.clear()


def test_a_stop_that_python_wrapped_is_said_as_a_stop_not_an_internal_error(pk, files, monkeypatch, stop_requested):
    from promisekeeper.cli.context import Context
    from promisekeeper.errors import Interrupted

    def stopped(_self: object) -> None:
        raise _wrapped_stop()

    monkeypatch.setattr(Context, "config", property(stopped))
    with pytest.raises(Interrupted):  # on to __main__, which says "interrupted" and exits 130
        pk("list")


def test_a_stop_wrapped_during_the_clis_imports_exits_as_a_stop(monkeypatch, capsys, stop_requested):
    import promisekeeper.__main__ as entry
    from promisekeeper.cli import main as cli_main

    def importing(_args: list[str]) -> int:
        raise _wrapped_stop()

    monkeypatch.setattr(entry, "_stop_cleanly_on_signals", lambda: None)  # this test process keeps its own
    monkeypatch.setattr(signal, "pthread_sigmask", lambda *_: None)  # main() blocks signals as it ends
    monkeypatch.setattr(cli_main, "run", importing)
    assert entry.main(["list"]) == 130
    assert capsys.readouterr().err == "pk: interrupted; nothing more was written\n"
