"""What pushes and calendar sync cost: `pk remind` with two push URLs against none, and
`pk sync caldav` of N promises (default 1,000) to a real Radicale, first and second run.

Usage: python benchmarks/push_and_sync.py [--runs 5] [--promises 1000]

Everything runs on the loopback address: a stdlib HTTP server takes the pushes (json://),
and Radicale (installed with the test extra) holds the task list, so the figures are pk's
and the libraries', not the internet's. Each `pk remind` run starts from a copy of the same
database with one promise due now, so every run has one reminder to print (and push).
Figures are medians of wall-clock seconds of the installed `pk`; the machine's load average
is printed beside them, and the ratios are what to compare.
"""

from __future__ import annotations

import argparse
import http.server
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid

NOW = "2026-11-23T10:00:00+01:00"
PASSWORD = "bench-password"


def pk_path() -> str:
    found = shutil.which("pk", path=os.path.dirname(sys.executable))
    if not found:
        sys.exit("install promisekeeper in this interpreter's environment first (pip install '.[test]')")
    return found


def environment(home: str, **extra: str) -> dict[str, str]:
    env = dict(os.environ, HOME=home, PROMISEKEEPER_DB=os.path.join(home, "p.db"),
               PROMISEKEEPER_CONFIG=os.path.join(home, "config.toml"), PROMISEKEEPER_STATE=os.path.join(home, "state"),
               PROMISEKEEPER_NOW=NOW, TZ="Europe/Stockholm", LANG="C.UTF-8")
    env.pop("PROMISEKEEPER_NOTIFY_URLS", None)
    return env | extra


def pk(env: dict[str, str], *args: str) -> float:
    started = time.perf_counter()
    subprocess.run([pk_path(), *args], env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def receiver() -> int:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_address[1]


def remind_figures(runs: int) -> None:
    port = receiver()
    with tempfile.TemporaryDirectory() as root:
        template = os.path.join(root, "template")
        os.mkdir(template)
        base = environment(template, PROMISEKEEPER_NOW="2026-11-23T09:00:00+01:00")
        pk(base, "add", "Send VPN config", "--to", "Eva", "--due", "10:00")
        urls = f"json://127.0.0.1:{port}/a json://127.0.0.1:{port}/b"
        times: dict[str, list[float]] = {"without": [], "two URLs": []}
        for run in range(runs):
            for name in times:  # in turns, so a change of load hits both
                home = os.path.join(root, f"{name}-{run}".replace(" ", "-"))
                shutil.copytree(template, home)
                extra = {"PROMISEKEEPER_NOTIFY_URLS": urls} if name == "two URLs" else {}
                times[name].append(pk(environment(home, **extra), "remind"))
        import_s = _import_seconds("apprise")
    without, with_urls = (statistics.median(times[name]) for name in ("without", "two URLs"))
    print(f"pk remind, one reminder, median of {runs}:")
    print(f"  without push URLs   {without:6.3f} s")
    print(f"  with two json://    {with_urls:6.3f} s   ({with_urls / without:.2f}x; +{with_urls - without:.3f} s)")
    print(f"  of which importing Apprise alone: {import_s:.3f} s (paid only when there is something to push)")


def _import_seconds(module: str) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    return float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)


def radicale(folder: str) -> tuple[subprocess.Popen[bytes], int]:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    users = os.path.join(folder, "users")
    with open(users, "w", encoding="utf-8") as handle:
        handle.write(f"eva:{PASSWORD}\n")
    server = subprocess.Popen(
        [sys.executable, "-m", "radicale", f"--storage-filesystem-folder={folder}/collections",
         f"--server-hosts=127.0.0.1:{port}", "--auth-type=htpasswd", f"--auth-htpasswd-filename={users}",
         "--auth-htpasswd-encryption=plain", "--logging-level=error"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server, port
        except OSError:
            time.sleep(0.05)
    server.terminate()
    sys.exit("Radicale did not start")


def sync_figures(count: int) -> None:
    import caldav

    with tempfile.TemporaryDirectory() as root:
        server, port = radicale(root)
        try:
            url = f"http://127.0.0.1:{port}/eva/"
            client = caldav.DAVClient(url=url, username="eva", password=PASSWORD)
            tasks = client.principal().make_calendar(name="tasks", cal_id="tasks",
                                                     supported_calendar_component_set=["VTODO"])
            home = os.path.join(root, "home")
            os.mkdir(home)
            env = environment(home, PROMISEKEEPER_CALDAV_PASSWORD=PASSWORD)
            _import(env, home, count)
            pk(env, "config", "set", "caldav.url", str(tasks.url))
            pk(env, "config", "set", "caldav.user", "eva")
            listing = pk(env, "list", "--all")
            first = pk(env, "sync", "caldav", "--quiet")
            second = pk(env, "sync", "caldav", "--quiet")
        finally:
            server.terminate()
            server.wait()
    print(f"pk sync caldav, {count} open promises, to Radicale on the loopback address:")
    print(f"  baseline: pk list --all   {listing:6.2f} s")
    print(f"  first run (all sent)      {first:6.2f} s   ({first / count * 1000:.1f} ms a task)")
    print(f"  second run (none sent)    {second:6.2f} s   ({second / first:.1%} of the first; {second / listing:.1f}x pk list)")


def _import(env: dict[str, str], home: str, count: int) -> None:
    promises = [{
        "uuid": str(uuid.uuid4()), "what": f"Send the VPN config, case {n}", "who": f"Customer {n % 97}",
        "contact": f"+46 70 {n:07d}", "via": "phone", "ref": f"INC-{n}", "tags": ["vpn"], "state": "open",
        "due_at": f"2026-12-{1 + n % 28:02d}T10:00:00+00:00", "created_at": "2026-11-01T09:00:00+00:00",
    } for n in range(count)]
    path = os.path.join(home, "promises.json")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump({"format": "promisekeeper", "version": 1, "promises": promises}, handle)
    pk(env, "import", path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--promises", type=int, default=1000)
    options = parser.parse_args()
    print(f"load average: {' '.join(f'{load:.2f}' for load in os.getloadavg())}, {os.cpu_count()} CPUs")
    remind_figures(options.runs)
    sync_figures(options.promises)


if __name__ == "__main__":
    main()
