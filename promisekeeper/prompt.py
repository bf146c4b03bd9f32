"""`pk prompt`: the prompt segment, fast enough to run before every prompt.

`__main__` dispatches here before the CLI framework loads. The usual path imports only
os, sys and time: the schedule file (see `schedule`) says what the segment reads now.
When it is stale the database is read with the standard library's sqlite3, read-only,
and the schedule written again, so the next prompt is fast.

The segment: ⚑N when N open promises are overdue and ◷M when M more are due later
today (before local midnight), joined by a space (`--ascii`, or a stdout whose
encoding cannot carry ⚑ and ◷: !N ~M); nothing at all, not even a newline, when both
are zero. `--format` replaces the layout with a template of {overdue}, {today},
{next_in} and {next_who}. The shell hooks (`pk init`) render it the same way from the
same file; tests hold the two together. They print ⚑ and ◷ as UTF-8 whatever the
locale (finding its charmap would cost a process per prompt): prompt.ascii is for a
terminal that cannot show them.
"""

from __future__ import annotations

import os
import sys
import time

from promisekeeper import paths
from promisekeeper import schedule as plan

TYPE_CHECKING = False  # typing costs ~3 ms to import; checkers treat this as true
if TYPE_CHECKING:
    from typing import TextIO

FIELDS = ("overdue", "today", "next_in", "next_who")
SHELLS = ("plain", "bash", "zsh", "tmux")
SYMBOLS = {False: ("⚑", "◷"), True: ("!", "~")}
RED, YELLOW, RESET = "\x1b[31m", "\x1b[33m", "\x1b[0m"
USAGE = "pk prompt [--format FMT] [--ascii] [--color] [--shell plain|bash|zsh|tmux] [--schedule]"


class UsageError(ValueError):
    """`pk prompt` was called with options it does not take."""


class Options:
    """What `pk prompt` was asked for; None means "as the config says"."""

    __slots__ = ("ascii", "color", "format", "schedule", "shell")

    def __init__(
        self,
        format: str | None = None,
        ascii: bool | None = None,
        color: bool | None = None,
        shell: str = "plain",
        schedule: bool = False,
    ) -> None:
        self.format = format
        self.ascii = ascii
        self.color = color
        self.shell = shell
        self.schedule = schedule


# -- options ----------------------------------------------------------------------------

_FLAGS = {
    "--ascii": ("ascii", True),
    "--no-ascii": ("ascii", False),
    "--color": ("color", True),
    "--no-color": ("color", False),
    "--schedule": ("schedule", True),
}


def parse_args(args: list[str]) -> Options:
    """Read `pk prompt`'s options by hand: argparse alone costs more than the whole prompt."""
    options = Options()
    queue = list(args)
    while queue:
        arg = queue.pop(0)
        name, has_value, value = arg.partition("=")
        if arg in _FLAGS:
            setattr(options, *_FLAGS[arg])
        elif name in ("--format", "--shell"):
            if not has_value:
                if not queue:
                    raise UsageError(f"option {name} needs a value")
                value = queue.pop(0)
            setattr(options, name[2:], value)
        else:
            raise UsageError(
                f"no such option: {arg}" if arg.startswith("-") else f"unexpected argument {arg!r}"
            )
    check_options(options)
    return options


def check_options(options: Options) -> None:
    if options.shell not in SHELLS:
        raise UsageError(f"--shell must be one of {', '.join(SHELLS)}, not {options.shell!r}")
    if options.format is not None:
        check_format(options.format)


def check_format(template: str) -> None:
    """Refuse a template naming a field that does not exist, e.g. {overdeu}."""
    rest = template
    while "{" in rest:
        _, _, rest = rest.partition("{")
        name, closed, after = rest.partition("}")
        if closed and name.isidentifier() and name not in FIELDS:
            raise UsageError(
                f"unknown field {{{name}}} in --format; fields: "
                + " ".join("{" + field + "}" for field in FIELDS)
            )
        rest = after if closed else rest


# -- the segment ------------------------------------------------------------------------


def next_in(seconds: int) -> str:
    """Time to a deadline, floored to one unit: "35m" under an hour, "5h" under 2 days, or "3d"."""
    if seconds < 3600:
        return f"{max(seconds, 0) // 60}m"
    if seconds < 48 * 3600:
        return f"{seconds // 3600}h"
    return f"{seconds // 86400}d"


def render(row: plan.Row, *, now: int, template: str, ascii: bool) -> str:
    """The segment as plain text; empty when nothing is overdue or due today."""
    if row.overdue <= 0 and row.today <= 0:
        return ""
    if not template:
        late, soon = SYMBOLS[ascii]
        parts = [f"{late}{row.overdue}"] if row.overdue else []
        if row.today:
            parts.append(f"{soon}{row.today}")
        return " ".join(parts)
    upcoming = "" if row.next_due is None else next_in(row.next_due - now)
    who = row.who if row.next_due is not None else ""
    # The same replacements in the same order as the shell hooks; the name goes last so
    # a name that looks like a field is shown as it is.
    text = template.replace("{overdue}", str(row.overdue)).replace("{today}", str(row.today))
    return text.replace("{next_in}", upcoming).replace("{next_who}", who)


def decorate(text: str, *, overdue: bool, shell: str, color: bool) -> str:
    """Escape the segment for where it is shown and colour it (red: overdue, else yellow).

    bash: the colour codes are wrapped in \\001 and \\002, which is what \\[ and \\]
    become: they also work in a variable or a $(…) inside PS1, where \\[ is not read.
    zsh: % is doubled and %F{…} used, for a PROMPT with prompt_subst. tmux: # is doubled.
    """
    if not text:
        return ""
    if shell == "zsh":
        text = text.replace("%", "%%")
    elif shell == "tmux":
        text = text.replace("#", "##")
    if not color:
        return text
    name, code = ("red", RED) if overdue else ("yellow", YELLOW)
    if shell == "bash":
        return f"\x01{code}\x02{text}\x01{RESET}\x02"
    if shell == "zsh":
        return f"%F{{{name}}}{text}%f"
    if shell == "tmux":
        return f"#[fg={name}]{text}#[default]"
    return f"{code}{text}{RESET}"


def shows_symbols(out: object) -> bool:
    """Whether text written to `out` can carry ⚑ and ◷ in its encoding.

    An ASCII or Latin-1 stdout (PYTHONIOENCODING=ascii, an ISO-8859 locale) would print
    them as "?", and overdue would read like due today. A stream with no encoding of its
    own (a StringIO) takes any text. Cheap: the codec is the one the stream already uses.
    """
    encoding = getattr(out, "encoding", None)
    if not encoding:
        return True
    try:
        "⚑◷".encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def segment(schedule: plan.Schedule, *, now: int, options: Options, symbols: bool = True) -> str:
    """The segment at `now`, with the options given or else the config's settings.

    `symbols` False: where it is shown cannot encode ⚑ and ◷, so the segment uses the
    ASCII ones (!N ~M) whatever the settings say.
    """
    row = schedule.row_at(now)
    if row is None:
        return ""
    settings = schedule.settings
    template = settings.format if options.format is None else options.format
    if not template.isprintable():  # a template is user text too: no control characters
        from promisekeeper.sanitize import clean

        template = clean(template)
    ascii = (settings.ascii if options.ascii is None else options.ascii) or not symbols
    color = options.color
    if color is None:
        color = settings.color and not os.environ.get("NO_COLOR")
    text = render(row, now=now, template=template, ascii=ascii)
    return decorate(text, overdue=row.overdue > 0, shell=options.shell, color=color)


# -- the clock and the schedule ---------------------------------------------------------


def current_epoch() -> int:
    """Now in whole epoch seconds: PROMISEKEEPER_NOW (@SECONDS or ISO 8601), else the clock."""
    raw = os.environ.get("PROMISEKEEPER_NOW", "").strip()
    if not raw:
        return int(time.time())
    digits = raw[1:]
    if raw.startswith("@") and digits.isascii() and digits.isdigit():
        return int(digits)
    from promisekeeper import clock

    try:
        return int(clock.parse_fixed_now(raw).timestamp() // 1)
    except clock.ClockError as error:
        raise UsageError(str(error)) from None


class Place:
    """Where this environment keeps the database, the config and the schedule."""

    __slots__ = ("config_file", "db_file", "schedule_file", "target")

    def __init__(self) -> None:
        self.target = paths.database_target()
        self.db_file = paths.sqlite_file(self.target)
        self.config_file = paths.config_file()
        self.schedule_file = plan.path_for(self.target)

    def fresh(self, schedule: plan.Schedule | None, now: int) -> bool:
        return schedule is not None and plan.is_fresh(
            schedule,
            path=self.schedule_file,
            now=now,
            target=self.target,
            db_file=self.db_file,
            config_file=self.config_file,
        )


def current_schedule(now: int) -> plan.Schedule:
    """The schedule answering for `now`: the file when fresh, else rebuilt and saved.

    Raises schedule.Unreadable when the database cannot be read.
    """
    time.tzset()  # local midnights follow TZ as it is now, like the shell hooks'
    place = Place()
    existing = plan.read_file(place.schedule_file)
    if existing is not None and place.fresh(existing, now):
        return existing
    return rebuild(place, now, existing)


def rebuild(place: Place, now: int, previous: plan.Schedule | None) -> plan.Schedule:
    stamp = plan.observed_stamp(place.db_file, place.config_file)
    settings = plan.load_settings(place.config_file, previous)
    deadlines: plan.Deadlines | None  # None: no database yet, nothing is due
    if place.db_file is None:
        deadlines = _read_url(place.target, now)
        horizon = plan.URL_HORIZON_S
    else:
        deadlines = plan.read_sqlite(
            place.db_file, now=now, end=plan.span_end(now + plan.HORIZON_S)
        )
        horizon = plan.HORIZON_S
    built = plan.build(
        now=now, target=place.target, settings=settings, deadlines=deadlines, horizon=horizon
    )
    _save(place, built, now=now, stamp=stamp)
    return built


def _save(place: Place, built: plan.Schedule, *, now: int, stamp: int) -> None:
    # A change may have written a newer schedule while the database was being read:
    # keep that one. Failing to save only means the next prompt rebuilds again.
    if not plan.writable(built) or place.fresh(plan.read_file(place.schedule_file), now):
        return
    try:
        plan.write(place.schedule_file, built, stamp=stamp)
    except OSError:
        pass


def _read_url(target: str, now: int) -> plan.Deadlines:
    # A database behind a URL is read through the read half (psycopg): only when stale.
    from promisekeeper.db.reader import open_reader
    from promisekeeper.db.target import Target
    from promisekeeper.errors import PKError

    try:
        with open_reader(Target(target)) as reader:
            return plan.read_reader(reader, now=now, end=plan.span_end(now + plan.URL_HORIZON_S))
    except PKError as error:
        raise plan.Unreadable(str(error)) from None


# -- the command ------------------------------------------------------------------------


def run(options: Options, *, out: TextIO | None = None, now: int | None = None) -> None:
    """Print the segment (or with --schedule the schedule from now on) to `out`."""
    out = out or sys.stdout
    moment = current_epoch() if now is None else now
    schedule = current_schedule(moment)
    if options.schedule:
        out.write(plan.dumps(schedule.since(moment)))
        return
    text = segment(schedule, now=moment, options=options, symbols=shows_symbols(out))
    if text:
        out.write(text + "\n")


def main(args: list[str]) -> int:
    """`pk prompt ARGS`: exit 2 on bad usage; a missing or unreadable database prints nothing."""
    try:
        options = parse_args(args)
        now = current_epoch()
    except UsageError as error:
        return fail(f"prompt: {error}; usage: {USAGE}", 2)
    try:
        run(options, now=now)
        sys.stdout.flush()
    except BrokenPipeError:
        from promisekeeper.errors import silence_stdout

        return silence_stdout()
    except (plan.Unreadable, OSError):
        return 0  # a prompt must never fail: the segment is simply not shown
    except Exception as error:
        if os.environ.get("PK_DEBUG"):
            raise
        return fail(f"prompt: internal error: {type(error).__name__}: {error}", 1)
    return 0


def fail(message: str, code: int) -> int:
    from promisekeeper.sanitize import clean

    sys.stderr.write(f"pk: {clean(message)}\n")
    return code
