"""The package shows its parts, and opening a part costs nothing.

Each package's __init__.py is its docstring alone (what the part is, what it may import):
importing `promisekeeper.shell.prompt` or `promisekeeper.cli.completion.answer` runs every
__init__ above it, so one import there would land on the prompt's and TAB's paths.
"""

from __future__ import annotations

import ast
import pkgutil
import re
import tomllib
from pathlib import Path

import promisekeeper

PACKAGE = Path(promisekeeper.__file__).parent
ROOT = Path(__file__).resolve().parent.parent


def test_every_package_init_is_a_docstring_alone() -> None:
    inits = sorted(PACKAGE.rglob("__init__.py"))
    assert len(inits) >= 8
    for init in inits:
        if init.parent == PACKAGE:
            continue  # the root holds __version__ too
        body = ast.parse(init.read_text(encoding="utf-8")).body
        assert len(body) == 1, f"{init.relative_to(PACKAGE.parent)}: a docstring and nothing else"
        assert isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
        assert isinstance(body[0].value.value, str) and body[0].value.value.strip()


def test_the_top_level_shows_the_parts_and_each_has_a_floor() -> None:
    """A part added at the top says where it stands: it is named in the layers contract."""
    parts = {module.name for module in pkgutil.iter_modules(promisekeeper.__path__)}
    assert {"cli", "db", "lang", "shell", "views", "when"} <= parts
    with open(ROOT / "pyproject.toml", "rb") as handle:
        contracts = tomllib.load(handle)["tool"]["importlinter"]["contracts"]
    (layers,) = [contract["layers"] for contract in contracts if contract["type"] == "layers"]
    named = {name.strip().removeprefix("promisekeeper.") for layer in layers for name in re.split("[|:]", layer)}
    assert parts <= named, f"not on any floor of the layers contract: {sorted(parts - named)}"
