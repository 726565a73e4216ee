"""Coverage commands of `python -m campaign`: imports with their options, targets, population versions, reports."""

import json

import click

from campaign.infra.cli import FORMAT, actor, emit, fail, import_command, pass_root
from campaign.infra.errors import CampaignError


def _json(value) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=1, default=str))


def _given(**values) -> dict:
    return {key: value for key, value in values.items() if value is not None}


import_population = import_command(
    "population",
    "Import a population version: 乡镇/township, 年龄/age, 人口数/population.\n\nAges: 17, 17岁, 15-19, 15~19, 15—19岁,"
    " 85+, 85岁及以上, 85岁以上. Importing the same year, source and kind again replaces that version.",
    click.option("--year", type=int, default=None, help="Year of the figures (default: this year)."),
    click.option("--source", default="", help="Where they come from, e.g. 第七次人口普查."),
    click.option("--kind", "pop_kind", type=click.Choice(["resident", "household"]), default="resident",
                 help="resident (常住) or household-registered (户籍) population."),
    to_options=lambda year, source, pop_kind: _given(year=year, source=source, kind=pop_kind),
    example="--year 2020 --source 七普 --kind resident")
import_registrations = import_command(
    "registrations", "Import an official registration snapshot: 乡镇/township, 年龄/age, 注册人数/registered.",
    click.option("--as-of", default=None, help="Snapshot date (YYYY-MM-DD) when the file has no 日期/date column."),
    to_options=lambda as_of: _given(as_of=as_of), example="--as-of 2026-11-27")
import_peers = import_command(
    "peers", "Import the city's bulletin: 县区/county, 注册率/rate, 16-60周岁注册率/rate_16_60 (0.5494 or 54.94%).",
    click.option("--as-of", default=None, help="Bulletin date (YYYY-MM-DD) when the file has no 日期/date column."),
    to_options=lambda as_of: _given(as_of=as_of), example="--as-of 2026-11-27")


@click.command("targets")
@click.option("--coverage", default=None, help="Registration rate target: 0.6 or 60% ('' clears it).")
@click.option("--coverage-16-60", "coverage_16_60", default=None, help="Ages 16–60 target: 0.95 or 95%.")
@click.option("--deadline", default=None, help="Target deadline (YYYY-MM-DD; '' = the campaign deadline).")
@click.option("--margin", default=None, help="Reconciliation margin: reports may exceed the rise by this much (10%).")
@pass_root
def targets(root, coverage, coverage_16_60, deadline, margin):
    """Set the city's targets (given options only) and print them.

    Example: python -m campaign targets --coverage 0.6 --coverage-16-60 95% --deadline 2026-12-31
    """
    from campaign.coverage import report
    from campaign.infra import settings

    db = root.connect()
    changes = _given(target_coverage=coverage, target_coverage_16_60=coverage_16_60, target_deadline=deadline,
                     reconcile_margin=margin)
    try:
        if changes:
            settings.update(db, actor(), changes)
    except CampaignError as error:
        fail(error)
    conf = settings.get_all(db)
    _json({"targets": report.targets(conf), "reconcile_margin": conf["reconcile_margin"]})


@click.group("population")
def population():
    """Population versions (the denominator) and township aliases."""


@population.command("list")
@pass_root
def population_list(root):
    """List population versions; * marks the one used as the denominator.

    Example: python -m campaign population list
    """
    from campaign.coverage import store

    db = root.connect()
    active = store.active_version(db)
    for v in store.list_versions(db):
        mark = "*" if active and v.id == active.id else " "
        click.echo(f"{mark} {v.id}  {v.year} {v.kind} {v.source or '-'}  {v.people:,} people, {v.townships} townships")


@population.command("use")
@click.argument("version", type=int)
@pass_root
def population_use(root, version):
    """Use population VERSION (an id from `population list`) as the denominator.

    Example: python -m campaign population use 2
    """
    from campaign.coverage import store

    try:
        store.use_version(root.connect(), actor(), version)
    except CampaignError as error:
        fail(error)
    click.echo(f"population version {version} is the denominator")


@population.command("alias")
@click.argument("alias")
@click.argument("township", required=False)
@click.option("--remove", is_flag=True, help="Forget ALIAS.")
@pass_root
def population_alias(root, alias, township, remove):
    """Let ALIAS stand for TOWNSHIP in imported files and the org tree (or --remove it).

    Example: python -m campaign population alias 城厢 城厢镇
    """
    from campaign.coverage import store

    db = root.connect()
    try:
        if remove:
            store.remove_alias(db, actor(), alias)
        else:
            store.set_alias(db, actor(), alias, township or "")
    except CampaignError as error:
        fail(error)
    click.echo(f"alias {alias} " + ("removed" if remove else f"-> {township}"))


@click.command("coverage")
@click.option("--as-of", "as_of", default=None, help="Day (YYYY-MM-DD); the latest snapshot on or before it. Default today.")
@click.option("--county", default=None, help="A county's code or name (a city-scale database): its townships only.")
@FORMAT
@pass_root
def report_coverage(root, as_of, county, fmt):
    """Registration coverage, total and ages 16–60, per township, with targets, gaps and city rank.

    JSON is one object; rates are unrounded fractions. csv and table list the townships.

    Example: python -m campaign report coverage --as-of 2026-11-28 --format json
    """
    import pandas as pd

    from campaign.coverage import report, store

    try:
        db = root.connect()
        result = report.report(db, as_of, county and store.county_id(db, county))
    except CampaignError as error:
        fail(error)
    if fmt == "json":
        _json(result)
        return
    if fmt == "table":
        click.echo(f"as of {result['as_of']}: coverage {result['coverage']}, 16-60 {result['coverage_16_60']}"
                   + (" (estimated)" if result["coverage_16_60_estimated"] else ""))
    emit(pd.DataFrame(result["townships"]), fmt)


@click.command("reconciliation")
@click.option("--from", "first_day", default=None, help="First day (default: the campaign start).")
@click.option("--to", "last_day", default=None, help="Last day (default: today).")
@FORMAT
@pass_root
def report_reconciliation(root, first_day, last_day, fmt):
    """Installs reported per township beside the rise in official registrations; flagged rows first, then the
    county's row ("county": true): every unit's staff, departments included, and every channel, against the
    rise of the whole county.

    Example: python -m campaign report reconciliation --from 2026-11-01 --to 2026-11-28 --format csv
    """
    from campaign.coverage import reconcile

    table = reconcile.with_county_row(reconcile.reconcile(root.connect(), first_day, last_day))
    emit(table.astype(object).where(table.notna(), None), fmt)  # what a row does not have is null, not NaN


COMMANDS = {"": (targets, population), "import": (import_population, import_registrations, import_peers),
            "report": (report_coverage, report_reconciliation)}
