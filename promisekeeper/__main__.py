"""Entry point for `pk`, `promisekeeper` and `python -m promisekeeper`.

`pk prompt` runs before every shell prompt, `pk init` and `pk completion` at every shell
start, and `pk __complete` at every TAB, so they are dispatched here, before the CLI
framework (Typer, Rich, SQLModel: about 0.4 s of imports) loads. Their help pages still
come from the full CLI. A finished command flushes and exits without the interpreter's
teardown.

Every other command first sets Ctrl-C, SIGTERM and SIGHUP to unwind it (errors.Interrupted):
one line, exit 128 + the signal, nothing half-done. The fast path keeps Python's own Ctrl-C
(KeyboardInterrupt, answered the same way) and imports no more for it.
"""

from __future__ import annotations

import sys

from promisekeeper.errors import Interrupted, raise_if_stopped, stop_requests

_FAST = ("prompt", "init", "completion", "__complete")
_HELP = ("-h", "--help")
_SIGINT = 2  # the same on every platform; `signal` itself is imported only off the fast path
_finished: list[bool] = []  # set once the command has returned


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    fast = bool(args) and args[0] in _FAST and not any(arg in _HELP for arg in args[1:])
    try:
        if not fast:
            _stop_cleanly_on_signals()  # before the CLI's imports: Ctrl-C during them is handled too
        code = _run(args, fast=fast)
        _finished.append(True)  # from here on a signal changes nothing (see _stop)
        raise_if_stopped()  # one whose exception Python dropped on the way
    except Interrupted as stop:
        code = _stopped(stop.signum)
    except KeyboardInterrupt:  # Python's own Ctrl-C: the fast path keeps it, it is enough there
        code = _stopped(_SIGINT)
    except Exception:
        # An Interrupted that Python wrapped on the way (a class being built during the
        # CLI's imports wraps it in a RuntimeError) is the stop all the same.
        if not stop_requests:
            raise
        code = _stopped(stop_requests[0])
    if not fast:
        # The interpreter puts the default handlers back as it shuts down: a signal then
        # would turn a finished command into a killed one. Held back, it is dropped at exit.
        import signal

        signal.pthread_sigmask(signal.SIG_BLOCK, _stop_signals())
    return code


def _run(args: list[str], *, fast: bool) -> int:
    _never_fail_on_encoding()
    if fast:
        return _fast(args[0], args[1:])
    from promisekeeper.cli.main import run

    return run(args)


def _stop_signals() -> tuple[int, ...]:
    import signal

    return (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _stop_cleanly_on_signals() -> None:
    """Ctrl-C, SIGTERM and SIGHUP unwind pk (see errors.Interrupted) instead of killing it
    where it stands. A signal that is ignored (nohup, a background job) stays ignored."""
    import signal

    for number in _stop_signals():
        if signal.getsignal(number) is not signal.SIG_IGN:
            signal.signal(number, _stop)
    sys.unraisablehook = _unraisable


def _stop(number: int, _frame: object) -> None:
    import signal

    if _finished:
        return  # the command is done; nothing is left to stop
    if stop_requests:
        # A second signal while unwinding stops pk at once, as if no handler were installed.
        signal.signal(number, signal.SIG_DFL)
        signal.raise_signal(number)
        return
    stop_requests.append(number)
    raise Interrupted(number)


def _unraisable(unraisable: object) -> None:
    """Python drops (and prints) an exception raised inside a weakref callback or __del__:
    an Interrupted that lands there is raised again at the next check (raise_if_stopped)."""
    if not isinstance(getattr(unraisable, "exc_value", None), Interrupted):
        sys.__unraisablehook__(unraisable)  # type: ignore[arg-type]


def _stopped(number: int) -> int:
    """Say why pk stopped, in one line, and return the shell's code for it (130 for Ctrl-C)."""
    import signal

    reason = "interrupted" if number == signal.SIGINT else f"stopped by {signal.Signals(number).name}"
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        pass
    try:
        sys.stderr.write(f"pk: {reason}; nothing more was written\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass  # the terminal is gone (SIGHUP): nobody is there to read it
    return 128 + number


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
        from promisekeeper.shell import prompt

        return prompt.main(args)
    if command in ("completion", "__complete"):
        from promisekeeper.cli.completion import answer as completion

        return completion.main(args) if command == "__complete" else completion.print_script(args)
    from promisekeeper.shell import integrations

    return integrations.main(args)


if __name__ == "__main__":
    script()
