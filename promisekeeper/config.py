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
from datetime import timedelta
from typing import Any, NamedTuple

from promisekeeper import limits, paths
from promisekeeper.errors import BadInput
from promisekeeper.lang.i18n import N_, _
from promisekeeper.secrets import mask_url
from promisekeeper.segment import DEFAULT_REFRESH_S, HORIZON_S

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Seconds of ":00" are allowed: a TOML time literal (start = 09:00) reads back as "09:00:00".
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)(?::00)?$")
_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


def parse_weekdays(text: str) -> str:
    """Working days as ranges and lists: "mon-fri", "mon-thu,sat", "sun-thu"."""
    from promisekeeper.when.calendar import expand_weekdays

    expand_weekdays(text)
    return ",".join(part.strip() for part in text.lower().split(",") if part.strip())


def parse_clock_time(text: str) -> str:
    """A time of day as HH:MM (24-hour)."""
    match = _TIME.match(str(text).strip())
    if not match:
        raise ValueError(_("'{text}' is not a time of day; use HH:MM, e.g. 09:00 or 17:30").format(text=text))
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def parse_clock_time_or_empty(text: str) -> str:
    """A time of day as HH:MM, or empty for the default that follows business hours."""
    return parse_clock_time(text) if str(text).strip() else ""


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
            raise ValueError(_("'{text}' is not a date; use YYYY-MM-DD, e.g. 2026-12-24").format(text=item)) from None
    return sorted(set(result))


def parse_bool(text: str | bool) -> bool:
    if isinstance(text, bool):
        return text
    word = str(text).strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise ValueError(_("'{text}' is not true or false").format(text=text))


def parse_text(text: str) -> str:
    return str(text)


def parse_prompt_format(text: str) -> str:
    """A prompt template: only {overdue}, {today}, {next_in} and {next_who}."""
    from promisekeeper.segment import check_format

    check_format(str(text))
    return str(text)


def parse_country(text: str) -> str:
    """A country code the `holidays` package knows (ISO 3166-1 alpha-2), or "" for none."""
    code = str(text).strip().upper()
    if not code:
        return ""
    import holidays

    if code not in holidays.list_supported_countries():
        raise ValueError(_("'{text}' is not a country the holidays package knows; use e.g. SE, US, DE").format(text=text))
    return code


def parse_language(text: str) -> str:
    """A language pk writes and reads (en, it, hu, sv), or "" to let the locale decide."""
    from promisekeeper.lang.i18n import LANGUAGES

    code = str(text).strip().lower()
    if code and code not in LANGUAGES:
        raise ValueError(_(
            "'{text}' is not a language promisekeeper speaks; use one of {languages}, or unset it to follow the locale"
        ).format(text=text, languages=", ".join(LANGUAGES)))
    return code


def parse_smtp_url(text: str) -> str:
    """A mail server as smtp://user@host:587 or smtps://host:465 ("" for none); the password
    never here (PROMISEKEEPER_SMTP_PASSWORD or mail.password_command)."""
    from urllib.parse import urlsplit

    value = str(text).strip()
    if not value:
        return ""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 -- a bad port raises here
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError(_("'{text}' is not a mail server; use e.g. smtp://eva@mail.example.com:587 "
                           "or smtps://mail.example.com:465").format(text=mask_url(value)))
    if parts.password is not None:
        raise ValueError(_("the password does not belong in the config file: remove it from the URL and set "
                           "PROMISEKEEPER_SMTP_PASSWORD or mail.password_command"))
    return value


def parse_address(text: str) -> str:
    """A mail address, with a name if wanted: eva@example.com or "Eva Lund <eva@example.com>"."""
    from promisekeeper.contacts import is_email

    value = str(text).strip()
    if not value:
        return ""
    address = value.rpartition("<")[2].rstrip(">").strip() if value.endswith(">") else value
    if "\n" in value or "\r" in value or not is_email(address):
        raise ValueError(_("'{text}' is not a mail address; use e.g. eva@example.com or "
                           "\"Eva Lund <eva@example.com>\"").format(text=value))
    return value
def parse_urls(text: str | list[str]) -> list[str]:
    """URLs separated by spaces or commas (a TOML list in the file); empty clears."""
    items = text if isinstance(text, list) else re.split(r"[\s,]+", str(text))
    urls = [str(item).strip() for item in items if str(item).strip()]
    for url in urls:
        parse_url(url)
    return urls


def parse_url(text: str) -> str:
    """One URL with its scheme (service://…), or "" for none; refusals show it masked."""
    from promisekeeper.secrets import mask_url

    url = str(text).strip()
    if url and not re.match(r"^[a-z][a-z0-9+.-]*://\S+$", url, re.IGNORECASE):
        raise ValueError(_("'{url}' is not a URL; write it with its scheme, e.g. ntfy://ntfy.sh/your-topic").format(
            url=mask_url(url)))
    return url


def parse_quiet(text: str) -> str:
    """Quiet hours as HH:MM-HH:MM (may run past midnight), or "" for none."""
    value = str(text).strip()
    if not value:
        return ""
    start, dash, end = value.partition("-")
    if not dash:
        raise ValueError(_("'{text}' is not a span of hours; use HH:MM-HH:MM, e.g. 20:00-07:00").format(text=text))
    start, end = parse_clock_time(start), parse_clock_time(end)
    if start == end:
        raise ValueError(_("'{text}': the quiet hours start and end at the same time").format(text=text))
    return f"{start}-{end}"


def default_note(key: str) -> str:
    """How `pk config` marks a default: "default", or where a default comes from."""
    from promisekeeper.lang.i18n import resolve
    from promisekeeper.when.calendar import locale_country

    if key == "business.country" and (country := locale_country()):
        return _("default: {country} from the locale").format(country=country)
    if key == "language":
        return _("default: {language} from the locale").format(language=resolve(None))
    return _("default")


def parse_subdivision(text: str) -> str:
    return str(text).strip().upper()


def lead_duration(text: str) -> timedelta:
    """A lead time ("15m", "1h", "0m"): a length of time, never negative."""
    from promisekeeper.when.resolve import parse_duration

    value = str(text).strip()
    if value.startswith("-"):
        raise ValueError(_(
            "'{value}': the lead cannot be negative; use e.g. 15m or 1h, or 0m to be reminded only when a promise is due"
        ).format(value=value))
    return parse_duration(value)


def parse_duration_setting(text: str) -> str:
    """A lead time such as 15m, 1h, 90m."""
    lead_duration(str(text))
    return str(text).strip()


def duration_seconds(text: str) -> int:
    """A duration setting's value in seconds."""
    from promisekeeper.when.resolve import parse_duration

    return int(parse_duration(str(text)).total_seconds())


def parse_refresh(text: str) -> str:
    """How stale a shared database's prompt may get: from 1m to 48h."""
    value = parse_duration_setting(text)
    if not 60 <= duration_seconds(value) <= HORIZON_S:
        raise ValueError(f"{value!r} is not between 1m and 48h; e.g. 5m, 15m or 1h")
    return value


@dataclass(frozen=True)
class Setting:
    default: Any
    parse: Callable[[Any], Any]
    help: str


SETTINGS: dict[str, Setting] = {
    # The help is marked here and translated where `pk config` shows it.
    "business.days": Setting("mon-fri", parse_weekdays, N_("working days, e.g. mon-fri or sun-thu")),
    "business.start": Setting("09:00", parse_clock_time, N_("start of the business day (HH:MM)")),
    "business.end": Setting("17:00", parse_clock_time, N_("end of the business day (HH:MM)")),
    "business.holidays": Setting([], parse_dates, N_("extra non-working dates (YYYY-MM-DD, comma list)")),
    "business.country": Setting("", parse_country, N_("public holidays of this country (e.g. SE)")),
    "business.subdivision": Setting("", parse_subdivision, N_("state/province for holidays (e.g. CA)")),
    "day.first_thing": Setting("", parse_clock_time_or_empty, N_(
        "when 'first thing' ends (HH:MM); empty = an hour after business.start")),
    "day.morning": Setting("12:00", parse_clock_time, N_("when 'morning' and 'late morning' end (HH:MM)")),
    "day.lunch": Setting("12:00", parse_clock_time, N_("when 'before lunch' and 'by lunch' end (HH:MM)")),
    "day.afternoon": Setting("", parse_clock_time_or_empty, N_(
        "when 'afternoon' and 'after lunch' end (HH:MM); empty = business.end, 17:00 on a closed day")),
    "day.evening": Setting("20:00", parse_clock_time, N_("when 'evening' and 'tonight' end (HH:MM)")),
    "remind.lead": Setting("15m", parse_duration_setting, N_("how long before a deadline to remind")),
    "prompt.brief": Setting(True, parse_bool, N_("show the daily briefing in a new shell")),
    "prompt.format": Setting("", parse_prompt_format, N_("prompt segment template; empty = ⚑N ◷N")),
    "prompt.ascii": Setting(False, parse_bool, N_("prompt segment without symbols")),
    "prompt.color": Setting(False, parse_bool, N_("colour the prompt segment")),
    "prompt.refresh": Setting(
        f"{DEFAULT_REFRESH_S // 60}m", parse_refresh,
        N_("how soon the prompt shows other machines' changes to a PostgreSQL database"),
    ),
    "owner": Setting(
        "", parse_text, N_("who you are: the owner of new promises, and whose promises the prompt "
                           "counts on a shared database (default: login name)"),
    ),
    "language": Setting("", parse_language, N_("en, it, hu or sv; empty = the locale decides")),
    "customer.language": Setting(
        "", parse_language, N_("the language of customers' notices when a promise names none; empty = yours"),
    ),
    "tell.default": Setting(False, parse_bool, N_("tell the customer of every change when the promise has an email")),
    "mail.from": Setting("", parse_address, N_("who notices come from, e.g. \"Eva Lund <eva@example.com>\"")),
    "mail.reply_to": Setting("", parse_address, N_("where customers' replies go (default: mail.from)")),
    "mail.bcc_self": Setting(False, parse_bool, N_("send yourself a blind copy of every notice")),
    "mail.smtp": Setting("", parse_smtp_url, N_("mail server: smtp://user@host:587 or smtps://host:465")),
    "mail.password_command": Setting(
        "", parse_text, N_("a command that prints the mail server's password (run without a shell)"),
    ),
    "mail.sendmail": Setting("", parse_text, N_("a sendmail command instead of a server, e.g. /usr/sbin/sendmail -t")),
    "mail.drafts": Setting("", parse_text, N_("a folder to save notices in as .eml drafts instead of sending")),
    "notify.urls": Setting([], parse_urls, N_(
        "Apprise URLs your reminders are pushed to (ntfy://…); PROMISEKEEPER_NOTIFY_URLS replaces them")),
    "notify.team_urls": Setting([], parse_urls, N_("Apprise URLs the team's reminders and digest are pushed to")),
    "notify.quiet": Setting("", parse_quiet, N_("hours without pushes, e.g. 20:00-07:00; they wait until the end")),
    "caldav.url": Setting("", parse_url, N_("the CalDAV task list `pk sync caldav` fills")),
    "caldav.user": Setting("", parse_text, N_("your user name on the CalDAV server")),
    "caldav.password_command": Setting("", parse_text, N_(
        "a command printing the CalDAV password (else PROMISEKEEPER_CALDAV_PASSWORD)")),
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


class Broken(NamedTuple):
    """A setting the file holds that is not a valid value: as written, and what is wrong."""

    raw: Any
    problem: str  # what is wrong, without where
    refusal: str  # the one line a command that needs the settings refuses with


def load(path: str | None = None) -> Config:
    """Read and check the config file; a missing file means all defaults."""
    path = path or paths.config_file()
    values, broken, text = _read_values(path)
    if broken:
        raise BadInput(next(iter(broken.values())).refusal)
    _check_consistency(values, path, text)
    return Config(values, path)


def inspect(path: str | None = None) -> tuple[Config, dict[str, Broken]]:
    """The settings that are valid, and those that are not (for `pk config` to list, so that
    they can be repaired with `pk config set` or `unset`)."""
    path = path or paths.config_file()
    values, broken, _text = _read_values(path)
    return Config(values, path), broken


def _read_values(path: str) -> tuple[dict[str, Any], dict[str, Broken], str]:
    text = read_text(path)
    if text is None:
        return {}, {}, ""
    values: dict[str, Any] = {}
    broken: dict[str, Broken] = {}
    for key, value in _flatten(parse_document(text, path)).items():
        if key not in SETTINGS:
            continue  # unknown keys are left alone, e.g. from a newer version
        try:
            values[key] = SETTINGS[key].parse(value)
        except ValueError as error:
            broken[key] = Broken(value, str(error), _("{where}: {key}: {problem}; fix or remove it").format(
                where=_where(path, text, key), key=key, problem=error))
    return values, broken, text


def _repairing(key: str, path: str | None) -> tuple[dict[str, Any], str]:
    """The settings as `pk config set/unset KEY` sees them: KEY itself may be broken (that is
    what is being repaired); another broken key is refused as every command refuses it."""
    path = path or paths.config_file()
    values, broken, _text = _read_values(path)
    broken.pop(key, None)
    if broken:
        raise BadInput(next(iter(broken.values())).refusal)
    return values, path


def check(path: str | None = None) -> None:
    """Refuse a config file that cannot be read, is not UTF-8 or is not TOML (BadInput).

    Every command runs this, whether or not it needs a setting, so a broken file is
    reported the same way everywhere; the values themselves are checked by `load`.
    """
    path = path or paths.config_file()
    text = read_text(path)
    if text is not None:
        parse_document(text, path)


def read_text(path: str) -> str | None:
    """The config file's text, or None when there is none; BadInput when it is unreadable,
    no regular file (a FIFO is never waited on) or larger than paths.NAMED_FILE_LIMIT."""
    try:
        raw = paths.read_named(path)
    except paths.Unfit as unfit:
        from promisekeeper.db.files import unfit_file

        raise BadInput(_("config file: {problem}").format(problem=unfit_file(path, unfit))) from None
    except OSError as error:
        raise BadInput(_("config file {path}: cannot be read ({reason}); fix its permissions or remove it").format(
            path=path, reason=error.strerror)) from None
    if raw is None:
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise BadInput(_(
            "config file {path}, line {line}: not UTF-8 text (byte 0x{byte:02x}); save it as UTF-8, or remove it"
        ).format(path=path, line=line, byte=raw[error.start])) from None


_TOML_PLACE = re.compile(r"^(?P<what>.*) \((?:at line (?P<line>\d+), column (?P<column>\d+)|at end of document)\)$")


def parse_document(text: str, path: str) -> dict[str, Any]:
    """The TOML document; BadInput names the file, the line and what is wrong."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = _TOML_PLACE.match(str(error))
        what = found.group("what") if found else str(error)
        what = what[:1].lower() + what[1:]  # tomllib's own words, in English
        if found and found.group("line"):
            message = _("config file {path}, line {line}, column {column}: {problem} (not valid TOML); fix or remove it")
            values = {"line": found.group("line"), "column": found.group("column")}
        else:
            message = _("config file {path}, line {line} (the end): {problem} (not valid TOML); fix or remove it")
            values = {"line": str(text.count(chr(10)) + 1)}
        raise BadInput(message.format(path=path, problem=what, **values)) from None


def _where(path: str, text: str, key: str) -> str:
    """ "config file PATH, line N": the line that sets a key (dotted or in its [section])."""
    section, _dot, name = key.rpartition(".")
    current = ""
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("[") and not stripped.startswith("[["):
            current = stripped.strip("[] \t")
            continue
        assigned = stripped.partition("=")[0].strip().replace(" ", "").strip('"')
        if "=" in stripped and (
            (current == section and assigned == name) or (not current and assigned == key)
        ):
            return _("config file {path}, line {line}").format(path=path, line=number)
    return _("config file {path}").format(path=path)


def _check_consistency(values: dict[str, Any], path: str, text: str = "") -> None:
    start = values.get("business.start", SETTINGS["business.start"].default)
    end = values.get("business.end", SETTINGS["business.end"].default)
    if start >= end:
        raise BadInput(_("{where}: business.start {start} is not before business.end {end}; fix or remove it").format(
            where=_where(path, text, "business.start"), start=start, end=end))
    country = values.get("business.country", "")
    subdivision = values.get("business.subdivision", "")
    if subdivision:
        _check_subdivision(country, subdivision, path)


def _check_subdivision(country: str, subdivision: str, path: str) -> None:
    if not country:
        raise BadInput(_(
            "business.subdivision {subdivision} needs business.country; "
            "`pk config unset business.subdivision` first, or set the country"
        ).format(subdivision=subdivision))
    import holidays

    known = holidays.list_supported_countries().get(country, [])
    if subdivision not in known:
        sample = ", ".join(known[:8]) + (" …" if len(known) > 8 else "")
        raise BadInput(_(
            "{country} has no subdivision '{subdivision}' (known: {known}); "
            "`pk config unset business.subdivision` first, or set one of those"
        ).format(country=country, subdivision=subdivision, known=sample or _("none")))


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
        raise BadInput(_("unknown setting '{key}'; known settings: {known}").format(key=key, known=", ".join(SETTINGS)))


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
    values, where = _repairing(key, path)
    values[key] = value
    _check_consistency(values, where)
    _write(where, values)
    return value


def unset_value(key: str, path: str | None = None) -> None:
    """Forget a setting so its default applies again."""
    require_key(key)
    values, where = _repairing(key, path)
    values.pop(key, None)
    _check_consistency(values, where)
    _write(where, values)


def _write(path: str, values: dict[str, Any]) -> None:
    import tomli_w

    document = _existing_document(path)
    for key in SETTINGS:
        section, _dot, name = key.rpartition(".")
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
    # Keys this version does not know are kept as they were (load() has read the file).
    text = read_text(path)
    return parse_document(text, path) if text is not None else {}
