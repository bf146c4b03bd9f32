"""Time `pk add --tell` against `pk add`, with a real SMTP server on 127.0.0.1.

Usage: python benchmarks/tell.py [--runs N] [--pk PATH]

An aiosmtpd server (the test extra installs it) runs in this process on a free port and
accepts everything. Each run is a fresh `pk` process, as a technician's command is, on a
database made by the warm-up runs: first `pk add` alone (the baseline, measured in the same run), then
`pk add … --tell`, which also queues the notice in the change's transaction and sends it
after the commit (one SMTP connection, one message). The medians of the wall time and the
ratio are printed. Target: `--tell` at most 1.3× `pk add`: the notice adds no more than the
connection itself. On a loaded machine the wall times swell; compare the ratio.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TARGET = 1.3


class Accept:
    count = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        Accept.count += 1
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def find_pk(given: str | None) -> str:
    found = given or shutil.which("pk", path=str(Path(sys.executable).parent)) or shutil.which("pk")
    if not found:
        sys.exit("benchmarks/tell.py: no pk found; install promisekeeper or pass --pk PATH")
    return found


def timed(pk: str, folder: Path, run: int, *, tell: bool) -> float:
    environment = dict(os.environ, PROMISEKEEPER_DB=str(folder / f"{'tell' if tell else 'plain'}.db"),
                       PROMISEKEEPER_CONFIG=str(folder / "config.toml"), PROMISEKEEPER_STATE=str(folder / "state"),
                       PROMISEKEEPER_NOW="2026-11-23T09:30:00+01:00", LANG="C.UTF-8")
    args = [pk, "add", "Send the VPN config", "--to", "Kovács Éva", "--contact", "eva@example.com",
            "--due", "tomorrow 10am"] + (["--tell"] if tell else [])
    start = time.perf_counter()
    subprocess.run(args, env=environment, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--pk")
    options = parser.parse_args()
    pk = find_pk(options.pk)
    from aiosmtpd.controller import Controller

    port = free_port()
    controller = Controller(Accept(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch)
            (folder / "config.toml").write_text(
                f'[mail]\nfrom = "Eva Lund <eva@example.com>"\nsmtp = "smtp://127.0.0.1:{port}"\n')
            for warm in range(2):
                timed(pk, folder, 1000 + warm, tell=False)
                timed(pk, folder, 1000 + warm, tell=True)
            plain, told = [], []
            for run in range(options.runs):  # interleaved, so a busy moment costs both alike
                plain.append(timed(pk, folder, run, tell=False))
                told.append(timed(pk, folder, run, tell=True))
    finally:
        controller.stop()
    base, tell = statistics.median(plain), statistics.median(told)
    ratio = tell / base
    print(f"pk add           median {base * 1000:7.1f} ms  ({options.runs} runs)")
    print(f"pk add --tell    median {tell * 1000:7.1f} ms  ({Accept.count} notices accepted by the server)")
    print(f"ratio            {ratio:.2f}×  (target ≤ {TARGET}×: {'met' if ratio <= TARGET else 'NOT met'})")


if __name__ == "__main__":
    main()
