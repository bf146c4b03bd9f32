"""What a new user found confusing in a simulated week: each case fails without its fix."""

from __future__ import annotations

from conftest import both_engines


@both_engines
def test_an_empty_list_as_of_another_moment_keeps_its_header(pk):
    assert pk("add", "x", "--due", "tomorrow 10am").exit_code == 0
    result = pk("list", "--at", "2h ago", "--overdue")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["0 promises as of Mon 23 Nov 07:30", "No promises match."]


def test_a_csv_import_says_the_history_stayed_behind(pk, tmp_path):
    assert pk("add", "Call Bo", "--due", "tomorrow 10am").exit_code == 0
    assert pk("reschedule", "1", "fri 10am", "--reason", "vendor").exit_code == 0
    csv_file, json_file = tmp_path / "out.csv", tmp_path / "out.json"
    assert pk("export", "-f", "csv", "-o", str(csv_file)).exit_code == 0
    assert pk("export", "-o", str(json_file)).exit_code == 0
    elsewhere = {"PROMISEKEEPER_DB": str(tmp_path / "elsewhere.db")}
    result = pk("import", str(csv_file), env=elsewhere)
    assert result.exit_code == 0
    assert result.stdout == "Imported 1 promise from out.csv; history is not in CSV: use JSON to move it\n"
    other = {"PROMISEKEEPER_DB": str(tmp_path / "third.db")}
    assert "history" not in pk("import", str(json_file), env=other).stdout


def test_the_export_help_says_csv_carries_no_history(pk):
    text = " ".join(pk("export", "--help").stdout.split())
    assert "Only JSON carries the history" in text and "csv (promises only" in text
