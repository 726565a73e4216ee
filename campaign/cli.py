"""`python -m campaign …`: a thin command line over the same functions the app uses."""

import json
import os
import sys

import click

from campaign import db as database
from campaign import demo, i18n, importing, rankings
from campaign.access import ADMIN, Actor
from campaign.errors import CampaignError, RowsRejected
from campaign.tables import Upload


def cli_actor() -> Actor:
    """The operator at the server's shell acts as an administrator, named by $CAMPAIGN_USER."""
    return Actor(os.environ.get("CAMPAIGN_USER", "cli"), ADMIN)


def open_db():
    return database.connect()


def fail(error: CampaignError, lang="en"):
    """Print a named error (and every bad row) and exit non-zero."""
    click.echo(i18n.error_text(error, lang), err=True)
    if isinstance(error, RowsRejected):
        for row in error.errors:
            click.echo(f"  row {row.row} [{row.column}]: {i18n.error_text(row, lang)}", err=True)
    sys.exit(1)


@click.group()
def cli():
    """Anti-Fraud App Campaign Tracker (反诈 APP 推广台账)."""


@cli.command()
@click.option("--demo", "with_demo", is_flag=True, help="Load the demo county into an empty database.")
def init(with_demo):
    """Create or upgrade the database; with --demo, load the demo county if it is empty.

    Example: python -m campaign init --demo
    """
    db = open_db()
    loaded = demo.ensure_demo(db) if with_demo else False
    click.echo(f"database {database.db_path()} ready" + (" (demo loaded)" if loaded else ""))


@cli.group("import")
def import_group():
    """Import a CSV or Excel file; a file with any bad row is refused whole."""


def _import_command(kind: str):
    @import_group.command(kind)
    @click.argument("file", type=click.Path(exists=True, dir_okay=False))
    @click.option("--dry-run", is_flag=True, help="Check the file only; write nothing.")
    def command(file, dry_run):
        try:
            result = importing.run_import(open_db(), cli_actor(), kind, Upload.from_path(file), dry_run=dry_run)
        except CampaignError as error:
            fail(error)
        counts = ", ".join(f"{k} {v}" for k, v in result.counts.items())
        click.echo(f"{kind}: {result.rows} rows " + ("clean (dry run, nothing written)" if dry_run else f"imported: {counts}"))

    command.__doc__ = f"Import {kind} from FILE (CSV or .xlsx; Chinese or English headers).\n\nExample: python -m campaign import {kind} {kind}.csv --dry-run"
    return command


for _kind in importing.kinds():
    _import_command(_kind)


@cli.group()
def report():
    """Print a report as a table, CSV or JSON."""


def emit(frame, fmt: str):
    """A DataFrame as table, csv or json (a list of objects) on stdout."""
    if fmt == "json":
        click.echo(json.dumps(frame.to_dict(orient="records"), ensure_ascii=False, indent=1, default=str))
    elif fmt == "csv":
        click.echo(frame.to_csv(index=False), nl=False)
    else:
        click.echo(frame.to_string(index=False))


@report.command("units")
@click.option("--date", "day", default=None, help="Day (YYYY-MM-DD); default today.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
def report_units(day, fmt):
    """Units ranked by quota completion within their group.

    Example: python -m campaign report units --date 2026-11-28 --format json
    """
    table = rankings.unit_ranking(open_db(), day)
    table = table[
        ["unit", "code", "group", "rank", "staff", "quota_total", "installs", "completion", "at_quota",
         "installs_today", "change", "no_report"]]
    emit(table, fmt)



# ---- accounts and backups (issue 6) --------------------------------------------------------

@cli.group()
def user():
    """Manage accounts: add, list, reset a password, disable, enable, unlock."""


def _password(confirm=True) -> str:
    """$CAMPAIGN_PASSWORD for scripts, else asked twice without echo."""
    return os.environ.get("CAMPAIGN_PASSWORD") or click.prompt("Password", hide_input=True, confirmation_prompt=confirm)


@user.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["admin", "leader", "coordinator", "grid_worker"]), required=True)
@click.option("--scope", "scopes", multiple=True, metavar="CODE", help="Unit code (repeatable; or comma-separated).")
@click.option("--display-name", default=None, help="Name shown in the app (default: NAME).")
def user_add(name, role, scopes, display_name):
    """Create an account (or update role/scope/password of an existing one).

    The password is asked for, or taken from $CAMPAIGN_PASSWORD. Creating the first real
    administrator disables the demo accounts.

    Example: CAMPAIGN_PASSWORD=... python -m campaign user add zhang --role coordinator --scope T01
    """
    from campaign import users

    codes = [c for s in scopes for c in s.split(",") if c.strip()]
    db = open_db()
    try:
        users.add_user(db, cli_actor(), name, role, scope_codes=codes, display_name=display_name,
                       password=_password(), must_change=False)
    except CampaignError as error:
        fail(error)
    click.echo(f"user {users.normalise(name)} ({role}) saved")


@user.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
def user_list(fmt):
    """List accounts with role, scope and state (never a password hash).

    Example: python -m campaign user list --format json
    """
    import pandas as pd

    from campaign import users

    rows = users.list_users(open_db())
    frame = pd.DataFrame(rows, columns=["username", "display_name", "role", "scope", "active", "demo", "locked_until",
                                        "last_sign_in", "must_change"])
    frame["scope"] = [",".join(s) for s in frame["scope"]]
    emit(frame, fmt)


@user.command("reset")
@click.argument("name")
def user_reset(name):
    """Set a new password (asked for, or $CAMPAIGN_PASSWORD); the user must change it at next sign-in.

    Example: python -m campaign user reset zhang
    """
    from campaign import users

    try:
        users.reset_password(open_db(), cli_actor(), name, _password())
    except CampaignError as error:
        fail(error)
    click.echo(f"password of {users.normalise(name)} reset; sessions ended")


def _state_command(command_name, doc, call):
    @user.command(command_name, help=doc)
    @click.argument("name")
    def command(name):
        try:
            call(open_db(), cli_actor(), name)
        except CampaignError as error:
            fail(error)
        click.echo(f"{name}: {command_name}{'d' if command_name.endswith('e') else 'ed'}")

    return command


def _disable(db, actor, name):
    from campaign import users

    users.set_active(db, actor, name, False)


def _enable(db, actor, name):
    from campaign import users

    users.set_active(db, actor, name, True)


def _unlock(db, actor, name):
    from campaign import users

    users.unlock(db, actor, name)


_state_command("disable", "Disable an account and end its sessions.\n\nExample: python -m campaign user disable zhang", _disable)
_state_command("enable", "Re-enable a disabled account.\n\nExample: python -m campaign user enable zhang", _enable)
_state_command("unlock", "Lift a sign-in lockout.\n\nExample: python -m campaign user unlock zhang", _unlock)


@cli.command("backup")
@click.argument("file", type=click.Path(dir_okay=False))
def backup_command(file):
    """Copy the database to FILE, consistent even while the app is writing (SQLite online backup).

    Example: python -m campaign backup backups/campaign-20261128.db
    """
    from campaign import backup

    path = backup.backup(open_db(), file)
    click.echo(f"backup written to {path} ({path.stat().st_size:,} bytes)")


@cli.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(file, yes):
    """Replace the database with the backup FILE after checking it is a campaign database of a known
    schema version; the current database is kept as a dated copy beside it.

    Example: python -m campaign restore backups/campaign-20261128.db --yes
    """
    from campaign import backup

    try:
        facts = backup.check_backup(file)
    except CampaignError as error:
        fail(error)
    counts = ", ".join(f"{k} {v:,}" for k, v in facts["counts"].items())
    if not yes:
        click.confirm(f"Replace {database.db_path()} with {file} ({counts})?", abort=True)
    try:
        previous = backup.restore(open_db(), cli_actor(), file, current_path=database.db_path())
    except CampaignError as error:
        fail(error)
    click.echo(f"restored {file} ({counts}); previous database kept as {previous}")


# ---- coverage, city targets and population versions (issue 5) ------------------------------
from campaign import coverage_cli  # noqa: E402

coverage_cli.register(cli, import_group, report)

# ---- outreach channels (issue 3) ----------------------------------------------------------
from campaign import outreach_cli  # noqa: E402

outreach_cli.register(report)

# ---- QR-code flyers (issue 4) -------------------------------------------------------------
from campaign import flyers_cli  # noqa: E402

flyers_cli.register(cli)

# ---- the daily bulletin, spot checks and letters (issue 7) --------------------------------
from campaign import bulletin_cli  # noqa: E402

bulletin_cli.register(cli, report)


# ---- city scale (issue 9) -----------------------------------------------------------------
@cli.command("demo")
@click.option("--scale", type=click.Choice(["county", "city"]), default="county", help="The demo county, or a synthetic city.")
@click.option("--seed", type=int, default=None, help="Seed of the synthetic city (same seed, same city).")
@click.option("--db", "path", type=click.Path(dir_okay=False), default=None, help="Database file (default $CAMPAIGN_DB).")
def demo_command(scale, seed, path):
    """Load demo data into an empty database: the demo county, or a city (18 counties, ~100,000 staff, 120 days).

    Example: python -m campaign demo --scale city --seed 9 --db data/city.db
    """
    from campaign import city

    path = path or database.db_path()
    if scale == "city":
        city.generate(path, seed=city.SEED if seed is None else seed, echo=click.echo)
        return
    loaded = demo.ensure_demo(database.connect(path))
    click.echo(f"database {path} " + ("loaded with the demo county" if loaded else "not empty: nothing loaded"))


def main():
    cli(prog_name="python -m campaign")
