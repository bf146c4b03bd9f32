"""The same ledger against PostgreSQL, when a test server is given.

Set PROMISEKEEPER_TEST_POSTGRES_URL (e.g. postgresql+psycopg://pk:pk@localhost/pktest, a
database this test may wipe) and install a driver (`pip install "psycopg[binary]"`).
"""

from __future__ import annotations

import json
import os

import pytest

URL = os.environ.get("PROMISEKEEPER_TEST_POSTGRES_URL", "")

pytestmark = pytest.mark.skipif(not URL, reason="PROMISEKEEPER_TEST_POSTGRES_URL is not set (no PostgreSQL to test against)")


@pytest.fixture
def postgres(monkeypatch):
    from sqlalchemy import create_engine, text

    engine = create_engine(URL)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS event, promise, schema_migrations CASCADE"))
    engine.dispose()
    monkeypatch.setenv("PROMISEKEEPER_DB", URL)
    return URL


def test_ledger_views_reminders_and_undo(pk, postgres):
    assert pk("add", "Send VPN config", "--to", "Eva", "--tag", "vpn", "--due", "tomorrow 10am").exit_code == 0
    assert pk("add", "Call Bob", "--due", "11:00").exit_code == 0
    assert [p["what"] for p in json.loads(pk("list", "--tag", "vpn", "--json").stdout)] == ["Send VPN config"]
    assert pk("done", "2", now="2026-11-23T11:30:00+01:00").exit_code == 0
    assert pk("reschedule", "1", "fri", "--reason", "vendor").exit_code == 0
    assert pk("tried", "1").exit_code == 0
    assert pk("undo").exit_code == 0
    shown = json.loads(pk("show", "1", "--json").stdout)
    assert [e["kind"] for e in shown["events"]] == ["created", "rescheduled", "attempted", "undone"]
    late = pk("remind", now="2026-11-27T18:00:00+01:00")
    assert late.exit_code == 0 and "Overdue: #1" in late.stdout
    assert pk("remind", now="2026-11-27T18:05:00+01:00").stdout == ""
    assert "***" in pk("db").stdout or "@" not in URL
