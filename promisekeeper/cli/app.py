"""The Typer application and its single exit point for errors."""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Sequence
from typing import Any

import typer
from typer.core import TyperGroup

from promisekeeper.errors import PKError, silence_stdout


_OUTPUT_ERRORS = (errno.ENOSPC, errno.EIO, errno.EPIPE, errno.EDQUOT, errno.EFBIG)


class PKGroup(TyperGroup):
    """Runs a command and turns every expected failure into one line on stderr.

    Usage mistakes exit 2, runtime failures 1; no traceback reaches the user unless
    PK_DEBUG is set.
    """

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        try:
            result = super().main(
                args=args, prog_name=prog_name or "pk", complete_var=complete_var,
                standalone_mode=False, **extra,
            )
        except PKError as error:
            fail(str(error), error.exit_code)
        except (KeyboardInterrupt, typer.Abort):
            fail("interrupted; nothing more was written", 130)
        except BrokenPipeError:
            sys.exit(silence_stdout())
        except Exception as error:  # noqa: BLE001 - the one place errors become messages
            known = _known_failure(error)
            if known is not None:
                fail(*known)
            if os.environ.get("PK_DEBUG"):
                raise
            fail(f"internal error: {type(error).__name__}: {error} (set PK_DEBUG=1 to see where)", 1)
        sys.exit(result if isinstance(result, int) else 0)


def _known_failure(error: Exception) -> tuple[str, int] | None:
    """The message and exit code for a failure that is the user's situation, not a bug."""
    if _is_usage_error(error):
        return _usage_message(error), getattr(error, "exit_code", 2)
    if isinstance(error, UnicodeEncodeError) and "surrogates" in str(error):
        # An argument that is not valid UTF-8 (a raw byte from a mis-set terminal).
        return "an argument is not valid UTF-8 text; retype it in a UTF-8 terminal", 2
    if isinstance(error, OSError) and error.errno in _OUTPUT_ERRORS:
        return (
            f"cannot write the output: {error.strerror}; a change is kept only when its "
            "confirmation could be written", 1,
        )
    return None


def fail(message: str, code: int) -> None:
    """Print `pk: message` on stderr and exit with the code."""
    from promisekeeper.sanitize import clean

    try:
        sys.stdout.flush()
    except OSError:
        pass  # the output is what failed; the message still goes to stderr
    sys.stderr.write(f"pk: {clean(message)}\n")
    sys.exit(code)


def _is_usage_error(error: Exception) -> bool:
    # Click (vendored inside Typer) signals usage errors with exceptions that carry
    # an exit code and a message; duck-typed so no private module is imported.
    return hasattr(error, "exit_code") and hasattr(error, "format_message")


def _usage_message(error: Exception) -> str:
    message = error.format_message().strip()  # type: ignore[attr-defined]
    if not message.endswith((".", "?", "!")):
        message += "."
    context = getattr(error, "ctx", None)
    command = getattr(context, "command_path", None) or "pk"
    where = command.partition(" ")[2]
    return f"{where + ': ' if where else ''}{message} See `{command} --help`."


app = typer.Typer(
    cls=PKGroup,
    name="pk",
    help="Keep the promises you make to customers: log them, see them, keep them.",
    invoke_without_command=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
