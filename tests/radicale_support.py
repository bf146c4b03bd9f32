"""A real Radicale CalDAV server on the loopback address, started by the tests in a
throw-away folder (as python-caldav's own tests do), with one plain-text user."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

USER, PASSWORD = "eva", "s3cret-Calendar-pw"


@dataclass
class Radicale:
    port: int

    def base(self, user: str = USER) -> str:
        return f"http://127.0.0.1:{self.port}/{user}/"

    def client(self, user: str = USER) -> Any:
        import caldav

        return caldav.DAVClient(url=self.base(user), username=user, password=PASSWORD)

    def task_list(self, name: str, user: str = USER) -> str:
        """A new, empty task list; its URL."""
        calendar = self.client(user).principal().make_calendar(
            name=name, cal_id=name, supported_calendar_component_set=["VTODO"])
        return str(calendar.url)

    def todos(self, url: str, user: str = USER) -> dict[str, Any]:
        """The tasks in a list by UID, read back over CalDAV: (component, etag)."""
        calendar = self.client(user).calendar(url=url)
        found = {}
        for item in calendar.todos(include_completed=True):
            component = item.icalendar_component
            found[str(component["uid"])] = component
        return found

    def etags(self, url: str, user: str = USER) -> dict[str, str]:
        calendar = self.client(user).calendar(url=url)
        return {str(item.url): str(item.get_property(_etag())) for item in calendar.todos(include_completed=True)}


def _etag() -> Any:
    from caldav.elements import dav

    return dav.GetEtag()


def _free_port() -> int:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


@pytest.fixture(scope="session")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Radicale]:
    folder: Path = tmp_path_factory.mktemp("radicale")
    users = folder / "users"
    users.write_text(f"{USER}:{PASSWORD}\nbo:{PASSWORD}\n")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "radicale", f"--storage-filesystem-folder={folder / 'collections'}",
         f"--server-hosts=127.0.0.1:{port}", "--auth-type=htpasswd", f"--auth-htpasswd-filename={users}",
         "--auth-htpasswd-encryption=plain", "--logging-level=error"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("Radicale did not start") from None
                time.sleep(0.05)
        yield Radicale(port)
    finally:
        server.terminate()
        server.wait(timeout=10)
