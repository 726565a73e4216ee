"""Outreach commands of `python -m campaign`: registry imports, the channels' summary, a channel's tables, printable codes."""

import json

import click

from campaign.infra.cli import DATE, FORMAT, fail, import_command, pass_root
from campaign.infra.errors import CampaignError
from campaign.outreach.channels import CHANNELS


def _emit(frame, fmt: str) -> None:
    """Like campaign.infra.cli.emit, but missing rates stay null in JSON, empty in CSV and read 'no data' in a table."""
    if fmt == "json":
        records = json.loads(frame.to_json(orient="records", force_ascii=False, date_format="iso"))
        click.echo(json.dumps(records, ensure_ascii=False, indent=1))
    elif fmt == "csv":
        click.echo(frame.to_csv(index=False), nl=False)
    else:
        click.echo(frame.astype(object).where(frame.notna(), "no data").to_string(index=False))


def _fail(error):
    if isinstance(error, CampaignError):
        fail(error)
    raise click.BadParameter(str(error), param_hint="--date")


import_schools = import_command("schools", "Import schools: 编码, 学校名称, 学段, 乡镇 (each under its township).")
import_classes = import_command("classes", "Import classes: 编码, 学校, 班级名称, 学生家庭数 (年级, 班主任, 班主任电话), each under its school.")
import_grids = import_command("grids", "Import grids: 编码, 网格名称, 乡镇, 村（社区）, 户数 (网格员, 网格员电话); villages are created when first named.")
import_enterprises = import_command("enterprises", "Import enterprises and business groups: 编码, 名称, 类别, 主管部门, 职工人数 (园区, 乡镇).")
import_windows = import_command("windows", "Import service windows: 编码, 窗口名称, 窗口类型, 所属单位 (乡镇, 位置, 宣传人员).")

@click.command("outreach")
@DATE
@FORMAT
@pass_root
def report_outreach(root, day, fmt):
    """One line per channel (schools, grids, enterprises, windows): units, denominator, reached, installs, rates.

    Example: python -m campaign report outreach --date 2026-11-28 --format json
    """
    import pandas as pd

    from campaign.outreach import figures

    try:
        lines = figures.summary(root.connect(), day)
    except (CampaignError, ValueError) as error:
        _fail(error)
    if fmt == "json":
        click.echo(json.dumps(lines, ensure_ascii=False, indent=1))
    else:
        _emit(pd.DataFrame(lines).convert_dtypes(), fmt)


@click.command("outreach-table")
@click.argument("channel", type=click.Choice(list(CHANNELS)))
@click.argument("table")
@DATE
@FORMAT
@pass_root
def report_outreach_table(root, channel, table, day, fmt):
    """One of a channel's tables: schools|school_types|townships|classes, grids|villages|townships|idle,
    regulators|parks|units, windows|hosts|townships.

    Example: python -m campaign report outreach-table grids townships --format csv
    """
    from campaign.outreach import figures

    try:
        tables = figures.tables(root.connect(), channel, day)
    except (CampaignError, ValueError) as error:
        _fail(error)
    if table not in tables:
        raise click.BadParameter(f"{table} (choose from {', '.join(tables)})", param_hint="TABLE")
    _emit(tables[table].drop(columns=["phone"], errors="ignore"), fmt)  # phones stay in the app, masked


@click.command("outreach-codes")
@click.option("--township", default=None, help="Township code or name; default every township.")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(["window", "grid", "class"]),
              help="Repeatable; default windows, grids and classes.")
@FORMAT
@pass_root
def report_outreach_codes(root, township, kinds, fmt):
    """Printable locations with their stable codes (for QR flyers): kind, code, name, host, township.

    Example: python -m campaign report outreach-codes --township 城厢镇 --kind window --format csv
    """
    from campaign.outreach import entries

    _emit(entries.printables(root.connect(), township, kinds or ("window", "grid", "class")), fmt)


COMMANDS = {"import": (import_schools, import_classes, import_grids, import_enterprises, import_windows),
            "report": (report_outreach, report_outreach_table, report_outreach_codes)}
