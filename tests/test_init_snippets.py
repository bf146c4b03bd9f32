"""`pk init`: every snippet prints, bakes absolute paths quoted for its language, and works."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import Files
from test_prompt_helpers import MONDAY_EPOCH, monday_promises, pk_path, pk_run, seed

from promisekeeper.shell import integrations

KINDS = ["bash", "zsh", "fish", "starship", "tmux", "cron", "systemd"]
# Everything a path can hold that a careless snippet would break on.
AWKWARD = 'dir with space/it\'s "q" $HOME `x` %n #1 \\b'


def require(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed here (CI installs it with apt-get)")
    return found


@pytest.fixture(autouse=True)
def no_desktop(monkeypatch: pytest.MonkeyPatch) -> None:
    """No desktop session unless a test asks for one (the test machine may have one)."""
    for name in ("DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)


def session(root: Path, *, display: str | None, notify_send: bool) -> dict[str, str]:
    """The environment `pk init` sees: a display or none, a notify-send on PATH or none."""
    tools = root / ("with-notify-send" if notify_send else "without-notify-send")
    tools.mkdir(exist_ok=True)
    if notify_send:
        (tools / "notify-send").write_text("#!/bin/sh\nexit 0\n")
        (tools / "notify-send").chmod(0o755)
    env = {"PATH": str(tools)}
    if display:
        env["DISPLAY" if display.startswith(":") else "WAYLAND_DISPLAY"] = display
    return env


@pytest.fixture
def awkward(files: Files, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    base = files.root / AWKWARD
    chosen = {"db": base / "p.db", "config": base / "c.toml", "state": base / "state"}
    monkeypatch.setenv("PROMISEKEEPER_DB", str(chosen["db"]))
    monkeypatch.setenv("PROMISEKEEPER_CONFIG", str(chosen["config"]))
    monkeypatch.setenv("PROMISEKEEPER_STATE", str(chosen["state"]))
    return chosen


@pytest.mark.parametrize("kind", KINDS)
def test_every_snippet_prints(kind: str) -> None:
    result = pk_run("init", kind)
    assert result.returncode == 0 and result.stderr == ""
    assert "promisekeeper" in result.stdout and "@@" not in result.stdout
    if kind != "starship":  # starship runs nothing: it reads the variable the hook sets
        assert pk_path() in result.stdout  # the executable, by absolute path


def test_bad_usage_exits_2() -> None:
    for args in (
        ["init"],
        ["init", "csh"],
        ["init", "bash", "zsh"],
        ["init", "cron", "--env-only"],
        ["init", "bash", "--shiny"],
    ):
        result = pk_run(*args)
        assert result.returncode == 2 and result.stdout == "", args
        assert result.stderr.startswith("pk: init: ") and result.stderr.count("\n") == 1


def test_in_process_cli_bakes_python_dash_m(pk: Callable[..., Any]) -> None:
    import sys

    result = pk("init", "bash")
    assert result.exit_code == 0
    assert (
        f"__pk_cmd=({integrations.sh_quote(sys.executable)} '-m' 'promisekeeper')" in result.output
    )
    assert pk("init", "csh").exit_code == 2


def test_help_comes_from_the_full_cli() -> None:
    result = pk_run("init", "--help")
    assert result.returncode == 0 and "starship" in result.stdout


# -- awkward paths survive each language's quoting ------------------------------------------------


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_baked_paths_read_back_exactly_in_sh_like_shells(
    shell: str, awkward: dict[str, Path]
) -> None:
    require(shell)
    snippet = pk_run("init", shell).stdout
    show = 'printf "%s\\n" "$__pk_target" "$__pk_config" "$__pk_schedule" "${__pk_cmd[1]}"'
    if shell == "bash":
        show = show.replace("${__pk_cmd[1]}", "${__pk_cmd[0]}")
    command = ["bash", "--norc", "--noprofile", "-c"] if shell == "bash" else ["zsh", "-f", "-c"]
    result = subprocess.run(
        [*command, f'eval "$1"\n{show}', "sh", snippet],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    schedule = integrations.paths.state_file("prompt", str(awkward["db"]))
    assert result.stdout.splitlines() == [
        str(awkward["db"]),
        str(awkward["config"]),
        schedule,
        pk_path(),
    ]


def test_baked_paths_read_back_exactly_in_fish(awkward: dict[str, Path]) -> None:
    require("fish")
    snippet = pk_run("init", "fish").stdout
    show = 'printf "%s\\n" $__pk_target $__pk_config $__pk_schedule $__pk_cmd'
    result = subprocess.run(
        ["fish", "--no-config", "-c", f"{snippet}\n{show}"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    schedule = integrations.paths.state_file("prompt", str(awkward["db"]))
    assert result.stdout.splitlines() == [
        str(awkward["db"]),
        str(awkward["config"]),
        schedule,
        pk_path(),
    ]


def test_the_hook_works_from_an_awkward_place(awkward: dict[str, Path]) -> None:
    require("bash")
    seed(awkward["db"], monday_promises())
    snippet = pk_run("init", "bash").stdout
    environment = dict(os.environ, PROMISEKEEPER_NOW=f"@{MONDAY_EPOCH}")
    result = subprocess.run(
        [
            "bash",
            "--norc",
            "--noprofile",
            "-c",
            'eval "$1"; __pk_prompt; __pk_prompt',
            "sh",
            snippet,
        ],
        env=environment,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.stdout == "⚑2 ◷3\n⚑2 ◷3\n"


# -- starship, tmux -----------------------------------------------------------------------------


def test_starship_reads_the_exported_segment() -> None:
    document = tomllib.loads(pk_run("init", "starship").stdout)
    module = document["env_var"]["PROMISEKEEPER_SEGMENT"]
    assert module["variable"] == "PROMISEKEEPER_SEGMENT"
    assert (
        module["format"].startswith("(") and "$env_value" in module["format"]
    )  # hidden when empty


def _tmux_job(conf: str) -> str:
    """The shell command inside the #(…) the config stores, as tmux will run it."""
    line = next(text for text in conf.splitlines() if text.startswith("set -g @promisekeeper"))
    quoted = line.split(" ", 3)[3]
    assert quoted.startswith('"#(') and quoted.endswith(')"')
    inner = quoted[3:-2]
    return inner.replace('\\"', '"').replace("\\$", "$").replace("\\\\", "\\").replace("##", "#")


def test_tmux_job_runs_pk_prompt_with_the_paths_baked_in(awkward: dict[str, Path]) -> None:
    seed(awkward["db"], monday_promises())
    job = _tmux_job(pk_run("init", "tmux").stdout)
    environment = {
        "PATH": "/usr/bin:/bin",
        "PROMISEKEEPER_NOW": f"@{MONDAY_EPOCH}",
    }  # tmux's own, not ours
    result = subprocess.run(
        ["/bin/sh", "-c", job],
        env=environment,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.stdout == "⚑2 ◷3\n"


def test_tmux_status_line_shows_the_segment_once(files: Files, monday_db_path: Path) -> None:
    require("tmux")
    conf = files.root / "tmux.conf"
    conf.write_text(pk_run("init", "tmux").stdout)
    socket = files.root / "tmux.sock"  # private servers, gone with the test's directory
    environment = dict(os.environ, PROMISEKEEPER_NOW=f"@{MONDAY_EPOCH}")
    environment.pop("TMUX", None)
    tmux = ["tmux", "-S", str(socket), "-f", str(conf)]
    subprocess.run(
        [*tmux, "new-session", "-d", "-x", "120", "-y", "5", "sleep 30"],
        env=environment,
        check=True,
    )
    try:
        subprocess.run(
            [*tmux, "source-file", str(conf)], env=environment, check=True
        )  # sourced again
        status_right = subprocess.run(
            [*tmux, "show", "-gv", "status-right"], capture_output=True, text=True, check=False
        ).stdout
        assert status_right.count("@promisekeeper") == 1
        # Draw the status line in a client and read it back.
        outer = ["tmux", "-S", str(files.root / "outer.sock"), "-f", "/dev/null"]
        subprocess.run(
            [
                *outer,
                "new-session",
                "-d",
                "-x",
                "120",
                "-y",
                "6",
                f"env -u TMUX tmux -S '{socket}' attach",
            ],
            env=environment,
            check=True,
        )
        try:
            last = ""
            for _ in range(50):
                time.sleep(0.1)
                last = subprocess.run(
                    [*outer, "capture-pane", "-p"], capture_output=True, text=True, check=False
                ).stdout
                if "⚑2 ◷3" in last:
                    break
            assert "⚑2 ◷3" in last
        finally:
            subprocess.run([*outer, "kill-server"], capture_output=True, check=False)
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True, check=False)


@pytest.fixture
def monday_db_path(files: Files) -> Path:
    seed(files.db, monday_promises())
    return files.db


# -- cron and systemd ---------------------------------------------------------------------------


def test_cron_line_works_in_crons_bare_environment(
    files: Files, awkward: dict[str, Path]
) -> None:
    seed(awkward["db"], monday_promises())
    desktop = session(files.root, display=":0", notify_send=True)
    text = pk_run("init", "cron", env={"TZ": "Europe/Stockholm", **desktop}).stdout
    assert "(crontab -l 2>/dev/null; pk init cron) | crontab -" in text
    line = next(text_line for text_line in text.splitlines() if not text_line.startswith("#"))
    fields = line.split(" ", 5)
    assert fields[:5] == ["*/5", "*", "*", "*", "*"]
    command = fields[5]
    assert command.endswith(" remind --notify")
    assert "TZ='Europe/Stockholm'" in command
    assert "%" not in command.replace("\\%", "")  # a bare % would end the command
    # What cron runs: \% back to %, under /bin/sh with next to no environment.
    runnable = command.replace("\\%", "%").removesuffix(" remind --notify")
    result = subprocess.run(
        ["env", "-i", "/bin/sh", "-c", f"{runnable} db path"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.stdout == f"{awkward['db']}\n", result.stderr  # the baked paths arrive
    clock = f"PROMISEKEEPER_NOW=@{MONDAY_EPOCH} "  # a fixed clock; a dry run records nothing
    result = subprocess.run(
        ["env", "-i", "/bin/sh", "-c", f"{clock}{runnable} remind --dry-run"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Eva Spacek" in result.stdout


@pytest.mark.parametrize(
    ("display", "notify_send", "why"),
    [
        (None, True, "no desktop session (neither DISPLAY nor WAYLAND_DISPLAY is set)"),
        (":0", False, "no notify-send"),
        (None, False, "no desktop session"),
    ],
)
def test_cron_leaves_notify_out_where_no_notification_could_show(
    files: Files, display: str | None, notify_send: bool, why: str
) -> None:
    # A headless server: every reminder mail would also say the notification was not sent.
    env = session(files.root, display=display, notify_send=notify_send)
    # A session bus is no desktop: pam_systemd gives one to an ssh login too.
    env["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=/run/user/1000/bus"
    text = pk_run("init", "cron", env=env).stdout
    line = text.splitlines()[-1]
    assert line.startswith("*/5 ") and line.endswith(" remind")
    comment = " ".join(
        text_line.removeprefix("# ") for text_line in text.splitlines() if text_line.startswith("#")
    )
    assert why in comment
    assert "add --notify at the end of the line below" in comment


@pytest.mark.parametrize("display", [":0", "wayland-0"])
def test_cron_notifies_from_a_desktop_and_says_how_to_stop_it(
    files: Files, display: str
) -> None:
    text = pk_run("init", "cron", env=session(files.root, display=display, notify_send=True))
    lines = text.stdout.splitlines()
    assert lines[-1].endswith(" remind --notify")
    comment = " ".join(line.removeprefix("# ") for line in lines if line.startswith("#"))
    assert "delete it from the line below" in comment


def test_cron_always_bakes_the_state_dir(
    files: Files, monkeypatch: pytest.MonkeyPatch
) -> None:
    # cron's HOME (or none, under `env -i`) is not the shell's: the job writes the prompt
    # schedule where the shell reads it.
    assert "PROMISEKEEPER_STATE=" in pk_run("init", "cron").stdout
    monkeypatch.delenv("PROMISEKEEPER_STATE")
    assert "PROMISEKEEPER_STATE=" in pk_run("init", "cron").stdout


def test_systemd_script_installs_a_user_timer(files: Files, awkward: dict[str, Path]) -> None:
    home = files.root / "home-sd"
    fake_bin = files.root / "fake-bin"
    fake_bin.mkdir()
    calls = files.root / "systemctl.log"
    (fake_bin / "systemctl").write_text(f'#!/bin/sh\necho "$@" >> "{calls}"\n')
    (fake_bin / "systemctl").chmod(0o755)
    desktop = session(files.root, display=":0", notify_send=True)
    script = pk_run("init", "systemd", env={"TZ": "Europe/Stockholm", **desktop}).stdout
    assert 'loginctl enable-linger "$USER"' in script
    environment = {"HOME": str(home), "PATH": f"{fake_bin}:/usr/bin:/bin"}
    result = subprocess.run(
        ["sh"],
        input=script,
        env=environment,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (
        calls.read_text()
        == "--user daemon-reload\n--user enable --now promisekeeper-remind.timer\n"
    )
    units = home / ".config" / "systemd" / "user"
    service = (units / "promisekeeper-remind.service").read_text()
    timer = (units / "promisekeeper-remind.timer").read_text()
    assert "Type=oneshot" in service
    assert f'ExecStart="{pk_path()}" remind --notify' in service
    escaped_db = str(awkward["db"]).replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%")
    assert f'Environment="PROMISEKEEPER_DB={escaped_db}"' in service
    assert 'Environment="TZ=Europe/Stockholm"' in service
    for setting in ("OnCalendar=*:0/5", "Persistent=true", "WantedBy=timers.target"):
        assert setting in timer
    analyze = shutil.which("systemd-analyze")
    if analyze:
        checked = subprocess.run(
            [
                analyze,
                "verify",
                str(units / "promisekeeper-remind.service"),
                str(units / "promisekeeper-remind.timer"),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        assert checked.returncode == 0, checked.stderr


def test_systemd_leaves_notify_out_without_a_desktop(files: Files) -> None:
    fake_bin = files.root / "fake-bin"
    fake_bin.mkdir()
    (fake_bin / "systemctl").write_text("#!/bin/sh\nexit 0\n")
    (fake_bin / "systemctl").chmod(0o755)
    headless = session(files.root, display=None, notify_send=True)
    script = pk_run("init", "systemd", env=headless).stdout
    home = files.root / "home-headless"
    result = subprocess.run(
        ["sh"],
        input=script,
        env={"HOME": str(home), "PATH": f"{fake_bin}:/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    unit = home / ".config" / "systemd" / "user" / "promisekeeper-remind.service"
    service = unit.read_text()
    assert f'ExecStart="{pk_path()}" remind\n' in service
    comment = " ".join(
        line.removeprefix("# ") for line in service.splitlines() if line.startswith("#")
    )
    assert "no desktop session" in comment
    assert "add --notify at the end of ExecStart" in comment
    assert "systemctl --user daemon-reload" in comment
    analyze = shutil.which("systemd-analyze")
    if analyze:
        timer = unit.with_suffix(".timer")
        checked = subprocess.run(
            [analyze, "verify", str(unit), str(timer)], capture_output=True, text=True, check=False
        )
        assert checked.returncode == 0, checked.stderr


def test_systemd_honours_xdg_config_home(files: Files) -> None:
    fake_bin = files.root / "fake-bin"
    fake_bin.mkdir()
    (fake_bin / "systemctl").write_text("#!/bin/sh\nexit 0\n")
    (fake_bin / "systemctl").chmod(0o755)
    xdg = files.root / "xdg"
    environment = {
        "HOME": str(files.root / "h"),
        "XDG_CONFIG_HOME": str(xdg),
        "PATH": f"{fake_bin}:/usr/bin:/bin",
    }
    result = subprocess.run(
        ["sh"],
        input=pk_run("init", "systemd").stdout,
        env=environment,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (xdg / "systemd" / "user" / "promisekeeper-remind.timer").exists()


def test_quoting_helpers() -> None:
    assert integrations.sh_quote("it's") == "'it'\\''s'"
    assert integrations.fish_quote("a\\b'c") == "'a\\\\b\\'c'"
    assert integrations.crontab_command(["'50%'", "x"]) == "'50\\%' x"
    assert integrations.systemd_quote('a"%$', exec_line=True) == '"a\\"%%$$"'
    assert integrations.systemd_quote("a$") == '"a$"'


def test_paths_holding_the_placeholder_marker_are_baked_as_they_are(pk_process, files, tmp_path):
    odd = tmp_path / "we@@ird"
    odd.mkdir()
    done = pk_process("init", "bash", env={"PROMISEKEEPER_DB": str(odd / "p.db")})
    assert done.returncode == 0, done.stderr
    assert f"__pk_db='{odd}/p.db'" in done.stdout
