"""Secrets as they may be shown: the one rule for masking passwords and tokens.

Every URL or setting pk prints, logs or writes into a derived file (the database URL, the
mail server, push URLs, the calendar) goes through `mask_url` or `mask_setting` first, so a
password never reaches a terminal, a cron mail or a unit file. Standard library only: the
prompt's path may call it.
"""

from __future__ import annotations

import hashlib
import re

MASK = "***"

# a setting or query parameter whose name says it holds a secret
_SECRET_NAME = re.compile(r"pass|token|secret|key|auth|credential|sig", re.IGNORECASE)

# the environment variables that carry pk's secrets (cron lines and units name them, never
# their values: see the environment file in the manual's Data page)
SECRET_ENVIRONMENT = (
    "PROMISEKEEPER_DB",
    "PROMISEKEEPER_SMTP_PASSWORD",
    "PROMISEKEEPER_CALDAV_PASSWORD",
    "PROMISEKEEPER_NOTIFY_URLS",
)


def is_secret_name(name: str) -> bool:
    """Whether a setting or parameter called `name` holds a secret (password, token, key…)."""
    return bool(_SECRET_NAME.search(name))


def mask_url(url: str) -> str:
    """`url` with its password, and any secret-named query parameter, replaced by ***.

    The user name and host stay (they say which account and server). The user information
    runs to the last '@', so a password holding an unencoded '#', '?' or '/' is masked whole.
    """
    scheme, separator, rest = url.partition("://")
    if not separator:
        if "@" in url and not url.strip().count(" "):  # user information without its scheme
            return mask_url(f"x://{url}").removeprefix("x://")
        return mask_text_secrets(url)
    userinfo, at, after = rest.rpartition("@")
    if at:
        user, has_password, _ = userinfo.partition(":")
        if has_password:
            user = f"{user}:{MASK}"
        elif _looks_like_token(user):
            user = MASK
        rest = f"{user}@{after}"
    # here, not at the top: the PostgreSQL prompt needs this module's url_key, not its URLs
    from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

    try:
        parts = urlsplit(f"{scheme}://{rest}")
    except ValueError:
        return f"{scheme}://{MASK}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        query = urlencode(
            [(name, MASK if is_secret_name(name) else value) for name, value in pairs],
            safe="*", quote_via=quote,
        )
    return urlunsplit(parts._replace(query=query))


def mask_text_secrets(text: str) -> str:
    """`text` with `name=value` pairs whose name says secret masked (libpq's keyword form)."""
    return re.sub(
        r"(\b\w*(?:pass|token|secret|key|auth)\w*\s*=\s*)('[^']*'|\S+)",
        lambda match: match.group(1) + MASK, text, flags=re.IGNORECASE,
    )


def _looks_like_token(user: str) -> bool:
    # push services put a bare token where a user name would be (tgram://TOKEN@…)
    return len(user) >= 20 and bool(re.fullmatch(r"[A-Za-z0-9_\-.~%]+", user))


def mask_setting(name: str, value: str) -> str:
    """A setting's value as `pk config` may list it."""
    if is_secret_name(name):
        return MASK
    if "://" in value:
        return mask_url(value)
    return value


def url_key(url: str) -> str:
    """A stable key for a URL that reveals nothing of it (for file names and records)."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]


# a query parameter, wherever it stands: a '?' or '&' inside an unencoded password starts one
# too, which only makes more of the URL count as secret
_QUERY_PAIR = re.compile(r"[?&]([^=&?]*)=([^&]*)")


def secret_spans(url: str) -> list[tuple[int, int]]:
    """Where a URL's secrets stand (its password, secret-named query values, a bare token):
    (start, end) pairs in order, none empty, none overlapping. A path has none."""
    merged: list[tuple[int, int]] = []
    for begin, end in sorted(_secret_parts(url)):
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((begin, end))
    return merged


def _secret_parts(url: str) -> list[tuple[int, int]]:
    from urllib.parse import unquote

    scheme, separator, rest = url.partition("://")
    if not separator:
        return []
    start = len(scheme) + len(separator)
    found: list[tuple[int, int]] = []
    userinfo, at, _after = rest.rpartition("@")
    if at:
        user, has_password, _password = userinfo.partition(":")
        if has_password:
            found.append((start + len(user) + 1, start + len(userinfo)))
        elif _looks_like_token(user):
            found.append((start, start + len(user)))
    for pair in _QUERY_PAIR.finditer(url, start):
        if is_secret_name(unquote(pair.group(1))):
            found.append(pair.span(2))
    return [span for span in found if span[1] > span[0]]


def url_secrets(url: str) -> list[str]:
    """The secret parts of a URL (as `secret_spans` finds them, each whole), as written and
    percent-decoded: what must never appear in a message."""
    from urllib.parse import unquote

    found = [url[begin:end] for begin, end in _secret_parts(url)]
    return [form for secret in found for form in {secret, unquote(secret)} if form]


def known_secrets(environ: dict[str, str] | None = None) -> list[str]:
    """The secrets pk was given in its environment (SECRET_ENVIRONMENT), longest first."""
    import os

    environ = dict(os.environ) if environ is None else environ
    found: list[str] = []
    for name in SECRET_ENVIRONMENT:
        value = environ.get(name, "")
        if not value.strip():
            continue
        if is_secret_name(name.removeprefix("PROMISEKEEPER_")):
            found.append(value)
        else:
            for word in re.split(r"[\s,]+", value):
                found.extend(url_secrets(word))
    return sorted(set(found), key=len, reverse=True)


# a secret this short would mask ordinary words in a message; it is masked where it stands
# in a URL instead
_SHORTEST_SCRUBBED = 3


def scrub(text: str) -> str:
    """A message with every secret pk knows of removed, and any URL in it masked.

    The error boundaries pass everything they print through this, so a driver's message
    that quotes its connection string ("invalid URI … s3cr#t") cannot show a password.
    """
    for secret in known_secrets():
        if len(secret) >= _SHORTEST_SCRUBBED:
            text = text.replace(secret, MASK)
    return _URL_IN_TEXT.sub(lambda match: mask_url(match.group(0)), text)


_URL_IN_TEXT = re.compile(r"\b[a-z][a-z0-9+.\-]*://[^\s'\"<>]+", re.IGNORECASE)
