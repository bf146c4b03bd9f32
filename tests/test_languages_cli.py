"""Choosing the language from the command line: the `language` setting, the locale, the
holidays of the locale's country, and refusals as a native reader gets them (golden text)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from conftest import Files, db_content

Pk = Callable[..., Any]


def due_of(pk: Pk, promise_id: int = 1) -> str:
    import json

    result = pk("list", "--all", "--json")
    assert result.exit_code == 0, result.output
    return next(p["due_at"] for p in json.loads(result.stdout) if p["id"] == promise_id)


# Monday 23 Nov 2026 09:30 (the fixture's clock), in each language's own zone.
@pytest.mark.parametrize(
    ("language", "zone", "phrase", "due"),
    [
        ("it", "Europe/Rome", "domani alle 10", "2026-11-24T09:00:00+00:00"),
        ("it", "Europe/Rome", "lunedì prossimo alle 9", "2026-11-30T08:00:00+00:00"),
        ("hu", "Europe/Budapest", "holnap 10-kor", "2026-11-24T09:00:00+00:00"),
        ("hu", "Europe/Budapest", "pénteken 15 órakor", "2026-11-27T14:00:00+00:00"),
        ("sv", "Europe/Stockholm", "i morgon kl 10", "2026-11-24T09:00:00+00:00"),
        ("sv", "Europe/Stockholm", "nästa arbetsdag", "2026-11-24T16:00:00+00:00"),
    ],
)
def test_the_language_setting_reads_its_deadlines(
    pk: Pk, language: str, zone: str, phrase: str, due: str
) -> None:
    assert pk("config", "set", "language", language).exit_code == 0
    added = pk("add", "Call back", "--due", phrase, env={"TZ": zone})
    assert added.exit_code == 0, added.output
    assert due_of(pk) == due


def test_english_is_always_read(pk: Pk) -> None:
    assert pk("config", "set", "language", "hu").exit_code == 0
    assert pk("add", "Call back", "--due", "tomorrow 10am").exit_code == 0
    assert due_of(pk) == "2026-11-24T09:00:00+00:00"


def test_without_the_setting_the_locale_decides(pk: Pk) -> None:
    added = pk("add", "Ring tillbaka", "--due", "i morgon kl 10", env={"LANG": "sv_SE.UTF-8"})
    assert added.exit_code == 0, added.output
    refused = pk("add", "Ring tillbaka", "--due", "i morgon kl 10", env={"LANG": "C.UTF-8"})
    assert refused.exit_code == 2
    assert "'i' is not a time word I know" in refused.stderr


def test_lc_all_wins_over_lang(pk: Pk) -> None:
    env = {"LANG": "sv_SE.UTF-8", "LC_ALL": "it_IT.UTF-8"}
    assert pk("add", "Richiamare", "--due", "domani alle 10", env=env).exit_code == 0


def test_the_setting_wins_over_the_locale(pk: Pk) -> None:
    assert pk("config", "set", "language", "en").exit_code == 0
    refused = pk("add", "x", "--due", "domani alle 10", env={"LANG": "it_IT.UTF-8"})
    assert refused.exit_code == 2


def test_an_unknown_language_is_refused_saying_what_works(pk: Pk, files: Files) -> None:
    result = pk("config", "set", "language", "de")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "pk: language: 'de' is not a language promisekeeper speaks; use one of en, it, hu, sv, "
        "or unset it to follow the locale"
    )
    assert not files.config.exists()


def test_the_setting_is_shown_stored_and_unset(pk: Pk) -> None:
    assert pk("config", "set", "language", "SV").stdout.strip() == "language = sv"
    assert pk("config", "get", "language").stdout.strip() == "sv"
    assert pk("config", "unset", "language").exit_code == 0
    shown = pk("config", env={"LANG": "C"}).stdout
    assert 'language = ""  (default: en from the locale)' in shown


# Refusals, word for word, as the Italian, Hungarian and Swedish reader gets them.
GOLDEN = {
    ("it", "ieri"): "pk: «ieri» è nel passato (dom 22 nov 17:00, 16 h fa); una scadenza "
    "dev'essere nel futuro, ad es. «tra 2 ore», «domani alle 10»",
    ("it", "alle 3"): "pk: «alle 3» può voler dire le 03:00 o le 15:00; scrivi l'ora da 0 a 23, "
    "ad es. «alle 15» o «alle 03:00»",
    ("it", "31 aprile"): "pk: «31 aprile» non è una data (aprile ha 30 giorni); ad es. «30 apr»",
    ("it", "tra un mese"): "pk: «tra un mese» usa i mesi, che non hanno tutti la stessa durata, "
    "perciò promisekeeper non li conta; indica il giorno, ad es. «23 dic» o «fine mese», oppure "
    "conta in settimane, ad es. «tra 4 settimane»",
    ("it", "presto"): "pk: «presto» non è una parola di tempo che conosco (in «presto»); prova "
    "ad es. «tra 2 ore», «domani alle 10», «domani pomeriggio», «entro 2 giorni lavorativi», "
    "«venerdì alle 15», «fine giornata» o «2026-12-01 14:00»",
    ("it", "domani e poi"): "pk: «poi» non è una parola di tempo che conosco (in «domani e poi»); "
    "prova ad es. «tra 2 ore», «domani alle 10», «domani pomeriggio», «entro 2 giorni "
    "lavorativi», «venerdì alle 15», «fine giornata» o «2026-12-01 14:00»",
    ("it", "le 3 e mezza"): "pk: «le 3 e mezza» può voler dire le 15:30 o le 03:30; scrivi l'ora "
    "da 0 a 23, ad es. «alle 15:30» o «alle 03:30», oppure di' la parte del giorno (mattina, "
    "pomeriggio)",
    ("hu", "fél 3-kor"): "pk: „fél 3-kor” lehet 14:30 is, 02:30 is; írd 24 órás formában, pl. "
    "„14:30-kor” vagy „02:30-kor”, vagy add meg a napszakot (délelőtt, délután)",
    ("hu", "hétfő nov. 27."): "pk: „hétfő nov. 27.”: 2026. nov. 27. péntek, nem hétfő; add meg "
    "csak a dátumot, vagy javítsd",
    ("sv", "i natt"): "pk: ”natt” är inget tidsord jag känner till (i ”i natt”); prova t.ex. "
    "”om 2 timmar”, ”i morgon kl 10”, ”i morgon eftermiddag”, ”inom 2 arbetsdagar”, "
    "”fredag kl 15”, ”vid dagens slut” eller ”2026-12-01 14:00”",
    ("hu", "tegnap 10-kor"): "pk: „tegnap 10-kor” a múltban van (nov. 22., V 10:00, 23 ó "
    "ezelőtt); a határidőnek a jövőben kell lennie, pl. „2 óra múlva”, „holnap 10-kor”",
    ("hu", "holnap 3-kor"): "pk: „holnap 3-kor” lehet 03:00 is, 15:00 is; írd 24 órás "
    "formában, pl. „15-kor” vagy „03:00-kor”",
    ("hu", "április 31."): "pk: „április 31.” nem dátum (április 30 napos); pl. „ápr. 30.”",
    ("hu", "9"): "pk: „9” önmagában nem egyértelmű (időpont? a hónap egy napja?); írd pl. így: "
    "„9-kor”, „21-kor” vagy „dec. 9.”",
    ("sv", "i går"): "pk: ”i går” har redan varit (sön 22 nov. 17:00, för 16 h sedan); en "
    "deadline måste ligga framåt i tiden, t.ex. ”om 2 timmar”, ”i morgon kl 10”",
    ("sv", "kl 3"): "pk: ”kl 3” kan betyda både 03:00 och 15:00; skriv timmen med "
    "24-timmarsklocka, t.ex. ”kl 15” eller ”kl 03:00”",
    ("sv", "om 30 sekunder"): "pk: ”om 30 sekunder”: promisekeeper räknar hela minuter, inte "
    "sekunder; skriv t.ex. ”om 1 minut”",
    ("sv", "i morgon i övermorgon"): "pk: ”i morgon i övermorgon” anger två dagar; ange en, "
    "t.ex. ”fredag kl 15” eller ”24 dec kl 10.30”",
}


@pytest.mark.parametrize(("language", "phrase"), list(GOLDEN), ids=" ".join)
def test_refusals_read_as_a_native_writes_them(
    pk: Pk, files: Files, language: str, phrase: str
) -> None:
    assert pk("config", "set", "language", language).exit_code == 0
    result = pk("add", "Call back", "--due", phrase)
    assert result.exit_code == 2
    assert result.stderr.strip() == GOLDEN[(language, phrase)]
    assert db_content(files.db) == ([], [])


def test_the_locale_country_gives_its_holidays_and_says_so(pk: Pk) -> None:
    hungarian = {"LANG": "hu_HU.UTF-8"}
    shown = pk("config", env=hungarian).stdout
    assert 'business.country = ""  (alapértelmezett: HU, a területi beállításból)' in shown
    added = pk("add", "Visszahívás", "--due", "holnap", env=hungarian,
               now="2026-10-22T19:00:00+02:00")  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "okt. 23., P ünnepnap (Nemzeti ünnep)" in added.output


def test_the_locale_country_in_english_output(pk: Pk) -> None:
    assert pk("config", "set", "language", "en").exit_code == 0
    shown = pk("config", env={"LANG": "hu_HU.UTF-8"}).stdout
    assert 'business.country = ""  (default: HU from the locale)' in shown
    next_day = pk("add", "Call back", "--due", "nbd", env={"LANG": "hu_HU.UTF-8"},
                  now="2026-10-22T19:00:00+02:00")  # fmt: skip
    assert "Fri 23 Oct is a holiday (National Day)" in next_day.output


def test_an_english_locale_picks_no_holidays(pk: Pk) -> None:
    shown = pk("config", env={"LANG": "en_US.UTF-8"}).stdout
    assert 'business.country = ""  (default)' in shown
    added = pk("add", "Call back", "--due", "tomorrow", env={"LANG": "en_US.UTF-8"},
               now="2026-11-25T12:00:00+01:00")  # the day before Thanksgiving  # fmt: skip
    assert "holiday" not in added.output


def test_a_configured_country_wins_over_the_locale(pk: Pk) -> None:
    assert pk("config", "set", "business.country", "SE").exit_code == 0
    added = pk("add", "x", "--due", "holnap", env={"LANG": "hu_HU.UTF-8"},
               now="2026-10-22T19:00:00+02:00")  # fmt: skip
    assert added.exit_code == 0
    assert "ünnepnap" not in added.output


def test_the_installed_pk_speaks_the_locale(pk_process: Callable[..., Any]) -> None:
    result = pk_process("add", "Ring", "--due", "i går", env={"LANG": "sv_SE.UTF-8"})
    assert result.returncode == 2
    assert result.stderr.startswith("pk: ”i går” har redan varit")
    assert "Traceback" not in result.stderr
