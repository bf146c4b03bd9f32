"""Desktop notifications through `notify-send`, from a desktop session or from cron.

cron and some timers start programs without the desktop's environment, so the D-Bus
session bus address is missing; it is found at the user's runtime directory instead
(`$XDG_RUNTIME_DIR/bus`, else `/run/user/UID/bus`). Nothing here ever raises: a failed
notification is a reason to say so, never a reason to fail the run that prints the
reminders.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from promisekeeper import sanitize

APP_NAME = "promisekeeper"
BUS_VAR = "DBUS_SESSION_BUS_ADDRESS"
TIMEOUT_S = 5.0
# notify-send gives up on a missing daemon by itself only after D-Bus's own timeout
# (25 s); a reminder run every few minutes must not hang that long.


@dataclass(frozen=True)
class Notification:
    """One desktop notification: a title line and a few body lines."""

    title: str
    lines: Sequence[str]
    urgent: bool = False


def send(
    notification: Notification,
    *,
    environ: Mapping[str, str] | None = None,
    runtime_dirs: Sequence[str] | None = None,
    timeout: float = TIMEOUT_S,
) -> str | None:
    """Show the notification; returns None when it was handed over, else why it was not."""
    from promisekeeper.lang.i18n import _, any_of

    environ = os.environ if environ is None else environ
    program = shutil.which("notify-send", path=environ.get("PATH"))
    if program is None:
        return _("notify-send is not installed (on Debian/Ubuntu: apt install libnotify-bin)")
    places = list(runtime_dirs) if runtime_dirs is not None else default_runtime_dirs(environ)
    child_env = session_environment(environ, runtime_dirs=places)
    if child_env is None:
        looked = any_of([os.path.join(place, "bus") for place in places]) if places else ""
        return _("no desktop session bus: {variable} is unset and there is no {looked}").format(
            variable=BUS_VAR, looked=looked)
    return _run(_command(program, notification), child_env, timeout)


def session_environment(
    environ: Mapping[str, str], *, runtime_dirs: Sequence[str] | None = None
) -> dict[str, str] | None:
    """The environment for notify-send, with the session bus address found if missing.

    None when there is no address and no bus socket to point at.
    """
    child = dict(environ)
    if child.get(BUS_VAR, "").strip():
        return child
    for directory in runtime_dirs if runtime_dirs is not None else default_runtime_dirs(environ):
        socket_path = os.path.join(directory, "bus")
        if _is_socket(socket_path):
            child[BUS_VAR] = f"unix:path={socket_path}"
            child.setdefault("XDG_RUNTIME_DIR", directory)
            return child
    return None


def default_runtime_dirs(environ: Mapping[str, str]) -> list[str]:
    """Where a user's session bus socket lives: $XDG_RUNTIME_DIR, then /run/user/UID."""
    candidates = []
    runtime = environ.get("XDG_RUNTIME_DIR", "").strip()
    if runtime and os.path.isabs(runtime):
        candidates.append(runtime)
    candidates.append(f"/run/user/{os.getuid()}")
    return candidates


def _is_socket(path: str) -> bool:
    try:
        return stat.S_ISSOCK(os.stat(path).st_mode)
    except OSError:
        return False


def _command(program: str, notification: Notification) -> list[str]:
    body = "\n".join(escape_markup(sanitize.clean(line)) for line in notification.lines)
    return [
        program,
        f"--app-name={APP_NAME}",
        f"--urgency={'critical' if notification.urgent else 'normal'}",
        "--",  # the title and body are text, never options, whatever they start with
        sanitize.clean(notification.title),
        body,
    ]


def escape_markup(text: str) -> str:
    """Keep user text literal: most notification daemons read the body as simple HTML."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _run(command: list[str], env: dict[str, str], timeout: float) -> str | None:
    from promisekeeper.lang.i18n import _

    try:
        finished = subprocess.run(
            command, env=env, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return _("notify-send did not finish within {seconds:g} s (is a notification daemon running?)").format(
            seconds=timeout)
    except OSError as error:
        return _("notify-send could not run: {reason}").format(reason=error.strerror or error)
    if finished.returncode != 0:
        detail = sanitize.clean(finished.stderr.decode("utf-8", "replace")).strip()
        reason = _("notify-send failed (exit {code})").format(code=finished.returncode)
        return f"{reason}: {detail[:200]}" if detail else reason
    return None
