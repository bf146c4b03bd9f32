"""Export to JSON, CSV and iCalendar; read JSON, CSV and Taskwarrior exports for import.

Reading never writes: it checks a file and turns it into `Incoming` records, and the
ledger decides what to store (`ledger.restore`). An export in JSON carries each
promise's journal, so an import into another database keeps its history and its
statistics honest. Nothing from a file is trusted: every field is checked here, so a
bad file is refused whole, naming the record, and never reaches the database.
"""

from __future__ import annotations

import csv
import io
import json
import re
import uuid as uuidlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, TextIO

from promisekeeper.errors import BadInput
from promisekeeper import events as journal_events
from promisekeeper.i18n import N_, _, ngettext

FORMATS = ("json", "csv", "ics")
IMPORT_FORMATS = ("auto", "json", "csv", "taskwarrior")
CSV_COLUMNS = (
    "id", "uuid", "what", "who", "contact", "via", "ref", "tags", "owner", "state",
    "due_at", "original_due_at", "due_tz", "created_at", "closed_at",
)
# CSV cells a spreadsheet would run as a formula get a leading apostrophe (OWASP advice),
# and so do cells that already start with one, so that import can take exactly one off.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ESCAPED_START = (*_FORMULA_START, "'")


@dataclass
class Incoming:
    """One promise read from a file, with the history to replay (oldest first)."""

    uuid: str | None
    what: str
    due_at: datetime
    created_at: datetime
    who: str | None = None
    contact: str | None = None
    via: str | None = None
    ref: str | None = None
    tags: list[str] = field(default_factory=list)
    owner: str | None = None
    state: str = "open"
    original_due_at: datetime | None = None
    due_tz: str | None = None
    closed_at: datetime | None = None
    events: list[IncomingEvent] = field(default_factory=list)
    notes: list[tuple[datetime, str]] = field(default_factory=list)
    place: str = ""  # where it was read, for refusals: "tasks.json: task 3 (uuid …)"


@dataclass(frozen=True)
class IncomingEvent:
    """One journal entry of an exported promise, checked: its payload reads as its kind's."""

    id: int | None
    at: datetime
    payload: journal_events.Payload
    data: dict[str, Any]
    undoes: int | None


# -- export -----------------------------------------------------------------------------


Record = tuple[dict[str, Any], "list[str] | None"]  # a promise, and its events as JSON text


def write_json(records: Iterable[Record], out: TextIO) -> None:
    """`{"format": "promisekeeper", "version": 1, "promises": [...]}`, one promise a line,
    its journal under "events".

    Written record by record with the C encoder, so memory stays flat however many there
    are; characters a terminal would obey are escaped.
    """
    from promisekeeper.sanitize import json_safe

    encode = json.JSONEncoder(ensure_ascii=False).encode
    out.write('{"format": "promisekeeper", "version": 1, "promises": [')
    separator = "\n"
    for record, events in records:
        line = encode(record)
        if events is not None:
            line = f'{line[:-1]}, "events": [{", ".join(events)}]}}'
        out.write(separator + json_safe(line))
        separator = ",\n"
    out.write("\n]}\n")


def _cell(value: Any) -> str:
    text = "" if value is None else " ".join(value) if isinstance(value, list) else str(value)
    return "'" + text if text.startswith(_ESCAPED_START) else text


def _uncell(text: str | None) -> str | None:
    return text[1:] if text and text.startswith("'") else text


def write_csv(records: Iterable[Record], out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for record, _events in records:
        writer.writerow([_cell(record.get(column)) for column in CSV_COLUMNS])


def write_ics(records: Iterable[Record], out: TextIO, *, now: datetime) -> None:
    """Promises as iCalendar to-dos (VTODO) with their deadline as DUE, one at a time."""
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", "-//promisekeeper//promisekeeper//EN")
    calendar.add("version", "2.0")
    head, _, tail = calendar.to_ical().decode("utf-8").rpartition("END:VCALENDAR")
    out.write(head)
    for record, _events in records:
        out.write(_todo(record, now=now).to_ical().decode("utf-8"))
    out.write("END:VCALENDAR" + tail)


def _todo(record: dict[str, Any], *, now: datetime) -> Any:
    from icalendar import Todo

    status = {"open": "NEEDS-ACTION", "kept": "COMPLETED", "released": "CANCELLED"}
    todo = Todo()
    todo.add("uid", f"{record['uuid']}@promisekeeper")
    todo.add("dtstamp", now)
    todo.add("created", datetime.fromisoformat(record["created_at"]))
    todo.add("due", datetime.fromisoformat(record["due_at"]))
    todo.add("summary", record["what"] + (f" — {record['who']}" if record.get("who") else ""))
    details = [f"{label}: {record[key]}" for key, label in
               (("who", "To"), ("contact", "Contact"), ("via", "Via"), ("ref", "Ticket")) if record.get(key)]
    if details:
        todo.add("description", "\n".join(details))
    todo.add("status", status[record["state"]])
    if record["state"] == "kept" and record.get("closed_at"):
        todo.add("completed", datetime.fromisoformat(record["closed_at"]))
    if record.get("tags"):
        todo.add("categories", record["tags"])
    return todo


# -- import -----------------------------------------------------------------------------


@dataclass
class Reading:
    """What an import file holds: the promises (checked one by one as they are taken, so a
    file of 100,000 is never held twice), and what was passed over and why (counted as
    they are taken)."""

    records: Iterable[Incoming]
    skipped: int = 0
    skipped_why: str = ""


def detect(text: str, name: str) -> str:
    """Which reader fits: by extension, else by content."""
    if name.lower().endswith((".ics", ".ical")) or text.lstrip().startswith("BEGIN:VCALENDAR"):
        raise BadInput(_(
            "{file}: iCalendar is an export format only; import a JSON or CSV export, or Taskwarrior JSON"
        ).format(file=name))
    if name.lower().endswith(".csv"):
        return "csv"
    stripped = text.lstrip()
    if not stripped:
        if name.lower().endswith(".json"):
            raise BadInput(_("{file} is empty: there is no JSON to import; export with `pk export > FILE`").format(file=name))
        raise BadInput(_("{file} is empty: there is nothing to import; export with `pk export > FILE`").format(file=name))
    if not stripped.startswith(("[", "{")) and not name.lower().endswith(".json"):
        return "csv"
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise BadInput(_("{file} is not valid JSON ({problem} at line {line}); for CSV use --format csv").format(
            file=name, problem=error.msg, line=error.lineno)) from None
    if isinstance(document, list) and document and isinstance(document[0], dict) and "description" in document[0]:
        return "taskwarrior"
    return "json"


def read(text: str, fmt: str, *, name: str) -> Reading:
    """Parse an import file into records; BadInput names the first problem and its place.

    The records are checked as they are taken from `Reading.records`: take them all
    before storing any.
    """
    if fmt not in IMPORT_FORMATS:
        raise BadInput(_("unknown import format '{format}'; use one of {formats}").format(
            format=fmt, formats=", ".join(IMPORT_FORMATS)))
    if fmt == "auto":
        fmt = "json" if _EXPORT_HEAD.match(text) else detect(text, name)
    if fmt == "taskwarrior":
        reading = read_taskwarrior(text, name)
    else:
        reading = Reading(read_json(text, name) if fmt == "json" else read_csv(text, name))
    reading.records = _unique(reading.records, name)
    return reading


def _unique(records: Iterable[Incoming], name: str) -> Iterator[Incoming]:
    seen: dict[str, int] = {}
    for number, record in enumerate(records, 1):
        if record.uuid is not None:
            if record.uuid in seen:
                raise BadInput(_("{file}: uuid {uuid} is given to promise {first} and promise {second}").format(
                    file=name, uuid=record.uuid, first=seen[record.uuid], second=number))
            seen[record.uuid] = number
        yield record


def _time(value: Any, where: str) -> datetime:
    if isinstance(value, str) and value.strip():
        text = value.strip()
        try:
            if len(text) == 16 and text[8] == "T" and text.endswith("Z"):  # Taskwarrior: 20261124T090000Z
                return datetime.strptime(text, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
            moment = datetime.fromisoformat(text)
        except ValueError:
            pass
        else:
            if moment.utcoffset() is not None:
                return moment.astimezone(timezone.utc)
            raise BadInput(_("{place}: {value} has no UTC offset; timestamps must be ISO 8601 with one").format(
                place=where, value=repr(value)))
    raise BadInput(_("{place}: {value} is not a timestamp; use ISO 8601 with an offset").format(
        place=where, value=repr(value)))


def _optional_time(value: Any, where: str) -> datetime | None:
    return None if value in (None, "") else _time(value, where)


def _text(value: Any, where: str = "", name: str = "") -> str | None:
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        if name:
            raise BadInput(_("{place}: {field} must be text, not {type}").format(
                place=where, field=name, type=type(value).__name__))
        raise BadInput(_("{place}: a field must be text, not {type}").format(place=where, type=type(value).__name__))
    return str(value).strip() or None


def _uuid(value: Any, where: str) -> str | None:
    text = _text(value, where, "uuid")
    if text is None:
        return None
    try:
        return str(uuidlib.UUID(text))
    except ValueError:
        raise BadInput(_("{place}: uuid '{value}' is not a UUID").format(place=where, value=text)) from None


def _zone(value: Any, where: str) -> str | None:
    from promisekeeper.zones import canonical

    text = _text(value, where, "due_tz")
    if text is None:
        return None
    key = canonical(text)
    if key is None:
        raise BadInput(_("{place}: due_tz '{value}' is not a time zone; use an IANA name such as Europe/Rome").format(
            place=where, value=text))
    return key


def _tags(value: Any, where: str) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        return value.replace(",", " ").split()
    if isinstance(value, list) and all(isinstance(tag, str) for tag in value):
        return list(value)
    raise BadInput(_("{place}: tags must be a list of words or a space-separated string").format(place=where))


def _state(value: Any, where: str) -> str:
    state = (value or "open").strip().lower() if isinstance(value, str) else "open"
    if state not in ("open", "kept", "released"):
        raise BadInput(_("{place}: state {value} is not open, kept or released").format(place=where, value=repr(value)))
    return state


def _record(raw: Any, where: str) -> Incoming:
    if not isinstance(raw, dict):
        raise BadInput(_("{place}: expected an object with the promise's fields").format(place=where))
    what = _text(raw.get("what"), where, "what")
    if not what:
        raise BadInput(_("{place}: 'what' is empty").format(place=where))
    state = _state(raw.get("state"), where)
    closed = _optional_time(raw.get("closed_at"), where)
    if state != "open" and closed is None:
        # Translators: {state} is the file's own word, "kept" or "released".
        raise BadInput(_("{place}: a {state} promise needs closed_at").format(place=where, state=state))
    return Incoming(
        uuid=_uuid(raw.get("uuid"), where), what=what, due_at=_time(raw.get("due_at"), where),
        created_at=_time(raw.get("created_at"), where), who=_text(raw.get("who"), where, "who"),
        contact=_text(raw.get("contact"), where, "contact"), via=_text(raw.get("via"), where, "via"),
        ref=_text(raw.get("ref"), where, "ref"), tags=_tags(raw.get("tags"), where),
        owner=_text(raw.get("owner"), where, "owner"), state=state,
        original_due_at=_optional_time(raw.get("original_due_at"), where),
        due_tz=_zone(raw.get("due_tz"), where), closed_at=closed if state != "open" else None,
        events=_events(raw.get("events"), where), place=where,
    )


def _events(value: Any, where: str) -> list[IncomingEvent]:
    if value in (None, []):
        return []
    if not isinstance(value, list):
        raise BadInput(_("{place}: events must be a list").format(place=where))
    return [_event(item, _("{place}, event {number}").format(place=where, number=number))
            for number, item in enumerate(value, 1)]


def _event(raw: Any, where: str) -> IncomingEvent:
    if not isinstance(raw, dict):
        raise BadInput(_("{place}: expected an object").format(place=where))
    kind = raw.get("kind")
    data = raw.get("data") if raw.get("data") is not None else {}
    try:
        payload = journal_events.decode(str(kind), data)
    except ValueError as error:
        raise BadInput(f"{where}: {error}") from None
    ident, undoes = raw.get("id"), raw.get("undoes")
    for label, number in (("id", ident), ("undoes", undoes)):
        if number is not None and (not isinstance(number, int) or isinstance(number, bool)):
            raise BadInput(_("{place}: {field} must be a whole number").format(place=where, field=label))
    return IncomingEvent(ident, _time(raw.get("at"), where), payload, dict(data), undoes)


# How `pk export` begins: one promise a line follows, so a large export is read a line at a time.
_EXPORT_HEAD = re.compile(r'\{"format": "promisekeeper", "version": 1, "promises": \[\n')


def read_json(text: str, name: str) -> Iterator[Incoming]:
    if _EXPORT_HEAD.match(text):
        yield from _export_lines(text, name)
        return
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise _not_json(name, error) from None
    if isinstance(document, dict):
        _check_version(document, name)
    items = document.get("promises") if isinstance(document, dict) else document
    if not isinstance(items, list):
        raise BadInput(_("{file}: expected a list of promise objects (as `pk export` or `pk list --json` write)").format(
            file=name))
    for number, item in enumerate(items, 1):
        yield _record(item, _promise_place(name, number))


def _not_json(name: str, error: json.JSONDecodeError) -> BadInput:
    return BadInput(_("{file} is not valid JSON: {problem} at line {line}").format(
        file=name, problem=error.msg, line=error.lineno))


def _promise_place(name: str, number: int) -> str:
    """How a refusal names a promise of an import file: "export.json: promise 3"."""
    return _("{file}: promise {number}").format(file=name, number=number)


def _export_lines(text: str, name: str) -> Iterator[Incoming]:
    """The promises of a `pk export` file, a line each, parsed one at a time."""
    lines = io.StringIO(text)
    next(lines)
    number = 0
    for line_number, line in enumerate(lines, 2):
        item = line.rstrip("\r\n").removesuffix(",")
        if item in ("]}", ""):
            continue
        number += 1
        try:
            parsed = json.loads(item)
        except json.JSONDecodeError:
            yield from _whole_document(text, name, number)  # not one a line after all
            return
        yield _record(parsed, _("{file}: promise {number} (line {line})").format(file=name, number=number, line=line_number))


def _whole_document(text: str, name: str, start: int) -> Iterator[Incoming]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise _not_json(name, error) from None
    items = document.get("promises") if isinstance(document, dict) else None
    if not isinstance(items, list):
        raise BadInput(_("{file}: expected a list of promise objects (as `pk export` writes)").format(file=name))
    for number, item in enumerate(items[start - 1 :], start):
        yield _record(item, _promise_place(name, number))


def _check_version(document: dict[str, Any], name: str) -> None:
    if document.get("format", "promisekeeper") != "promisekeeper":
        raise BadInput(_("{file}: format {format} is not a promisekeeper export").format(
            file=name, format=repr(document.get("format"))))
    if document.get("version", 1) != 1:
        raise BadInput(_("{file}: export version {version} is newer than this pk reads (1); upgrade pk").format(
            file=name, version=repr(document.get("version"))))


def read_csv(text: str, name: str) -> list[Incoming]:
    reader = csv.DictReader(io.StringIO(text))
    missing = {"what", "due_at", "created_at"} - set(reader.fieldnames or ())
    if missing:
        raise BadInput(ngettext(
            "{file}: CSV lacks the column(s) {columns}; see `pk export --format csv`",
            "{file}: CSV lacks the column(s) {columns}; see `pk export --format csv`", len(missing),
        ).format(file=name, columns=", ".join(sorted(missing))))
    return [
        _record({key: _uncell(value) for key, value in row.items()},
                _("{file}: line {line}").format(file=name, line=reader.line_num))
        for row in reader
    ]


_TASK_STATES = {"pending": "open", "waiting": "open", "completed": "kept", "deleted": "released"}


def read_taskwarrior(text: str, name: str) -> Reading:
    """Taskwarrior's `task export`: tasks with a due date become promises."""
    try:
        tasks = json.loads(text)
    except json.JSONDecodeError as error:
        raise _not_json(name, error) from None
    if not isinstance(tasks, list):
        raise BadInput(_("{file}: expected the list of tasks `task export` prints").format(file=name))
    reading = Reading((), 0, N_("no due date, or a recurrence template"))

    def records() -> Iterator[Incoming]:
        for number, task in enumerate(tasks, 1):
            if not isinstance(task, dict):
                raise BadInput(_("{file}: task {number}: expected an object").format(file=name, number=number))
            if task.get("status") == "recurring" or not task.get("due"):
                reading.skipped += 1  # a promise needs a deadline; recurrence templates are not promises
                continue
            yield _task(task, _task_place(name, number, task))

    reading.records = records()
    return reading


def _task_place(name: str, number: int, task: dict[str, Any]) -> str:
    """How a refusal names a task: its place in the file, and the uuid Taskwarrior knows it by."""
    uuid = task.get("uuid")
    if isinstance(uuid, str) and uuid.strip():
        return _("{file}: task {number} (uuid {uuid})").format(file=name, number=number, uuid=uuid)
    return _("{file}: task {number}").format(file=name, number=number)


def _task(task: dict[str, Any], where: str) -> Incoming:
    state = _TASK_STATES.get(str(task.get("status", "pending")), "open")
    due = _time(task.get("due"), f"{where}, due")
    closed = _optional_time(task.get("end"), f"{where}, end") if state != "open" else None
    annotations = task.get("annotations") or []
    if not isinstance(annotations, list) or not all(isinstance(a, dict) for a in annotations):
        raise BadInput(_("{place}: annotations must be a list of objects").format(place=where))
    return Incoming(
        uuid=_uuid(task.get("uuid"), where), what=_text(task.get("description"), where, "description") or "(no description)",
        due_at=due, created_at=_time(task.get("entry"), f"{where}, entry"), ref=_text(task.get("project"), where, "project"),
        tags=_tags(task.get("tags"), where), state=state,
        closed_at=(closed or due) if state != "open" else None,
        notes=[(_time(a.get("entry"), where), _text(a.get("description"), where, "annotation") or "") for a in annotations],
        place=where,
    )
