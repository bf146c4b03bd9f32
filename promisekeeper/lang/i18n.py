"""The language a person reads: which one, and its words through gettext catalogues.

Standard library only and cheap to import: most output modules import it. The catalogues
are compiled `.mo` files shipped in the package (promisekeeper/lang/locale/<lang>/LC_MESSAGES);
English is the source text itself. Plural rules come from each catalogue's header, as
gettext reads them. Babel is needed only to extract, update and compile (scripts/i18n).
"""

from __future__ import annotations

import os
from functools import cache

# Completion reads the language on every TAB: what only annotations name is not imported.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import gettext
    from collections.abc import Mapping

LANGUAGES = ("en", "it", "hu", "sv")
DOMAIN = "promisekeeper"
LOCALE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "locale")
# The locale variables in the order POSIX consults them for messages.
_LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")

_active = "en"


def _locale_name(environ: Mapping[str, str]) -> str:
    """The first non-empty of LC_ALL, LC_MESSAGES, LANG ("it_IT.UTF-8"), or ""."""
    return next((environ[name] for name in _LOCALE_VARIABLES if environ.get(name)), "")


def _split_locale(name: str) -> tuple[str, str]:
    """ "hu_HU.UTF-8@euro" → ("hu", "HU"); "C" → ("c", "")."""
    base = name.split(".", 1)[0].split("@", 1)[0]
    language, _, territory = base.partition("_")
    return language.lower(), territory.upper()


def from_locale(environ: Mapping[str, str] = os.environ) -> str:
    """The language the locale names, when pk speaks it ("it_IT.UTF-8" → "it"), else "en"."""
    language, _ = _split_locale(_locale_name(environ))
    return language if language in LANGUAGES else "en"


def country_from_locale(environ: Mapping[str, str] = os.environ) -> str | None:
    """The territory the locale names ("hu_HU" → "HU"), or None (C, POSIX, "sv")."""
    _, territory = _split_locale(_locale_name(environ))
    return territory if len(territory) == 2 and territory.isalpha() else None


def resolve(configured: str | None, environ: Mapping[str, str] = os.environ) -> str:
    """The `language` setting when it is set, else the locale's language."""
    if configured and configured in LANGUAGES:
        return configured
    return from_locale(environ)


def activate(code: str) -> None:
    """Make `code` the language this process writes in."""
    global _active
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}; use one of {', '.join(LANGUAGES)}")
    _active = code


def active() -> str:
    """The language this process writes in ("en" until activate() says otherwise)."""
    return _active


@cache
def translations(code: str) -> gettext.NullTranslations:
    """The catalogue of a language; English (and a missing catalogue) reads the source text."""
    import gettext  # here: choosing the language (completion does, on every TAB) needs none of it

    if code == "en":
        return gettext.NullTranslations()
    path = os.path.join(LOCALE_DIR, code, "LC_MESSAGES", f"{DOMAIN}.mo")
    try:
        with open(path, "rb") as handle:
            return gettext.GNUTranslations(handle)
    except OSError:
        return gettext.NullTranslations()


class Template(str):
    """A translated message whose words before a value depend on it (Italian "a {owner}",
    Hungarian "a(z) {field}"): `format` fixes them once the values are known (see euphony)."""

    def format(self, /, *args: object, **values: object) -> str:
        from string import Formatter

        from promisekeeper.lang import euphony

        formatter, made, auto = Formatter(), [], 0
        for literal, name, spec, conversion in formatter.parse(self):
            if name is None:
                made.append(literal)
                continue
            if name == "":
                name, auto = str(auto), auto + 1
            value, _key = formatter.get_field(name, args, values)
            text = formatter.format_field(formatter.convert_field(value, conversion), spec or "")
            made += [euphony.before(literal, name, text, _active), text]
        return "".join(made)


def _spoken(text: str) -> str:
    from promisekeeper.lang import euphony

    return Template(text) if euphony.triggers(_active, text) else text


def _(message: str) -> str:
    """`message` in the active language."""
    return _spoken(translations(_active).gettext(message)) if _active != "en" else message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form for `n` in the active language, by its catalogue's plural rule."""
    return _spoken(translations(_active).ngettext(singular, plural, n))


def pgettext(context: str, message: str) -> str:
    """`message` in the active language, told apart from the same English words by `context`."""
    return _spoken(translations(_active).pgettext(context, message))


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    """`ngettext` for words that `context` tells apart from the same English ones."""
    return _spoken(translations(_active).npgettext(context, singular, plural, n))


def all_of(items: list[str]) -> str:
    """ "'vpn' and 'eva'": a list of which each item counts, as the language joins it."""
    joined = items[0]
    for item in items[1:]:
        # Translators: joins a list of which all count: "'vpn' and 'eva'".
        joined = pgettext("all of", "{items} and {item}").format(items=joined, item=item)
    return joined


def any_of(items: list[str]) -> str:
    """ "a or b": a list of which any one will do."""
    joined = items[0]
    for item in items[1:]:
        # Translators: joins a list of which any one will do: "a or b".
        joined = pgettext("any of", "{items} or {item}").format(items=joined, item=item)
    return joined


def N_(message: str) -> str:
    """Marks a message for the catalogues where it is written (a table of English words);
    the code that shows it translates it with `_` then."""
    return message


def NP_(context: str, message: str) -> str:
    """`N_` for words shown with `pgettext(context, …)`."""
    return message
