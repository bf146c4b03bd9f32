"""The slips a native reader found: Italian "ad" before a name with a vowel, Hungarian
"a"/"az" chosen by the word after it, placeholders named in the language."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from conftest import Files, db_content

from promisekeeper.lang import euphony, i18n

Pk = Callable[..., Any]


@pytest.fixture
def speaking() -> Iterator[None]:
    yield
    i18n.activate("en")


@pytest.mark.parametrize(
    ("word", "article"),
    [
        ("Éva", "az"), ("alma", "az"), ("szöveg", "a"), ("#12", "a"), ("#1", "az"), ("5.", "az"),
        ("50", "az"), ("10", "a"), ("100", "a"), ("1000", "az"), ("1,000", "az"), ("2026", "a"),
        ("„Őz”", "az"), ("'a b'", "az"), ("U+001B", "az"), ("—", ""),
    ],
)  # fmt: skip
def test_the_hungarian_article_is_the_one_the_word_is_read_with(word: str, article: str) -> None:
    assert euphony.hungarian_article(word) == article


def test_italian_says_ad_before_a_name_with_a_vowel_only(speaking: None) -> None:
    i18n.activate("it")
    template = i18n._("Handed {title} to {owner}; the deadline stands: {due}")
    assert template.format(title="#1", owner="Elena", due="ven") == (
        "Passata #1 ad Elena; la scadenza resta ven"
    )
    assert template.format(title="#1", owner="Bruno", due="ven") == (
        "Passata #1 a Bruno; la scadenza resta ven"
    )
    # Only before a name: a date after "a" keeps it ("Spostata #1 a oggi" is not a name).
    moved = i18n._("Moved {title} to {due} (was {previous})")
    assert "#1 a oggi" in moved.format(title="#1", due="oggi", previous="ieri")


def test_the_journal_says_ad_anna(pk: Pk, speaking: None) -> None:
    assert pk("config", "set", "language", "it").exit_code == 0
    assert pk("add", "Chiamare", "--to", "Anna", "--due", "domani").exit_code == 0
    assert "promesso Chiamare ad Anna" in pk("log", "1").output


def test_hungarian_leaves_no_a_z_where_the_word_is_known(pk: Pk, files: Files) -> None:
    assert pk("config", "set", "language", "hu").exit_code == 0
    refused = pk("add", "Hív\x1bni", "--due", "holnap")
    assert refused.exit_code == 2
    assert refused.stderr.strip() == (
        "pk: a szöveg mező egy vezérlőkaraktert (U+001B, ESC) tartalmaz; írd be egyszerű szövegként"
    )
    tag = pk("add", "Hívni", "--tag", "a b", "--due", "holnap")
    assert tag.exit_code == 2 and "(z)" not in tag.stderr
    assert tag.stderr.startswith("pk: az 'a b' címke")
    assert db_content(files.db) == ([], [])


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("it", "pk: reschedule: Manca l'argomento QUANDO."),
        ("hu", "pk: reschedule: Hiányzó argumentum: MIKOR."),
        ("sv", "pk: reschedule: "),
    ],
)
def test_placeholders_are_named_in_the_language(pk: Pk, language: str, expected: str) -> None:
    assert pk("config", "set", "language", language).exit_code == 0
    result = pk("reschedule", "1")
    assert result.exit_code == 2
    assert result.stderr.startswith(expected)
    assert "WHEN" not in result.stderr


def test_an_option_without_its_value_names_the_placeholder_in_the_language(pk: Pk) -> None:
    assert pk("config", "set", "language", "it").exit_code == 0
    result = pk("add", "Chiamare", "--due")
    assert result.exit_code == 2
    assert "(QUANDO)" in result.stderr and "WHEN" not in result.stderr


def _two_weeks_of_promises(pk: Pk, language: str) -> None:
    """One promise kept on Mon 2 Nov, one on Mon 23 Nov: days of one and two digits."""
    assert pk("config", "set", "language", language).exit_code == 0
    assert pk("add", "A", "--due", "in 1h", now="2026-11-02T09:30:00+01:00").exit_code == 0
    assert pk("done", "1", now="2026-11-02T10:00:00+01:00").exit_code == 0
    assert pk("add", "B", "--due", "in 1h", now="2026-11-23T09:30:00+01:00").exit_code == 0
    assert pk("done", "2", now="2026-11-23T10:00:00+01:00").exit_code == 0


@pytest.mark.parametrize("language", ["en", "it", "hu", "sv"])
def test_the_weekly_trend_stays_in_columns(pk: Pk, language: str) -> None:
    _two_weeks_of_promises(pk, language)
    output = pk("stats", now="2026-11-25T10:00:00+01:00").output
    weeks = [line for line in output.splitlines() if line.startswith("2026-W")]
    assert len(weeks) >= 4
    # The counts start in one column, whatever the width of the day's name.
    starts = {re.match(r"\S+  (.*?) {2,}(?=\S)", line).end() for line in weeks}  # type: ignore[union-attr]
    assert len(starts) == 1, weeks


@pytest.mark.parametrize("language", ["en", "it", "hu", "sv"])
def test_the_undo_list_keeps_its_dates_in_a_column(pk: Pk, language: str) -> None:
    _two_weeks_of_promises(pk, language)
    lines = pk("undo", "--list", now="2026-11-25T10:00:00+01:00").output.splitlines()[1:]
    assert len(lines) == 4
    # After the date come two spaces and the kind; the kind starts in one column.
    kinds = {re.match(r"  (.*?) {2,}(?=\S)", line).end() for line in lines}  # type: ignore[union-attr]
    assert len(kinds) == 1, lines


@pytest.mark.parametrize(
    ("msgid", "values", "expected"),
    [
        ("Option '{option}' does not take a value.", {"option": "--all"}, "Az „--all” kapcsolónak"),
        ("{field} is not a finite number", {"field": "#12"}, "a #12 nem véges szám"),
    ],
)
def test_every_hungarian_a_z_before_a_value_is_settled(
    msgid: str, values: dict[str, str], expected: str, speaking: None
) -> None:
    i18n.activate("hu")
    said = i18n._(msgid).format(**values)
    assert expected in said and "(z)" not in said
