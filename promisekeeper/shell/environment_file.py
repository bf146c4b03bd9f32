"""The private environment file that cron lines, systemd units and tmux read pk's secrets from.

A job started by cron or systemd has none of the login's variables, so `pk init cron`,
`pk init systemd` and `pk init tmux` must say where the database and the passwords are. A
crontab, a unit file (mode 0644 in ~/.config/systemd/user) and tmux.conf are readable by
others, so they never hold a secret: the variables of `secrets.SECRET_ENVIRONMENT` that are
set are written to this file instead, mode 0600, and the job reads it (a unit's
`EnvironmentFile=`, a cron line's `. FILE`). One line per variable, `NAME="VALUE"` with
`"`, `\\`, `$` and `` ` `` escaped by a backslash: sh and systemd read that the same way.

Standard library only (`pk init` runs before Typer loads).
"""

from __future__ import annotations

import os

from promisekeeper import paths
from promisekeeper.secrets import SECRET_ENVIRONMENT

FILE_NAME = "environment"
_ESCAPED = '"\\$`'


def location() -> str:
    """Where the file is: beside the config file."""
    return os.path.join(os.path.dirname(paths.config_file()), FILE_NAME)


def secret_pairs() -> list[tuple[str, str]]:
    """The secret-carrying variables set in this environment, as name and value (a database
    that is an SQLite file carries none: the job names its path itself)."""
    return [
        (name, os.environ[name]) for name in SECRET_ENVIRONMENT
        if os.environ.get(name, "").strip()
        and not (name == paths.DB_VAR and paths.sqlite_file(os.environ[name].strip()) is not None)
    ]


def line(name: str, value: str) -> str:
    """`NAME="VALUE"`, read alike by sh's `.` and systemd's EnvironmentFile=."""
    if "\n" in value or "\r" in value or "\0" in value:
        raise ValueError(f"{name} contains a line break and cannot be written into {FILE_NAME}")
    escaped = "".join("\\" + char if char in _ESCAPED else char for char in value)
    return f'{name}="{escaped}"'


def text(pairs: list[tuple[str, str]]) -> str:
    header = "# promisekeeper's secrets for cron and systemd jobs, written by `pk init`; mode 0600.\n"
    return header + "".join(line(name, value) + "\n" for name, value in pairs)


def write() -> list[str]:
    """Write the set secret variables into the file (0600); the names written, [] when none
    is set (then an existing file is left as it is)."""
    pairs = secret_pairs()
    if not pairs:
        return []
    paths.atomic_write(location(), text(pairs).encode("utf-8"))
    return [name for name, _value in pairs]


def sh_source(quote_path: str) -> str:
    """sh that exports the file's variables when it exists (a missing file is no error)."""
    return f"[ ! -r {quote_path} ] || {{ set -a; . {quote_path}; set +a; }};"
