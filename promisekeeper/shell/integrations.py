"""`pk init`: the snippets that bring promisekeeper into shells, starship, tmux, cron and systemd.

Each snippet is a template in `promisekeeper/shell/snippets/` with @@NAME@@ placeholders, filled
in with absolute paths (the pk executable, the database, the config, the state files)
quoted for the language it is written in, in the manner of direnv and starship: the
snippet works the same whatever the environment it later runs in (cron's is bare).
Standard library only, and no TOML unless a config file exists: the shell snippets are
regenerated at every shell start by `eval "$(pk init bash)"`.
"""

from __future__ import annotations

import os
import sys

from promisekeeper import owner as ownership
from promisekeeper import paths

KINDS = {
    "bash": "bash.sh",
    "zsh": "zsh.zsh",
    "fish": "fish.fish",
    "starship": "starship.toml",
    "tmux": "tmux.conf",
    "cron": "cron.txt",
    "systemd": "systemd.sh",
}
SHELLS = ("bash", "zsh", "fish")
# The variables the baked paths come from: if any differs when the hook runs, the
# hook asks `pk prompt` instead of trusting the baked schedule path. So it does when the
# login name (whose promises count, unless the config names an owner) differs from the
# one baked in (LOGIN).
ENV_KEY_VARS = (
    "PROMISEKEEPER_DB",
    "PROMISEKEEPER_CONFIG",
    "PROMISEKEEPER_STATE",
    "XDG_DATA_HOME",
    "XDG_CONFIG_HOME",
    "XDG_STATE_HOME",
    "HOME",
)
USAGE = "pk init bash|zsh|fish|starship|tmux|cron|systemd [--env-only]"
_TRUE = ("true", "yes", "on", "1")  # as config.parse_bool reads a string


class UsageError(ValueError):
    """`pk init` was asked for something it cannot print."""


# -- quoting ----------------------------------------------------------------------------


def sh_quote(word: str) -> str:
    """A word for sh, bash and zsh: single-quoted, quotes inside spelled '\\''."""
    return "'" + word.replace("'", "'\\''") + "'"


def fish_quote(word: str) -> str:
    """A word for fish: in single quotes only \\\\ and \\' are escapes."""
    return "'" + word.replace("\\", "\\\\").replace("'", "\\'") + "'"


def tmux_job(command: str) -> str:
    """A tmux #(…) job as a double-quoted config string.

    tmux expands formats inside the command before running it, so its # are doubled.
    """
    job = "#(" + command.replace("#", "##") + ")"
    return '"' + job.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$") + '"'


def crontab_command(words: list[str]) -> str:
    """A crontab command: sh words, with % escaped (cron turns a bare % into a newline)."""
    return " ".join(words).replace("%", "\\%")


def systemd_quote(word: str, *, exec_line: bool = False) -> str:
    """A quoted systemd unit value: specifiers (%) doubled; in Exec lines $ doubled too."""
    escaped = word.replace("\\", "\\\\").replace('"', '\\"').replace("%", "%%")
    if exec_line:
        escaped = escaped.replace("$", "$$")
    return f'"{escaped}"'


def _one_line(word: str, what: str) -> str:
    if "\n" in word or "\r" in word:
        raise UsageError(
            f"{what} contains a line break and cannot be written into this snippet: {word!r}"
        )
    return word


# -- what gets baked in -----------------------------------------------------------------


def pk_command() -> list[str]:
    """How to run this same pk later: the console script, else this Python with -m."""
    script = sys.argv[0] if sys.argv else ""
    name = os.path.basename(script)
    if name in ("pk", "promisekeeper") and os.path.isfile(script):
        return [os.path.abspath(script)]
    return [sys.executable, "-m", "promisekeeper"]


def env_pieces() -> list[str]:
    """The environment the baked paths belong to, as the hooks join it ("|" between the
    variables), cut where a secret stands (a password in a database URL…), the secrets left
    out: the hooks match the pieces in order with anything between them, so a snippet
    written into an rc file holds no secret and still sees another host, user or database."""
    from promisekeeper.secrets import SECRET_ENVIRONMENT, secret_spans

    pieces = [""]
    for index, name in enumerate(ENV_KEY_VARS):
        value = os.environ.get(name, "")
        pieces[-1] += "|" if index else ""
        start = 0
        for begin, end in secret_spans(value) if name in SECRET_ENVIRONMENT else []:
            pieces[-1] += value[start:begin]
            pieces.append("")
            start = end
        pieces[-1] += value[start:]
    return pieces


def env_pattern(kind: str) -> str:
    """The code for the hook's environment check: for bash and zsh a [[ == ]] glob, its
    pieces quoted (so a '*' or '[' in a path stays literal) with a bare * for each secret;
    for fish a quoted regular expression for `string match -r` (whose globs cannot spell
    every literal backslash)."""
    pieces = env_pieces()
    if kind == "fish":
        import re

        return fish_quote(r"(?s)\A" + ".*".join(re.escape(piece) for piece in pieces) + r"\z")
    return "*".join(sh_quote(piece) for piece in pieces)


def brief_enabled() -> bool:
    """The config's prompt.brief (default true), read without the config module's imports."""
    config_file = paths.config_file()
    if not os.path.exists(config_file):
        return True
    import tomllib

    try:
        raw = paths.read_named(config_file)  # a FIFO or /dev/zero in its place: never waited on
        value = tomllib.loads((raw or b"").decode("utf-8-sig")).get("prompt", {}).get("brief", True)
    except (OSError, ValueError, AttributeError):
        return True  # a broken config is reported by the commands that read it
    return value if isinstance(value, bool) else str(value).strip().lower() in _TRUE


def _paths_environment() -> list[tuple[str, str]]:
    """The database, config and (when moved) state paths, for a job run elsewhere.

    A database named by a URL (it may hold a password) is left to the private environment
    file (`environment_file`), which the job reads first.
    """
    target = paths.database_target()
    pairs = [("PROMISEKEEPER_DB", target)] if paths.sqlite_file(target) is not None else []
    pairs.append(("PROMISEKEEPER_CONFIG", paths.config_file()))
    if os.environ.get(paths.STATE_VAR, "").strip() or os.environ.get("XDG_STATE_HOME", "").strip():
        pairs.append((paths.STATE_VAR, paths.state_dir()))
    return pairs


def service_environment() -> list[tuple[str, str]]:
    """The variables a reminder job needs where the login environment is absent."""
    from promisekeeper.when import clock

    pairs = _paths_environment()
    if not any(name == paths.STATE_VAR for name, _value in pairs):
        # Always: a job runs with another HOME than the shell that printed this (cron's, or
        # none under `env -i`), and must write the prompt schedule where the shell reads it.
        pairs.append((paths.STATE_VAR, paths.state_dir()))
    zone = clock.local_zone_name()
    if zone:
        pairs.append(("TZ", zone))
    return pairs  # the desktop's session bus for --notify, `pk remind` finds by itself


DISPLAY_VARS = ("DISPLAY", "WAYLAND_DISPLAY")


def notify_missing() -> list[str]:
    """Why `pk remind --notify` could not show a notification from here; empty if it could.

    Asked when `pk init cron` or `pk init systemd` prints its snippet, so a job set up on a
    machine without a desktop leaves --notify out and its mail does not also say, every
    time, that the notification was not sent. A desktop shows in DISPLAY or
    WAYLAND_DISPLAY. A session bus is not enough: pam_systemd gives every login one, an
    ssh login to a headless server included.
    """
    import shutil

    missing = []
    if not any(os.environ.get(name, "").strip() for name in DISPLAY_VARS):
        missing.append("no desktop session (neither DISPLAY nor WAYLAND_DISPLAY is set)")
    if shutil.which("notify-send") is None:
        missing.append("no notify-send (on Debian/Ubuntu: apt install libnotify-bin)")
    return missing


def notify_note(missing: list[str], *, edit: str, then: str = "") -> str:
    """Comment lines: whether the job has --notify, why, and how to change that."""
    import textwrap

    if not missing:
        text = (
            "--notify also shows the reminders as a desktop notification (a desktop session and"
            " notify-send were found when this was printed). On a machine with no desktop,"
            f" delete it from {edit}{then}: otherwise each reminder also says that the"
            " notification was not sent."
        )
    else:
        text = (
            "No --notify, so the reminders are only printed: when this was printed there was "
            + " and ".join(missing)
            + f". For desktop notifications too, add --notify at the end of {edit}{then}."
        )
    return textwrap.fill(
        text,
        width=88,
        initial_indent="# ",
        subsequent_indent="# ",
        break_long_words=False,
        break_on_hyphens=False,
    )


# -- the snippets -----------------------------------------------------------------------


def template(kind: str) -> str:
    folder = os.path.join(os.path.dirname(os.path.abspath(__file__)), "snippets")
    with open(os.path.join(folder, KINDS[kind]), encoding="utf-8") as handle:
        return handle.read()


def fill(text: str, values: dict[str, str]) -> str:
    """Put the values in for the template's @@NAME@@ placeholders, in one pass.

    One pass, so a value that itself contains "@@" (a path, say) is never taken for a
    placeholder.
    """
    pieces = text.split("@@")
    # Odd-numbered pieces sit between two markers: they are placeholder names.
    for index in range(1, len(pieces), 2):
        if pieces[index] not in values:
            raise KeyError(f"unfilled placeholder in snippet: @@{pieces[index]}@@")
        pieces[index] = values[pieces[index]]
    if len(pieces) % 2 == 0:
        raise KeyError("a stray @@ in the snippet template")
    return "".join(pieces)


def snippet(kind: str, *, env_only: bool = False) -> str:
    """The text `pk init KIND` prints."""
    if kind not in KINDS:
        raise UsageError(f"unknown integration {kind!r}; choose one of {', '.join(KINDS)}")
    if env_only and kind not in SHELLS:
        raise UsageError(f"--env-only is for bash, zsh and fish, not {kind}")
    if kind in SHELLS:
        return fill(template(kind), shell_values(kind, env_only=env_only))
    return fill(
        template(kind),
        {
            "starship": _starship_values,
            "tmux": _tmux_values,
            "cron": _cron_values,
            "systemd": _systemd_values,
        }[kind](),
    )


def shell_values(kind: str, *, env_only: bool) -> dict[str, str]:
    quote = fish_quote if kind == "fish" else sh_quote
    from promisekeeper.shell.schedule_file import Place

    place = Place()
    target = place.target
    words = {
        "SCHEDULE": place.schedule_file,
        "STAMP": place.stamp_file,
        "BRIEF_FILE": paths.state_file("brief", target),
        "DB_FILE": paths.sqlite_file(target) or "",
        "CONFIG": paths.config_file(),
        "TARGET": place.target_key,
        "LOGIN": ownership.login() or "",
    }
    values = {name: quote(value) for name, value in words.items()}
    values["ENVPATTERN"] = env_pattern(kind)
    values["CMD"] = " ".join(quote(word) for word in pk_command())
    values["IN_PROMPT"] = "0" if env_only else "1"
    values["BRIEF"] = "1" if brief_enabled() else "0"
    return values


def _starship_values() -> dict[str, str]:
    return {}


def _source_secrets() -> str:
    """sh that reads the private environment file (the secrets) when there is one."""
    from promisekeeper.shell import environment_file

    return environment_file.sh_source(sh_quote(_one_line(environment_file.location(), "the config path")))


def _job_words(args: list[str]) -> list[str]:
    """`[read the secrets] VAR=value … /path/to/pk ARGS` as sh words, for a job that starts
    with no environment."""
    assignments = [
        f"{name}={sh_quote(_one_line(value, name))}" for name, value in service_environment()
    ]
    command = [sh_quote(_one_line(word, "the pk path")) for word in pk_command()]
    return [_source_secrets(), *assignments, *command, *args]


def _tmux_values() -> dict[str, str]:
    words = [_source_secrets()]
    words += [f"{name}={sh_quote(_one_line(value, name))}" for name, value in _tmux_environment()]
    words += [sh_quote(_one_line(word, "the pk path")) for word in pk_command()]
    return {"COMMAND": tmux_job(" ".join([*words, "prompt", "--shell", "tmux"]))}


def _tmux_environment() -> list[tuple[str, str]]:
    # tmux runs #() with the server's environment, which may predate an override. TZ is
    # passed only when set: baking the system zone would make the status line's schedule
    # ("TZ set") and the shell's ("TZ unset") keep replacing each other.
    pairs = _paths_environment()
    if os.environ.get("TZ"):
        pairs.append(("TZ", os.environ["TZ"]))
    return pairs


def _remind_args(missing: list[str]) -> list[str]:
    return ["remind"] if missing else ["remind", "--notify"]


def _cron_values() -> dict[str, str]:
    missing = notify_missing()
    return {
        "NOTIFY_NOTE": notify_note(missing, edit="the line below"),
        "LINE": "*/5 * * * * " + crontab_command(_job_words(_remind_args(missing))),
        # commented out: it needs caldav.url and a password (see the manual's "On your phone")
        "SYNC_LINE": "# */5 * * * * " + crontab_command(_job_words(["sync", "caldav", "--quiet"])),
    }


def _systemd_values() -> dict[str, str]:
    from promisekeeper.shell import environment_file

    missing = notify_missing()
    # EnvironmentFile= takes a bare path (no quotes); only its specifiers (%) need doubling
    secrets_file = _one_line(environment_file.location(), "the config path").replace("%", "%%")
    environment = "\n".join(
        # "-": a missing file is no error (no secret was set when this was printed)
        [f"EnvironmentFile=-{secrets_file}"]
        + [
            f"Environment={systemd_quote(_one_line(f'{name}={value}', name))}"
            for name, value in service_environment()
        ]
    )
    command = " ".join(
        systemd_quote(_one_line(word, "the pk path"), exec_line=True) for word in pk_command()
    )
    return {
        "NOTIFY_NOTE": notify_note(
            missing, edit="ExecStart", then=" and run `systemctl --user daemon-reload`"
        ),
        "ENVIRONMENT": environment,
        "EXEC": " ".join([command, *_remind_args(missing)]),
    }


# -- the command ------------------------------------------------------------------------


JOBS = ("cron", "systemd", "tmux")  # they run pk elsewhere, reading the secrets from a file


def _write_secrets() -> None:
    """Put the secrets this environment sets into the private environment file, saying so."""
    from promisekeeper.lang.i18n import _
    from promisekeeper.shell import environment_file

    written = environment_file.write()
    if written:
        sys.stderr.write("pk: " + _(
            "{names} written to {path} (readable by you only), where the job reads them"
        ).format(names=", ".join(written), path=environment_file.location()) + "\n")


def parse_args(args: list[str]) -> tuple[str, bool]:
    kinds = [arg for arg in args if not arg.startswith("-")]
    flags = [arg for arg in args if arg.startswith("-")]
    unknown = [flag for flag in flags if flag != "--env-only"]
    if unknown:
        raise UsageError(f"no such option: {unknown[0]}")
    if len(kinds) != 1:
        raise UsageError(
            "say which integration to print" if not kinds else f"unexpected argument {kinds[1]!r}"
        )
    return kinds[0], "--env-only" in flags


def main(args: list[str]) -> int:
    """`pk init KIND`: print the snippet; exit 2 with one line on stderr for bad usage."""
    from promisekeeper.sanitize import clean
    from promisekeeper.secrets import scrub

    try:
        kind, env_only = parse_args(args)
        text = snippet(kind, env_only=env_only)
        if kind in JOBS:
            _write_secrets()
    except UsageError as error:
        sys.stderr.write(f"pk: init: {clean(scrub(str(error)))}; usage: {USAGE}\n")
        return 2
    except Exception as error:  # a snippet that cannot be made is one line, not a traceback
        if os.environ.get("PK_DEBUG"):
            raise
        sys.stderr.write(f"pk: init: cannot make the snippet: {clean(scrub(str(error)))}\n")
        return 1
    from promisekeeper.errors import write_out

    return write_out(text)
