"""Time zone names as people type them: exact IANA keys, any case, and a close match."""

from __future__ import annotations

from datetime import tzinfo
from functools import lru_cache

# Abbreviations people type for zones; most are ambiguous (IST) or wrong half the year (EST).
ABBREVIATIONS = {
    "est": "America/New_York",
    "edt": "America/New_York",
    "et": "America/New_York",
    "cst": "America/Chicago",
    "cdt": "America/Chicago",
    "mst": "America/Denver",
    "mdt": "America/Denver",
    "pst": "America/Los_Angeles",
    "pdt": "America/Los_Angeles",
    "pt": "America/Los_Angeles",
    "cet": "Europe/Paris",
    "cest": "Europe/Paris",
    "bst": "Europe/London",
    "ist": "Asia/Kolkata",
    "jst": "Asia/Tokyo",
    "aest": "Australia/Sydney",
    "aedt": "Australia/Sydney",
}


@lru_cache(maxsize=64)
def canonical(name: str) -> str | None:
    """The IANA key for a zone name, matched exactly, then ignoring case; None if unknown."""
    if _exists(name):
        return name
    return _by_lower_name().get(name.lower())


def closest(name: str) -> str | None:
    """The known zone most like a mistyped name ("America/New_Yrok"), if any is close."""
    import difflib

    by_lower = _by_lower_name()
    close = difflib.get_close_matches(name.lower(), by_lower, n=1, cutoff=0.75)
    return by_lower[close[0]] if close else None


def zone(name: str | None) -> tzinfo | None:
    """The zone an IANA key names, or None for no key or one that names no zone."""
    if not name:
        return None
    from zoneinfo import ZoneInfo

    try:
        return ZoneInfo(name)
    except Exception:  # ZoneInfoNotFoundError, ValueError, IsADirectoryError, …: not a zone
        return None


def _exists(name: str) -> bool:
    return zone(name) is not None


_lower_names: dict[str, str] = {}


def _by_lower_name() -> dict[str, str]:
    # Listing every zone costs ~30 ms, so only a zone typed in the wrong case pays it.
    if not _lower_names:
        from zoneinfo import available_timezones

        _lower_names.update({name.lower(): name for name in available_timezones()})
    return _lower_names
