"""Which database a command uses: an SQLite file (the default) or PostgreSQL by URL.

Standard library only: the prompt and completion fast paths read it. `PROMISEKEEPER_DB` is
a path, `sqlite:///path`, or `postgresql://user:password@host/dbname` (also written
`postgres://` or `postgresql+psycopg://`); PostgreSQL is reached through psycopg 3.
"""

from __future__ import annotations

from promisekeeper import paths
from promisekeeper.errors import BadInput
from promisekeeper.secrets import mask_url

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
_POSTGRES_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")
INSTALL_POSTGRES = "pip install 'promisekeeper[postgres]'"


class Target:
    """One database: its engine, its file or URL, and how it may be printed."""

    __slots__ = ("conninfo", "engine", "file", "key", "shown", "url")

    def __init__(self, key: str) -> None:
        self.key = key  # as configured: names the state files that belong to this database
        self.file = paths.sqlite_file(key)
        self.conninfo: str | None = None
        self.url: str | None = None
        if self.file is not None:
            self.engine = SQLITE
            self.shown = self.file
            return
        self.engine = POSTGRESQL
        self.conninfo = _postgres_conninfo(key)
        self.url = "postgresql+psycopg://" + self.conninfo.partition("://")[2]
        self.shown = masked(key)

    @property
    def is_sqlite(self) -> bool:
        return self.engine == SQLITE


def current() -> Target:
    """The database this environment names (PROMISEKEEPER_DB, else the XDG data file)."""
    return Target(paths.database_target())


def _postgres_conninfo(url: str) -> str:
    scheme = url.partition("://")[0].lower()
    if scheme in _POSTGRES_SCHEMES:
        return "postgresql://" + url.partition("://")[2]
    from promisekeeper.lang.i18n import _

    if scheme.startswith("postgresql+"):
        raise BadInput(_(
            "promisekeeper reaches PostgreSQL through psycopg 3; write the URL as "
            "postgresql://… rather than {scheme}:// ({install})"
        ).format(scheme=scheme, install=INSTALL_POSTGRES))
    raise BadInput(_(
        "PROMISEKEEPER_DB '{url}' is not a database promisekeeper can use; "
        "give a file path, sqlite:///path or postgresql://user@host/dbname"
    ).format(url=masked(url)))


def masked(url: str) -> str:
    """A URL as it may be printed: its password (and secret query parameters) replaced by ***."""
    return mask_url(url)
