"""The one clock and the local zone: every "now" in promisekeeper comes from here.

Standard library only: the prompt fast path imports it.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time, tzinfo

from promisekeeper import years

NOW_VAR = "PROMISEKEEPER_NOW"
UTC = UTC


class ClockError(ValueError):
    """PROMISEKEEPER_NOW holds something that is not a moment."""


def now() -> datetime:
    """The current moment, timezone-aware UTC, whole seconds.

    PROMISEKEEPER_NOW fixes it (ISO 8601 with an offset, or @EPOCH_SECONDS), so tests
    and "what if" runs never depend on the system clock.
    """
    raw = os.environ.get(NOW_VAR, "").strip()
    if raw:
        return parse_fixed_now(raw)
    return datetime.now(UTC).replace(microsecond=0)


def parse_fixed_now(raw: str) -> datetime:
    """Read a PROMISEKEEPER_NOW value; refuse one without an offset or outside 1970–2200."""
    if raw.startswith("@"):
        return from_epoch(fixed_epoch(raw))
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        raise ClockError(
            f"{NOW_VAR}={_shown(raw)} is not ISO 8601; use e.g. 2026-11-23T09:00:00+01:00 or @1795420800"
        ) from None
    from promisekeeper import limits  # only for a fixed clock: the prompt's path stays light

    if parsed.utcoffset() is None:
        raise ClockError(
            f"{NOW_VAR}={_shown(raw)} has no UTC offset; add one, e.g. {raw}+01:00 or {raw}Z"
        )
    try:
        return limits.moment(parsed.astimezone(UTC), NOW_VAR).replace(microsecond=0)
    except (OverflowError, limits.LimitError):  # year 1 or 9999 with an offset overflows
        raise ClockError(f"{NOW_VAR}={_shown(raw)} is outside the years {limits.YEARS}") from None


def _shown(raw: str) -> str:
    return repr(raw if len(raw) <= 40 else raw[:40] + "…")


def fixed_epoch(raw: str) -> int:
    """A PROMISEKEEPER_NOW of the form @EPOCH_SECONDS, checked like every other moment."""
    digits = raw[1:].removeprefix("-")
    if not (raw.startswith("@") and digits.isascii() and digits.isdigit()):
        raise ClockError(f"{NOW_VAR}={_shown(raw)} is not @EPOCH_SECONDS, e.g. @1795420800")
    from promisekeeper import limits

    try:
        return limits.epoch(int(raw[1:]), NOW_VAR)
    except (ValueError, limits.LimitError):
        raise ClockError(f"{NOW_VAR}={_shown(raw)} is outside the years {limits.YEARS}") from None


def epoch(moment: datetime) -> int:
    """A moment as whole seconds since 1970 (floored), as the database stores it."""
    return int(moment.timestamp() // 1)


def from_epoch(seconds: int) -> datetime:
    """Whole seconds since 1970 as an aware UTC moment.

    A value beyond the years 1970–2200 (only a database written before pk had limits can
    hold one) reads as the nearest moment within them, so every view can still show it.
    """
    if not years.EARLIEST_S <= seconds <= years.LATEST_S:
        seconds = years.clamped(seconds)
    return datetime.fromtimestamp(seconds, UTC)


_day_prefixes: dict[int, str] = {}


def iso_from_epoch(seconds: int) -> str:
    """`from_epoch(seconds).isoformat()`, "2026-11-24T09:00:00+00:00", at a fraction of
    its cost: an export writes hundreds of thousands, a day's date made once."""
    if not years.EARLIEST_S <= seconds <= years.LATEST_S:
        seconds = years.clamped(seconds)
    day, rest = divmod(int(seconds), 86400)
    prefix = _day_prefixes.get(day)
    if prefix is None:
        prefix = _day_prefixes[day] = datetime.fromtimestamp(day * 86400, UTC).strftime("%Y-%m-%dT")
    hours, rest = divmod(rest, 3600)
    minutes, whole = divmod(rest, 60)
    return f"{prefix}{hours:02d}:{minutes:02d}:{whole:02d}+00:00"


_offsets: dict[tuple[tzinfo, int], tuple[int, str]] = {}
_QUARTER = 900  # zones change their offset on a quarter-hour, never twice in one


def local_iso_from_epoch(seconds: int, zone: tzinfo) -> str:
    """`from_epoch(seconds).astimezone(zone).isoformat()`, at a fraction of its cost: the
    zone's offset is worked out once per quarter-hour that has one offset throughout."""
    quarter = int(seconds) // _QUARTER
    known = _offsets.get((zone, quarter))
    if known is None:
        first = from_epoch(quarter * _QUARTER).astimezone(zone)
        last = from_epoch(quarter * _QUARTER + _QUARTER - 1).astimezone(zone)
        offset = first.utcoffset()
        if offset is None or offset != last.utcoffset():
            return from_epoch(seconds).astimezone(zone).isoformat()
        known = _offsets[(zone, quarter)] = (int(offset.total_seconds()), first.isoformat()[19:])
    shift, suffix = known
    if not years.EARLIEST_S <= seconds + shift <= years.LATEST_S:  # at the edge of the years kept
        return from_epoch(seconds).astimezone(zone).isoformat()
    return iso_from_epoch(seconds + shift)[:19] + suffix


def offset_spans(zone: tzinfo, first: int, last: int) -> list[tuple[int, int, str]]:
    """The zone's offsets from `first` to `last` (epoch seconds within the years kept), so
    that a database can write the local clock: each stretch of one offset as (its first
    second, the offset in seconds, its ISO 8601 suffix "+01:00"). Looked for a day at a time:
    no zone changes its offset and back within one day."""
    spans = [(first, *_offset_at(zone, first))]
    start = first
    while start < last:
        end = min(start + 86400, last)
        if _offset_at(zone, end) == spans[-1][1:]:
            start = end
            continue
        same, other = start, end  # the change lies after `same`, at or before `other`
        while other - same > 1:
            middle = (same + other) // 2
            same, other = (middle, other) if _offset_at(zone, middle) == spans[-1][1:] else (same, middle)
        spans.append((other, *_offset_at(zone, other)))
        start = other
    return spans


def _offset_at(zone: tzinfo, seconds: int) -> tuple[int, str]:
    moment = from_epoch(seconds).astimezone(zone)
    offset = moment.utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0, moment.isoformat()[19:]


def local_zone_name() -> str | None:
    """The IANA name of the local zone (from TZ, else /etc/localtime), if it has one."""
    name = os.environ.get("TZ", "").strip().lstrip(":")
    if name:
        return name
    try:
        target = os.path.realpath("/etc/localtime")
    except OSError:  # pragma: no cover - unusual systems
        return None
    marker = "/zoneinfo/"
    if marker in target:
        return target.split(marker, 1)[1]
    return None


_zone_cache: dict[str | None, tzinfo] = {}
_unrecognized: set[str] = set()  # TZ values that named no zone (read as UTC, as libc does)


def local_zone() -> tzinfo:
    """The zone wall-clock times are shown and read in.

    Resolved like the C library does (TZ, else /etc/localtime), so that the prompt's
    `time.localtime` arithmetic and the rest of the program agree on "today".
    """
    key = os.environ.get("TZ")
    zone = _zone_cache.get(key)
    if zone is None:
        zone = _resolve_local_zone()
        _zone_cache[key] = zone
    return zone


def _resolve_local_zone() -> tzinfo:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    raw = os.environ.get("TZ")
    if raw is not None and not raw.strip():
        return UTC  # the C library reads an empty TZ as UTC
    name = local_zone_name()
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            if raw is not None:
                if _is_posix_rule(raw):
                    return _libc_zone()
                _unrecognized.add(raw)
                return UTC  # what libc makes of a TZ it cannot read
    try:
        with open("/etc/localtime", "rb") as handle:
            return ZoneInfo.from_file(handle, key="localtime")
    except (OSError, ValueError):
        return UTC


def unrecognized_tz() -> str | None:
    """TZ when it names no zone this system knows and is no POSIX rule, else None.

    Such a TZ is read as UTC, as the C library reads it; the CLI says so once per command.
    """
    local_zone()
    raw = os.environ.get("TZ")
    return raw if raw in _unrecognized else None


def _is_posix_rule(raw: str) -> bool:
    """ "EST+5EDT,M3.2.0,M11.1.0", "<+0330>-3:30", or a zone file given by its path."""
    import re

    value = raw.strip().lstrip(":")
    if len(value) > _LONGEST_TZ:
        return False  # no zone is spelled this long (and a huge value would be slow to scan)
    if os.path.isabs(value):
        return _is_zone_file(value)
    return re.match(r"^(?:[A-Za-z]{3,}|<[0-9A-Za-z+-]{3,}>)[+-]?\d", value) is not None


_LONGEST_TZ = 255  # a rule or a path longer than this names no zone


def _is_zone_file(path: str) -> bool:
    """Whether `path` is a compiled zone file (TZif), which libc reads; /etc/passwd is not."""
    from promisekeeper import paths

    try:
        head = paths.read_named(path, limit=1024 * 1024)
    except (OSError, ValueError):
        return False
    return head is not None and head.startswith(b"TZif")


def _libc_zone() -> tzinfo:
    """TZ holds a POSIX rule ("EST+5EDT,M3.2.0,M11.1.0"), not an IANA name: read it as libc does."""
    import time

    from dateutil.tz import tzlocal

    time.tzset()
    return tzlocal()


def local_midnight(day: date, zone: tzinfo) -> datetime:
    """The moment a local day begins, as aware UTC.

    Where clocks jump at midnight (America/Santiago) the day begins at the first wall
    time that exists, as zoneinfo reads a time in a gap.
    """
    return datetime.combine(day, time(0), zone).astimezone(UTC)
