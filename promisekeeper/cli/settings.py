"""`pk config` (settings) and `pk db` (where the data lives, backups, integrity)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from promisekeeper.cli import context
from promisekeeper.cli.app import HelpGroup, PKTyper, app
from promisekeeper.sanitize import clean

config_app = PKTyper(
    cls=HelpGroup, help="Show and change settings (a TOML file at the XDG config path).", invoke_without_command=True
)
db_app = PKTyper(cls=HelpGroup, help="The database: where it is, backups, restore, integrity check.", invoke_without_command=True)
app.add_typer(config_app, name="config")
app.add_typer(db_app, name="db")


def _masked(key: str, value: Any) -> Any:
    """A setting's value with its secrets (passwords, tokens in URLs) masked."""
    from promisekeeper.secrets import mask_setting

    if isinstance(value, list):
        return [mask_setting(key, str(item)) for item in value]
    if isinstance(value, str) and value:
        return mask_setting(key, value)
    return value


def _listed(key: str, value: Any) -> str:
    """A setting as `pk config` lists it: one line, a password or token in it masked."""
    shown = _shown(_masked(key, value))
    return shown


def _shown(value: Any) -> str:
    """A setting's value as one line of plain text (a hand-edited file may hold anything)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return clean(",".join(map(str, value))) if value else '""'
    return clean(str(value)) if value != "" else '""'


def _say(text: str, *, err: bool = False) -> None:
    """One line of output whose parts came from outside the code (paths, names): made safe."""
    typer.echo(clean(text), err=err)


@config_app.callback()
def config_show(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Settings as a JSON object.")] = False,
) -> None:
    """Every setting with its value; (default) marks the ones the file does not set."""
    if ctx.invoked_subcommand is not None:
        return
    from promisekeeper.config import SETTINGS, inspect, load
    from promisekeeper.views.render import write_json

    if as_json:
        write_json({key: _masked(key, value) for key, value, _ in load().items()})
        return
    settings, broken = inspect()  # a broken setting is listed, to be repaired with set or unset
    view = context.of(ctx).view
    view.line(f"# {clean(settings.path)}")
    from promisekeeper.config import default_note
    from promisekeeper.lang.i18n import _

    lines: list[tuple[str, str]] = []
    for key, value, is_set in settings.items():
        if key in broken:
            lines.append((f"{key} = {_listed(key, broken[key].raw)}", _(
                "broken: {problem}; repair it with pk config set {key} VALUE, or pk config unset {key}"
            ).format(problem=broken[key].problem, key=key)))
            continue
        marker = "" if is_set else f"  ({default_note(key)})"
        lines.append((f"{key} = {_listed(key, value)}{marker}", _(SETTINGS[key].help)))
    width = max(len(setting) for setting, _help in lines)  # the comments in one column
    for setting, comment in lines:
        view.line(clean(f"{setting:<{width}}    # {comment}"))


@config_app.command("get")
def config_get(key: Annotated[str, typer.Argument(metavar="KEY", help="e.g. business.end")]) -> None:
    """Print one setting's value."""
    from promisekeeper.config import load, require_key

    require_key(key)
    _say(_listed(key, load().get(key)))


# A value may start with "-" ("-5m"): it is the value, to be checked, not an option.
@config_app.command("set", context_settings={"ignore_unknown_options": True})
def config_set(
    key: Annotated[str, typer.Argument(metavar="KEY", help="e.g. business.days")],
    value: Annotated[str, typer.Argument(metavar="VALUE", help="e.g. mon-fri")],
) -> None:
    """Change one setting (checked before it is written)."""
    from promisekeeper.config import set_value

    stored = set_value(key, value)
    _say(f"{key} = {_listed(key, stored)}")


@config_app.command("unset")
def config_unset(key: Annotated[str, typer.Argument(metavar="KEY", help="e.g. business.country")]) -> None:
    """Forget a setting so its default applies again."""
    from promisekeeper.config import SETTINGS, default_note, unset_value

    unset_value(key)
    _say(f"{key} = {_shown(SETTINGS[key].default)}  ({default_note('')})")


@config_app.command("path")
def config_path() -> None:
    """Print where the config file is (it may not exist yet)."""
    from promisekeeper import paths

    _say(paths.config_file())


@db_app.callback()
def db_info(ctx: typer.Context) -> None:
    """Where the database is, its size, schema version and how many promises it holds."""
    if ctx.invoked_subcommand is not None:
        return
    from promisekeeper.db import upkeep

    rt = context.of(ctx)
    lines = upkeep.info(rt.db)
    width = max(10, *(len(label) for label, _value in lines))
    for label, value in lines:
        rt.view.line(f"{label:<{width}} {clean(value)}")


@db_app.command("init")
def db_init(ctx: typer.Context) -> None:
    """Make the database with its schema (pk add and pk import make it too); says where."""
    from promisekeeper.db import upkeep
    from promisekeeper.lang.i18n import _

    rt = context.of(ctx)
    made = upkeep.init(rt.db.creating())
    message = _("Made the database at {place}") if made else _("The database at {place} is there already")
    rt.view.confirm(clean(message.format(place=rt.db.shown)))


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Bring the schema up to date (on a shared database, as the role that owns it)."""
    from promisekeeper.db import upkeep
    from promisekeeper.lang.i18n import _

    rt = context.of(ctx)
    before, after = upkeep.upgrade(rt.db)
    if before == after:
        rt.view.confirm(_("The schema is up to date: {version}").format(version=after))
    else:
        rt.view.confirm(_("Upgraded the schema from {before} to {after}").format(before=before, after=after))


@db_app.command("grant")
def db_grant(
    ctx: typer.Context,
    role: Annotated[str, typer.Argument(metavar="ROLE", help="The team's role (or one member's) to give the rights to read and write.")],
    run: Annotated[bool, typer.Option("--run", help="Run the statements (as the schema's owner) instead of printing them.")] = False,
) -> None:
    """The PostgreSQL grants a team member's role needs, now and after later upgrades."""
    from promisekeeper.db import upkeep
    from promisekeeper.lang.i18n import _

    rt = context.of(ctx)
    statements = upkeep.grants(rt.db, role, run=run)
    if run:
        rt.view.confirm(clean(_("Granted {role} the rights to read and write pk's tables").format(role=role)))
        return
    for statement in statements:
        typer.echo(clean(statement))


@db_app.command("path")
def db_path() -> None:
    """Print the database path (or URL, its password masked)."""
    from promisekeeper.db.target import current

    _say(current().shown)


@db_app.command("backup")
def db_backup(
    ctx: typer.Context,
    dest: Annotated[str | None, typer.Argument(metavar="FILE", help="Where to write the copy (default: a dated file beside the database).")] = None,
) -> None:
    """Copy the database safely while it may be in use (SQLite online backup)."""
    from promisekeeper.db import upkeep
    from promisekeeper.lang.i18n import _

    rt = context.of(ctx)
    written = upkeep.backup(rt.db, dest, now=rt.now, zone=rt.zone)
    _say(_("Backed up to {path}").format(path=written))


@db_app.command("restore")
def db_restore(
    ctx: typer.Context,
    backup: Annotated[str, typer.Argument(metavar="BACKUP", help="A copy made by `pk db backup` (checked before use).")],
) -> None:
    """Replace the database with a backup; the data as it was is kept in backups/."""
    from promisekeeper.db.restore import restore
    from promisekeeper.lang.i18n import _, ngettext

    rt = context.of(ctx)
    done = restore(rt.db.creating(), backup, now=rt.now, zone=rt.zone)
    restored = ngettext("Restored {count} promise from {source}", "Restored {count} promises from {source}",
                        done.promises).format(count=done.promises, source=done.source)
    if done.kept_aside:
        restored += _("; the data as it was is kept in {path}").format(path=done.kept_aside)
    rt.view.confirm(clean(restored))


@db_app.command("check")
def db_check(ctx: typer.Context) -> None:
    """Check integrity, foreign keys, schema version and file permissions."""
    from promisekeeper.db import upkeep
    from promisekeeper.lang.i18n import _

    rt = context.of(ctx)
    problems = upkeep.check(rt.db)
    if problems:
        for problem in problems:
            _say(_("problem: {problem}").format(problem=problem), err=True)
        raise typer.Exit(1)
    typer.echo(_("ok: integrity, foreign keys, schema and permissions"))
