"""Where pushes go: the owner's URLs (`notify.urls`, or PROMISEKEEPER_NOTIFY_URLS in their
place) or the team's (`notify.team_urls`), each named by a key and shown masked."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from promisekeeper.secrets import mask_url, url_key

URLS_VARIABLE = "PROMISEKEEPER_NOTIFY_URLS"


@dataclass(frozen=True)
class Target:
    """One push URL: the URL itself (secret), its key for records, and how it is shown."""

    url: str

    @property
    def key(self) -> str:
        return url_key(self.url)

    @property
    def shown(self) -> str:
        return mask_url(self.url)


def targets(config: Any, *, team: bool) -> list[Target]:
    """The push URLs for the owner's own reminders, or for the team's."""
    if team:
        urls = list(config.get("notify.team_urls"))
    else:
        from promisekeeper.config import parse_urls

        from_environment = os.environ.get(URLS_VARIABLE, "").strip()
        urls = parse_urls(from_environment) if from_environment else list(config.get("notify.urls"))
    return [Target(url) for url in dict.fromkeys(urls)]
