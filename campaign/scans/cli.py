"""`python -m campaign report scans` and `python -m campaign landing export DIR` (issue 18)."""

import json
from pathlib import Path

import click

from campaign.infra.cli import FORMAT, emit, fail, pass_root
from campaign.infra.errors import CampaignError, InvalidValue


def _day(value):
    from campaign.infra import settings

    return None if value is None else settings.date(value)


def _text(value):
    return value if isinstance(value, str) else None  # pandas gives NaN for a missing text: JSON's null


@click.command("scans")
@click.option("--from", "first_day", default=None, help="First day (default: the campaign start).")
@click.option("--to", "last_day", default=None, help="Last day (default: today).")
@FORMAT
@pass_root
def report_scans(root, first_day, last_day, fmt):
    """Scans per code (persons, windows, grids, classes; unknown codes in one line), most scanned first.

    Example: python -m campaign report scans --from 2026-11-01 --to 2026-11-28 --format json
    """
    from campaign.scans import counts, rules

    try:
        frame = counts.by_code(root.connect(), _day(first_day), _day(last_day))
    except CampaignError as error:
        fail(error)
    if fmt == "json":
        click.echo(json.dumps([{"code": _text(row.code), "kind": row.kind, "unit": _text(row.unit), "scans": int(row.scans),
                                "by_platform": {p: int(getattr(row, p)) for p in rules.PLATFORMS}}
                               for row in frame.itertuples(index=False)], ensure_ascii=False, indent=1))
    else:
        emit(frame.drop(columns=["unit_id", "staff_id"]), fmt)


@click.group("landing")
def landing():
    """The QR codes' landing page."""


@landing.command("export")
@click.argument("folder", type=click.Path(file_okay=False))
@pass_root
def landing_export(root, folder):
    """Write the landing page as static files for a web server of the county's own (no counting there).

    The page sends iPhones and Android phones to the store addresses of the settings and asks in-app browsers
    (WeChat, QQ, Alipay, DingTalk) to open it in the browser. Point the setting "the county's own page" at it.

    Example: python -m campaign landing export /var/www/fzapp
    """
    from campaign.infra import settings
    from campaign.scans import page

    conf = settings.get_all(root.connect())
    out = Path(folder)
    try:
        out.mkdir(parents=True, exist_ok=True)
        (out / "index.html").write_text(page.static_html(conf["scan_ios_url"], conf["scan_android_url"]), encoding="utf-8")
    except OSError:
        fail(InvalidValue("scans.error.bad_dir", value=out.name))
    click.echo(f"{out / 'index.html'}: the landing page (iPhone {conf['scan_ios_url']}, Android {conf['scan_android_url']});"
               " set the QR codes to lead to its address with ?c={code}, e.g. https://www.example.gov.cn/fzapp/?c={code}")


COMMANDS = {"": (landing,), "report": (report_scans,)}
