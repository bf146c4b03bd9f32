"""Trust boundaries (issue 18), other people's files: pk touches only what is the user's.

- PROMISEKEEPER_DB naming a folder, a device or a FIFO is refused in one line and left as it
  was (once, `~/work` was chmod'ed 0600 and `/dev/null` too);
- another user's database that others may read is refused on every path: the commands say
  why, the prompt and completion show nothing and cache nothing;
- a config (or import) file that is a FIFO, a device or huge is refused in one line, never
  waited on or read whole;
- a TZ that is no zone (a file such as /etc/passwd, a huge value) is warned about, shortened;
- a database on a read-only file system is read, exported and backed up; changes are refused
  with the reason.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import Files, pk_executable

pytestmark = [
    pytest.mark.reliability,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="FIFOs, devices and mounts as on Linux"),
]
Run = Callable[..., subprocess.CompletedProcess[str]]
root_only = pytest.mark.skipif(os.geteuid() != 0, reason="needs root (to give a file to another user, to mount)")


def one_line(done: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in done.stderr, done.stderr
    assert done.stderr.count("\n") == 1, done.stderr
    return done.stderr


def complete(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **env}
    environment.pop("PK_DEBUG", None)
    return subprocess.run([pk_executable(), "__complete", "4", "pk", "add", "x", "--to", ""],
                          env=environment, capture_output=True, text=True, timeout=20, check=False)


@pytest.fixture
def fifo(files: Files) -> Path:
    path = files.root / "pipe"
    os.mkfifo(path, 0o644)
    return path


@pytest.mark.parametrize("kind", ["folder", "fifo", "device"])
def test_a_database_path_that_is_no_file_is_refused_untouched(kind: str, files: Files, fifo: Path,
                                                               pk_process: Run) -> None:
    folder = files.root / "work"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    path = {"folder": folder, "fifo": fifo, "device": Path("/dev/null")}[kind]
    before = stat.S_IMODE(path.stat().st_mode)
    env = {"PROMISEKEEPER_DB": str(path)}
    for command in (("list",), ("add", "x"), ("db",)):
        done = pk_process(*command, env=env, timeout=20)
        assert done.returncode == 1
        assert "not a database file" in one_line(done) and "left untouched" in done.stderr
    prompt = pk_process("prompt", env=env, timeout=20)
    assert (prompt.returncode, prompt.stdout, prompt.stderr) == (0, "", "")
    assert complete(env).returncode == 0
    assert stat.S_IMODE(path.stat().st_mode) == before


@root_only
def test_another_users_readable_database_is_refused_on_every_path(files: Files, pk_process: Run) -> None:
    assert pk_process("add", "Call back", "--to", "Mallory Secretname", "--due", "3pm").returncode == 0
    for name in files.db.parent.iterdir():
        os.chown(name, 65534, 65534)
        name.chmod(0o644)
    for state in files.state.glob("*"):
        state.unlink()
    listed = pk_process("list")
    assert listed.returncode == 1 and "belongs to another user" in one_line(listed)
    prompt = pk_process("prompt", "--format", "{next_who}")
    assert (prompt.stdout, prompt.stderr) == ("", "")
    assert "Secretname" not in complete({}).stdout
    cached = [path for path in files.state.rglob("*") if path.is_file()]
    assert not any("Secretname" in path.read_text("utf-8", "replace") for path in cached)
    assert stat.S_IMODE(files.db.stat().st_mode) == 0o644  # someone else's: not changed


@pytest.mark.parametrize("kind", ["fifo", "device", "huge"])
def test_a_config_that_is_no_small_file_is_refused_without_hanging(kind: str, files: Files, fifo: Path,
                                                                   pk_process: Run) -> None:
    huge = files.root / "huge.toml"
    with open(huge, "wb") as handle:
        handle.truncate(2 * 1024 * 1024)
    config = {"fifo": fifo, "device": Path("/dev/zero"), "huge": huge}[kind]
    env = {"PROMISEKEEPER_CONFIG": str(config)}
    listed = pk_process("list", env=env, timeout=20)  # a hang is a timeout: the test fails
    assert listed.returncode == 2
    assert str(config) in one_line(listed)
    assert pk_process("prompt", env=env, timeout=20).returncode == 0
    assert pk_process("init", "bash", env=env, timeout=20).returncode == 0
    assert complete(env).returncode == 0


def test_an_import_from_a_fifo_is_refused_with_the_way_that_works(fifo: Path, pk_process: Run) -> None:
    done = pk_process("import", str(fifo), timeout=20)
    assert done.returncode == 2 and "pk import -" in one_line(done)


@pytest.mark.parametrize("value", ["/etc/passwd", "Mars/Olympus_Mons" + "x" * 50_000])
def test_a_tz_that_is_no_zone_is_warned_about_shortened(value: str, pk_process: Run) -> None:
    assert pk_process("db", "init").returncode == 0
    done = pk_process("list", env={"TZ": value})
    assert done.returncode == 0
    assert "is not a time zone this system knows" in one_line(done)
    assert len(done.stderr) < 300


@pytest.fixture
def read_only_mount(files: Files) -> Iterator[Path]:
    folder = files.root / "ro"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder)],
                             capture_output=True, check=False)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


@root_only
def test_a_read_only_database_is_read_exported_and_backed_up(files: Files, read_only_mount: Path,
                                                              pk_process: Run) -> None:
    env = {"PROMISEKEEPER_DB": str(read_only_mount / "p.db")}
    assert pk_process("add", "Call Eva", "--to", "Eva", "--due", "3pm", env=env).returncode == 0
    subprocess.run(["mount", "-o", "remount,ro", str(read_only_mount)], check=True)
    listed = pk_process("list", env=env)
    assert (listed.returncode, listed.stderr) == (0, "") and "Call Eva" in listed.stdout
    exported = pk_process("export", env=env)
    assert exported.returncode == 0 and "Call Eva" in exported.stdout
    backup = files.root / "copy.db"
    assert pk_process("db", "backup", str(backup), env=env).returncode == 0 and backup.exists()
    assert pk_process("prompt", env=env).stdout.strip() != ""
    refused = pk_process("done", "1", env=env)
    assert refused.returncode == 1 and "mounted read-only" in one_line(refused)
