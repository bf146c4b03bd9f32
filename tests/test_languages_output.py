"""Everything a person reads, in the language they chose: one working day of a technician,
run in English, Italian, Hungarian and Swedish, compared word for word with a transcript
written (and read) as a native speaker writes it (tests/fixtures/golden/<language>.txt).

The day: four promises logged on a Monday morning, a failed callback, a renegotiation,
the reminders of that morning and the next day's digest, the agenda, a late keep, a
release and a reopening, an edit, a note taken back with undo, then `pk show`, `pk log`,
`pk stats` and the refusals a technician meets. Plain output; the clock is fixed.

Regenerate a transcript after a deliberate change with PK_GOLDEN=write, and read it again
before committing it.
"""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Callable
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest

from promisekeeper.lang import i18n

GOLDEN = Path(__file__).parent / "fixtures" / "golden"
MONDAY_1030 = "2026-11-23T10:30:00+01:00"
MONDAY_1045 = "2026-11-23T10:45:00+01:00"
MONDAY_1100 = "2026-11-23T11:00:00+01:00"
TUESDAY_1030 = "2026-11-24T10:30:00+01:00"

# What each technician types: their own words, names and deadlines.
DAY = {
    "en": {
        "vpn": ("Send the VPN config", "Eva Spacek", "tomorrow 10am"),
        "invoice": ("Call back about the invoice", "Marco Rossi", "in 30m"),
        "backup": ("Check the backup", None, "fri 3pm"),
        "printer": ("Look at the printer", "Zoë Berg", "11:00"),
        "move": ("next mon 9am", "waiting on the vendor"),
        "release": "the customer solved it",
        "renamed": "Éva Spacek",
        "note": "prefers email",
        "voicemail": "voicemail",
        "find": "eva",
    },
    "it": {
        "vpn": ("Inviare la configurazione VPN", "Éva Kovács", "domani alle 10"),
        "invoice": ("Richiamare per la fattura", "Marco Rossi", "tra 30 minuti"),
        "backup": ("Verificare il backup", None, "venerdì alle 15"),
        "printer": ("Controllare la stampante", "Giulia Bianchi", "oggi alle 11"),
        "move": ("lunedì prossimo alle 9", "in attesa del fornitore"),
        "release": "il cliente ha risolto da sé",
        "renamed": "Eva Kovács",
        "note": "preferisce l'email",
        "voicemail": "segreteria",
        "find": "eva",
    },
    "hu": {
        "vpn": ("VPN-beállítások elküldése", "Kovács Éva", "holnap 10-kor"),
        "invoice": ("Visszahívás a számla miatt", "Nagy Péter", "30 perc múlva"),
        "backup": ("Mentés ellenőrzése", None, "pénteken 15 órakor"),
        "printer": ("Nyomtató ellenőrzése", "Szabó Anna", "ma 11:00"),
        "move": ("jövő hétfő 9:00", "a szállítóra várunk"),
        "release": "az ügyfél megoldotta",
        "renamed": "Kovács Évi",
        "note": "e-mailben kéri",
        "voicemail": "hangposta",
        "find": "evi",
    },
    "sv": {
        "vpn": ("Skicka VPN-konfigurationen", "Åsa Lind", "i morgon kl 10"),
        "invoice": ("Ringa tillbaka om fakturan", "Erik Öberg", "om 30 minuter"),
        "backup": ("Kontrollera säkerhetskopian", None, "fredag kl 15"),
        "printer": ("Titta på skrivaren", "Zoë Berg", "i dag kl 11"),
        "move": ("nästa måndag kl 9", "väntar på leverantören"),
        "release": "kunden löste det själv",
        "renamed": "Åsa Lindqvist",
        "note": "vill ha e-post",
        "voicemail": "röstbrevlåda",
        "find": "asa",
    },
}


class Transcript:
    """Commands run through the CLI, written down as a terminal shows them."""

    def __init__(self, pk: Callable[..., Any]) -> None:
        self.pk = pk
        self.lines: list[str] = []

    def run(self, *args: str, now: str | None = None, code: int = 0) -> None:
        result = self.pk(*args, now=now)
        assert result.exit_code == code, (args, result.stdout, result.stderr)
        clock = f"[{now[11:16]}{' ' + now[8:10] + '/11' if now[8:10] != '23' else ''}] " if now else ""
        self.lines.append(f"{clock}$ pk {shlex.join(args)}")
        output = (result.stdout + result.stderr).rstrip("\n")
        self.lines += [_without_uuid(line) for line in output.splitlines()] if output else []
        self.lines.append("")

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def _without_uuid(line: str) -> str:
    return re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<uuid>", line)


def working_day(pk: Callable[..., Any], language: str) -> str:
    day = DAY[language]
    t = Transcript(pk)
    assert pk("config", "set", "language", language).exit_code == 0
    assert pk("config", "set", "owner", "anna").exit_code == 0
    assert pk("db", "init").exit_code == 0  # the agenda makes no database (test_missing_database)
    t.run()
    for key in ("vpn", "invoice", "backup", "printer"):
        what, who, due = day[key]
        extra = ["--via", "phone", "--ref", "INC-4821", "--tag", "vpn"] if key == "vpn" else []
        t.run("add", what, *(["--to", who] if who else []), *extra, "--due", due)
    t.run("tried", "1", "--note", day["voicemail"])
    t.run("reschedule", "3", day["move"][0], "--reason", day["move"][1])
    t.run("reschedule", "3", day["move"][0], code=2)
    t.run("remind", now=MONDAY_1030)
    t.run(now=MONDAY_1030)
    t.run("done", "2", now=MONDAY_1045)
    t.run("done", "2", now=MONDAY_1045, code=2)
    t.run("cancel", "3", "--reason", day["release"], now=MONDAY_1045)
    t.run("reopen", "3", now=MONDAY_1045)
    t.run("edit", "1", "--to", day["renamed"], now=MONDAY_1045)
    t.run("note", "1", day["note"], now=MONDAY_1045)
    t.run("undo", now=MONDAY_1045)
    t.run("remind", now=MONDAY_1045)
    t.run("remind", now=MONDAY_1100)
    t.run("remind", "--digest", now=TUESDAY_1030)
    t.run("brief", now=TUESDAY_1030)
    t.run("show", "1", now=TUESDAY_1030)
    t.run("log", "3", now=TUESDAY_1030)
    t.run("list", "--all", "--to", day["find"], now=TUESDAY_1030)
    t.run("stats", "--by", "who", now=TUESDAY_1030)
    t.run("stats", "--weeks", "2", now=TUESDAY_1030)
    t.run("add", "x", "--due", "31/13", code=2)
    t.run("show", "9", code=1)
    t.run("lsit", code=2)
    return t.text


@pytest.mark.parametrize("language", ["en", "it", "hu", "sv"])
def test_a_working_day_reads_as_a_native_writes_it(pk, language: str) -> None:
    made = working_day(pk, language)
    golden = GOLDEN / f"{language}.txt"
    if os.environ.get("PK_GOLDEN") == "write":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(made + "\n", encoding="utf-8")
    assert made + "\n" == golden.read_text(encoding="utf-8")


# -- what the messages suggest works ---------------------------------------------------------

_SUGGESTIONS = [
    'Nothing promised. Log one: pk add "Send the VPN config" --to "Eva" --due "tomorrow 10am"',
    'say what was promised, e.g. pk add "Send the VPN config" --due "in 2h"',
    '--at needs a moment, e.g. --at "tomorrow 9am" or --at "fri 17:00"; leave it out to judge as of now',
]


@pytest.mark.parametrize("language", ["it", "hu", "sv"])
def test_every_deadline_a_message_suggests_is_read(language: str) -> None:
    """The examples inside translated messages ("--due \\"domani alle 10\\"") are phrases
    the time language reads, in that language."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from promisekeeper.when import resolve as when
    from promisekeeper.when.calendar import BusinessCalendar

    i18n.activate(language)
    try:
        texts = [i18n._(message) for message in _SUGGESTIONS]
        texts.append(i18n._('pk reschedule {ident} "fri 10am" --reason "waiting on vendor"'))
        phrases = [found for text in texts for found in re.findall(r'(?:--due|--at|reschedule \{ident\}) "([^"]+)"', text)]
        assert len(phrases) == 5, phrases
        now = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)
        for phrase in phrases:
            when.parse_deadline(phrase, now=now, zone=ZoneInfo("Europe/Stockholm"), calendar=BusinessCalendar())
    finally:
        i18n.activate("en")


# -- English costs nothing ------------------------------------------------------------------


def test_english_opens_no_catalogue(pk, monkeypatch: pytest.MonkeyPatch) -> None:
    """English is the source text: no catalogue is read for it."""
    import gettext

    def refuse(*args: object) -> None:
        raise AssertionError("a catalogue was read for English")

    i18n.translations.cache_clear()
    monkeypatch.setattr(gettext, "GNUTranslations", refuse)
    for args in (["list"], ["add", "x", "--due", "in 1h"], ["show", "1"], ["stats"], ["show", "9"]):
        assert pk(*args).exit_code in (0, 1)


# -- names in the order of the language pk speaks ----------------------------------------------

NAMES = ["Zoë", "Åsa", "Eva", "Örjan", "Bo"]


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", ["Åsa", "Bo", "Eva", "Örjan", "Zoë"]), ("sv", ["Bo", "Eva", "Zoë", "Åsa", "Örjan"])],
)
def test_names_follow_the_language_setting_over_the_locale(pk, language: str, expected: list[str]) -> None:
    import json

    assert pk("config", "set", "language", language).exit_code == 0
    for number, name in enumerate(NAMES, 1):
        assert pk("add", "x", "--to", name, "--due", "in 1h").exit_code == 0
        assert pk("done", str(number)).exit_code == 0
    locale = {"LANG": "it_IT.UTF-8" if language == "sv" else "sv_SE.UTF-8"}
    groups = json.loads(pk("stats", "--by", "who", "--json", env=locale).stdout)["groups"]
    assert [group["group"] for group in groups] == expected


def test_completion_offers_names_in_the_configured_language(pk, files) -> None:
    import subprocess
    import sys

    for name in NAMES:
        assert pk("add", "x", "--to", name, "--due", "in 1h").exit_code == 0
    assert pk("config", "set", "language", "sv").exit_code == 0

    def names() -> list[str]:
        script = "import sys; from promisekeeper.cli.completion import answer as completion; sys.exit(completion.main(sys.argv[1:]))"
        environment = dict(os.environ, LANG="en_US.UTF-8")
        answer = subprocess.run([sys.executable, "-c", script, "4", "pk", "add", "x", "--to", ""],
                                env=environment, capture_output=True, text=True, check=True).stdout
        return [line.split("\t")[0] for line in answer.splitlines()[1:]]

    assert names() == ["Bo", "Eva", "Zoë", "Åsa", "Örjan"]
    files.config.write_text('# promisekeeper settings\nlanguage = "en"\n[business]\nend = "18:00"\n', encoding="utf-8")
    assert names() == ["Åsa", "Bo", "Eva", "Örjan", "Zoë"]


# -- colours follow the values, wherever the language puts them ----------------------------------


def test_a_translated_sentence_colours_its_values(pk) -> None:
    assert pk("config", "set", "language", "it").exit_code == 0
    assert pk("add", "Richiamare Marco", "--due", "tra 10 minuti").exit_code == 0
    kept = pk("--color", "always", "done", "1", now="2026-11-23T10:30:00+01:00").stdout
    assert kept == (
        "Mantenuta \x1b[33mcon 49 min di ritardo\x1b[0m: \x1b[1m#1\x1b[0m Richiamare Marco "
        "(scadenza lun 23 nov 09:40)\n"
    )


# -- the parser's refusals, before any command has run --------------------------------------------


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("it_IT.UTF-8", "pk: list: Opzione inesistente: --bogus. Vedi `pk list --help`."),
        ("hu_HU.UTF-8", "pk: list: Nincs ilyen kapcsoló: --bogus. Lásd: `pk list --help`."),
        ("sv_SE.UTF-8", "pk: list: Flaggan finns inte: --bogus. Se `pk list --help`."),
        ("C.UTF-8", "pk: list: No such option: --bogus. See `pk list --help`."),
    ],
)
def test_usage_errors_speak_the_locales_language(pk, locale: str, expected: str) -> None:
    result = pk("list", "--bogus", env={"LANG": locale})
    assert result.exit_code == 2
    assert result.stderr.strip() == expected


def test_a_broken_config_is_reported_in_the_locales_language(pk, files) -> None:
    files.config.write_text("language = [\n", encoding="utf-8")
    result = pk("list", env={"LANG": "sv_SE.UTF-8"})
    assert result.exit_code == 2
    assert result.stderr.startswith(f"pk: konfigurationsfilen {files.config}, rad ")
    assert result.stderr.rstrip().endswith("(ogiltig TOML); rätta eller ta bort den")
