"""The command reference, made at build time from the help text `--help` and the man page
show (promisekeeper.cli.reference, the one source of all three), so they never disagree.

In a page, the line

    ```{pk-commands}
    ```

becomes one section per command (`pk add`, `pk config set`, …): its usage, its help, its
arguments and options; then the time language as `pk help when` prints it.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

_CODE = re.compile(r"`([^`]+)`")


class PkCommands(SphinxDirective):
    """Every command of `pk`, as sections."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        from promisekeeper.cli.lookup import topic_text
        from promisekeeper.cli.reference import describe

        root = describe()
        found = [self._section(root, "pk")]
        for command in root.commands:
            found.append(self._command(command, "pk"))
        when = self._titled("The time language", "time-language")
        when += self._paragraph("What `pk help when` prints (and the man page's TIME LANGUAGE):")
        when += nodes.literal_block(text=topic_text("when").split("\n", 2)[2].strip("\n"))
        found.append(when)
        return found

    def _command(self, command: Any, parent: str) -> nodes.section:
        path = f"{parent} {command.name}"
        section = self._section(command, path)
        for sub in command.commands:
            section += self._command(sub, path)
        return section

    def _section(self, command: Any, path: str) -> nodes.section:
        section = self._titled(path, path.replace(" ", "-"), code=True)
        section += nodes.literal_block(text=command.usage, language="text")
        for paragraph in command.help.split("\n\n"):
            if paragraph.strip():
                section += self._paragraph(" ".join(paragraph.split()))
        rows = [(f"{a.metavar}..." if a.many else a.metavar, a.help) for a in command.arguments]
        rows += [(_option(o), o.help) for o in command.options if "--help" not in o.names]
        if rows:
            section += _table(rows, self._paragraph)
        return section

    def _titled(self, title: str, ident: str, *, code: bool = False) -> nodes.section:
        section = nodes.section(ids=[nodes.make_id(ident)], names=[nodes.fully_normalize_name(title)])
        heading = nodes.title()
        heading += nodes.literal(text=title) if code else nodes.Text(title)
        section += heading
        self.state.document.note_implicit_target(section, section)
        return section

    def _paragraph(self, text: str) -> nodes.paragraph:
        """Help text as it reads: `code` as code, everything else literally (no markup)."""
        paragraph = nodes.paragraph()
        for index, part in enumerate(_CODE.split(text)):
            if part:
                paragraph += nodes.literal(text=part) if index % 2 else nodes.Text(part)
        return paragraph


def _option(option: Any) -> str:
    names = ", ".join(sorted(option.names, key=len))
    return f"{names} {option.metavar}" if option.metavar else names


def _table(rows: list[tuple[str, str]], paragraph: Any) -> nodes.table:
    table = nodes.table(classes=["pk-options"])
    group = nodes.tgroup(cols=2)
    table += group
    group += nodes.colspec(colwidth=30)
    group += nodes.colspec(colwidth=70)
    body = nodes.tbody()
    group += body
    for name, help_text in rows:
        row = nodes.row()
        left = nodes.entry()
        left += nodes.paragraph("", "", nodes.literal(text=name))
        right = nodes.entry()
        right += paragraph(" ".join(help_text.split()))
        row += left
        row += right
        body += row
    return table


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("pk-commands", PkCommands)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
