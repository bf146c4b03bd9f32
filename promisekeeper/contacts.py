"""A promise's contacts read as what they are: an email address or a phone number.

A promise may carry two (`--contact` given twice: a phone and an email); notices go to the
email one. Standard library only.
"""

from __future__ import annotations

import re

# Deliberately plain: one '@', something before it, a dotted domain after, no blanks or
# header-breaking characters. Whether the mailbox exists is the server's to say.
_EMAIL = re.compile(r"[^@\s<>,;:\"()\[\]\\]+@[A-Za-z0-9\u00a0-\uffff-]+(\.[A-Za-z0-9\u00a0-\uffff-]+)+")


def is_email(text: str | None) -> bool:
    """Whether a contact is an email address ("eva@example.com")."""
    return bool(text) and _EMAIL.fullmatch(str(text).strip()) is not None


def email_of(*contacts: str | None) -> str | None:
    """The first contact that is an email address, or None."""
    return next((c.strip() for c in contacts if c and is_email(c)), None)


def merged(current: tuple[str | None, str | None], given: list[str]) -> tuple[str | None, str | None]:
    """The two contacts after an edit gives `given` (one or two values; "" clears both).

    Two values replace both. One value replaces the stored contact of its own kind (an
    email the email, a phone the phone), else fills the empty place, else the first.
    """
    values = [value.strip() for value in given]
    if len(values) >= 2:
        return values[0] or None, values[1] or None
    if not values or not values[0]:
        return None, None
    value = values[0]
    first, second = current
    for place, stored in enumerate((first, second)):
        if stored and is_email(stored) == is_email(value):
            return (value, second) if place == 0 else (first, value)
    if not first:
        return value, second
    if not second:
        return first, value
    return value, second
