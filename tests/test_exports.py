"""Exports: formula-injection cells come out inert, IDs and phones stay text, phones masked but for admins."""

import csv
import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from campaign import features
from campaign.infra import exports
from campaign.installs import rankings
from campaign.org import access
from campaign.org.access import Actor
from tests.helpers import ADMIN, load, small_county

LEADER = Actor("l", access.LEADER)


@pytest.mark.parametrize(
    "cell, exported",
    [
        ("=1+1", "'=1+1"),
        ("=HYPERLINK(\"http://x\",\"点我\")", "'=HYPERLINK(\"http://x\",\"点我\")"),
        ("+86 138", "'+86 138"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("城厢镇", "城厢镇"),
        ("a=b", "a=b"),
        ("", ""),
        (-3, -3),
        (2.5, 2.5),
    ],
)
def test_neutralise(cell, exported):
    assert exports.neutralise(cell) == exported


FRAME = pd.DataFrame({
    "unit": ["=cmd|' /C calc'!A0", "城厢镇", "@evil"],
    "code": ["007", "T01", "-1"],
    "phone": ["13800000001", None, "+8613800000002"],
    "id_number": ["110101199003071234", "44030019900101001X", ""],
    "installs": [3, -2, 0],
})


def read_csv(data: bytes):
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_cells_are_inert_and_ids_stay_text():
    rows = read_csv(exports.csv_bytes(FRAME, actor=ADMIN))
    assert rows[0] == ["unit", "code", "phone", "id_number", "installs"]
    assert rows[1] == ["'=cmd|' /C calc'!A0", "\t007", "\t13800000001", "\t110101199003071234", "3"]
    assert rows[2] == ["城厢镇", "T01", "", "44030019900101001X", "-2"]  # a number stays a number
    assert rows[3] == ["'@evil", "'-1", "'+8613800000002", "", "0"]
    for row in rows[1:]:
        assert not any(cell and cell[0] in "=+-@" and cell != "-2" for cell in row)


@pytest.mark.parametrize("actor, first, third", [
    (ADMIN, "13800000001", "'+8613800000002"),
    (LEADER, "138****0001", "861******0002"),
    (None, "138****0001", "861******0002"),
])
def test_phones_are_masked_for_everyone_but_admins(actor, first, third):
    out, _ = exports.prepare(FRAME, actor=actor)
    assert out["phone"].tolist() == [first, "", third]


def test_xlsx_has_no_formula_and_text_columns_are_text():
    book = load_workbook(io.BytesIO(exports.xlsx_bytes(FRAME, actor=ADMIN, sheet="x")))
    sheet = book["x"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[1] == ["'=cmd|' /C calc'!A0", "007", "13800000001", "110101199003071234", 3]
    assert values[3] == ["'@evil", "'-1", "'+8613800000002", None, 0]
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    for cell in sheet["D"][1:3]:  # the ID numbers: string cells formatted as text
        assert (cell.data_type, cell.number_format) == ("s", "@")
    assert sheet["E2"].data_type == "n"


def test_rankings_download_neutralises_a_hostile_unit_name(db):
    small_county(db)
    load(db, "units", "code,name,type,parent\nD9,=HYPERLINK(\"http://evil\"),department,C")
    load(db, "staff", "unit,name\nD9,某人")
    data = exports.csv_bytes(rankings.unit_ranking(db, "2026-11-28"), actor=LEADER)
    names = [row[2] for row in read_csv(data)[1:]]
    assert "'=HYPERLINK(\"http://evil\")" in names
    assert all(not n.startswith("=") for n in names)


def test_templates_keep_the_example_phone_as_text():
    rows = read_csv(features.template("staff", "zh"))
    assert rows[1][2] == "\t13800000000"
