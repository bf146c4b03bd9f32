"""`pk export` and `pk import`: JSON (with history), CSV, iCalendar; Taskwarrior in."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from promisekeeper.cli.app import app
from promisekeeper.cli.runtime import Runtime
from promisekeeper.errors import BadInput, PKError


@app.command()
def export(
    fmt: Annotated[str, typer.Option("--format", "-f", help="json (with history), csv or ics (iCalendar to-dos).", metavar="FORMAT")] = "json",
    only_open: Annotated[bool, typer.Option("--open", help="Only open promises (default: all).")] = False,
    output: Annotated[str | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.", metavar="FILE")] = None,
) -> None:
    """Write your promises out as JSON, CSV or iCalendar."""
    from promisekeeper import exchange

    if fmt not in exchange.FORMATS:
        raise BadInput(f"unknown export format {fmt!r}; use one of {', '.join(exchange.FORMATS)}")
    rt = Runtime()
    with rt.db.session() as session:
        records = _records(session, rt, only_open=only_open, with_events=fmt == "json")
    if fmt == "json":
        text = exchange.to_json(records)
    elif fmt == "csv":
        text = exchange.to_csv(records)
    else:
        text = exchange.to_ics(records, now=rt.now)
    _write(text, output)


def _records(session, rt: Runtime, *, only_open: bool, with_events: bool) -> list[dict]:  # type: ignore[no-untyped-def]
    """Each promise as `pk list --json` shows it, with its journal when asked."""
    from sqlmodel import col, select

    from promisekeeper import journal, queries
    from promisekeeper.models import Promise
    from promisekeeper.render import promise_json

    query = select(Promise).order_by(col(Promise.id))
    if only_open:
        query = query.where(Promise.state == "open")
    tried = queries.attempts(session, None)
    histories = queries.journals(session) if with_events else {}
    undone = queries.undone_ids(session, None) if with_events else set()
    records = []
    for promise in session.exec(query).all():
        record = promise_json(promise, now=rt.now, zone=rt.zone, tried=tried.get(promise.id or 0))
        if with_events:
            events = histories.get(promise.id or 0, [])
            record["events"] = [journal.event_json(e, undone=e.id in undone) for e in events]
        records.append(record)
    return records


def _write(text: str, output: str | None) -> None:
    if output is None:
        from promisekeeper.sanitize import terminal_safe

        sys.stdout.write(terminal_safe(text) if sys.stdout.isatty() else text)
        return
    path = os.path.abspath(os.path.expanduser(output))
    try:
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    except OSError as error:
        raise PKError(f"cannot write {path}: {error.strerror}") from None
    typer.echo(f"Wrote {path}", err=True)


@app.command("import")
def import_(
    source: Annotated[str, typer.Argument(metavar="FILE", help="A file, or - for standard input.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="auto, json, csv or taskwarrior.", metavar="FORMAT")] = "auto",
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Read and check everything; store nothing.")] = False,
) -> None:
    """Bring promises in from a pk export (JSON/CSV) or Taskwarrior's `task export`."""
    from promisekeeper import exchange, ledger

    text, name = _read(source)
    reading = exchange.read(text, fmt, name=name)
    passed_over = f"; {reading.skipped} passed over ({reading.skipped_why})" if reading.skipped else ""
    rt = Runtime()
    if dry_run:
        rt.view.confirm(f"{len(reading.records)} promise(s) read from {name}{passed_over}; nothing stored (--dry-run)")
        return
    stored = present = 0
    with ledger.change(rt.db, now=rt.now) as session:
        for record in reading.records:
            if ledger.restore(session, now=rt.now, record=record) is None:
                present += 1
            else:
                stored += 1
        here = f" ({present} already here, skipped)" if present else ""
        rt.view.confirm(f"Imported {stored} promise(s) from {name}{here}{passed_over}")


def _read(source: str) -> tuple[str, str]:
    # newline="": a CSV field may hold a line break of its own, which must come back as it was.
    if source == "-":
        raw = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
        try:
            return raw.decode("utf-8-sig"), "stdin"
        except UnicodeDecodeError as error:
            raise BadInput(f"standard input is not UTF-8 text: {error}") from None
    path = os.path.abspath(os.path.expanduser(source))
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            return handle.read(), os.path.basename(path)
    except FileNotFoundError:
        raise BadInput(f"no file {path}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise BadInput(f"cannot read {path}: {error}") from None
