"""`pk export` and `pk import`: JSON (with history), CSV, iCalendar; Taskwarrior in."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer

from promisekeeper.cli import context
from promisekeeper.cli.app import app
from promisekeeper.errors import BadInput, PKError
from promisekeeper.sanitize import clean

if TYPE_CHECKING:
    from promisekeeper.cli.context import Context
    from promisekeeper.db.bulk import Prepared
    from promisekeeper.db.reader import Reader
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
        if fmt == "json":
            exchange.write_json(_json_objects(reader, rt, only_open=only_open), out)
        elif fmt == "csv":
            from promisekeeper.db import read_export

            exchange.write_csv(read_export.columns(reader, exchange.CSV_COLUMNS, states=_states(only_open)), out)
        else:
            exchange.write_ics(_records(reader, rt, only_open=only_open), out, now=rt.now)
    if output is not None:
        sys.stderr.write(_("Wrote {path}").format(path=clean(os.path.abspath(os.path.expanduser(output)))) + "\n")


def _records(reader: Reader, rt: Context, *, only_open: bool) -> Iterator[dict[str, Any]]:
    """Each promise as `pk list --json` shows it (its moments written by the database), one
    at a time, for iCalendar."""
    from promisekeeper.db import read_export
    from promisekeeper.db.rows import PROMISE_FIELDS
    from promisekeeper.kinds import State
    from promisekeeper.views.render import json_record
    from promisekeeper.when import deadline
    from promisekeeper.when.clock import epoch, local_iso_from_epoch

    now = epoch(rt.now)
    tried = _attempts(read_export.attempts(reader))
    for row in read_export.promises(reader, states=_states(only_open)):
        stored = dict(zip(PROMISE_FIELDS, row))
        stored["tags"] = stored["tags"].split()
        due, ident = row[-1], stored["id"]
        yield json_record(stored, overdue=stored["state"] == State.OPEN and deadline.is_late_s(now, due),
                          due_local=local_iso_from_epoch(due, rt.zone), attempts=tried(ident))


def _json_objects(reader: Reader, rt: Context, *, only_open: bool) -> Iterator[str]:
    """Each promise's JSON object with its journal, as text: the database writes the object
    (`read_export.promise_json`) and the journal entries; the tags as words, the attempts and
    the series are spliced in here."""
    import json

    from promisekeeper.db import read_export, read_series
    from promisekeeper.views.checkins import series_json
    from promisekeeper.views.journal import refuse_unknown_kinds
    from promisekeeper.when.clock import epoch

    refuse_unknown_kinds(read_export.kinds(reader))
    encode = json.JSONEncoder(ensure_ascii=False).encode
    tags_json = _tags_json(encode)
    tried = _attempts(read_export.attempts(reader))
    joined = read_series.memberships(reader)
    journal = read_export.events(reader)
    pending = next(journal, None)
    rows = read_export.promise_json(reader, states=_states(only_open), now=epoch(rt.now), zone=rt.zone)
    for ident, tags, before_tags, before_attempts, rest in rows:
        series = f', "series": {encode(series_json(*joined[ident]))}' if ident in joined else ""
        entries = []
        # Both run in promise order; events of promises not exported are passed over.
        while pending is not None and pending[0] <= ident:
            if pending[0] == ident:
                entries.append(pending[1])
            pending = next(journal, None)
        yield f'{before_tags}{tags_json(tags)}{before_attempts}{tried(ident)}{rest}{series}, "events": [{", ".join(entries)}]}}'


def _states(only_open: bool) -> tuple[str, ...]:
    from promisekeeper.kinds import State

    return (State.OPEN,) if only_open else tuple(State)


def _attempts(counts: Iterator[tuple[int, int]]) -> Callable[[int], int]:
    """Live callback attempts of each promise, asked in promise order (as both are read)."""
    trying = next(counts, None)

    def of(ident: int) -> int:
        nonlocal trying
        while trying is not None and trying[0] < ident:
            trying = next(counts, None)
        return trying[1] if trying is not None and trying[0] == ident else 0

    return of


def _tags_json(encode: Callable[[Any], str]) -> Callable[[str], str]:
    """Stored tags ("vpn billing") as a JSON array; few distinct sets recur, so each is
    encoded once (and at most a few thousand kept)."""
    from functools import lru_cache

    @lru_cache(maxsize=4096)
    def tags_json(stored: str) -> str:
        return encode(stored.split())

    return tags_json


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
    from promisekeeper.cli import import_workers
    from promisekeeper.db import bulk
    from promisekeeper.lang.i18n import _, ngettext

    rt = context.of(ctx)
    with _opened(source) as (handle, name), bulk.staging(rt.db.file) as staged:
        # Read, checked and staged before the write lock: others never wait on the parsing.
        reading = exchange.read(handle, fmt, name=name)
        series: dict[str, CarriedSeries] = {}
        workers = import_workers.count(handle, reading)
        if workers > 1:
            series = {carried.uuid: carried for carried in import_workers.stage(
                handle, reading, staged, workers, name=name, beside=rt.db.file)}
        else:
            def prepared() -> Iterator[Prepared]:
                for record in reading.records:
                    if record.series is not None:  # a check-in: its series is made or joined here
                        series.setdefault(record.series.uuid, record.series)
                    yield ledger.prepare_import(record)

            staged.take(prepared(), name=name)
            staged.finish()
        passed_over = ""
        if reading.skipped:
            passed_over = "; " + ngettext("{count} passed over ({why})", "{count} passed over ({why})", reading.skipped).format(
                count=reading.skipped, why=_(reading.skipped_why))
        if dry_run:
            count = staged.promises
            rt.view.confirm(ngettext(
                "{count} promise read from {file}{passed_over}; nothing stored (--dry-run)",
                "{count} promises read from {file}{passed_over}; nothing stored (--dry-run)", count,
            ).format(count=count, file=clean(name), passed_over=passed_over))
            return
        with rt.change(create=True, attach=staged.path if rt.db.file else None) as tx:
            stored, present = ledger.store_imported(tx, staged, list(series.values()))
    here = ""
    if present:
        here = " (" + ngettext("{count} already here, skipped", "{count} already here, skipped", present).format(
            count=present) + ")"
    rt.view.confirm(ngettext(
        "Imported {count} promise from {file}{already_here}{passed_over}",
        "Imported {count} promises from {file}{already_here}{passed_over}", stored,
    ).format(count=stored, file=clean(name), already_here=here, passed_over=passed_over)
        + (_("; history is not in CSV: use JSON to move it") if reading.without_history and stored else ""))
    if stored >= bulk.REFRESH_AFTER:  # after the confirmation: the promises are in either way
        rt.db.writer.refresh_statistics(bulk.FILLED_TABLES)


IMPORT_LIMIT = 256 * 1024 * 1024  # far beyond any export pk writes for one person or team


@contextmanager
def _opened(source: str) -> Iterator[tuple[TextIO, str]]:
    """The import file as seekable UTF-8 text, and the name refusals give it; standard
    input is copied to a private temporary file first, so it too is read a line at a time."""
    import io
    import tempfile

    from promisekeeper.lang.i18n import _

    # newline="": a CSV field may hold a line break of its own, which must come back as it was.
    if source == "-":
        with tempfile.TemporaryFile() as spool:
            stdin = sys.stdin.buffer if hasattr(sys.stdin, "buffer") else io.BytesIO(sys.stdin.read().encode())
            while chunk := stdin.read(1 << 20):
                spool.write(chunk)
            spool.seek(0)
            with io.TextIOWrapper(spool, encoding="utf-8-sig", newline="") as text, _decoding("stdin"):
                yield text, "stdin"
        return
    import stat

    from promisekeeper import paths
    from promisekeeper.db.files import unfit_file

    path = os.path.abspath(os.path.expanduser(source))
    try:
        # Never blocks on a FIFO nor reads a device: only a regular file within the limit.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except FileNotFoundError:
        raise BadInput(_("no file {path}").format(path=path)) from None
    except OSError as error:
        raise BadInput(_("cannot read {path}: {problem}").format(path=path, problem=error)) from None
    info = os.fstat(descriptor)
    if not stat.S_ISREG(info.st_mode) or info.st_size > IMPORT_LIMIT:
        os.close(descriptor)
        raise BadInput(_("import file: {problem} (to import from a pipe: … | pk import -)").format(
            problem=unfit_file(path, paths.Unfit(info.st_mode, info.st_size, IMPORT_LIMIT))))
    try:
        handle = open(descriptor, encoding="utf-8-sig", newline="")
    except OSError as error:
        os.close(descriptor)
        raise BadInput(_("cannot read {path}: {problem}").format(path=path, problem=error)) from None
    with handle, _decoding(path):
        yield handle, os.path.basename(path)


@contextmanager
def _decoding(place: str) -> Iterator[None]:
    """Bytes that are not UTF-8, met anywhere in the file, refuse it whole."""
    from promisekeeper.lang.i18n import _

    try:
        yield
    except UnicodeDecodeError as error:
        if place == "stdin":
            raise BadInput(_("standard input is not UTF-8 text: {problem}").format(problem=error)) from None
        raise BadInput(_("cannot read {path}: {problem}").format(path=place, problem=error)) from None
