"""PostgreSQL roles for a team: the grants members need, and who may upgrade the schema.

One role owns the schema (it made the tables and runs `pk db upgrade`); each technician
logs in with a role of their own that is a member of a team role holding the rights to read
and write. Default privileges make the tables and sequences a later migration adds
readable and writable by the team role as well. Plain DB-API (psycopg), no ORM.
"""

from __future__ import annotations

from typing import Any

from promisekeeper import limits
from promisekeeper.errors import BadInput, StorageError
from promisekeeper.lang.i18n import _

# pk deletes rows only from promise_tag (a promise's tags are rewritten when edited).
TABLE_RIGHTS = "SELECT, INSERT, UPDATE, DELETE"
# UPDATE: `pk import` reserves its block of ids with setval, under the writers' lock.
SEQUENCE_RIGHTS = "USAGE, SELECT, UPDATE"


def identifier(name: str) -> str:
    """A role or schema name quoted for SQL, checked as every typed value is."""
    limits.text(name, "ROLE")
    if not name.strip():
        raise BadInput(_("give a role's name, e.g. pk db grant support_team"))
    return '"' + name.replace('"', '""') + '"'


def grant_statements(role: str, *, schema: str, owner: str) -> list[str]:
    """What the schema's owner runs so that `role` (and its members) may use pk's tables,
    now and after later migrations."""
    who, where, by = identifier(role), identifier(schema), identifier(owner)
    return [
        f"GRANT USAGE ON SCHEMA {where} TO {who};",
        f"GRANT {TABLE_RIGHTS} ON ALL TABLES IN SCHEMA {where} TO {who};",
        f"GRANT {SEQUENCE_RIGHTS} ON ALL SEQUENCES IN SCHEMA {where} TO {who};",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {by} IN SCHEMA {where} GRANT {TABLE_RIGHTS} ON TABLES TO {who};",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {by} IN SCHEMA {where} GRANT {SEQUENCE_RIGHTS} ON SEQUENCES TO {who};",
    ]


def schema_and_owner(cursor: Any) -> tuple[str, str, bool]:
    """The current schema, the role that owns pk's tables there (else the schema's owner),
    and whether the connected role may act as that owner."""
    cursor.execute(
        "SELECT current_schema(),"
        " COALESCE((SELECT tableowner FROM pg_tables WHERE schemaname = current_schema()"
        "           AND tablename = 'schema_migrations'),"
        "          (SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = current_schema()))"
    )
    schema, owner = cursor.fetchone()
    cursor.execute("SELECT pg_has_role(current_user, %s, 'MEMBER')", (owner,))
    return schema, owner, bool(cursor.fetchone()[0])


def require_owner(cursor: Any, *, behind: int, known: int) -> None:
    """Refuse, in one line, to upgrade a schema this role does not own: that is its owner's."""
    _schema, owner, owns = schema_and_owner(cursor)
    if not owns:
        raise StorageError(_(
            "the database's schema is older than this pk (schema {behind}, this pk knows {known}); "
            "its owner {owner} must run pk db upgrade"
        ).format(behind=behind, known=known, owner=owner))
