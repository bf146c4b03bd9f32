"""The words of a notice: built in per language, or a user's own file, filled with `{field}`s.

A template is a subject line and a body. The built-in ones are messages of the catalogues,
so every language pk speaks has them; a file `templates/<lang>/<kind>.txt` beside the config
file overrides one (its first line "Subject: …", a blank line, then the body). Only the
named fields below may appear, as `{name}` and nothing more: an unknown field, an
attribute or an index is refused naming it. Values (the customer's name, the reason) are
inserted as text and never read as template syntax. Standard library only.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from string import Formatter

from promisekeeper import paths
from promisekeeper.errors import BadInput
from promisekeeper.kinds import NoticeKind
from promisekeeper.lang.i18n import N_, _, translations

# The fields a template may use, each described in the manual ("Telling the customer").
FIELDS = (
    "greeting", "customer", "what", "due", "previous", "reason", "owner", "new_owner", "note",
    "ref", "tried_at", "signature", "rule", "until", "next",
)
MAX_TEMPLATE_BYTES = 16 * 1024

# Translators: the notices a customer reads. Keep every {field} as it is. Italian addresses
# the customer with "Lei", Hungarian with "Ön", Swedish with "du".
BUILT_IN: dict[NoticeKind, tuple[str, str]] = {
    NoticeKind.CONFIRMED: (
        N_("Confirmed: {what}"),
        N_("{greeting}\n\nthis confirms what I promised you: {what}.\nYou will hear from me by {due}.\n\n"
           "{signature}"),
    ),
    NoticeKind.RENEGOTIATED: (
        N_("New time: {what}"),
        N_("{greeting}\n\nI promised you {what} by {previous}. I need more time: the new time is {due}. "
           "The reason: {reason}.\nIf that does not suit you, just reply to this message.\n\n{signature}"),
    ),
    NoticeKind.APOLOGY: (
        N_("Running late: {what}"),
        N_("{greeting}\n\nI promised you {what} by {previous}, and I did not keep that promise. "
           "I am sorry.\nThe new time is {due}. The reason: {reason}.\n\n{signature}"),
    ),
    NoticeKind.DONE: (
        N_("Done: {what}"),
        N_("{greeting}\n\nas promised: {what} is done.\n{note}\n\n{signature}"),
    ),
    NoticeKind.RELEASED: (
        N_("Closed: {what}"),
        N_("{greeting}\n\nI had promised you {what} by {due}. I am closing it: {reason}.\n"
           "If you still need it, just reply to this message.\n\n{signature}"),
    ),
    NoticeKind.HANDOFF: (
        N_("{new_owner} takes over: {what}"),
        N_("{greeting}\n\nmy colleague {new_owner} is taking over what I promised you: {what}. "
           "The time stays {due}.\n\n{signature}"),
    ),
    NoticeKind.TRIED: (
        N_("I tried to reach you: {what}"),
        N_("{greeting}\n\nI tried to reach you at {tried_at} about “{what}”, but could not get through. "
           "I will try again; the promised time is still {due}.\n\n{signature}"),
    ),
    NoticeKind.SERIES: (
        N_("Updates: {what}"),
        N_("{greeting}\n\nthis confirms what I promised you: I will update you on “{what}” {rule}{until}.\n"
           "The first update comes by {due}.\n\n{signature}"),
    ),
    NoticeKind.UPDATE: (
        N_("Update: {what}"),
        N_("{greeting}\n\nhere is my update on “{what}”.\n{note}\nThe next update comes by {next}.\n\n{signature}"),
    ),
    NoticeKind.LAST_UPDATE: (
        N_("Last update: {what}"),
        N_("{greeting}\n\nhere is my update on “{what}”.\n{note}\nThis is the last update: there will be no "
           "more.\n\n{signature}"),
    ),
    NoticeKind.STOPPED: (
        N_("No more updates: {what}"),
        N_("{greeting}\n\nI had promised to update you on “{what}” {rule}. I am stopping the updates: {reason}.\n"
           "If you still need them, just reply to this message.\n\n{signature}"),
    ),
    NoticeKind.CORRECTION: (
        N_("Correction: {what}"),
        N_("{greeting}\n\nplease disregard my last message about “{what}”. What stands is: {what}, by {due}.\n\n"
           "{signature}"),
    ),
}


@dataclass(frozen=True)
class Template:
    subject: str
    body: str
    source: str  # "built-in" or the file's path, for refusals


def built_in(kind: NoticeKind, language: str) -> Template:
    catalogue = translations(language)
    subject, body = BUILT_IN[kind]
    return Template(catalogue.gettext(subject), catalogue.gettext(body), "built-in")


def folder() -> str:
    """Where a user's templates live: `templates/` beside the config file."""
    return os.path.join(os.path.dirname(paths.config_file()), "templates")


def path_of(kind: NoticeKind, language: str) -> str:
    return os.path.join(folder(), language, f"{kind}.txt")


def load(kind: NoticeKind, language: str) -> Template:
    """The user's template for this kind and language when there is one, else the built-in."""
    path = path_of(kind, language)
    text = _read(path)
    if text is None:
        return built_in(kind, language)
    return check(parse(text, path))


def parse(text: str, path: str) -> Template:
    first, _newline, rest = text.partition("\n")
    label, colon, subject = first.partition(":")
    if not colon or label.strip().lower() != "subject" or not subject.strip():
        raise BadInput(_("{path}: the first line must be 'Subject: …', then a blank line, then the body").format(
            path=path))
    return Template(subject.strip(), rest.lstrip("\n"), path)


def check(template: Template) -> Template:
    """Refuse a template that names a field pk does not fill, or asks more of one than its text."""
    for part in (template.subject, template.body):
        try:
            pieces = list(Formatter().parse(part))
        except ValueError as error:
            raise BadInput(_("{path}: {problem}; write a field as {{what}} and a brace as {{{{ or }}}}").format(
                path=template.source, problem=error)) from None
        for _literal, name, spec, conversion in pieces:
            if name is None:
                continue
            if name not in FIELDS or spec or conversion:
                raise BadInput(_("{path}: unknown field {{{name}}}; the fields are {fields}").format(
                    path=template.source, name=name + (f"!{conversion}" if conversion else "")
                    + (f":{spec}" if spec else ""), fields=", ".join(FIELDS)))
    return template


def fill(template: Template, values: dict[str, str]) -> tuple[str, str]:
    """The subject and body with the values in; the values are text, never templates."""
    complete = dict.fromkeys(FIELDS, "") | values
    subject = " ".join(template.subject.format_map(complete).split())
    body = template.body.format_map(complete)
    lines = [line.rstrip() for line in body.splitlines()]
    tidy: list[str] = []
    for line in lines:  # a field left empty (no note) leaves no run of blank lines
        if line or (tidy and tidy[-1]):
            tidy.append(line)
    return subject, "\n".join(tidy).strip("\n") + "\n"


def check_all() -> list[str]:
    """Check every template file the user has; returns the paths checked."""
    checked: list[str] = []
    root = folder()
    if not os.path.isdir(root):
        return checked
    for language in sorted(os.listdir(root)):
        for kind in NoticeKind:
            path = path_of(kind, language)
            text = _read(path)
            if text is not None:
                check(parse(text, path))
                checked.append(path)
    return checked


def _read(path: str) -> str | None:
    """A template file's text: a regular file, at most MAX_TEMPLATE_BYTES, UTF-8; None if absent."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise BadInput(_("{path}: cannot be read ({reason})").format(path=path, reason=error.strerror)) from None
    if not stat.S_ISREG(info.st_mode):
        raise BadInput(_("{path}: not a regular file; a template is a small text file").format(path=path))
    if info.st_size > MAX_TEMPLATE_BYTES:
        raise BadInput(_("{path}: larger than {size} KiB; a template is a short text").format(
            path=path, size=MAX_TEMPLATE_BYTES // 1024))
    try:
        with open(path, "rb") as handle:
            return handle.read(MAX_TEMPLATE_BYTES + 1).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadInput(_("{path}: not UTF-8 text; save it as UTF-8").format(path=path)) from None
    except OSError as error:
        raise BadInput(_("{path}: cannot be read ({reason})").format(path=path, reason=error.strerror)) from None
