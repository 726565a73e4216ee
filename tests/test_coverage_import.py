"""Importing population, registrations and the city's bulletin: every age form, bad files refused whole."""

import io

import pandas as pd
import pytest

from campaign import features
from campaign.accounts import trail
from campaign.coverage import report as coverage_report
from campaign.coverage import store
from campaign.coverage.rules import Band
from campaign.infra import i18n, settings
from campaign.infra.errors import AccessDenied, FileRejected, RowsRejected
from campaign.infra.tables import Upload
from campaign.org import access
from tests.helpers import ADMIN, count, load, small_county

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
REGISTRATIONS = """
乡镇,年龄,注册人数
甲镇,0-15,10
甲镇,16-60,3000
甲镇,61+,90
乙镇,0-15,0
乙镇,16-60,800
乙镇,61+,100
"""
TABLES = ("population_versions", "population_rows", "registration_rows", "peer_rates", "township_aliases")


@pytest.fixture
def county(db):
    small_county(db)
    return db


@pytest.fixture
def counted(county):
    load(county, "population", POPULATION, options={"year": 2020, "source": "七普"})
    load(county, "registrations", REGISTRATIONS, options={"as_of": "2026-11-28"})
    return county


def written(db):
    return {table: count(db, table) for table in TABLES}


def rejected(db, kind, text, **options):
    before = written(db)
    with pytest.raises(RowsRejected) as caught:
        load(db, kind, text, options=options)
    assert written(db) == before  # nothing written
    return [(e.row, e.column, i18n.error_text(e, "en")) for e in caught.value.errors]


def test_population_and_registrations_give_exact_figures(counted):
    result = coverage_report.report(counted, "2026-11-28")
    assert [result[k] for k in ("as_of", "population", "registered", "population_16_60", "registered_16_60")] == [
        "2026-11-28", 6000, 4000, 4200, 3800]
    assert result["coverage"] == 4000 / 6000 and result["coverage_16_60"] == 3800 / 4200
    assert result["coverage_16_60_estimated"] is False
    assert [(t["township"], t["coverage"], t["coverage_16_60"]) for t in result["townships"]] == [
        ("甲镇", 0.775, 0.9375), ("乙镇", 0.45, 0.8)]
    version = store.list_versions(counted)[0]
    assert (version.year, version.source, version.kind, version.people, version.townships) == (2020, "七普", "resident", 6000, 2)


def test_every_age_form_is_stored_as_its_band(county):
    forms = ["0岁", "1", "2-4", "5~9", "10—14岁", "15～19", "20至24岁", "25－29", "30-84岁", "85岁以上"]
    load(county, "population", "乡镇,年龄,人口数\n" + "\n".join(f"甲镇,{f},10" for f in forms) + "\n乙镇,85岁及以上,3\n乙镇,0-84,7\n")
    version = store.list_versions(county)[0].id
    bands = sorted((t, b) for t, b, _ in store.population_rows(county, version))
    assert bands == sorted([("甲镇", Band(0, 0)), ("甲镇", Band(1, 1)), ("甲镇", Band(2, 4)), ("甲镇", Band(5, 9)),
                            ("甲镇", Band(10, 14)), ("甲镇", Band(15, 19)), ("甲镇", Band(20, 24)), ("甲镇", Band(25, 29)),
                            ("甲镇", Band(30, 84)), ("甲镇", Band(85, None)), ("乙镇", Band(85, None)), ("乙镇", Band(0, 84))])


def test_english_headers_and_excel(county):
    frame = pd.DataFrame({"Township": ["甲镇", "乙镇"], "Age": ["16-60", "16-60"], "Population": [1000, 500]})
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    features.run_import(county, ADMIN, "population", Upload("pop.xlsx", buffer.getvalue()), options={"year": 2025})
    load(county, "registrations", "township,age,registered,date\n甲镇,16-60,900,2026-11-27\n乙镇,16-60,400,2026-11-27\n")
    result = coverage_report.report(county, "2026-11-28")
    assert (result["as_of"], result["population_16_60"], result["registered_16_60"]) == ("2026-11-27", 1500, 1300)


def test_straddling_registration_bands_are_estimated(county):
    load(county, "population", "乡镇,年龄,人口数\n" + "\n".join(f"甲镇,{a},100" for a in range(10, 70)))
    load(county, "registrations", "乡镇,年龄,注册人数\n甲镇,10-14,0\n甲镇,15-19,500\n甲镇,20-59,4000\n甲镇,60-64,250\n甲镇,65-69,50",
         options={"as_of": "2026-11-28"})
    result = coverage_report.report(county)
    assert (result["population_16_60"], result["registered_16_60"]) == (4500, 4450)
    assert result["coverage_16_60"] == 4450 / 4500 and result["coverage_16_60_estimated"] is True
    assert result["townships"][0]["coverage_16_60_estimated"] is True


@pytest.mark.parametrize(
    "line, expected",
    [
        ("丙镇,17,5", (4, "township", "Unknown township: 丙镇. Closest known names: 乙镇、甲镇. "
                                       "An alias can be set under Township aliases.")),
        ("甲,17,5", (4, "township", "Unknown township: 甲. Closest known names: 甲镇、乙镇. "
                                     "An alias can be set under Township aliases.")),
        ("甲镇,十七岁,5", (4, "age", "Not an age or age band: 十七岁 (write 17, 17岁, 15-19, 15~19岁, 85+ or 85岁及以上)")),
        ("甲镇,17.5,5", (4, "age", "Not an age or age band: 17.5 (write 17, 17岁, 15-19, 15~19岁, 85+ or 85岁及以上)")),
        ("甲镇,20-10,5", (4, "age", "Not an age or age band: 20-10 (write 17, 17岁, 15-19, 15~19岁, 85+ or 85岁及以上)")),
        ("甲镇,16-19,5", (4, "age", "Age band 16-19 overlaps 18 in row 2")),
        ("甲镇,90,5", (4, "age", "Age band 90 overlaps 85+ in row 3")),
        ("乙镇,18,5", None),  # the same age in another township is fine
        ("甲镇,17,-3", (4, "population", "A number of people cannot be negative: -3")),
        ("甲镇,17,2.5", (4, "population", "Not a whole number: 2.5")),
        ("甲镇,17,", (4, "population", "Required value missing")),
        (",17,5", (4, "township", "Required value missing")),
    ],
)
def test_population_bad_rows(county, line, expected):
    text = "乡镇,年龄,人口数\n甲镇,18,10\n甲镇,85+,10\n" + line
    if expected is None:
        load(county, "population", text)
        assert count(county, "population_rows") == 3
    else:
        assert rejected(county, "population", text) == [expected]


def test_every_bad_row_is_listed_and_nothing_written(counted):
    text = "乡镇,年龄,注册人数\n甲镇,16-60,3100\n丁镇,16-60,1\n甲镇,abc,1\n甲镇,20,-1\n甲镇,16-60,5\n"
    assert rejected(counted, "registrations", text, as_of="2026-11-28") == [
        (3, "township", "Unknown township: 丁镇. Closest known names: 乙镇、甲镇. An alias can be set under Township aliases."),
        (4, "age", "Not an age or age band: abc (write 17, 17岁, 15-19, 15~19岁, 85+ or 85岁及以上)"),
        (5, "registered", "A number of people cannot be negative: -1"),
        (5, "age", "Age band 20 overlaps 16-60 in row 2"),
        (6, "age", "Age band 16-60 overlaps 16-60 in row 2"),
    ]
    assert coverage_report.report(counted)["registered"] == 4000  # the earlier snapshot is untouched


def test_registration_townships_must_match_the_population_and_aliases_help(counted):
    text = "乡镇,年龄,注册人数\n甲,16-60,3100\n"
    assert rejected(counted, "registrations", text, as_of="2026-11-28")[0][2].startswith("Unknown township: 甲.")
    store.set_alias(counted, ADMIN, "甲", "甲镇")
    load(counted, "registrations", text, options={"as_of": "2026-11-28"})
    assert coverage_report.report(counted)["townships"][0]["registered"] == 3100  # 甲镇 replaced, 乙镇 kept
    assert coverage_report.report(counted)["registered"] == 4000 - 3100 + 3100 + 0  # 3,100 + 900


def test_a_snapshot_date_is_needed_and_not_in_the_future(counted):
    assert rejected(counted, "registrations", "乡镇,年龄,注册人数\n甲镇,16-60,1\n") == [
        (2, "date", "No date: add a date column or give the as-of date.")]
    assert rejected(counted, "registrations", "乡镇,年龄,注册人数,日期\n甲镇,16-60,1,2026-11-29\n") == [
        (2, "date", "Date in the future: 2026-11-29")]
    assert rejected(counted, "registrations", "乡镇,年龄,注册人数,日期\n甲镇,16-60,1,2026-02-30\n") == [
        (2, "date", "Not a valid date: 2026-02-30")]


def test_a_file_with_several_dates_makes_several_snapshots(counted):
    load(counted, "registrations", "日期,乡镇,年龄,注册人数\n2026-11-20,甲镇,16-60,2000\n2026-11-20,乙镇,16-60,500\n"
                                   "2026年11月21日,甲镇,16-60,2100\n2026-11-21,乙镇,16-60,600\n")
    assert store.snapshot_days(counted) == [pd.Timestamp(d).date() for d in ("2026-11-20", "2026-11-21", "2026-11-28")]
    assert coverage_report.report(counted, "2026-11-21")["registered_16_60"] == 2700


def test_registrations_need_a_population_first(county):
    with pytest.raises(FileRejected) as caught:
        load(county, "registrations", REGISTRATIONS, options={"as_of": "2026-11-28"})
    assert caught.value.code == "coverage.no_population"


def test_population_township_must_be_a_township_unit(county):
    assert rejected(county, "population", "乡镇,年龄,人口数\n县一局,16-60,5\n")[0][2].startswith("Unknown township: 县一局.")


def test_population_versions_and_the_active_denominator(counted):
    load(counted, "population", "乡镇,年龄,人口数\n甲镇,16-60,4000\n乙镇,16-60,1000\n",
         options={"year": 2024, "source": "公安户籍", "kind": "household"})
    census, household = store.list_versions(counted)
    assert coverage_report.report(counted)["population_16_60"] == 4200  # the first imported until one is chosen
    store.use_version(counted, ADMIN, household.id)
    result = coverage_report.report(counted)
    assert (result["population"], result["population_16_60"], result["registered_16_60"]) == (5000, 5000, 3800)
    assert result["population_version"] == {"id": household.id, "year": 2024, "source": "公安户籍", "kind": "household"}
    # importing the same version again replaces its rows
    load(counted, "population", "乡镇,年龄,人口数\n甲镇,16-60,4100\n乙镇,16-60,1000\n",
         options={"year": 2024, "source": "公安户籍", "kind": "户籍"})
    assert len(store.list_versions(counted)) == 2
    assert coverage_report.report(counted)["population_16_60"] == 5100
    with pytest.raises(Exception):
        store.use_version(counted, ADMIN, 99)


def test_only_administrators_import_official_figures(county):
    coordinator = access.Actor("c", access.COORDINATOR, frozenset({1}))
    for kind in ("population", "registrations", "peers"):
        with pytest.raises(AccessDenied):
            load(county, kind, POPULATION, actor=coordinator)
    assert written(county)["population_rows"] == 0


PEERS = "县区,注册率,16-60周岁注册率\n龙南市,57.31%,95.12%\n全南县,0.5494,93.67%\n定南县,53.80%,\n"


def test_peers_accept_fractions_and_percentages(counted):
    settings.update(counted, ADMIN, {"county_name": "全南县（演示）"})
    load(counted, "peers", PEERS, options={"as_of": "2026-11-27"})
    day, rows = store.peer_bulletin(counted, "2026-11-28")
    assert (day.isoformat(), rows) == ("2026-11-27", [("龙南市", 0.5731, 0.9512), ("全南县", 0.5494, 0.9367), ("定南县", 0.538, None)])
    rank = coverage_report.report(counted)["city_rank"]
    # computed today: 66.67% and 90.48% against 57.31% / 95.12% and 53.80%
    assert rank == {"coverage": 1, "coverage_16_60": 2, "counties": 3, "bulletin": "2026-11-27",
                    "published": {"coverage": 2, "coverage_16_60": 2, "rate": 0.5494, "rate_16_60": 0.9367}}


@pytest.mark.parametrize(
    "line, expected",
    [("安远县,52.66,92%", (3, "rate", "Rate too high: 52.66. Write percentages with %, e.g. 54.94%.")),
     ("安远县,abc,92%", (3, "rate", "Not a rate: abc (write 0.95 or 95%)")),
     ("安远县,,92%", (3, "rate", "Required value missing")),
     ("安远县,-1%,92%", (3, "rate", "A rate cannot be negative: -1%")),
     ("龙南市,50%,90%", (3, "county", "龙南市 repeats row 2"))],
)
def test_peers_bad_rows(county, line, expected):
    assert rejected(county, "peers", "县区,注册率,16-60周岁注册率\n龙南市,57.31%,95.12%\n" + line, as_of="2026-11-27") == [expected]


def test_without_township_units_the_population_names_the_townships(db):
    load(db, "population", "乡镇,年龄,人口数\n某某镇,16-60,10\n另一乡,0-15,5\n")
    assert store.version_townships(db, store.list_versions(db)[0].id) == ["另一乡", "某某镇"]


def test_imports_and_replacements_are_audited(counted):

    load(counted, "registrations", "乡镇,年龄,注册人数\n甲镇,16-60,3050\n", options={"as_of": "2026-11-28"})
    rows = trail.list_audit(counted, entity="registrations", action="update")
    assert rows[["action", "entity_id", "old", "new"]].values.tolist() == [["update", "2026-11-28/甲镇", "3100", "3050"]]
    created = trail.list_audit(counted, entity="population_version")
    assert created["action"].tolist() == ["create"] and '"people": 6000' in created["new"][0]
    assert {"population", "registrations"} <= set(trail.list_audit(counted, action="import")["entity"])
