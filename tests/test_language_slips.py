"""The slips a native reader found: Italian "ad" before a name with a vowel, Hungarian
"a"/"az" chosen by the word after it, placeholders named in the language."""

from __future__ import annotations

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
