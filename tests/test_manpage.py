"""pk(1): made from the same help text as --help, up to date, valid roff, and installed."""

from __future__ import annotations

import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from promisekeeper import __version__
from promisekeeper.cli.lookup import topic_text
from promisekeeper.cli.manpage import render

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "man" / "pk.1"


def test_the_man_page_is_up_to_date() -> None:
    assert PAGE.read_text(encoding="utf-8") == render(__version__, topic_text("when")), "run scripts/manpage"


def test_it_holds_every_command_and_the_time_language() -> None:
    from promisekeeper.cli.reference import describe

    page = PAGE.read_text(encoding="utf-8")

    for command in describe().commands:
        assert f'.SS "pk {command.name}' in page, command.name
    assert ".SH TIME LANGUAGE" in page and r"in 2 business days, 2bd" in page
    assert page.isascii()


def test_groff_reads_it_without_a_warning() -> None:
    if shutil.which("groff") is None:
        pytest.skip("groff is not installed here")

    result = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z", str(PAGE)], capture_output=True, text=True,
                            check=False)

    assert (result.returncode, result.stderr) == (0, "")


def test_man_shows_it(tmp_path: Path) -> None:
    if shutil.which("man") is None:
        pytest.skip("man is not installed here")

    shown = subprocess.run(["man", "-l", str(PAGE)], capture_output=True, text=True, check=False,
                           env={"MANWIDTH": "100", "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})

    assert "pk, promisekeeper - keep the promises you make to customers" in shown.stdout
    assert "pk reschedule [OPTIONS] ID WHEN..." in shown.stdout


def test_the_wheel_installs_it_where_pipx_looks() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))

    shared = project["tool"]["hatch"]["build"]["targets"]["wheel"]["shared-data"]
    assert shared == {"man/pk.1": "share/man/man1/pk.1"}
