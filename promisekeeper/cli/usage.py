"""The command-line parser's own refusals in the reader's language.

The parser Typer bundles writes its messages in English only ("No such option: --dew");
the ones a person meets are recognised here by their form and said again through the
catalogues. English, and any message not listed, passes through as the parser wrote it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from promisekeeper.lang.i18n import NP_, _, active, any_of, ngettext, pgettext

# The placeholders the commands' arguments and options show, as a refusal names them in the
# language ("Manca l'argomento QUANDO"); the --help pages keep them in English.
METAVARS = {
    "WHEN": NP_("metavar", "WHEN"), "WHAT": NP_("metavar", "WHAT"), "PHRASE": NP_("metavar", "PHRASE"),
    "ID": NP_("metavar", "ID"), "TEXT": NP_("metavar", "TEXT"), "NAME": NP_("metavar", "NAME"),
    "KEY": NP_("metavar", "KEY"), "VALUE": NP_("metavar", "VALUE"), "FILE": NP_("metavar", "FILE"),
    "TOPIC": NP_("metavar", "TOPIC"), "BACKUP": NP_("metavar", "BACKUP"), "WHO": NP_("metavar", "WHO"),
    "TAG": NP_("metavar", "TAG"), "TICKET": NP_("metavar", "TICKET"), "CHANNEL": NP_("metavar", "CHANNEL"),
    "DURATION": NP_("metavar", "DURATION"), "PHONE_OR_EMAIL": NP_("metavar", "PHONE_OR_EMAIL"), "FMT": NP_("metavar", "FMT"),
    "N": NP_("metavar", "N"),
}  # fmt: skip


def metavar(name: str) -> str:
    """A placeholder in the active language ("WHAT..." → "COSA..."); unknown ones as they are."""
    base, dots, _rest = name.partition("...")
    if base not in METAVARS:
        return name
    return pgettext("metavar", METAVARS[base]) + dots

# Each form: the parser's English, and the same message from its parts in the language.
_FORMS: list[tuple[re.Pattern[str], Callable[[dict[str, str]], str]]] = [
    (re.compile(r"No such command '(?P<name>.*)'\. Did you mean (?P<close>.*)\?"),
     lambda parts: _("No such command '{name}'. Did you mean {close}?").format(**parts)),
    (re.compile(r"No such command '(?P<name>.*)'\."),
     lambda parts: _("No such command '{name}'.").format(**parts)),
    (re.compile(r"No such option: (?P<option>\S+) \(Possible options: (?P<options>.*)\)"),
     lambda parts: _("No such option: {option} (Possible options: {options})").format(**parts)),
    (re.compile(r"No such option: (?P<option>\S+)"),
     lambda parts: _("No such option: {option}").format(**parts)),
    (re.compile(r"Missing argument (?P<name>.+)\."),
     lambda parts: _("Missing argument {name}.").format(**parts)),
    (re.compile(r"Missing option (?P<name>.+)\."),
     lambda parts: _("Missing option {name}.").format(**parts)),
    (re.compile(r"Invalid value for (?P<name>.+?): '(?P<value>.*)' is not a valid (?:int|integer)\."),
     lambda parts: _("Invalid value for {name}: '{value}' is not a whole number.").format(**parts)),
    (re.compile(r"Invalid value for (?P<name>.+?): (?P<problem>.*)"),
     lambda parts: _("Invalid value for {name}: {problem}").format(**parts)),
    (re.compile(r"Option '(?P<option>.*)' does not take a value\."),
     lambda parts: _("Option '{option}' does not take a value.").format(**parts)),
    (re.compile(r"Got unexpected extra argument\(s\) \((?P<words>.*)\)"),
     lambda parts: ngettext("Got unexpected extra argument ({words})", "Got unexpected extra arguments ({words})",
                            len(parts["words"].split())).format(**parts)),
]


def translated(message: str) -> str:
    """The parser's message in the active language, when its form is known."""
    if active() == "en":
        return message
    for pattern, say in _FORMS:
        found = pattern.fullmatch(message)
        if found:
            return say(_requoted(found.groupdict()))
    return message


def _requoted(parts: dict[str, str]) -> dict[str, str]:
    """The parts without the parser's English quotes: a name as it is typed ("--limit",
    "ID"), a list of suggestions quoted as the language quotes."""
    parts = {key: value for key, value in parts.items() if value is not None}
    if "name" in parts and re.fullmatch(r"'[^']*'", parts["name"]):
        parts["name"] = parts["name"][1:-1]
    if "name" in parts:
        parts["name"] = metavar(parts["name"])
    if "close" in parts:
        names = re.findall(r"'([^']*)'", parts["close"]) or [parts["close"]]
        parts["close"] = any_of([_("'{first}'").format(first=name) for name in names])
    return parts
