"""`pk prompt`: the prompt segment, fast enough to run before every shell prompt.

`__main__` dispatches here before the CLI framework loads. The usual path imports only
os, sys and time: the schedule file (see `schedule_file`) holds the segment as it reads now,
rendered by `segment.render`, and the row for now is printed as it is. When the schedule is
stale the database is read (sqlite3, read-only; libpq through ctypes for PostgreSQL) and the schedule
written again, so the next prompt is fast.

The segment: ⚑N when N open promises are overdue and ◷M when M more are due later
today (up to local midnight), joined by a space (`--ascii`, or a stdout whose encoding
cannot carry ⚑ and ◷: !N ~M); nothing at all, not even a newline, when both are zero.
`--format` replaces the layout with a template of {overdue}, {today}, {next_in} and
{next_who}. On a database shared by several owners it counts the caller's own promises.
The shell hooks (`pk init`) print the same rows from the same file. They print ⚑ and ◷ as
UTF-8 whatever the locale (finding its charmap would cost a process per prompt):
prompt.ascii is for a terminal that cannot show them.
"""

from __future__ import annotations

import os
import sys
import time

from promisekeeper import segment
from promisekeeper.shell import schedule as plan
from promisekeeper.shell import schedule_file

TYPE_CHECKING = False  # typing costs ~3 ms to import; checkers treat this as true
if TYPE_CHECKING:
    from typing import Any, TextIO

    from promisekeeper.db.target import Target

FIELDS = segment.FIELDS
SHELLS = ("plain", "bash", "zsh", "tmux")
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
    """Refuse a --format template naming a field that does not exist, e.g. {overdeu}."""
    try:
        segment.check_format(template)
    except ValueError as error:
        raise UsageError(str(error).replace("; fields", " in --format; fields", 1)) from None


# -- the segment ------------------------------------------------------------------------


def shows_symbols(out: object) -> bool:
    """Whether text written to `out` can carry ⚑ and ◷ in its encoding.

    An ASCII or Latin-1 stdout (PYTHONIOENCODING=ascii, an ISO-8859 locale) would print
    them as "?", and overdue would read like due today. A stream with no encoding of its
    own (a StringIO) takes any text. Cheap: the codec is the one the stream already uses.

    Under LC_ALL=C (or POSIX) Python writes UTF-8 all the same (its UTF-8 mode), but the
    terminal is ASCII: that too gets the ASCII symbols, unless PYTHONIOENCODING says otherwise.
    """
    encoding = getattr(out, "encoding", None)
    if not encoding:
        return True
    if _c_locale() and not os.environ.get("PYTHONIOENCODING"):
        return False
    try:
        "⚑◷".encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _c_locale() -> bool:
    """Whether the character set comes from the C (POSIX) locale: LC_ALL, else LC_CTYPE, else
    LANG, as the C library reads them."""
    for name in ("LC_ALL", "LC_CTYPE", "LANG"):
        value = os.environ.get(name)
        if value:
            return value in ("C", "POSIX")
    return True


def segment_at(
    schedule: plan.Schedule, *, now: int, options: Options, symbols: bool = True
) -> str:
    """The segment at `now`, with the options given or else the config's settings.

    `symbols` False: where it is shown cannot encode ⚑ and ◷, so the segment uses the
    ASCII ones (!N ~M) whatever the settings say.
    """
    row = schedule.row_at(now)
    if row is None:
        return ""
    settings = schedule.settings
    template = settings.format if options.format is None else options.format
    ascii = (settings.ascii if options.ascii is None else options.ascii) or not symbols
    text = row.text  # as the schedule's rows read, for the hooks too
    if (template, ascii) != (settings.format, settings.ascii):
        clean = segment.clean_template(template)
        text = segment.render(row.reading, now=now, template=clean, ascii=ascii)
    color = options.color
    if color is None:
        color = settings.color and not os.environ.get("NO_COLOR")
    return segment.decorate(text, severity=row.reading.severity, shell=options.shell, color=color)


# -- the clock and the schedule ---------------------------------------------------------


def current_epoch() -> int:
    """Now in whole epoch seconds: PROMISEKEEPER_NOW (@SECONDS or ISO 8601), else the clock."""
    raw = os.environ.get("PROMISEKEEPER_NOW", "").strip()
    if not raw:
        return int(time.time())
    digits = raw[1:]
    if raw.startswith("@") and digits.isascii() and digits.isdigit():
        from promisekeeper.years import LATEST_S

        if int(digits) <= LATEST_S:
            return int(digits)
    from promisekeeper.when import clock  # which refuses it, saying why

    try:
        return int(clock.parse_fixed_now(raw).timestamp() // 1)
    except clock.ClockError as error:
        raise UsageError(str(error)) from None


def current_schedule(now: int) -> plan.Schedule:
    """The schedule answering for `now`: the file when fresh, else rebuilt and saved.

    Raises schedule.Unreadable when the database cannot be read.
    """
    time.tzset()  # local midnights follow TZ as it is now, like the shell hooks'
    place = schedule_file.Place()
    found = schedule_file.read_found(place.schedule_file)
    if found is not None and schedule_file.fresh(place, found, now=now):
        return found.schedule
    return rebuild(place, now, None if found is None else found.schedule)


def rebuild(place: schedule_file.Place, now: int, previous: plan.Schedule | None) -> plan.Schedule:
    from promisekeeper.db import read_schedule

    def read(**bounds: Any) -> plan.Deadlines | None:
        if place.db_file is not None:
            return read_schedule.read_sqlite(place.db_file, **bounds)
        return read_schedule.read_postgres(_target(place.target), **bounds)

    try:
        return plan.rebuild(place, now=now, previous=previous, read=read)
    except plan.Unreadable as error:
        if place.db_file is None:
            # A server that cannot be read within the budget (down, unreachable, a lock held,
            # another schema) is asked again after prompt.refresh, not at every prompt:
            # meanwhile the segment reads as it last did (empty when it never did).
            last = last_known(previous, now) if isinstance(error, read_schedule.Busy) else None
            if last is not None:
                schedule_file.save(place, last, now=now)
                return last
            plan.rebuild(place, now=now, previous=previous, read=lambda **bounds: None)
        raise


def last_known(previous: plan.Schedule | None, now: int) -> plan.Schedule | None:
    """The segment as the last schedule read it, held from `now` for prompt.refresh."""
    if previous is None or previous.target != schedule_file.target_key(schedule_file.Place().target):
        return None
    last = previous.rows[-1]
    row = schedule_file.Row(now, now + previous.settings.refresh, last.reading, last.text)
    return plan.Schedule(tz_key=previous.tz_key, target=previous.target, owner=previous.owner,
                         settings=previous.settings, files=previous.files, rows=[row], version=previous.version)


def _target(key: str) -> Target:
    from promisekeeper.db.target import Target
    from promisekeeper.errors import PKError

    try:
        return Target(key)
    except PKError as error:  # a URL pk cannot use: other commands say why
        raise plan.Unreadable(str(error)) from None


# -- the command ------------------------------------------------------------------------


def run(options: Options, *, out: TextIO | None = None, now: int | None = None) -> None:
    """Print the segment (or with --schedule the schedule from now on) to `out`."""
    out = out or sys.stdout
    moment = current_epoch() if now is None else now
    schedule = current_schedule(moment)
    if options.schedule:
        out.write(schedule_file.dumps(schedule.since(moment)).decode("utf-8", "surrogateescape"))
        return
    text = segment_at(schedule, now=moment, options=options, symbols=shows_symbols(out))
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
    from promisekeeper.secrets import scrub

    sys.stderr.write(f"pk: {clean(scrub(message))}\n")
    return code
