"""The shell snippets, run in real bash, zsh and fish (each skipped, saying why, if missing).

The snippet from `pk init SHELL` is sourced with the user's rc files ignored and HOME
in a temp dir. The pk it bakes in is swapped for a recorder that logs each call and
then runs the real pk, so the tests see when a process is started; the clock is fixed
with PROMISEKEEPER_NOW=@EPOCH, which the hooks read without starting a process.
"""

from __future__ import annotations

import io
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import Files
from test_prompt_helpers import MONDAY, MONDAY_EPOCH, monday_promises, pk_path, pk_run, seed, stored

from promisekeeper.shell import integrations, prompt, schedule_file

COMMANDS = {
    "bash": ["bash", "--norc", "--noprofile"],
    "zsh": ["zsh", "-f"],
    "fish": ["fish", "--no-config"],
}
FLAVOUR = {"bash": "bash", "zsh": "zsh", "fish": "plain"}
END = "<end>"
HOUR = 3600
# Moments within two days of the base, where the schedule answers on its own: before
# and after a deadline, a second after one, late evening, after midnight, next day.
FRESH_CLOCKS = [
    0,
    1799,
    5400,
    5401,
    20000,
    52199,
    52231,
    52200 + 3600,
    86400 + 3600,
    86400 + 9 * 3600,
]
# Moments it does not cover: before it was written, and after its end.
STALE_CLOCKS = [-7200, 48 * HOUR, 5 * 86400]
CONFIGS = {
    "default": "",
    "ascii": "[prompt]\nascii = true\n",
    "format": '[prompt]\nformat = "{overdue}/{today} next {next_in}: {next_who}"\n',
    "color": "[prompt]\ncolor = true\n",
}


def script(*lines: str) -> str:
    """A shell script, one command a line."""
    return "\n".join(lines) + "\n"


def require(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed here (CI installs it with apt-get)")
    return found


class Shell:
    """One shell with the promisekeeper snippet, and a log of every pk it starts."""

    def __init__(self, name: str, root: Path, init_args: tuple[str, ...] = ()) -> None:
        self.name = name
        self.log = root / f"{name}-pk-calls.log"
        self.recorder = root / "bin" / "pk"
        self.recorder.parent.mkdir(exist_ok=True)
        self.recorder.write_text(
            f'#!/bin/sh\nprintf "%s\\n" "$*" >> "{self.log}"\nexec "{pk_path()}" "$@"\n'
        )
        self.recorder.chmod(0o755)
        result = pk_run("init", name, *init_args)
        assert result.returncode == 0, result.stderr
        quote = integrations.fish_quote if name == "fish" else integrations.sh_quote
        assert quote(pk_path()) in result.stdout
        self.snippet = root / f"init.{name}"
        self.snippet.write_text(result.stdout.replace(quote(pk_path()), quote(str(self.recorder))))

    def run(
        self,
        body: str,
        *,
        interactive: bool = False,
        env: dict[str, str] | None = None,
        now: int = MONDAY_EPOCH,
    ) -> subprocess.CompletedProcess[str]:
        environment = dict(os.environ, PROMISEKEEPER_NOW=f"@{now}")
        environment.update(env or {})
        environment.pop("PK_DEBUG", None)
        command = [*COMMANDS[self.name], *(["-i"] if interactive else [])]
        if interactive:  # read the commands as typed: every prompt is drawn
            return subprocess.run(
                command,
                input=body,
                env=environment,
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
        return subprocess.run(
            [*command, "-c", body],
            env=environment,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    def source(self) -> str:
        return f"source '{self.snippet}'"

    def prompts_at(self, clocks: list[int]) -> list[str]:
        """What __pk_prompt prints at each moment, in one long-lived shell."""
        moments = " ".join(str(MONDAY_EPOCH + c) for c in clocks)
        each = f"__pk_prompt; echo '{END}'"
        if self.name == "fish":
            loop = f"for n in {moments}; set -gx PROMISEKEEPER_NOW @$n; {each}; end"
        else:
            loop = f"for n in {moments}; do export PROMISEKEEPER_NOW=@$n; {each}; done"
        result = self.run(f"{self.source()}\n{loop}\n")
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
        return result.stdout.split(f"{END}\n")[:-1]

    def calls(self) -> list[str]:
        return self.log.read_text().splitlines() if self.log.exists() else []

    def forget_calls(self) -> None:
        self.log.unlink(missing_ok=True)


@pytest.fixture(params=list(COMMANDS))
def shell(request: pytest.FixtureRequest, files: Files) -> Shell:
    require(request.param)
    return Shell(request.param, files.root)


@pytest.fixture
def monday_db(files: Files) -> Path:
    seed(files.db, monday_promises())
    return files.db


def expected_at(clocks: list[int], flavour: str) -> list[str]:
    """What `pk prompt --shell FLAVOUR` prints at each moment (the same function, in-process)."""
    outputs = []
    for clock in clocks:
        out = io.StringIO()
        prompt.run(prompt.Options(shell=flavour), out=out, now=MONDAY_EPOCH + clock)
        outputs.append(out.getvalue())
    return outputs


def warm_schedule_at(moment: int) -> None:
    prompt.current_schedule(moment)


# -- the segment: the hooks and pk prompt say the same ------------------------------------------


@pytest.mark.parametrize("config", list(CONFIGS))
def test_hook_prints_what_pk_prompt_prints(
    shell: Shell, files: Files, monday_db: Path, config: str
) -> None:
    if CONFIGS[config]:
        files.config.write_text(CONFIGS[config])
    built = prompt.current_schedule(MONDAY_EPOCH)
    # A countdown ({next_in}) ticks every minute in a deadline's last hour: its schedule
    # has a row per tick, so it covers less time.
    covered = [clock for clock in FRESH_CLOCKS if MONDAY_EPOCH + clock < built.until]
    assert len(covered) == len(FRESH_CLOCKS) if config != "format" else len(covered) >= 4
    shell.forget_calls()
    printed = shell.prompts_at(covered)
    assert shell.calls() == []  # the schedule answered every time: no process started
    assert printed == expected_at(covered, FLAVOUR[shell.name])
    assert printed[0] != ""

    printed = shell.prompts_at(STALE_CLOCKS)
    assert shell.calls() == ["prompt --schedule"] * len(STALE_CLOCKS)
    assert printed == expected_at(STALE_CLOCKS, FLAVOUR[shell.name])


def test_real_pk_prompt_agrees_too(shell: Shell, monday_db: Path) -> None:
    printed = shell.prompts_at([0, 5460])
    flavour = FLAVOUR[shell.name]
    assert printed == [
        pk_run("prompt", "--shell", flavour, now=MONDAY_EPOCH + c).stdout for c in (0, 5460)
    ]
    assert printed == ["⚑2 ◷3\n", "⚑3 ◷2\n"]


def test_a_change_pk_did_not_record_is_noticed(shell: Shell, files: Files, monday_db: Path) -> None:
    warm_schedule_at(MONDAY_EPOCH)
    assert shell.prompts_at([0]) == ["⚑2 ◷3\n"]
    time.sleep(0.01)
    seed(files.db, [(MONDAY - timedelta(hours=1), "Written by another tool", "open")])
    shell.forget_calls()
    assert shell.prompts_at([0, 60]) == ["⚑3 ◷3\n", "⚑3 ◷3\n"]
    assert shell.calls() == ["prompt --schedule"]  # once: the fallback wrote a fresh schedule


def test_a_commit_seen_only_in_the_wal_file_is_noticed(
    shell: Shell, files: Files, monday_db: Path
) -> None:
    warm_schedule_at(MONDAY_EPOCH)
    time.sleep(0.01)
    writer = sqlite3.connect(files.db)  # stays open: the commit is in the -wal file only
    try:
        mtime = files.db.stat().st_mtime_ns
        with writer:
            writer.execute("UPDATE promise SET state = 'kept' WHERE who = 'Eva Spacek'")
        assert files.db.stat().st_mtime_ns == mtime
        shell.forget_calls()
        assert shell.prompts_at([0]) == ["⚑1 ◷3\n"]
        assert shell.calls() == ["prompt --schedule"]
    finally:
        writer.close()


def test_another_database_or_zone_set_in_the_shell(
    shell: Shell, files: Files, monday_db: Path
) -> None:
    other = files.root / "other.db"
    seed(other, [(MONDAY - timedelta(hours=1), "Other", "open")])
    set_db = (
        f"set -gx PROMISEKEEPER_DB '{other}'"
        if shell.name == "fish"
        else f"export PROMISEKEEPER_DB='{other}'"
    )
    result = shell.run(f"{shell.source()}\n{set_db}\n__pk_prompt\n__pk_prompt\n")
    assert result.stdout == "⚑1\n⚑1\n"
    warm_schedule_at(MONDAY_EPOCH)
    # 23:00 in Stockholm is already Tuesday in Tokyo: the schedule made for Stockholm
    # must not be used there.
    late = MONDAY_EPOCH + 13 * HOUR + 30 * 60
    set_tz = "set -gx TZ Asia/Tokyo" if shell.name == "fish" else "export TZ=Asia/Tokyo"
    result = shell.run(f"{shell.source()}\n{set_tz}\n__pk_prompt\n", now=late)
    assert result.stdout == pk_run("prompt", env={"TZ": "Asia/Tokyo"}, now=late).stdout
    assert result.stdout != pk_run("prompt", now=late).stdout


def _same_env_under(shell: Shell, databases: list[str]) -> list[str]:
    """What the hook's environment check says for each PROMISEKEEPER_DB, in one shell."""
    words = " ".join(integrations.sh_quote(database) for database in databases)
    check = "__pk_same_env && echo same || echo differs"
    if shell.name == "fish":
        loop = f"for d in {words}; set -gx PROMISEKEEPER_DB $d; {check.replace('&&', '; and').replace('||', '; or')}; end"
    else:
        loop = f"for d in {words}; do export PROMISEKEEPER_DB=\"$d\"; {check}; done"
    result = shell.run(f"{shell.source()}\n{loop}\n")
    assert result.returncode == 0 and result.stderr == "", result.stderr
    return result.stdout.split()


def test_a_password_in_the_database_url_is_not_baked_in_yet_a_change_is_seen(
    files: Files, monkeypatch: pytest.MonkeyPatch, shell: Shell
) -> None:
    """The rc file `pk init SHELL >> ~/.bashrc` writes holds no secret of the database URL
    (user information, password=, any secret-named parameter), and the hook still notices
    another host, user or database without starting a process."""
    url = "postgresql://bob:pl4nted#Pw@db.example:5432/pk?sslmode=require&password=qu3ry*Pl&api_token=tk_pl4nt"
    monkeypatch.setenv("PROMISEKEEPER_DB", url)
    baked = Shell(shell.name, files.root)
    text = baked.snippet.read_text("utf-8")
    assert not [secret for secret in ("pl4nted", "qu3ry", "tk_pl4nt") if secret in text]
    changed = [
        url,
        url.replace("pl4nted#Pw", "another"),  # a new password: still the same database
        url.replace("bob:", "eve:"),
        url.replace("db.example", "db2.example"),
        url.replace(":5432/pk", ":5432/pk2"),
        url.replace("sslmode=require", "sslmode=disable"),
        url.replace("&api_token=tk_pl4nt", ""),
        str(files.db),
        "",
    ]
    assert _same_env_under(baked, changed) == ["same", "same"] + ["differs"] * 7
    assert baked.calls() == []


def test_glob_characters_in_a_baked_path_stay_literal(
    files: Files, monkeypatch: pytest.MonkeyPatch, shell: Shell
) -> None:
    odd = files.root / "a*b[12]?c\\d'e.db"
    monkeypatch.setenv("PROMISEKEEPER_DB", str(odd))
    baked = Shell(shell.name, files.root)
    lookalike = str(files.root / "aXYb1Zc\\d'e.db")
    assert _same_env_under(baked, [str(odd), lookalike, str(odd) + "x"]) == ["same", "differs", "differs"]


def test_an_iso_clock_is_left_to_pk(shell: Shell, monday_db: Path) -> None:
    iso = "2026-11-23T11:01:00+01:00"  # the end of the 11:00 deadline's minute
    body = f"{shell.source()}\n__pk_prompt\n"
    result = shell.run(body, env={"PROMISEKEEPER_NOW": iso})
    assert result.stdout == "⚑3 ◷2\n"


def test_no_database_yet_means_no_segment_and_no_process_after_the_first(
    shell: Shell, files
) -> None:
    assert shell.prompts_at([0, 60, 120]) == ["", "", ""]
    assert shell.calls() == ["prompt --schedule"]
    assert not files.db.exists()


def test_the_hook_exports_the_plain_segment(shell: Shell, files: Files, monday_db: Path) -> None:
    files.config.write_text("[prompt]\ncolor = true\n")
    if shell.name == "fish":
        hook = "emit fish_prompt"
    else:
        hook = "__pk_hook"
    show = "printf '[%s]' \"$PROMISEKEEPER_SEGMENT\""
    result = shell.run(script(shell.source(), hook, show, "printenv PROMISEKEEPER_SEGMENT"))
    assert result.stdout == "[⚑2 ◷3]⚑2 ◷3\n"


def test_a_shell_that_refuses_unset_variables(shell: Shell, monday_db: Path) -> None:
    strict = {"bash": "set -u", "zsh": "setopt nounset", "fish": ""}[shell.name]
    hook = "emit fish_prompt" if shell.name == "fish" else "__pk_hook"
    result = shell.run(script(strict, shell.source(), shell.source(), hook, "__pk_prompt"))
    assert (result.returncode, result.stdout, result.stderr) == (0, "⚑2 ◷3\n", "")


# -- fitting into the shell: hooks once, $? kept, the prompt you had still works ------------------


def test_bash_prompt_command_string_or_array_hooked_once_and_last(
    files: Files, monday_db: Path
) -> None:
    require("bash")
    shell = Shell("bash", files.root)
    result = shell.run(
        script(
            "PROMPT_COMMAND='echo mine'",
            shell.source(),
            shell.source(),
            "declare -p PROMPT_COMMAND",
        )
    )
    assert result.stdout == "declare -- PROMPT_COMMAND=$'echo mine\\n__pk_hook'\n"
    result = shell.run(
        script(
            "PROMPT_COMMAND=('echo a' 'echo b')",
            shell.source(),
            shell.source(),
            "declare -p PROMPT_COMMAND",
        )
    )
    assert (
        result.stdout == 'declare -a PROMPT_COMMAND=([0]="echo a" [1]="echo b" [2]="__pk_hook")\n'
    )
    result = shell.run(script(shell.source(), "declare -p PROMPT_COMMAND"))
    assert result.stdout == 'declare -- PROMPT_COMMAND="__pk_hook"\n'
    result = shell.run(
        script(
            shell.source(),
            "false",
            "__pk_hook",
            'echo "status $?"',
            "(exit 7)",
            "__pk_hook",
            'echo "status $?"',
        )
    )
    assert result.stdout == "status 1\nstatus 7\n"


@pytest.mark.parametrize(
    "mine", ["echo mine", "echo mine;", "echo mine; ", "echo mine &", "echo mine # a comment"]
)
def test_bash_hook_runs_after_any_prompt_command_ending(
    files: Files, monday_db: Path, mine: str
) -> None:
    require("bash")
    shell = Shell("bash", files.root)
    typed = script(
        f"PROMPT_COMMAND={integrations.sh_quote(mine)}",
        "PS1='$ '",
        shell.source(),
        "exit",
    )
    result = shell.run(typed, interactive=True)
    assert "mine" in result.stdout
    assert "syntax error" not in result.stderr
    assert "⚑2 ◷3 $ " in result.stderr  # the hook ran too


def test_bash_pipeline_statuses_reach_the_rest_of_prompt_command(
    files: Files, monday_db: Path
) -> None:
    # Any command resets PIPESTATUS, and only a pipeline can set it again: a hook run
    # before the other PROMPT_COMMAND entries would leave them one status of three.
    require("bash")
    shell = Shell("bash", files.root)
    typed = script(
        "PROMPT_COMMAND='echo \"PIPE:${PIPESTATUS[*]};\"'",
        "PS1='[$?] $ '",
        shell.source(),
        "false | true | (exit 3)",
        "(exit 4)",
        "exit",
    )
    result = shell.run(typed, interactive=True)
    assert "PIPE:1 0 3;" in result.stdout.splitlines()
    assert "PIPE:4;" in result.stdout.splitlines()
    # $? still reaches PS1, and the segment in front of it is current.
    assert "⚑2 ◷3 [3] $ " in result.stderr
    assert "⚑2 ◷3 [4] $ " in result.stderr


# What `starship init bash` does with PROMPT_COMMAND, cut down to that: it takes the
# entries already there into STARSHIP_PROMPT_COMMAND, and its starship_precmd saves $?
# and PIPESTATUS, runs them, then makes PS1 (from the segment, as its env_var module).
STARSHIP_BASH = r"""
starship_precmd() {
  STARSHIP_CMD_STATUS=$? STARSHIP_PIPE_STATUS=(${PIPESTATUS[@]})
  eval "$STARSHIP_PROMPT_COMMAND"
  PS1="{${STARSHIP_PIPE_STATUS[*]}|$STARSHIP_CMD_STATUS|${PROMISEKEEPER_SEGMENT-}} $ "
}
if [[ -z "$PROMPT_COMMAND" ]]; then
  PROMPT_COMMAND=starship_precmd
elif [[ "$PROMPT_COMMAND" != *starship_precmd* ]]; then
  STARSHIP_PROMPT_COMMAND=$PROMPT_COMMAND
  PROMPT_COMMAND=starship_precmd
fi
"""


def test_bash_before_starship_gives_it_the_statuses_and_a_current_segment(
    files: Files, monday_db: Path
) -> None:
    require("bash")
    shell = Shell("bash", files.root, ("--env-only",))
    starship = files.root / "starship-init.bash"
    starship.write_text(STARSHIP_BASH)
    later = f"export PROMISEKEEPER_NOW=@{MONDAY_EPOCH + 5460}"
    typed = script(
        "PROMPT_COMMAND='history -a'",  # an entry of the user's own, taken over too
        shell.source(),
        f"source '{starship}'",
        # ~/.bashrc read again: the hook is not added a second time, before starship.
        shell.source(),
        f"source '{starship}'",
        "declare -p PROMPT_COMMAND STARSHIP_PROMPT_COMMAND",
        "false | true | (exit 3)",
        later,
        "exit",
    )
    result = shell.run(typed, interactive=True)
    assert (
        "declare -- PROMPT_COMMAND=\"starship_precmd\"\n"
        "declare -- STARSHIP_PROMPT_COMMAND=$'history -a\\n__pk_hook'\n"
    ) in result.stdout
    assert "{1 0 3|3|⚑2 ◷3} $ " in result.stderr
    assert "{0|0|⚑3 ◷2} $ " in result.stderr  # the clock moved on: the segment with it


def test_bash_shows_the_segment_before_the_prompt_you_had(files: Files, monday_db: Path) -> None:
    require("bash")
    shell = Shell("bash", files.root)
    typed = (
        f"PS1='[\\u] $ '; PROMPT_COMMAND='echo mine'\n{shell.source()}\n{shell.source()}\n"
        'false\necho "status $?"\nexit\n'
    )
    result = shell.run(typed, interactive=True)
    assert "status 1" in result.stdout
    assert result.stdout.count("mine") >= 3  # the old PROMPT_COMMAND still runs
    user = (
        os.environ.get("USER")
        or subprocess.run(["id", "-un"], capture_output=True, text=True, check=False).stdout.strip()
    )
    assert f"⚑2 ◷3 [{user}] $ " in result.stderr  # bash -i draws its prompts on stderr
    assert "⚑2 ◷3 ⚑2 ◷3" not in result.stderr


def test_bash_env_only_leaves_ps1_alone(files: Files, monday_db: Path) -> None:
    require("bash")
    shell = Shell("bash", files.root, ("--env-only",))
    result = shell.run(
        f"PS1='my> '\n{shell.source()}\n__pk_hook\necho \"$PS1|$PROMISEKEEPER_SEGMENT\"\n"
    )
    assert result.stdout == "my> |⚑2 ◷3\n"


def test_zsh_precmd_once_and_prompt_read_as_before(files: Files, monday_db: Path) -> None:
    require("zsh")
    shell = Shell("zsh", files.root)
    result = shell.run(
        script(
            "precmd_functions=(mine)",
            shell.source(),
            shell.source(),
            "print -r -- $precmd_functions",
            "false",
            "__pk_hook",
            'echo "status $?"',
        )
    )
    assert result.stdout == "__pk_hook mine\nstatus 1\n"
    # A PROMPT written without prompt_subst, with $ and \ in it, reads the same after.
    typed = script(
        "PROMPT='a\\\\b $HOME %# '",
        shell.source(),
        shell.source(),
        "false",
        'echo "status $?"',
        "exit",
    )
    result = shell.run(typed, interactive=True)
    assert "status 1" in result.stdout
    assert "⚑2 ◷3 a\\\\b $HOME # " in result.stderr + result.stdout
    assert "⚑2 ◷3 ⚑2 ◷3" not in result.stderr + result.stdout


def test_zsh_keeps_every_pipeline_status_for_precmd_and_prompt(
    files: Files, monday_db: Path
) -> None:
    # zsh hands each precmd function, and PROMPT, the statuses of the user's command,
    # so the hook can go first (and so before starship's precmd) at no cost.
    require("zsh")
    shell = Shell("zsh", files.root)
    typed = script(
        "mine() { print -r -- \"PIPE:$?:$pipestatus;\" }",
        "precmd_functions=(mine)",
        "setopt prompt_subst",
        "PROMPT='[${pipestatus[*]}] %# '",
        shell.source(),
        "print -r -- $precmd_functions",
        "false | true | (exit 3)",
        "exit",
    )
    result = shell.run(typed, interactive=True)
    assert "__pk_hook mine" in result.stdout
    assert "PIPE:3:1 0 3;" in result.stdout
    assert "⚑2 ◷3 [1 0 3] # " in result.stderr + result.stdout


def test_zsh_env_only_and_the_powerlevel10k_segment(files: Files, monday_db: Path) -> None:
    require("zsh")
    shell = Shell("zsh", files.root, ("--env-only",))
    p10k = 'p10k() { print -r -- "$*"; }'  # stands in for powerlevel10k's command
    result = shell.run(
        script(
            "PROMPT='my> '",
            shell.source(),
            p10k,
            "__pk_hook",
            'print -r -- "$PROMPT|$PROMISEKEEPER_SEGMENT"',
            "[[ -o prompt_subst ]] || echo no-subst",
            "PROMISEKEEPER_SEGMENT='⚑1 50%'",
            "prompt_promisekeeper",
        )
    )
    assert result.stdout == "my> |⚑2 ◷3\nno-subst\nsegment -f red -t ⚑1 50%%\n"


def test_fish_prompt_wrapped_once_keeping_status(files: Files, monday_db: Path) -> None:
    require("fish")
    shell = Shell("fish", files.root)
    mine = 'function fish_prompt; echo "mine($status)> "; end'
    body = f"{mine}\n{shell.source()}\n{shell.source()}\nemit fish_prompt\nfalse\nfish_prompt\n"
    result = shell.run(body)
    assert result.stdout == "⚑2 ◷3 mine(1)> \n"
    shell_env_only = Shell("fish", files.root, ("--env-only",))
    result = shell_env_only.run(
        f"{mine}\n{shell_env_only.source()}\nemit fish_prompt\ntrue\nfish_prompt\n"
        "echo $PROMISEKEEPER_SEGMENT\n"
    )
    assert result.stdout == "mine(0)> \n⚑2 ◷3\n"


def test_fish_prompt_sees_every_pipeline_status_and_prints_as_it_was(
    files: Files, monday_db: Path
) -> None:
    require("fish")
    shell = Shell("fish", files.root)
    two_lines = "function fish_prompt; printf 'mine[%s|%s]\\n> ' \"$pipestatus\" $status; end"
    body = script(two_lines, shell.source(), "emit fish_prompt", "true | false", "fish_prompt")
    result = shell.run(body)
    assert result.stdout == "⚑2 ◷3 mine[0 1|1]\n> "  # no newline added at the end
    ends_in_lines = "function fish_prompt; printf 'a\\n\\nb\\n\\n'; end"
    result = shell.run(script(ends_in_lines, shell.source(), "emit fish_prompt", "fish_prompt"))
    assert result.stdout == "⚑2 ◷3 a\n\nb\n\n"  # none taken away either
    # Nothing due: the prompt alone, not even a space in front.
    result = shell.run(
        script(two_lines, shell.source(), "true | false | true", "fish_prompt"),
        env={"PROMISEKEEPER_DB": str(files.root / "none.db")},
    )
    assert result.stdout == "mine[0 1 0|0]\n> "


# -- the daily briefing at shell start ----------------------------------------------------------


def _start(shell: Shell) -> subprocess.CompletedProcess[str]:
    return shell.run(f"{shell.source()}\nexit\n", interactive=True)


def test_briefing_once_a_day_then_no_process(shell: Shell, files: Files, monday_db: Path) -> None:
    warm_schedule_at(MONDAY_EPOCH)
    first = _start(shell)
    assert "Overdue (2):" in first.stdout and "Due today (3):" in first.stdout
    assert shell.calls() == ["brief --once-a-day"]
    briefed = Path(integrations.paths.state_file("brief", str(files.db)))
    assert briefed.read_text() == "2026-11-23\n"
    shell.forget_calls()
    second = _start(shell)
    assert "Overdue" not in second.stdout
    assert shell.calls() == []  # shown today already: no process at all for it


def test_no_briefing_when_nothing_is_due(shell: Shell, files: Files) -> None:
    seed(files.db, [(MONDAY + timedelta(days=3), "Later", "open")])
    warm_schedule_at(MONDAY_EPOCH)
    result = _start(shell)
    assert shell.calls() == [] and "Overdue" not in result.stdout


def test_briefing_off_in_config(shell: Shell, files: Files, monday_db: Path) -> None:
    files.config.write_text("[prompt]\nbrief = false\n")
    shell = Shell(shell.name, files.root)  # the snippet reads the setting when printed
    warm_schedule_at(MONDAY_EPOCH)
    result = _start(shell)
    assert shell.calls() == [] and "Overdue" not in result.stdout


# -- a real terminal ----------------------------------------------------------------------------


def _rc_command(shell: Shell, home: Path) -> str:
    if shell.name == "bash":
        rc = home / ".bashrc-pk"
        rc.write_text(f"PS1='$ '\n{shell.source()}\n")
        return f"bash --noprofile --rcfile '{rc}' -i"
    if shell.name == "zsh":
        (home / ".zshrc").write_text(f"PROMPT='$ '\n{shell.source()}\n")
        return f"env ZDOTDIR='{home}' zsh -i"
    return (
        f"fish --no-config -i -C \"function fish_prompt; printf '\\$ '; end\" "
        f"-C \"source '{shell.snippet}'\""
    )


def test_in_a_real_terminal_the_coloured_segment_takes_its_visible_width(
    shell: Shell, files: Files, monday_db: Path
) -> None:
    require("tmux")
    files.config.write_text("[prompt]\ncolor = true\nbrief = false\n")
    shell = Shell(shell.name, files.root)  # the snippet reads prompt.brief when printed
    warm_schedule_at(MONDAY_EPOCH)
    home = Path(os.environ["HOME"])
    socket = files.root / "tmux.sock"  # a private server, gone with the test's directory
    environment = dict(os.environ, PROMISEKEEPER_NOW=f"@{MONDAY_EPOCH}", TERM="xterm-256color")
    environment.pop("TMUX", None)
    tmux = ["tmux", "-S", str(socket), "-f", "/dev/null"]
    subprocess.run(
        [*tmux, "new-session", "-d", "-x", "80", "-y", "20", _rc_command(shell, home)],
        env=environment,
        check=True,
        timeout=20,
    )
    try:
        line, cursor = "", ""
        for _ in range(100):
            time.sleep(0.1)
            screen = subprocess.run(
                [*tmux, "capture-pane", "-p"], capture_output=True, text=True, check=False
            ).stdout
            lines = [text for text in screen.splitlines() if text.strip()]
            if lines and lines[-1].rstrip().endswith("$"):
                line = lines[-1]
                cursor = subprocess.run(
                    [*tmux, "display", "-p", "#{cursor_x}"],
                    capture_output=True,
                    text=True,
                    check=False,
                ).stdout
                break
        assert line.rstrip() == "⚑2 ◷3 $", screen
        assert int(cursor) == len("⚑2 ◷3 $ ")  # the colour codes take no room
        colours = subprocess.run(
            [*tmux, "capture-pane", "-p", "-e"], capture_output=True, text=True, check=False
        ).stdout
        assert "\x1b[31m⚑2 ◷3" in colours
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True, check=False)


def test_fish_default_prompt_shows_every_pipeline_status_in_a_real_terminal(
    files: Files, monday_db: Path
) -> None:
    # fish's own prompt, as a user who never wrote one has it: after `true | false` it
    # shows [0|1]. The event handler and the wrapper run before it and must not reset that.
    require("fish")
    require("tmux")
    files.config.write_text("[prompt]\nbrief = false\n")
    shell = Shell("fish", files.root)
    warm_schedule_at(MONDAY_EPOCH)
    socket = files.root / "tmux.sock"  # a private server, gone with the test's directory
    environment = dict(os.environ, PROMISEKEEPER_NOW=f"@{MONDAY_EPOCH}", TERM="xterm-256color")
    environment.pop("TMUX", None)
    tmux = ["tmux", "-S", str(socket), "-f", "/dev/null"]
    command = f"fish --no-config -i -C \"source '{shell.snippet}'\""
    subprocess.run(
        [*tmux, "new-session", "-d", "-x", "100", "-y", "20", command],
        env=environment,
        check=True,
        timeout=20,
    )

    def screen() -> str:
        return subprocess.run(
            [*tmux, "capture-pane", "-p"], capture_output=True, text=True, check=False
        ).stdout

    def wait_for(text: str) -> str:
        shown = ""
        for _ in range(100):
            time.sleep(0.1)
            shown = screen()
            if text in shown:
                break
        return shown

    try:
        assert "⚑2 ◷3 " in wait_for("⚑2 ◷3 ")
        subprocess.run([*tmux, "send-keys", "true | false", "Enter"], check=True)
        shown = wait_for("[0|1]")
        lines = [line for line in shown.splitlines() if line.strip()]
        assert lines[-1].startswith("⚑2 ◷3 ") and "[0|1]" in lines[-1], shown
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True, check=False)


# -- a schedule that cannot be fooled (each a finding from testing; see issue 13) ---------------


def _keep_mtime(path: Path, change: Callable[[], None]) -> None:
    """Change the file and put its mtime back, so only its contents tell."""
    mtime = path.stat().st_mtime_ns
    change()
    os.utime(path, ns=(mtime, mtime))


def test_an_edited_digit_fails_the_rows_sum(shell: Shell, monday_db: Path) -> None:
    warm_schedule_at(MONDAY_EPOCH)
    path = Path(schedule_file.Place().schedule_file)
    lines = path.read_bytes().split(b"\n")
    assert lines[4].split(b" ")[5:14] == [str(b).encode() for b in "⚑2 ◷3".encode()]
    lines[4] = lines[4].replace(b" 50 ", b" 55 ", 1)  # the row in force would read ⚑7 ◷3
    _keep_mtime(path, lambda: path.write_bytes(b"\n".join(lines)))
    shell.forget_calls()
    assert shell.prompts_at([0, 60]) == ["⚑2 ◷3\n", "⚑2 ◷3\n"]
    assert shell.calls() == ["prompt --schedule"]  # refused once; pk wrote a sound one


EDIT = """
import os, sys
path = sys.argv[1]
mtime = os.stat(path).st_mtime_ns
lines = open(path, "rb").read().split(b"\\n")
lines[4] = lines[4].replace(b" 50 ", b" 55 ", 1)
open(path, "wb").write(b"\\n".join(lines))
os.utime(path, ns=(mtime, mtime))
"""


def test_an_edit_between_two_prompts_is_caught_too(
    shell: Shell, files: Files, monday_db: Path
) -> None:
    # A hook remembers the last row it checked; an edited row is a different row.
    warm_schedule_at(MONDAY_EPOCH)
    editor = files.root / "edit.py"
    editor.write_text(EDIT)
    path = schedule_file.Place().schedule_file
    body = script(shell.source(), "__pk_prompt", f"'{sys.executable}' '{editor}' '{path}'",
                  "__pk_prompt")
    shell.forget_calls()
    result = shell.run(body)
    assert (result.stdout, result.stderr) == ("⚑2 ◷3\n⚑2 ◷3\n", "")
    assert shell.calls() == ["prompt --schedule"]


def test_a_row_that_does_not_add_up_is_refused_by_every_hook(shell: Shell, monday_db: Path) -> None:
    # The same row with its sum off by one: only the hook's own arithmetic can tell.
    warm_schedule_at(MONDAY_EPOCH)
    path = Path(schedule_file.Place().schedule_file)
    lines = path.read_bytes().split(b"\n")
    fields = lines[4].split(b" ")
    fields[2] = str(int(fields[2]) + 1).encode()
    lines[4] = b" ".join(fields)
    _keep_mtime(path, lambda: path.write_bytes(b"\n".join(lines)))
    shell.forget_calls()
    assert shell.prompts_at([0]) == ["⚑2 ◷3\n"]
    assert shell.calls() == ["prompt --schedule"]


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "directory"])
def test_something_else_in_the_schedules_place_never_hangs_a_shell(
    shell: Shell, files: Files, monday_db: Path, kind: str
) -> None:
    path = Path(schedule_file.Place().schedule_file)
    path.parent.mkdir(mode=0o700, parents=True)
    {"fifo": lambda: os.mkfifo(path), "dev-zero": lambda: path.symlink_to("/dev/zero"),
     "directory": path.mkdir}[kind]()
    started = time.monotonic()
    assert shell.prompts_at([0, 60]) == ["⚑2 ◷3\n", "⚑2 ◷3\n"]
    assert time.monotonic() - started < 30
    # pk put a schedule in its place (a directory it cannot replace: it asks every time)
    assert shell.calls() == ["prompt --schedule"] * (2 if kind == "directory" else 1)


def test_a_restored_older_database_shows_its_own_counts(
    shell: Shell, files: Files, monday_db: Path
) -> None:
    backup = files.root / "backup.db"
    shutil.copy2(monday_db, backup)  # as `cp -p` keeps it: the older mtime
    time.sleep(0.01)
    seed(monday_db, [(MONDAY - timedelta(hours=1), "Added after the backup", "open")])
    warm_schedule_at(MONDAY_EPOCH)
    assert shell.prompts_at([0]) == ["⚑3 ◷3\n"]
    os.replace(backup, monday_db)  # restored: older than the schedule, not newer
    assert monday_db.stat().st_mtime_ns < Path(schedule_file.Place().schedule_file).stat().st_mtime_ns
    shell.forget_calls()
    assert shell.prompts_at([0, 60]) == ["⚑2 ◷3\n", "⚑2 ◷3\n"]
    assert shell.calls() == ["prompt --schedule"]


def test_a_database_of_a_newer_schema_shows_nothing(shell: Shell, monday_db: Path) -> None:
    warm_schedule_at(MONDAY_EPOCH)
    assert shell.prompts_at([0]) == ["⚑2 ◷3\n"]
    connection = sqlite3.connect(monday_db)
    with connection:
        connection.execute("PRAGMA user_version = 99")
    connection.close()
    assert shell.prompts_at([0, 60]) == ["", ""]


def test_a_config_change_in_either_direction_is_seen(
    shell: Shell, files: Files, monday_db: Path
) -> None:
    files.config.write_text("[prompt]\nascii = true\n")
    warm_schedule_at(MONDAY_EPOCH)
    assert shell.prompts_at([0]) == ["!2 ~3\n"]
    older = files.config.stat().st_mtime_ns - 10**9
    files.config.write_text("[prompt]\nascii = false\n")
    os.utime(files.config, ns=(older, older))  # an older config put back
    shell.forget_calls()
    assert shell.prompts_at([0, 60]) == ["⚑2 ◷3\n", "⚑2 ◷3\n"]
    assert shell.calls() == ["prompt --schedule"]


def test_stored_helper_matches_what_the_program_writes() -> None:
    assert stored(MONDAY) == 1795422600  # whole seconds since 1970, as the database holds them
