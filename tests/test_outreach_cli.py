"""`python -m campaign import schools|classes|grids|enterprises|windows` and `report outreach`."""

import json

import pytest

from campaign import features
from tests.helpers import count, run
from tests.outreach_helpers import (
    CLASSES,
    ENTERPRISES,
    GRIDS,
    SCHOOLS,
    WINDOWS,
    outreach_county,
)

KEYS = {"channel", "date", "units", "denominator", "reached", "installs", "installs_on_day", "reach", "coverage",
        "over_100", "no_data"}


@pytest.fixture
def county_path(tmp_path):
    path = tmp_path / "county.db"
    outreach_county(features.connect(path))
    return path


def test_report_outreach_json(county_path):
    result = run(county_path, "report", "outreach", "--date", "2026-11-28", "--format", "json")
    assert result.returncode == 0, result.stderr
    lines = json.loads(result.stdout)
    assert [line["channel"] for line in lines] == ["schools", "grids", "enterprises", "windows"]
    assert all(KEYS <= set(line) for line in lines)
    assert [(l["units"], l["denominator"], l["reached"], l["installs"]) for l in lines] == [
        (4, 100, 100, 73), (4, 350, 160, 61), (4, 350, 230, 160), (3, 3, 1, 6)]
    assert (lines[0]["coverage"], lines[0]["over_100"], lines[0]["no_data"]) == (0.68, 1, 1)
    assert (lines[1]["idle"], lines[3]["without_qr"]) == (2, 2)


def test_report_outreach_csv_table_and_an_earlier_date(county_path):
    csv = run(county_path, "report", "outreach", "--date", "2026-11-21", "--format", "csv").stdout.splitlines()
    assert csv[0].startswith("channel,date,units,denominator,reached,installs,")
    assert csv[1].startswith("schools,2026-11-21,4,100,40,30,30,0.4,0.3,")
    table = run(county_path, "report", "outreach", "--format", "table").stdout
    assert "enterprises" in table and "no data" in table  # idle/without_qr only apply to one channel each


def test_report_of_an_empty_database_says_no_data(tmp_path):
    lines = json.loads(run(tmp_path / "empty.db", "report", "outreach", "--format", "json").stdout)
    assert [(l["units"], l["coverage"]) for l in lines] == [(0, None)] * 4


def test_channel_tables_and_printable_codes(county_path):
    result = run(county_path, "report", "outreach-table", "grids", "townships", "--format", "json")
    assert [(r["code"], r["rank"]) for r in json.loads(result.stdout)] == [("T1", 1), ("T2", 2)]
    assert "phone" not in json.loads(run(county_path, "report", "outreach-table", "schools", "classes", "--format", "json").stdout)[0]
    assert run(county_path, "report", "outreach-table", "grids", "parks").returncode != 0
    codes = run(county_path, "report", "outreach-codes", "--township", "乙镇", "--format", "csv").stdout.splitlines()
    assert codes == ["kind,code,name,host_code,host,township_code,township", "window,W2,一局服务台,D1,县一局,T2,乙镇",
                     "grid,G4,南村第1网格,T2-V01,南村,T2,乙镇", "class,S2-1,一年级(1)班,S2,乙镇小学,T2,乙镇"]


def test_imports_from_the_command_line(tmp_path):
    path = tmp_path / "x.db"
    units = tmp_path / "units.csv"
    units.write_text("code,name,type,parent\nC,测试县,county,\nT1,甲镇,township,C\nT2,乙镇,township,C\n"
                     "D1,县一局,department,C\nD2,县二局,department,C\n", encoding="utf-8")
    assert run(path, "import", "units", str(units)).returncode == 0
    said = {}
    for kind, text in (("schools", SCHOOLS), ("classes", CLASSES), ("grids", GRIDS), ("enterprises", ENTERPRISES),
                       ("windows", WINDOWS)):
        file = tmp_path / f"{kind}.csv"
        file.write_text(text.strip() + "\n", encoding="utf-8")
        assert run(path, "import", kind, str(file), "--dry-run").returncode == 0
        result = run(path, "import", kind, str(file))
        assert result.returncode == 0, result.stderr
        said[kind] = result.stdout.strip()
    assert said["grids"] == "grids: 4 rows imported: new 4, updated 0, unchanged 0, villages 3"
    assert said["enterprises"] == "enterprises: 4 rows imported: new 4, updated 0, unchanged 0, parks 2"
    assert count(features.connect(path), "outreach_windows") == 3


def test_a_bad_file_from_the_command_line_writes_nothing(county_path, tmp_path):
    bad = tmp_path / "grids.csv"
    bad.write_text("网格编码,网格名称,乡镇,村（社区）,户数\nG9,九网格,T1,东村,100\nG10,十网格,T1,东村,-5\n", encoding="utf-8")
    before = count(features.connect(county_path), "units")
    result = run(county_path, "import", "grids", str(bad))
    assert result.returncode == 1
    assert "row 3 [households]: Cannot be negative: -5" in result.stderr
    assert count(features.connect(county_path), "units") == before
