"""A push receiver on the loopback address: a stdlib HTTP server in a thread that records
every POST (json:// and ntfy:// posts) and answers as each path says: /ok 200, /fail 500,
/hang never (until the test ends)."""

from __future__ import annotations

import http.server
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest


@dataclass
class Receiver:
    port: int
    posts: list[dict[str, Any]] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    flaky_fails: bool = True  # /flaky answers 500 while this holds

    def url(self, scheme: str, path: str, user: str = "") -> str:
        # short timeouts: a hanging server costs the test a second, not Apprise's default 4 s
        return f"{scheme}://{user}127.0.0.1:{self.port}/{path}?cto=1&rto=1"

    def bodies(self, path: str | None = None) -> list[dict[str, Any]]:
        return [post["body"] for post in self.posts if path is None or post["path"].startswith("/" + path)]


def refused_port() -> int:
    """A loopback port nothing listens on (bound and closed again)."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver(0)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            raw = self.rfile.read(length)
            try:
                body = json.loads(raw)
            except ValueError:
                body = {"raw": raw.decode("utf-8", "replace")}
            topic = body.get("topic") if isinstance(body, dict) else None
            path = self.path if topic is None else f"/{topic}"
            if path.startswith("/hang"):
                found.release.wait(10)
                return
            found.posts.append({"path": path, "body": body, "authorization": self.headers.get("Authorization")})
            failing = path.startswith("/fail") or (path.startswith("/flaky") and found.flaky_fails)
            self.send_response(500 if failing else 200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    found.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield found
    found.release.set()
    server.shutdown()
    server.server_close()
