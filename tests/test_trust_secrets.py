"""Trust boundaries (issue 18), secrets: a planted password never leaves the environment.

The installed `pk` runs with a password in the database URL (as user information and as
`?password=`), a mail password and a push token in its environment; every line it prints
and every file it writes (the prompt schedule, the config, state files, the unit files that
`pk init systemd | sh` installs) is scanned for them. Only the private environment file
(0600) may hold them, and it does.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Engine, Files, both_engines

pytestmark = [
    pytest.mark.reliability,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="file modes and sh as on Linux"),
]

DB_PASSWORD = "pl4nted#Pw"  # an unencoded '#', which once cut the masking short
QUERY_PASSWORD = "qu3ryPlant"
SMTP_PASSWORD = "smtpPl4nted"
PUSH_TOKEN = "tk_plantedpushtoken0123456789"
PLANTED = (DB_PASSWORD, "pl4nted", QUERY_PASSWORD, SMTP_PASSWORD, PUSH_TOKEN)


def with_password(url: str) -> str:
    """The test server's URL with a password as user information and as a query parameter
    (the test server trusts its socket's users, so either password is accepted)."""
    scheme, _, rest = url.partition("://")
    user, _, after = rest.partition("@")
    joiner = "&" if "?" in after else "?"
    return f"{scheme}://{user}:{DB_PASSWORD}@{after}{joiner}password={QUERY_PASSWORD}"


def secret_environment(engine: Engine) -> dict[str, str]:
    env = {
        "PROMISEKEEPER_SMTP_PASSWORD": SMTP_PASSWORD,
        "PROMISEKEEPER_NOTIFY_URLS": f"ntfys://{PUSH_TOKEN}@ntfy.sh/pk",
    }
    if engine.name == "postgresql":
        env["PROMISEKEEPER_DB"] = with_password(engine.target)
    return env


def leaks(text: str) -> list[str]:
    return [secret for secret in PLANTED if secret in text]


COMMANDS = (
    ("add", "Call back", "--to", "Eva", "--due", "3pm"),
    ("list",),
    ("db",),
    ("db", "path"),
    ("db", "check"),
    ("prompt",),
    ("prompt", "--schedule"),
    ("prompt", "--format", "{next_who}"),
    ("config",),
    ("config", "--json"),
    ("config", "set", "remind.lead", "30m"),
    ("init", "cron"),
    ("init", "tmux"),
    ("init", "systemd"),
    ("init", "bash"),
    ("init", "zsh"),
    ("init", "fish"),
    ("init", "starship"),
    ("show", "999"),
)


@both_engines
def test_no_output_and_no_file_holds_a_planted_secret(
    engine: Engine, files: Files, pk_process: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    env = secret_environment(engine)
    outputs, script = {}, ""
    for command in COMMANDS:
        done = pk_process(*command, env=env)
        outputs[" ".join(command)] = done.stdout + done.stderr
        assert "Traceback" not in done.stderr, done.stderr
        script = done.stdout if command == ("init", "systemd") else script
    assert "Call back" in outputs["list"]
    units = install_systemd_units(files, script)
    found = {name: leaks(text) for name, text in outputs.items() if leaks(text)}
    assert not found, found
    secrets_file = files.config.parent / "environment"
    written = [path for path in files.root.rglob("*") if path.is_file() and path != secrets_file]
    assert files.config in written and any(path.name.startswith("prompt-") for path in written)
    assert units
    found = {str(path): leaks(path.read_text("utf-8", "replace")) for path in written}
    assert not {path: secrets for path, secrets in found.items() if secrets}
    assert stat.S_IMODE(secrets_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(files.config.stat().st_mode) == 0o600
    held = secrets_file.read_text("utf-8")
    assert SMTP_PASSWORD in held and PUSH_TOKEN in held
    assert (DB_PASSWORD in held) == (engine.name == "postgresql")


def install_systemd_units(files: Files, script: str) -> list[Path]:
    """Run the `pk init systemd` script as `| sh` would, with a stand-in systemctl."""
    fake_bin = files.root / "bin"
    fake_bin.mkdir()
    (fake_bin / "systemctl").write_text("#!/bin/sh\nexit 0\n")
    (fake_bin / "systemctl").chmod(0o755)
    home = files.root / "home"
    result = subprocess.run(
        ["sh"], input=script, capture_output=True, text=True, timeout=30, check=False,
        env={"HOME": str(home), "PATH": f"{fake_bin}:/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    return list((home / ".config" / "systemd" / "user").iterdir())


def test_a_cron_line_reads_the_secrets_from_the_private_file(
    files: Files, pk_process: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    """The line itself names no secret; run as cron would (sh, an empty environment), the
    job still gets them, quotes and dollars intact."""
    tricky = 'a"b$c`d\\e f'
    done = pk_process("init", "cron", env={"PROMISEKEEPER_SMTP_PASSWORD": tricky})
    line = next(line for line in done.stdout.splitlines() if line.startswith("*/5"))
    assert tricky not in line and "environment" in line
    assert "PROMISEKEEPER_SMTP_PASSWORD" in done.stderr and tricky not in done.stderr
    command = line.split(" ", 5)[5].replace("\\%", "%")
    probe = command.rpartition(" remind")[0].rpartition(";")[0] + '; printf %s "$PROMISEKEEPER_SMTP_PASSWORD"'
    result = subprocess.run(["sh", "-c", probe], capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"},
                            check=False)
    assert result.stdout == tricky


def test_the_systemd_unit_points_at_the_private_file(
    files: Files, pk_process: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    done = pk_process("init", "systemd", env={"PROMISEKEEPER_DB": "postgresql://ann:" + DB_PASSWORD + "@db/pk"})
    assert f"EnvironmentFile=-{files.config.parent / 'environment'}" in done.stdout
    assert not leaks(done.stdout + done.stderr)
    assert "PROMISEKEEPER_DB=" not in done.stdout


def test_the_config_file_is_created_private(
    files: Files, pk_process: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    old = os.umask(0o022)
    try:
        assert pk_process("config", "set", "remind.lead", "30m").returncode == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(files.config.stat().st_mode) == 0o600


def test_an_unreachable_server_error_masks_the_password(
    pk_process: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    url = f"postgresql://ann:{DB_PASSWORD}@127.0.0.1:9/pk?password={QUERY_PASSWORD}&connect_timeout=2"
    for command in (("list",), ("add", "x"), ("db",), ("prompt", "--schedule")):
        done = pk_process(*command, env={"PROMISEKEEPER_DB": url})
        assert not leaks(done.stdout + done.stderr), (command, done.stderr)
        assert "Traceback" not in done.stderr


TOKEN = "tk_pl4ntedApiToken"


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql://ann:{DB_PASSWORD}@db.example/pk",
        "postgresql://ann:pl4nted%23Pw@db.example/pk",
        f"postgresql://ann@db.example/pk?password={QUERY_PASSWORD}&sslmode=require",
        f"postgresql://ann@db.example/pk?sslmode=require&api_token={TOKEN}",
    ],
)
def test_no_snippet_holds_a_secret_of_the_database_url(
    url: str, pk_process: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    """`pk init bash >> ~/.bashrc` would keep whatever it prints: no password, however given;
    nor does any other kind (the jobs read it from the private environment file)."""
    for kind in ("bash", "zsh", "fish", "starship", "tmux", "cron", "systemd"):
        done = pk_process("init", kind, env={"PROMISEKEEPER_DB": url})
        assert done.returncode == 0, done.stderr
        if kind in ("bash", "zsh", "fish"):
            assert "__pk_same_env" in done.stdout and "example/pk" in done.stdout  # still told apart
        text = done.stdout + done.stderr
        assert not leaks(text) and TOKEN not in text, kind


def test_pk_config_masks_a_password_in_what_it_lists(
    files: Files, pk_process: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    files.config.write_text(f'owner = "https://ann:{DB_PASSWORD}@dav.example.com/"\n')
    for command in (("config",), ("config", "--json"), ("config", "get", "owner")):
        done = pk_process(*command)
        assert done.returncode == 0, done.stderr
        assert "https://ann:***@dav.example.com/" in done.stdout and not leaks(done.stdout + done.stderr)
