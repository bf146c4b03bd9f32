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


def _write_config(files, text: str) -> None:
    files.config.write_text(text)


def test_a_broken_setting_can_be_repaired_with_set(pk, files):
    _write_config(files, '[remind]\nlead = "-5m"\n')
    assert pk("list").exit_code == 2  # every other command still refuses it, saying where
    result = pk("config", "set", "remind.lead", "30m")
    assert (result.exit_code, result.stdout) == (0, "remind.lead = 30m\n")
    assert pk("config", "get", "remind.lead").stdout == "30m\n"


def test_a_broken_setting_can_be_repaired_with_unset(pk, files):
    _write_config(files, '[remind]\nlead = "-5m"\n')
    assert pk("config", "unset", "remind.lead").exit_code == 0
    assert pk("config", "get", "remind.lead").stdout == "15m\n"


def test_another_broken_setting_is_still_refused_by_set(pk, files):
    _write_config(files, '[remind]\nlead = "-5m"\n')
    result = pk("config", "set", "owner", "Ann")
    assert result.exit_code == 2 and "remind.lead" in result.stderr and "fix or remove it" in result.stderr


def test_config_lists_a_broken_setting_and_how_to_repair_it(pk, files):
    _write_config(files, '[remind]\nlead = "-5m"\n')
    result = pk("config")
    assert result.exit_code == 0
    [line] = [line for line in result.stdout.splitlines() if line.startswith("remind.lead")]
    assert "-5m" in line and "broken:" in line and "pk config set remind.lead VALUE" in line


def test_config_comments_are_in_one_column(pk):
    lines = pk("config").stdout.splitlines()[1:]
    assert len({line.index("    # ") for line in lines}) == 1


def test_the_c_locale_gets_the_ascii_prompt(pk, pk_process):
    assert pk("add", "x", "--due", "9am", now="2026-11-23T08:00:00+01:00").exit_code == 0
    assert pk_process("prompt", env={"LC_ALL": "C"}).stdout == "!1\n"
    assert pk_process("prompt", env={"LC_ALL": "C.UTF-8"}).stdout == "⚑1\n"
    assert pk_process("prompt", env={"LC_ALL": "POSIX"}).stdout == "!1\n"


def test_a_young_databases_trend_starts_at_its_first_promises_week(pk):
    assert pk("add", "x", "--due", "9am", now="2026-11-17T08:00:00+01:00").exit_code == 0
    lines = pk("stats").stdout.splitlines()
    weeks = [line for line in lines if line.startswith("2026-W")]
    assert [week.split()[0] for week in weeks] == ["2026-W47", "2026-W48"]


def _tab(pk_process, *words: str) -> list[str]:
    result = pk_process("__complete", str(len(words) + 1), "pk", *words, "")
    assert result.returncode == 0, result.stderr
    return [line.split("\t")[0] for line in result.stdout.splitlines()[1:]]


def test_help_offers_when_once(pk_process):
    assert _tab(pk_process, "help").count("when") == 1


def test_config_set_offers_a_settings_values(pk_process):
    assert _tab(pk_process, "config", "set", "language") == ["en", "it", "hu", "sv"]
    assert _tab(pk_process, "config", "set", "prompt.ascii") == ["true", "false"]


def test_a_hand_off_is_not_offered_to_its_own_owner(pk, pk_process):
    assert pk("add", "Ann's", env={"LOGNAME": "Ann"}).exit_code == 0
    assert pk("add", "Bo's", env={"LOGNAME": "Bo"}).exit_code == 0
    assert _tab(pk_process, "handoff", "1", "--to-owner") == ["Bo"]
    assert _tab(pk_process, "handoff", "2", "--to-owner") == ["Ann"]


def test_in_2h_reads_in_2h_whatever_the_seconds(pk):
    for now in ("2026-11-23T09:30:12+01:00", "2026-11-23T09:30:42+01:00"):
        result = pk("add", "x", "--due", "in 2h", now=now)
        assert result.stdout.endswith(": Mon 23 Nov 11:31, in 2h\n"), result.stdout


def test_no_parentheses_inside_parentheses(pk):
    assert pk("add", "Call Marco", "--due", "tomorrow 10am Europe/London").exit_code == 0
    moved = pk("reschedule", "1", "wed 10am Europe/London", "--reason", "vendor").stdout
    kept = pk("done", "1").stdout
    for line in (moved, kept):
        assert "))" not in line, line
    assert "(was Tue 24 Nov 11:00, 10:00 Europe/London)" in moved
    assert "(due Wed 25 Nov 11:00, 10:00 Europe/London)" in kept


def test_80_columns_keep_the_ticket_whole_and_a_zone_line_does_not_widen_the_dates(pk):
    assert pk("add", "Send the VPN configuration to the branch office", "--to", "Eva Spacek-Lindqvist",
              "--contact", "eva.spacek-lindqvist@example.com", "--via", "email", "--ref", "INC-482177",
              "--due", "tomorrow 10am").exit_code == 0
    assert pk("add", "Call Marco", "--to", "Marco Rossi", "--via", "phone", "--ref", "INC-4790",
              "--due", "wed 9am America/New_York").exit_code == 0
    lines = pk("list", "--week", env={"PROMISEKEEPER_LAYOUT": "terminal", "COLUMNS": "80"}).stdout.splitlines()
    assert all(len(line) <= 80 for line in lines), lines
    assert lines[2].endswith("Eva Spacek-Lindqvist · email · INC-482177")  # the contact gave way
    assert lines[1].startswith("#1  Tue 24 Nov 10:00  in 24h ")  # the date column is the dates' width
    assert lines[4].split() == ["09:00", "America/New_York", "Marco", "Rossi", "·", "phone", "·", "INC-4790"]


def test_the_cron_line_names_the_state_folder_the_shell_uses(files, tmp_path):
    import os
    import subprocess

    from conftest import pk_executable

    environment = {k: v for k, v in os.environ.items() if k not in ("PROMISEKEEPER_STATE", "XDG_STATE_HOME")}
    environment["HOME"] = str(tmp_path / "home")
    line = subprocess.run([pk_executable(), "init", "cron"], env=environment, capture_output=True,
                          text=True, check=True).stdout.splitlines()[-1]
    assert f"PROMISEKEEPER_STATE='{tmp_path}/home/.local/state/promisekeeper'" in line
