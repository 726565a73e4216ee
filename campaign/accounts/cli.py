"""Accounts and backups from the shell: `user add|list|reset|disable|enable|unlock`, `backup`, `restore`."""

import os

import click

from campaign.infra.cli import FORMAT, actor, emit, fail, pass_root
from campaign.infra.errors import CampaignError


def _password(confirm=True) -> str:
    """$CAMPAIGN_PASSWORD for scripts, else asked twice without echo."""
    return os.environ.get("CAMPAIGN_PASSWORD") or click.prompt("Password", hide_input=True, confirmation_prompt=confirm)


@click.group()
def user():
    """Manage accounts: add, list, reset a password, disable, enable, unlock."""


@user.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["admin", "leader", "coordinator", "grid_worker"]), required=True)
@click.option("--scope", "scopes", multiple=True, metavar="CODE", help="Unit code (repeatable; or comma-separated).")
@click.option("--display-name", default=None, help="Name shown in the app (default: NAME).")
@click.option("--phone", "mobile", default=None, help="The account's mobile (work-group reminders @ it); \"\" clears it.")
@pass_root
def user_add(root, name, role, scopes, display_name, mobile):
    """Create an account (or update role/scope/password of an existing one).

    The password is asked for, or taken from $CAMPAIGN_PASSWORD. Creating the first real
    administrator disables the demo accounts.

    Example: CAMPAIGN_PASSWORD=... python -m campaign user add zhang --role coordinator --scope T01
    """
    from campaign.accounts import users

    codes = [c for s in scopes for c in s.split(",") if c.strip()]
    db = root.connect()
    try:
        users.add_user(db, actor(), name, role, scope_codes=codes, display_name=display_name,
                       password=_password(), must_change=False, mobile=mobile)
    except CampaignError as error:
        fail(error)
    click.echo(f"user {users.normalise(name)} ({role}) saved")


@user.command("list")
@FORMAT
@pass_root
def user_list(root, fmt):
    """List accounts with role, scope and state (never a password hash).

    Example: python -m campaign user list --format json
    """
    import pandas as pd

    from campaign.accounts import users

    frame = pd.DataFrame(users.list_users(root.connect()),
                         columns=["username", "display_name", "role", "scope", "active", "demo", "locked_until",
                                  "last_sign_in", "must_change", "mobile"])
    frame["scope"] = [",".join(s) for s in frame["scope"]]
    emit(frame, fmt)


@user.command("reset")
@click.argument("name")
@pass_root
def user_reset(root, name):
    """Set a new password (asked for, or $CAMPAIGN_PASSWORD); the user must change it at next sign-in.

    Example: python -m campaign user reset zhang
    """
    from campaign.accounts import users

    try:
        users.reset_password(root.connect(), actor(), name, _password())
    except CampaignError as error:
        fail(error)
    click.echo(f"password of {users.normalise(name)} reset; sessions ended")


def _change(root, name: str, done: str, change) -> None:
    from campaign.accounts import users

    try:
        change(users, root.connect(), actor(), name)
    except CampaignError as error:
        fail(error)
    click.echo(f"{name}: {done}")


@user.command("disable")
@click.argument("name")
@pass_root
def user_disable(root, name):
    """Disable an account and end its sessions.

    Example: python -m campaign user disable zhang
    """
    _change(root, name, "disabled", lambda users, db, who, n: users.set_active(db, who, n, False))


@user.command("enable")
@click.argument("name")
@pass_root
def user_enable(root, name):
    """Re-enable a disabled account.

    Example: python -m campaign user enable zhang
    """
    _change(root, name, "enabled", lambda users, db, who, n: users.set_active(db, who, n, True))


@user.command("unlock")
@click.argument("name")
@pass_root
def user_unlock(root, name):
    """Lift a sign-in lockout.

    Example: python -m campaign user unlock zhang
    """
    _change(root, name, "unlocked", lambda users, db, who, n: users.unlock(db, who, n))


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False))
@pass_root
def backup_command(root, file):
    """Copy the database to FILE, consistent even while the app is writing (SQLite online backup).

    Example: python -m campaign backup backups/campaign-20261128.db
    """
    from campaign.accounts import backup

    path = backup.save(root.connect(), actor(), file)
    click.echo(f"backup written to {path} ({path.stat().st_size:,} bytes)")


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_root
def restore_command(root, file, yes):
    """Replace the database with the backup FILE after checking it is a campaign database of a known
    schema version; the current database is kept as a dated copy beside it.

    Example: python -m campaign restore backups/campaign-20261128.db --yes
    """
    from campaign.accounts import backup
    from campaign.infra import db as database

    try:
        facts = backup.check_backup(file, root.migration_sets())
    except CampaignError as error:
        fail(error)
    counts = ", ".join(f"{k} {v:,}" for k, v in facts["counts"].items())
    if not yes:
        click.confirm(f"Replace {database.db_path()} with {file} ({counts})?", abort=True)
    try:
        previous = root.restore(root.connect(), actor(), file, current_path=database.db_path())
    except CampaignError as error:
        fail(error)
    click.echo(f"restored {file} ({counts}); previous database kept as {previous}")


COMMANDS = {"": (user, backup_command, restore_command)}
