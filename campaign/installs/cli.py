"""Installs from the shell: `import installs FILE`, `report units`."""

import click

from campaign.infra.cli import DATE, FORMAT, emit, import_command, pass_root

import_installs = import_command("installs", "Import installs: 单位/unit, 姓名/name, 手机号/phone, 日期/date, 安装数/installs.")


@click.command("units")
@DATE
@FORMAT
@pass_root
def report_units(root, day, fmt):
    """Units ranked by quota completion within their group.

    Example: python -m campaign report units --date 2026-11-28 --format json
    """
    from campaign.installs import rankings

    table = rankings.unit_ranking(root.connect(), day)
    emit(table[["unit", "code", "group", "rank", "staff", "quota_total", "installs", "completion", "at_quota",
                "installs_today", "change", "no_report", "quota_below"]], fmt)


COMMANDS = {"import": (import_installs,), "report": (report_units,)}
