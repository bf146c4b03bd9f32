"""The reliability suite (issue 13): crashes, full disks, load and hostile input.

Select it with `pytest -m reliability` (it also runs with the rest). It is bounded for CI:
about a minute and a half on a two-core runner. It runs the installed `pk`:

- kills `pk add`, `pk done`, `pk import` and `pk remind` with SIGKILL, SIGINT and SIGTERM
  at random moments and right after their confirmation appears, then checks that every
  confirmed change is present, nothing is half-done, and no number is given twice;
- fills the disk (a small tmpfs where it may mount one, as root in CI; else a file-size
  limit) during add, done, remind, export and backup, and fills standard output;
- runs a long import with adds and reminders alongside, none of which may fail;
- fuzzes argument vectors and import files (Hypothesis): exit 0, 1 or 2 only, never a
  traceback, and a refusal leaves the database as it was;
- reads every command's raw bytes on a pseudo-terminal for escape codes from user text.
"""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import random
import re
import resource
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import MONDAY_MORNING, db_content, pk_executable
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = [
    pytest.mark.reliability,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="signals, /proc and tmpfs as on Linux"),
]
RANDOM = random.Random(int(os.environ.get("PK_RELIABILITY_SEED", "13")))  # set it to vary the moments


def environment(files, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PK_DEBUG", None)
    env.update({"PROMISEKEEPER_DB": str(files.db), "PROMISEKEEPER_NOW": MONDAY_MORNING}, **extra)
    return env


def no_traceback(stderr: str) -> None:
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr


def assert_whole(db: Path) -> None:
    """Nothing half-done: every promise has its `created` event and its tag rows, every
    event its promise, the file passes SQLite's full check, and the sequences are ahead."""
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute(
            "SELECT p.id FROM promise AS p WHERE (SELECT count(*) FROM event AS e"
            " WHERE e.promise_id = p.id AND e.kind = 'created') != 1"
        ).fetchall() == []
        assert conn.execute(
            "SELECT id FROM event WHERE promise_id NOT IN (SELECT id FROM promise)").fetchall() == []
        assert conn.execute(
            "SELECT id FROM promise WHERE state = 'kept' AND id NOT IN"
            " (SELECT promise_id FROM event WHERE kind = 'kept')").fetchall() == []
        for ident, words in conn.execute("SELECT id, tags FROM promise"):
            rows = {row[0] for row in conn.execute("SELECT tag FROM promise_tag WHERE promise_id = ?", (ident,))}
            assert rows == set(words.split()), ident
        sequences = dict(conn.execute("SELECT name, seq FROM sqlite_sequence"))
        for table in ("promise", "event"):
            largest = conn.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]
            assert sequences.get(table, 0) >= largest


# -- killed at any moment ---------------------------------------------------------------------


def handlers_installed(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as status:
            caught = next(line for line in status if line.startswith("SigCgt:"))
    except (OSError, StopIteration):
        return True  # gone already
    return bool(int(caught.split()[1], 16) & (1 << (signal.SIGTERM - 1)))


@dataclass
class Run:
    """One command that was stopped: what it printed, and how it ended."""

    kind: str
    number: int
    moment: str
    subject: str
    stdout: str = ""
    stderr: str = ""
    code: int | None = None

    @property
    def confirmed(self) -> bool:
        return bool(self.stdout.strip())


def stop(args: list[str], env: dict[str, str], number: int, moment: str) -> tuple[str, str, int]:
    """Run pk and send it the signal at a random moment or right after its first line."""
    process = subprocess.Popen([pk_executable(), *args], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    if moment == "confirmed":
        first = process.stdout.readline()  # type: ignore[union-attr]
        process.send_signal(number)
        out, err = process.communicate(timeout=60)
        return first + out, err, process.returncode
    if number != signal.SIGKILL:
        # Before pk's handlers are in, a signal meets Python's defaults (the interpreter
        # is still starting): that window is not pk's to close.
        while not handlers_installed(process.pid):
            time.sleep(0.001)
    time.sleep(RANDOM.uniform(0, 0.5))
    process.send_signal(number)
    out, err = process.communicate(timeout=60)
    return out, err, process.returncode


def import_file(folder: Path, name: str, count: int) -> tuple[Path, set[str]]:
    uuids = {str(uuid.uuid4()) for _ in range(count)}
    promises = [
        {"uuid": u, "what": f"imported {n}", "who": f"Customer {n}", "tags": ["imp"],
         "due_at": "2026-11-30T10:00:00+00:00", "created_at": "2026-11-20T10:00:00+00:00"}
        for n, u in enumerate(sorted(uuids))
    ]
    path = folder / name
    path.write_text(json.dumps({"format": "promisekeeper", "version": 1, "promises": promises}))
    return path, uuids


SIGNALS = (signal.SIGKILL, signal.SIGINT, signal.SIGTERM)
MOMENTS = ("random", "random", "confirmed")
EXIT_CODES = {0, 1, -signal.SIGKILL, 128 + signal.SIGINT, 128 + signal.SIGTERM}


def test_killed_commands_keep_every_confirmed_change(pk, files, tmp_path):
    for n in range(12):
        pk("add", f"to close {n}", "--tag", "seed", "--due", "in 3h")
    env = environment(files)
    runs: list[Run] = []
    to_close = iter(range(1, 13))
    for kind in ("add", "done", "import", "remind"):
        for number in SIGNALS:
            for index, moment in enumerate(MOMENTS):
                run = Run(kind, number, moment, subject=f"{kind}-{number}-{index}")
                if kind == "add":
                    args = ["add", run.subject, "--tag", "killed", "--due", "in 2h"]
                elif kind == "done":
                    run.subject = str(next(to_close, 1))
                    args = ["done", run.subject]
                elif kind == "import":
                    path, uuids = import_file(tmp_path, f"{run.subject}.json", 300)
                    run.subject = ",".join(sorted(uuids))
                    args = ["import", str(path)]
                else:
                    added = pk("add", run.subject, "--due", "in 10m")
                    run.subject = added.stdout.split()[1]  # "#N"
                    args = ["remind", "--within", "15m"]
                run.stdout, run.stderr, run.code = stop(args, env, number, moment)
                runs.append(run)
    check_runs(files.db, runs)


def check_runs(db: Path, runs: list[Run]) -> None:
    assert_whole(db)
    conn = sqlite3.connect(db)
    try:
        for run in runs:
            assert run.code in EXIT_CODES, (run, run.stderr)
            no_traceback(run.stderr)
            if run.code in (130, 143):
                assert run.stderr.endswith("nothing more was written\n"), run.stderr
            check_run(conn, run)
        confirmed_ids = [int(run.stdout.split()[1].lstrip("#")) for run in runs if run.kind == "add" and run.confirmed]
        assert len(confirmed_ids) == len(set(confirmed_ids))  # no number given twice
        assert sum(run.confirmed for run in runs) >= len(SIGNALS) * 4  # at least every "confirmed" one
    finally:
        conn.close()


def check_run(conn: sqlite3.Connection, run: Run) -> None:
    if run.kind == "add":
        found = conn.execute("SELECT id FROM promise WHERE what = ?", (run.subject,)).fetchall()
        assert len(found) <= 1
        if run.confirmed:  # "Promised #N what: …": that very number holds that very promise
            number = int(run.stdout.split()[1].lstrip("#"))
            assert found == [(number,)], run
    elif run.kind == "done":
        state = conn.execute("SELECT state FROM promise WHERE id = ?", (int(run.subject),)).fetchone()[0]
        if run.confirmed:
            assert state == "kept", run
    elif run.kind == "import":
        uuids = run.subject.split(",")
        marks = ",".join("?" * len(uuids))
        present = conn.execute(f"SELECT count(*) FROM promise WHERE uuid IN ({marks})", uuids).fetchone()[0]
        assert present in (0, len(uuids)), run  # all or nothing
        if run.confirmed:
            assert present == len(uuids), run
    else:
        ident = int(run.subject.lstrip("#"))
        sent = conn.execute("SELECT count(*) FROM event WHERE kind = 'reminded' AND promise_id = ?", (ident,)).fetchone()[0]
        assert sent <= 1, run  # never twice
        if run.confirmed and run.subject in run.stdout:
            assert sent == 1, run


# -- a full disk ----------------------------------------------------------------------------------


class Disk:
    """A small disk for the test's files: a 2 MiB tmpfs where one can be mounted (root; set
    PK_TEST_NO_TMPFS=1 to use the other way), else a file-size limit on the pk processes;
    `fill(kib)` leaves about that much room."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.root.mkdir()
        self.tmpfs = not os.environ.get("PK_TEST_NO_TMPFS") and subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(root)], capture_output=True).returncode == 0
        self.limit: int | None = None

    def fill(self, kib: int) -> None:
        filler = self.root / "filler"
        filler.unlink(missing_ok=True)
        if self.tmpfs:
            free = shutil.disk_usage(self.root).free // 1024
            with open(filler, "wb") as handle:
                handle.write(b"\0" * max(0, free - kib) * 1024)
        else:  # no file may grow past this size: the WAL, the exports and backups start empty
            self.limit = kib * 1024

    def empty(self) -> None:
        (self.root / "filler").unlink(missing_ok=True)
        self.limit = None

    def run(self, args: list[str], env: dict[str, str], **options) -> subprocess.CompletedProcess[str]:
        limit = self.limit

        def limited() -> None:
            if limit is not None:
                signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of a kill
                resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

        return subprocess.run([pk_executable(), *args], env=env, capture_output=True, text=True,
                              timeout=120, preexec_fn=limited, **options)

    def close(self) -> None:
        if self.tmpfs:
            subprocess.run(["umount", "-l", str(self.root)], capture_output=True)


@pytest.fixture
def disk(tmp_path) -> Iterator[Disk]:
    made = Disk(tmp_path / "disk")
    try:
        yield made
    finally:
        made.close()


FULL_DISK_COMMANDS = [
    ["add", "one more", "--to", "Eva", "--due", "in 2h"],
    ["done", "1"],
    ["remind", "--within", "3h"],
    ["export", "-o", "{disk}/out.json"],
    ["db", "backup"],
]


@pytest.mark.parametrize("room", [0, 64])
def test_a_full_disk_changes_nothing_and_says_so(pk, files, disk, room):
    env = environment(files, PROMISEKEEPER_DB=str(disk.root / "p.db"))
    for n in range(20):
        added = pk("add", f"promise {n} " + "x" * 300, "--to", "Eva", "--due", "in 2h",
                   env={"PROMISEKEEPER_DB": env["PROMISEKEEPER_DB"]})
        assert added.exit_code == 0, added.output
    for command in FULL_DISK_COMMANDS:
        args = [arg.format(disk=disk.root) for arg in command]
        before = db_content(disk.root / "p.db")
        disk.fill(room)
        result = disk.run(args, env)
        disk.empty()
        no_traceback(result.stderr)
        assert result.returncode in ((1,) if room == 0 else (0, 1)), (args, result.stderr)
        if result.returncode == 1:
            assert len(result.stderr.splitlines()) == 1, result.stderr
            assert db_content(disk.root / "p.db") == before, args
        leftovers = [p.name for p in disk.root.rglob("*") if p.name.endswith(".tmp") or p.name.startswith("out.")]
        assert leftovers == [] or result.returncode == 0, leftovers
        assert not list((disk.root / "backups").glob("*")) or result.returncode == 0
        assert_whole(disk.root / "p.db")
        for made in [*disk.root.glob("out.*"), *(disk.root / "backups").glob("*")]:
            made.unlink()
    assert disk.run(["add", "room again", "--due", "in 2h"], env).returncode == 0


@pytest.mark.parametrize("command", [["add", "x", "--due", "in 2h"], ["done", "1"], ["remind", "--within", "3h"]])
def test_a_change_whose_confirmation_cannot_be_written_is_kept_and_says_so(pk, files, command):
    pk("add", "first", "--due", "in 2h")
    with open("/dev/full", "w") as full:
        result = subprocess.run([pk_executable(), *command], env=environment(files), stdout=full,
                                stderr=subprocess.PIPE, text=True, timeout=60)
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1 and "could not be" in result.stderr, result.stderr
    after = json.loads(pk("show", "1", "--json").stdout)
    if command[0] == "add":
        assert json.loads(pk("show", "2", "--json").stdout)["what"] == "x"
    elif command[0] == "done":
        assert after["state"] == "kept"
    else:
        assert [e["kind"] for e in after["events"]] == ["created", "reminded"]


# -- a long import with others at work -------------------------------------------------------------


def test_a_long_import_does_not_lock_anyone_out(pk, files, tmp_path):
    pk("add", "due soon", "--due", "in 10m")
    path, _uuids = import_file(tmp_path, "big.json", 20_000)
    env = environment(files)
    importing = subprocess.Popen([pk_executable(), "import", str(path)], env=env, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
    others = []
    while importing.poll() is None and len(others) < 24:
        args = ["add", f"alongside {len(others)}", "--due", "in 3h"] if len(others) % 3 else ["remind", "--within", "15m"]
        others.append((args, subprocess.run([pk_executable(), *args], env=env, capture_output=True, text=True,
                                            timeout=120)))
    out, err = importing.communicate(timeout=300)
    assert importing.returncode == 0 and "Imported 20000" in out, err
    assert len(others) >= 3, "the import finished before anything ran alongside it"
    for args, result in others:
        assert result.returncode == 0, (args, result.stderr)
        no_traceback(result.stderr)
    listed = {p["what"] for p in json.loads(pk("list", "--json").stdout)}
    assert {f"alongside {n}" for n in range(len(others)) if n % 3} <= listed
    assert_whole(files.db)


# -- fuzzing ------------------------------------------------------------------------------------

FUZZ = settings(max_examples=80, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
HOSTILE = st.sampled_from([
    "", " ", "1", "#1", "0", "-1", "99999999999999999999", "9223372036854775808", "1e999", "NaN", "@1",
    "x" * 600, "\x1b[2J", "a\x00b", "\u202e", "\ud800", "--json", "--help", "tomorrow 10am", "in 2h",
    "9999-12-31", "0001-01-01", "2201-01-01", "eod", "fri 3pm Europe/Rome", "vpn,billing", "+vpn",
    "[red]x[/]", "'=1+1", "Eva", "INC-1", "week", "who", "csv", "json", "ics", "taskwarrior",
])
WORDS = st.one_of(HOSTILE, st.text(max_size=12))
COMMANDS = st.sampled_from([
    [], ["add"], ["list"], ["show"], ["log"], ["done"], ["reschedule"], ["cancel"], ["reopen"], ["edit"],
    ["note"], ["tried"], ["undo"], ["stats"], ["remind"], ["export"], ["config"], ["config", "get"],
    ["config", "set"], ["db"], ["db", "check"], ["brief"],
])
OPTIONS = st.sampled_from([
    "--to", "--due", "--tag", "--ref", "--via", "--contact", "--owner", "--reason", "--note", "--limit",
    "--at", "--since", "--until", "--by", "--weeks", "--within", "--format", "--all", "--json", "--open",
    "--overdue", "--today", "--week", "--dry-run", "--what", "--add-tag", "--remove-tag", "--list",
])
ARGV = st.builds(lambda command, rest: command + rest, COMMANDS, st.lists(st.one_of(WORDS, OPTIONS), max_size=6))


@pytest.fixture
def seeded(pk, files):
    pk("add", "Send the VPN config", "--to", "Eva", "--tag", "vpn", "--due", "in 2h")
    pk("add", "Call Bob", "--ref", "INC-1", "--due", "tomorrow 10am")
    pk("done", "2")
    return files


@FUZZ
@given(argv=ARGV)
def test_no_argument_vector_meets_a_traceback(pk, seeded, argv):
    before = db_content(seeded.db)
    result = pk(*argv, env={"PK_DEBUG": ""})
    assert result.exit_code in (0, 1, 2), (argv, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), (argv, result.exception)
    no_traceback(result.output)
    if result.exit_code == 2:
        assert db_content(seeded.db) == before, argv


JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), HOSTILE, st.text(max_size=20)),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=8,
)


@pytest.fixture
def exported(pk, seeded) -> dict[str, str]:
    """The seeded database's exports, taken once: each example mutates a fresh copy."""
    return {fmt: pk("export", "--format", fmt).stdout for fmt in ("json", "csv")}


@FUZZ
@given(data=st.data())
def test_no_mutated_json_export_meets_a_traceback(pk, seeded, exported, tmp_path, data):
    document = json.loads(exported["json"])
    for promise in document["promises"]:
        promise["uuid"] = str(uuid.uuid4())
    target = data.draw(st.sampled_from(["promise", "event", "top"]))
    promise = data.draw(st.sampled_from(document["promises"]))
    if target == "promise":
        promise[data.draw(st.sampled_from([*sorted(promise), "extra"]))] = data.draw(JSON_VALUES)
    elif target == "event":
        event = data.draw(st.sampled_from(promise["events"]))
        where = data.draw(st.sampled_from(["data", "event"]))
        holder = event["data"] if where == "data" else event
        holder[data.draw(st.sampled_from([*sorted(holder), "extra"]))] = data.draw(JSON_VALUES)
    else:
        document[data.draw(st.sampled_from(["format", "version", "promises"]))] = data.draw(JSON_VALUES)
    fuzz_import(pk, seeded, tmp_path / "fuzz.json", json.dumps(document))


@FUZZ
@given(data=st.data())
def test_no_mutated_csv_meets_a_traceback(pk, seeded, exported, tmp_path, data):
    rows = list(csv.reader(io.StringIO(exported["csv"])))
    row = data.draw(st.integers(0, len(rows) - 1))
    cells = rows[row]
    action = data.draw(st.sampled_from(["cell", "add", "drop"]))
    if action == "cell":
        cells[data.draw(st.integers(0, len(cells) - 1))] = data.draw(WORDS)
    elif action == "add":
        cells.append(data.draw(WORDS))
    elif len(cells) > 1:
        cells.pop(data.draw(st.integers(0, len(cells) - 1)))
    for line in rows[1:]:
        line[1] = str(uuid.uuid4())
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    raw = out.getvalue()
    if data.draw(st.booleans()):
        position = data.draw(st.integers(0, len(raw)))
        raw = raw[:position] + data.draw(st.sampled_from(['"', "\r", "\n", ",", "\x00", "\x1b"])) + raw[position:]
    fuzz_import(pk, seeded, tmp_path / "fuzz.csv", raw)


@FUZZ
@given(task=st.dictionaries(
    st.sampled_from(["description", "status", "entry", "due", "end", "uuid", "project", "tags", "annotations", "urgency"]),
    JSON_VALUES, max_size=8))
def test_no_mutated_taskwarrior_export_meets_a_traceback(pk, seeded, tmp_path, task):
    base = {"description": "from task", "status": "pending", "entry": "20261120T100000Z",
            "due": "20261130T100000Z", "uuid": str(uuid.uuid4())}
    fuzz_import(pk, seeded, tmp_path / "tasks.json", json.dumps([base | task]), "--format", "taskwarrior")


def fuzz_import(pk, files, path: Path, text: str, *options: str) -> None:
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    before = db_content(files.db)
    result = pk("import", str(path), *options, env={"PK_DEBUG": ""})
    assert result.exit_code in (0, 2), (text[:300], result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    no_traceback(result.output)
    if result.exit_code == 2:
        assert db_content(files.db) == before
        assert len(result.stderr.splitlines()) == 1
    assert_whole(files.db)


# -- raw bytes on a terminal ---------------------------------------------------------------------

PLANTED = {
    "what": "Reset\x1b[2J password\x07\rOVERWRITE\u202eevil",
    "who": "Bob\x1b]0;pwned\x07\x9b31m",
    "ref": "INC\x08\x08\x08",
}


def on_a_terminal(args: list[str], env: dict[str, str]) -> tuple[int, bytes]:
    """pk's exit code, and everything it wrote to a pseudo-terminal (stdout and stderr) as raw bytes."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([pk_executable(), *args], env=env, stdin=subprocess.DEVNULL,
                               stdout=follower, stderr=follower, close_fds=True)
    os.close(follower)
    output = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the other end is closed
            break
        if not chunk:
            break
        output += chunk
    code = process.wait(timeout=60)
    os.close(leader)
    return code, output


_STYLE = re.compile(rb"\x1b\[[0-9;]*m")  # Rich's own colours and styles


def assert_terminal_safe(raw: bytes, command: list[str]) -> None:
    text = _STYLE.sub(b"", raw)
    for sequence in (b"\x1b", b"\x07", b"\x08", "\x9b".encode(), "\u202e".encode()):
        assert sequence not in text, (command, sequence, raw[:400])
    assert re.search(rb"\r(?!\n)", text) is None, (command, raw[:400])  # the terminal turns \n into \r\n


def test_no_command_sends_escape_codes_from_user_text_to_a_terminal(pk, files, tmp_path):
    """Promise text, names, notes, settings and paths hold escape codes an older pk let in;
    every command, on a real pseudo-terminal, shows them without the control bytes."""
    folder = tmp_path / "evil\x1b[2J\x07"
    folder.mkdir()
    database = folder / "p.db"
    env = environment(files, PROMISEKEEPER_DB=str(database), TERM="xterm-256color", COLUMNS="160",
                      PROMISEKEEPER_CONFIG=str(tmp_path / "c.toml"))
    (tmp_path / "c.toml").write_text('owner = "Eve\\u001b[2J\\u0007"\n')
    local = {key: env[key] for key in ("PROMISEKEEPER_DB", "PROMISEKEEPER_CONFIG")}
    pk("add", "Reset password", "--to", "Bob", "--ref", "INC-1", "--owner", "Eve", "--due", "in 10m", env=local)
    pk("add", "Second", "--due", "2026-11-23 08:00", now="2026-11-23T07:00:00+01:00", env=local)
    pk("note", "1", "a note", env=local)
    with sqlite3.connect(database) as conn:
        for name, value in PLANTED.items():
            conn.execute(f"UPDATE promise SET {name} = ?", (value,))
        conn.execute("UPDATE event SET data = ? WHERE kind = 'noted'", (json.dumps({"text": PLANTED["what"]}),))
    for command in ([], ["list"], ["list", "--all"], ["show", "1"], ["log"], ["log", "1"], ["stats"],
                    ["stats", "--by", "who"], ["export"], ["export", "--format", "csv"], ["export", "--format", "ics"],
                    ["list", "--json"], ["remind", "--dry-run", "--within", "1h"], ["brief"], ["config"],
                    ["config", "get", "owner"], ["config", "path"], ["db"], ["db", "path"], ["db", "check"],
                    ["show", "\x1b[2J"], ["prompt"], ["undo", "--list"],
                    # changes, whose confirmations show the planted text
                    ["tried", "1"], ["note", "1", "plain"], ["edit", "1", "--via", "phone"],
                    ["reschedule", "1", "tomorrow 10am", "--reason", "waiting"], ["done", "1"], ["reopen", "1"],
                    ["cancel", "1", "--reason", "solved"], ["undo"], ["remind", "--within", "1d"],
                    ["export", "-o", str(folder / "out\x1b[2J.json")], ["db", "backup", str(folder / "b\x07.db")],
                    ["import", str(folder / "out\x1b[2J.json")], ["import", str(folder / "none\x1b.json")],
                    ["db", "restore", str(folder / "b\x07.db")]):
        code, raw = on_a_terminal(command, env)
        # refused: no such promise, no such file, and the export of text an older pk let in
        refused = command == ["show", "\x1b[2J"] or command[:1] == ["import"]
        assert code == (2 if refused else 0), (command, raw[-300:])
        assert_terminal_safe(raw, command)
