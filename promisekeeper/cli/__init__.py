"""The command line: Typer commands, each a thin layer over the ledger and the renderer.

`main` builds the app (importing a command module registers its commands on it) and runs
it; `completion/` answers TAB without any of it. Importing this package imports nothing, so
the completion's path stays free of Typer.
"""
