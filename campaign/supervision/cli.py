"""Bulletin and supervision commands of `python -m campaign`: the daily bulletin as a file, imports, and reports."""

from pathlib import Path

import click

from campaign.infra.cli import DATE, FORMAT, emit, fail, import_command, pass_root
from campaign.infra.errors import CampaignError

import_spot_checks = import_command("spot_checks", "Import spot checks: 督导轮次, 抽查日期, 检查人, 单位, 姓名, 是否安装, 是否注册 (one row per person checked).")
import_responsibility_letters = import_command(
    "responsibility_letters", "Import signed responsibility letters: 单位, 签订日期, 签订人.")


@click.command("bulletin")
@DATE
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False),
              help="FILE.xlsx (a sheet per table), FILE.pdf (A4) or FILE.png (1080 px wide, for phones).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", help="Language of the bulletin.")
@pass_root
def bulletin_command(root, day, out, lang):
    """Make the daily bulletin (通报) for a date as Excel, PDF or PNG, chosen by the file's extension.

    Example: python -m campaign bulletin --date 2026-11-28 --out 通报.png
    """
    from campaign.supervision import bulletin, bulletin_render

    renderers = {".xlsx": bulletin_render.xlsx_bytes, ".pdf": bulletin_render.pdf_bytes, ".png": bulletin_render.png_bytes}
    render = renderers.get(Path(out).suffix.lower())
    if render is None:
        raise click.BadParameter("the file must end in .xlsx, .pdf or .png", param_hint="--out")
    try:
        made = bulletin.build(root.connect(), day)
    except CampaignError as error:
        fail(error)
    data = render(made, lang)
    Path(out).write_bytes(data)
    click.echo(f"bulletin {made.day.isoformat()} written to {out} ({len(data):,} bytes)")


@click.command("spot-checks")
@click.option("--round", "round_id", type=int, default=None, help="One round's id (default: every round).")
@FORMAT
@pass_root
def report_spot_checks(root, round_id, fmt):
    """Spot-check compliance per unit and round; `flagged` marks units below the pass mark.

    Example: python -m campaign report spot-checks --format csv
    """
    from campaign.supervision import spot_checks

    table = spot_checks.compliance(root.connect(), round_id)
    emit(table[["round", "round_day", "code", "unit", "checked", "installed", "registered", "compliant", "rate", "flagged"]], fmt)


@click.command("letters")
@FORMAT
@pass_root
def report_letters(root, fmt):
    """Reminder letters with their status today; the counts (sent, replied, overdue) go to stderr.

    Example: python -m campaign report letters --format json
    """
    from campaign.supervision import letters

    db = root.connect()
    counts = letters.summary(db)
    click.echo(f"{counts['sent']} sent, {counts['replied']} replied, {counts['overdue']} overdue", err=True)
    emit(letters.list_letters(db)[["number", "code", "unit", "source", "issued_on", "reply_due", "sent_on", "reply_on",
                                   "status", "attachment"]], fmt)


@click.command("unsigned")
@FORMAT
@pass_root
def report_unsigned(root, fmt):
    """Units that have not signed the responsibility letter.

    Example: python -m campaign report unsigned
    """
    from campaign.supervision import letters

    emit(letters.unsigned(root.connect())[["code", "unit", "group"]], fmt)


COMMANDS = {"": (bulletin_command,), "import": (import_spot_checks, import_responsibility_letters),
            "report": (report_spot_checks, report_letters, report_unsigned)}
