"""Rankings: groups, ties, day-over-day change, units without a report, laggards, staff within a unit."""

import datetime as dt

import pandas as pd
import pytest

from campaign.infra import settings
from campaign.infra.errors import AccessDenied
from campaign.installs import rankings, reference
from campaign.org import access
from tests.helpers import ADMIN, load, small_county

INSTALLS = """
unit,name,date,installs
甲镇,张一,2026-11-25,10
甲镇,张二,2026-11-25,10
乙镇,李一,2026-11-25,10
乙镇,李一,2026-11-26,5
县一局,王一,2026-11-25,15
县二局,赵一,2026-11-25,5
县二局,赵二,2026-11-26,10
县三局,钱一,2026-11-26,15
"""


@pytest.fixture
def county(db):
    small_county(db)
    load(db, "installs", INSTALLS)
    return db


def test_ranking_on_a_day(county):
    table = rankings.unit_ranking(county, "2026-11-26")
    rows = table[["code", "group", "rank", "installs", "completion", "installs_today", "rank_change", "no_report"]]
    assert rows.values.tolist() == [
        ["T2", "township", 1, 15, 0.5, 5, 0, False],  # tied 1st with 甲镇 on the 25th (10/30 = 20/60)
        ["T1", "township", 2, 20, pytest.approx(1 / 3), 0, -1, True],
        # all three departments at 50%: one shared rank, ordered by installs then code
        ["D1", "department", 1, 15, 0.5, 0, 0, True],
        ["D2", "department", 1, 15, 0.5, 10, 1, False],  # (5 + 10) / (10 + 20), 2nd on the 25th
        ["D3", "department", 1, 15, 0.5, 15, 2, False],  # from 0% (3rd) on the 25th
    ]
    assert table.loc[table["code"] == "D3", "change"].item() == pytest.approx(0.5)


def test_townships_and_departments_never_share_a_ranking(county):
    table = rankings.unit_ranking(county, "2026-11-25")
    assert sorted(table.groupby("group")["rank"].apply(list).to_dict()["township"]) == [1, 1]


def test_staff_ranking_and_scope(county):
    ids = {code: uid for uid, code in county.execute("SELECT id, code FROM units")}
    people = rankings.staff_ranking(county, ADMIN, ids["D2"], "2026-11-26")
    assert people[["rank", "name", "installs", "quota", "completion"]].values.tolist() == [
        [1, "赵二", 10, 20, 0.5], [2, "赵一", 5, 10, 0.5]]
    outsider = access.Actor("c", access.COORDINATOR, frozenset({ids["T1"]}))
    with pytest.raises(AccessDenied):
        rankings.staff_ranking(county, outsider, ids["D2"], "2026-11-26")
    leader = access.Actor("l", access.LEADER)
    assert len(rankings.staff_ranking(county, leader, ids["D2"], "2026-11-26")) == 2


def test_laggards_are_bottom_n_every_day(county):
    settings.update(county, ADMIN, {"laggard_bottom": 1, "laggard_days": 2})
    # townships (n=1 of 2): 甲镇 tied last on the 25th, last on the 26th.
    # departments: D3 last (0%) on the 25th; all three tie at 50% on the 26th, sharing the last place.
    assert rankings.laggards(county, "2026-11-26")["code"].tolist() == ["T1", "D3"]
    load(county, "installs", "unit,name,date,installs\n县三局,钱一,2026-11-26,30")  # D3 reaches 100%
    assert rankings.laggards(county, "2026-11-26")["code"].tolist() == ["T1"]  # D1, D2 last on the 26th only


@pytest.mark.parametrize("bottom", [5, 50])  # 50: many departments shown, their days read for every unit at once
def test_laggards_of_one_county_equal_the_raw_rows(demo_db, bottom):
    # The demo holds one county, 2026-10-30 … 2026-11-28: the county's laggards are everyone's, read per unit.
    settings.update(demo_db, ADMIN, {"laggard_bottom": bottom})
    county = rankings.counties(demo_db)[0].id
    for back in (-3, 0, 1, 9, 27, 29, 31):
        day = dt.date(2026, 11, 28) - dt.timedelta(days=back)
        expected = reference.laggards_from_raw(demo_db, day)
        pd.testing.assert_frame_equal(rankings.laggards(demo_db, day), expected, check_exact=True)
        pd.testing.assert_frame_equal(rankings.laggards(demo_db, day, county), expected, check_exact=True)


def test_progress(county):
    figures = rankings.progress(county, "2026-11-26")
    # quota: 甲镇 60 + 乙镇 30 + 县一局 30 + 县二局 30 + 县三局 30 = 180; installs 80; credited 10+10+15+15+15+15 = 80
    assert (figures["quota_total"], figures["installs"], figures["remaining"]) == (180, 80, 100)
    assert figures["completion"] == pytest.approx(80 / 180)
    assert figures["days_left"] == 24 and figures["needed_per_day"] == 5  # ceil(100 / 24)
    series = figures["series"]
    assert series["cumulative"].tolist() == [0, 0, 0, 0, 0, 50, 80]
    assert series["credited"].tolist() == [0, 0, 0, 0, 0, 50, 80]
    assert series["pace"].iloc[0] == 6  # 180 over 30 days


def test_demo_county_shape(demo_db):
    table = rankings.unit_ranking(demo_db)
    assert table["group"].value_counts().to_dict() == {"department": 109, "township": 10}
    assert 2500 < table["staff"].sum() < 4000
    assert table["completion"].max() >= 0.99 and table["completion"].min() < 0.4  # far ahead and lagging
    assert table["no_report"].any() and not table["no_report"].all()


def test_progress_credits_installs_only_up_to_each_quota(county):
    load(county, "installs", "unit,name,date,installs\n县三局,钱一,2026-11-26,40")  # quota 30
    series = rankings.progress(county, "2026-11-26")["series"]
    assert series["cumulative"].tolist()[-2:] == [50, 105]
    assert series["credited"].tolist()[-2:] == [50, 95]
