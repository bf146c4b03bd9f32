"""One message to one URL through Apprise, and what the server answered, in words that
carry no part of the URL (Apprise's own log lines may name hosts, topics and tokens).

Apprise costs about 0.2 s to import: only a run with something to send pays it.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from promisekeeper.errors import PKError
from promisekeeper.lang.i18n import _

INSTALL = "pip install 'promisekeeper[notify]'"


class PushUnavailable(PKError):
    """Apprise is not installed: one line saying what to install."""


@dataclass(frozen=True)
class Answer:
    """What one URL answered: delivered, or why not."""

    delivered: bool
    reason: str = ""

    @property
    def words(self) -> str:
        return _("delivered") if self.delivered else self.reason


def apprise_module() -> object:
    try:
        import apprise
    except ImportError:
        raise PushUnavailable(_("push URLs are set but Apprise is not installed: {install}").format(
            install=INSTALL)) from None
    return apprise


def send(url: str, *, title: str, body: str) -> Answer:
    """Send one message to one URL; never raises for what the network or server does."""
    apprise = apprise_module()
    sender = apprise.Apprise()  # type: ignore[attr-defined]
    if not sender.add(url):
        return Answer(False, _("not a URL Apprise knows; see its list of services"))
    with apprise.LogCapture(level=logging.DEBUG) as log:  # type: ignore[attr-defined]
        try:
            delivered = bool(sender.notify(body=body, title=title))
        except Exception:  # a plug-in's own bug must not cost the other URLs
            delivered = False
        said = log.getvalue()
    return Answer(True) if delivered else Answer(False, failure(said))


def failure(log: str) -> str:
    """Why a send failed, from Apprise's log, without repeating any of it."""
    status = re.search(r"error=(\d{3})\b", log)
    if status:
        return _("the server answered {status}").format(status=status.group(1))
    lowered = log.lower()
    if "timed out" in lowered:  # the one case where the server may have taken it after all
        return _("no answer in time")
    if "connection" in lowered:
        return _("could not connect")
    return _("not delivered")
