"""PostgreSQL reads over libpq itself, through the standard library's ctypes.

`library` finds and loads libpq and parses connection strings with it; `connection`
connects and runs statements (`Connection`, `Cursor`); `values` turns parameters into text
and columns back into Python values; `errors` holds the one exception.

Why: the project's rule is that nothing heavy sits on the prompt's path or a reading
command's start. `import psycopg` alone costs 0.12–0.17 s (it loads asyncio, logging,
importlib.metadata, typing_extensions, its errors module …): most of what made the prompt's
rebuild ~6× and the agenda ~2.3× their SQLite figures. ctypes and a dlopen of libpq cost
~0.02 s. So the read half's own connections (`reader.connect_postgres`: the prompt, TAB
completion, every reading command's read transaction) talk to libpq here, as psycopg's own
`pq_ctypes` does; the write half (SQLAlchemy over psycopg) is untouched.

What it offers is exactly what the read half uses, DB-API shaped: `connect()`; a connection's
`cursor()`, `commit()`, `rollback()`, `close()`; a cursor's `execute(sql, params)` with `%s` or
`%(name)s` placeholders turned into `$n` and sent apart from the SQL (PQsendQueryParams, text
format: never interpolated), `fetchone()`, `fetchmany()`, `fetchall()`, `close()`. Values
come back as psycopg would give them, by the column's type; a type not listed is refused
(`Error`), not guessed. A read transaction starts as psycopg's does in a read-only
connection: `BEGIN … READ ONLY` before the first statement, ended by `rollback()`.

Every wait (connecting, a statement waiting on a lock) is a `select` on libpq's socket in
Python, so Ctrl-C and SIGTERM interrupt it; a statement interrupted so is cancelled on the
server (PQcancel) before the exception goes on.

libpq is found cheaply (no `ctypes.util.find_library`: it runs subprocesses): the copy in
psycopg's binary wheel, located without importing it, else the system's by its soname.
When neither loads, or PROMISEKEEPER_LIBPQ=psycopg, `library.load()` is None and the read half
uses psycopg as before.
"""
