"""The time language's contracts hold in Italian, Hungarian and Swedish too: any text gives a
moment or a one-line WhenError, and every form a refusal suggests (in the language's own
quotation marks, after its "e.g.") reads in the same place."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from promisekeeper.lang import i18n
from promisekeeper.when.calendar import BusinessCalendar
from promisekeeper.when.resolve import WhenError, parse, parse_deadline, parse_duration, parse_since
from promisekeeper.when.words import native as when_native

UTC = UTC
ZONES = [ZoneInfo(name) for name in ("Europe/Rome", "Europe/Budapest", "Europe/Stockholm")]
CALENDARS = [
    BusinessCalendar.default(),
    BusinessCalendar(workdays=frozenset({6}), start=time(23), end=time(23, 59)),
    BusinessCalendar(
        listed_holidays=frozenset(date(2026, 1, 1) + timedelta(days=n) for n in range(0, 400, 2))
    ),
]
nows = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
).map(lambda at: at.replace(microsecond=0))

# Words each language reads, and some it does not, to build phrases from.
COMMON = ["1", "3", "9", "12", "15", "24", "31", "2026", "0", "25:00", "10:30", "16.30", "3pm",
          "2h", "2026-12-01", "12/01", "24.12.2026", "1,5", "Europe/Rome", "est", "in", "ago",
          "tomorrow", "fri", "months", "thirteen", "-", "."]  # fmt: skip
VOCABULARY = {
    "it": COMMON + "domani oggi ieri dopodomani stasera ora adesso alle le ore all'una tra fra fa "
    "minuti ore giorni settimane mesi anni secondi lavorative lavorativi giorno lavorativo "
    "prossimo prossima scorsa scorso questo questa settimana mese anno fine giornata entro il "
    "venerdì lunedì mar marzo 15 ago dicembre mezzogiorno mezzanotte del pomeriggio di sera "
    "mattina un una mezz'ora quarto e mezza due tre dodici tredici".split(),
    "hu": COMMON + "holnap ma tegnap holnapután tegnapelőtt most este reggel délután délelőtt "
    "10-kor 3-kor 15:00-ig 10-re órakor óráig múlva ezelőtt napja órája hete perc óra nap hét "
    "munkaóra munkanap hónap év következő jövő múlt ezen a héten hétfő pénteken péntekig "
    "kedden március márc. 15. 15-én dec. végéig végén dél éjfél egy két hét fél negyed másfél "
    "idén tavaly".split(),
    "sv": COMMON + "i morgon imorgon idag i dag går övermorgon förrgår kväll nu kl kl. klockan "
    "om för sedan minuter timmar timme dagar dag veckor vecka månader år arbetstimmar "
    "arbetsdagar nästa förra denna den här veckan månaden året slutet av dagens slut vid på "
    "fredag måndag mån tis mars 15:e 1:a december midnatt eftermiddagen kvällen morgonen en "
    "ett två tolv tretton halvtimme kvart och senast".split(),
}
FAST = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def phrases(language: str) -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(max_size=30),
        st.lists(st.sampled_from(VOCABULARY[language]), min_size=1, max_size=5).map(" ".join),
    )


@st.composite
def readings(draw: st.DrawFn) -> tuple[str, str, datetime, ZoneInfo, BusinessCalendar]:
    language = draw(st.sampled_from(["it", "hu", "sv"]))
    return (
        language,
        draw(phrases(language)),
        draw(nows),
        draw(st.sampled_from(ZONES)),
        draw(st.sampled_from(CALENDARS)),
    )


def speaking(language: str, check: Callable[[], None]) -> None:
    i18n.activate(language)
    try:
        check()
    finally:
        i18n.activate("en")


@FAST
@given(reading=readings())
def test_any_text_gives_a_moment_or_a_when_error(
    reading: tuple[str, str, datetime, ZoneInfo, BusinessCalendar],
) -> None:
    language, text, now, zone, calendar = reading

    def check() -> None:
        for reader in (parse, parse_deadline, parse_since):
            try:
                resolved = reader(text, now=now, zone=zone, calendar=calendar, language=language)
            except WhenError as error:
                assert str(error) and "\n" not in str(error)
            else:
                assert resolved.at.utcoffset() == timedelta(0)
        with contextlib.suppress(WhenError):
            parse_duration(text, language=language)

    speaking(language, check)


# How each language quotes a form and introduces examples; the "for --since" aside of a
# deadline refusal names forms for --since, which are left out as in the English property.
QUOTES = {"it": r"«([^»]+)»", "hu": r"„([^”]+)”", "sv": r"”([^”]+)”"}
MARKERS = {"it": ("ad es.", "prova "), "hu": ("pl.", "próbáld"), "sv": ("t.ex.", "prova ")}
SINCE_ASIDE = {"it": "(per --since)", "hu": "(--since esetén)", "sv": "(för --since)"}


def suggested_forms(language: str, message: str, text: str) -> list[str]:
    """The quoted forms a refusal offers after its "e.g.", except those built from the words
    typed (the phrase itself, or a number typed, as in the English property)."""
    message = message.split(SINCE_ASIDE[language])[0]
    starts = [i for i in (message.find(marker) for marker in MARKERS[language]) if i >= 0]
    if not starts:
        return []
    typed = set(re.split(r"[\s,]+", when_native.fold(text)))
    forms = re.findall(QUOTES[language], message[min(starts) :])
    return [form for form in forms if not typed & set(when_native.fold(form).split())]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reading=readings())
def test_refusals_suggest_forms_that_work(
    reading: tuple[str, str, datetime, ZoneInfo, BusinessCalendar],
) -> None:
    language, text, now, zone, calendar = reading
    if any(mark in text for mark in "'«»„”\"") or any(m in text for m in MARKERS[language]):
        return  # quotes or markers of its own would confuse suggested_forms

    def check() -> None:
        for reader in (parse, parse_since):
            try:
                reader(text, now=now, zone=zone, calendar=calendar, language=language)
            except WhenError as error:
                for form in suggested_forms(language, str(error), text):
                    try:
                        reader(form, now=now, zone=zone, calendar=calendar, language=language)
                    except WhenError as failed:
                        raise AssertionError(f"{reader.__name__}({text!r}): {error}; {failed}") from None

    speaking(language, check)


# Every suggestion in the catalogues, whatever phrase leads to it, reads in its language.
EVERY_REFUSAL = {
    "it": ["tra", "alle 3", "9", "3", "12", "15", "31", "0", "abc", "domani ieri", "alle 25",
           "31 aprile", "tra un mese", "un anno fa", "tra 30 secondi", "tra 1,5 ore", "12/13",
           "dic", "prossimo", "tra 2 ore lavorative fa", "alle 13pm", "tra 2 ore alle 10",
           "stasera", "fra 2 giorni lavorativi e 3 ore", "ora 2026-12-01T14:00+01:00",
           "fine giornata", "tra tredici ore"],
    "hu": ["múlva", "3-kor", "9", "3", "12", "15", "31", "0", "abc", "holnap tegnap", "25-kor",
           "április 31.", "egy hónap múlva", "egy éve", "30 másodperc múlva", "1,5 óra múlva",
           "dec.", "jövő", "2 óra múlva 10-kor", "13pm", "ma este", "nap végéig", "2 munkanapja"],
    "sv": ["om", "kl 3", "9", "3", "12", "15", "31", "0", "abc", "i morgon i går", "kl 25",
           "31 april", "om en månad", "för ett år sedan", "om 30 sekunder", "om 1,5 timmar",
           "dec", "nästa", "om 2 timmar kl 10", "13pm", "i kväll", "vid dagens slut",
           "om tretton timmar"],
}  # fmt: skip


@FAST
@given(data=st.data(), now=nows)
def test_every_refusal_in_the_catalogue_suggests_forms_that_work(
    data: st.DataObject, now: datetime
) -> None:
    language = data.draw(st.sampled_from(["it", "hu", "sv"]))
    text = data.draw(st.sampled_from(EVERY_REFUSAL[language]))
    zone, calendar = ZONES[0], CALENDARS[0]

    def check() -> None:
        for reader in (parse, parse_since):
            try:
                reader(text, now=now, zone=zone, calendar=calendar, language=language)
            except WhenError as error:
                for form in offered(language, str(error)):
                    try:
                        reader(form, now=now, zone=zone, calendar=calendar, language=language)
                    except WhenError as failed:
                        raise AssertionError(f"{reader.__name__}({text!r}): {error}; {failed}") from None

    speaking(language, check)


def offered(language: str, message: str) -> list[str]:
    """Every quoted form after the refusal's "e.g." (before its --since aside)."""
    message = message.split(SINCE_ASIDE[language])[0]
    starts = [i for i in (message.find(marker) for marker in MARKERS[language]) if i >= 0]
    return re.findall(QUOTES[language], message[min(starts) :]) if starts else []
