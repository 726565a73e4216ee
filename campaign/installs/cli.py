"""Installs from the shell: `import installs FILE`, `report units`."""

import click

from campaign.infra.cli import DATE, FORMAT, actor, emit, fail, import_command, pass_root
from campaign.infra.errors import CampaignError

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


@click.group("unlock")
def unlock():
    """Unlock requests: a coordinator's locked day opened again for a set time (issue 20)."""


@unlock.command("list")
@FORMAT
@pass_root
def unlock_list(root, fmt):
    """Every unlock request, open ones first; `state` is open, active, expired or refused.

    Example: python -m campaign unlock list --format json
    """
    from campaign.installs import unlocks

    emit(unlocks.list_requests(root.connect())[["id", "code", "unit", "day", "requested_by", "reason", "requested_at",
                                                 "state", "decided_by", "answer", "until"]], fmt)


def _answer(call, done: str):
    try:
        result = call()
    except CampaignError as error:
        fail(error)
    else:
        click.echo(done.format(result))


@unlock.command("approve")
@click.argument("request_id", type=int)
@click.option("--hours", type=int, default=None, help="How long the day stays open (default: the setting unlock_hours).")
@click.option("--note", default="", help="A note for the coordinator.")
@pass_root
def unlock_approve(root, request_id, hours, note):
    """Approve request REQUEST_ID: the unit's day is open to the requester until the time printed.

    Example: python -m campaign unlock approve 3 --hours 2
    """
    from campaign.installs import unlocks

    _answer(lambda: unlocks.approve(root.connect(), actor(), request_id, hours=hours, note=note), "open until {}")


@unlock.command("refuse")
@click.argument("request_id", type=int)
@click.option("--reason", required=True, help="Why, as the coordinator will read it.")
@pass_root
def unlock_refuse(root, request_id, reason):
    """Refuse request REQUEST_ID with a reason.

    Example: python -m campaign unlock refuse 3 --reason "请先核实数据来源"
    """
    from campaign.installs import unlocks

    _answer(lambda: unlocks.refuse(root.connect(), actor(), request_id, reason), "refused")


@unlock.command("close")
@click.argument("request_id", type=int)
@pass_root
def unlock_close(root, request_id):
    """Close the open window of request REQUEST_ID now.

    Example: python -m campaign unlock close 3
    """
    from campaign.installs import unlocks

    _answer(lambda: unlocks.close(root.connect(), actor(), request_id), "closed")


COMMANDS = {"": (unlock,), "import": (import_installs,), "report": (report_units,)}
