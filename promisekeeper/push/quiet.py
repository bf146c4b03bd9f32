"""Quiet hours (`notify.quiet = "20:00-07:00"`): pushes wait until they end, on the owner's clock."""

from __future__ import annotations

from datetime import datetime, time, tzinfo


def is_quiet(spec: str, *, now: datetime, zone: tzinfo) -> bool:
    """Whether `now` falls in the quiet hours `spec` ("HH:MM-HH:MM", may run past midnight;
    "" means never). The start is quiet, the end is not."""
    if not spec:
        return False
    start_text, _, end_text = spec.partition("-")
    start, end = time.fromisoformat(start_text), time.fromisoformat(end_text)
    local = now.astimezone(zone).time().replace(tzinfo=None)
    if start < end:
        return start <= local < end
    return local >= start or local < end
