"""Helpers the reminder tests share: Stockholm wall-clock moments and adding promises."""

from __future__ import annotations

import json


def at(clock: str, day: int = 23) -> str:
    """A moment on the Stockholm wall clock in the week of Mon 23 Nov 2026 (UTC+1)."""
    return f"2026-11-{day:02d}T{clock}:00+01:00"


def add(pk, what: str, due: str, *args: str, now: str = at("08:00")) -> int:
    """Log a promise through the CLI and return its id."""
    result = pk("add", what, "--due", due, *args, "--json", now=now)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["id"]
