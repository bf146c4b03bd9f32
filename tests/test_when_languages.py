"""The time language in Italian, Hungarian and Swedish, phrase by phrase, at fixed moments.

Each language is read at the same kinds of moment: a Monday morning, a Friday afternoon, the
evening before one of that country's public holidays (with its calendar), and the days
before both clock changes. Expected moments are the wall clock a reader can check, with the
zone's abbreviation, in the zone the phrase named, else in the local zone of that row's
`now`. Notes are fragments expected in one of the notes, in the language (it is active).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from promisekeeper.lang import i18n
from promisekeeper.when.calendar import BusinessCalendar
from promisekeeper.when.resolve import WhenError, parse, parse_deadline, parse_since

UTC = ZoneInfo("UTC")
DEFAULT = BusinessCalendar.default()


@dataclass(frozen=True)
class Now:
    """A fixed moment to read phrases at, with its local zone and business calendar."""

    wall: str
    zone: str
    calendar: BusinessCalendar = DEFAULT

    @property
    def at(self) -> datetime:
        return datetime.fromisoformat(self.wall).replace(tzinfo=ZoneInfo(self.zone)).astimezone(UTC)


@dataclass(frozen=True)
class Case:
    language: str
    now: Now
    phrase: str
    expected: str  # "%a %-d %b %Y %H:%M %Z" in `zone`, else in now.zone
    zone: str | None = None
    notes: tuple[str, ...] = ()
    since: bool = False  # read with parse_since (for --since/--until)

    def __str__(self) -> str:
        return f"{self.language} | {self.now.wall} | {self.phrase}"


def clocks(zone: str, eve: str, country: str) -> dict[str, Now]:
    """The moments every language is read at, in its zone."""
    return {
        "mon": Now("2026-11-23 09:30", zone),  # Monday morning
        "fri": Now("2026-11-27 15:40", zone),  # Friday afternoon
        "eve": Now(eve, zone, BusinessCalendar(country=country)),  # before a public holiday
        "spring": Now("2026-03-28 10:00", zone),  # clocks go forward on 29 Mar, 02:00 → 03:00
        "autumn": Now("2026-10-24 10:00", zone),  # clocks go back on 25 Oct, 03:00 → 02:00
    }


# Immacolata Concezione on Tue 8 Dec; a national holiday on Fri 23 Oct; Christmas Eve in Sweden.
IT = clocks("Europe/Rome", "2026-12-07 19:00", "IT")
HU = clocks("Europe/Budapest", "2026-10-22 19:00", "HU")
SV = clocks("Europe/Stockholm", "2026-12-23 19:00", "SE")


def cases(language: str, at: dict[str, Now], rows: list[tuple]) -> list[Case]:
    """Rows of (clock, phrase, expected[, zone][, notes…]); "since:" before a phrase reads it
    backward."""
    found = []
    for clock, phrase, expected, *rest in rows:
        zone = rest[0] if rest and "/" in rest[0] and " " not in rest[0] else None
        notes = tuple(rest[1:] if zone else rest)
        since = phrase.startswith("since:")
        found.append(
            Case(language, at[clock], phrase.removeprefix("since:"), expected, zone, notes, since)
        )
    return found


ITALIAN = cases("it", IT, [
    ("mon", "domani alle 10", "Tue 24 Nov 2026 10:00 CET"),
    ("mon", "DOMANI ALLE 10", "Tue 24 Nov 2026 10:00 CET"),
    ("mon", "domani 9:15", "Tue 24 Nov 2026 09:15 CET"),
    ("mon", "oggi alle 16:30", "Mon 23 Nov 2026 16:30 CET"),
    ("mon", "venerdì alle 15", "Fri 27 Nov 2026 15:00 CET"),
    ("mon", "venerdi alle 15", "Fri 27 Nov 2026 15:00 CET"),
    ("mon", "lunedì prossimo alle 9", "Mon 30 Nov 2026 09:00 CET"),
    ("mon", "prossimo lunedì alle 9", "Mon 30 Nov 2026 09:00 CET"),
    ("mon", "domenica prossima", "Sun 6 Dec 2026 17:00 CET", "dom 6 dic non è un giorno lavorativo"),
    ("mon", "questo venerdì", "Fri 27 Nov 2026 17:00 CET"),
    ("mon", "dopodomani", "Wed 25 Nov 2026 17:00 CET"),
    ("mon", "dopodomani alle 11", "Wed 25 Nov 2026 11:00 CET"),
    ("mon", "tra 2 ore", "Mon 23 Nov 2026 11:30 CET"),
    ("mon", "tra 30 minuti", "Mon 23 Nov 2026 10:00 CET"),
    ("mon", "fra 3 giorni", "Thu 26 Nov 2026 09:30 CET"),
    ("mon", "tra 3 giorni alle 10", "Thu 26 Nov 2026 10:00 CET"),
    ("mon", "tra due giorni", "Wed 25 Nov 2026 09:30 CET"),
    ("mon", "tra una settimana", "Mon 30 Nov 2026 09:30 CET"),
    ("mon", "tra un'ora", "Mon 23 Nov 2026 10:30 CET"),
    ("mon", "tra un’ora", "Mon 23 Nov 2026 10:30 CET"),
    ("mon", "tra mezz'ora", "Mon 23 Nov 2026 10:00 CET"),
    ("mon", "tra un quarto d'ora", "Mon 23 Nov 2026 09:45 CET"),
    ("mon", "tra un'ora e mezza", "Mon 23 Nov 2026 11:00 CET"),
    ("mon", "tra 2 ore e 30 minuti", "Mon 23 Nov 2026 12:00 CET"),
    ("mon", "tra 4 ore lavorative", "Mon 23 Nov 2026 13:30 CET"),
    ("mon", "tra 2 giorni lavorativi", "Wed 25 Nov 2026 09:30 CET"),
    ("mon", "prossimo giorno lavorativo", "Tue 24 Nov 2026 17:00 CET"),
    ("mon", "il prossimo giorno lavorativo alle 10", "Tue 24 Nov 2026 10:00 CET"),
    ("mon", "fine giornata", "Mon 23 Nov 2026 17:00 CET"),
    ("mon", "entro fine giornata", "Mon 23 Nov 2026 17:00 CET"),
    ("mon", "in giornata", "Mon 23 Nov 2026 17:00 CET"),
    ("mon", "entro venerdì", "Fri 27 Nov 2026 17:00 CET"),
    ("mon", "fine settimana", "Fri 27 Nov 2026 17:00 CET"),
    ("mon", "entro la fine del mese", "Mon 30 Nov 2026 17:00 CET"),
    ("mon", "fine mese", "Mon 30 Nov 2026 17:00 CET"),
    ("mon", "15 marzo alle 10", "Mon 15 Mar 2027 10:00 CET",
     "15 mar 2026 è già passato; si intende lun 15 mar 2027"),
    ("mon", "venerdì alle 15 America/New_York", "Fri 27 Nov 2026 15:00 EST", "America/New_York"),
    ("mon", "alle 3 del pomeriggio", "Mon 23 Nov 2026 15:00 CET"),
    ("mon", "alle 9 di sera", "Mon 23 Nov 2026 21:00 CET"),
    ("mon", "alle 10 di mattina", "Mon 23 Nov 2026 10:00 CET"),
    ("mon", "entro le 10.30", "Mon 23 Nov 2026 10:30 CET"),
    ("mon", "alle ore 15", "Mon 23 Nov 2026 15:00 CET"),
    ("mon", "ore 15:30", "Mon 23 Nov 2026 15:30 CET"),
    ("mon", "alle 14", "Mon 23 Nov 2026 14:00 CET"),
    ("mon", "alle 9", "Tue 24 Nov 2026 09:00 CET",
     "oggi le 09:00 sono già passate; si intende domani, mar 24 nov"),
    ("mon", "a mezzogiorno", "Mon 23 Nov 2026 12:00 CET"),
    ("mon", "domani a mezzogiorno", "Tue 24 Nov 2026 12:00 CET"),
    ("mon", "mezzanotte", "Tue 24 Nov 2026 00:00 CET"),
    ("mon", "venerdì a mezzanotte", "Sat 28 Nov 2026 00:00 CET"),
    ("mon", "stasera", "Mon 23 Nov 2026 20:00 CET"),
    ("mon", "stasera alle 21", "Mon 23 Nov 2026 21:00 CET"),
    ("mon", "mar", "Tue 24 Nov 2026 17:00 CET"),  # martedì, not March
    ("mon", "mar alle 9", "Tue 24 Nov 2026 09:00 CET"),
    ("mon", "15 mar", "Mon 15 Mar 2027 17:00 CET"),  # after a day number, marzo
    ("mon", "3 ago", "Tue 3 Aug 2027 17:00 CEST"),  # agosto
    ("mon", "il 1° dicembre", "Tue 1 Dec 2026 17:00 CET"),
    ("mon", "1 dic alle 14", "Tue 1 Dec 2026 14:00 CET"),
    ("mon", "24 dicembre 2026", "Thu 24 Dec 2026 17:00 CET"),
    ("mon", "15/12", "Tue 15 Dec 2026 17:00 CET"),  # day first
    ("mon", "15/12/2026 alle 10", "Tue 15 Dec 2026 10:00 CET"),
    ("mon", "ora", "Mon 23 Nov 2026 09:30 CET"),
    ("mon", "adesso", "Mon 23 Nov 2026 09:30 CET"),
    ("mon", "tomorrow 10am", "Tue 24 Nov 2026 10:00 CET"),  # English is always read
    ("mon", "in 2h", "Mon 23 Nov 2026 11:30 CET"),
    ("mon", "3d ago", "Fri 20 Nov 2026 09:30 CET"),
    ("fri", "tra 4 ore lavorative", "Mon 30 Nov 2026 11:40 CET"),
    ("fri", "fine giornata", "Fri 27 Nov 2026 17:00 CET"),
    ("fri", "venerdì", "Fri 27 Nov 2026 17:00 CET"),
    ("fri", "venerdì alle 15", "Fri 4 Dec 2026 15:00 CET",
     "ven 27 nov alle 15:00 è già passato; si intende ven 4 dic"),
    ("fri", "lunedì", "Mon 30 Nov 2026 17:00 CET"),
    ("fri", "prossimo giorno lavorativo", "Mon 30 Nov 2026 17:00 CET"),
    ("fri", "domani", "Sat 28 Nov 2026 17:00 CET", "sab 28 nov non è un giorno lavorativo"),
    ("eve", "domani", "Tue 8 Dec 2026 17:00 CET", "mar 8 dic è festivo (Immacolata Concezione)"),
    ("eve", "prossimo giorno lavorativo", "Wed 9 Dec 2026 17:00 CET", "è festivo"),
    ("eve", "fine giornata", "Wed 9 Dec 2026 17:00 CET",
     ("oggi l'orario di lavoro è finito alle 17:00; si intende la fine del prossimo giorno "
     "lavorativo, mer 9 dic")),
    ("eve", "tra 1 giorno lavorativo", "Wed 9 Dec 2026 17:00 CET"),
    ("eve", "tra 2 ore lavorative", "Wed 9 Dec 2026 11:00 CET"),
    ("spring", "domani alle 2:30", "Sun 29 Mar 2026 03:30 CEST",
     ("dom 29 mar 2026 le 02:30 non esistono nel fuso Europe/Rome (le lancette vanno avanti); "
     "spostato alle 03:30")),
    ("spring", "tra 1 giorno", "Sun 29 Mar 2026 10:00 CEST"),
    ("spring", "tra 24 ore", "Sun 29 Mar 2026 11:00 CEST"),
    ("autumn", "domani alle 2:30", "Sun 25 Oct 2026 02:30 CEST",
     "dom 25 ott 2026 le 02:30 ci sono due volte nel fuso Europe/Rome; si intende la prima (CEST)"),
    ("autumn", "tra 24 ore", "Sun 25 Oct 2026 09:00 CET"),
    ("autumn", "tra 1 giorno", "Sun 25 Oct 2026 10:00 CET"),
    ("mon", "since:ieri", "Sun 22 Nov 2026 00:00 CET"),
    ("mon", "since:l'altro ieri", "Sat 21 Nov 2026 00:00 CET"),
    ("mon", "since:2 giorni fa", "Sat 21 Nov 2026 09:30 CET"),
    ("mon", "since:la settimana scorsa", "Mon 16 Nov 2026 00:00 CET"),
    ("mon", "since:questo mese", "Sun 1 Nov 2026 00:00 CET"),
    ("mon", "since:il mese scorso", "Thu 1 Oct 2026 00:00 CEST"),
    ("mon", "since:l'anno scorso", "Wed 1 Jan 2025 00:00 CET"),
    ("mon", "since:lunedì", "Mon 23 Nov 2026 00:00 CET"),
    ("mon", "since:dal 1 novembre", "Sun 1 Nov 2026 00:00 CET"),
])  # fmt: skip

HUNGARIAN = cases("hu", HU, [
    ("mon", "holnap 10-kor", "Tue 24 Nov 2026 10:00 CET"),
    ("mon", "holnap 10:00", "Tue 24 Nov 2026 10:00 CET"),
    ("mon", "ma 16:30", "Mon 23 Nov 2026 16:30 CET"),
    ("mon", "péntek 15:00", "Fri 27 Nov 2026 15:00 CET"),
    ("mon", "pénteken 15 órakor", "Fri 27 Nov 2026 15:00 CET"),
    ("mon", "PÉNTEKEN 15 ÓRAKOR", "Fri 27 Nov 2026 15:00 CET"),
    ("mon", "penteken 15 orakor", "Fri 27 Nov 2026 15:00 CET"),
    ("mon", "csütörtökön 14:30-kor", "Thu 26 Nov 2026 14:30 CET"),
    ("mon", "szerdán 9-kor", "Wed 25 Nov 2026 09:00 CET"),
    ("mon", "kedd", "Tue 24 Nov 2026 17:00 CET"),
    ("mon", "jövő hétfő 9:00", "Mon 30 Nov 2026 09:00 CET"),
    ("mon", "jövő hétfőn 9-kor", "Mon 30 Nov 2026 09:00 CET"),
    ("mon", "jövő héten pénteken", "Fri 4 Dec 2026 17:00 CET"),
    ("mon", "holnapután", "Wed 25 Nov 2026 17:00 CET"),
    ("mon", "2 óra múlva", "Mon 23 Nov 2026 11:30 CET"),
    ("mon", "30 perc múlva", "Mon 23 Nov 2026 10:00 CET"),
    ("mon", "3 nap múlva", "Thu 26 Nov 2026 09:30 CET"),
    ("mon", "3 nap múlva 10-kor", "Thu 26 Nov 2026 10:00 CET"),
    ("mon", "egy óra múlva", "Mon 23 Nov 2026 10:30 CET"),
    ("mon", "fél óra múlva", "Mon 23 Nov 2026 10:00 CET"),
    ("mon", "negyed óra múlva", "Mon 23 Nov 2026 09:45 CET"),
    ("mon", "másfél óra múlva", "Mon 23 Nov 2026 11:00 CET"),
    ("mon", "2 óra 30 perc múlva", "Mon 23 Nov 2026 12:00 CET"),
    ("mon", "két nap múlva", "Wed 25 Nov 2026 09:30 CET"),
    ("mon", "egy hét múlva", "Mon 30 Nov 2026 09:30 CET"),
    ("mon", "hét nap múlva", "Mon 30 Nov 2026 09:30 CET"),  # hét: seven before a unit
    ("mon", "4 munkaóra múlva", "Mon 23 Nov 2026 13:30 CET"),
    ("mon", "2 munkanap múlva", "Wed 25 Nov 2026 09:30 CET"),
    ("mon", "következő munkanap", "Tue 24 Nov 2026 17:00 CET"),
    ("mon", "a következő munkanapon 10-kor", "Tue 24 Nov 2026 10:00 CET"),
    ("mon", "nap végéig", "Mon 23 Nov 2026 17:00 CET"),
    ("mon", "a nap végén", "Mon 23 Nov 2026 17:00 CET"),
    ("mon", "munkaidő végéig", "Mon 23 Nov 2026 17:00 CET"),
    ("mon", "a hét végéig", "Fri 27 Nov 2026 17:00 CET"),
    ("mon", "hónap végéig", "Mon 30 Nov 2026 17:00 CET"),
    ("mon", "hó végén", "Mon 30 Nov 2026 17:00 CET"),
    ("mon", "március 15. 10:00", "Mon 15 Mar 2027 10:00 CET",
     "2026. márc. 15. már elmúlt; helyette: 2027. márc. 15., H"),
    ("mon", "márc. 15-én 10-kor", "Mon 15 Mar 2027 10:00 CET"),
    ("mon", "2027. március 15.", "Mon 15 Mar 2027 17:00 CET"),
    ("mon", "december 24.", "Thu 24 Dec 2026 17:00 CET"),
    ("mon", "dec. 1. 14:00", "Tue 1 Dec 2026 14:00 CET"),
    ("mon", "12.01.", "Tue 1 Dec 2026 17:00 CET"),  # month first
    ("mon", "2026.12.01.", "Tue 1 Dec 2026 17:00 CET"),
    ("mon", "péntekig", "Fri 27 Nov 2026 17:00 CET"),
    ("mon", "holnapra", "Tue 24 Nov 2026 17:00 CET"),
    ("mon", "holnap 10-re", "Tue 24 Nov 2026 10:00 CET"),
    ("mon", "holnap 10 órára", "Tue 24 Nov 2026 10:00 CET"),
    ("mon", "10:30-ig", "Mon 23 Nov 2026 10:30 CET"),
    ("mon", "10.30-kor", "Mon 23 Nov 2026 10:30 CET"),
    ("mon", "délután 3-kor", "Mon 23 Nov 2026 15:00 CET"),
    ("mon", "este 8-kor", "Mon 23 Nov 2026 20:00 CET"),
    ("mon", "délelőtt 10-kor", "Mon 23 Nov 2026 10:00 CET"),
    ("mon", "reggel 8-kor", "Tue 24 Nov 2026 08:00 CET",
     "ma 08:00 már elmúlt; helyette holnap: nov. 24., K"),
    ("mon", "holnap délben", "Tue 24 Nov 2026 12:00 CET"),
    ("mon", "délig", "Mon 23 Nov 2026 12:00 CET"),
    ("mon", "éjfélig", "Tue 24 Nov 2026 00:00 CET"),
    ("mon", "péntek éjfélkor", "Sat 28 Nov 2026 00:00 CET"),
    ("mon", "ma este", "Mon 23 Nov 2026 20:00 CET"),
    ("mon", "most", "Mon 23 Nov 2026 09:30 CET"),
    ("mon", "péntek 15:00 America/New_York", "Fri 27 Nov 2026 15:00 EST", "America/New_York"),
    ("mon", "tomorrow 10am", "Tue 24 Nov 2026 10:00 CET"),  # English is always read
    ("fri", "4 munkaóra múlva", "Mon 30 Nov 2026 11:40 CET"),
    ("fri", "péntek", "Fri 27 Nov 2026 17:00 CET"),
    ("fri", "péntek 15:00", "Fri 4 Dec 2026 15:00 CET",
     "nov. 27., P 15:00 már elmúlt; helyette: dec. 4., P"),
    ("fri", "holnap", "Sat 28 Nov 2026 17:00 CET", "nov. 28., Szo nem munkanap"),
    ("fri", "következő munkanap", "Mon 30 Nov 2026 17:00 CET"),
    ("fri", "nap végéig", "Fri 27 Nov 2026 17:00 CET"),
    ("eve", "holnap", "Fri 23 Oct 2026 17:00 CEST",
     "okt. 23., P ünnepnap (Nemzeti ünnep)"),
    ("eve", "következő munkanap", "Mon 26 Oct 2026 17:00 CET", "ünnepnap"),
    ("eve", "nap végéig", "Mon 26 Oct 2026 17:00 CET",
     "a munkaidő ma 17:00-kor véget ért; helyette a következő munkanap vége: okt. 26., H"),
    ("eve", "1 munkanap múlva", "Mon 26 Oct 2026 17:00 CET"),
    ("eve", "a hét végéig", "Fri 30 Oct 2026 17:00 CET",
     "e hét utolsó munkanapja már elmúlt; helyette a jövő heti: okt. 30., P"),
    ("spring", "holnap 2:30", "Sun 29 Mar 2026 03:30 CEST",
     ("Europe/Budapest időzónában 2026. márc. 29., V 02:30 nem létezik (az órát előreállítják); "
     "helyette: 03:30")),
    ("spring", "1 nap múlva", "Sun 29 Mar 2026 10:00 CEST"),
    ("spring", "24 óra múlva", "Sun 29 Mar 2026 11:00 CEST"),
    ("autumn", "holnap 2:30", "Sun 25 Oct 2026 02:30 CEST", "kétszer fordul elő; az elsőt vettem"),
    ("autumn", "24 óra múlva", "Sun 25 Oct 2026 09:00 CET"),
    ("autumn", "1 nap múlva", "Sun 25 Oct 2026 10:00 CET"),
    ("mon", "since:tegnap", "Sun 22 Nov 2026 00:00 CET"),
    ("mon", "since:tegnapelőtt", "Sat 21 Nov 2026 00:00 CET"),
    ("mon", "since:3 napja", "Fri 20 Nov 2026 09:30 CET"),
    ("mon", "since:2 hete", "Mon 9 Nov 2026 09:30 CET"),
    ("mon", "since:2 órával ezelőtt", "Mon 23 Nov 2026 07:30 CET"),
    ("mon", "since:múlt héten", "Mon 16 Nov 2026 00:00 CET"),
    ("mon", "since:ebben a hónapban", "Sun 1 Nov 2026 00:00 CET"),
    ("mon", "since:tavaly", "Wed 1 Jan 2025 00:00 CET"),
    ("mon", "since:hétfő", "Mon 23 Nov 2026 00:00 CET"),
])  # fmt: skip

SWEDISH = cases("sv", SV, [
    ("mon", "i morgon kl 10", "Tue 24 Nov 2026 10:00 CET"),
    ("mon", "imorgon kl. 10", "Tue 24 Nov 2026 10:00 CET"),
    ("mon", "I MORGON KL 10", "Tue 24 Nov 2026 10:00 CET"),
    ("mon", "i morgon kl 9.15", "Tue 24 Nov 2026 09:15 CET"),
    ("mon", "i morgon 10:00", "Tue 24 Nov 2026 10:00 CET"),
    ("mon", "i dag kl 16:30", "Mon 23 Nov 2026 16:30 CET"),
    ("mon", "idag kl 16.30", "Mon 23 Nov 2026 16:30 CET"),
    ("mon", "fredag kl 15", "Fri 27 Nov 2026 15:00 CET"),
    ("mon", "torsdag kl 14.30", "Thu 26 Nov 2026 14:30 CET"),
    ("mon", "ons kl 9", "Wed 25 Nov 2026 09:00 CET"),
    ("mon", "tis", "Tue 24 Nov 2026 17:00 CET"),
    ("mon", "mån", "Mon 23 Nov 2026 17:00 CET"),
    ("mon", "nästa måndag kl 9", "Mon 30 Nov 2026 09:00 CET"),
    ("mon", "nasta mandag kl 9", "Mon 30 Nov 2026 09:00 CET"),
    ("mon", "nästa fredag kl 10", "Fri 4 Dec 2026 10:00 CET"),
    ("mon", "fredag nästa vecka", "Fri 4 Dec 2026 17:00 CET"),
    ("mon", "på fredag", "Fri 27 Nov 2026 17:00 CET"),
    ("mon", "senast fredag kl 15", "Fri 27 Nov 2026 15:00 CET"),
    ("mon", "i övermorgon", "Wed 25 Nov 2026 17:00 CET"),
    ("mon", "övermorgon kl 11", "Wed 25 Nov 2026 11:00 CET"),
    ("mon", "om 2 timmar", "Mon 23 Nov 2026 11:30 CET"),
    ("mon", "Om 2 Timmar", "Mon 23 Nov 2026 11:30 CET"),
    ("mon", "om 30 minuter", "Mon 23 Nov 2026 10:00 CET"),
    ("mon", "om 3 dagar", "Thu 26 Nov 2026 09:30 CET"),
    ("mon", "om 3 dagar kl 10", "Thu 26 Nov 2026 10:00 CET"),
    ("mon", "om två dagar", "Wed 25 Nov 2026 09:30 CET"),
    ("mon", "om en vecka", "Mon 30 Nov 2026 09:30 CET"),
    ("mon", "om 2 veckor", "Mon 7 Dec 2026 09:30 CET"),
    ("mon", "om 1 dygn", "Tue 24 Nov 2026 09:30 CET"),
    ("mon", "om en timme", "Mon 23 Nov 2026 10:30 CET"),
    ("mon", "om en halvtimme", "Mon 23 Nov 2026 10:00 CET"),
    ("mon", "om en kvart", "Mon 23 Nov 2026 09:45 CET"),
    ("mon", "om tre kvart", "Mon 23 Nov 2026 10:15 CET"),
    ("mon", "om en och en halv timme", "Mon 23 Nov 2026 11:00 CET"),
    ("mon", "om 2 timmar och 30 minuter", "Mon 23 Nov 2026 12:00 CET"),
    ("mon", "om 4 arbetstimmar", "Mon 23 Nov 2026 13:30 CET"),
    ("mon", "om 2 arbetsdagar", "Wed 25 Nov 2026 09:30 CET"),
    ("mon", "nästa arbetsdag", "Tue 24 Nov 2026 17:00 CET"),
    ("mon", "vid dagens slut", "Mon 23 Nov 2026 17:00 CET"),
    ("mon", "innan arbetsdagens slut", "Mon 23 Nov 2026 17:00 CET"),
    ("mon", "i slutet av veckan", "Fri 27 Nov 2026 17:00 CET"),
    ("mon", "i slutet av månaden", "Mon 30 Nov 2026 17:00 CET"),
    ("mon", "15 mars kl 10", "Mon 15 Mar 2027 10:00 CET",
     "15 mars 2026 har redan passerat; använder mån 15 mars 2027"),
    ("mon", "den 15:e mars", "Mon 15 Mar 2027 17:00 CET"),
    ("mon", "1:a december", "Tue 1 Dec 2026 17:00 CET"),
    ("mon", "den 24 december 2026", "Thu 24 Dec 2026 17:00 CET"),
    ("mon", "15/12", "Tue 15 Dec 2026 17:00 CET"),  # day first
    ("mon", "kl 3 på eftermiddagen", "Mon 23 Nov 2026 15:00 CET"),
    ("mon", "kl 8 på kvällen", "Mon 23 Nov 2026 20:00 CET"),
    ("mon", "klockan 10 på förmiddagen", "Mon 23 Nov 2026 10:00 CET"),
    ("mon", "klockan 14", "Mon 23 Nov 2026 14:00 CET"),
    ("mon", "kl 12", "Mon 23 Nov 2026 12:00 CET"),
    ("mon", "till kl 16", "Mon 23 Nov 2026 16:00 CET"),
    ("mon", "klockan 9", "Tue 24 Nov 2026 09:00 CET",
     "09:00 har redan passerat i dag; använder i morgon, tis 24 nov."),
    ("mon", "i kväll", "Mon 23 Nov 2026 20:00 CET"),
    ("mon", "ikväll kl 21", "Mon 23 Nov 2026 21:00 CET"),
    ("mon", "midnatt", "Tue 24 Nov 2026 00:00 CET"),
    ("mon", "fredag vid midnatt", "Sat 28 Nov 2026 00:00 CET"),
    ("mon", "nu", "Mon 23 Nov 2026 09:30 CET"),
    ("mon", "i morgon kl 10 Europe/Rome", "Tue 24 Nov 2026 10:00 CET", "Europe/Rome"),
    ("mon", "fredag kl 15 America/New_York", "Fri 27 Nov 2026 15:00 EST", "America/New_York"),
    ("mon", "tomorrow 10am", "Tue 24 Nov 2026 10:00 CET"),  # English is always read
    ("fri", "om 4 arbetstimmar", "Mon 30 Nov 2026 11:40 CET"),
    ("fri", "fredag", "Fri 27 Nov 2026 17:00 CET"),
    ("fri", "fredag kl 15", "Fri 4 Dec 2026 15:00 CET",
     "fre 27 nov. kl. 15:00 har redan passerat; använder fre 4 dec."),
    ("fri", "i morgon", "Sat 28 Nov 2026 17:00 CET", "lör 28 nov. är ingen arbetsdag"),
    ("fri", "nästa arbetsdag", "Mon 30 Nov 2026 17:00 CET"),
    ("fri", "vid dagens slut", "Fri 27 Nov 2026 17:00 CET"),
    ("eve", "i morgon", "Thu 24 Dec 2026 17:00 CET", "tors 24 dec. är en helgdag (Julafton)"),
    ("eve", "nästa arbetsdag", "Mon 28 Dec 2026 17:00 CET", "Juldagen"),
    ("eve", "vid dagens slut", "Mon 28 Dec 2026 17:00 CET",
     "arbetsdagen slutade kl. 17:00 i dag; använder slutet av nästa arbetsdag, mån 28 dec."),
    ("eve", "om 1 arbetsdag", "Mon 28 Dec 2026 17:00 CET"),
    ("eve", "om 2 arbetstimmar", "Mon 28 Dec 2026 11:00 CET"),
    ("spring", "i morgon kl 2.30", "Sun 29 Mar 2026 03:30 CEST",
     ("02:30 finns inte sön 29 mars 2026 i Europe/Stockholm (klockan ställs fram); "
     "flyttad till 03:30")),
    ("spring", "om 1 dag", "Sun 29 Mar 2026 10:00 CEST"),
    ("spring", "om 24 timmar", "Sun 29 Mar 2026 11:00 CEST"),
    ("autumn", "i morgon kl 2.30", "Sun 25 Oct 2026 02:30 CEST",
     "02:30 inträffar två gånger sön 25 okt. 2026 i Europe/Stockholm; använder den första (CEST)"),
    ("autumn", "om 24 timmar", "Sun 25 Oct 2026 09:00 CET"),
    ("autumn", "om 1 dag", "Sun 25 Oct 2026 10:00 CET"),
    ("mon", "since:i går", "Sun 22 Nov 2026 00:00 CET"),
    ("mon", "since:igår", "Sun 22 Nov 2026 00:00 CET"),
    ("mon", "since:i förrgår", "Sat 21 Nov 2026 00:00 CET"),
    ("mon", "since:för 2 dagar sedan", "Sat 21 Nov 2026 09:30 CET"),
    ("mon", "since:2 timmar sedan", "Mon 23 Nov 2026 07:30 CET"),
    ("mon", "since:för 2 veckor sedan", "Mon 9 Nov 2026 09:30 CET"),
    ("mon", "since:förra veckan", "Mon 16 Nov 2026 00:00 CET"),
    ("mon", "since:den här månaden", "Sun 1 Nov 2026 00:00 CET"),
    ("mon", "since:förra året", "Wed 1 Jan 2025 00:00 CET"),
    ("mon", "since:måndag", "Mon 23 Nov 2026 00:00 CET"),
])  # fmt: skip

CASES = ITALIAN + HUNGARIAN + SWEDISH


@pytest.fixture
def speaking() -> Iterator[None]:
    yield
    i18n.activate("en")


def moment_text(at: datetime, zone: str) -> str:
    local = at.astimezone(ZoneInfo(zone))
    return f"{local:%a} {local.day} {local:%b %Y %H:%M %Z}"


@pytest.mark.parametrize("case", CASES, ids=str)
def test_phrase_resolves(case: Case, speaking: None) -> None:
    i18n.activate(case.language)
    reader = parse_since if case.since else parse
    resolved = reader(
        case.phrase,
        now=case.now.at,
        zone=ZoneInfo(case.now.zone),
        calendar=case.now.calendar,
        language=case.language,
    )
    assert moment_text(resolved.at, case.zone or case.now.zone) == case.expected
    assert resolved.zone == case.zone
    for fragment in case.notes:
        assert any(fragment in note for note in resolved.notes), resolved.notes


@pytest.mark.parametrize("language", ["it", "hu", "sv"])
def test_at_least_sixty_phrases_per_language(language: str) -> None:
    assert len({case.phrase for case in CASES if case.language == language}) >= 60


# Deadlines that must be refused in every language: the past, impossible dates, guesses.
REFUSED = [
    ("it", "ieri"), ("it", "ieri alle 10"), ("it", "2 ore fa"), ("it", "31 aprile"),
    ("it", "30 febbraio 2027"), ("it", "alle 3"), ("it", "domani alle 25"),
    ("hu", "tegnap"), ("hu", "tegnap 10-kor"), ("hu", "3 napja"), ("hu", "április 31."),
    ("hu", "2027. február 30."), ("hu", "holnap 3-kor"), ("hu", "holnap 25-kor"),
    ("sv", "i går"), ("sv", "i går kl 10"), ("sv", "för 2 timmar sedan"), ("sv", "31 april"),
    ("sv", "30 februari 2027"), ("sv", "kl 3"), ("sv", "i morgon kl 25"),
]  # fmt: skip


@pytest.mark.parametrize(("language", "phrase"), REFUSED, ids=" ".join)
def test_deadline_refused(language: str, phrase: str, speaking: None) -> None:
    i18n.activate(language)
    now = {"it": IT, "hu": HU, "sv": SV}[language]["mon"]
    with pytest.raises(WhenError) as refused:
        parse_deadline(
            phrase, now=now.at, zone=ZoneInfo(now.zone), calendar=DEFAULT, language=language
        )
    assert "\n" not in str(refused.value)


def test_a_calendar_without_business_days_is_refused_in_the_language(speaking: None) -> None:
    start = datetime(2026, 11, 23).date()
    closed = BusinessCalendar(listed_holidays=frozenset(
        start.fromordinal(start.toordinal() + n) for n in range(3700)
    ))  # fmt: skip
    i18n.activate("it")
    with pytest.raises(WhenError) as refused:
        parse("prossimo giorno lavorativo", now=IT["mon"].at, zone=ZoneInfo("Europe/Rome"),
              calendar=closed, language="it")  # fmt: skip
    assert str(refused.value) == (
        "«prossimo giorno lavorativo»: il calendario lavorativo non ha giorni lavorativi entro "
        "dieci anni; controlla business.days e business.holidays"
    )


@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_rule_skipped_for_lack_of_its_fragments_would_not_have_matched(case: Case) -> None:
    """Rules run only when the phrase has a fragment they name (to spare compiling them);
    applying every rule regardless reads every phrase of the table the same."""
    from promisekeeper.when.words import native as when_native

    lexicon = when_native.lexicon(case.language)
    assert lexicon is not None
    text = case.phrase.removesuffix(f" {case.zone}") if case.zone else case.phrase
    line = lexicon.prepared(text)
    for each in lexicon.rules:
        line = each.pattern.sub(each.replacement, line)
    everything = lexicon.word_pattern.sub(lambda match: lexicon.words[match.group(0)], line)
    assert lexicon.canonical(text) == everything
