"""The Typer application and its single exit point for errors."""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Sequence
from typing import Any, cast

import typer
from typer.core import TyperCommand, TyperGroup

from promisekeeper.errors import PKError, raise_if_stopped, silence_stdout

_OUTPUT_ERRORS = (errno.ENOSPC, errno.EIO, errno.EPIPE, errno.EDQUOT, errno.EFBIG)


# -- help that reads cleanly -----------------------------------------------------------------


def _argument_name(param: Any) -> str:
    """ "WHAT..." for an argument that takes several words, else its metavar: "ID"."""
    name = param.metavar or param.name.upper()
    return f"{name}..." if param.nargs == -1 else name


def _argument_usage(param: Any) -> str:
    """How an argument reads in a usage line: "WHAT...", "ID", or "[ID]" when optional."""
    name = _argument_name(param)
    return name if param.required else f"[{name}]"


class PKCommand(TyperCommand):
    """A command whose help shows arguments as people write them (`WHAT...`, `[ID]`),
    without Python types or braces."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        arguments = [p for p in self.get_params(ctx) if p.param_type_name == "argument"]
        return pieces + [_argument_usage(p) for p in arguments]

    def format_options(self, ctx: Any, formatter: Any) -> None:
        arguments, options = [], []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if param.param_type_name == "argument":
                arguments.append((_argument_name(param), getattr(param, "help", None) or ""))
            else:
                options.append(record)
        for title, rows in (("Arguments", arguments), ("Options", options)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


class HelpGroup(TyperGroup):
    """A group whose command list gives each command's first sentence whole, never "..."."""

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=10_000)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


class PKTyper(typer.Typer):
    """A Typer app whose commands and groups use the help above."""

    def command(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("cls", PKCommand)
        return super().command(*args, **kwargs)


# -- the error boundary ------------------------------------------------------------------------


class PKGroup(HelpGroup):
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
            from promisekeeper.lang.i18n import _

            fail(_("interrupted; nothing more was written"), 130)
        except BrokenPipeError:
            sys.exit(silence_stdout())
        except Exception as error:  # the one place errors become messages
            from promisekeeper.lang.i18n import _

            # A signal's Interrupted raised where Python wraps it (a class being built wraps
            # it in a RuntimeError): the failure is the stop, said as one.
            raise_if_stopped()
            if _is_usage_error(error):
                _speak()  # a usage error may come before the command has chosen the language
            known = _known_failure(error, self._command_named(list(args or [])))
            if known is not None:
                fail(*known)
            if os.environ.get("PK_DEBUG"):
                raise
            fail(_("internal error: {kind}: {error} (set PK_DEBUG=1 to see where)").format(
                kind=type(error).__name__, error=error), 1)
        sys.exit(result if isinstance(result, int) else 0)


    def _command_named(self, args: list[str]) -> tuple[str, Any]:
        """The command the arguments name ("pk config set") and its object, as far as they
        go: for usage errors the parser raises without saying where it was."""
        path, command = ["pk"], cast(Any, self)
        for word in args:
            found = command.get_command(None, word) if isinstance(command, TyperGroup) else None  # type: ignore[arg-type]
            if found is None:
                if word.startswith("-"):
                    continue  # a root option such as --version
                break
            path.append(word)
            command = found
        return " ".join(path), command


def _speak() -> None:
    """Speak the reader's language (the `language` setting, else the locale's) for a message
    about to be written; the setting is read leniently."""
    from promisekeeper.cli.context import Context

    Context().speak()


def _known_failure(error: Exception, named: tuple[str, Any] = ("pk", None)) -> tuple[str, int] | None:
    """The message and exit code for a failure that is the user's situation, not a bug."""
    from promisekeeper.lang.i18n import _

    if _is_usage_error(error):
        return _usage_message(error, named), getattr(error, "exit_code", 2)
    if isinstance(error, UnicodeEncodeError) and "surrogates" in str(error):
        # An argument that is not valid UTF-8 (a raw byte from a mis-set terminal).
        return _("an argument is not valid UTF-8 text; retype it in a UTF-8 terminal"), 2
    driver = getattr(error, "orig", None) or error  # SQLAlchemy wraps the driver's error
    from promisekeeper.db.reader import is_driver_error

    if is_driver_error(driver):
        # a server that died mid-command, a connection a signal broke: one line, not psycopg's pages
        from promisekeeper import paths
        from promisekeeper.db.reader import storage_error
        from promisekeeper.secrets import mask_url

        translated = storage_error(driver, mask_url(paths.database_target()))
        if translated is not None:
            return str(translated), translated.exit_code
    if isinstance(error, OSError) and error.errno in _OUTPUT_ERRORS:
        return (
            _("cannot write the output: {reason}; a change is kept only when its "
              "confirmation could be written").format(reason=error.strerror), 1,
        )
    return None


def fail(message: str, code: int) -> None:
    """Print `pk: message` on stderr and exit with the code (no secret in it: see `scrub`)."""
    from promisekeeper.sanitize import clean
    from promisekeeper.secrets import scrub

    try:
        sys.stdout.flush()
    except OSError:
        pass  # the output is what failed; the message still goes to stderr
    sys.stderr.write(f"pk: {clean(scrub(message))}\n")
    sys.exit(code)


def _is_usage_error(error: Exception) -> bool:
    # Click (vendored inside Typer) signals usage errors with exceptions that carry
    # an exit code and a message; duck-typed so no private module is imported.
    return hasattr(error, "exit_code") and hasattr(error, "format_message")


def _usage_message(error: Exception, named: tuple[str, Any] = ("pk", None)) -> str:
    context = getattr(error, "ctx", None)
    path = getattr(context, "command_path", None)
    command = getattr(context, "command", None)
    if not path:
        path, command = named
    from promisekeeper.cli.usage import translated
    from promisekeeper.lang.i18n import _

    message = _missing_value(error, command) or translated(error.format_message().strip())  # type: ignore[attr-defined]
    if not message.endswith((".", "?", "!")):
        message += "."
    where = path.partition(" ")[2]
    see = _("See `{command} --help`.").format(command=path)
    return f"{where + ': ' if where else ''}{message} {see}"


def _missing_value(error: Exception, command: Any) -> str | None:
    """ "--due needs a value (WHEN)", with where WHEN is described, for an option given
    without its value."""
    option = getattr(error, "option_name", None)
    if not option or "requires" not in str(getattr(error, "message", "")):
        return None
    from promisekeeper.lang.i18n import _

    metavar = next(
        (p.metavar for p in getattr(command, "params", []) if option in getattr(p, "opts", ())), None
    )
    if not metavar:
        return _("{option} needs a value").format(option=option)
    from promisekeeper.cli.usage import metavar as translated_metavar

    if metavar == "WHEN":
        return _("{option} needs a value ({metavar}); the time language is described by `pk help when`").format(
            option=option, metavar=translated_metavar(metavar))
    return _("{option} needs a value ({metavar})").format(option=option, metavar=translated_metavar(metavar))


app = PKTyper(
    cls=PKGroup,
    name="pk",
    help="Keep the promises you make to customers: log them, see them, keep them.",
    invoke_without_command=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
