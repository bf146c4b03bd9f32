"""Entry point for `pk`, `promisekeeper` and `python -m promisekeeper`."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    from promisekeeper.cli import run

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
