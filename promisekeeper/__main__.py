"""Entry point for `pk`, `promisekeeper` and `python -m promisekeeper`.

`pk prompt` runs before every shell prompt, `pk init` and `pk completion` at every shell
start, and `pk __complete` at every TAB, so they are dispatched here, before the CLI
framework (Typer, Rich, SQLModel: about 0.4 s of imports) loads. Their help pages still
come from the full CLI.
"""

from __future__ import annotations

import sys

_FAST = ("prompt", "init", "completion", "__complete")
_HELP = ("-h", "--help")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    _never_fail_on_encoding()
    if args and args[0] in _FAST and not any(arg in _HELP for arg in args[1:]):
        return _fast(args[0], args[1:])
    from promisekeeper.cli import run

    return run(args)


def exit_now(code: int) -> None:
    """Flush and leave without waiting for the interpreter's teardown (a tenth of a second
    with SQLAlchemy and Rich loaded): everything was committed and closed already."""
    import os

    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:
            pass  # the reader left: the end of the output does not matter
        except OSError as error:
            if stream is sys.stdout:
                os.write(2, f"pk: cannot write the output: {error.strerror}\n".encode())
                code = code or 1
    os._exit(code)


def script() -> None:
    """The console scripts' entry point."""
    exit_now(main())


def _never_fail_on_encoding() -> None:
    # A terminal or cron mail in a non-UTF-8 locale cannot show every customer's name;
    # a "?" in its place beats losing the whole output to an encoding error.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")  # type: ignore[union-attr]
        except (AttributeError, ValueError):
            pass


def _fast(command: str, args: list[str]) -> int:
    if command == "prompt":
        from promisekeeper import prompt

        return prompt.main(args)
    if command in ("completion", "__complete"):
        from promisekeeper import completion

        return completion.main(args) if command == "__complete" else completion.print_script(args)
    from promisekeeper import integrations

    return integrations.main(args)


if __name__ == "__main__":
    script()
