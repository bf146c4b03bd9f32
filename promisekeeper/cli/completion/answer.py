"""Shell completion, answered before the CLI framework loads: `pk __complete WORD…`.

The scripts `pk completion bash|zsh|fish` prints call it on every TAB with the index of the
word being completed and the words of the command line. It answers on stdout: a first line
saying what the shell should offer (`:words`, or `:files` for a file name), then one
candidate a line, `value<TAB>description`. What the command line holds comes from
`completion_spec` (generated from the CLI's declarations); promise numbers, names, tags,
tickets, channels and owners come from the database through `db.read_completion`.

Standard library only, and it never fails a TAB: a missing or unreadable database, or
anything unexpected, offers nothing (set PK_DEBUG=1 to see an error).
"""

from __future__ import annotations

import os
import sys

from promisekeeper.cli.completion.spec import SETTINGS, TREE

# typing, dataclasses and re cost more than the rest of a TAB; annotations only name them.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

WORDS, FILES = ":words", ":files"
# Which promises a command's ID names: open ones, unless said here.
ID_STATES = {"reopen": ("kept", "released"), "show": ("open", "kept", "released"),
             "log": ("open", "kept", "released")}
CHANNELS = ("phone", "email", "chat", "desk")  # offered beside those in use
DEADLINES = ("eod", "tomorrow", "tomorrow 9am", "in 2h", "fri", "next fri", "nbd", "eow", "eom")
SINCE = ("today", "yesterday", "this week", "last week", "this month", "last month", "30d")
DURATIONS = ("15m", "30m", "1h", "0m")
BOOLEANS = ("true", "false")
# What `pk config set KEY <TAB>` offers, by key (settings whose values are free text: none).
SETTING_VALUES = {
    "language": ("en", "it", "hu", "sv"),
    "business.days": ("mon-fri", "sun-thu", "mon-sat"),
    "business.start": ("08:00", "09:00"), "business.end": ("17:00", "18:00"),
    "remind.lead": DURATIONS, "prompt.refresh": ("1m", "5m", "15m"),
    "prompt.brief": BOOLEANS, "prompt.ascii": BOOLEANS, "prompt.color": BOOLEANS,
}


class Candidate:
    """A value to offer, and what the shell may show beside it."""

    __slots__ = ("description", "value")

    def __init__(self, value: str, description: str = "") -> None:
        self.value = value
        self.description = description

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Candidate) and (self.value, self.description) == (other.value, other.description)

    def __repr__(self) -> str:
        return f"Candidate({self.value!r}, {self.description!r})"


class Position:
    """Where the word being completed stands: in which command, after which option."""

    __slots__ = ("given", "node", "option", "path", "positional")

    def __init__(self, path: list[str], node: dict[str, Any]) -> None:
        self.path = path
        self.node = node
        self.positional = 0  # arguments already given to the command
        self.given: list[str] = []  # and what they are
        self.option: str | None = None  # the option whose value is being completed


def main(args: list[str]) -> int:
    """`pk __complete INDEX WORD…`: print what may stand at word INDEX (0 is `pk`)."""
    try:
        index, words = int(args[0]), args[1:]
        kind, candidates = complete(words, index)
        lines = [kind] + [f"{_one_line(c.value)}\t{_one_line(c.description)}" for c in candidates]
        sys.stdout.write("\n".join(lines) + "\n")
        sys.stdout.flush()
    except Exception:  # a TAB never fails
        if os.environ.get("PK_DEBUG"):
            raise
    return 0


def complete(words: list[str], index: int) -> tuple[str, list[Candidate]]:
    """What may stand at words[index], given the words before it."""
    current = words[index] if index < len(words) else ""
    position = locate(words[1:index])
    if position.option is not None:
        metavar = position.node["options"][position.option][0]
        return values(metavar, current, position)
    if current.startswith("-"):
        return WORDS, _matching(_options(position.node), current)
    if position.node["commands"] and position.positional == 0:
        return WORDS, _matching(_commands(position.node), current)
    arguments = position.node["arguments"]
    if not arguments:
        return WORDS, []
    metavar, many = arguments[min(position.positional, len(arguments) - 1)]
    if position.positional >= len(arguments) and not many:
        return WORDS, []
    return values(metavar, current, position)


def locate(before: list[str]) -> Position:
    """Walk the words before the one being completed through the command tree."""
    position = Position(path=[], node=TREE)
    for word in before:
        if position.option is not None:
            position.option = None  # that word was the option's value
        elif word.startswith("-") and len(word) > 1:
            takes_value = position.node["options"].get(word, (None,))[0] is not None
            position.option = word if takes_value else None
        elif position.positional == 0 and word in position.node["commands"]:
            position.path.append(word)
            position.node = position.node["commands"][word]
        else:
            position.positional += 1
            position.given.append(word)
    return position


def values(metavar: str, current: str, position: Position) -> tuple[str, list[Candidate]]:
    """The candidates for an argument or an option value, by what it is (its metavar)."""
    if metavar == "FILE":
        return FILES, []
    if "|" in metavar:
        return WORDS, _matching([Candidate(choice) for choice in metavar.split("|")], current)
    static = _static(metavar, position)
    if static is not None:
        return WORDS, _matching([Candidate(word) for word in static], current)
    reader_of = _FROM_DATABASE.get(metavar)
    if reader_of is None:
        return WORDS, []
    return WORDS, _from_database(reader_of, current, position)


def _static(metavar: str, position: Position) -> tuple[str, ...] | None:
    if metavar == "WHEN":
        return SINCE if position.option in ("--since", "--until") else DEADLINES
    if metavar == "KEY":
        return SETTINGS
    if metavar == "DURATION":
        return DURATIONS
    if metavar == "TOPIC":
        return tuple(dict.fromkeys(("when", *TREE["commands"])))  # `when` is a command too: once
    if metavar == "VALUE" and position.path == ["config", "set"] and position.given:
        return SETTING_VALUES.get(position.given[0], ())
    return None


# -- from the database ----------------------------------------------------------------------


def _numbers(reader: Any, current: str, position: Position) -> list[Candidate]:
    from promisekeeper.db import read_completion

    command = position.path[0] if position.path else ""
    states = ID_STATES.get(command, ("open",))
    found = read_completion.numbers(reader, prefix=current, states=states)
    return [Candidate(str(ident), what + (f" → {who}" if who else "")) for ident, what, who in found]


def _words(field: str, extra: tuple[str, ...] = ()) -> Callable[[Any, str, Position], list[Candidate]]:
    def read(reader: Any, current: str, position: Position) -> list[Candidate]:
        from promisekeeper.db import read_completion
        from promisekeeper.lang import collation

        found = set(read_completion.words(reader, field=field, prefix=current))
        found |= {c.value for c in _matching([Candidate(word) for word in extra], current)}
        return [Candidate(word) for word in collation.sort_names(sorted(found), _language())]

    return read


def _owners(reader: Any, current: str, position: Position) -> list[Candidate]:
    """Owners' names; for `pk handoff ID --to-owner`, all but the one who holds it now
    (a hand-off to its own owner is refused)."""
    from promisekeeper.db import read_completion

    found = _words("owner")(reader, current, position)
    if position.path == ["handoff"] and position.option == "--to-owner" and position.given:
        holder = read_completion.owner_of(reader, position.given[0])
        found = [candidate for candidate in found if candidate.value != holder]
    return found


def _tags(reader: Any, current: str, position: Position) -> list[Candidate]:
    from promisekeeper.db import read_completion
    from promisekeeper.lang import collation

    return [Candidate(tag) for tag in collation.sort_names(read_completion.tags(reader, prefix=current))]


def _language() -> str:
    """The language names are offered in the order of: the one pk speaks (the `language`
    setting, else the locale's)."""
    from promisekeeper.lang.i18n import resolve

    return resolve(_configured_language())


def _configured_language() -> str | None:
    """The config file's top-level `language = "sv"`, read by a line scan rather than tomllib,
    which costs a TAB more than the rest of its imports; an odd file reads as unset (the
    full CLI reports it)."""
    from promisekeeper import paths

    try:
        raw = paths.read_named(paths.config_file())  # a FIFO in its place is never waited on
        for line in (raw or b"").decode("utf-8").splitlines():
            key, equals, value = line.partition("=")
            if line.lstrip().startswith("["):
                return None  # the tables begin: `language` is a top-level key
            if equals and key.strip().strip('"') == "language":
                return value.split("#", 1)[0].strip().strip("'\"") or None
    except (OSError, ValueError):  # paths.Unfit and UnicodeDecodeError are ValueErrors
        pass
    return None


_FROM_DATABASE: dict[str, Callable[[Any, str, Position], list[Candidate]]] = {
    "ID": _numbers,
    "WHO": _words("who"),
    "TICKET": _words("ref"),
    "CHANNEL": _words("via", CHANNELS),
    "NAME": _owners,
    "TAG": _tags,
}


def _from_database(read: Callable[[Any, str, Position], list[Candidate]], current: str,
                   position: Position) -> list[Candidate]:
    """Candidates read from the database, or none when there is no database to read."""
    reader = _open_reader()
    if reader is None:
        return read(_NoDatabase(), current, position) if read is not _numbers else []
    try:
        return read(reader, current, position)
    finally:
        reader.connection.close()


def _open_reader() -> Any:
    """A read-only reader on the database, or None when there is none yet (a TAB never
    creates one)."""
    from promisekeeper import paths

    target = paths.database_target()
    file = paths.sqlite_file(target)
    if file is None:
        from promisekeeper.db.reader import Reader, connect_postgres
        from promisekeeper.db.target import Target

        # a TAB waits no longer than the prompt: a frozen server or a held lock offers nothing
        return Reader(connect_postgres(Target(target), timeout=2, statement_s=1.0), "postgresql")
    from promisekeeper.db.files import refused

    if not os.path.exists(file) or refused(file) is not None:
        return None  # none yet, or no database of this user's: a TAB offers nothing, silently
    import sqlite3

    # A URI, to open read-only; only these characters would be misread in its path.
    path = file.replace("%", "%25").replace("?", "%3f").replace("#", "%23")
    return _SQLiteReader(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.5))


class _SQLiteReader:
    """The one method of `db.reader.Reader` that completion uses, without its imports:
    sqlite3 takes the `:name` parameters as they are written."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection

    def all(self, sql: str, params: Any = None) -> list[tuple[Any, ...]]:
        return self.connection.execute(sql, dict(params or {})).fetchall()


class _NoDatabase:
    """Stands in for a reader before the first promise: it finds nothing."""

    def all(self, sql: str, params: Any = None) -> list[tuple[Any, ...]]:
        return []


# -- helpers -----------------------------------------------------------------------------------


def _options(node: dict[str, Any]) -> list[Candidate]:
    return [Candidate(name, description) for name, (_, description) in node["options"].items()]


def _commands(node: dict[str, Any]) -> list[Candidate]:
    return [Candidate(name, sub["help"]) for name, sub in node["commands"].items()]


def _matching(candidates: list[Candidate], current: str) -> list[Candidate]:
    from promisekeeper.lang.folding import fold

    typed = fold(current)
    return [c for c in candidates if fold(c.value).startswith(typed)]


def _one_line(text: str) -> str:
    return "".join(" " if char in "\t\n\r" else char for char in text if char >= " " or char in "\t\n\r")


# -- the scripts -------------------------------------------------------------------------------

SHELLS = {"bash": "complete.bash", "zsh": "complete.zsh", "fish": "complete.fish"}
USAGE = "pk completion bash|zsh|fish"


def script(shell: str) -> str:
    """The completion script `pk completion SHELL` prints (ValueError for another shell)."""
    if shell not in SHELLS:
        raise ValueError(f"no completion for {shell!r}; choose one of {', '.join(SHELLS)}")
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, SHELLS[shell]), encoding="utf-8") as handle:
        return handle.read()


def print_script(args: list[str]) -> int:
    """`pk completion SHELL`: print the script; exit 2 with one line for bad usage."""
    from promisekeeper.errors import write_out
    from promisekeeper.sanitize import clean

    try:
        if len(args) != 1:
            raise ValueError("say which shell")
        text = script(args[0])
    except ValueError as error:
        sys.stderr.write(f"pk: completion: {clean(str(error))}; usage: {USAGE}\n")
        return 2
    return write_out(text)
