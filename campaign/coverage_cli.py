"""Coverage commands of `python -m campaign`: imports with their options, targets, population versions, reports."""

import json

import click
import pandas as pd

from campaign import coverage_reconcile, coverage_report, importing, settings
from campaign import coverage_store as store
from campaign.errors import CampaignError
from campaign.tables import Upload


def _base():
    from campaign import cli

    return cli


def _run_import(kind: str, file: str, dry_run: bool, options: dict) -> None:
    base = _base()
    try:
        result = importing.run_import(base.open_db(), base.cli_actor(), kind, Upload.from_path(file),
                                      dry_run=dry_run, options={k: v for k, v in options.items() if v is not None})
    except CampaignError as error:
        base.fail(error)
    counts = ", ".join(f"{k} {v}" for k, v in result.counts.items())
    click.echo(f"{kind}: {result.rows} rows " + ("clean (dry run, nothing written)" if dry_run else f"imported: {counts}"))


def _json(value) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=1, default=str))


def register(cli, import_group, report) -> None:
    """Add the coverage commands to the CLI (replacing the plain import commands of these kinds)."""
    file_argument = click.argument("file", type=click.Path(exists=True, dir_okay=False))
    dry_run_option = click.option("--dry-run", is_flag=True, help="Check the file only; write nothing.")

    @import_group.command("population")
    @file_argument
    @click.option("--year", type=int, default=None, help="Year of the figures (default: this year).")
    @click.option("--source", default="", help="Where they come from, e.g. 第七次人口普查.")
    @click.option("--kind", "pop_kind", type=click.Choice(["resident", "household"]), default="resident",
                  help="resident (常住) or household-registered (户籍) population.")
    @dry_run_option
    def import_population(file, year, source, pop_kind, dry_run):
        """Import a population version: 乡镇/township, 年龄/age, 人口数/population.

        Ages: 17, 17岁, 15-19, 15~19, 15—19岁, 85+, 85岁及以上, 85岁以上. Importing the same
        year, source and kind again replaces that version.

        Example: python -m campaign import population census.xlsx --year 2020 --source 七普 --kind resident
        """
        _run_import("population", file, dry_run, {"year": year, "source": source, "kind": pop_kind})

    @import_group.command("registrations")
    @file_argument
    @click.option("--as-of", default=None, help="Snapshot date (YYYY-MM-DD) when the file has no 日期/date column.")
    @dry_run_option
    def import_registrations(file, as_of, dry_run):
        """Import an official registration snapshot: 乡镇/township, 年龄/age, 注册人数/registered.

        Example: python -m campaign import registrations reg-1127.csv --as-of 2026-11-27
        """
        _run_import("registrations", file, dry_run, {"as_of": as_of})

    @import_group.command("peers")
    @file_argument
    @click.option("--as-of", default=None, help="Bulletin date (YYYY-MM-DD) when the file has no 日期/date column.")
    @dry_run_option
    def import_peers(file, as_of, dry_run):
        """Import the city's bulletin: 县区/county, 注册率/rate, 16-60周岁注册率/rate_16_60 (0.5494 or 54.94%).

        Example: python -m campaign import peers bulletin.xlsx --as-of 2026-11-27
        """
        _run_import("peers", file, dry_run, {"as_of": as_of})

    @cli.command("targets")
    @click.option("--coverage", default=None, help="Registration rate target: 0.6 or 60% ('' clears it).")
    @click.option("--coverage-16-60", "coverage_16_60", default=None, help="Ages 16–60 target: 0.95 or 95%.")
    @click.option("--deadline", default=None, help="Target deadline (YYYY-MM-DD; '' = the campaign deadline).")
    @click.option("--margin", default=None, help="Reconciliation margin: reports may exceed the rise by this much (10%).")
    def targets(coverage, coverage_16_60, deadline, margin):
        """Set the city's targets (given options only) and print them.

        Example: python -m campaign targets --coverage 0.6 --coverage-16-60 95% --deadline 2026-12-31
        """
        base = _base()
        db = base.open_db()
        changes = {key: value for key, value in (("target_coverage", coverage), ("target_coverage_16_60", coverage_16_60),
                                                 ("target_deadline", deadline), ("reconcile_margin", margin))
                   if value is not None}
        try:
            if changes:
                settings.update(db, base.cli_actor(), changes)
        except CampaignError as error:
            base.fail(error)
        conf = settings.get_all(db)
        _json({"targets": coverage_report.targets(conf), "reconcile_margin": conf["reconcile_margin"]})

    @cli.group("population")
    def population():
        """Population versions (the denominator) and township aliases."""

    @population.command("list")
    def population_list():
        """List population versions; * marks the one used as the denominator.

        Example: python -m campaign population list
        """
        db = _base().open_db()
        active = store.active_version(db)
        for v in store.list_versions(db):
            mark = "*" if active and v.id == active.id else " "
            click.echo(f"{mark} {v.id}  {v.year} {v.kind} {v.source or '-'}  {v.people:,} people, {v.townships} townships")

    @population.command("use")
    @click.argument("version", type=int)
    def population_use(version):
        """Use population VERSION (an id from `population list`) as the denominator.

        Example: python -m campaign population use 2
        """
        base = _base()
        try:
            store.use_version(base.open_db(), base.cli_actor(), version)
        except CampaignError as error:
            base.fail(error)
        click.echo(f"population version {version} is the denominator")

    @population.command("alias")
    @click.argument("alias")
    @click.argument("township", required=False)
    @click.option("--remove", is_flag=True, help="Forget ALIAS.")
    def population_alias(alias, township, remove):
        """Let ALIAS stand for TOWNSHIP in imported files and the org tree (or --remove it).

        Example: python -m campaign population alias 城厢 城厢镇
        """
        base = _base()
        db = base.open_db()
        try:
            if remove:
                store.remove_alias(db, base.cli_actor(), alias)
            else:
                store.set_alias(db, base.cli_actor(), alias, township or "")
        except CampaignError as error:
            base.fail(error)
        click.echo(f"alias {alias} " + ("removed" if remove else f"-> {township}"))

    @report.command("coverage")
    @click.option("--as-of", "as_of", default=None, help="Day (YYYY-MM-DD); the latest snapshot on or before it. Default today.")
    @click.option("--county", default=None, help="A county's code or name (a city-scale database): its townships only.")
    @click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
    def report_coverage(as_of, county, fmt):
        """Registration coverage, total and ages 16–60, per township, with targets, gaps and city rank.

        JSON is one object; rates are unrounded fractions. csv and table list the townships.

        Example: python -m campaign report coverage --as-of 2026-11-28 --format json
        """
        base = _base()
        try:
            db = base.open_db()
            result = coverage_report.report(db, as_of, county and store.county_id(db, county))
        except CampaignError as error:
            base.fail(error)
        if fmt == "json":
            _json(result)
            return
        if fmt == "table":
            click.echo(f"as of {result['as_of']}: coverage {result['coverage']}, 16-60 {result['coverage_16_60']}"
                       + (" (estimated)" if result["coverage_16_60_estimated"] else ""))
        base.emit(pd.DataFrame(result["townships"]), fmt)

    @report.command("reconciliation")
    @click.option("--from", "first_day", default=None, help="First day (default: the campaign start).")
    @click.option("--to", "last_day", default=None, help="Last day (default: today).")
    @click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
    def report_reconciliation(first_day, last_day, fmt):
        """Installs reported per township beside the rise in official registrations; flagged rows first.

        Example: python -m campaign report reconciliation --from 2026-11-01 --to 2026-11-28 --format csv
        """
        result = coverage_reconcile.reconcile(_base().open_db(), first_day, last_day)
        _base().emit(result["table"], fmt)
