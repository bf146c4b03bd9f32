"""The language machinery: the locale read as POSIX reads it, the catalogues shipped with the
package (fresh, complete, their placeholders intact), and CLDR names that equal Babel's."""

from __future__ import annotations

import gettext
import re
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from promisekeeper.lang import i18n
from promisekeeper.when import timefmt

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "promisekeeper"
LOCALES = PACKAGE / "lang" / "locale"
NATIVE = ("it", "hu", "sv")


@pytest.fixture
def speak():
    def activate(code: str) -> None:
        i18n.activate(code)

    yield activate
    i18n.activate("en")


# --- which language -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "language", "country"),
    [
        ({"LANG": "it_IT.UTF-8"}, "it", "IT"),
        ({"LANG": "hu_HU"}, "hu", "HU"),
        ({"LANG": "sv_SE.UTF-8"}, "sv", "SE"),
        ({"LANG": "sv_FI.UTF-8"}, "sv", "FI"),
        ({"LANG": "it_CH.UTF-8@euro"}, "it", "CH"),
        ({"LANG": "sv"}, "sv", None),
        ({"LANG": "de_DE.UTF-8"}, "en", "DE"),
        ({"LANG": "C"}, "en", None),
        ({"LANG": "POSIX"}, "en", None),
        ({"LANG": "C.UTF-8"}, "en", None),
        ({"LANG": ""}, "en", None),
        ({}, "en", None),
        ({"LC_ALL": "hu_HU.UTF-8", "LC_MESSAGES": "it_IT", "LANG": "sv_SE"}, "hu", "HU"),
        ({"LC_ALL": "", "LC_MESSAGES": "it_IT", "LANG": "sv_SE"}, "it", "IT"),
        ({"LC_MESSAGES": "", "LANG": "sv_SE"}, "sv", "SE"),
        ({"LANGUAGE": "it", "LANG": "C"}, "en", None),  # GNU's LANGUAGE is not POSIX
        ({"LC_TIME": "it_IT", "LANG": "C"}, "en", None),  # only messages choose it
    ],
)
def test_the_locale_as_posix_reads_it(
    environ: dict[str, str], language: str, country: str | None
) -> None:
    assert i18n.from_locale(environ) == language
    assert i18n.country_from_locale(environ) == country


def test_the_setting_wins_else_the_locale() -> None:
    assert i18n.resolve("hu", {"LANG": "it_IT.UTF-8"}) == "hu"
    assert i18n.resolve("", {"LANG": "it_IT.UTF-8"}) == "it"
    assert i18n.resolve(None, {}) == "en"


def test_activate_refuses_an_unknown_language(speak) -> None:
    with pytest.raises(ValueError, match="use one of en, it, hu, sv"):
        speak("de")
    assert i18n.active() == "en"


def test_messages_follow_the_active_language(speak) -> None:
    assert i18n._("due now") == "due now"
    expected = {"it": "in scadenza ora", "hu": "most esedékes", "sv": "förfaller nu"}
    for code, text in expected.items():
        speak(code)
        assert i18n._("due now") == text


def test_plural_rules_come_from_the_catalogue_headers(speak) -> None:
    speak("it")
    assert i18n.ngettext("{days}d", "{days}d", 1).format(days=1) == "1 g"
    assert i18n.ngettext("{days}d", "{days}d", 3).format(days=3) == "3 gg"
    speak("sv")
    message = "'{words}' is not a date ({where} has {length} day); e.g. '{example}'"
    plural = message.replace("day)", "days)")
    assert "har {length} dag)" in i18n.ngettext(message, plural, 1)
    assert "har {length} dagar)" in i18n.ngettext(message, plural, 30)


def test_importing_i18n_stays_cheap() -> None:
    """Most output modules import it: the standard library's gettext, nothing of Babel."""
    code = "import sys, promisekeeper.lang.i18n, promisekeeper.when.timefmt; print(sorted(sys.modules))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert "'babel" not in loaded
    assert "'holidays" not in loaded


# --- the catalogues ---------------------------------------------------------------------------


def po_catalogue(code: str):
    from babel.messages.pofile import read_po

    with open(LOCALES / code / "LC_MESSAGES" / "promisekeeper.po", "rb") as handle:
        return read_po(handle, locale=code)


def messages_in_the_code() -> set[tuple[str | None, str]]:
    """Every (context, msgid) the code asks gettext for, as pybabel extract finds them."""
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir

    keywords = dict(DEFAULT_KEYWORDS, pgettext=((1, "c"), 2), NP_=((1, "c"), 2))
    found = set()
    for _file, _line, message, _comments, context in extract_from_dir(
        str(PACKAGE), method_map=[("**.py", "python")], keywords=keywords
    ):
        found.add((context, message[0] if isinstance(message, tuple) else message))
    return found


@pytest.mark.parametrize("code", NATIVE)
def test_every_message_in_the_code_is_translated(code: str) -> None:
    catalogue = po_catalogue(code)
    missing = []
    for context, msgid in messages_in_the_code():
        message = catalogue.get(msgid, context=context)
        strings = message.string if message else ""
        strings = strings if isinstance(strings, tuple) else (strings,)
        if message is None or message.fuzzy or not all(strings):
            missing.append(msgid)
    assert not missing, f"run scripts/i18n and translate in {code}: {missing}"


@pytest.mark.parametrize("code", NATIVE)
def test_the_compiled_catalogue_matches_its_source(code: str) -> None:
    """A .mo older than its .po (or made from another) fails: run scripts/i18n compile."""
    catalogue = po_catalogue(code)
    with open(LOCALES / code / "LC_MESSAGES" / "promisekeeper.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for message in catalogue:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if message.context:
            key = f"{message.context}\x04{key}"
        if isinstance(message.id, tuple):
            for index, text in enumerate(message.string):
                assert compiled._catalog.get((key, index)) == text, (code, message.id)  # type: ignore[attr-defined]
        else:
            assert compiled._catalog.get(key) == message.string, (code, message.id)  # type: ignore[attr-defined]
    assert compiled.info()["plural-forms"] == catalogue.plural_forms


_FIELD = re.compile(r"\{(\w+)(?:[:!][^}]*)?\}")


@pytest.mark.parametrize("code", NATIVE)
def test_translations_keep_to_the_placeholders_they_are_given(code: str) -> None:
    for message in po_catalogue(code):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        notes = " ".join(message.auto_comments)  # "Translators: {pm} is …" adds a field
        given = {name for text in (*ids, notes) for name in _FIELD.findall(text)}
        for text in strings:
            assert set(_FIELD.findall(text)) <= given, (code, message.id, text)


@pytest.mark.parametrize("code", NATIVE)
def test_translations_quote_as_the_language_does(code: str) -> None:
    """Italian «…», Hungarian „…”, Swedish ”…”: no English quotes around forms."""
    opening = {"it": "«", "hu": "„", "sv": "”"}[code]
    for message in po_catalogue(code):
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.id and "'{" in ids[0]:
            assert all(opening in text for text in strings), (code, message.id)


def test_the_wheel_ships_the_compiled_catalogues() -> None:
    config = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'packages = ["promisekeeper"]' in config  # hatch takes every file in the package
    for code in NATIVE:
        assert (LOCALES / code / "LC_MESSAGES" / "promisekeeper.mo").is_file()
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8")
    assert ".mo" not in ignored


# --- CLDR names and patterns --------------------------------------------------------------------


@pytest.mark.parametrize("code", NATIVE)
def test_the_cldr_table_equals_what_babel_gives(code: str, speak) -> None:
    """timefmt_cldr is generated from Babel (scripts/cldr_tables.py); every day of a leap year
    and a common one reads as Babel formats it."""
    from babel.dates import format_skeleton

    speak(code)
    day = date(2027, 1, 1)
    while day < date(2029, 1, 1):
        assert timefmt.day_label(day) == format_skeleton("MMMEd", day, locale=code)
        assert timefmt.day_label(day, year=True) == format_skeleton("yMMMEd", day, locale=code)
        assert timefmt.day_month(day.day, day.month, day.year) == format_skeleton(
            "yMMMd", day, locale=code
        )
        day += timedelta(days=1)
    for month in range(1, 13):
        first = date(2026, month, 1)
        assert timefmt.month_name(month, 2026) == format_skeleton("yMMMM", first, locale=code)
        assert timefmt.day_month(1, month) == format_skeleton("MMMd", first, locale=code)


def test_english_dates_stay_as_they_were() -> None:
    assert timefmt.day_label(date(2026, 11, 27)) == "Fri 27 Nov"
    assert timefmt.day_label(date(2026, 11, 27), year=True) == "Fri 27 Nov 2026"
    assert timefmt.day_month(24, 12, 2026) == "24 Dec 2026"
    assert timefmt.month_name(2, 2026) == "Feb 2026"


NOW = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)
ROME = ZoneInfo("Europe/Rome")


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("en", ["Fri 27 Nov 10:00", "in 2h", "in 3d 4h", "2h 05m late", "3d late", "due now",
                "5m ago", "just now", "1m late"]),
        ("it", ["ven 27 nov 10:00", "tra 2 h", "tra 3 gg 4 h", "2 h 05 min di ritardo",
                "3 gg di ritardo", "in scadenza ora", "5 min fa", "proprio ora",
                "1 min di ritardo"]),
        ("hu", ["nov. 27., P 10:00", "2 ó múlva", "3 nap 4 ó múlva", "2 ó 05 p késés",
                "3 nap késés", "most esedékes", "5 perc ezelőtt", "épp most", "1 perc késés"]),
        ("sv", ["fre 27 nov. 10:00", "om 2 h", "om 3 d 4 h", "2 h 05 min försenat", "3 d försenat",
                "förfaller nu", "för 5 min sedan", "just nu", "1 min försenat"]),
    ],
)  # fmt: skip
def test_moments_and_distances_read_as_natives_write_them(
    code: str, expected: list[str], speak
) -> None:
    speak(code)
    hours, minutes = timedelta(hours=1), timedelta(minutes=1)
    # Late counts from the end of the deadline's minute (when.deadline): the late deadlines
    # below are a minute earlier than the lateness they read.
    shown = [
        timefmt.moment(datetime(2026, 11, 27, 9, 0, tzinfo=UTC), ROME, now=NOW),
        timefmt.distance(NOW + 2 * hours, NOW),
        timefmt.distance(NOW + 76 * hours, NOW),
        timefmt.distance(NOW - 2 * hours - 6 * minutes, NOW),
        timefmt.distance(NOW - 72 * hours - minutes, NOW),
        timefmt.distance(NOW + timedelta(seconds=10), NOW),
        timefmt.ago(NOW - 5 * minutes, NOW),
        timefmt.ago(NOW - timedelta(seconds=5), NOW),
        timefmt.distance(NOW - timedelta(seconds=100), NOW),
    ]
    assert shown == expected


def test_a_day_in_italian_reads_with_one_day(speak) -> None:
    speak("it")
    assert timefmt.distance(NOW - timedelta(days=1, minutes=1), NOW) == "24 h di ritardo"
    assert timefmt.distance(NOW - timedelta(days=8, minutes=1), NOW) == "8 gg di ritardo"
    assert timefmt.span(timedelta(days=1, hours=3)) == "27 h"
    assert timefmt.span(timedelta(days=2, hours=3)) == "2 gg 3 h"
