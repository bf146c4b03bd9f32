"""The prompt segment as a person reads it: rendered here, and only here.

`render` turns a reading (how many promises are overdue, how many more are due later today,
the next deadline and who it is for) into the text: "⚑2 ◷3" by default, or a `prompt.format`
template filled in. The prompt schedule stores each row's text as `render` made it, so the
shell hooks print it as it is; `pk prompt` renders again only for options that change the
text (`--format`, `--ascii`, or an output that cannot carry ⚑ and ◷). `decorate` then
escapes and colours the text for where it is shown. Standard library only, nothing imported.
"""

from __future__ import annotations

FIELDS = ("overdue", "today", "next_in", "next_who")
SYMBOLS = {False: ("⚑", "◷"), True: ("!", "~")}
# How urgent a reading is, which picks the colour: nothing due, due today (yellow), overdue (red).
QUIET, TODAY, OVERDUE = 0, 1, 2
RED, YELLOW, RESET = "\x1b[31m", "\x1b[33m", "\x1b[0m"
MINUTE, HOUR, DAY = 60, 3600, 86400
# How far ahead a schedule of segments reaches, and how long one read from PostgreSQL is
# believed by default (`prompt.refresh`): about the interval the reminder job runs at.
HORIZON_S = 48 * HOUR
DEFAULT_REFRESH_S = 5 * MINUTE


def check_format(template: str) -> None:
    """Refuse a template naming a field that does not exist, e.g. {overdeu} (ValueError)."""
    rest = template
    while "{" in rest:
        _, _, rest = rest.partition("{")
        name, closed, after = rest.partition("}")
        if closed and name.isidentifier() and name not in FIELDS:
            raise ValueError(
                f"unknown field {{{name}}}; fields: " + " ".join("{" + field + "}" for field in FIELDS)
            )
        rest = after if closed else rest


class Reading:
    """What the segment says at one moment (`next_due` in epoch seconds, or None)."""

    __slots__ = ("next_due", "overdue", "today", "who")

    def __init__(self, overdue: int, today: int, next_due: int | None = None, who: str = "") -> None:
        self.overdue = overdue
        self.today = today
        self.next_due = next_due
        self.who = who

    def key(self) -> tuple[int, int, int | None, str]:
        return (self.overdue, self.today, self.next_due, self.who)

    @property
    def severity(self) -> int:
        if self.overdue > 0:
            return OVERDUE
        return TODAY if self.today > 0 else QUIET


def next_in(seconds: int) -> str:
    """Time to a deadline, floored to one unit: "35m" under an hour, "5h" under 2 days, or "3d"."""
    if seconds < HOUR:
        return f"{max(seconds, 0) // MINUTE}m"
    if seconds < 2 * DAY:
        return f"{seconds // HOUR}h"
    return f"{seconds // DAY}d"


def next_in_floor(seconds: int) -> int:
    """The fewest seconds left that still read as `next_in(seconds)`: as the deadline nears,
    the countdown changes once fewer than this are left."""
    if seconds < HOUR:
        return max(seconds, 0) // MINUTE * MINUTE
    if seconds < 2 * DAY:
        return seconds // HOUR * HOUR
    return seconds // DAY * DAY


def counts_down(template: str) -> bool:
    """Whether text rendered from `template` changes as time passes, not only at deadlines."""
    return "{next_in}" in template


def render(reading: Reading, *, now: int, template: str, ascii: bool) -> str:
    """The segment as plain text; empty when nothing is overdue or due today."""
    if reading.severity == QUIET:
        return ""
    if not template:
        late, soon = SYMBOLS[ascii]
        parts = [f"{late}{reading.overdue}"] if reading.overdue else []
        if reading.today:
            parts.append(f"{soon}{reading.today}")
        return " ".join(parts)
    upcoming = "" if reading.next_due is None else next_in(reading.next_due - now)
    who = reading.who if reading.next_due is not None else ""
    # The name goes in last, so a name that looks like a field is shown as it is.
    text = template.replace("{overdue}", str(reading.overdue))
    text = text.replace("{today}", str(reading.today)).replace("{next_in}", upcoming)
    return text.replace("{next_who}", who)


def clean_template(template: str) -> str:
    """A template is user text too: no control characters reach the terminal."""
    if template.isprintable():
        return template
    from promisekeeper.sanitize import clean

    return clean(template)


def decorate(text: str, *, severity: int, shell: str, color: bool) -> str:
    """Escape the segment for where it is shown and colour it (red: overdue, else yellow).

    bash: the colour codes are wrapped in \\001 and \\002, which is what \\[ and \\]
    become: they also work in a variable or a $(…) inside PS1, where \\[ is not read.
    zsh: % is doubled and %F{…} used, for a PROMPT with prompt_subst. tmux: # is doubled.
    The shell hooks do the same for bash, zsh and fish.
    """
    if not text:
        return ""
    if shell == "zsh":
        text = text.replace("%", "%%")
    elif shell == "tmux":
        text = text.replace("#", "##")
    if not color:
        return text
    name, code = ("red", RED) if severity == OVERDUE else ("yellow", YELLOW)
    if shell == "bash":
        return f"\x01{code}\x02{text}\x01{RESET}\x02"
    if shell == "zsh":
        return f"%F{{{name}}}{text}%f"
    if shell == "tmux":
        return f"#[fg={name}]{text}#[default]"
    return f"{code}{text}{RESET}"
