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


def main():
    cli(prog_name="python -m campaign")
