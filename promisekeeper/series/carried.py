"""A series as a file carries it (`pk export`, `pk import`): plain values, standard library only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class CarriedSeries:
    """The series a check-in of an export belongs to, and the check-in's slot in it."""

    uuid: str
    rule: str
    zone: str
    start_at: datetime
    first_slot: int
    until_at: datetime | None
    after_done: bool
    created_at: datetime
    ended_at: datetime | None
    slot: int
    tell: bool | None = None  # its check-ins tell the customer unasked (True), never unasked (False)
