"""`pk export` and `pk import`: JSON (with history), CSV, iCalendar; Taskwarrior in."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

from promisekeeper.cli import context
from promisekeeper.cli.app import app
from promisekeeper.errors import BadInput, PKError
from promisekeeper.sanitize import clean

if TYPE_CHECKING:
    from promisekeeper.cli.context import Context
    from promisekeeper.db.reader import Reader
    from promisekeeper.exchange import Record
    from promisekeeper.series.carried import CarriedSeries


@app.command()
def export(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", "-f", help="json (with history), csv (promises only: no moves, attempts or notes) or ics (iCalendar to-dos).", metavar="json|csv|ics")] = "json",
    only_open: Annotated[bool, typer.Option("--open", help="Only open promises (default: all).")] = False,
    output: Annotated[str | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.", metavar="FILE")] = None,
) -> None:
    """Write your promises out as JSON, CSV or iCalendar.

    Only JSON carries the history (moves, call-back attempts, notes) that pk stats counts:
    use it to move promises to another database; CSV holds one row per promise.
    """
    from promisekeeper import exchange
    from promisekeeper.lang.i18n import _

    if fmt not in exchange.FORMATS:
        raise BadInput(_("unknown export format '{format}'; use one of {formats}").format(
            format=fmt, formats=", ".join(exchange.FORMATS)))
    rt = context.of(ctx)
    rt.now  # noqa: B018 -- the clock is read (and checked) first, as by every command that uses it
    with rt.db.reading() as reader, _destination(output) as out:
        records = _records(reader, rt, only_open=only_open, with_events=fmt == "json")
        if fmt == "json":
            exchange.write_json(records, out)
        elif fmt == "csv":
            exchange.write_csv(records, out)
        else:
            exchange.write_ics(records, out, now=rt.now)
    if output is not None:
        sys.stderr.write(_("Wrote {path}").format(path=clean(os.path.abspath(os.path.expanduser(output)))) + "\n")


def _records(reader: Reader, rt: Context, *, only_open: bool, with_events: bool) -> Iterator[Record]:
    """Each promise as `pk list --json` shows it, with its journal (as JSON text) when asked,
    one at a time."""
    from promisekeeper.db import read_journal, read_promises, read_series
    from promisekeeper.kinds import State
    from promisekeeper.views.checkins import series_json
    from promisekeeper.views.journal import event_json_text
    from promisekeeper.views.render import promise_json

    states = (State.OPEN,) if only_open else tuple(State)
    tried = read_journal.attempts(reader, None)
    joined = read_series.memberships(reader) if with_events else {}
    undone = read_journal.undone_ids(reader) if with_events else set()
    journal = read_journal.iterate_stored(reader) if with_events else iter(())
    pending = next(journal, None)
    for promise in read_promises.iterate(reader, states=states, order="p.id"):
        record = promise_json(promise, now=rt.now, zone=rt.zone, tried=tried.get(promise.id))
        if promise.id in joined:
            record["series"] = series_json(*joined[promise.id])
        if not with_events:
            yield record, None
            continue
        entries = []
        # Both run in promise order; events of promises not exported are passed over.
        while pending is not None and pending[1] <= promise.id:
            if pending[1] == promise.id:
                entries.append(event_json_text(pending, undone=pending[0] in undone))
            pending = next(journal, None)
        yield record, entries


@contextmanager
def _destination(output: str | None) -> Iterator[TextIO]:
    """Standard output, or a new private file (0600) that appears whole or not at all."""
    if output is None:
        yield _terminal_safe_stdout()
        sys.stdout.flush()
        return
    path = os.path.abspath(os.path.expanduser(output))
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        handle = open(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w",
                      encoding="utf-8", newline="")
    except OSError as error:
        raise _unwritable(path, error) from None
    try:
        with handle:
            yield handle
        os.replace(temporary, path)
    except OSError as error:
        _remove(temporary)
        raise _unwritable(path, error) from None
    except BaseException:
        _remove(temporary)
        raise


def _unwritable(path: str, error: OSError) -> PKError:
    from promisekeeper.lang.i18n import _

    return PKError(_("cannot write {path}: {reason}").format(path=clean(path), reason=error.strerror))


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _terminal_safe_stdout() -> TextIO:
    if not sys.stdout.isatty():
        return sys.stdout
    from promisekeeper.sanitize import TerminalSafe

    return TerminalSafe(sys.stdout)  # type: ignore[return-value]


@app.command("import")
def import_(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(metavar="FILE", help="A file, or - for standard input.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="What the file holds (default: auto, worked out from the file).", metavar="auto|json|csv|taskwarrior")] = "auto",
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Read and check everything; store nothing.")] = False,
) -> None:
    """Bring promises in from a pk export (JSON/CSV) or Taskwarrior's `task export`."""
    from promisekeeper import exchange, ledger
    from promisekeeper.lang.i18n import _, ngettext

    text, name = _read(source)
    reading = exchange.read(text, fmt, name=name)
    prepared = []
    series: dict[str, CarriedSeries] = {}
    for record in reading.records:
        prepared.append(ledger.prepare_import(record))
        if record.series is not None:
            series.setdefault(record.series.uuid, record.series)
    passed_over = ""
    if reading.skipped:
        passed_over = "; " + ngettext("{count} passed over ({why})", "{count} passed over ({why})", reading.skipped).format(
            count=reading.skipped, why=_(reading.skipped_why))
    rt = context.of(ctx)
    if dry_run:
        count = len(prepared)
        rt.view.confirm(ngettext(
            "{count} promise read from {file}{passed_over}; nothing stored (--dry-run)",
            "{count} promises read from {file}{passed_over}; nothing stored (--dry-run)", count,
        ).format(count=count, file=clean(name), passed_over=passed_over))
        return
    with rt.change(create=True) as tx:
        stored, present = ledger.store_imported(tx, prepared, list(series.values()))
    here = ""
    if present:
        here = " (" + ngettext("{count} already here, skipped", "{count} already here, skipped", present).format(
            count=present) + ")"
    rt.view.confirm(ngettext(
        "Imported {count} promise from {file}{already_here}{passed_over}",
        "Imported {count} promises from {file}{already_here}{passed_over}", stored,
    ).format(count=stored, file=clean(name), already_here=here, passed_over=passed_over)
        + (_("; history is not in CSV: use JSON to move it") if reading.without_history and stored else ""))


IMPORT_LIMIT = 256 * 1024 * 1024  # far beyond any export pk writes for one person or team


def _read(source: str) -> tuple[str, str]:
    from promisekeeper.lang.i18n import _

    # newline="": a CSV field may hold a line break of its own, which must come back as it was.
    if source == "-":
        raw = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
        try:
            return raw.decode("utf-8-sig"), "stdin"
        except UnicodeDecodeError as error:
            raise BadInput(_("standard input is not UTF-8 text: {problem}").format(problem=error)) from None
    from promisekeeper import paths
    from promisekeeper.db.files import unfit_file

    path = os.path.abspath(os.path.expanduser(source))
    try:
        raw = paths.read_named(path, limit=IMPORT_LIMIT)
        if raw is None:
            raise BadInput(_("no file {path}").format(path=path))
        # newline="" as open() has it: \r\n inside a CSV field comes back as it was
        return raw.decode("utf-8-sig"), os.path.basename(path)
    except paths.Unfit as unfit:
        raise BadInput(_("import file: {problem} (to import from a pipe: … | pk import -)").format(
            problem=unfit_file(path, unfit))) from None
    except (OSError, UnicodeDecodeError) as error:
        raise BadInput(_("cannot read {path}: {problem}").format(path=path, problem=error)) from None
