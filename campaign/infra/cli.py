"""What every feature's commands share: the composition root of this run, the operator, errors, output formats.

A feature's cli.py defines plain click commands at module level and lists them in its Feature; the root
command line (campaign.cli) adds them to its groups. A command gets the composition root
(campaign.features) as click's context object (`@pass_root`): it opens the database and runs imports
through it, so a feature's commands never import the root. Commands import the modules they run
inside their body, so `python -m campaign --help` loads no PDF, chart or table library.
"""

import json
import os
import sys

import click

from campaign.infra import i18n
from campaign.infra.actors import ADMIN, Actor
from campaign.infra.errors import CampaignError, RowsRejected
from campaign.infra.parse import parse_date

pass_root = click.pass_obj
FORMAT = click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")


def _day(ctx, param, value):
    """A day as YYYY-MM-DD (2026/11/1 and 2026年11月1日 too); a bad one is a usage error, not a traceback."""
    if value is None:
        return None
    day = parse_date(value)
    if day is None:
        raise click.BadParameter(f"not a date: {value!r} (write YYYY-MM-DD)")
    return day.isoformat()


DATE = click.option("--date", "day", default=None, callback=_day, help="Day (YYYY-MM-DD); default today.")


def actor() -> Actor:
    """The operator at the server's shell acts as an administrator, named by $CAMPAIGN_USER."""
    return Actor(os.environ.get("CAMPAIGN_USER", "cli"), ADMIN)


def fail(error: CampaignError, lang="en"):
    """Print a named error (and every bad row) and exit non-zero."""
    click.echo(i18n.error_text(error, lang), err=True)
    if isinstance(error, RowsRejected):
        for row in error.errors:
            click.echo(f"  row {row.row} [{row.column}]: {i18n.error_text(row, lang)}", err=True)
    sys.exit(1)


def emit(frame, fmt: str):
    """A DataFrame as table, csv or json (a list of objects) on stdout."""
    if fmt == "json":
        click.echo(json.dumps(frame.to_dict(orient="records"), ensure_ascii=False, indent=1, default=str))
    elif fmt == "csv":
        click.echo(frame.to_csv(index=False), nl=False)
    else:
        click.echo(frame.to_string(index=False))


def import_command(kind: str, summary: str, *options: click.Option, to_options=None, example: str = "--dry-run"):
    """`import KIND FILE [--dry-run]` for one import kind; `options` are the kind's own (e.g. a snapshot's
    date), turned into the import's options by `to_options(**values)`."""

    def command(root, file, dry_run, **values):
        from campaign.infra.tables import Upload

        extra = to_options(**values) if to_options else None
        try:
            result = root.run_import(root.connect(), actor(), kind, Upload.from_path(file), dry_run=dry_run, options=extra)
        except CampaignError as error:
            fail(error)
        counts = ", ".join(f"{k} {v}" for k, v in result.counts.items())
        click.echo(f"{kind}: {result.rows} rows " + ("clean (dry run, nothing written)" if dry_run else f"imported: {counts}"))

    command = pass_root(command)
    for option in reversed(options):
        command = option(command)
    command = click.option("--dry-run", is_flag=True, help="Check the file only; write nothing.")(command)
    command = click.argument("file", type=click.Path(exists=True, dir_okay=False))(command)
    return click.command(kind, help=f"{summary}\n\nExample: python -m campaign import {kind} {kind}.csv {example}")(command)
