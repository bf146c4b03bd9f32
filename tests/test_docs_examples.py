"""The manual's examples are run: every ```console block in docs/*.md and README.md.

Each page runs in a scratch home of its own (a fresh database, config and state under it),
at Mon 23 Nov 2026 09:30 in Europe/Stockholm, in English, as the user `eva`; its commands
run in the order the page shows them, so what one adds the next one sees. A `$ pk …` line
runs in-process through Typer's CliRunner; a line that needs a shell (a pipe, a redirection,
`$(…)`) runs in bash with the installed `pk` first on PATH. What follows a command, up to
the next `$ ` line, is the output it must print, stdout and stderr together, compared exactly
after two substitutions: the scratch home reads /home/eva and the folder of the installed
`pk` reads /home/eva/.local/bin, so the pages show the paths a reader would see. New
promises take their uuids from a seeded generator, so a page shows the same ones each run.

`$ export NAME=VALUE` (and `$ unset NAME`) changes the page's environment from there on: the
clock (`PROMISEKEEPER_NOW`), the zone (`TZ`), the language (`LANG`), the database. A line
`% $ COMMAND` outside a code block is a MyST comment: run the same way but not shown, its
output not compared, and it must succeed; pages use it to set the scene quietly. The whole
convention is written down in docs/development.md ("Examples that run").

`PK_DOCS_UPDATE=1` writes what pk printed into the pages instead of failing (then read the
diff: the book must show the truth, and a surprising output may be a bug in pk).
"""

from __future__ import annotations

import functools
import os
import random
import re
import shlex
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from conftest import pk_executable
from typer.testing import CliRunner

from promisekeeper.cli.main import app

ROOT = Path(__file__).resolve().parent.parent
PAGES = [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"]
SHOWN_HOME = "/home/eva"
SHOWN_BIN = "/home/eva/.local/bin"
PAGE_ENVIRONMENT = {
    "PROMISEKEEPER_NOW": "2026-11-23T09:30:00+01:00",
    "TZ": "Europe/Stockholm",
    "LANG": "C.UTF-8",
    "USER": "eva",
    "LOGNAME": "eva",
    "COLUMNS": "100",
}
_FENCE = re.compile(r"^( *)(`{3,}|~{3,})\s*(\S*)")  # indented in a list item too
_NEEDS_SHELL = re.compile(r"[|<>;&`]|\$\(")


@dataclass
class Command:
    """One `$ …` line of a page, with the output the page shows for it."""

    line: int  # where it stands in the page, 1-based
    text: str
    shown: bool  # False for a `% $ …` comment: run, not compared
    output: list[str] = field(default_factory=list)
    output_start: int = 0  # 0-based index of its first output line in the page
    indent: str = ""  # the block's, in a list item


def commands(lines: list[str]) -> Iterator[Command]:
    """The page's commands in order: its console blocks' and its hidden `% $` lines."""
    index = 0
    directives: list[str] = []  # the fences of the MyST directives we are inside (a note…)
    while index < len(lines):
        line = lines[index]
        fence = _FENCE.match(line)
        if line.startswith("% $ "):
            yield Command(index + 1, line[4:].strip(), shown=False)
        elif fence and directives and _closes(line, directives[-1]):
            directives.pop()
        elif fence and fence.group(3) == "console":
            index = yield from _console_block(lines, index + 1, fence.group(1), fence.group(2))
        elif fence and fence.group(3).startswith("{"):
            directives.append(fence.group(2))  # its body is the page's: examples in it run
        elif fence:
            index = _closing(lines, index + 1, fence.group(2))  # code shown as code, never run
        index += 1


def _closing(lines: list[str], index: int, fence: str) -> int:
    while index < len(lines) and not _closes(lines[index], fence):
        index += 1
    return index


def _closes(line: str, fence: str) -> bool:
    """A closing fence: the opening's character, at least as many, and nothing else."""
    line = line.strip()
    return line.startswith(fence[0] * len(fence)) and not line.strip(fence[0])


def _console_block(lines: list[str], index: int, indent: str, fence: str) -> Iterator[Command]:
    end = _closing(lines, index, fence)
    current: Command | None = None
    while index < end:
        line = lines[index].removeprefix(indent)
        if line.startswith("$ "):
            if current:
                yield current
            start = index
            text = line[2:]
            while text.endswith("\\") and index + 1 < end:
                index += 1
                text = text[:-1].rstrip() + " " + lines[index].strip()
            current = Command(start + 1, text.strip(), shown=True, output_start=index + 1, indent=indent)
        elif current:
            current.output.append(line)
        index += 1
    if current:
        yield current
    return end


class Page:
    """A page's scratch world: its home, its environment, its working folder."""

    def __init__(self, root: Path) -> None:
        self.home = root / "page" / "home"  # beside the suite's own home for this test
        self.home.mkdir(parents=True)
        self.bin = os.path.dirname(pk_executable())
        self.environment = dict(PAGE_ENVIRONMENT, HOME=str(self.home))
        self.runner = CliRunner()
        self.uuids = random.Random(19)  # the same page gives the same uuids every run

    def run(self, text: str) -> tuple[int, str]:
        words = shlex.split(text)
        if words[0] in ("export", "unset"):
            return self._export(words)
        if words[0] == "pk" and not _NEEDS_SHELL.search(text):
            return self._in_process(words[1:])
        return self._in_shell(text)

    def _export(self, words: list[str]) -> tuple[int, str]:
        for word in words[1:]:
            name, _, value = word.partition("=")
            if words[0] == "unset":
                self.environment.pop(name, None)
            else:  # `~/…` is the page's home, as the shell would expand it
                self.environment[name] = str(self.home) + value[1:] if value.startswith("~/") else value
        return 0, ""

    def _in_process(self, args: list[str]) -> tuple[int, str]:
        # pk bakes its own path into snippets (`pk init cron`): the installed console script's.
        environment = {name: None for name in os.environ} | self.environment | {"PATH": self.bin}
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("sys.argv", [pk_executable(), *args])
            patch.setattr("typer.testing._get_command", _command)  # built once, not per run
            patch.setattr("uuid.uuid4", lambda: uuid.UUID(int=self.uuids.getrandbits(128), version=4))
            result = self.runner.invoke(app, args, env=environment)
        return result.exit_code, self._shown(result.output)

    def _in_shell(self, text: str) -> tuple[int, str]:
        environment = self.environment | {"PATH": f"{self.bin}:/usr/bin:/bin"}
        result = subprocess.run(
            ["bash", "-c", text], env=environment, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, timeout=60, check=False,
        )
        return result.returncode, self._shown(result.stdout)

    def _shown(self, output: str) -> str:
        return output.replace(self.bin, SHOWN_BIN).replace(str(self.home), SHOWN_HOME)


@functools.cache
def _command(typer_app: Any) -> Any:
    import typer.main

    return typer.main.get_command(typer_app)


def _lines(text: str) -> list[str]:
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _examples(page: Path) -> list[Command]:
    return list(commands(page.read_text(encoding="utf-8").splitlines()))


@pytest.mark.parametrize("page", [page for page in PAGES if _examples(page)],
                         ids=lambda page: page.relative_to(ROOT).as_posix())
def test_the_examples_print_what_the_page_shows(page: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    world = Page(tmp_path)
    monkeypatch.chdir(world.home)  # files a page writes (`pk export -o FILE`) land at home
    lines = page.read_text(encoding="utf-8").splitlines()
    wrong, fixes = [], []
    for command in commands(lines):
        code, output = world.run(command.text)
        name = f"{page.name}:{command.line}: $ {command.text}"
        if not command.shown:
            assert code == 0, f"{name} (a hidden step) failed, exit {code}:\n{output}"
        elif _lines(output) != _lines("\n".join(command.output)):
            wrong.append(f"{name}\n--- the page shows:\n" + "\n".join(command.output)
                         + "\n--- pk printed:\n" + output)
            fixes.append((command, _lines(output)))
    if fixes and os.environ.get("PK_DOCS_UPDATE"):
        _rewrite(page, lines, fixes)
        return
    assert not wrong, "\n\n".join(wrong)


def _rewrite(page: Path, lines: list[str], fixes: list[tuple[Command, list[str]]]) -> None:
    """Put what pk printed in place of what the page showed (PK_DOCS_UPDATE=1)."""
    for command, output in reversed(fixes):
        start = command.output_start
        shown = [line.rstrip() for line in command.output]
        while shown and not shown[-1]:
            shown.pop()
        lines[start:start + len(shown)] = [command.indent + line if line else "" for line in output]
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_page_can_set_its_scene(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The conventions themselves: hidden steps, exports, continuation lines, fences skipped."""
    page = [
        "% $ pk add Call Bob --due 'in 1h'",
        "```console",
        "$ export PROMISEKEEPER_NOW=2026-11-23T11:00:00+01:00",
        "$ pk list \\",
        "    --overdue",
        "1 promise:",
        "#1  Mon 23 Nov 10:30  30m late  Call Bob",
        "```",
        "````markdown",
        "```console",
        "$ pk never runs",
        "```",
        "````",
        "````{note}",
        "- in a list:",
        "  ```console",
        "  $ pk list --today",
        "  ```",
        "````",
    ]
    found = list(commands(page))
    assert [(c.text, c.shown) for c in found] == [
        ("pk add Call Bob --due 'in 1h'", False),
        ("export PROMISEKEEPER_NOW=2026-11-23T11:00:00+01:00", True),
        ("pk list --overdue", True),
        ("pk list --today", True),
    ]
    world = Page(tmp_path)
    monkeypatch.chdir(world.home)
    outputs = [world.run(command.text) for command in found]
    assert outputs[2] == (0, "1 promise:\n#1  Mon 23 Nov 10:30  29m late  Call Bob\n")
    assert found[2].output == ["1 promise:", "#1  Mon 23 Nov 10:30  30m late  Call Bob"]


_SETTING_ROW = re.compile(r"^\| `([a-z_.]+)` \| `([^`]*)`", re.MULTILINE)


def test_the_settings_reference_lists_every_setting_with_its_default(pk) -> None:
    """docs/settings.md has one row per setting pk knows, in `pk config`'s order, each with
    the default `pk config` shows."""
    from promisekeeper.config import SETTINGS

    rows = _SETTING_ROW.findall((ROOT / "docs" / "settings.md").read_text(encoding="utf-8"))
    listed = pk("config").output.splitlines()[1:]  # "key = value  (default)    # help"
    defaults = [tuple(line.split("  (default")[0].split(" = ", 1)) for line in listed]

    assert [key for key, _ in rows] == list(SETTINGS), "docs/settings.md: add or remove a row"
    assert rows == defaults, "docs/settings.md: a default differs from what pk config shows"


def test_the_readme_links_into_the_manual_where_it_is() -> None:
    """Every `docs/PAGE.md#anchor` link of the README names a page and a heading there
    (Sphinx checks the manual's own links; the README is not part of the build)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\((docs/[\w-]+\.md)(?:#([^)]+))?\)", readme)

    assert links
    for page, anchor in links:
        assert (ROOT / page).is_file(), page
        headings = re.findall(r"^#+ (.+)$", (ROOT / page).read_text(encoding="utf-8"), re.MULTILINE)
        slugs = {re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-") for heading in headings}
        assert not anchor or anchor in slugs, f"README links to {page}#{anchor}, a heading that is not there"
