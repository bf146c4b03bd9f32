"""Shell completion: the scripts `pk completion SHELL` prints, run in real bash, zsh and fish
against the installed pk, offer the commands, options, values, promises, names, tags and
tickets they should; the answering path loads no heavy package; the table it reads is the
CLI's own.

bash and zsh run the completion function as the shell would call it on a TAB (bash with
COMP_WORDS/COMP_CWORD; zsh with words/CURRENT and `compadd` recording what it is given);
fish answers `complete -C "COMMAND LINE"` itself, as on a TAB.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from test_prompt_helpers import pk_path
from test_prompt_imports import HEAVY, imported

from promisekeeper.cli.completion import answer as completion
from promisekeeper.cli.reference import completion_spec_source


def require(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed here (CI installs it with apt-get)")
    return found


def run(*command: str) -> str:
    """Run a command with this test's environment, the installed pk first on PATH; its output."""
    environment = dict(os.environ, PATH=f"{os.path.dirname(pk_path())}{os.pathsep}{os.environ.get('PATH', '')}")
    environment.pop("PK_DEBUG", None)
    result = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


BASH = r"""
eval "$(pk completion bash)"
COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMPREPLY=()
_pk_complete
printf '%s\n' "${COMPREPLY[@]}"
"""

ZSH = r"""
compdef() { :; }
eval "$(pk completion zsh)"
compadd() { while [[ $1 == -* && $1 != -a ]]; do [[ $1 == -[dV] ]] && shift; shift; done; shift; print -rl -- "${(@P)1}"; }
_files() { print -- '(files)'; }
words=("$@"); CURRENT=$#
_pk
"""


def bash(*words: str) -> list[str]:
    """What bash's COMPREPLY holds after a TAB on these words (the first is pk)."""
    require("bash")
    script = BASH.replace("pk completion", f"{pk_path()} completion")
    out = run("bash", "--norc", "--noprofile", "-c", script, "bash", pk_path(), *words[1:])
    return [line for line in out.splitlines() if line]


def zsh(*words: str) -> list[str]:
    """What zsh's completion function hands `compadd` after a TAB on these words."""
    require("zsh")
    script = ZSH.replace("pk completion", f"{pk_path()} completion")
    out = run("zsh", "-f", "-c", script, "zsh", pk_path(), *words[1:])
    return [line for line in out.splitlines() if line]


def fish(line: str) -> list[str]:
    """What fish offers for a command line ending where the TAB is (pk is the installed one)."""
    require("fish")
    script = f"pk completion fish | source\ncomplete -C {fish_quote(line)}\n"
    return [row for row in run("fish", "--no-config", "-c", script).splitlines() if row]


def fish_quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


@pytest.fixture
def promises(pk) -> None:
    for args in (
        ("Send VPN config", "--to", "Éva Spacek", "--tag", "vpn", "--ref", "INC-4821", "--via", "email", "--due", "in 2h"),
        ("Call back", "--to", "Eva Berg", "--tag", "billing", "--via", "fax", "--due", "in 3h"),
        ("Quote", "--to", "Zoë", "--owner", "maja", "--due", "in 4h"),
        ("Old one", "--to", "Åsa", "--due", "in 1h"),
    ):
        assert pk("add", *args).exit_code == 0
    assert pk("done", "4").exit_code == 0


# -- bash ---------------------------------------------------------------------------------


def test_bash_offers_commands_with_their_summary(promises) -> None:
    offered = bash("pk", "re")

    assert offered == [
        "reschedule  (Renegotiate a deadline, with a reason.)",
        "reopen  (Bring a kept or released promise back, with its deadline as it was.)",
        "remind  (What needs action now, each reminded once per stage; prints nothing …",  # 78 columns
    ]
    assert bash("pk", "resc") == ["reschedule"]


def test_bash_offers_open_promises_with_their_text(promises) -> None:
    assert bash("pk", "done", "") == ["1  (Send VPN config → Éva Spacek)", "2  (Call back → Eva Berg)",
                                      "3  (Quote → Zoë)"]
    assert bash("pk", "reopen", "") == ["4"]
    assert bash("pk", "show", "") == ["4  (Old one → Åsa)", "3  (Quote → Zoë)", "2  (Call back → Eva Berg)",
                                      "1  (Send VPN config → Éva Spacek)"]


def test_bash_offers_names_ignoring_case_and_accents_escaped(promises) -> None:
    assert bash("pk", "add", "x", "--to", "ev") == [r"Eva\ Berg", r"Éva\ Spacek"]
    assert bash("pk", "list", "--to", '"ev') == ["Eva Berg", "Éva Spacek"]
    assert bash("pk", "add", "x", "--to", "zo") == ["Zoë"]


def test_bash_offers_tags_tickets_channels_owners_and_option_values(promises) -> None:
    assert bash("pk", "list", "--tag", "") == ["billing", "vpn"]
    assert bash("pk", "list", "--ref", "inc") == ["INC-4821"]
    assert bash("pk", "add", "x", "--via", "") == ["chat", "desk", "email", "fax", "phone"]
    assert bash("pk", "handoff", "1", "--to-owner", "m") == ["maja"]
    assert bash("pk", "list", "--owner", "m") == ["maja"]
    assert bash("pk", "stats", "--by", "") == ["week", "who", "via", "tag", "owner"]
    assert bash("pk", "export", "--format", "") == ["json", "csv", "ics"]
    assert bash("pk", "init", "") == ["bash", "zsh", "fish", "starship", "tmux", "cron", "systemd"]
    assert bash("pk", "config", "get", "remind") == [r"remind.lead"]


def test_bash_offers_options_of_the_command(promises) -> None:
    offered = bash("pk", "list", "--t")

    assert offered == ["--today  (Due by midnight (overdue included).)", "--to  (Whose name contains this.)",
                       "--tag  (Carrying this tag.)", "--team  (Everyone's promises, each naming its owner.)"]


def test_bash_leaves_a_file_name_to_bash(promises) -> None:
    assert bash("pk", "import", "") == []


def test_names_are_in_the_languages_order(pk) -> None:
    for name in ("Zoë", "Åsa", "Bo"):
        assert pk("add", "x", "--to", name).exit_code == 0

    swedish = run("env", "LC_ALL=sv_SE.UTF-8", pk_path(), "__complete", "4", "pk", "add", "x", "--to", "")
    english = run("env", "LC_ALL=en_GB.UTF-8", pk_path(), "__complete", "4", "pk", "add", "x", "--to", "")

    assert swedish.split() == [":words", "Bo", "Zoë", "Åsa"]
    assert english.split() == [":words", "Åsa", "Bo", "Zoë"]


# -- zsh ----------------------------------------------------------------------------------


def test_zsh_offers_promises_names_and_values(promises) -> None:
    assert zsh("pk", "done", "") == ["1", "2", "3"]
    assert zsh("pk", "add", "x", "--to", "ev") == ["Eva Berg", "Éva Spacek"]
    assert zsh("pk", "list", "--tag", "") == ["billing", "vpn"]
    assert zsh("pk", "stats", "--by", "w") == ["week", "who"]
    assert zsh("pk", "import", "") == ["(files)"]
    assert "reschedule" in zsh("pk", "")


# -- fish ---------------------------------------------------------------------------------


def test_fish_offers_promises_with_their_text(promises) -> None:
    assert fish("pk done ") == ["1\tSend VPN config → Éva Spacek", "2\tCall back → Eva Berg",
                                          "3\tQuote → Zoë"]


def test_fish_offers_names_tags_and_values(promises) -> None:
    assert fish("pk add x --to Ev") == ["Eva Berg"]
    assert fish("pk list --tag v") == ["vpn"]
    assert fish("pk stats --by ") == ["week", "who", "via", "tag", "owner"]
    assert fish("pk rem")[0] == (
        "remind\tWhat needs action now, each reminded once per stage; prints nothing when nothing does."
    )


# -- the answering path ----------------------------------------------------------------------


def test_no_database_offers_what_needs_none_and_creates_none(files) -> None:
    out = run(pk_path(), "__complete", "4", "pk", "add", "x", "--via", "")

    assert out.split() == [":words", "chat", "desk", "email", "phone"]
    assert run(pk_path(), "__complete", "2", "pk", "done", "") == ":words\n"
    assert not files.db.exists()


def test_a_database_path_with_uri_characters_is_read(pk, files, monkeypatch) -> None:
    odd = files.root / "100% sure?#" / "promises.db"
    monkeypatch.setenv("PROMISEKEEPER_DB", str(odd))
    odd.parent.mkdir()  # pk makes a database only in a folder that exists
    assert pk("add", "x", "--to", "Eva").exit_code == 0

    assert run(pk_path(), "__complete", "4", "pk", "add", "x", "--to", "") == ":words\nEva\t\n"


def test_a_tab_never_fails(files) -> None:
    files.db.parent.mkdir(parents=True, exist_ok=True)
    files.db.write_text("not a database")

    result = subprocess.run([pk_path(), "__complete", "2", "pk", "done", ""], capture_output=True, text=True,
                            env={k: v for k, v in os.environ.items() if k != "PK_DEBUG"}, check=False)

    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


@pytest.mark.parametrize("args", [("__complete", "2", "pk", "done", ""), ("__complete", "4", "pk", "add", "x", "--to", ""),
                                  ("completion", "bash")])
def test_the_completion_path_imports_nothing_heavy(promises, args) -> None:
    loaded = imported(*args)

    assert not loaded & HEAVY
    # (re is the console script's own: pip's wrapper imports it; datetime is sqlite3's)
    assert not loaded & {"typing", "dataclasses", "json", "inspect", "tomllib", "urllib"}


def test_the_spec_is_the_clis_own() -> None:
    with open(os.path.join(os.path.dirname(completion.__file__), "spec.py"), encoding="utf-8") as handle:
        assert handle.read() == completion_spec_source(), "run scripts/completion-spec"


def test_completion_prints_each_script_and_refuses_another_shell(pk, pk_process) -> None:
    for shell in ("bash", "zsh", "fish"):
        assert pk_process("completion", shell).stdout == completion.script(shell)
        assert pk("completion", shell).stdout == completion.script(shell)

    refused = pk_process("completion", "tcsh")
    assert refused.returncode == 2
    assert refused.stderr == (
        "pk: completion: no completion for 'tcsh'; choose one of bash, zsh, fish; usage: pk completion bash|zsh|fish\n"
    )


# -- a real TAB in a terminal -------------------------------------------------------------------
# tmux runs each shell interactively; keys are typed into it and the screen is read back.

SHELL_SETUP = {
    "bash": (["bash", "--norc", "--noprofile", "-i"], 'PS1="$ "; eval "$(pk completion bash)"'),
    "zsh": (["zsh", "-f", "-i"], 'PS1="$ "; autoload -Uz compinit && compinit -u; eval "$(pk completion zsh)"'),
    "fish": (["fish", "--no-config", "-i"], "function fish_prompt; echo -n '$ '; end; pk completion fish | source"),
}


class Terminal:
    """An interactive shell in a detached tmux session of its own."""

    def __init__(self, shell: str, root) -> None:
        require("tmux")
        require(shell)
        self.socket = str(root / "tmux.sock")
        command, setup = SHELL_SETUP[shell]
        environment = dict(os.environ, PATH=f"{os.path.dirname(pk_path())}{os.pathsep}{os.environ['PATH']}")
        environment.pop("PK_DEBUG", None)
        environment.pop("TMUX", None)
        self.tmux("new-session", "-d", "-x", "150", "-y", "30", " ".join(command), env=environment)
        self.type(setup, "Enter")
        self.type("clear", "Enter")
        self.wait_for(lambda screen: screen.strip() == "$")

    def tmux(self, *args: str, env: dict[str, str] | None = None) -> str:
        result = subprocess.run(["tmux", "-S", self.socket, "-f", "/dev/null", *args], env=env,
                                capture_output=True, text=True, timeout=30, check=True)
        return result.stdout

    def type(self, *keys: str) -> None:
        self.tmux("send-keys", *keys)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p")

    def wait_for(self, ready, seconds: float = 20) -> str:
        """The screen once `ready(screen)` holds (polled; the shells answer in their time)."""
        import time

        deadline = time.monotonic() + seconds
        while True:
            screen = self.screen()
            if ready(screen) or time.monotonic() > deadline:
                return screen
            time.sleep(0.1)

    def close(self) -> None:
        subprocess.run(["tmux", "-S", self.socket, "kill-server"], capture_output=True, check=False)


@pytest.fixture(params=["bash", "zsh", "fish"])
def terminal(request, tmp_path, promises):
    opened = Terminal(request.param, tmp_path)
    yield opened
    opened.close()


def test_a_tab_completes_a_unique_name_in_place(terminal) -> None:
    terminal.type("pk add x --to zo", "Tab")

    screen = terminal.wait_for(lambda s: "Zoë" in s)

    assert "$ pk add x --to Zoë" in screen


def test_a_tab_lists_open_promises_with_their_text(terminal) -> None:
    terminal.type("pk done ", "Tab", "Tab")

    screen = terminal.wait_for(lambda s: "Quote" in s)

    for number, text in (("1", "Send VPN config → Éva Spacek"), ("2", "Call back → Eva Berg"), ("3", "Quote → Zoë")):
        assert number in screen and text in screen, screen
    assert "Old one" not in screen  # #4 is kept
