"""Issue 9: the synthetic city (a small one), county-by-county rankings and the county selector."""

import pandas as pd
import pytest

from campaign import city, features
from campaign.installs import rankings, reference, summaries
from campaign.org import demo as org_demo
from tests.apptest import errors, open_page
from tests.test_summaries import recomputed
from tests.test_summary_reads import staff_totals, staff_totals_recomputed


@pytest.fixture(scope="module")
def small_city(tmp_path_factory):
    import os

    os.environ["CAMPAIGN_TODAY"] = "2026-11-28"
    path = tmp_path_factory.mktemp("city") / "city.db"
    counts = city.generate(path, seed=3, days=6, staff_total=2500, echo=lambda *_: None)
    return path, counts


def test_the_city_has_18_counties_about_2000_units_and_consistent_summaries(small_city):
    path, counts = small_city
    db = features.connect(path)
    assert counts["units"] == 1 + 18 * (1 + org_demo.CITY_TOWNSHIPS + 1 + org_demo.CITY_DEPARTMENTS)
    assert len(rankings.counties(db)) == 18
    assert counts["install_reports"] == db.execute("SELECT COUNT(*) FROM install_reports").fetchone()[0] > 0
    assert summaries.snapshot(db) == recomputed(db)
    assert staff_totals(db) == staff_totals_recomputed(db)
    pd.testing.assert_frame_equal(rankings.unit_ranking(db), reference.unit_ranking_from_raw(db))


def test_the_same_seed_builds_the_same_city(small_city, tmp_path):
    path, counts = small_city
    again = city.generate(tmp_path / "again.db", seed=3, days=6, staff_total=2500, echo=lambda *_: None)
    assert again["install_reports"] == counts["install_reports"] and again["staff"] == counts["staff"]


def test_a_county_ranking_holds_only_its_units_ranked_among_themselves(small_city):
    db = features.connect(small_city[0])
    county = rankings.counties(db)[0]
    table = rankings.unit_ranking(db, county=county.id)
    assert set(table["code"].str[:3]) == {county.code}
    assert len(table) == org_demo.CITY_TOWNSHIPS + 1 + org_demo.CITY_DEPARTMENTS
    for _, part in table.groupby("group"):
        assert part["rank"].min() == 1 and part["rank"].max() <= len(part)


@pytest.mark.parametrize("page,key", [("rankings", "rank_county"), ("overview", "overview_county"), ("entry", "entry_county")])
def test_pages_offer_a_county_selector_defaulting_to_one_county(small_city, page, key):
    at = open_page(small_city[0], page, user="admin", lang="zh", timeout=300)
    assert not errors(at)
    box = at.selectbox(key=key)
    assert box.value is not None and len(box.options) == 19


def test_the_entry_page_offers_the_chosen_countys_units(small_city):
    at = open_page(small_city[0], "entry", user="admin", lang="zh", timeout=300)
    assert not errors(at)
    county = next(c for c in rankings.counties(features.connect(small_city[0])) if c.id == at.selectbox(key="entry_county").value)
    options = at.selectbox(key="entry_unit").options
    assert len(options) == org_demo.CITY_TOWNSHIPS + 1 + org_demo.CITY_DEPARTMENTS
    assert all(option.endswith(")") and f"({county.code}-" in option for option in options)


def test_the_demo_county_shows_no_selector(demo_path):
    at = open_page(demo_path, "rankings", user="admin", lang="en")
    assert not errors(at)
    assert not [s for s in at.selectbox if s.key == "rank_county"]
