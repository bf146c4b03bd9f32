"""How refusals write the forms that work, in the active language: "in 3 hours",
"tra 3 ore", "3 óra múlva"; "23 dec", "dec. 23."; the advice for a bare number.

English forms are built here; other languages' from their vocabulary module (when_native),
so a suggestion reads in the language the refusal is written in, and parses in it.
"""

from __future__ import annotations

from promisekeeper.lang.i18n import _, active, pgettext
from promisekeeper.when.words import native as when_native
from promisekeeper.when.words.en import MONTH_NAMES, UNIT_NAMES, UNIT_SHORT, WEEKDAY_NAMES


def amount_example(
    parts: list[tuple[int, str]], *, explicit: bool, backwards: bool = False, short: bool = False
) -> str:
    """A length of time as a phrase in the active language: "in 3 hours", "tra 3 ore".

    English writes units short ("in 1m", "2h ago") when `short`; other languages in words.
    """
    book = when_native.vocabulary(active())
    if book is not None:
        return str(book.amount_phrase(parts, explicit=explicit, backwards=backwards))
    if short:
        words = "".join(f"{number}{UNIT_SHORT[unit]}" for number, unit in parts)
    else:
        words = " ".join(f"{number} {UNIT_NAMES[unit]}" for number, unit in parts)
    return f"{'in ' if explicit else ''}{words}{' ago' if backwards else ''}"


def date_example(day: int, month: int, year: int | None = None) -> str:
    """A date as a phrase in the active language: "23 dec", "dec. 23.", "23 dec 2027"."""
    book = when_native.vocabulary(active())
    if book is not None:
        return str(book.date_phrase(day, month, year))
    short = f"{day} {MONTH_NAMES[month - 1].lower()}"
    return f"{short} {year}" if year else short


def weekday_name(weekday: int) -> str:
    """A weekday's full name in the active language (Monday = 0): "Friday", "venerdì"."""
    book = when_native.vocabulary(active())
    if book is not None:
        return str(book.WEEKDAY_NAMES[weekday])
    return WEEKDAY_NAMES[weekday]


def number_advice(digits: str) -> str:
    """What to write instead of a bare number: a time, or a date, as the number allows."""
    if len(digits) > 2:
        return _("write a date like '2026-12-01' or a time like '14:00'")
    number = int(digits)
    fields = {
        "n": number,
        "nn": f"{number:02d}",
        "pm": number + 12,
        "date": date_example(number, 12),
    }
    if number == 0:
        return _("write e.g. '00:00' or 'midnight'")
    if number <= 6:  # in other languages "at 3" is as often 15:00 as 03:00
        # Translators: {pm} is the hour twelve hours later (15 for 3), for a 24-hour form.
        return pgettext(
            "an hour that may be afternoon", "write e.g. '{n}am', '{n}pm', '{nn}:00' or '{date}'"
        ).format(**fields)
    if number <= 11:
        # Translators: {pm} is the hour twelve hours later (21 for 9), for a 24-hour form.
        return _("write e.g. '{n}am', '{n}pm', '{nn}:00' or '{date}'").format(**fields)
    if number <= 23:
        return _("write e.g. '{n}:00' or '{date}'").format(**fields)
    if number <= 31:
        return _("write e.g. '{date}'").format(**fields)
    return _("write a date like '2026-12-01' or a time like '14:00'")

