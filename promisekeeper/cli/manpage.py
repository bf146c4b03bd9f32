"""The man page, pk(1), in roff: every command's help as `--help` gives it, and the time
language as `pk help when` prints it.

`scripts/manpage` writes it to man/pk.1, which the wheel installs as share/man/man1/pk.1
(pipx links it, so `man pk` works); a test checks the file is up to date.
"""

from __future__ import annotations

from promisekeeper.cli.reference import Command, describe

ENVIRONMENT = (
    ("PROMISEKEEPER_DB", (
        "the database: a path, or a postgresql:// URL (default ~/.local/share/promisekeeper/promises.db)"
    )),
    ("PROMISEKEEPER_CONFIG", "the settings file (default ~/.config/promisekeeper/config.toml)"),
    ("PROMISEKEEPER_STATE", (
        "small state: the prompt schedule, the last briefing (default ~/.local/state/promisekeeper)"
    )),
    ("PROMISEKEEPER_NOW", "the clock, fixed: ISO 8601 with an offset, or @EPOCH_SECONDS"),
    ("TZ", "your zone (an IANA name or a POSIX rule); an unknown one is read as UTC, with a warning"),
    ("NO_COLOR", "no colour"),
    ("PK_DEBUG", "show a traceback for a genuine bug"),
)
EXIT_STATUS = (
    ("0", "success"),
    ("1", "not found, or a runtime failure (the database cannot be opened, is locked, ...)"),
    ("2", "bad usage or bad input; nothing was written"),
    ("10, 11", "only pk remind --exit-code: coming-up reminders only / a due or overdue one"),
)


def render(version: str, when_text: str) -> str:
    """The whole page."""
    root = describe()
    lines = [
        f'.TH PK 1 "" "promisekeeper {version}" "User Commands"',
        ".SH NAME",
        r"pk, promisekeeper \- keep the promises you make to customers",
        ".SH SYNOPSIS",
        r".B pk",
        r"[\fIOPTIONS\fR] [\fICOMMAND\fR [\fIARGS\fR]...]",
        ".SH DESCRIPTION",
        *_paragraphs(root.help),
        *_paragraphs("With no command, pk shows the agenda: what is overdue, what is due today and what "
                     "comes next. Every command has --help; `pk help when` prints the time language."),
        *_options(root),
        ".SH COMMANDS",
    ]
    for command in root.commands:
        lines += _command(command, [])
    lines += [".SH TIME LANGUAGE", ".nf", *(_text(line) for line in when_text.splitlines()[2:]), ".fi"]
    lines += [".SH ENVIRONMENT", *_pairs(ENVIRONMENT)]
    lines += [".SH EXIT STATUS", *_pairs(EXIT_STATUS)]
    lines += [".SH SEE ALSO", "The README of promisekeeper, which describes every feature in full."]
    return "\n".join(lines) + "\n"


def _command(command: Command, parents: list[str]) -> list[str]:
    path = [*parents, command.name]
    lines = [f'.SS "{_text(command.usage)}"', *_paragraphs(command.help)]
    for argument in command.arguments:
        name = f"{argument.metavar}..." if argument.many else argument.metavar
        lines += [".TP", rf"\fI{_text(name)}\fR", _text(argument.help)]
    lines += _options(command)
    for sub in command.commands:
        lines += _command(sub, path)
    return lines


def _options(command: Command) -> list[str]:
    lines = []
    for option in command.options:
        if "--help" in option.names:
            continue
        names = ", ".join(rf"\fB{_text(name)}\fR" for name in sorted(option.names, key=len))
        value = rf" \fI{_text(option.metavar)}\fR" if option.metavar else ""
        lines += [".TP", names + value, _text(option.help)]
    return lines


def _paragraphs(text: str) -> list[str]:
    lines = []
    for paragraph in text.split("\n\n"):
        if paragraph.strip():
            lines += [".PP", _text(" ".join(paragraph.split()))]
    return lines


def _pairs(rows: tuple[tuple[str, str], ...]) -> list[str]:
    lines = []
    for name, meaning in rows:
        lines += [".TP", rf"\fB{_text(name)}\fR", _text(meaning)]
    return lines


def _text(text: str) -> str:
    """Text as roff reads it literally: backslashes and hyphens escaped, other characters
    than ASCII named, and no line that starts with a control character."""
    escaped = text.replace("\\", r"\e").replace("-", r"\-")
    # Characters beyond ASCII as roff names them (\[u2026]), for any troff and any locale.
    escaped = "".join(char if ord(char) < 128 else f"\\[u{ord(char):04X}]" for char in escaped)
    return rf"\&{escaped}" if escaped.startswith((".", "'")) else escaped
