"""A team on PostgreSQL with a role per technician, set up as the Team page says, literally.

The page's SQL block runs as the superuser (the throw-away server's role is one); then the
schema's owner makes the tables and grants the team its rights, and two technicians and the
lead work with their own roles. A role without the grants is told the fix; a member's newer
pk on an older schema names the owner who must upgrade it; an older pk on a newer one refuses.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from promisekeeper.db.migrations import SCHEMA_VERSION

DOCS = Path(__file__).parent.parent / "docs" / "team.md"
NOW = "2026-11-23T09:30:00+01:00"


def page_sql() -> list[str]:
    """The statements of the SQL block under "A role per technician", as the page shows them."""
    text = DOCS.read_text()
    section = text[text.index("### A role per technician"):]
    block = re.search(r"```sql\n(.*?)```", section, re.S)
    assert block is not None
    return [statement.strip() for statement in block.group(1).split(";") if statement.strip()]


def page_commands() -> list[list[str]]:
    """The owner's `pk …` lines of the sh block after it, without their comments."""
    text = DOCS.read_text()
    section = text[text.index("### A role per technician"):]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None
    return [line.split("#")[0].split()[1:] for line in block.group(1).splitlines() if line.startswith("pk ")]


@pytest.fixture
def team(postgres_server) -> Iterator[dict[str, str]]:
    """The page's roles and database made by the superuser; role -> PROMISEKEEPER_DB."""
    from sqlalchemy.engine import make_url

    admin = postgres_server.connection
    admin.execute("DROP DATABASE IF EXISTS support WITH (FORCE)")
    for role in ("ann", "bo", "lars", "cy", "support_team", "support_owner"):
        admin.execute(f"DROP ROLE IF EXISTS {role}")
    for statement in page_sql():
        admin.execute(statement)
    admin.execute("CREATE ROLE cy LOGIN")  # a technician nobody granted anything
    base = make_url(postgres_server.url)
    urls = {role: base.set(username=role, database="support").render_as_string(hide_password=False)
            for role in ("support_owner", "ann", "bo", "lars", "cy")}
    yield urls
    admin.execute("DROP DATABASE IF EXISTS support WITH (FORCE)")
    for role in ("ann", "bo", "lars", "cy", "support_team", "support_owner"):
        admin.execute(f"DROP ROLE IF EXISTS {role}")


def as_role(pk, urls: dict[str, str], role: str, *args: str, owner: str | None = None, code: int = 0):
    env = {"PROMISEKEEPER_DB": urls[role], "LOGNAME": owner or role}
    result = pk(*args, env=env, now=NOW)
    assert result.exit_code == code, (role, args, result.output)
    return result


def test_the_team_page_set_up_works_for_both_technicians_and_the_lead(pk, team):
    for command in page_commands():
        as_role(pk, team, "support_owner", *command)
    ann = json.loads(as_role(pk, team, "ann", "add", "Send VPN config", "--due", "10:00", "--json").stdout)
    bo = json.loads(as_role(pk, team, "bo", "add", "Quote for licences", "--due", "11:00", "--json").stdout)
    assert [p["id"] for p in json.loads(as_role(pk, team, "ann", "list", "--json").stdout)] == [ann["id"]]
    assert as_role(pk, team, "bo", "tried", str(bo["id"])).exit_code == 0
    everyone = json.loads(as_role(pk, team, "lars", "list", "--team", "--json").stdout)
    assert sorted(p["owner"] for p in everyone) == ["ann", "bo"]
    digest = as_role(pk, team, "lars", "remind", "--team", "--digest", "--dry-run")
    assert "Send VPN config" in digest.stdout and "Quote for licences" in digest.stdout
    assert "Send VPN config" in as_role(pk, team, "ann", "undo").stdout  # hers, not Bo's later one
    assert as_role(pk, team, "ann", "stats", "--team").exit_code == 0


def test_without_the_grants_the_error_names_the_fix(pk, team):
    as_role(pk, team, "support_owner", "db", "init")
    result = as_role(pk, team, "cy", "list", code=1)
    assert "permission denied" in result.stderr and "pk db grant ROLE --run" in result.stderr
    assert "Traceback" not in result.output


def test_grant_prints_its_sql_and_a_member_cannot_run_it(pk, team):
    as_role(pk, team, "support_owner", "db", "init")
    printed = as_role(pk, team, "support_owner", "db", "grant", "support_team").stdout.splitlines()
    assert printed[0] == 'GRANT USAGE ON SCHEMA "public" TO "support_team";'
    assert any(line.startswith('ALTER DEFAULT PRIVILEGES FOR ROLE "support_owner"') for line in printed)
    as_role(pk, team, "support_owner", "db", "grant", "support_team", "--run")
    refused = as_role(pk, team, "ann", "db", "grant", "cy", "--run", code=1)
    assert "only the schema's owner support_owner" in refused.stderr


def test_upgrades_are_the_schema_owners(pk, team, postgres_server):
    import psycopg

    for command in page_commands():
        as_role(pk, team, "support_owner", *command)
    as_role(pk, team, "ann", "add", "x", "--due", "10:00")
    with _connect(team["support_owner"]) as owner:  # the schema as the version before made it
        owner.execute("ALTER TABLE event DROP COLUMN author")
        owner.execute("DELETE FROM schema_migrations WHERE name = 'm0005_authors_in_the_journal'")
    older = as_role(pk, team, "ann", "list", code=1)
    assert older.stderr == (
        f"pk: the database's schema is older than this pk (schema {SCHEMA_VERSION - 1}, this pk knows {SCHEMA_VERSION}); "
        "its owner support_owner must run pk db upgrade\n"
    )
    upgraded = as_role(pk, team, "support_owner", "db", "upgrade")
    assert upgraded.stdout == f"Upgraded the schema from {SCHEMA_VERSION - 1} to {SCHEMA_VERSION}\n"
    assert len(json.loads(as_role(pk, team, "ann", "list", "--json").stdout)) == 1
    with _connect(team["support_owner"]) as owner:  # a table a later version adds ...
        owner.execute("CREATE TABLE later_table (id integer)")
    with _connect(team["ann"]) as member:  # ... is the team's by the default privileges
        member.execute("INSERT INTO later_table VALUES (1)")
    with _connect(team["support_owner"]) as owner:  # and a newer pk's schema ...
        owner.execute("INSERT INTO schema_migrations (name) VALUES ('m0099_from_the_future')")
    newer = as_role(pk, team, "ann", "list", code=1)  # ... is refused by this older one
    assert "written by a newer promisekeeper" in newer.stderr
    assert psycopg is not None


def _connect(url: str):
    from postgres_server import _connect as connect

    return connect(url)


def test_a_members_large_import_leaves_the_owners_tables_to_autovacuum(pk, team, tmp_path, postgres_server):
    """After a large import pk vacuums and analyses only the tables its role owns: a member's
    import stores everything, says nothing of the owner's tables, and leaves them alone."""
    from promisekeeper.db.bulk import REFRESH_AFTER

    for command in page_commands():
        as_role(pk, team, "support_owner", *command)
    records = [{"uuid": f"00000000-0000-4000-8000-{n:012d}", "what": f"Call back {n}", "owner": "ann",
                "due_at": "2026-11-24T10:00:00+00:00", "created_at": "2026-11-20T10:00:00+00:00"}
               for n in range(REFRESH_AFTER)]
    path = tmp_path / "export.json"
    path.write_text(json.dumps({"format": "promisekeeper", "version": 1, "promises": records}), encoding="utf-8")
    result = as_role(pk, team, "ann", "import", str(path))
    assert result.stdout == f"Imported {REFRESH_AFTER} promises from export.json\n" and result.stderr == ""
    with _connect(team["support_owner"]) as owner:
        vacuumed = owner.execute("SELECT count(*) FROM pg_stat_user_tables WHERE last_vacuum IS NOT NULL").fetchone()
    assert vacuumed == (0,)
