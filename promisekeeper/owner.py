"""Who "I" am, and whose promises a default view shows on a shared database.

Standard library only, and no import at all on the usual path: the prompt asks this before
every shell prompt when its schedule is checked.

- `me(configured)`: the configured `owner` (config), else the login name.
- `view(present, me)`: whose promises count, given the owners a database holds. With one
  owner (or none) the database is nobody else's, so everything counts, as if unshared; with
  several, only the caller's, matched as people type names (case and accents ignored).
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing costs ~3 ms to import; checkers treat this as true
if TYPE_CHECKING:
    from collections.abc import Iterable

LOGIN_VARS = ("LOGNAME", "USER", "LNAME", "USERNAME")


def login() -> str | None:
    """The login name, found as `getpass.getuser()` finds it: the first of LOGIN_VARS that is
    set, else the password database's name for this user id; None when there is none.

    Written out here (it is five lines) because importing getpass costs the prompt ~7 ms.
    """
    for name in LOGIN_VARS:
        value = os.environ.get(name)
        if value:
            return value
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError):  # no password database, or no entry for this user id
        return None


def me(configured: str | None = None) -> str | None:
    """The owner the caller acts as: `configured` (the config's `owner`) unless blank, else the
    login name."""
    name = (configured or "").strip()
    return name or login()


def view(present: Iterable[str | None], caller: str | None) -> tuple[str | None, ...] | None:
    """Whose promises a default view counts: None (everyone's) unless the database is shared,
    else the stored spellings of the caller's name (possibly none at all).

    A database is shared when its promises name more than one owner; promises with no owner
    belong to nobody and do not make it shared.
    """
    names = {name for name in present if name is not None}
    if len(names) <= 1:
        return None
    if caller is None:
        return ()
    from promisekeeper.folding import fold

    wanted = fold(caller.strip())
    return tuple(sorted(name for name in names if fold(name.strip()) == wanted))
