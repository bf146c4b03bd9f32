"""The years pk accepts, 1970 to 2200 (UTC), as epoch seconds.

No imports: the prompt's fast path checks a PROMISEKEEPER_NOW=@EPOCH against them, and
`limits` builds every other check on them.
"""

FIRST_YEAR, LAST_YEAR = 1970, 2200
EARLIEST_S = 0  # 1970-01-01T00:00:00Z
LATEST_S = 7_289_654_399  # 2200-12-31T23:59:59Z


def clamped(seconds: int | float) -> int:
    """A stored moment brought within range, for reading a database an older pk wrote
    without these limits (`pk db check` reports such values)."""
    return int(min(max(seconds, EARLIEST_S), LATEST_S))
