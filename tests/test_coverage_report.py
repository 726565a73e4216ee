"""The coverage report and the overview: targets, gaps, pace, city rank, reconciliation, the demo county."""

import datetime as dt

import pytest

from campaign.coverage import overview as coverage_overview
from campaign.coverage import reconcile as coverage_reconcile
from campaign.coverage import report as coverage_report
from campaign.coverage import store
from campaign.infra import hooks, settings
from campaign.infra.errors import NotFound
from tests.helpers import ADMIN, load, small_county

POPULATION = """
乡镇,年龄,人口数
甲镇,15,100
甲镇,16,200
甲镇,17-60,3000
甲镇,61-64,400
甲镇,65岁及以上,300
乙镇,0-15,500
乙镇,16~60岁,1000
乙镇,61+,500
"""
SNAPSHOTS = """
日期,乡镇,年龄,注册人数
2026-11-21,甲镇,0-15,10
2026-11-21,甲镇,16-60,2750
2026-11-21,甲镇,61+,90
2026-11-21,乙镇,0-15,0
2026-11-21,乙镇,16-60,750
2026-11-21,乙镇,61+,100
2026-11-28,甲镇,0-15,10
2026-11-28,甲镇,16-60,3000
2026-11-28,甲镇,61+,90
2026-11-28,乙镇,0-15,0
2026-11-28,乙镇,16-60,800
2026-11-28,乙镇,61+,100
"""
REQUIRED = {"as_of", "population", "registered", "coverage", "population_16_60", "registered_16_60", "coverage_16_60",
            "coverage_16_60_estimated", "townships", "targets", "gap", "city_rank"}
FIGURES = {"township", "population", "registered", "coverage", "population_16_60", "registered_16_60", "coverage_16_60"}


@pytest.fixture
def county(db):
    small_county(db)
    load(db, "population", POPULATION)
    load(db, "registrations", SNAPSHOTS)
    return db


def test_report_without_targets_or_bulletin(county):
    result = coverage_report.report(county)
    assert REQUIRED <= set(result) and all(FIGURES <= set(t) for t in result["townships"])
    assert (result["targets"], result["gap"], result["city_rank"]) == (None, None, None)
    assert [result[k] for k in ("as_of", "population", "registered", "population_16_60", "registered_16_60")] == [
        "2026-11-28", 6000, 4000, 4200, 3800]


def test_targets_gap_per_day_pace_and_reach(county):
    settings.update(county, ADMIN, {"target_coverage": "70%", "target_coverage_16_60": "0.95", "target_deadline": "2026-12-08"})
    result = coverage_report.report(county)
    assert result["targets"] == {"coverage": 0.7, "coverage_16_60": 0.95, "deadline": "2026-12-08"}
    assert result["gap"] == {"coverage": 200, "coverage_16_60": 190}  # 4,200 − 4,000 and 3,990 − 3,800
    assert result["per_day"] == {"coverage": 20, "coverage_16_60": 19}  # over the 10 days after the 28th
    assert result["pace"] == {"coverage": 300 / 7, "coverage_16_60": 300 / 7}  # +300 since the 21st
    assert result["reach"] == {
        "coverage": {"status": "on", "date": "2026-12-03", "after_deadline": False},  # 200 ÷ 42.86 -> 5 days
        "coverage_16_60": {"status": "on", "date": "2026-12-03", "after_deadline": False},  # 190 ÷ 42.86 -> 5 days
    }
    gaps = {t["township"]: t["gap_16_60"] for t in result["townships"]}
    assert gaps == {"甲镇": 40, "乙镇": 150}  # 3,040 − 3,000 and 950 − 800


def test_a_target_already_met_and_one_missed_at_this_pace(county):
    settings.update(county, ADMIN, {"target_coverage": "60%", "target_coverage_16_60": "100%", "target_deadline": "2026-12-01"})
    result = coverage_report.report(county)
    assert result["gap"] == {"coverage": 0, "coverage_16_60": 400}
    assert result["per_day"] == {"coverage": 0, "coverage_16_60": 134}  # 400 over 3 days
    assert result["reach"]["coverage"] == {"status": "reached", "date": "2026-11-28", "after_deadline": False}
    assert result["reach"]["coverage_16_60"] == {"status": "on", "date": "2026-12-08", "after_deadline": True}  # 400 ÷ 42.86 -> 10 days


def test_the_deadline_falls_back_to_the_campaign_deadline(county):
    settings.update(county, ADMIN, {"target_coverage_16_60": "95%"})
    result = coverage_report.report(county)
    assert result["targets"] == {"coverage": None, "coverage_16_60": 0.95, "deadline": "2026-12-19"}
    assert result["gap"] == {"coverage": None, "coverage_16_60": 190}
    assert result["per_day"]["coverage_16_60"] == 10  # 190 over 21 days
    assert result["reach"]["coverage"] == {"status": "no_data", "date": None, "after_deadline": False}


def test_as_of_picks_the_latest_snapshot_on_or_before(county):
    assert coverage_report.report(county, "2026-11-27")["as_of"] == "2026-11-21"
    assert coverage_report.report(county, "2026-11-27")["registered"] == 3700
    early = coverage_report.report(county, "2026-11-20")
    assert (early["as_of"], early["registered"], early["coverage"], early["population"]) == (None, None, None, 6000)


def test_no_population_is_a_named_error(db):
    with pytest.raises(NotFound) as caught:
        coverage_report.report(db)
    assert caught.value.code == "coverage.no_population"


def test_trend_per_snapshot(county):
    trend = coverage_report.trend(county)
    assert trend[["day", "registered", "registered_16_60"]].values.tolist() == [
        [dt.date(2026, 11, 21), 3700, 3500], [dt.date(2026, 11, 28), 4000, 3800]]
    lines = coverage_overview.trend_lines(trend, {"coverage": 0.7, "coverage_16_60": None})
    assert sorted(set(lines["series"])) == ["coverage", "coverage_16_60", "target_coverage"]
    assert lines[lines["target"]]["value"].tolist() == [0.7, 0.7]


# ---- reconciliation ----------------------------------------------------------------------

INSTALLS = """
unit,name,date,installs
甲镇,张一,2026-11-25,50
甲镇,张二,2026-11-26,60
乙镇,李一,2026-11-27,30
县一局,王一,2026-11-27,15
"""


@pytest.fixture
def reconciled(db):
    small_county(db)
    load(db, "population", POPULATION)
    load(db, "registrations", "日期,乡镇,年龄,注册人数\n2026-11-19,甲镇,16-60,1000\n2026-11-19,乙镇,16-60,500\n"
                              "2026-11-28,甲镇,16-60,1100\n2026-11-28,乙镇,16-60,520\n")
    load(db, "installs", INSTALLS)
    return db


@pytest.mark.parametrize("margin, flagged", [("10%", {"乙镇"}), ("0.05", {"甲镇", "乙镇"}), ("200%", set())])
def test_reports_beyond_the_registration_rise_are_flagged(reconciled, margin, flagged):
    settings.update(reconciled, ADMIN, {"reconcile_margin": margin})
    result = coverage_reconcile.reconcile(reconciled, "2026-11-20", "2026-11-28")
    rows = {r.township: (r.reported_staff, r.reported, r.increase, r.excess) for r in result["table"].itertuples()}
    assert rows == {"甲镇": (110, 110, 100, 10), "乙镇": (30, 30, 20, 10)}  # 110 is 10% over 100: not more than 10%
    assert set(result["table"].loc[result["table"]["flagged"], "township"]) == flagged
    assert result["outside"] == {"staff": 15}  # 县一局 is in no township
    assert (result["first_day"], result["last_day"]) == (dt.date(2026, 11, 20), dt.date(2026, 11, 28))


def test_the_period_follows_the_snapshots(reconciled):
    result = coverage_reconcile.reconcile(reconciled, "2026-11-26", "2026-11-28")
    assert (result["base"], result["first_day"]) == (dt.date(2026, 11, 19), dt.date(2026, 11, 20))  # no snapshot on the 25th
    assert coverage_reconcile.reconcile(reconciled, "2026-11-20", "2026-11-27")["table"].empty  # one snapshot only


@pytest.mark.parametrize("reported, increase, margin, flag", [
    (110, 100, 0.1, False), (111, 100, 0.1, True), (5, 0, 0.1, True), (5, -3, 0.1, True), (0, 0, 0.1, False),
    (0, -10, 0.1, False), (5, None, 0.1, False), (100, 100, 0.0, False), (101, 100, 0.0, True)])
def test_flag_rule(reported, increase, margin, flag):
    assert coverage_reconcile.flagged(reported, increase, margin) is flag


def test_every_channel_is_summed_per_township(reconciled, monkeypatch):
    ids = {code: uid for uid, code in reconciled.execute("SELECT id, code FROM units")}
    extra = {"grids": {ids["T1"]: 7, None: 4}, "schools": {"乙镇": 3, "某地": 2}}
    staff_only = hooks.call  # this small county has no outreach registries: the installs feature answers alone
    monkeypatch.setattr(hooks, "call", lambda name, *args: [*staff_only(name, *args), extra])
    result = coverage_reconcile.reconcile(reconciled, "2026-11-20", "2026-11-28")
    rows = result["table"].set_index("township")
    assert result["channels"] == ["staff", "grids", "schools"]
    assert rows.loc["甲镇", ["reported_staff", "reported_grids", "reported_schools", "reported"]].tolist() == [110, 7, 0, 117]
    assert rows.loc["乙镇", ["reported_staff", "reported_grids", "reported_schools", "reported"]].tolist() == [30, 0, 3, 33]
    assert result["outside"] == {"staff": 15, "grids": 4, "schools": 2}


def test_units_reach_their_township_through_the_tree_and_aliases(reconciled):
    load(reconciled, "units", "code,name,type,parent\nS1,甲镇中心小学,school,T1\nC1,管委会,community,\n")
    store.set_alias(reconciled, ADMIN, "管委会", "乙镇")
    ids = {code: uid for uid, code in reconciled.execute("SELECT id, code FROM units")}
    where = coverage_reconcile.unit_townships(reconciled, ["甲镇", "乙镇"], store.aliases(reconciled))
    assert (where[ids["S1"]], where[ids["T1"]], where[ids["C1"]], ids["D1"] in where) == ("甲镇", "甲镇", "乙镇", False)


def test_every_feature_that_records_installs_answers_the_reconciliation(demo_db):
    names = list(coverage_reconcile.reported_by_channel(demo_db, dt.date(2026, 10, 30), dt.date(2026, 11, 28)))
    assert names[0] == "staff" and sorted(names[1:]) == ["enterprises", "grids", "schools", "windows"]


# ---- the demo county ---------------------------------------------------------------------

def test_demo_population_and_published_figures(demo_db):
    result = coverage_report.report(demo_db)
    assert result["as_of"] == "2026-11-28" and len(result["townships"]) == 9
    assert result["population"] == 180_009 and result["coverage_16_60_estimated"] is True
    assert result["targets"] == {"coverage": 0.6, "coverage_16_60": 0.95, "deadline": "2026-12-28"}
    rank = result["city_rank"]
    assert (rank["counties"], rank["bulletin"]) == (18, "2026-11-27")
    assert rank["published"] == {"coverage": 2, "coverage_16_60": 2, "rate": 0.5494, "rate_16_60": 0.9367}
    assert (rank["coverage"], rank["coverage_16_60"]) == (2, 2)
    bulletin_day = coverage_report.report(demo_db, "2026-11-27")
    assert (round(bulletin_day["coverage"], 4), round(bulletin_day["coverage_16_60"], 4)) == (0.5494, 0.9367)
    assert result["gap"]["coverage"] > 0 and result["gap"]["coverage_16_60"] > 0
    assert len(store.snapshot_days(demo_db)) == 31  # the day before the campaign, then every day to the load day


def test_demo_overview_lists_what_needs_attention(demo_db):
    view = coverage_overview.overview(demo_db, "2026-11-28")
    inflated = {i["subject"] for i in view["attention"] if i["code"] == "overview.attn.inflated"}
    assert "龙下乡" in inflated and len(inflated) < 9
    assert {i["code"] for i in view["attention"]} == {"overview.attn.inflated", "overview.attn.laggard", "overview.attn.no_report",
                                                      "overview.attn.inflated_county", "overview.attn.laggard_talked"}  # issue 20
    assert set(view["groups"]) == {"township", "department"}
    assert view["reconciliation"]["channels"][0] == "staff"
