"""Who "I" am, and whose promises a default view shows on a shared database.

Standard library only, and no import at all on the usual path: the prompt asks this before
every shell prompt when its schedule is checked.

- `me(configured)`: the configured `owner` (config), else the login name.
- `view(present, me)`: whose promises count, given the owners a database holds. With one
  owner (or none) the database is nobody else's, so everything counts, as if unshared; with
  several, only the caller's, matched as people type names (case and accents ignored).
- `Whose`: what a command was asked for (your own by that rule, `--owner NAME` or `--team`),
  turned into the stored owner names to narrow by; an owner nobody has is refused, naming
  those there are.
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
    if not shared(names):
        return None
    if caller is None:
        return ()
    return spellings(names, caller)


def shared(present: Iterable[str | None]) -> bool:
    """Whether a database is shared: its promises name more than one owner (promises with
    no owner belong to nobody and do not count)."""
    return len({name for name in present if name is not None}) > 1


def spellings(present: Iterable[str | None], name: str) -> tuple[str, ...]:
    """The stored owner names among `present` that are `name` as people type it: case,
    accents and outer blanks ignored ("ann lind" is "Ann Lind")."""
    wanted = key(name)
    return tuple(sorted({found for found in present if found is not None and key(found) == wanted}))


def key(name: str | None) -> str:
    """An owner name folded for comparing: "  Éva LIND " -> "eva lind"."""
    from promisekeeper.lang.folding import fold

    return fold((name or "").strip())


def same(first: str | None, second: str | None) -> bool:
    """Whether two owner names are the same person's (no owner is nobody's but no owner's)."""
    if first is None or second is None:
        return first is second
    return key(first) == key(second)


class Whose:
    """Whose promises a command shows: the caller's own on a shared database (the default),
    one owner's (`--owner NAME`), or everyone's (`--team`)."""

    __slots__ = ("me", "owner", "team")

    def __init__(self, me: str | None, owner: str | None = None, team: bool = False) -> None:
        from promisekeeper.errors import BadInput
        from promisekeeper.lang.i18n import _

        if team and owner is not None:
            raise BadInput(_("choose --owner NAME or --team, not both"))
        if owner is not None and not owner.strip():
            raise BadInput(_('--owner needs a name, e.g. --owner "Ann Lind"; --team shows everyone\'s'))
        self.me = me
        self.owner = owner
        self.team = team

    def owners(
        self, present: Iterable[str | None], *, former: Iterable[str | None] = ()
    ) -> tuple[str | None, ...] | None:
        """The stored owner names to narrow by (None: everyone's), given the owners whose
        promises the database holds; `former` owners (who held a promise once) may be
        asked for by name too. An owner who is neither is refused."""
        present = list(present)
        if self.team:
            return None
        if self.owner is None:
            return view(present, self.me)
        found = spellings([*present, *former], self.owner)
        if not found:
            raise unknown(self.owner, [*present, *former])
        return found

    def labelled(self, present: Iterable[str | None]) -> bool:
        """Whether each line names its owner: when asked for a colleague's or the team's
        promises on a shared database (with one owner there, lines read as they always have)."""
        return (self.team or self.owner is not None) and shared(present)


def refuse_look_alike(typed: str, known: Iterable[str | None]) -> None:
    """Refuse a new owner whose name looks like an owner's here but is spelled with other
    characters ("Аnn" with a Cyrillic А beside "Ann"), saying which characters differ."""
    from promisekeeper.lang.lookalike import look_alikes, telling_apart

    alike = look_alikes(typed, [name for name in known if name is not None])
    if not alike:
        return
    from promisekeeper.errors import BadInput
    from promisekeeper.lang.i18n import _

    raise BadInput(_(
        "{typed} looks like {owner}, an owner here, but is spelled with other characters; "
        "type {owner} to mean them, or add --new-owner if it is someone else"
    ).format(typed=telling_apart(typed.strip()), owner=alike[0]))


def _told_apart(names: list[str]) -> list[str]:
    """The names as listed, those that look alike with their foreign letters named."""
    from promisekeeper.lang.lookalike import skeleton, telling_apart

    looks: dict[str, int] = {}
    for name in names:
        looks[skeleton(name)] = looks.get(skeleton(name), 0) + 1
    return [telling_apart(name) if looks[skeleton(name)] > 1 else name for name in names]


def unknown(typed: str, known: Iterable[str | None], hint: str = "") -> Exception:
    """The refusal of an owner nobody here is: it names the owners there are (names that
    look alike told apart)."""
    from promisekeeper.errors import BadInput
    from promisekeeper.lang.collation import sort_names
    from promisekeeper.lang.i18n import _, active

    names = _told_apart(sort_names(list({name for name in known if name is not None}), active()))
    if names:
        message = _("no owner {typed!r} here; the owners are: {names}").format(
            typed=typed.strip(), names=", ".join(names))
    else:
        message = _("no owner {typed!r} here; no promise has an owner yet").format(typed=typed.strip())
    return BadInput(message + (f"; {hint}" if hint else ""))
