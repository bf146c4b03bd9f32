"""Text with styles, cheap to build: a list of (text, style) spans.

Views build lines of `Styled` text; `output.Output` writes them plain, or with the few
ANSI styles a terminal shows when colour is on. User text always enters through `user()`,
which removes control characters, so it can never become markup or an escape sequence.
Standard library only.
"""

from __future__ import annotations

from collections.abc import Iterable
from string import Formatter

from promisekeeper.lang import euphony
from promisekeeper.lang.i18n import active
from promisekeeper.sanitize import clean


class Styled:
    """A line (or part of one) whose spans each carry a style such as "bold red" or "dim"."""

    __slots__ = ("spans",)

    def __init__(self, text: str = "", style: str = "") -> None:
        self.spans: list[tuple[str, str]] = [(text, style)] if text else []

    @classmethod
    def assemble(cls, *parts: str | tuple[str, str] | Styled) -> Styled:
        """Join parts: plain strings, (text, style) pairs, or other Styled text."""
        joined = cls()
        for part in parts:
            if isinstance(part, Styled):
                joined.spans.extend(part.spans)
            elif isinstance(part, tuple):
                joined.append(*part)
            else:
                joined.append(part)
        return joined

    def append(self, text: str | Styled, style: str = "") -> Styled:
        if isinstance(text, Styled):
            self.spans.extend((part, f"{own} {style}".strip()) for part, own in text.spans)
        elif text:
            self.spans.append((text, style))
        return self

    def join(self, items: Iterable[Styled]) -> Styled:
        """The items with this text between them (empty ones left out)."""
        joined = Styled()
        for item in items:
            if not item:
                continue
            if joined:
                joined.spans.extend(self.spans)
            joined.spans.extend(item.spans)
        return joined

    def styled(self, style: str) -> Styled:
        """A copy with `style` added to every span (e.g. "strike dim")."""
        return Styled().append(self, style)

    @property
    def plain(self) -> str:
        return "".join(text for text, _ in self.spans)

    def __len__(self) -> int:
        return sum(len(text) for text, _ in self.spans)

    def __bool__(self) -> bool:
        return any(text for text, _ in self.spans)

    def __str__(self) -> str:
        return self.plain

    def __repr__(self) -> str:
        return f"Styled({self.spans!r})"

    def shortened(self, width: int) -> Styled:
        """At most `width` characters, the cut marked with "…"."""
        if width <= 0:
            return Styled()
        if len(self) <= width:
            return self
        kept, room = Styled(), width - 1
        for text, style in self.spans:
            if room <= 0:
                break
            kept.spans.append((text[:room], style))
            room -= len(text[:room])
        kept.spans.append(("…", ""))
        return kept


def sentence(template: str, style: str = "", /, **values: str | Styled) -> Styled:
    """A sentence made from a (translated) template: its own words in `style`, and each
    `{name}` filled with its value, which keeps its own style ("Kept {verdict}: {title}").

    The translator places the values where the language puts them; the colours follow
    the values. A plain value may carry a format spec ("{count:>3}").
    """
    made = Styled()
    language = active()
    for literal, name, spec, _conversion in Formatter().parse(template):
        if name is None:
            made.append(literal, style)
            continue
        value = values[name]
        text = value.plain if isinstance(value, Styled) else format(value, spec or "")
        # "a {owner}" is "ad Anna" in Italian; "a(z) {field}" "a" or "az" in Hungarian.
        made.append(euphony.before(literal, name, text, language), style)
        if isinstance(value, Styled):
            made.append(value)
        else:
            made.append(text, style)
    return made


def user(text: str | None, style: str = "") -> Styled:
    """Text a person typed (or a file brought in): literal, one line, no control characters."""
    return Styled(clean(text), style)


def display_width(text: str) -> int:
    """How many terminal columns `text` takes: accents that combine take none, wide
    (East Asian) characters two; what columns are padded by, in every language."""
    from unicodedata import combining, east_asian_width

    return sum(0 if combining(char) else 2 if east_asian_width(char) in "WF" else 1 for char in text)


def pad(text: str, width: int) -> str:
    """`text` padded with spaces to `width` terminal columns (see display_width)."""
    return text + " " * max(width - display_width(text), 0)


def shorten(text: str, width: int) -> str:
    """Plain text cut to `width` characters with "…" (the full text stays in show and JSON)."""
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"
