"""Where a command's lines go, and how: the terminal layout or stable plain lines, colour or not.

Two separate choices, each made once here:
- **layout**: the terminal layout (aligned columns, a second line per promise, lines cut
  to the window's width) when stdout is a terminal; plain, stable lines for pipes, files
  and cron mail. `PROMISEKEEPER_LAYOUT=terminal|plain` overrides it.
- **colour**: `--color always|never|auto` first; then `NO_COLOR` (set and not empty: none);
  then `CLICOLOR_FORCE` or `FORCE_COLOR` (set, not empty, not 0: colour even into a pipe —
  the plain lines coloured, not the terminal layout); else colour on a terminal whose
  TERM is not "dumb". `CLICOLOR=0` turns automatic colour off.

Standard library only: lists print without Rich, in chunks, however many rows they have.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping
from typing import TextIO

from promisekeeper.views.styled import Styled

COLOR_CHOICES = ("auto", "always", "never")
LAYOUT_VAR = "PROMISEKEEPER_LAYOUT"
_SGR = {
    "bold": "1", "dim": "2", "italic": "3", "underline": "4", "strike": "9",
    "red": "31", "green": "32", "yellow": "33", "blue": "34", "magenta": "35", "cyan": "36",
}
_CHUNK = 1000


def _truthy(value: str | None) -> bool:
    return bool(value) and value != "0"


def wants_color(stream: TextIO, choice: str | None, environ: Mapping[str, str] = os.environ) -> bool:
    """Whether to colour what goes to `stream` (see the module's rules)."""
    if choice == "always":
        return True
    if choice == "never" or environ.get("NO_COLOR"):
        return False
    if _truthy(environ.get("CLICOLOR_FORCE")) or _truthy(environ.get("FORCE_COLOR")):
        return True
    if environ.get("CLICOLOR") == "0" or environ.get("TERM") == "dumb":
        return False
    return is_terminal(stream)


def is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def wants_terminal_layout(stream: TextIO, environ: Mapping[str, str] = os.environ) -> bool:
    forced = environ.get(LAYOUT_VAR, "").strip().lower()
    if forced in ("terminal", "plain"):
        return forced == "terminal"
    return is_terminal(stream)


class Output:
    """One stream, its layout and its colour."""

    def __init__(self, stream: TextIO | None = None, *, color: str | None = None,
                 terminal: bool | None = None) -> None:
        self.stream = stream or sys.stdout
        self.terminal = wants_terminal_layout(self.stream) if terminal is None else terminal
        self.color = wants_color(self.stream, color)
        self._codes: dict[str, str] = {}

    @property
    def width(self) -> int:
        """The window's width in columns (COLUMNS wins, as terminals and tests set it)."""
        try:
            return max(int(os.environ.get("COLUMNS", "")), 20)
        except ValueError:
            pass
        try:
            return max(os.get_terminal_size(self.stream.fileno()).columns, 20)
        except (AttributeError, OSError, ValueError):
            return 80

    def render(self, text: Styled | str) -> str:
        """The text as it is written: plain, or with its styles as ANSI codes."""
        if isinstance(text, str):
            return text
        if not self.color:
            return text.plain
        return "".join(self._paint(part, style) for part, style in text.spans)

    def _paint(self, text: str, style: str) -> str:
        if not style or not text:
            return text
        code = self._codes.get(style)
        if code is None:
            numbers = list(dict.fromkeys(_SGR[word] for word in style.split() if word in _SGR))
            code = self._codes[style] = f"\x1b[{';'.join(numbers)}m" if numbers else ""
        return f"{code}{text}\x1b[0m" if code else text

    def line(self, text: Styled | str = "") -> None:
        self.stream.write(self.render(text) + "\n")

    def lines(self, items: Iterable[Styled | str]) -> None:
        """Many lines, written a chunk at a time."""
        chunk: list[str] = []
        for item in items:
            chunk.append(self.render(item))
            if len(chunk) >= _CHUNK:
                self.stream.write("\n".join(chunk) + "\n")
                chunk.clear()
        if chunk:
            self.stream.write("\n".join(chunk) + "\n")

    def flush(self) -> None:
        self.stream.flush()
