"""A real SMTP server for the notices' tests: aiosmtpd on 127.0.0.1, a free port, in a thread.

Its handler keeps every message it accepted and can be told to misbehave: refuse the
recipient (550), answer DATA with 421, or drop the connection in the middle of DATA before
answering. STARTTLS uses a throw-away certificate for 127.0.0.1 made here with
`cryptography`; the client trusts it through SSL_CERT_FILE. AUTH accepts one user/password.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email
import email.policy
import ipaddress
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER, PASSWORD = "eva", "s3cret-pass#word"  # smtplib sends AUTH in ASCII


@dataclass
class Handler:
    mode: str = "accept"  # accept | refuse | busy | die | slow
    received: list[tuple[list[str], EmailMessage]] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: list[str]) -> str:
        if self.mode == "refuse":
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.mode == "busy":
            return "421 4.3.2 Service not available, try again later"
        if self.mode == "slow":
            await asyncio.sleep(3)  # the server's side: longer than the client waits in the test
            return "250 too late"
        if self.mode == "die":
            server.transport.close()  # gone before it answers: the client cannot know
            return "250 never heard"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append((list(envelope.rcpt_tos), message))  # type: ignore[arg-type]
        return "250 2.0.0 Ok: queued as 4F2A1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, valid for a day."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return cert_path, key_path


@dataclass
class Server:
    handler: Handler
    port: int
    controller: Controller

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def messages(self) -> list[EmailMessage]:
        return [message for _to, message in self.handler.received]


def _start(handler: Handler, **options: Any) -> Server:
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, ready_timeout=10, **options)
    controller.start()
    return Server(handler, port, controller)


@pytest.fixture
def smtp_server() -> Iterator[Server]:
    """A plain SMTP server (no TLS, no AUTH) that accepts everything unless told otherwise."""
    server = _start(Handler())
    yield server
    server.controller.stop()


@pytest.fixture
def tls_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    """STARTTLS required, AUTH (after TLS) with USER/PASSWORD; the certificate trusted by the client."""
    cert, key = make_certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    handler = Handler()

    def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        ok = isinstance(data, LoginPassword) and data.login.decode() == USER and data.password.decode() == PASSWORD
        if ok:
            handler.logins.append(data.login.decode())
        return AuthResult(success=ok)

    server = _start(handler, tls_context=context, require_starttls=True, authenticator=authenticate,
                    auth_require_tls=True)
    yield server
    server.controller.stop()
