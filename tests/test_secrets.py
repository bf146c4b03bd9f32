"""The one masking rule: no password or token survives mask_url, whatever its characters."""

from __future__ import annotations

from itertools import pairwise

import pytest

from promisekeeper.secrets import mask_setting, mask_url, secret_spans, url_key


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://ann:s3cr#t@db/pk", "postgresql://ann:***@db/pk"),
        ("postgresql://ann:p?w/x@db:5432/pk", "postgresql://ann:***@db:5432/pk"),
        ("postgresql://ann@db/pk?password=hunter2&sslmode=require",
         "postgresql://ann@db/pk?password=***&sslmode=require"),
        ("smtp://ann@mail.example.com:587", "smtp://ann@mail.example.com:587"),
        ("ntfys://tk_abcdefghijklmnopqrstuvwxyz@ntfy.sh/topic", "ntfys://***@ntfy.sh/topic"),
        ("/home/ann/p.db", "/home/ann/p.db"),
        ("host=db password=hunter2 user=ann", "host=db password=*** user=ann"),
    ],
)
def test_mask_url_hides_the_secret_and_keeps_the_rest(url: str, shown: str) -> None:
    assert mask_url(url) == shown
    for secret in ("s3cr", "hunter2", "p?w", "tk_abc"):
        assert secret not in mask_url(url)


def test_settings_named_as_secrets_are_masked_whole() -> None:
    assert mask_setting("mail.password_command", "pass show mail") == "***"
    assert mask_setting("caldav.url", "https://ann:pw@dav.example.com/") == "https://ann:***@dav.example.com/"
    assert mask_setting("remind.lead", "30m") == "30m"


def test_url_key_is_stable_and_reveals_nothing() -> None:
    url = "ntfys://token@ntfy.sh/topic"
    assert url_key(url) == url_key(url)
    assert "token" not in url_key(url) and len(url_key(url)) == 16


def test_a_url_typed_without_its_scheme_still_hides_its_token() -> None:
    # a refusal ("… is not a URL") shows what was typed: the token before '@' is masked
    assert mask_url("tk_9f8e7d6c5b4a39281706@ntfy.sh/topic") == "***@ntfy.sh/topic"
    assert mask_url("eva:hunter2@mail.example.com") == "eva:***@mail.example.com"


@pytest.mark.parametrize(
    ("url", "secrets"),
    [
        ("postgresql://ann:s3cr#t@db/pk", ["s3cr#t"]),
        ("postgresql://ann@db/pk?sslmode=require&password=hunter2", ["hunter2"]),
        ("postgresql://ann@db/pk?api_token=tk1&sslmode=require", ["tk1"]),
        # a password whose '?' and '&' look like a query: one span, to the end
        ("postgresql://ann:p?x&password=a@db/pk?password=b", ["p?x&password=a@db/pk?password=b"]),
        ("postgresql://ann:@db/pk", []),
        ("/home/ann/pass=word.db", []),
    ],
)
def test_secret_spans_cover_every_secret_once(url: str, secrets: list[str]) -> None:
    spans = secret_spans(url)
    assert [url[begin:end] for begin, end in spans] == secrets
    assert all(end < begin for (_, end), (begin, _) in pairwise(spans))
