"""How a notice leaves: an SMTP server, a local sendmail, or a folder of drafts.

One is chosen by the settings (`mail.smtp`, else `mail.sendmail`, else `mail.drafts`).
Each `send` returns the answer that accepted the mail ("250 2.0.0 queued as …") or
raises `Failure`, permanent (the server refused the recipient: 5xx) or not (the server is
away, busy or timed out: try again later). SMTP uses STARTTLS whenever the server offers
it and never sends a password without TLS. The password comes from the environment
(`PROMISEKEEPER_SMTP_PASSWORD`) or from `mail.password_command`, run without a shell; it is
never stored, printed or logged.
"""

from __future__ import annotations

import os
import shlex
import smtplib
import socket
import ssl
import subprocess
from email.message import EmailMessage
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

from promisekeeper.errors import BadInput
from promisekeeper.lang.i18n import _
from promisekeeper.outbox import headers
from promisekeeper.sanitize import clean
from promisekeeper.secrets import mask_url

PASSWORD_ENVIRONMENT = "PROMISEKEEPER_SMTP_PASSWORD"
TIMEOUT_S = 30.0
# sendmail's exit codes (sysexits.h) that say the mail will never go: no such user or host,
# bad address, bad data. EX_TEMPFAIL (75) and anything else may pass on a later try.
_PERMANENT_EXITS = frozenset({64, 65, 67, 68})


class Failure(Exception):
    """A notice that did not leave: why, and whether trying again could help."""

    def __init__(self, answer: str, *, permanent: bool = False) -> None:
        super().__init__(answer)
        self.answer = clean(answer)[:300]
        self.permanent = permanent


class Transport(Protocol):
    name: str

    def delivered(self, uuid: str) -> bool:
        """Whether this notice already left (a crash came before it was marked sent)."""

    def send(self, message: EmailMessage, uuid: str) -> str:
        """Hand the mail over; the answer that accepted it, or Failure."""

    def check(self) -> str:
        """Try the transport without sending anything; what it answered, or Failure."""

    def close(self) -> None: ...


def from_config(config: Any) -> Transport:
    """The transport the settings name; BadInput when none is set."""
    if config.get("mail.smtp"):
        return Smtp(config.get("mail.smtp"), config.get("mail.password_command"))
    if config.get("mail.sendmail"):
        return Sendmail(config.get("mail.sendmail"))
    if config.get("mail.drafts"):
        return Drafts(config.get("mail.drafts"))
    raise BadInput(_("no way to send notices is set: `pk config set mail.smtp smtp://you@mail.example.com:587` "
                     "(or mail.sendmail, or mail.drafts)"))


# -- SMTP ------------------------------------------------------------------------------------


class _Answered:
    """Remembers the server's answer to DATA: what accepted the mail."""

    last_answer: tuple[int, bytes] = (0, b"")

    def data(self, msg: Any) -> tuple[int, bytes]:
        reply: tuple[int, bytes] = super().data(msg)  # type: ignore[misc]
        self.last_answer = reply
        return reply


class _SMTP(_Answered, smtplib.SMTP):
    pass


class _SMTPS(_Answered, smtplib.SMTP_SSL):
    pass


class Smtp:
    name = "smtp"

    def __init__(self, url: str, password_command: str = "") -> None:
        parts = urlsplit(url)
        self.shown = mask_url(url)
        self.secure = parts.scheme == "smtps"
        self.host = parts.hostname or ""
        self.port = parts.port or (465 if self.secure else 587)
        self.user = unquote(parts.username) if parts.username else None
        self.password_command = password_command
        self._connection: _Answered | None = None

    def delivered(self, uuid: str) -> bool:
        return False  # SMTP cannot say: the window the manual names

    def _password(self) -> str | None:
        given = os.environ.get(PASSWORD_ENVIRONMENT)
        if given:
            return given
        if not self.password_command:
            return None
        return _run_password_command(self.password_command)

    def _connect(self) -> Any:
        if self._connection is not None:
            return self._connection
        context = ssl.create_default_context()
        try:
            if self.secure:
                server: Any = _SMTPS(self.host, self.port, timeout=TIMEOUT_S, context=context)
            else:
                server = _SMTP(self.host, self.port, timeout=TIMEOUT_S)
            server.ehlo()
            if not self.secure and server.has_extn("starttls"):
                server.starttls(context=context)
                server.ehlo()
                self.secure = True
        except (smtplib.SMTPException, OSError, ssl.SSLError) as error:
            raise Failure(_("{server} could not be reached: {reason}").format(
                server=self.shown, reason=_reason(error))) from None
        self._log_in(server)
        self._connection = server
        return server

    def _log_in(self, server: Any) -> None:
        password = self._password()
        if password is None:
            return
        if not self.secure:
            server.close()
            raise Failure(_("{server} offers no STARTTLS; pk sends no password without TLS").format(
                server=self.shown), permanent=True)
        try:
            server.login(self.user or "", password)
        except smtplib.SMTPAuthenticationError as error:
            server.close()
            raise Failure(_("{server} refused the login: {answer}").format(
                server=self.shown, answer=_words(error.smtp_code, error.smtp_error)), permanent=True) from None
        except (smtplib.SMTPException, OSError) as error:
            # servers hang up after a wrong password as often as they answer 535
            server.close()
            raise Failure(_("{server} refused the login: {answer}").format(
                server=self.shown, answer=_reason(error)), permanent=True) from None

    def send(self, message: EmailMessage, uuid: str) -> str:
        server = self._connect()
        try:
            refused = server.send_message(message, from_addr=headers.sender_address(message),
                                          to_addrs=headers.recipients(message))
        except smtplib.SMTPRecipientsRefused as error:
            code, words = next(iter(error.recipients.values()))
            raise Failure(_words(code, words), permanent=code >= 500) from None
        except smtplib.SMTPResponseException as error:
            self.close()
            raise Failure(_words(error.smtp_code, error.smtp_error), permanent=error.smtp_code >= 500) from None
        except (smtplib.SMTPException, OSError) as error:
            self.close(polite=False)  # a server that stopped answering would keep a QUIT waiting too
            raise Failure(_("{server}: {reason}").format(server=self.shown, reason=_reason(error))) from None
        if refused:
            code, words = next(iter(refused.values()))
            return _words(code, words)  # the customer got it; the blind copy to oneself did not
        return _words(*server.last_answer)

    def check(self) -> str:
        server = self._connect()
        code, words = server.noop()
        return _("{server}: {answer}").format(server=self.shown, answer=_words(code, words))

    def close(self, *, polite: bool = True) -> None:
        if self._connection is not None:
            try:
                if polite:
                    self._connection.quit()  # type: ignore[attr-defined]
            except (smtplib.SMTPException, OSError):
                pass
            self._connection.close()  # type: ignore[attr-defined]
            self._connection = None


def _words(code: int, words: bytes | str) -> str:
    text = words.decode("utf-8", "replace") if isinstance(words, bytes) else str(words)
    return clean(f"{code} {' '.join(text.split())}")


def _reason(error: BaseException) -> str:
    # smtplib turns a read that timed out into "Connection unexpectedly closed: timed out"
    if isinstance(error, socket.timeout | TimeoutError) or "timed out" in str(error):
        return _("no answer within {seconds} s").format(seconds=int(TIMEOUT_S))
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return _("the server closed the connection")
    return clean(getattr(error, "strerror", None) or str(error) or type(error).__name__)


def _run_password_command(command: str) -> str:
    try:
        done = subprocess.run(shlex.split(command), capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
    except (OSError, ValueError, subprocess.TimeoutExpired) as error:
        raise Failure(_("mail.password_command could not run: {reason}").format(
            reason=clean(getattr(error, "strerror", None) or type(error).__name__)), permanent=True) from None
    password = done.stdout.splitlines()[0] if done.stdout else ""
    if done.returncode != 0 or not password:
        raise Failure(_("mail.password_command printed no password (exit status {code})").format(
            code=done.returncode), permanent=True)
    return password


# -- sendmail ----------------------------------------------------------------------------------


class Sendmail:
    name = "sendmail"

    def __init__(self, command: str) -> None:
        self.command = shlex.split(command)

    def delivered(self, uuid: str) -> bool:
        return False

    def send(self, message: EmailMessage, uuid: str) -> str:
        arguments = list(self.command)
        if "-t" not in arguments:
            arguments += ["--", *headers.recipients(message)]
        try:
            done = subprocess.run(arguments, input=headers.as_bytes(message, with_bcc="-t" in arguments),
                                  capture_output=True, timeout=TIMEOUT_S * 2, check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise Failure(_("{command} could not run: {reason}").format(
                command=self.command[0], reason=_reason(error))) from None
        if done.returncode != 0:
            said = clean(done.stderr.decode("utf-8", "replace").strip().splitlines()[-1] if done.stderr.strip() else "")
            raise Failure(_("{command} exited with status {code}: {said}").format(
                command=self.command[0], code=done.returncode, said=said or "-"),
                permanent=done.returncode in _PERMANENT_EXITS)
        return _("accepted by {command}").format(command=self.command[0])

    def check(self) -> str:
        program = self.command[0] if self.command else ""
        if not program or not (os.path.isfile(program) or _on_path(program)):
            raise Failure(_("{command} is not a program here").format(command=program or '""'), permanent=True)
        return _("{command} is there").format(command=program)

    def close(self) -> None:
        pass


def _on_path(program: str) -> bool:
    import shutil

    return shutil.which(program) is not None


# -- drafts ------------------------------------------------------------------------------------


class Drafts:
    name = "drafts"

    def __init__(self, folder: str) -> None:
        self.folder = os.path.abspath(os.path.expanduser(folder))

    def _path(self, uuid: str) -> str:
        return os.path.join(self.folder, f"{uuid}.eml")

    def delivered(self, uuid: str) -> bool:
        return os.path.exists(self._path(uuid))

    def send(self, message: EmailMessage, uuid: str) -> str:
        path = self._path(uuid)
        partial = f"{path}.partial"
        try:
            os.makedirs(self.folder, mode=0o700, exist_ok=True)
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(headers.as_bytes(message))
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(partial, path)  # whole or not at all
        except OSError as error:
            raise Failure(_("cannot write to {folder}: {reason}").format(
                folder=self.folder, reason=error.strerror or error)) from None
        return _("saved as {path}").format(path=path)

    def check(self) -> str:
        if os.path.isdir(self.folder) and os.access(self.folder, os.W_OK):
            return _("{folder} is a folder pk can write to").format(folder=self.folder)
        if not os.path.exists(self.folder):
            return _("{folder} will be made for the first notice").format(folder=self.folder)
        raise Failure(_("{folder} is not a folder pk can write to").format(folder=self.folder), permanent=True)

    def close(self) -> None:
        pass
