"""A PostgreSQL server for the test session: the one named by PROMISEKEEPER_TEST_POSTGRES_URL,
else a throw-away cluster made from the installed server binaries, else a skip that says why.

The throw-away cluster lives in one temporary folder: its data, its log, and its Unix socket
(no TCP port is opened). It is started when the first PostgreSQL case asks for it and stopped
and removed when the session ends, passing, failing or interrupted. `initdb` refuses to run as
root, so under root (as in CI) the server runs as the `postgres` system user.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

URL_VAR = "PROMISEKEEPER_TEST_POSTGRES_URL"
NOT_INSTALLED = f"PostgreSQL is not installed: apt-get install postgresql, or set {URL_VAR}"
NO_DRIVER = "psycopg is not installed: pip install 'promisekeeper[postgres]'"
SUPERUSER = "pk_test"
DATABASE = "promisekeeper_test"
PORT = 5432  # only names the socket file: the socket folder is this cluster's alone
FOLDER_PREFIX = "pk-test-pg-"
INSTALLED = Path("/usr/lib/postgresql")  # Debian and Ubuntu keep each version's server here
# Speed over durability: the cluster is thrown away at the end of the session.
SETTINGS = {
    "listen_addresses": "''",
    "port": str(PORT),
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "shared_buffers": "16MB",
}


@dataclass
class PostgresServer:
    """The test database on a PostgreSQL server, and one autocommit connection to it."""

    url: str  # an SQLAlchemy URL, what PROMISEKEEPER_DB gets
    connection: Any  # psycopg.Connection, imported only when PostgreSQL is used

    def reset(self) -> None:
        """Empty the test database for the next test.

        Dropping and recreating the schema, tables and all, takes about 6 ms; a new database
        per test took about 50 ms. Connections a previous test left open are ended first,
        so none holds a lock.
        """
        self.connection.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        self.connection.execute("DROP SCHEMA IF EXISTS public CASCADE")
        self.connection.execute("CREATE SCHEMA public")

    def rows(self, table: str) -> list[tuple[object, ...]]:
        """Every row of one of promisekeeper's tables, by id; none before the first command."""
        import psycopg
        from psycopg import sql

        query = sql.SQL("SELECT * FROM {} ORDER BY id").format(sql.Identifier(table))
        try:
            with self.connection.transaction():
                return self.connection.execute(query).fetchall()
        except psycopg.errors.UndefinedTable:
            return []


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """The session's PostgreSQL test database, or a skip saying what is missing."""
    given = os.environ.get(URL_VAR, "").strip()
    if given:
        _require_driver()
        yield from _serve(with_driver(given))
        return
    binaries = find_binaries()
    if binaries is None:
        pytest.skip(NOT_INSTALLED)
    _require_driver()
    with throwaway_cluster(binaries) as socket_dir:
        yield from _serve(_create_database(socket_dir))


def _require_driver() -> None:
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip(NO_DRIVER)


def with_driver(url: str) -> str:
    """The URL with psycopg 3 as its driver unless it names one (plain `postgresql://`
    would make SQLAlchemy look for psycopg2)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if "+" not in parsed.drivername:
        parsed = parsed.set(drivername=f"{parsed.drivername}+psycopg")
    return parsed.render_as_string(hide_password=False)


def _connect(url: str) -> Any:
    """A psycopg connection to the database an SQLAlchemy URL names."""
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    params: dict[str, Any] = {key: val for key, val in parsed.query.items() if isinstance(val, str)}
    given = {"host": parsed.host, "port": parsed.port, "user": parsed.username,
             "password": parsed.password, "dbname": parsed.database}
    params.update({key: value for key, value in given.items() if value is not None})
    return psycopg.connect(**params, autocommit=True)


def _serve(url: str) -> Iterator[PostgresServer]:
    with _connect(url) as connection:
        connection.execute("SET lock_timeout = '20s'")  # a stuck reset fails instead of hanging
        yield PostgresServer(url, connection)


def _create_database(socket_dir: Path) -> str:
    from sqlalchemy.engine import URL

    def url(database: str) -> str:
        made = URL.create("postgresql+psycopg", username=SUPERUSER, port=PORT, database=database,
                          query={"host": str(socket_dir)})
        return made.render_as_string(hide_password=False)

    with _connect(url("postgres")) as admin:
        admin.execute(f"CREATE DATABASE {DATABASE} TEMPLATE template0")
    return url(DATABASE)


# -- the throw-away cluster ---------------------------------------------------------------


def find_binaries(path: str | None = None, installed: Path = INSTALLED) -> Path | None:
    """The folder holding initdb and pg_ctl: on PATH, else the newest INSTALLED/*/bin."""
    initdb, pg_ctl = shutil.which("initdb", path=path), shutil.which("pg_ctl", path=path)
    if initdb and pg_ctl and Path(initdb).parent == Path(pg_ctl).parent:
        return Path(initdb).parent
    versions = sorted(installed.glob("*/bin"), key=_version, reverse=True)
    return next((folder for folder in versions if _has_tools(folder)), None)


def _version(folder: Path) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in folder.parent.name.split("."))
    except ValueError:
        return ()


def _has_tools(folder: Path) -> bool:
    return all(os.access(folder / name, os.X_OK) for name in ("initdb", "pg_ctl"))


@contextmanager
def throwaway_cluster(binaries: Path) -> Iterator[Path]:
    """A new cluster in a temporary folder, serving on a socket there until the block ends."""
    runner = ServerRunner(binaries)
    remove_abandoned_clusters(runner)
    # The session's process id in the name tells a later session whether this one still runs.
    folder = Path(tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}{os.getpid()}-"))
    try:
        runner.hand_over(folder)
        runner.run("initdb", "-D", str(folder / "data"), f"--username={SUPERUSER}", "--auth=trust",
                   "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions")
        _write_settings(folder)
        runner.start(folder)
        yield folder
    finally:
        runner.stop(folder)
        _remove(folder)


def _write_settings(folder: Path) -> None:
    settings = dict(SETTINGS, unix_socket_directories=f"'{folder}'")
    with open(folder / "data" / "postgresql.conf", "a", encoding="utf-8") as conf:
        conf.write("".join(f"{name} = {value}\n" for name, value in settings.items()))


def _remove(folder: Path) -> None:
    # A server process killed mid-write (initdb interrupted by Ctrl-C) may still add a file
    # or two just after the first pass.
    for _ in range(10):
        shutil.rmtree(folder, ignore_errors=True)
        if not folder.exists():
            return
        time.sleep(0.2)


def remove_abandoned_clusters(runner: ServerRunner) -> None:
    """Stop and remove clusters whose test session was killed before it could clean up."""
    for folder in Path(tempfile.gettempdir()).glob(f"{FOLDER_PREFIX}*-*"):
        if folder.stat().st_uid == runner.uid and not _session_runs(folder):
            runner.stop(folder)
            _remove(folder)


def _session_runs(folder: Path) -> bool:
    try:
        os.kill(int(folder.name.removeprefix(FOLDER_PREFIX).split("-")[0]), 0)
    except ProcessLookupError:
        return False
    except (OSError, ValueError):
        return True  # another user's session, or a name not made here: leave it be
    return True


class ServerRunner:
    """Runs the PostgreSQL tools, as the `postgres` system user when the tests run as root."""

    def __init__(self, binaries: Path) -> None:
        self.binaries = binaries
        self.account = _server_account() if os.geteuid() == 0 else None
        self.uid = self.account.pw_uid if self.account else os.geteuid()  # owns the cluster folders

    def hand_over(self, folder: Path) -> None:
        if self.account is not None:
            os.chown(folder, self.account.pw_uid, self.account.pw_gid)

    def run(self, tool: str, *args: str) -> None:
        uid: int | None = None  # None: run as ourselves
        gid: int | None = None
        groups: list[int] | None = None
        if self.account is not None:
            uid, gid, groups = self.account.pw_uid, self.account.pw_gid, []
        environment = {name: val for name, val in os.environ.items() if not name.startswith("PG")}
        # The tools need a working folder they may enter; the test's may be root's own.
        done = subprocess.run(
            [str(self.binaries / tool), *args], check=False, cwd=tempfile.gettempdir(),
            env=environment, capture_output=True, text=True, timeout=120,
            user=uid, group=gid, extra_groups=groups,
        )
        if done.returncode != 0:
            said = done.stderr.strip() or done.stdout.strip()
            raise RuntimeError(f"{tool} failed ({done.returncode}): {said}")

    def start(self, folder: Path) -> None:
        log = folder / "server.log"
        try:
            self.run("pg_ctl", "start", "--wait", "--timeout=60", "-D", str(folder / "data"),
                     "-l", str(log))
        except RuntimeError as error:
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"the test PostgreSQL server did not start: {error}\n{tail}") from None

    def stop(self, folder: Path) -> None:
        if (folder / "data" / "postmaster.pid").exists():
            with suppress(RuntimeError, subprocess.TimeoutExpired):
                self.run("pg_ctl", "stop", "--wait", "--mode=immediate",
                         "-D", str(folder / "data"))


def _server_account() -> pwd.struct_passwd:
    """The `postgres` system user (Debian's package makes it); made here if there is none."""
    try:
        return pwd.getpwnam("postgres")
    except KeyError:
        subprocess.run(["useradd", "--system", "--user-group", "--no-create-home",
                        "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", "postgres"],
                       check=True, capture_output=True)
        return pwd.getpwnam("postgres")
