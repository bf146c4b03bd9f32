"""What a new user found confusing in a simulated week: each case fails without its fix."""

from __future__ import annotations

from conftest import both_engines


@both_engines
def test_an_empty_list_as_of_another_moment_keeps_its_header(pk):
    assert pk("add", "x", "--due", "tomorrow 10am").exit_code == 0
    result = pk("list", "--at", "2h ago", "--overdue")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["0 promises as of Mon 23 Nov 07:30", "No promises match."]
