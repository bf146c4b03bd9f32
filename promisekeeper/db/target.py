"""Which database a command uses: an SQLite file (the default) or PostgreSQL by URL.

Standard library only: the prompt and completion fast paths read it. `PROMISEKEEPER_DB` is
a path, `sqlite:///path`, or `postgresql://user:password@host/dbname` (also written
`postgres://` or `postgresql+psycopg://`); PostgreSQL is changed through psycopg 3 and read
through libpq itself (`db/libpq`).
"""

from __future__ import annotations

import os

from promisekeeper import paths
from promisekeeper.errors import BadInput, NoDatabase, StorageError
from promisekeeper.secrets import mask_url

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
_POSTGRES_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")
INSTALL_POSTGRES = "pip install 'promisekeeper[postgres]'"


class Target:
    """One database: its engine, its file or URL, and how it may be printed."""

    __slots__ = ("_shown", "conninfo", "creates", "engine", "file", "key", "url")

    def __init__(self, key: str) -> None:
        self.key = key  # as configured: names the state files that belong to this database
        # Only `pk add`, `pk import`, `pk db init` and `pk db restore` make a database: a
        # mistyped path must fail where cron mails it, not start an empty one.
        self.creates = False
        self.file = paths.sqlite_file(key)
        self.conninfo: str | None = None
        self.url: str | None = None
        if self.file is not None:
            self.engine = SQLITE
            self._shown: str | None = self.file
            return
        self.engine = POSTGRESQL
        self.conninfo = _postgres_conninfo(key)
        self.url = "postgresql+psycopg://" + self.conninfo.partition("://")[2]
        self._shown = None  # masked when first printed: the prompt's rebuild never prints it

    @property
    def shown(self) -> str:
        """The database as it may be printed (a URL's password and secret parameters masked)."""
        if self._shown is None:
            self._shown = masked(self.key)
        return self._shown

    @property
    def is_sqlite(self) -> bool:
        return self.engine == SQLITE


def current() -> Target:
    """The database this environment names (PROMISEKEEPER_DB, else the XDG data file)."""
    return Target(paths.database_target())


def no_database(target: Target) -> NoDatabase:
    from promisekeeper.lang.i18n import _

    return NoDatabase(_("no database at {place} (create it with pk add or pk db init)").format(place=target.shown))


def require_folder(target: Target) -> None:
    """A new database file goes only into a folder that exists, or into pk's own default one."""
    folder = os.path.dirname(str(target.file))
    if os.path.isdir(folder) or target.file == os.path.join(paths.data_dir(), "promises.db"):
        return
    from promisekeeper.lang.i18n import _

    raise StorageError(_(
        "no folder {folder} for the database at {place}; create the folder first, or correct {variable}"
    ).format(folder=folder, place=target.shown, variable=paths.DB_VAR))


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
