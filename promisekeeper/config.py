"""Settings: a TOML file at the XDG config path, every key known, checked and defaulted.

`pk config` shows and changes it. A key is "section.name"; each has a parser that turns
the text a user types into the stored TOML value and refuses a bad one with a message
that says what would work.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from promisekeeper import limits, paths
from promisekeeper.errors import BadInput, PKError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Seconds of ":00" are allowed: a TOML time literal (start = 09:00) reads back as "09:00:00".
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)(?::00)?$")
_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


def parse_weekdays(text: str) -> str:
    """Working days as ranges and lists: "mon-fri", "mon-thu,sat", "sun-thu"."""
    expand_weekdays(text)
    return ",".join(part.strip() for part in text.lower().split(",") if part.strip())


def expand_weekdays(text: str) -> frozenset[int]:
    """The weekday numbers (Monday = 0) a working-days setting names."""
    days: set[int] = set()
    for part in str(text).lower().replace(" ", "").split(","):
        if not part:
            continue
        first, _, last = part.partition("-")
        start = _weekday_index(first)
        stop = _weekday_index(last) if last else start
        if start is None or stop is None:
            raise ValueError(f"{part!r} is not a weekday or range; use e.g. mon-fri or mon-thu,sat")
        day = start
        while True:
            days.add(day)
            if day == stop:
                break
            day = (day + 1) % 7
    if not days:
        raise ValueError("no working days given; use e.g. mon-fri")
    return frozenset(days)


def _weekday_index(word: str) -> int | None:
    """Monday = 0 for "mon", "tues", "thursday"; None for "monkey", which [:3] alone let through."""
    for index, name in enumerate(_DAY_NAMES):
        if len(word) >= 3 and name.startswith(word):
            return index
    return None


def parse_clock_time(text: str) -> str:
    """A time of day as HH:MM (24-hour)."""
    match = _TIME.match(str(text).strip())
    if not match:
        raise ValueError(f"{text!r} is not a time of day; use HH:MM, e.g. 09:00 or 17:30")
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def parse_dates(text: str | list[str]) -> list[str]:
    """ISO dates, comma-separated: "2026-12-24,2026-12-31" (empty clears)."""
    from datetime import date

    items = text if isinstance(text, list) else str(text).split(",")
    result = []
    for item in (str(i).strip() for i in items):
        if not item:
            continue
        try:
            result.append(date.fromisoformat(item).isoformat())
        except ValueError:
            raise ValueError(f"{item!r} is not a date; use YYYY-MM-DD, e.g. 2026-12-24") from None
    return sorted(set(result))


def parse_bool(text: str | bool) -> bool:
    if isinstance(text, bool):
        return text
    word = str(text).strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise ValueError(f"{text!r} is not true or false")


def parse_text(text: str) -> str:
    return str(text)


def parse_prompt_format(text: str) -> str:
    """A prompt template: only {overdue}, {today}, {next_in} and {next_who}."""
    from promisekeeper.prompt import UsageError, check_format

    try:
        check_format(str(text))
    except UsageError as error:
        raise ValueError(str(error).replace(" in --format", "")) from None
    return str(text)


def parse_country(text: str) -> str:
    """A country code the `holidays` package knows (ISO 3166-1 alpha-2), or "" for none."""
    code = str(text).strip().upper()
    if not code:
        return ""
    import holidays

    if code not in holidays.list_supported_countries():
        raise ValueError(f"{text!r} is not a country the holidays package knows; use e.g. SE, US, DE")
    return code


def parse_subdivision(text: str) -> str:
    return str(text).strip().upper()


def parse_duration_setting(text: str) -> str:
    """A duration such as 15m, 1h, 90m."""
    from promisekeeper.when import parse_duration

    parse_duration(str(text))
    return str(text).strip()


@dataclass(frozen=True)
class Setting:
    default: Any
    parse: Callable[[Any], Any]
    help: str


SETTINGS: dict[str, Setting] = {
    "business.days": Setting("mon-fri", parse_weekdays, "working days, e.g. mon-fri or sun-thu"),
    "business.start": Setting("09:00", parse_clock_time, "start of the business day (HH:MM)"),
    "business.end": Setting("17:00", parse_clock_time, "end of the business day (HH:MM)"),
    "business.holidays": Setting([], parse_dates, "extra non-working dates (YYYY-MM-DD, comma list)"),
    "business.country": Setting("", parse_country, "public holidays of this country (e.g. SE)"),
    "business.subdivision": Setting("", parse_subdivision, "state/province for holidays (e.g. CA)"),
    "remind.lead": Setting("15m", parse_duration_setting, "how long before a deadline to remind"),
    "prompt.brief": Setting(True, parse_bool, "show the daily briefing in a new shell"),
    "prompt.format": Setting("", parse_prompt_format, "prompt segment template; empty = ⚑N ◷N"),
    "prompt.ascii": Setting(False, parse_bool, "prompt segment without symbols"),
    "prompt.color": Setting(False, parse_bool, "colour the prompt segment"),
    "owner": Setting("", parse_text, "owner recorded on new promises (default: login name)"),
}


class Config:
    """The settings in force: file values over defaults, every value checked."""

    def __init__(self, values: dict[str, Any], path: str) -> None:
        self._values = values
        self.path = path

    def get(self, key: str) -> Any:
        if key not in SETTINGS:
            raise KeyError(key)
        return self._values.get(key, SETTINGS[key].default)

    def is_set(self, key: str) -> bool:
        return key in self._values

    def items(self) -> list[tuple[str, Any, bool]]:
        """Every known key with its value and whether the file sets it."""
        return [(key, self.get(key), self.is_set(key)) for key in SETTINGS]


def load(path: str | None = None) -> Config:
    """Read and check the config file; a missing file means all defaults."""
    path = path or paths.config_file()
    try:
        with open(path, "rb") as handle:
            document = tomllib.load(handle)
    except FileNotFoundError:
        return Config({}, path)
    except OSError as error:
        raise PKError(f"cannot read the config file {path}: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise BadInput(f"config file {path}: {error}; fix or remove it") from None
    values: dict[str, Any] = {}
    for key, value in _flatten(document).items():
        if key not in SETTINGS:
            continue  # unknown keys are left alone, e.g. from a newer version
        try:
            values[key] = SETTINGS[key].parse(value)
        except ValueError as error:
            raise BadInput(f"config file {path}: {key}: {error}") from None
    _check_consistency(values, path)
    return Config(values, path)


def _check_consistency(values: dict[str, Any], path: str) -> None:
    start = values.get("business.start", SETTINGS["business.start"].default)
    end = values.get("business.end", SETTINGS["business.end"].default)
    if start >= end:
        raise BadInput(f"config file {path}: business.start {start} is not before business.end {end}")
    country = values.get("business.country", "")
    subdivision = values.get("business.subdivision", "")
    if subdivision:
        _check_subdivision(country, subdivision, path)


def _check_subdivision(country: str, subdivision: str, path: str) -> None:
    if not country:
        raise BadInput(
            f"business.subdivision {subdivision} needs business.country; "
            "`pk config unset business.subdivision` first, or set the country"
        )
    import holidays

    known = holidays.list_supported_countries().get(country, [])
    if subdivision not in known:
        sample = ", ".join(known[:8]) + (" …" if len(known) > 8 else "")
        raise BadInput(
            f"{country} has no subdivision {subdivision!r} (known: {sample or 'none'}); "
            "`pk config unset business.subdivision` first, or set one of those"
        )


def _flatten(document: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in document.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def require_key(key: str) -> None:
    """Refuse a key this version does not know, listing the ones it does."""
    if key not in SETTINGS:
        raise BadInput(f"unknown setting {key!r}; known settings: {', '.join(SETTINGS)}")


def parse_value(key: str, text: str) -> Any:
    """Check a value typed for a key; BadInput says what would work."""
    require_key(key)
    limits.text(text, key)  # the rule every way in shares: no control characters, sane length
    try:
        return SETTINGS[key].parse(text)
    except ValueError as error:
        raise BadInput(f"{key}: {error}") from None


def set_value(key: str, text: str, path: str | None = None) -> Any:
    """Store one setting (checked) and return the stored value."""
    value = parse_value(key, text)
    current = load(path)
    values = {k: current.get(k) for k, _, is_set in current.items() if is_set}
    values[key] = value
    _check_consistency(values, current.path)
    _write(current.path, values)
    return value


def unset_value(key: str, path: str | None = None) -> None:
    """Forget a setting so its default applies again."""
    require_key(key)
    current = load(path)
    values = {k: current.get(k) for k, _, is_set in current.items() if is_set and k != key}
    _check_consistency(values, current.path)
    _write(current.path, values)


def _write(path: str, values: dict[str, Any]) -> None:
    import tomli_w

    document = _existing_document(path)
    for key in SETTINGS:
        section, _, name = key.rpartition(".")
        table = document.setdefault(section, {}) if section else document
        if key in values:
            table[name] = values[key]
        else:
            table.pop(name, None)
        if section and not table:
            document.pop(section)
    text = "# promisekeeper settings; `pk config` shows them all.\n" + tomli_w.dumps(document)
    paths.atomic_write(path, text.encode("utf-8"))


def _existing_document(path: str) -> dict[str, Any]:
    # Keys this version does not know are kept as they were.
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError):
        return {}
