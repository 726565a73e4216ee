"""Outreach commands of `python -m campaign report`: the channels' summary, a channel's tables, printable codes."""

import json

import click
import pandas as pd

from campaign import outreach, outreach_figures
from campaign.errors import CampaignError

FORMAT = click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
DATE = click.option("--date", "day", default=None, help="Day (YYYY-MM-DD); default today.")


def _base():
    from campaign import cli

    return cli


def _emit(frame: pd.DataFrame, fmt: str) -> None:
    """Like cli.emit, but missing rates stay null in JSON, empty in CSV and read 'no data' in a table."""
    if fmt == "json":
        records = json.loads(frame.to_json(orient="records", force_ascii=False, date_format="iso"))
        click.echo(json.dumps(records, ensure_ascii=False, indent=1))
    elif fmt == "csv":
        click.echo(frame.to_csv(index=False), nl=False)
    else:
        click.echo(frame.astype(object).where(frame.notna(), "no data").to_string(index=False))


def register(report) -> None:
    """Add the outreach reports to the `report` group."""

    @report.command("outreach")
    @DATE
    @FORMAT
    def report_outreach(day, fmt):
        """One line per channel (schools, grids, enterprises, windows): units, denominator, reached, installs, rates.

        Example: python -m campaign report outreach --date 2026-11-28 --format json
        """
        try:
            lines = outreach_figures.summary(_base().open_db(), day)
        except (CampaignError, ValueError) as error:
            _fail(error)
        if fmt == "json":
            click.echo(json.dumps(lines, ensure_ascii=False, indent=1))
        else:
            _emit(pd.DataFrame(lines).convert_dtypes(), fmt)

    @report.command("outreach-table")
    @click.argument("channel", type=click.Choice(list(outreach.CHANNELS)))
    @click.argument("table")
    @DATE
    @FORMAT
    def report_outreach_table(channel, table, day, fmt):
        """One of a channel's tables: schools|school_types|townships|classes, grids|villages|townships|idle,
        regulators|parks|units, windows|hosts|townships.

        Example: python -m campaign report outreach-table grids townships --format csv
        """
        try:
            tables = outreach_figures.tables(_base().open_db(), channel, day)
        except (CampaignError, ValueError) as error:
            _fail(error)
        if table not in tables:
            raise click.BadParameter(f"{table} (choose from {', '.join(tables)})", param_hint="TABLE")
        frame = tables[table].drop(columns=["phone"], errors="ignore")  # phones stay in the app, masked
        _emit(frame, fmt)

    @report.command("outreach-codes")
    @click.option("--township", default=None, help="Township code or name; default every township.")
    @click.option("--kind", "kinds", multiple=True, type=click.Choice(["window", "grid", "class"]),
                  help="Repeatable; default windows, grids and classes.")
    @FORMAT
    def report_outreach_codes(township, kinds, fmt):
        """Printable locations with their stable codes (for QR flyers): kind, code, name, host, township.

        Example: python -m campaign report outreach-codes --township 城厢镇 --kind window --format csv
        """
        frame = outreach.printables(_base().open_db(), township, kinds or ("window", "grid", "class"))
        _emit(frame, fmt)


def _fail(error):
    if isinstance(error, CampaignError):
        _base().fail(error)
    raise click.BadParameter(str(error), param_hint="--date")
