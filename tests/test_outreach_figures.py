"""Outreach figures: reach, coverage (over 100% allowed and flagged, zero bases give no data), rankings, idle grids."""

import datetime as dt

import pandas as pd
import pytest

from campaign.infra import settings
from campaign.infra.errors import InvalidValue
from campaign.outreach import figures as figures
from tests.helpers import ADMIN
from tests.outreach_helpers import outreach_county

DAY = "2026-11-28"


@pytest.fixture
def county(db):
    return outreach_county(db)


def rows(frame, columns):
    return [[None if not isinstance(v, str) and pd.isna(v) else v for v in row] for row in frame[columns].values.tolist()]


# ---- pure rules --------------------------------------------------------------------------

@pytest.mark.parametrize("part, whole, expected", [
    (30, 40, 0.75), (12, 10, 1.2), (0, 10, 0.0), (5, 0, None), (0, 0, None), (3, None, None),
])
def test_share_never_divides_by_zero(part, whole, expected):
    assert figures.share(part, whole) == expected


@pytest.mark.parametrize("channel, unit, expected", [
    # denominator, reached_raw, installs -> reached (capped), reach, coverage, over, no_data
    ("schools", (40, 40, 36), (40, 1.0, 0.9, False, False)),
    ("schools", (10, 10, 12), (10, 1.0, 1.2, True, False)),  # several phones per family: over 100%, flagged
    ("schools", (50, 60, 20), (50, 1.0, 0.4, False, False)),  # 60 flyers reach at most the 50 families
    ("schools", (0, 5, 5), (0, None, None, False, True)),  # no families counted: no data, no error
    ("grids", (100, 60, 21), (60, 0.6, 0.21, False, False)),
    ("grids", (50, 60, 30), (50, 1.0, 0.6, False, False)),
    ("enterprises", (50, 70, 55), (50, 1.0, 1.1, True, False)),
])
def test_unit_rates(channel, unit, expected):
    frame = pd.DataFrame([dict(zip(("denominator", "reached_raw", "installs"), unit))])
    got = figures.with_rates(frame, channel).iloc[0]
    assert (got["reached"], got["reach"], got["coverage"], got["over"], got["no_data"]) == expected


def test_a_window_counts_as_reached_when_its_latest_check_shows_the_qr_code():
    frame = pd.DataFrame({"denominator": [1, 1, 1], "reached_raw": [0, 0, 0], "installs": [4, 2, 0],
                          "qr_shown": [0, 1, None]})
    got = figures.with_rates(frame, "windows")
    assert got["reached"].tolist() == [0, 1, 0]
    assert got["coverage"].tolist() == [0.0, 1.0, 0.0]
    total = figures.summarise(got).iloc[0]
    assert (total["units"], total["reached"], total["installs"], total["coverage"]) == (3, 1, 6, pytest.approx(1 / 3))


def test_installs_of_units_without_a_base_do_not_inflate_coverage_above_them():
    units = figures.with_rates(pd.DataFrame({
        "group": ["A", "A", "B"], "denominator": [50, 0, 0], "reached_raw": [50, 5, 0], "installs": [48, 5, 7],
    }), "schools")
    got = figures.summarise(units, ["group"])
    assert rows(got, ["group", "denominator", "installs", "credited", "coverage", "no_data", "no_data_units"]) == [
        ["A", 50, 53, 48, 0.96, False, 1],  # 48 / 50, not 53 / 50
        ["B", 0, 7, 0, None, True, 1],
    ]


@pytest.mark.parametrize("values, expected", [
    ([0.5, 0.9, 0.5, 0.1], [2, 1, 2, 4]),  # competition ranks: equal values share the better rank
    ([1.2, 0.9, None], [1, 2, None]),  # over 100% ranks first; no data is not ranked
    ([None, None], [None, None]),
])
def test_rank(values, expected):
    frame = pd.DataFrame({"value": values})
    assert [None if pd.isna(r) else int(r) for r in figures.rank(frame, "value")] == expected


def test_rank_within_groups():
    frame = pd.DataFrame({"g": ["x", "y", "x", "y"], "value": [0.2, 0.2, 0.7, 0.1]})
    assert figures.rank(frame, "value", "g").tolist() == [2, 1, 1, 2]


# ordered by the last visit, never-visited first
@pytest.mark.parametrize("days, idle", [(1, ["G3", "G4", "G2", "G1"]), (6, ["G3", "G4", "G2"]), (7, ["G3", "G4"]),
                                        (8, ["G3", "G4"]), (9, ["G3"])])
def test_grids_without_a_visit_in_n_days(days, idle):
    grids = pd.DataFrame({"code": ["G1", "G2", "G3", "G4"], "last_visit": ["2026-11-27", "2026-11-22", None, "2026-11-20"]})
    assert figures.idle(grids, dt.date(2026, 11, 28), days)["code"].tolist() == idle


def test_push_window_is_a_setting_defaulting_to_the_first_fortnight(db):
    conf = settings.get_all(db)
    start = dt.date.fromisoformat(conf["start_date"])
    assert figures.push_window(conf) == (start, start + dt.timedelta(days=13))
    settings.update(db, ADMIN, {"school_push": "2026-09-01..2026-09-14"})
    assert figures.push_window(settings.get_all(db)) == (dt.date(2026, 9, 1), dt.date(2026, 9, 14))
    with pytest.raises(InvalidValue) as caught:
        settings.update(db, ADMIN, {"school_push": ["2026-09-14", "2026-09-01"]})
    assert caught.value.code == "outreach.error.window_order"
    settings.update(db, ADMIN, {"school_push": ""})  # cleared: back to the default
    assert figures.push_window(settings.get_all(db))[0] == start


# ---- a small county, every channel -------------------------------------------------------

def test_schools(county):
    tables = figures.tables(county, "schools", DAY)
    assert rows(tables["classes"], ["code", "denominator", "reached", "installs", "coverage", "over", "no_data", "rank"]) == [
        ["S1-2", 10, 10, 12, 1.2, True, False, 1],
        ["S1-1", 40, 40, 36, 0.9, False, False, 2],
        ["S2-1", 50, 50, 20, 0.4, False, False, 1],
        ["S3-1", 0, 0, 5, None, False, True, None],
    ]
    # schools are ranked within their type; the kindergarten has no families counted: no data, no rank
    assert rows(tables["schools"], ["school_type", "code", "denominator", "installs", "coverage", "rank"]) == [
        ["kindergarten", "S3", 0, 5, None, None],
        ["primary", "S1", 50, 48, 0.96, 1],
        ["primary", "S2", 50, 20, 0.4, 2],
    ]
    assert rows(tables["townships"], ["code", "denominator", "reached", "installs", "coverage", "rank"]) == [
        ["T1", 50, 50, 53, 0.96, 1],  # S3-1's 5 installs are counted, but not against a base
        ["T2", 50, 50, 20, 0.4, 2],
    ]
    assert rows(tables["school_types"], ["school_type", "units", "denominator", "coverage", "rank"]) == [
        ["primary", 3, 100, 0.68, 1], ["kindergarten", 1, 0, None, None]]


def test_grids(county):
    tables = figures.tables(county, "grids", DAY)
    assert rows(tables["grids"], ["township_code", "code", "denominator", "visits", "reach", "installs", "per_visit",
                                  "coverage", "last_visit", "rank"]) == [
        ["T1", "G2", 50, 60, 1.0, 30, 0.5, 0.6, "2026-11-22", 1],
        ["T1", "G1", 100, 60, 0.6, 21, 0.35, 0.21, "2026-11-27", 2],
        ["T1", "G3", 0, 0, None, 0, None, None, None, None],
        ["T2", "G4", 200, 50, 0.25, 10, 0.2, 0.05, "2026-11-20", 1],
    ]
    assert rows(tables["townships"], ["code", "denominator", "reached", "visits", "installs", "rank"]) == [
        ["T1", 150, 110, 120, 51, 1], ["T2", 200, 50, 50, 10, 2]]
    assert tables["townships"]["reach"].tolist() == [pytest.approx(110 / 150), 0.25]
    assert rows(tables["villages"], ["name", "denominator", "reached", "reach", "rank"]) == [
        ["东村", 150, 110, pytest.approx(110 / 150), 1], ["西村", 0, 0, None, None], ["南村", 200, 50, 0.25, 1]]
    assert tables["idle"]["code"].tolist() == ["G3", "G4"]  # the default: no visit in 7 days
    settings.update(county, ADMIN, {"grid_idle_days": 6})
    assert figures.tables(county, "grids", DAY)["idle"]["code"].tolist() == ["G3", "G4", "G2"]


def test_enterprises(county):
    tables = figures.tables(county, "enterprises", DAY)
    assert rows(tables["regulators"], ["code", "units", "denominator", "reached", "installs", "coverage", "no_data_units", "rank"]) == [
        ["D1", 2, 150, 130, 115, pytest.approx(115 / 150), 0, 1],
        ["D2", 2, 200, 100, 45, 0.2, 1, 2],  # 丙公司 (no workers counted) adds installs but no base
    ]
    assert rows(tables["parks"], ["name", "denominator", "installs", "coverage", "over", "rank"]) == [
        ["二园", 50, 55, 1.1, True, 1], ["一园", 100, 65, 0.6, False, 2]]
    assert set(tables["units"]["type"]) == {"enterprise", "business_group"}


def test_windows_without_a_displayed_qr_code_come_first(county):
    tables = figures.tables(county, "windows", DAY)
    assert rows(tables["windows"], ["code", "qr_shown", "flyers_shown", "last_check", "installs", "township_code"]) == [
        ["W3", None, None, None, 0, "T1"],  # never checked
        ["W1", 0, 1, "2026-11-26", 4, "T1"],  # displayed on the 21st, gone on the 26th
        ["W2", 1, 0, "2026-11-27", 2, "T2"],
    ]
    assert rows(tables["hosts"], ["code", "units", "reached", "coverage", "rank"]) == [
        ["D1", 1, 1, 1.0, 1], ["T1", 1, 0, 0.0, 2], ["D2", 1, 0, 0.0, 2]]  # tied: more installs first
    assert rows(tables["townships"], ["code", "units", "reached", "coverage"]) == [["T2", 1, 1, 1.0], ["T1", 2, 0, 0.0]]
    # as of the 25th, W1's latest check (the 21st) shows the QR code
    earlier = figures.tables(county, "windows", "2026-11-25")["windows"]
    assert rows(earlier, ["code", "qr_shown"]) == [["W2", None], ["W3", None], ["W1", 1]]


def test_summary_one_line_per_channel(county):
    lines = figures.summary(county, DAY)
    assert [line["channel"] for line in lines] == ["schools", "grids", "enterprises", "windows"]
    cut = [{k: line[k] for k in ("units", "denominator", "reached", "installs", "installs_on_day", "over_100", "no_data")}
           for line in lines]
    assert cut == [
        {"units": 4, "denominator": 100, "reached": 100, "installs": 73, "installs_on_day": 0, "over_100": 1, "no_data": 1},
        {"units": 4, "denominator": 350, "reached": 160, "installs": 61, "installs_on_day": 0, "over_100": 0, "no_data": 1},
        {"units": 4, "denominator": 350, "reached": 230, "installs": 160, "installs_on_day": 0, "over_100": 1, "no_data": 1},
        {"units": 3, "denominator": 3, "reached": 1, "installs": 6, "installs_on_day": 0, "over_100": 0, "no_data": 0},
    ]
    assert [line["coverage"] for line in lines] == [0.68, pytest.approx(61 / 350), pytest.approx(155 / 350), pytest.approx(1 / 3)]
    assert [line["reach"] for line in lines] == [1.0, pytest.approx(160 / 350), pytest.approx(230 / 350), pytest.approx(1 / 3)]
    assert (lines[1]["idle"], lines[3]["without_qr"]) == (2, 2)


def test_summary_of_an_empty_county_has_no_data_and_no_error(db):
    lines = figures.summary(db, DAY)
    assert [(l["units"], l["denominator"], l["installs"], l["reach"], l["coverage"]) for l in lines] == [(0, 0, 0, None, None)] * 4


def test_series_and_push_window(county):
    settings.update(county, ADMIN, {"school_push": ["2026-11-20", "2026-11-22"]})
    series = figures.series(county, DAY)
    schools = series[series["channel"] == "schools"]
    assert schools["installs"].tolist() == [0, 30, 12, 25, 0, 6, 0, 0, 0]
    assert schools["cumulative"].iloc[-1] == 73
    push = figures.push_figures(county, DAY)
    assert (push["start"], push["end"], push["installs"], push["total"], push["share"], push["active"]) == (
        dt.date(2026, 11, 20), dt.date(2026, 11, 22), 42, 73, pytest.approx(42 / 73), False)


def test_installs_by_township_for_reconciliation(county):
    frame = figures.installs_by_township(county, "2026-11-20", "2026-11-28")
    got = {(r.township_code, r.channel): r.installs for r in frame.itertuples()}
    assert got == {("T1", "schools"): 53, ("T2", "schools"): 20, ("T1", "grids"): 51, ("T2", "grids"): 10,
                   ("T1", "enterprises"): 105, ("T2", "enterprises"): 55, ("T1", "windows"): 4, ("T2", "windows"): 2}
