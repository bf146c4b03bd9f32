"""`--tell`: notices to the customer through a real SMTP server on 127.0.0.1, a sendmail
stub and a drafts folder; what is sent when, in which language, and what happens when the
server is away, refuses, or dies in the middle."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest
from conftest import db_content
from smtp_support import PASSWORD, USER, Server

FROM = "Eva Lund <eva@example.com>"
TOMORROW = "2026-11-24 10:00"


def configure(files, **settings: str | bool) -> None:
    """Write the config file: mail.from and whatever else is given ("mail_smtp" = "mail.smtp")."""
    values = {"mail.from": FROM} | {key.replace("_", ".", 1): value for key, value in settings.items()}
    lines = []
    for key, value in values.items():
        rendered = ("true" if value else "false") if isinstance(value, bool) else json.dumps(value)
        lines.append(f"{json.dumps(key)} = {rendered}")
    files.config.write_text("\n".join(lines) + "\n")


def ok(pk, *args: str, now: str | None = None, env: dict[str, str] | None = None):
    result = pk(*args, now=now, env=env)
    assert result.exit_code == 0, result.output
    return result


def add_told(pk, *extra: str, contact: str = "kovacs@example.hu", who: str = "Kovács Éva",
             env: dict[str, str] | None = None):
    return pk("add", "Send the VPN config", "--to", who, "--contact", contact, "--ref", "INC-4821",
              "--due", TOMORROW, "--tell", *extra, env=env)


def notices(files) -> list[tuple[object, ...]]:
    with sqlite3.connect(files.db) as conn:
        return conn.execute("SELECT id, kind, state, recipient, answer, language FROM notice ORDER BY id").fetchall()


# -- acceptance ----------------------------------------------------------------------------


def test_a_confirmation_reaches_the_server_with_the_right_headers(pk, files, smtp_server: Server) -> None:
    configure(files, mail_smtp=smtp_server.url, mail_reply_to="desk@example.com")

    result = add_told(pk)

    assert result.exit_code == 0, result.output
    assert "Promised #1 Send the VPN config" in result.stdout
    assert "Told the customer (confirmation): sent to kovacs@example.hu" in result.stdout
    [(recipients, message)] = smtp_server.handler.received
    assert recipients == ["kovacs@example.hu"]
    assert message["To"].addresses[0].display_name == "Kovács Éva"
    assert message["Subject"].startswith("[INC-4821] ")
    assert message["Content-Language"] == "en"
    assert message["Reply-To"] == "desk@example.com"
    assert message["Date"] == "Mon, 23 Nov 2026 08:30:00 +0000"
    uuid = notices_uuid(files, 1)
    assert message["Message-ID"] == f"<{uuid}@example.com>"
    assert "Tue 24 Nov 10:00" in message.get_content()
    assert notices(files)[0][2:4] == ("sent", "kovacs@example.hu")
    logged = ok(pk, "log", "1").stdout
    assert "confirmation notice sent to kovacs@example.hu: 250 2.0.0 Ok: queued as 4F2A1" in logged


def notices_uuid(files, ident: int) -> str:
    with sqlite3.connect(files.db) as conn:
        return conn.execute("SELECT uuid FROM notice WHERE id = ?", (ident,)).fetchone()[0]


def test_non_ascii_names_are_encoded_and_no_header_can_be_injected(pk, files, smtp_server: Server) -> None:
    configure(files, mail_smtp=smtp_server.url)

    result = pk("add", "Ring back\nBcc: evil@example.org", "--to", "Åsa\r\nBcc: evil@example.org",
                "--contact", "asa@example.se", "--due", TOMORROW, "--tell")

    assert result.exit_code in (0, 2)  # the limits may refuse control characters outright
    for _recipients, message in smtp_server.handler.received:
        assert "evil@example.org" not in (message["Bcc"] or "")
        assert all("evil" not in address for address in _recipients)
    configure(files, mail_smtp=smtp_server.url)
    ok(pk, "add", "Ring back", "--to", "Åsa Öberg", "--contact", "asa@example.se", "--due", TOMORROW, "--tell")
    raw = smtp_server.handler.received[-1][1].as_string()
    assert "=?utf-8?" in raw.split("\n\n", 1)[0]  # the name is an encoded word, not raw bytes


def test_the_notices_of_a_promise_are_one_thread(pk, files, smtp_server: Server) -> None:
    configure(files, mail_smtp=smtp_server.url)
    assert add_told(pk).exit_code == 0
    ok(pk, "reschedule", "1", "wed 10am", "--reason", "waiting on the vendor", "--tell")
    first, second = smtp_server.messages()

    assert second["In-Reply-To"] == first["Message-ID"]
    assert second["References"] == first["Message-ID"]
    assert second["Subject"] == "[INC-4821] New time: Send the VPN config"
    body = second.get_content()
    assert "Tue 24 Nov 10:00" in body and "Wed 25 Nov 10:00" in body and "waiting on the vendor" in body


def test_a_move_after_the_deadline_is_an_apology(pk, files, smtp_server: Server) -> None:
    configure(files, mail_smtp=smtp_server.url)
    ok(pk, "add", "Call back", "--to", "Bob", "--contact", "bob@example.com", "--due", "10:00")

    ok(pk, "reschedule", "1", "3pm", "--reason", "the line was down", "--tell", now="2026-11-23T11:00:00+01:00")

    [message] = smtp_server.messages()
    assert message["Subject"] == "Running late: Call back"
    assert "did not keep that promise" in message.get_content()


def test_done_cancel_handoff_and_tried_tell_what_happened(pk, files, smtp_server: Server) -> None:
    configure(files, mail_smtp=smtp_server.url)
    for what in ("One", "Two", "Three", "Four"):
        ok(pk, "add", what, "--to", "Bob", "--contact", "+46 70 123", "--contact", "bob@example.com", "--due", TOMORROW)
    ok(pk, "add", "Colleague's", "--owner", "Bo Ek", "--due", TOMORROW)

    ok(pk, "done", "1", "--note", "the config is attached", "--tell")
    ok(pk, "cancel", "2", "--reason", "the customer fixed it", "--tell")
    ok(pk, "handoff", "3", "--to-owner", "bo ek", "--reason", "off shift", "--tell")
    ok(pk, "tried", "4", "--tell", now="2026-11-23T10:20:00+01:00")

    done, released, handed, tried = (message.get_content() for message in smtp_server.messages())
    assert "is done" in done and "the config is attached" in done
    assert "the customer fixed it" in released
    assert "Bo Ek is taking over" in handed
    assert "I tried to reach you at Mon 23 Nov 10:20" in tried


def test_customer_text_is_never_read_as_template_syntax(pk, files, smtp_server: Server) -> None:
    configure(files, mail_smtp=smtp_server.url)

    ok(pk, "add", "Fix {due} and {0} and {what.__class__}", "--to", "{greeting}", "--contact", "x@example.com",
       "--due", TOMORROW, "--tell")

    body = smtp_server.messages()[0].get_content()
    assert "Fix {due} and {0} and {what.__class__}" in body
    assert "Hello {greeting}," in body


# -- failures: the change stands, the notice waits ----------------------------------------------


def test_a_refused_recipient_keeps_the_promise_and_says_so_once(pk, files, smtp_server: Server) -> None:
    configure(files, mail_smtp=smtp_server.url)
    smtp_server.handler.mode = "refuse"

    result = add_told(pk)

    assert result.exit_code == 0
    assert "Promised #1" in result.stdout
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("pk: notice not sent (confirmation): 550")
    assert notices(files)[0][2] == "failed"
    assert "failed" in ok(pk, "outbox").stdout
    assert "confirmation notice not sent to kovacs@example.hu: 550" in ok(pk, "log").stdout


@pytest.mark.parametrize("mode", ["busy", "die"])
def test_a_server_that_is_busy_or_dies_mid_data_leaves_the_notice_waiting(pk, files, smtp_server: Server, mode) -> None:
    configure(files, mail_smtp=smtp_server.url)
    smtp_server.handler.mode = mode

    result = add_told(pk)

    assert result.exit_code == 0 and "Promised #1" in result.stdout
    assert result.stderr.startswith("pk: notice waiting (confirmation): ") and result.stderr.count("\n") == 1
    assert notices(files)[0][2] == "waiting"
    assert "1 notice waiting (pk outbox)" in ok(pk).stdout
    # cron: a retry that fails the same way says nothing; one that delivers says so, once
    assert ok(pk, "remind").output == ""
    smtp_server.handler.mode = "accept"
    assert ok(pk, "remind").stdout == "Told the customer (confirmation): sent to kovacs@example.hu\n"
    assert ok(pk, "remind").output == ""
    assert len(smtp_server.messages()) == 1
    assert "notice waiting" not in ok(pk).stdout


def test_a_server_that_does_not_answer_in_time_leaves_the_notice_waiting(pk, files, smtp_server: Server,
                                                                        monkeypatch) -> None:
    from promisekeeper.outbox import transports

    monkeypatch.setattr(transports, "TIMEOUT_S", 1.0)  # in-process: a second instead of thirty
    configure(files, mail_smtp=smtp_server.url)
    smtp_server.handler.mode = "slow"

    result = add_told(pk)

    assert result.exit_code == 0 and "Promised #1" in result.stdout
    assert result.stderr == (f"pk: notice waiting (confirmation): {smtp_server.url}: no answer within 1 s; "
                             "pk outbox send (or pk remind) tries again\n")
    assert notices(files)[0][2] == "waiting"


def test_headers_carry_no_line_break_from_customer_text() -> None:
    from datetime import UTC, datetime

    from promisekeeper.outbox import headers

    envelope = headers.Envelope(sender="Eva Lund <eva@example.com>", recipient="asa@example.se",
                                customer="Åsa\r\nBcc: evil@example.org")
    message = headers.build(uuid="u-1", subject="Fine\nBcc: evil@example.org", body="x\n", language="sv",
                            earlier=[], envelope=envelope, date=datetime(2026, 11, 23, tzinfo=UTC))
    raw = message.as_string()
    head = raw.split("\r\n\r\n", 1)[0]
    assert "\nBcc:" not in head and "Bcc" not in message
    assert headers.recipients(message) == ["asa@example.se"]
    assert message["Subject"] == "Fine Bcc: evil@example.org"


def test_a_server_that_is_not_there_leaves_the_notice_for_pk_outbox_send(pk, files, smtp_server: Server) -> None:
    configure(files, mail_smtp=smtp_server.url.replace(str(smtp_server.port), "1"))

    result = add_told(pk)

    assert result.exit_code == 0 and "could not be reached" in result.stderr
    configure(files, mail_smtp=smtp_server.url)
    assert ok(pk, "outbox", "send").stdout == "Told the customer (confirmation): sent to kovacs@example.hu\n"
    assert ok(pk, "outbox").stdout == "No notice is waiting.\n"


def test_a_waiting_notice_goes_to_the_corrected_address(pk, files, smtp_server: Server) -> None:
    configure(files, mail_smtp=smtp_server.url)
    smtp_server.handler.mode = "refuse"
    add_told(pk, contact="kovacs@exmaple.hu")
    smtp_server.handler.mode = "accept"

    ok(pk, "edit", "1", "--contact", "kovacs@example.hu")
    ok(pk, "outbox", "send")

    assert smtp_server.handler.received[0][0] == ["kovacs@example.hu"]


def test_a_notice_can_be_dropped_and_that_is_recorded(pk, files, smtp_server: Server) -> None:
    configure(files, mail_smtp=smtp_server.url)
    smtp_server.handler.mode = "busy"
    add_told(pk)

    assert "Dropped notice 1" in ok(pk, "outbox", "drop", "1").stdout
    assert pk("outbox", "drop", "1").exit_code == 2
    smtp_server.handler.mode = "accept"
    ok(pk, "outbox", "send")
    assert smtp_server.messages() == []
    assert "confirmation notice dropped, never sent" in ok(pk, "log").stdout


# -- refusals and dry runs ----------------------------------------------------------------------


def test_tell_without_an_email_contact_is_refused_and_nothing_is_written(pk, files, smtp_server: Server) -> None:
    configure(files, mail_smtp=smtp_server.url)
    before = db_content(files.db)

    result = pk("add", "Call back", "--contact", "+46 70 123", "--due", TOMORROW, "--tell")

    assert result.exit_code == 2
    assert result.stderr == "pk: #1 has no email contact to tell; add one with --contact ADDRESS, or leave out --tell\n"
    assert db_content(files.db) == before


def test_tell_without_mail_settings_is_refused(pk, files) -> None:
    result = pk("add", "Call back", "--contact", "a@example.com", "--due", TOMORROW, "--tell")
    assert result.exit_code == 2 and "mail.from" in result.stderr


def test_tell_default_tells_when_there_is_an_email_and_no_tell_overrides(pk, files, smtp_server: Server) -> None:
    configure(files, mail_smtp=smtp_server.url, tell_default=True)

    ok(pk, "add", "One", "--contact", "a@example.com", "--due", TOMORROW)
    ok(pk, "add", "Two", "--contact", "+46 70 123", "--due", TOMORROW)
    ok(pk, "add", "Three", "--contact", "a@example.com", "--due", TOMORROW, "--no-tell")

    assert [message["Subject"] for message in smtp_server.messages()] == ["Confirmed: One"]


def test_nothing_is_sent_without_tell(pk, files, smtp_server: Server) -> None:
    configure(files, mail_smtp=smtp_server.url)
    ok(pk, "add", "One", "--contact", "a@example.com", "--due", TOMORROW)
    ok(pk, "done", "1")
    assert smtp_server.messages() == [] and notices(files) == []


def test_a_dry_run_prints_the_exact_mail_and_sends_and_saves_nothing(pk, files, smtp_server: Server) -> None:
    configure(files, mail_smtp=smtp_server.url)
    ok(pk, "add", "Call back", "--to", "Bob", "--contact", "bob@example.com", "--due", TOMORROW)
    before = db_content(files.db)

    result = ok(pk, "reschedule", "1", "wed 10am", "--reason", "vendor", "--tell", "--dry-run")

    assert result.stdout.startswith("From: Eva Lund <eva@example.com>\nTo: Bob <bob@example.com>\n")
    assert "Subject: New time: Call back\n" in result.stdout and "Message-ID: <" in result.stdout
    assert db_content(files.db) == before
    assert smtp_server.messages() == []
    assert pk("reschedule", "1", "wed 10am", "--reason", "vendor", "--dry-run").exit_code == 2


# -- STARTTLS and AUTH, sendmail, drafts ----------------------------------------------------------


def test_starttls_and_login_with_the_password_from_the_environment(pk, files, tls_server: Server) -> None:
    configure(files, mail_smtp=f"smtp://{USER}@127.0.0.1:{tls_server.port}")

    result = add_told(pk, env={"PROMISEKEEPER_SMTP_PASSWORD": PASSWORD})

    assert "Told the customer" in result.stdout, result.output
    assert tls_server.handler.logins == [USER] and len(tls_server.messages()) == 1
    assert PASSWORD not in result.output


def test_the_password_can_come_from_a_command_run_without_a_shell(pk, files, tls_server: Server, tmp_path) -> None:
    script = tmp_path / "secret tool"
    script.write_text(f"#!/bin/sh\necho '{PASSWORD}'\n")
    script.chmod(0o700)
    configure(files, mail_smtp=f"smtp://{USER}@127.0.0.1:{tls_server.port}",
              mail_password_command=f"'{script}' lookup smtp")

    assert "Told the customer" in add_told(pk).stdout
    assert tls_server.handler.logins == [USER]


def test_a_wrong_password_is_a_failure_that_names_no_secret(pk, files, tls_server: Server) -> None:
    configure(files, mail_smtp=f"smtp://{USER}@127.0.0.1:{tls_server.port}")
    result = add_told(pk, env={"PROMISEKEEPER_SMTP_PASSWORD": "wrong-guess"})
    assert result.exit_code == 0 and "refused the login" in result.stderr and "wrong-guess" not in result.output


def test_no_password_is_sent_to_a_server_without_starttls(pk, files, smtp_server: Server) -> None:
    configure(files, mail_smtp=f"smtp://{USER}@127.0.0.1:{smtp_server.port}")
    result = add_told(pk, env={"PROMISEKEEPER_SMTP_PASSWORD": PASSWORD})
    assert "offers no STARTTLS; pk sends no password without TLS" in result.stderr
    assert smtp_server.messages() == []


def test_a_password_in_the_url_is_refused_by_config(pk) -> None:
    result = pk("config", "set", "mail.smtp", "smtp://eva:hunter2@mail.example.com:587")
    assert result.exit_code == 2 and "hunter2" not in result.output


def test_config_check_tries_the_server(pk, files, smtp_server: Server) -> None:
    configure(files, mail_smtp=smtp_server.url)
    result = ok(pk, "config", "check")
    assert f"Mail (smtp): smtp://127.0.0.1:{smtp_server.port}: 250" in result.stdout
    configure(files, mail_smtp=smtp_server.url.replace(str(smtp_server.port), "1"))
    assert pk("config", "check").exit_code == 1


def test_sendmail_gets_the_mail_on_stdin(pk, files, tmp_path) -> None:
    stub = tmp_path / "sendmail"
    out = tmp_path / "sent"
    stub.write_text(f'#!/bin/sh\necho "$@" > "{out}.args"\ncat > "{out}.eml"\n')
    stub.chmod(0o700)
    configure(files, mail_sendmail=f"{stub} -t -i")

    assert "Told the customer" in add_told(pk).stdout

    assert (Path(f"{out}.args").read_text().split()) == ["-t", "-i"]
    assert "To: =?utf-8?" in Path(f"{out}.eml").read_text()


def test_a_failing_sendmail_leaves_the_notice_waiting(pk, files, tmp_path) -> None:
    stub = tmp_path / "sendmail"
    stub.write_text("#!/bin/sh\necho 'queue is full' >&2\nexit 75\n")
    stub.chmod(0o700)
    configure(files, mail_sendmail=str(stub))

    result = add_told(pk)

    assert result.exit_code == 0 and "exited with status 75: queue is full" in result.stderr
    assert notices(files)[0][2] == "waiting"


def test_drafts_are_private_eml_files_and_a_crash_after_saving_sends_no_second(pk, files, tmp_path) -> None:
    drafts = tmp_path / "drafts"
    configure(files, mail_drafts=str(drafts))

    ok(pk, "add", "Call back", "--contact", "a@example.com", "--due", TOMORROW, "--tell")

    [draft] = drafts.iterdir()
    assert draft.name == f"{notices_uuid(files, 1)}.eml"
    assert stat.S_IMODE(os.stat(draft).st_mode) == 0o600
    # as if pk had died after saving and before marking: the claim is stale, the file there
    with sqlite3.connect(files.db) as conn:
        conn.execute("UPDATE notice SET state = 'sending', claimed_at = claimed_at - 3600")
    before = draft.read_bytes()
    result = ok(pk, "outbox", "send")
    assert "Told the customer" in result.stdout
    assert draft.read_bytes() == before and len(list(drafts.iterdir())) == 1
    assert notices(files)[0][4] == "already delivered before pk stopped"


# -- languages and templates ----------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "words"), [
    ("it", ["Gentile Bob,", "Le confermo", "Cordiali saluti"]),
    ("hu", ["Kedves Bob!", "Ön", "Üdvözlettel"]),
    ("sv", ["Hej Bob!", "lovade dig", "Vänliga hälsningar"]),
])
def test_notices_speak_the_customers_language(pk, files, smtp_server: Server, lang, words) -> None:
    configure(files, mail_smtp=smtp_server.url)

    ok(pk, "add", "Call back", "--to", "Bob", "--contact", "bob@example.com", "--lang", lang, "--due", TOMORROW,
       "--tell")

    message = smtp_server.messages()[0]
    assert message["Content-Language"] == lang
    body = message.get_content()
    for word in words:
        assert word in body, body


def test_the_language_comes_from_customer_language_else_the_technicians(pk, files, smtp_server: Server) -> None:
    configure(files, mail_smtp=smtp_server.url, customer_language="sv")
    ok(pk, "add", "One", "--contact", "a@example.com", "--due", TOMORROW, "--tell")
    configure(files, mail_smtp=smtp_server.url, language="it")
    ok(pk, "add", "Two", "--contact", "a@example.com", "--due", TOMORROW, "--tell")
    assert [m["Content-Language"] for m in smtp_server.messages()] == ["sv", "it"]


def test_a_template_file_overrides_the_built_in_one(pk, files, smtp_server: Server) -> None:
    configure(files, mail_smtp=smtp_server.url)
    folder = files.config.parent / "templates" / "en"
    folder.mkdir(parents=True)
    (folder / "confirmed.txt").write_text("Subject: We heard you: {what}\n\nDear {customer}, by {due}. {signature}\n")

    ok(pk, "add", "Call back", "--to", "Bob", "--contact", "bob@example.com", "--due", TOMORROW, "--tell")

    message = smtp_server.messages()[0]
    assert message["Subject"] == "We heard you: Call back"
    assert message.get_content().startswith("Dear Bob, by Tue 24 Nov 10:00. Kind regards,")


def test_a_template_with_an_unknown_field_is_refused_naming_it(pk, files, smtp_server: Server) -> None:
    configure(files, mail_smtp=smtp_server.url)
    folder = files.config.parent / "templates" / "en"
    folder.mkdir(parents=True)
    (folder / "confirmed.txt").write_text("Subject: {what}\n\nSee you {deadline}.\n")
    before = db_content(files.db)

    checked = pk("config", "check")
    used = pk("add", "Call back", "--contact", "bob@example.com", "--due", TOMORROW, "--tell")

    assert checked.exit_code == 2 and "unknown field {deadline}" in checked.stderr
    assert used.exit_code == 2 and "unknown field {deadline}" in used.stderr
    assert db_content(files.db) == before


def test_a_template_that_is_not_a_regular_small_file_is_refused(pk, files, smtp_server: Server) -> None:
    configure(files, mail_smtp=smtp_server.url)
    folder = files.config.parent / "templates" / "en"
    folder.mkdir(parents=True)
    (folder / "confirmed.txt").mkdir()
    assert "not a regular file" in pk("config", "check").stderr
    (folder / "confirmed.txt").rmdir()
    (folder / "confirmed.txt").write_text("Subject: x\n\n" + "y" * 20000)
    assert "larger than 16 KiB" in pk("config", "check").stderr


# -- the promise's data -----------------------------------------------------------------------------


def test_lang_and_two_contacts_are_stored_shown_exported_and_imported(pk, files, tmp_path) -> None:
    ok(pk, "add", "Call back", "--contact", "+36 1 234", "--contact", "eva@example.hu", "--lang", "hu",
       "--due", TOMORROW)

    shown = ok(pk, "show", "1").stdout
    assert "contact   +36 1 234, eva@example.hu" in shown and "language  hu" in shown
    exported = json.loads(ok(pk, "show", "1", "--json").stdout)
    assert exported["contact"] == "+36 1 234" and exported["contact2"] == "eva@example.hu"
    assert exported["language"] == "hu"
    dump = tmp_path / "dump.json"
    ok(pk, "export", "-o", str(dump))
    other = tmp_path / "other.db"
    ok(pk, "import", str(dump), env={"PROMISEKEEPER_DB": str(other)})
    again = json.loads(ok(pk, "show", "1", "--json", env={"PROMISEKEEPER_DB": str(other)}).stdout)
    assert (again["contact2"], again["language"]) == ("eva@example.hu", "hu")


def test_bad_lang_and_a_third_contact_are_refused(pk, files) -> None:
    assert pk("add", "x", "--lang", "de").exit_code == 2
    third = pk("add", "x", "--contact", "a@example.com", "--contact", "1", "--contact", "2")
    assert third.exit_code == 2 and "at most twice" in third.stderr
    assert db_content(files.db) == ([], [])


def test_edit_replaces_the_contact_of_its_kind(pk, files) -> None:
    ok(pk, "add", "Call back", "--contact", "+36 1 234", "--contact", "old@example.hu", "--due", TOMORROW)
    ok(pk, "edit", "1", "--contact", "new@example.hu")
    ok(pk, "edit", "1", "--lang", "it")
    shown = json.loads(ok(pk, "show", "1", "--json").stdout)
    assert (shown["contact"], shown["contact2"], shown["language"]) == ("+36 1 234", "new@example.hu", "it")


def test_the_briefing_says_how_many_notices_wait(pk, files, smtp_server: Server) -> None:
    configure(files, mail_smtp=smtp_server.url)
    smtp_server.handler.mode = "busy"
    add_told(pk)
    ok(pk, "add", "Second", "--contact", "b@example.com", "--due", "2026-11-23 16:00", "--tell")

    briefing = ok(pk, "brief").stdout

    assert "Due today (1):" in briefing
    assert briefing.endswith("2 notices waiting (pk outbox)\n")


def test_add_dry_run_with_tell_prints_the_confirmation_and_saves_nothing(pk, files, smtp_server: Server) -> None:
    configure(files, mail_smtp=smtp_server.url)

    result = ok(pk, "add", "Call back", "--to", "Bob", "--contact", "bob@example.com", "--due", TOMORROW,
                "--tell", "--dry-run")

    assert "Subject: Confirmed: Call back\n" in result.stdout and "To: Bob <bob@example.com>\n" in result.stdout
    assert db_content(files.db) == ([], []) and smtp_server.messages() == []


def test_add_json_with_tell_keeps_stdout_json(pk, files, smtp_server: Server) -> None:
    configure(files, mail_smtp=smtp_server.url)
    result = ok(pk, "add", "Call back", "--contact", "bob@example.com", "--due", TOMORROW, "--tell", "--json")
    assert json.loads(result.stdout)["contact"] == "bob@example.com"
    assert result.stderr == "pk: Told the customer (confirmation): sent to bob@example.com\n"
