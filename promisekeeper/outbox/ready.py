"""Whether notices can leave: a sender and a way to send are set. Standard library only, so
a command can ask before it loads the mail modules."""

from __future__ import annotations

from typing import Any

TRANSPORT_KEYS = ("mail.smtp", "mail.sendmail", "mail.drafts")


def has_transport(config: Any) -> bool:
    return any(config.get(key) for key in TRANSPORT_KEYS)


def ready(config: Any) -> bool:
    return bool(config.get("mail.from")) and has_transport(config)


def signer(config: Any, owner: str | None) -> str | None:
    """Who signs a notice: the name in mail.from ("Eva Lund <eva@…>"), else the owner."""
    sender = str(config.get("mail.from") or "")
    name = sender.partition("<")[0].strip().strip('"').strip() if "<" in sender else ""
    return name or owner
