"""The coverage commands: imports with their options, targets, population versions, `report coverage` JSON."""

import json

import pytest

from campaign import features
from campaign.infra import settings
from tests.helpers import ADMIN, count, run, small_county

POPULATION = "乡镇,年龄,人口数\n甲镇,15,100\n甲镇,16-60,3200\n甲镇,61+,700\n乙镇,0-15,500\n乙镇,16~60岁,1000\n乙镇,61岁及以上,500\n"
REGISTRATIONS = "乡镇,年龄,注册人数\n甲镇,16-60,3000\n甲镇,61+,100\n乙镇,16-60,800\n乙镇,61+,100\n"
PEERS = "县区,注册率,16-60周岁注册率\n龙南市,57.31%,95.12%\n测试县,54.94%,93.67%\n定南县,0.5380,0.9295\n"


@pytest.fixture
def county(tmp_path):
    path = tmp_path / "x.db"
    small_county(features.connect(path))
    for name, text in (("pop.csv", POPULATION), ("reg.csv", REGISTRATIONS), ("peers.csv", PEERS)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    return path


def ok(path, *args):
    result = run(path, *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_imports_targets_and_the_json_report(county, tmp_path):
    settings.update(features.connect(county), ADMIN, {"county_name": "测试县"})
    assert "population: 6 rows imported: new 1, updated 0" in ok(
        county, "import", "population", str(tmp_path / "pop.csv"), "--year", "2020", "--source", "七普", "--kind", "resident")
    assert "registrations: 4 rows imported: new 2, updated 0" in ok(
        county, "import", "registrations", str(tmp_path / "reg.csv"), "--as-of", "2026-11-27")
    ok(county, "import", "peers", str(tmp_path / "peers.csv"), "--as-of", "2026-11-27")
    targets = json.loads(ok(county, "targets", "--coverage", "0.6", "--coverage-16-60", "95%", "--deadline", "2026-12-07"))
    assert targets == {"targets": {"coverage": 0.6, "coverage_16_60": 0.95, "deadline": "2026-12-07"}, "reconcile_margin": 0.1}

    report = json.loads(ok(county, "report", "coverage", "--as-of", "2026-11-28", "--format", "json"))
    assert {k: report[k] for k in ("as_of", "population", "registered", "coverage", "population_16_60", "registered_16_60",
                                   "coverage_16_60", "coverage_16_60_estimated")} == {
        "as_of": "2026-11-27", "population": 6000, "registered": 4000, "coverage": 4000 / 6000,
        "population_16_60": 4200, "registered_16_60": 3800, "coverage_16_60": 3800 / 4200, "coverage_16_60_estimated": False}
    assert [{k: t[k] for k in ("township", "population", "registered", "coverage", "population_16_60", "registered_16_60",
                               "coverage_16_60")} for t in report["townships"]] == [
        {"township": "甲镇", "population": 4000, "registered": 3100, "coverage": 0.775, "population_16_60": 3200,
         "registered_16_60": 3000, "coverage_16_60": 0.9375},
        {"township": "乙镇", "population": 2000, "registered": 900, "coverage": 0.45, "population_16_60": 1000,
         "registered_16_60": 800, "coverage_16_60": 0.8}]
    assert report["targets"] == {"coverage": 0.6, "coverage_16_60": 0.95, "deadline": "2026-12-07"}
    assert report["gap"] == {"coverage": 0, "coverage_16_60": 190}
    assert report["per_day"] == {"coverage": 0, "coverage_16_60": 19}  # 190 over the 10 days after the 27th
    assert {k: report["city_rank"][k] for k in ("coverage", "coverage_16_60", "counties")} == {
        "coverage": 1, "coverage_16_60": 3, "counties": 3}
    assert report["city_rank"]["published"] == {"coverage": 2, "coverage_16_60": 2, "rate": 0.5494, "rate_16_60": 0.9367}

    csv = ok(county, "report", "coverage", "--format", "csv")
    assert csv.splitlines()[0].startswith("township,population,registered,coverage")


def test_report_without_targets_or_bulletin_has_nulls(county, tmp_path):
    ok(county, "import", "population", str(tmp_path / "pop.csv"))
    report = json.loads(ok(county, "report", "coverage", "--format", "json"))
    assert (report["as_of"], report["registered"], report["coverage"]) == (None, None, None)
    assert (report["targets"], report["gap"], report["city_rank"]) == (None, None, None)


def test_no_population_fails_clearly(county):
    result = run(county, "report", "coverage", "--format", "json")
    assert result.returncode == 1
    assert "No population has been imported" in result.stderr


def test_a_bad_file_exits_nonzero_and_writes_nothing(county, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("township,age,population\n甲,16-60,5\n甲镇,老年,5\n甲镇,16-20,5\n甲镇,18,5\n乙镇,16-60,-1\n", encoding="utf-8")
    result = run(county, "import", "population", str(bad))
    assert result.returncode == 1
    assert "row 2 [township]: Unknown township: 甲. Closest known names: 甲镇、乙镇." in result.stderr
    assert "row 3 [age]: Not an age or age band: 老年" in result.stderr
    assert "row 5 [age]: Age band 18 overlaps 16-20 in row 4" in result.stderr
    assert "row 6 [population]: A number of people cannot be negative: -1" in result.stderr
    assert count(features.connect(county), "population_rows") == 0


def test_bad_targets_are_refused(county):
    result = run(county, "targets", "--coverage", "54.94")
    assert result.returncode == 1 and "Rate too high: 54.94" in result.stderr
    assert settings.get(features.connect(county), "target_coverage") is None


def test_population_versions_and_aliases(county, tmp_path):
    ok(county, "import", "population", str(tmp_path / "pop.csv"), "--year", "2020", "--source", "七普")
    (tmp_path / "hh.csv").write_text("乡镇,年龄,人口数\n甲镇,16-60,3000\n乙镇,16-60,900\n", encoding="utf-8")
    ok(county, "import", "population", str(tmp_path / "hh.csv"), "--year", "2024", "--kind", "household")
    listing = ok(county, "population", "list").splitlines()
    assert listing == ["* 1  2020 resident 七普  6,000 people, 2 townships", "  2  2024 household -  3,900 people, 2 townships"]
    ok(county, "population", "use", "2")
    assert ok(county, "population", "list").splitlines()[1].startswith("* 2")
    assert run(county, "population", "use", "7").returncode == 1
    assert "alias 甲 -> 甲镇" in ok(county, "population", "alias", "甲", "甲镇")
    bad = run(county, "population", "alias", "丙", "丙镇")
    assert bad.returncode == 1 and "Unknown township: 丙镇" in bad.stderr
    assert "removed" in ok(county, "population", "alias", "甲", "--remove")
