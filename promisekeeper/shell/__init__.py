"""promisekeeper in the user's session: the prompt segment (`prompt`) and the schedule it is
read from (`schedule`, built from the database; `schedule_file`, its rows on disk, which the
shell hooks read without starting a process), the snippets `pk init` prints
(`integrations`, from the templates in `snippets/`) and desktop notifications (`notify`).

The prompt's and `pk init`'s paths import the standard library only: `__main__` dispatches
them here before the command line (Typer, Rich, SQLAlchemy) loads. The shell integration may
import settings, the data package's read half, the clock, `segment`, `owner`, `windows` and
`paths`; never the command line. Importing this package imports nothing.
"""
