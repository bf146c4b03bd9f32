"""`pk prompt`, `pk init` and `pk brief`: promisekeeper in the prompt, the status line and cron.

`__main__` runs `pk prompt` and `pk init` without loading this framework at all; these
Typer commands call the same standard-library functions, for `--help` and for tests
that run the CLI in-process.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from promisekeeper.cli import context
from promisekeeper.cli.app import app
from promisekeeper.cli.whose import OwnerOpt, TeamOpt
from promisekeeper.errors import BadInput


@app.command()
def prompt(
    template: Annotated[
        str | None,
        typer.Option(
            "--format",
            metavar="FMT",
            help="A template of {overdue}, {today} (due later today), {next_in} (e.g. 35m, 5h, 3d) "
            "and {next_who}. Default: ⚑N ◷M, or the config's prompt.format.",
        ),
    ] = None,
    ascii: Annotated[
        bool | None, typer.Option("--ascii/--no-ascii", help="!N ~M instead of ⚑N ◷M.")
    ] = None,
    color: Annotated[
        bool | None,
        typer.Option(
            "--color/--no-color",
            help="Red when something is overdue, else yellow (default: config prompt.color).",
        ),
    ] = None,
    shell: Annotated[
        str,
        typer.Option(
            "--shell",
            metavar="plain|bash|zsh|tmux",
            help="Where it is shown: escapes and colour codes for that place.",
        ),
    ] = "plain",
    schedule: Annotated[
        bool,
        typer.Option("--schedule", help="Print the schedule the shell hooks read, from now on."),
    ] = False,
) -> None:
    """The prompt segment (⚑2 ◷3: 2 overdue, 3 more due today); nothing when all is well."""
    from promisekeeper.shell import prompt as segment
    from promisekeeper.shell.schedule import Unreadable

    options = segment.Options(template, ascii, color, shell, schedule)
    try:
        segment.check_options(options)
        segment.run(options)
    except segment.UsageError as error:
        raise BadInput(str(error)) from None
    except Unreadable:
        return  # a prompt must never fail: the segment is simply not shown


@app.command()
def init(
    kind: Annotated[
        str,
        typer.Argument(
            metavar="bash|zsh|fish|starship|tmux|cron|systemd",
            help="What to print the snippet for.",
        ),
    ],
    env_only: Annotated[
        bool,
        typer.Option(
            "--env-only",
            help="Shells: only keep $PROMISEKEEPER_SEGMENT current; leave the prompt "
            "alone (for starship, powerlevel10k or a prompt of your own).",
        ),
    ] = False,
) -> None:
    """Print a snippet that hooks pk in.

    bash: eval "$(pk init bash)" in ~/.bashrc · zsh: eval "$(pk init zsh)" in ~/.zshrc ·
    fish: pk init fish | source in config.fish · starship: add to starship.toml ·
    tmux: add to ~/.tmux.conf · cron: (crontab -l; pk init cron) | crontab - ·
    systemd: pk init systemd | sh
    """
    from promisekeeper.shell import integrations

    try:
        text = integrations.snippet(kind, env_only=env_only)
    except integrations.UsageError as error:
        raise BadInput(str(error)) from None
    sys.stdout.write(text)


@app.command()
def brief(
    ctx: typer.Context,
    once_a_day: Annotated[
        bool,
        typer.Option(
            "--once-a-day",
            help="Only the first time each day, and mark the day as shown (what the shell "
            "snippets run).",
        ),
    ] = False,
    owner: OwnerOpt = None,
    team: TeamOpt = False,
) -> None:
    """What is overdue and due today, in a small panel; nothing when all is well.

    A plain `pk brief` does not use up the day's briefing: the first new shell of the day
    still shows it. Only `--once-a-day` marks the day as shown. On a database shared by
    several owners, your own promises (config `owner`, else your login).
    """
    from promisekeeper.cli.whose import asked_for
    from promisekeeper.views.brief import brief as show_brief

    rt = context.of(ctx)
    show_brief(rt.db, rt.view, once_a_day=once_a_day, whose=asked_for(rt, owner, team))


@app.command()
def completion(
    shell: Annotated[str, typer.Argument(metavar="bash|zsh|fish", help="The shell to complete in.")],
) -> None:
    """Print a shell completion script: commands, options, promise numbers, names, tags.

    bash: eval "$(pk completion bash)" in ~/.bashrc · zsh: eval "$(pk completion zsh)" in
    ~/.zshrc, after compinit · fish: pk completion fish | source in config.fish
    """
    from promisekeeper.cli.completion import answer as completing

    try:
        text = completing.script(shell)
    except ValueError as error:
        raise BadInput(f"{error}; usage: {completing.USAGE}") from None
    sys.stdout.write(text)
