"""The environment's tuning variables (PROMISEKEEPER_BUSY_TIMEOUT, _CONNECT_TIMEOUT,
_IMPORT_WORKERS): a value pk cannot use is said in one line on stderr, with what pk uses
instead, and the command goes on (a cron job's mail shows it); a usable one says nothing.
One warning a process (a command) for each variable and value."""

from __future__ import annotations

import json

import pytest

from promisekeeper.db import reader

NOW = "2026-11-23T09:00:00+01:00"


@pytest.mark.parametrize("value", ["abc", "nan", "inf", "-inf", "30s"])
def test_a_busy_timeout_pk_cannot_read_is_said_once_and_the_default_used(pk, files, value):
    added = pk("add", "Call Eva", "--due", "in 2h", now=NOW, env={reader.BUSY_TIMEOUT_VAR: value})
    assert added.exit_code == 0, added.output
    assert added.stdout.startswith("Promised #1 Call Eva")
    assert added.stderr == (f"pk: warning: PROMISEKEEPER_BUSY_TIMEOUT={value} is not a number of seconds; "
                            "using 30 s. Set it to a number such as 30, or unset it\n")


@pytest.mark.parametrize("value", ["0.5", "45", " 2 ", "0"])
def test_a_busy_timeout_pk_can_read_says_nothing(pk, files, value, monkeypatch):
    monkeypatch.setenv(reader.BUSY_TIMEOUT_VAR, value)
    assert reader.busy_timeout() == float(value)
    added = pk("add", "Call Eva", "--due", "in 2h", now=NOW)
    assert added.exit_code == 0 and added.stderr == ""


def test_a_connect_timeout_pk_cannot_read_is_said_and_the_default_used(monkeypatch, capsys):
    monkeypatch.setenv(reader.CONNECT_TIMEOUT_VAR, "ten")
    assert reader.connect_timeout() == reader.DEFAULT_CONNECT_TIMEOUT_S
    assert reader.connect_timeout() == reader.DEFAULT_CONNECT_TIMEOUT_S
    assert capsys.readouterr().err == ("pk: warning: PROMISEKEEPER_CONNECT_TIMEOUT=ten is not a number of seconds; "
                                       "using 10 s. Set it to a number such as 30, or unset it\n")
    monkeypatch.setenv(reader.CONNECT_TIMEOUT_VAR, "0.5")
    assert reader.connect_timeout() == 2  # libpq's least
    assert capsys.readouterr().err == ""


def test_a_hostile_value_is_shown_cut_short_and_harmless(pk, files):
    value = "\x1b[31m" + "x" * 100
    added = pk("add", "Call Eva", "--due", "in 2h", now=NOW, env={reader.BUSY_TIMEOUT_VAR: value})
    assert added.exit_code == 0
    assert "\x1b" not in added.stderr and "x" * 40 not in added.stderr and "…" in added.stderr


@pytest.mark.parametrize("value", ["many", "0", "-2"])
def test_an_import_workers_count_pk_cannot_use_is_said_and_pk_chooses(pk, files, tmp_path, value):
    record = {"what": "Call Eva", "due_at": "2026-11-24T10:00:00+00:00", "created_at": "2026-11-20T10:00:00+00:00"}
    path = tmp_path / "export.json"
    path.write_text(json.dumps({"format": "promisekeeper", "version": 1, "promises": [record]}), encoding="utf-8")
    result = pk("import", str(path), env={"PROMISEKEEPER_IMPORT_WORKERS": value})
    assert result.exit_code == 0, result.output
    assert result.stdout == "Imported 1 promise from export.json\n"
    assert result.stderr == (f"pk: warning: PROMISEKEEPER_IMPORT_WORKERS={value} is not a whole number of "
                             "processes (1 or more); pk chooses how many itself\n")
