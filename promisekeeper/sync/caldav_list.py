"""A CalDAV task list (`caldav.url`, `caldav.user`; the password from the environment or
`caldav.password_command`, never from the file): each task PUT at `<uuid>.ics` in the list,
so two runs at once write the same resource and never a second task.

The `caldav` library (the `[caldav]` extra) is imported here only, by `pk sync caldav`.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from typing import Any

from promisekeeper.errors import BadInput, PKError
from promisekeeper.lang.i18n import _
from promisekeeper.secrets import mask_url, url_key
from promisekeeper.sync.tasks import Task

PASSWORD_VARIABLE = "PROMISEKEEPER_CALDAV_PASSWORD"
INSTALL = "pip install 'promisekeeper[caldav]'"
COMMAND_TIMEOUT_S = 30


def target_key(url: str, user: str) -> str:
    """The key a list's sync marks are kept under (reveals neither URL nor user)."""
    return url_key(f"caldav\n{url}\n{user}")


def password(command: str) -> str | None:
    """The password: PROMISEKEEPER_CALDAV_PASSWORD, else the first line `command` prints
    (run without a shell), else None."""
    found = os.environ.get(PASSWORD_VARIABLE)
    if found:
        return found
    if not command:
        return None
    try:
        args = shlex.split(command)
        done = subprocess.run(args, capture_output=True, text=True, timeout=COMMAND_TIMEOUT_S, check=False)
    except (ValueError, OSError, subprocess.TimeoutExpired) as error:
        raise PKError(_("caldav.password_command could not be run ({reason})").format(
            reason=type(error).__name__)) from None
    if done.returncode != 0 or not done.stdout.strip():
        raise PKError(_("caldav.password_command printed no password (exit {code})").format(code=done.returncode))
    return done.stdout.splitlines()[0].strip()


class TaskList:
    """One CalDAV collection of to-dos, reached with the caller's credentials."""

    def __init__(self, url: str, user: str, secret: str | None) -> None:
        if not url:
            raise BadInput(_("caldav.url is not set; e.g. `pk config set caldav.url "
                             "https://cloud.example.com/remote.php/dav/calendars/eva/tasks/`"))
        try:
            import caldav
        except ImportError:
            raise PKError(_("pk sync caldav needs the caldav library: {install}").format(install=INSTALL)) from None
        self.url = url if url.endswith("/") else url + "/"
        self.shown = mask_url(self.url)
        self._client: Any = caldav.DAVClient(url=self.url, username=user or None, password=secret, timeout=30)

    def put(self, task: Task) -> None:
        """Create or replace the task's resource; a refusal becomes one line."""
        try:
            answer = self._client.put(f"{self.url}{task.uuid}.ics", task.text,
                                      {"Content-Type": "text/calendar; charset=utf-8"})
        except Exception as error:  # caldav's, requests' and the socket's errors alike
            raise PKError(self._failure(error)) from None
        if not 200 <= int(getattr(answer, "status", 0) or 0) < 300:
            raise PKError(_("{url}: the server answered {status}").format(url=self.shown, status=answer.status))

    def _failure(self, error: Exception) -> str:
        name = type(error).__name__
        if name == "AuthorizationError":  # caldav 2.0 raises it for 401 and 403 alike
            return _("{url}: the server refused the user or password, or access to the list").format(url=self.shown)
        if name == "NotFoundError":
            return _("{url}: no such task list on the server").format(url=self.shown)
        if isinstance(error, OSError) or "Connection" in name or "Timeout" in name:
            return _("{url}: could not connect").format(url=self.shown)
        return _("{url}: the server did not take the task ({reason})").format(url=self.shown, reason=name)
