"""Run `pk`: the Typer app with every command registered on it, in the order of --help."""

from __future__ import annotations

from collections.abc import Sequence

# Importing a module registers its commands on the app, in this order in --help.
# isort: off
from promisekeeper.cli import (  # noqa: F401
    changes,
    views,
    lookup,
    accounting,
    reminders,
    pushing,
    syncing,
    prompting,
    exchange,
    settings,
    outbox,
)
# isort: on
from promisekeeper.cli.app import app

__all__ = ["app", "run"]


def run(args: Sequence[str]) -> int:
    """Run `pk` with these arguments; returns the exit code."""
    try:
        app(args=color_first(list(args)), prog_name="pk")
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else 1
    return 0


def color_first(args: list[str]) -> list[str]:
    """`--color WHEN` is an option of `pk` itself; typed after a command (`pk list --color
    never`) it is moved in front, as people expect of a global option."""
    from promisekeeper.views.output import COLOR_CHOICES

    if not args or args[0] == "prompt":
        return args  # `pk prompt --color` is that command's own flag
    end = args.index("--") if "--" in args else len(args)
    for index in range(1, end):
        word = args[index]
        if word.startswith("--color="):
            return [word, *args[:index], *args[index + 1 :]]
        if word == "--color" and index + 1 < end and args[index + 1] in COLOR_CHOICES:
            return [word, args[index + 1], *args[:index], *args[index + 2 :]]
    return args
