"""The agenda and the briefing are summaries, as Taskwarrior's `next` is: a screenful per
section, and a line saying how many more there are and which command lists them."""

from __future__ import annotations

import json
import uuid

import pytest

from promisekeeper.views.render import SCREENFUL


def _load(pk, tmp_path, *, overdue: int, today: int) -> None:
    """Promises due before the fixture's clock (Mon 23 Nov 2026 09:30) and later that day."""
    records = []
    for n in range(overdue + today):
        late = n < overdue
        due = f"2026-11-{20 if late else 23}T{10 + n // 60 % 10:02d}:{n % 60:02d}:00+00:00"
        records.append({"uuid": str(uuid.UUID(int=n + 1)), "what": f"{'late' if late else 'today'} {n}",
                        "due_at": due, "created_at": "2026-11-01T09:00:00+00:00"})
    path = tmp_path / "many.json"
    path.write_text(json.dumps({"promises": records}))
    assert pk("import", str(path)).exit_code == 0


def test_a_screenful_per_section_and_a_count_of_the_rest(pk, tmp_path):
    _load(pk, tmp_path, overdue=SCREENFUL + 3, today=SCREENFUL + 2)
    out = pk().stdout
    assert "Overdue (13):" in out and "Due today (12):" in out
    assert "… and 3 more (pk list --overdue)" in out and "… and 2 more (pk list --today)" in out
    listed = [line.split()[0] for line in out.splitlines() if line.startswith("#")]
    assert len(listed) == 2 * SCREENFUL  # no promise is due after today: no "Next up"
    assert "late 0" in out and "late 9" in out and "late 10" not in out  # the earliest are listed
    assert len(json.loads(pk("list", "--overdue", "--json").stdout)) == 13  # the list has them all


def test_no_count_line_when_the_screenful_holds_them_all(pk, tmp_path):
    _load(pk, tmp_path, overdue=SCREENFUL, today=1)
    out = pk().stdout
    assert "Overdue (10):" in out and "more (pk list" not in out


def test_the_briefing_is_the_same_summary(pk, tmp_path):
    _load(pk, tmp_path, overdue=SCREENFUL + 5, today=2)
    out = pk("brief").stdout
    assert "15 overdue, 2 due today" in out and "… and 5 more (pk list --overdue)" in out
    assert "late 10" not in out


def test_reminders_still_name_every_match(pk, tmp_path):
    _load(pk, tmp_path, overdue=SCREENFUL + 5, today=0)
    out = pk("remind", "--json").stdout
    assert len(json.loads(out)) == SCREENFUL + 5


@pytest.mark.parametrize(("language", "heading", "more"), [
    ("en", "Overdue (1,012):", "… and 1,002 more (pk list --overdue)"),
    ("it", "Scadute (1.012):", "… e altre 1.002 (pk list --overdue)"),
    ("hu", "(1\u00a0012):", "… és még 1\u00a0002 (pk list --overdue)"),
    ("sv", "(1\u00a0012):", "… och 1\u00a0002 till (pk list --overdue)"),
])
def test_the_count_reads_as_each_language_writes_numbers(pk, tmp_path, language, heading, more):
    _load(pk, tmp_path, overdue=1012, today=0)
    assert pk("config", "set", "language", language).exit_code == 0
    out = pk().stdout
    assert heading in out and more in out


def test_one_more_is_said_in_the_singular(pk, tmp_path):
    _load(pk, tmp_path, overdue=SCREENFUL + 1, today=0)
    assert pk("config", "set", "language", "it").exit_code == 0
    assert "… e un'altra (pk list --overdue)" in pk().stdout
