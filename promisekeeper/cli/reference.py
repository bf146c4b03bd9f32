"""The command line described as data: every command, its arguments and options, with
their help, read from the Typer declarations.

It is the one source of the man page (`scripts/manpage`) and of the table shell completion
reads (`promisekeeper/cli/completion/spec.py`, written by `scripts/completion-spec`), so both
say what `--help` says. Only those scripts and their tests import it.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Option:
    names: tuple[str, ...]  # "--tag", "-t" (and "--no-ascii" for a pair of flags)
    metavar: str | None  # None for a flag
    help: str


@dataclass(frozen=True)
class Argument:
    metavar: str
    many: bool  # takes several words (WHAT...)
    required: bool
    help: str


@dataclass
class Command:
    name: str  # "pk", "add", "config set"
    help: str
    summary: str  # the first sentence, as the command list shows it
    usage: str
    arguments: list[Argument] = field(default_factory=list)
    options: list[Option] = field(default_factory=list)
    commands: list[Command] = field(default_factory=list)


def describe() -> Command:
    """The whole `pk` command tree, as its help shows it."""
    import typer.main

    from promisekeeper.cli.main import app

    root = typer.main.get_command(app)
    return _command(root, "pk", None)


def _command(command: Any, name: str, parent: Any) -> Command:
    context = command.make_context(name, [], parent=parent, resilient_parsing=True)
    described = Command(
        name=name,
        help=inspect.cleandoc(command.help or ""),
        summary=command.get_short_help_str(limit=10_000),
        usage=" ".join([context.command_path, *command.collect_usage_pieces(context)]),
    )
    for param in command.get_params(context):
        if param.hidden:
            continue
        if param.param_type_name == "argument":
            described.arguments.append(
                Argument(param.metavar or param.name.upper(), param.nargs == -1, param.required, param.help or "")
            )
        else:
            metavar = None if getattr(param, "is_flag", False) else (param.metavar or param.name.upper())
            names = sorted([*param.opts, *param.secondary_opts], key=lambda n: (not n.startswith("--"), n))
            described.options.append(Option(tuple(names), metavar, param.help or ""))
    for sub_name in getattr(command, "commands", {}):
        sub = command.commands[sub_name]
        if not sub.hidden:
            described.commands.append(_command(sub, sub_name, context))
    return described


# -- the table shell completion reads ---------------------------------------------------------

SPEC_HEADER = '''"""What shell completion knows of the command line: commands, options, arguments.

Generated from the CLI's declarations by scripts/completion-spec; do not edit (a test
checks it is up to date). Read by `promisekeeper.cli.completion.answer` without loading the CLI.
"""

'''


def completion_tree(command: Command) -> dict[str, Any]:
    """A command as plain data: its summary, options (name → metavar or None, help),
    arguments (metavar, takes several words) and subcommands."""
    return {
        "help": command.summary,
        "options": {name: (option.metavar, " ".join(option.help.split())) for option in command.options
                    for name in option.names},
        "arguments": [(argument.metavar, argument.many) for argument in command.arguments],
        "commands": {sub.name: completion_tree(sub) for sub in command.commands},
    }


def completion_spec_source() -> str:
    """The text of promisekeeper/cli/completion/spec.py."""
    import pprint

    from promisekeeper.config import SETTINGS

    tree = pprint.pformat(completion_tree(describe()), width=100, sort_dicts=False)
    keys = pprint.pformat(tuple(SETTINGS), width=100)
    return f"{SPEC_HEADER}TREE = {tree}\n\nSETTINGS = {keys}\n"
