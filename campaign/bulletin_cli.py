"""Bulletin and supervision commands of `python -m campaign`: the daily bulletin as a file, and reports."""

from pathlib import Path

import click

from campaign import bulletin, bulletin_render, letters, supervision
from campaign.errors import CampaignError

RENDERERS = {".xlsx": bulletin_render.xlsx_bytes, ".pdf": bulletin_render.pdf_bytes, ".png": bulletin_render.png_bytes}


def _base():
    from campaign import cli

    return cli


def register(cli, report) -> None:
    """Add `bulletin` and the supervision reports to the CLI."""

    @cli.command("bulletin")
    @click.option("--date", "day", default=None, help="Day (YYYY-MM-DD); default today.")
    @click.option("--out", "out", required=True, type=click.Path(dir_okay=False),
                  help="FILE.xlsx (a sheet per table), FILE.pdf (A4) or FILE.png (1080 px wide, for phones).")
    @click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", help="Language of the bulletin.")
    def bulletin_command(day, out, lang):
        """Make the daily bulletin (通报) for a date as Excel, PDF or PNG, chosen by the file's extension.

        Example: python -m campaign bulletin --date 2026-11-28 --out 通报.png
        """
        base = _base()
        render = RENDERERS.get(Path(out).suffix.lower())
        if render is None:
            raise click.BadParameter("the file must end in .xlsx, .pdf or .png", param_hint="--out")
        try:
            made = bulletin.build(base.open_db(), day)
        except CampaignError as error:
            base.fail(error)
        data = render(made, lang)
        Path(out).write_bytes(data)
        click.echo(f"bulletin {made.day.isoformat()} written to {out} ({len(data):,} bytes)")

    @report.command("spot-checks")
    @click.option("--round", "round_id", type=int, default=None, help="One round's id (default: every round).")
    @click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
    def report_spot_checks(round_id, fmt):
        """Spot-check compliance per unit and round; `flagged` marks units below the pass mark.

        Example: python -m campaign report spot-checks --format csv
        """
        table = supervision.compliance(_base().open_db(), round_id)
        _base().emit(table[["round", "round_day", "code", "unit", "checked", "installed", "registered", "compliant",
                            "rate", "flagged"]], fmt)

    @report.command("letters")
    @click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
    def report_letters(fmt):
        """Reminder letters with their status today; the counts (sent, replied, overdue) go to stderr.

        Example: python -m campaign report letters --format json
        """
        db = _base().open_db()
        counts = letters.summary(db)
        click.echo(f"{counts['sent']} sent, {counts['replied']} replied, {counts['overdue']} overdue", err=True)
        _base().emit(letters.list_letters(db)[["number", "code", "unit", "source", "issued_on", "reply_due", "sent_on",
                                               "reply_on", "status", "attachment"]], fmt)

    @report.command("unsigned")
    @click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
    def report_unsigned(fmt):
        """Units that have not signed the responsibility letter.

        Example: python -m campaign report unsigned
        """
        _base().emit(letters.unsigned(_base().open_db())[["code", "unit", "group"]], fmt)
