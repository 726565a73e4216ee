"""Bulletin and supervision commands of `python -m campaign`: the daily bulletin as a file, imports, and reports."""

from pathlib import Path

import click

from campaign.infra.cli import DATE, FORMAT, actor, emit, fail, import_command, pass_root
from campaign.infra.errors import CampaignError, InvalidValue, NotFound

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


@click.group("spot-check")
def spot_check():
    """Sampled spot checks (issue 20): draw a unit's sample from a seed; a round's report."""


@spot_check.command("sample")
@click.argument("unit")
@click.option("--size", default=None, help="People to draw, or a share such as 20% (default: the setting spot_check_sample).")
@click.option("--seed", default=None, help="The seed to draw from (default: a new one, printed).")
@FORMAT
@pass_root
def spot_check_sample(root, unit, size, seed, fmt):
    """Draw a sample of UNIT's active staff (a code or a name) without recording it: the same seed draws the
    same people, so a recorded sample can be re-checked. JSON: {"seed": S, "people": [{"name", "unit"}, …]}.

    Example: python -m campaign spot-check sample D018 --size 10 --seed 20261128 --format json
    """
    import json

    import pandas as pd

    from campaign.org import units
    from campaign.supervision import samples

    db = root.connect()
    try:
        unit_id = units.lookup(db).get(unit)
        if unit_id is None:
            raise NotFound("error.unit_not_found", unit=unit)
        drawn = samples.preview(db, unit_id, size=size, seed=seed)
    except CampaignError as error:
        fail(error)
    people = [{"name": p["name"], "unit": p["unit"]} for p in drawn["people"]]
    if fmt == "json":
        click.echo(json.dumps({"seed": drawn["seed"], "people": people}, ensure_ascii=False, indent=1))
        return
    click.echo(f"seed {drawn['seed']}: {drawn['size']} of {drawn['pool']}", err=True)
    emit(pd.DataFrame(people, columns=["name", "unit"]), fmt)


@spot_check.command("report")
@click.argument("round_id", type=int)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="FILE.pdf")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", help="Language of the report.")
@pass_root
def spot_check_report(root, round_id, out, lang):
    """A supervision round's report as a PDF: the samples, what was found, the rate, letters and re-checks.

    Example: python -m campaign spot-check report 4 --out 抽查报告.pdf
    """
    from campaign.supervision import round_report

    try:
        data = round_report.pdf_bytes(round_report.build(root.connect(), actor(), round_id), lang)
    except CampaignError as error:
        fail(error)
    Path(out).write_bytes(data)
    click.echo(f"report of round {round_id} written to {out} ({len(data):,} bytes)")


@click.command("responsibility")
@FORMAT
@pass_root
def report_responsibility(root, fmt):
    """The responsibility letters' register: every ranked unit, unsigned first; `status` is unsigned,
    scan_missing (signed, no scan attached) or signed, `scan` the signed scan's file name.

    Example: python -m campaign report responsibility --format json
    """
    from campaign.supervision import letters

    table = letters.responsibility(root.connect())[["code", "unit", "group", "signed_on", "signed_by", "scan", "status"]]
    emit(table.astype(object).where(table.notna(), None), fmt)  # what a unit does not have is null, not NaN


@click.command("talks")
@DATE
@FORMAT
@pass_root
def report_talks(root, day, fmt):
    """The laggard list (约谈名单) of a day with each unit's talk: `since` is the day it joined the list,
    `talk_on` the day of its talk since then (null: still to be talked with, flagged on the overview).

    Example: python -m campaign report talks --date 2026-11-28 --format json
    """
    from campaign.infra.parse import parse_date
    from campaign.supervision import talks

    try:
        if day is not None and parse_date(day) is None:
            raise InvalidValue("error.bad_date", value=day)
        table = talks.laggards_with_talks(root.connect(), day and parse_date(day))
    except CampaignError as error:
        fail(error)
    table = table[["code", "unit", "group", "rank", "completion", "since", "talk_on"]].assign(
        since=table["since"].map(lambda d: d and str(d)))
    emit(table.astype(object).where(table.notna(), None), fmt)


@click.group("responsibility")
def responsibility_group():
    """Responsibility letters (责任书) as documents (issue 20): a unit's letter from the template; its signed scan."""


def _unit_id(db, unit: str) -> int:
    from campaign.org import units

    unit_id = units.lookup(db).get(unit)
    if unit_id is None:
        raise NotFound("error.unit_not_found", unit=unit)
    return unit_id


@responsibility_group.command("letter")
@click.argument("unit", required=False)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="FILE.pdf or FILE.docx")
@pass_root
def responsibility_letter(root, unit, out):
    """UNIT's letter (a code or a name) from the template, as a PDF (the CJK font embedded) or a Word file, by
    the ending of --out; without UNIT, every unit's letter in one PDF.

    Example: python -m campaign responsibility letter D018 --out 责任书-县公安局.docx
    """
    from campaign.supervision import responsibility, responsibility_render

    db = root.connect()
    suffix = Path(out).suffix.lower()
    try:
        if suffix not in (".pdf", ".docx") or (unit is None and suffix != ".pdf"):
            raise InvalidValue("resp.bad_out", value=Path(out).name)
        docs = responsibility.documents(db, None if unit is None else [_unit_id(db, unit)])
    except CampaignError as error:
        fail(error)
    data = responsibility_render.pdf_bytes(docs) if suffix == ".pdf" else responsibility_render.docx_bytes(docs[0])
    Path(out).write_bytes(data)
    click.echo(f"{len(docs)} letter(s) written to {out} ({len(data):,} bytes)")


@responsibility_group.command("attach")
@click.argument("unit")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@pass_root
def responsibility_attach(root, unit, file):
    """Attach the signed scan FILE (PDF, PNG or JPEG, within the upload size setting) to UNIT's signed letter.

    Example: python -m campaign responsibility attach D018 责任书-县公安局-已签.pdf
    """
    from campaign.infra.tables import Upload
    from campaign.supervision import responsibility

    db = root.connect()
    try:
        responsibility.attach_scan(db, actor(), _unit_id(db, unit), Upload.from_path(file))
    except CampaignError as error:
        fail(error)
    click.echo(f"scan {Path(file).name} attached to {unit}")


COMMANDS = {"": (bulletin_command, spot_check, responsibility_group), "import": (import_spot_checks, import_responsibility_letters),
            "report": (report_spot_checks, report_letters, report_unsigned, report_responsibility, report_talks)}
