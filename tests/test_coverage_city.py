"""Issue 9: coverage in a (small) synthetic city: summaries built by the generator, a county's report, the overview."""

import datetime as dt

import pytest

from campaign import city, features
from campaign.coverage import report as coverage_report
from campaign.coverage import rules, store
from campaign.installs import rankings
from campaign.org import demo as org_demo
from tests.apptest import errors, open_page
from tests.test_coverage_summaries import recomputed

DAY = dt.date(2026, 11, 28)


@pytest.fixture(scope="module")
def small_city(tmp_path_factory):
    import os

    os.environ["CAMPAIGN_TODAY"] = DAY.isoformat()
    path = tmp_path_factory.mktemp("coverage_city") / "city.db"
    city.generate(path, seed=5, days=5, staff_total=2000, echo=lambda *_: None)
    return path


def test_the_generator_fills_the_coverage_summaries(small_city):
    db = features.connect(small_city)
    summary = store.summaries_snapshot(db)
    assert summary == recomputed(db)
    assert len(summary["registration_days"]) == 5 * 18 * (org_demo.CITY_TOWNSHIPS + 1)
    assert len(summary["coverage_days"]) == 5


@pytest.mark.parametrize("index", [0, 7, 17])
def test_a_countys_coverage_is_its_townships_figures(small_city, index):
    db = features.connect(small_city)
    county = rankings.counties(db)[index]
    report, trend = coverage_report.build(db, DAY, county.id)
    towns = {t["township"] for t in report["townships"]}
    assert report["county"] == county.name and len(towns) == org_demo.CITY_TOWNSHIPS + 1
    population = [row for row in store.population_rows(db, store.active_version(db).id) if row[0] in towns]
    snapshots = store.registration_rows(db)
    for row in trend.itertuples():
        total = rules.compute(population, [r for r in snapshots[row.day] if r[0] in towns])[0]
        assert (row.registered, row.coverage, row.coverage_16_60) == (
            rules.number(total.registered), total.coverage, total.coverage_16_60)
    assert {k: report[k] for k in total.as_dict()} == total.as_dict()
    whole = coverage_report.report(db, DAY)
    assert len(whole["townships"]) == 18 * (org_demo.CITY_TOWNSHIPS + 1) and whole["population"] > report["population"]


def test_the_overview_shows_the_chosen_countys_coverage(small_city):
    db = features.connect(small_city)
    first, second = rankings.counties(db)[:2]
    at = open_page(small_city, "overview", user="admin", lang="zh", timeout=300)
    assert not errors(at)
    assert any(first.name in c.value for c in at.caption)
    at.selectbox(key="overview_county").set_value(second.id).run()
    assert not errors(at)
    assert any(second.name in c.value for c in at.caption)
    shown = next(frame.value for frame in at.dataframe if "coverage_16_60" in frame.value.columns)
    assert set(shown["township"]) == {t["township"] for t in coverage_report.report(db, DAY, second.id)["townships"]}


def test_the_cli_reports_one_county(small_city, monkeypatch):
    import json

    from click.testing import CliRunner

    from campaign.cli import cli

    monkeypatch.setenv("CAMPAIGN_DB", str(small_city))
    db = features.connect(small_city)
    county = rankings.counties(db)[3]
    for text in (county.code, county.name):
        result = CliRunner().invoke(cli, ["report", "coverage", "--county", text, "--format", "json"])
        assert result.exit_code == 0, result.output
        assert json.loads(result.output)["county"] == county.name
        assert json.loads(result.output)["registered"] == coverage_report.report(db, DAY, county.id)["registered"]
    result = CliRunner().invoke(cli, ["report", "coverage", "--county", "无此县"])
    assert result.exit_code != 0 and "无此县" in result.output
