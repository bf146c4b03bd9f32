"""The data package: the schema and every statement, in two halves.

- reading (`reader`, `read_*`): plain DB-API (sqlite3, or libpq through ctypes for PostgreSQL), SQL both
  engines run, small typed rows (`rows`); no SQLAlchemy, SQLModel or pydantic.
- writing (`writing`, `models`, `migrations`): SQLModel models and sessions, one transaction
  per change; the schema of record.

`Database` (in `database`) is the door to both; importing this package is cheap.
"""
