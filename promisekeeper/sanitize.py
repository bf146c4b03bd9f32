"""Make user text safe to show: no control characters reach a terminal.

Standard library only: the prompt fast path uses it.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: importing typing costs the prompt milliseconds
if TYPE_CHECKING:
    from typing import TextIO

# C0 and C1 controls and DEL can drive a terminal (ESC, BEL, CSI = U+009B); bidi
# overrides and line/paragraph separators can disguise or reorder what is shown.
_UNSAFE = [*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029, *range(0x202A, 0x202F),
           *range(0x2066, 0x206A)]
_ONE_LINE = {code: None for code in _UNSAFE} | {0x09: " ", 0x0A: " ", 0x0D: " "}
_JSON_UNSAFE = "[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"


def clean(text: str | None) -> str:
    """One line of displayable text: tabs and newlines become spaces, controls vanish."""
    if not text:
        return ""
    if text.isprintable():  # no control, format or separator characters: nothing to remove
        return text
    return text.translate(_ONE_LINE)


_KEEP_LINES = {code: None for code in _UNSAFE if code not in (0x09, 0x0A, 0x0D)}


def terminal_safe(text: str) -> str:
    """Many lines for a terminal (a CSV or iCalendar export): controls vanish, line breaks
    stay, and a carriage return alone (which would let a field overwrite the start of its
    line) starts a new line instead."""
    text = text.translate(_KEEP_LINES)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def json_safe(document: str) -> str:
    """Escape the characters json.dumps(ensure_ascii=False) leaves raw but terminals obey.

    They can only occur inside JSON strings, where a \\uXXXX escape means the same text.
    """
    if document.isascii() and "\x7f" not in document:
        return document  # the common case: nothing but ASCII, whose other controls JSON escapes
    import re  # not at module level: the prompt path imports this module

    return re.sub(_JSON_UNSAFE, lambda match: f"\\u{ord(match.group()):04x}", document)


class TerminalSafe:
    """A text stream that drops control characters (line breaks kept) on the way to a terminal."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        return self.stream.write(terminal_safe(text))

    def flush(self) -> None:
        self.stream.flush()
