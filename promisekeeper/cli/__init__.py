"""The command line: Typer commands, each a thin layer over the ledger and the renderer."""

from __future__ import annotations

from collections.abc import Sequence

# Importing a module registers its commands on the app, in this order in --help.
from promisekeeper.cli import (  # noqa: F401
    changes,
    views,
    lookup,
    accounting,
    reminders,
    prompting,
    exchange,
    settings,
)
from promisekeeper.cli.app import app

__all__ = ["app", "run"]


def run(args: Sequence[str]) -> int:
    """Run `pk` with these arguments; returns the exit code."""
    try:
        app(args=list(args), prog_name="pk")
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else 1
    return 0
