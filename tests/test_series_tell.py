"""`--tell` for a series of check-ins, through a real SMTP server on 127.0.0.1: the series'
confirmation, each update with the next check-in's time, the last one, the updates
stopping; a series remembers --tell (and --no-tell) for its check-ins."""

from __future__ import annotations

import json

import pytest
from smtp_support import Server
from test_tell import configure, notices, ok


def text(message) -> str:
    return message.get_content().replace("\r\n", "\n")


def start(pk, *extra: str, lang: str = "en") -> None:
    ok(pk, "add", "the mail outage", "--to", "Kovács Éva", "--contact", "kovacs@example.hu", "--ref", "INC-77",
       "--every", "weekday 10:00", "--until", "fri 17:00", "--lang", lang, *extra)


def test_a_series_confirmation_says_what_how_often_until_when_and_the_first(pk, files, smtp_server: Server) -> None:
    configure(files, mail_smtp=smtp_server.url)
    start(pk, "--tell")
    [message] = smtp_server.messages()
    assert message["Subject"] == "[INC-77] Updates: the mail outage"
    body = text(message)
    assert ("I will update you on “the mail outage” every weekday at 10:00, until Fri 27 Nov 17:00.\n"
            "The first update comes by Mon 23 Nov 10:00.") in body


def test_each_update_names_the_next_and_the_last_says_so_without_repeating_tell(pk, files, smtp_server: Server):
    configure(files, mail_smtp=smtp_server.url)
    start(pk, "--tell")
    result = ok(pk, "done", "1", "--note", "The server is back; mail is flowing again.")
    assert "Told the customer (update): sent to kovacs@example.hu" in result.stdout
    ok(pk, "done", "2", "--no-tell", now="2026-11-24T09:50:00+01:00")  # one skipped: nothing sent
    ok(pk, "done", "3", "--final", "--note", "Fixed for good.", now="2026-11-25T09:50:00+01:00")
    _confirmation, update, last = smtp_server.messages()
    assert update["Subject"] == "[INC-77] Update: the mail outage"
    assert "The server is back; mail is flowing again." in text(update)
    assert "The next update comes by Tue 24 Nov 10:00." in text(update)
    assert last["Subject"] == "[INC-77] Last update: the mail outage"
    assert "Fixed for good.\nThis is the last update: there will be no more." in text(last)
    assert [row[1] for row in notices(files)] == ["series", "update", "last_update"]


def test_cancel_of_a_check_in_tells_the_updates_stop_in_the_customers_language(pk, files, smtp_server: Server):
    configure(files, mail_smtp=smtp_server.url)
    start(pk, "--tell", lang="hu")
    ok(pk, "done", "1")
    ok(pk, "cancel", "2", "--reason", "a hiba elhárult")
    *_, stopped = smtp_server.messages()
    assert stopped["Subject"] == "[INC-77] Nem lesz több tájékoztatás: the mail outage"
    assert stopped["Content-Language"] == "hu"
    assert ("Azt ígértem Önnek, hogy minden hétköznap 10:00-kor tájékoztatom erről: the mail outage. "
            "A tájékoztatást most befejezem: a hiba elhárult.") in text(stopped)
    assert [row[1] for row in notices(files)] == ["series", "update", "stopped"]


def test_a_series_added_without_tell_tells_only_when_asked(pk, files, smtp_server: Server) -> None:
    configure(files, mail_smtp=smtp_server.url)
    start(pk)
    ok(pk, "done", "1")
    assert smtp_server.messages() == []
    ok(pk, "done", "2", "--tell", now="2026-11-24T09:50:00+01:00")
    [update] = smtp_server.messages()
    assert "The next update comes by Wed 25 Nov 10:00." in text(update)


def test_no_tell_on_add_is_remembered_against_tell_default(pk, files, smtp_server: Server) -> None:
    configure(files, mail_smtp=smtp_server.url, tell_default=True)
    start(pk, "--no-tell")
    ok(pk, "done", "1")
    assert smtp_server.messages() == []


@pytest.mark.parametrize("language, words", [
    ("it", "aggiornamenti su «the mail outage» dal lunedì al venerdì alle 10:00, fino a ven 27 nov 17:00."),
    ("sv", "jag håller dig uppdaterad varje vardag kl. 10:00, fram till fre 27 nov. 17:00 om det här"),
])
def test_the_confirmation_in_italian_and_swedish(pk, files, smtp_server: Server, language: str, words: str) -> None:
    configure(files, mail_smtp=smtp_server.url)
    start(pk, "--tell", lang=language)
    [message] = smtp_server.messages()
    assert words in text(message)


def test_export_and_import_carry_what_the_series_remembers(pk, files, smtp_server: Server, tmp_path) -> None:
    configure(files, mail_smtp=smtp_server.url)
    start(pk, "--tell")
    exported = tmp_path / "out.json"
    ok(pk, "export", "-o", str(exported))
    assert json.loads(exported.read_text())["promises"][0]["series"]["tell"] is True
    other = {"PROMISEKEEPER_DB": str(tmp_path / "other.db")}
    ok(pk, "import", str(exported), env=other)
    ok(pk, "done", "1", env=other)  # told without --tell, as where it came from
    assert [message["Subject"] for message in smtp_server.messages()] == [
        "[INC-77] Updates: the mail outage", "[INC-77] Update: the mail outage"]


@pytest.mark.parametrize("change", [
    ("reschedule", "1", "2026-11-23 15:00", "--reason", "the vendor calls back at 14"),
    ("handoff", "1", "--to-owner", "Bo", "--new-owner", "--reason", "off shift"),
    ("tried", "1"),
])
def test_a_remembered_tell_covers_every_change_to_a_check_in(pk, files, smtp_server: Server, change) -> None:
    configure(files, mail_smtp=smtp_server.url)
    start(pk, "--tell")
    ok(pk, *change)
    _confirmation, told = smtp_server.messages()
    assert "the mail outage" in told["Subject"]
    ok(pk, "tried", "1", "--no-tell")  # still leaves one out
    assert len(smtp_server.messages()) == 2


def test_a_series_without_tell_keeps_its_other_changes_quiet(pk, files, smtp_server: Server) -> None:
    configure(files, mail_smtp=smtp_server.url, tell_default=True)
    start(pk, "--no-tell")
    ok(pk, "reschedule", "1", "2026-11-23 15:00", "--reason", "the vendor calls back at 14")
    ok(pk, "tried", "1")
    assert smtp_server.messages() == []
