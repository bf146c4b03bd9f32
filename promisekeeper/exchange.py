"""Export to JSON, CSV and iCalendar; read JSON, CSV and Taskwarrior exports for import.

Reading never writes: it checks a file and turns it into `Incoming` records, and the
ledger decides what to store (`ledger.prepare_import`, `ledger.store_imported`). An export
in JSON carries each promise's journal, so an import into another database keeps its
history and its statistics honest. Nothing from a file is trusted: every field is checked
here against the limits every way in shares (`limits`), so a bad file is refused whole,
naming the file, the record and the field, before the database is touched.
"""

from __future__ import annotations

import csv
import itertools
import json
import math
import re
import uuid as uuidlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple, TextIO, cast

from promisekeeper import events as journal_events
from promisekeeper import limits
from promisekeeper.errors import BadInput
from promisekeeper.lang.i18n import LANGUAGES, N_, _, ngettext
from promisekeeper.series.carried import CarriedSeries

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
    contact2: str | None = None
    language: str | None = None
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
    series: CarriedSeries | None = None




class IncomingEvent(NamedTuple):
    """One journal entry of an exported promise, checked: its payload reads as its kind's."""

    id: int | None
    at: datetime
    payload: journal_events.Payload
    data: dict[str, Any]
    undoes: int | None


# -- export -----------------------------------------------------------------------------


def write_json(objects: Iterable[str], out: TextIO) -> None:
    """`{"format": "promisekeeper", "version": 1, "promises": [...]}`, one promise a line,
    its journal under "events".

    Each promise comes as its JSON text (written by the database), so memory stays flat
    however many there are; characters a terminal would obey are escaped.
    """
    from promisekeeper.sanitize import json_safe

    pending = iter(objects)
    out.write('{"format": "promisekeeper", "version": 1, "promises": [')
    separator = "\n"
    while batch := list(itertools.islice(pending, 500)):
        # Escaped one object at a time: most are ASCII, which needs no look at all.
        out.write(separator + ",\n".join(map(json_safe, batch)))
        separator = ",\n"
    out.write("\n]}\n")


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_ESCAPED_START) else text


def _uncell(text: str | None) -> str | None:
    return text[1:] if text and text.startswith("'") else text


def write_csv(rows: Iterable[Sequence[Any]], out: TextIO) -> None:
    """Each promise's CSV_COLUMNS as stored (moments as ISO 8601 text), a row each."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    tags = CSV_COLUMNS.index("tags")
    for row in rows:
        cells = [_cell(value) for value in row]
        cells[tags] = _cell(" ".join(row[tags].split()))  # stored tags, one blank apart whatever was kept
        writer.writerow(cells)


def write_ics(records: Iterable[dict[str, Any]], out: TextIO, *, now: datetime) -> None:
    """Promises as iCalendar to-dos (VTODO) with their deadline as DUE, one at a time."""
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", "-//promisekeeper//promisekeeper//EN")
    calendar.add("version", "2.0")
    head, _, tail = calendar.to_ical().decode("utf-8").rpartition("END:VCALENDAR")
    out.write(head)
    for record in records:
        out.write(todo(record, now=now).to_ical().decode("utf-8"))
    out.write("END:VCALENDAR" + tail)


def todo(
    record: dict[str, Any], *, now: datetime, zone: str | None = None, alarms: Sequence[timedelta] = (),
) -> Any:
    """A promise as an iCalendar to-do (VTODO): the one rule for the export and calendar sync.

    UID is the promise's uuid (@promisekeeper, so an imported export and a synced list are
    the same task); DUE in `zone` with its TZID when given (else UTC); STATUS from its state
    (NEEDS-ACTION, COMPLETED, CANCELLED); and, while open, one VALARM (ACTION:DISPLAY) per
    lead time before DUE (0: at the deadline), so a phone rings without pk running.
    """
    from icalendar import Todo

    from promisekeeper.when.zones import zone as named_zone

    status = {"open": "NEEDS-ACTION", "kept": "COMPLETED", "released": "CANCELLED"}
    todo = Todo()
    todo.add("uid", f"{record['uuid']}@promisekeeper")
    todo.add("dtstamp", now)
    todo.add("created", datetime.fromisoformat(record["created_at"]))
    due = datetime.fromisoformat(record["due_at"])
    where = named_zone(zone) if zone else None
    todo.add("due", due.astimezone(where) if where else due)
    summary = record["what"] + (f" — {record['who']}" if record.get("who") else "")
    todo.add("summary", summary)
    details = [f"{label}: {record[key]}" for key, label in
               (("who", "To"), ("contact", "Contact"), ("via", "Via"), ("ref", "Ticket")) if record.get(key)]
    if details:
        todo.add("description", "\n".join(details))
    todo.add("status", status[record["state"]])
    if record["state"] == "kept" and record.get("closed_at"):
        todo.add("completed", datetime.fromisoformat(record["closed_at"]))
    if record.get("tags"):
        todo.add("categories", record["tags"])
    if record["state"] == "open":
        for lead in dict.fromkeys(alarms):
            todo.add_component(_alarm(summary, lead))
    return todo


def _alarm(summary: str, lead: timedelta) -> Any:
    from icalendar import Alarm

    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", -lead, parameters={"RELATED": "END"})  # END of a to-do is its DUE
    return alarm


# -- import -----------------------------------------------------------------------------


@dataclass
class Reading:
    """What an import file holds: the promises (read and checked one by one as they are
    taken, so a large file is never held whole), and what was passed over and why (counted
    as they are taken)."""

    records: Iterable[Incoming]
    skipped: int = 0
    skipped_why: str = ""
    without_history: bool = False  # CSV: one row per promise, its journal left behind
    # A `pk export`: where its list of promises begins, so that each of several processes
    # can read the file for itself and check its share of them (`Share`).
    export_start: int | None = None


_HEAD = 65536  # characters looked at to tell the formats apart


def read(source: TextIO, fmt: str, *, name: str) -> Reading:
    """Parse an import file into records; BadInput names the first problem and its place.

    `source` must be seekable. A `pk export`, any JSON array of records (Taskwarrior's
    `task export` among them) and CSV are read a record at a time, in flat memory; other
    JSON (an object laid out otherwise than `pk export` writes it) is read whole. The records
    are checked as they are taken from `Reading.records`: take them all before storing any.
    """
    if fmt not in IMPORT_FORMATS:
        raise BadInput(_("unknown import format '{format}'; use one of {formats}").format(
            format=fmt, formats=", ".join(IMPORT_FORMATS)))
    head = source.read(_HEAD)
    source.seek(0)
    export = _EXPORT_HEAD.match(head)
    if fmt in ("auto", "json") and export:
        return Reading(_export_records(source, export.end(), name), export_start=export.end())
    if fmt == "auto":
        fmt = detect(head, name, whole=len(head) < _HEAD)
    if fmt == "csv":
        return Reading(read_csv(source, name), without_history=True)
    array = _ARRAY_HEAD.match(head)
    if array and _valid_start(head, array.end()):
        return _array(source, array.end(), name, fmt)
    document = load_json(source.read(), name, hint=_("; for CSV use --format csv") if fmt == "auto" else "")
    if fmt == "taskwarrior":
        raise BadInput(_("{file}: expected the list of tasks `task export` prints").format(file=name))
    return Reading(read_json(document, name))


def _valid_start(head: str, after: int) -> bool:
    """Whether an array begins as one of records would (else the whole document is read,
    and its own error names the problem and its line, with the hint for CSV)."""
    rest = head[after:].lstrip()
    return rest.startswith(("{", "]"))


def detect(head: str, name: str, *, whole: bool) -> str:
    """Which reader fits, from the file's name and its first characters ("auto" when only
    the JSON itself can tell: pk's or Taskwarrior's). `whole`: the head is the whole file."""
    if name.lower().endswith((".ics", ".ical")) or head.lstrip().startswith("BEGIN:VCALENDAR"):
        raise BadInput(_(
            "{file}: iCalendar is an export format only; import a JSON or CSV export, or Taskwarrior JSON"
        ).format(file=name))
    if name.lower().endswith(".csv"):
        return "csv"
    stripped = head.lstrip()
    if not stripped and whole:
        if name.lower().endswith(".json"):
            raise BadInput(_("{file} is empty: there is no JSON to import; export with `pk export > FILE`").format(file=name))
        raise BadInput(_("{file} is empty: there is nothing to import; export with `pk export > FILE`").format(file=name))
    if stripped and not stripped.startswith(("[", "{")) and not name.lower().endswith(".json"):
        return "csv"
    return "auto"


def load_json(text: str, name: str, *, hint: str = "", first_line: int = 1) -> Any:
    """A JSON document whose numbers are finite and fit in 64 bits, nested sanely.

    `first_line` is the file's line the text begins on (a line of a `pk export`)."""
    try:
        return json.loads(text, parse_int=_whole_number, parse_float=_finite_number,
                          parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        # Some of the parser's messages end in "at" ("Unterminated string starting at"),
        # which the sentence supplies: "… starting at line 3", not "… starting at at line 3".
        raise BadInput(_("{file} is not valid JSON: {problem} at line {line}").format(
            file=name, problem=error.msg.removesuffix(" at"), line=error.lineno + first_line - 1) + hint) from None
    except RecursionError:
        raise BadInput(_("{file}: the JSON is nested too deeply to be a promisekeeper export").format(
            file=name)) from None
    except _Unnumber as error:
        # The parser does not say where; the number's first occurrence does.
        line = text.count("\n", 0, max(0, text.find(error.literal))) + first_line
        raise BadInput(_("{file}: line {line}: {problem}").format(file=name, line=line, problem=error)) from None


class _Unnumber(ValueError):
    """A number in a JSON file that pk does not accept, and how it was written."""

    def __init__(self, literal: str, problem: str) -> None:
        shown = literal if len(literal) <= 20 else f"{literal[:12]}… ({len(literal):,} digits)"
        super().__init__(problem.format(number=shown))
        self.literal = literal


def _whole_number(digits: str) -> int:
    if len(digits) < 19:  # nearly every number: 18 digits fit in 64 bits
        return int(digits)
    if len(digits) > 20 or abs(int(digits)) > limits.LARGEST_NUMBER:
        raise _Unnumber(digits, _("the number {number} does not fit in 64 bits"))
    return int(digits)


def _finite_number(digits: str) -> float:
    value = float(digits)
    if not math.isfinite(value):
        raise _Unnumber(digits, _("the number {number} is too large to be finite"))
    return value


def _no_constant(word: str) -> float:
    raise _Unnumber(word, _("the number {number} is not one pk accepts (numbers are finite)"))


def _within(where: str, check: Callable[..., Any], *args: Any) -> Any:
    """A limit's check, its refusal with the file and record put in front."""
    try:
        return check(*args)
    except limits.LimitError as error:
        raise BadInput(f"{where}: {error}") from None


def _time(value: Any, where: str, name: str) -> datetime:
    if isinstance(value, str) and value.strip():
        text = value.strip()
        try:
            if len(text) == 16 and text[8] == "T" and text.endswith("Z"):  # Taskwarrior: 20261124T090000Z
                moment = datetime.strptime(text, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
            else:
                moment = datetime.fromisoformat(text)
        except ValueError:
            pass
        else:
            if moment.utcoffset() is None:
                raise BadInput(_("{place}: {field} {value} has no UTC offset; timestamps must be ISO 8601 with one")
                               .format(place=where, field=name, value=_shown(value)))
            try:
                utc = moment.astimezone(UTC)
            except OverflowError:
                raise BadInput(_("{place}: {field} {value} is outside the years {years}").format(
                    place=where, field=name, value=_shown(value), years=limits.YEARS)) from None
            return _within(where, limits.moment, utc, name)
    raise BadInput(_("{place}: {field} {value} is not a timestamp; use ISO 8601 with an offset").format(
        place=where, field=name, value=_shown(value)))


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:60] + "…"


def _optional_time(value: Any, where: str, name: str) -> datetime | None:
    return None if value in (None, "") else _time(value, where, name)


def _text(value: Any, where: str, name: str) -> str | None:
    """A text field: text (not a number or a list), within its limits."""
    if value is None:
        return None
    if not isinstance(value, str):
        kind = _("a number") if isinstance(value, (int, float)) else type(value).__name__
        raise BadInput(_("{place}: {field} must be text, not {type}").format(place=where, field=name, type=kind))
    return _within(where, limits.text, value, name)


# A uuid as str(UUID) writes it, which is how pk and Taskwarrior export them: kept as it is.
_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _uuid(value: Any, where: str) -> str | None:
    text = _text(value, where, "uuid")
    if text is None:
        return None
    if _CANONICAL_UUID.fullmatch(text):
        return text
    try:
        return str(uuidlib.UUID(text))
    except ValueError:
        raise BadInput(_("{place}: uuid '{value}' is not a UUID").format(place=where, value=text)) from None


def _zone(value: Any, where: str) -> str | None:
    from promisekeeper.when.zones import canonical

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
        words = value.replace(",", " ").split()
    elif isinstance(value, list) and all(isinstance(tag, str) for tag in value):
        words = list(value)
    else:
        raise BadInput(_("{place}: tags must be a list of words or a space-separated string").format(place=where))
    tags = list(dict.fromkeys(tag for tag in (_within(where, limits.tag, word) for word in words) if tag))
    _within(where, limits.tag_count, len(tags))
    return tags


def _state(value: Any, where: str) -> str:
    state = (value or "open").strip().lower() if isinstance(value, str) else "open"
    if state not in ("open", "kept", "released"):
        raise BadInput(_("{place}: state {value} is not open, kept or released").format(
            place=where, value=_shown(value)))
    return state


def _language(value: Any, where: str) -> str | None:
    """A customer's language from a file: one pk writes notices in, or none."""
    code = _text(value, where, "language")
    if code is not None and code not in LANGUAGES:
        raise BadInput(_("{place}: language must be one of {languages}, not {value}").format(
            place=where, languages=", ".join(LANGUAGES), value=_shown(code)))
    return code


def _record(raw: Any, where: str) -> Incoming:
    if not isinstance(raw, dict):
        raise BadInput(_("{place}: expected an object with the promise's fields").format(place=where))
    what = _text(raw.get("what"), where, "what")
    if not what:
        raise BadInput(_("{place}: 'what' is empty").format(place=where))
    state = _state(raw.get("state"), where)
    closed = _optional_time(raw.get("closed_at"), where, "closed_at")
    if state != "open" and closed is None:
        # Translators: {state} is the file's own word, "kept" or "released".
        raise BadInput(_("{place}: a {state} promise needs closed_at").format(place=where, state=state))
    return Incoming(
        uuid=_uuid(raw.get("uuid"), where), what=what, due_at=_time(raw.get("due_at"), where, "due_at"),
        created_at=_time(raw.get("created_at"), where, "created_at"), who=_text(raw.get("who"), where, "who"),
        contact=_text(raw.get("contact"), where, "contact"), via=_text(raw.get("via"), where, "via"),
        contact2=_text(raw.get("contact2"), where, "contact2"), language=_language(raw.get("language"), where),
        ref=_text(raw.get("ref"), where, "ref"), owner=_text(raw.get("owner"), where, "owner"),
        tags=_tags(raw.get("tags"), where), state=state,
        original_due_at=_optional_time(raw.get("original_due_at"), where, "original_due_at"),
        due_tz=_zone(raw.get("due_tz"), where), closed_at=closed if state != "open" else None,
        events=_events(raw.get("events"), where), place=where, series=_series(raw.get("series"), where),
    )


def _series(raw: Any, where: str) -> CarriedSeries | None:
    """A check-in's series as the export writes it (`pk show --json` too); None for a promise."""
    if raw is None:
        return None
    from promisekeeper.series.rule import RuleError, parse

    if not isinstance(raw, dict):
        raise BadInput(_("{place}: 'series' must be an object").format(place=where))
    uuid = _uuid(raw.get("uuid"), where)
    zone = _zone(raw.get("zone"), where)
    try:
        rule = parse(str(raw.get("rule") or "")).text
    except RuleError as error:
        raise BadInput(f"{where}: {error}") from None
    numbers = [raw.get(key, 0) for key in ("first_slot", "slot")]
    if uuid is None or zone is None or not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in numbers):
        raise BadInput(_("{place}: a series needs its uuid, zone, rule and whole-number slots").format(place=where))
    return CarriedSeries(
        uuid=uuid, rule=rule, zone=zone, start_at=_time(raw.get("start_at"), where, "start_at"),
        first_slot=numbers[0], until_at=_optional_time(raw.get("until_at"), where, "until_at"),
        after_done=bool(raw.get("after_done")), created_at=_time(raw.get("created_at"), where, "created_at"),
        ended_at=_optional_time(raw.get("ended_at"), where, "ended_at"), slot=numbers[1],
        tell=raw.get("tell") if isinstance(raw.get("tell"), bool) else None,
    )


def _events(value: Any, where: str) -> list[IncomingEvent]:
    if value in (None, []):
        return []
    if not isinstance(value, list):
        raise BadInput(_("{place}: events must be a list").format(place=where))
    place = _Place(N_("{place}, event {number}"), {"place": where, "number": 0})
    entries = []
    for number, item in enumerate(value, 1):
        place.values["number"] = number  # a refusal puts its place into words as it is raised
        entries.append(_event(item, cast(str, place)))  # typed as the text it formats as
    named = {entry.id for entry in entries if entry.id is not None}
    earlier: set[int] = set()
    for number, entry in enumerate(entries, 1):
        if entry.undoes in named and entry.undoes not in earlier:
            raise BadInput(_("{place}, event {number}: undoes names event {target}, which is not an earlier "
                             "event of this promise").format(place=where, number=number, target=entry.undoes))
        if entry.id is not None:
            earlier.add(entry.id)
    return entries


class _Place:
    """Where a refusal points, put into words only when there is one (a file of 100,000
    promises has 300,000 events, and nearly always nothing to refuse). One serves all the
    events of a promise, its number moved on as they are read."""

    __slots__ = ("message", "values")

    def __init__(self, message: str, values: dict[str, Any]) -> None:
        self.message, self.values = message, values

    def __str__(self) -> str:
        return _(self.message).format(**self.values)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


def _event(raw: Any, where: str) -> IncomingEvent:
    if not isinstance(raw, dict):
        raise BadInput(_("{place}: expected an object").format(place=where))
    kind = raw.get("kind")
    data: Any = raw.get("data") if raw.get("data") is not None else {}
    _within(where, limits.json_value, data, "data")
    try:
        payload = journal_events.decode(str(kind), data)
    except ValueError as error:
        raise BadInput(f"{where}: {error}") from None
    ident, undoes = raw.get("id"), raw.get("undoes")
    for label, number in (("id", ident), ("undoes", undoes)):
        if number is not None and (not isinstance(number, int) or isinstance(number, bool)):
            raise BadInput(_("{place}: {field} must be a whole number").format(place=where, field=label))
    return IncomingEvent(ident, _time(raw.get("at"), where, "at"), payload, dict(data), undoes)


def read_json(document: Any, name: str, *, start: int = 1) -> Iterator[Incoming]:
    """The promises of a JSON document, from the `start`th on."""
    if isinstance(document, dict):
        _check_version(document, name)
    items = document.get("promises") if isinstance(document, dict) else document
    if not isinstance(items, list):
        raise BadInput(_("{file}: expected a list of promise objects (as `pk export` or `pk list --json` write)").format(
            file=name))
    for number, item in enumerate(items[start - 1:], start):
        yield _record(item, _promise_place(name, number))


def _promise_place(name: str, number: int) -> str:
    """How a refusal names a promise of an import file: "export.json: promise 3"."""
    return _("{file}: promise {number}").format(file=name, number=number)


# How a promisekeeper export begins; its promises follow, read one at a time.
_EXPORT_HEAD = re.compile(r'\s*\{\s*"format"\s*:\s*"promisekeeper"\s*,\s*"version"\s*:\s*1\s*,\s*"promises"\s*:\s*\[')
_ARRAY_HEAD = re.compile(r"\s*\[")
_SPACE = re.compile(r"\s*")
_PIECE = 1 << 20  # characters read at a time
_LARGEST_ITEM = 16 << 20  # far beyond any record the limits let in: past it, the file is read whole
_DECODER = json.JSONDecoder(parse_int=_whole_number, parse_float=_finite_number, parse_constant=_no_constant)


class _Unstreamable(Exception):
    """The array is not laid out plainly (or holds a mistake): read it whole, which says where."""


class _Pieces:
    """A text file a piece at a time, with the line each place in it is on."""

    def __init__(self, source: TextIO, skip: int) -> None:
        source.seek(0)
        self.source, self.buffer, self.pos = source, source.read(_PIECE), skip
        self.ended, self.line, self.mark = False, 1, 0

    def more(self) -> bool:
        """Read on (keeping from `pos`); False at the end of the file or of what an item may take."""
        if self.ended or len(self.buffer) - self.pos > _LARGEST_ITEM:
            return False
        piece = self.source.read(_PIECE)
        if not piece:
            self.ended = True
            return False
        self.line_at(self.pos)
        self.buffer, self.pos, self.mark = self.buffer[self.pos:] + piece, 0, 0
        return True

    def line_at(self, index: int) -> int:
        self.line += self.buffer.count("\n", self.mark, index)
        self.mark = index
        return self.line


def _items(source: TextIO, skip: int) -> Iterator[tuple[int, Any]]:
    """Each item of the JSON array whose `[` ends `skip` characters into the file, with the
    line it begins on, decoded one at a time: memory stays flat whatever the file's size."""
    pieces, after_item = _Pieces(source, skip), False
    while True:
        pieces.pos = _SPACE.match(pieces.buffer, pieces.pos).end()  # type: ignore[union-attr]
        if pieces.pos >= len(pieces.buffer):
            if pieces.more():
                continue
            raise _Unstreamable
        char = pieces.buffer[pieces.pos]
        if char == "]":
            return  # what follows the array (an export's closing brace) holds no promises
        if after_item:
            if char != ",":
                raise _Unstreamable
            pieces.pos, after_item = pieces.pos + 1, False
            continue
        try:
            item, end = _DECODER.raw_decode(pieces.buffer, pieces.pos)
        except (ValueError, RecursionError):  # cut short by the piece's end, or a mistake
            if pieces.more():
                continue
            raise _Unstreamable from None
        if end >= len(pieces.buffer) and pieces.more():
            continue  # an item that ends with the piece may go on in the next
        yield pieces.line_at(pieces.pos), item
        pieces.pos, after_item = end, True


def _streamed(source: TextIO, skip: int, name: str) -> Iterator[tuple[int, int, Any]]:
    """(number, line, item) of the array; where it cannot be read a piece at a time, the whole
    document from that item on (it names the real problem, if there is one, and where)."""
    number = 0
    try:
        for line, item in _items(source, skip):
            number += 1
            yield number, line, item
    except _Unstreamable:
        source.seek(0)
        document = load_json(source.read(), name)
        if isinstance(document, dict):
            _check_version(document, name)
        items = document.get("promises") if isinstance(document, dict) else document
        if not isinstance(items, list):
            raise BadInput(_("{file}: expected a list of promise objects (as `pk export` or `pk list --json` write)")
                           .format(file=name)) from None
        for later, item in enumerate(items[number:], number + 1):
            yield later, 0, item


def _export_records(source: TextIO, skip: int, name: str) -> Iterator[Incoming]:
    """The promises of a `pk export` file, named by number and line when refused: one
    process's share is all of them."""
    for _number, item, place in Share(source, skip, name, 0, 1):
        yield _record(item, place)


def _export_place(name: str, number: int, line: int) -> str:
    return (_("{file}: promise {number} (line {line})").format(file=name, number=number, line=line) if line
            else _promise_place(name, number))


class Share:
    """Every `count`th promise of a `pk export` file, from the `index`th (0-based) on:
    `(number, raw record, place)`, to be checked with `check`. Every record is decoded (it
    must be, to find the next), only the share's are handed on. `read` counts the records
    read so far: a problem met reading the file stands after them, as in one process."""

    def __init__(self, source: TextIO, start: int, name: str, index: int, count: int) -> None:
        self.source, self.start, self.name = source, start, name
        self.index, self.count = index, count
        self.read = 0

    def __iter__(self) -> Iterator[tuple[int, Any, str]]:
        for number, line, item in _streamed(self.source, self.start, self.name):
            self.read = number
            if (number - 1) % self.count == self.index:
                yield number, item, _export_place(self.name, number, line)


def check(raw: Any, place: str) -> Incoming:
    """One promise of a `pk export` file checked (a `Share`'s), as reading the file checks it."""
    return _record(raw, place)


def _array(source: TextIO, skip: int, name: str, fmt: str) -> Reading:
    """A JSON array of promises, or (by its first item, unless told) of Taskwarrior's tasks."""
    items = _streamed(source, skip, name)
    first = next(items, None)
    if first is None:
        return Reading(())
    every = itertools.chain((first,), items)
    if fmt == "taskwarrior" or (fmt == "auto" and isinstance(first[2], dict) and "description" in first[2]):
        return read_taskwarrior((item for _number, _line, item in every), name)
    return Reading(_record(item, _promise_place(name, number)) for number, _line, item in every)


def _check_version(document: dict[str, Any], name: str) -> None:
    if document.get("format", "promisekeeper") != "promisekeeper":
        raise BadInput(_("{file}: format {format} is not a promisekeeper export").format(
            file=name, format=_shown(document.get("format"))))
    if document.get("version", 1) != 1:
        raise BadInput(_("{file}: export version {version} is newer than this pk reads (1); upgrade pk").format(
            file=name, version=_shown(document.get("version"))))


def read_csv(source: TextIO, name: str) -> Iterator[Incoming]:
    reader = csv.DictReader(source)
    try:
        missing = {"what", "due_at", "created_at"} - set(reader.fieldnames or ())
        if missing:
            raise BadInput(ngettext(
                "{file}: CSV lacks the column(s) {columns}; see `pk export --format csv`",
                "{file}: CSV lacks the column(s) {columns}; see `pk export --format csv`", len(missing),
            ).format(file=name, columns=", ".join(sorted(missing))))
        for row in reader:
            yield _csv_record(row, _("{file}: line {line}").format(file=name, line=reader.line_num))
    except csv.Error as error:
        # e.g. a field over csv's 128 KiB limit: far beyond any field pk takes.
        raise BadInput(_("{file}: line {line}: {problem}; the longest field pk takes is {limit} characters").format(
            file=name, line=reader.line_num + 1, problem=error, limit=f"{limits.TEXT_LENGTH:,}")) from None


def _csv_record(row: dict[str | None, Any], where: str) -> Incoming:
    if None in row:  # DictReader's place for the cells beyond the header
        raise BadInput(ngettext(
            "{place}: {count} more field than the header has columns; quote fields that hold commas",
            "{place}: {count} more fields than the header has columns; quote fields that hold commas",
            len(row[None]),
        ).format(place=where, count=len(row[None])))
    return _record({key: _uncell(value) for key, value in row.items()}, where)


_TASK_STATES = {"pending": "open", "waiting": "open", "completed": "kept", "deleted": "released"}


def read_taskwarrior(tasks: Iterable[Any], name: str) -> Reading:
    """Taskwarrior's `task export`: tasks with a due date become promises."""
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
    due = _time(task.get("due"), where, "due")
    closed = _optional_time(task.get("end"), where, "end") if state != "open" else None
    annotations = task.get("annotations") or []
    if not isinstance(annotations, list) or not all(isinstance(a, dict) for a in annotations):
        raise BadInput(_("{place}: annotations must be a list of objects").format(place=where))
    return Incoming(
        uuid=_uuid(task.get("uuid"), where),
        what=_text(task.get("description"), where, "description") or "(no description)",
        due_at=due, created_at=_time(task.get("entry"), where, "entry"),
        ref=_text(task.get("project"), where, "project"), tags=_tags(task.get("tags"), where), state=state,
        closed_at=(closed or due) if state != "open" else None,
        notes=[(_time(a.get("entry"), where, "annotation entry"), _text(a.get("description"), where, "annotation") or "")
               for a in annotations],
        place=where,
    )
