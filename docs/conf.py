"""Sphinx settings for promisekeeper's manual: MyST Markdown pages, the furo theme.

Built by scripts/docs (warnings are errors). The command reference is made at build time
from pk's own help text by _ext/pk_reference.py, so promisekeeper must be importable: the
script installs it into the venv it builds in.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "_ext"))

from promisekeeper import __version__

project = "promisekeeper"
author = "promisekeeper developers"
copyright = "promisekeeper developers"
version = release = __version__

extensions = ["myst_parser", "pk_reference"]
source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "_ext"]

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3  # links such as prompt.md#bash or data.md#errors-and-exit-codes

html_theme = "furo"
html_title = "promisekeeper"
html_show_sourcelink = False

smartquotes = False  # quotes in help text and examples are typed as shown


def setup(app: object) -> None:
    """`console` blocks: only `$ ` starts a command. Pygments' own lexer also takes `#` for a
    root prompt, and pk's lines start with one (`#2  Mon 23 Nov 15:00 …`)."""
    import re

    from pygments.lexers.shell import BashSessionLexer

    class ConsoleLexer(BashSessionLexer):
        _ps1rgx = re.compile(r"^(\$ )(.*\n?)")

    app.add_lexer("console", ConsoleLexer)  # type: ignore[attr-defined]
