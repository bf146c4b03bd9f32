"""What a person reads: promises as aligned rows, plain lines or JSON (`render`), text with
styles (`styled`) and where a command's lines go (`output`), the line each change prints
(`messages`), the daily briefing (`brief`), one promise (`details`), the journal read aloud
(`journal`), `pk stats` (`stats`), the lead's morning digest (`digest`) and how a time
phrase reads (`explain`).

Views may import the ledger's core (ledger, stats, reminders, events, kinds, owner,
windows), the data package's read half, the time language and the languages; never the
command line, Typer, or the write half's SQLAlchemy. Lists and lines print without Rich
(only the briefing's panel uses it). Importing this package imports nothing.
"""
