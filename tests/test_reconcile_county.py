"""The county row of the reconciliation (issue 20): every unit's staff, departments included, and every channel,
against the rise in the whole county's registrations, flagged by the same margin; recomputed from the raw rows."""

import datetime as dt
import json

import pytest

from campaign.coverage import overview as coverage_overview
from campaign.coverage import reconcile as coverage_reconcile
from campaign.infra import settings
from tests.helpers import ADMIN, run
from tests.test_coverage_report import reconciled  # noqa: F401  (the fixture: 甲镇, 乙镇 and three departments)


@pytest.mark.parametrize("margin, flag", [("10%", True), ("29%", True), ("30%", False)])
def test_the_county_row_counts_the_departments(reconciled, margin, flag):  # noqa: F811
    settings.update(reconciled, ADMIN, {"reconcile_margin": margin})
    result = coverage_reconcile.reconcile(reconciled, "2026-11-20", "2026-11-28")
    # staff: 甲镇 50 + 60, 乙镇 30, 县一局 15 (in no township); registrations: 甲镇 +100, 乙镇 +20
    assert result["county"] == {"township": None, "county": True, "reported_staff": 155, "reported": 155, "increase": 120,
                                "excess": 35, "ratio": 155 / 120, "flagged": flag, "unplaced": 15}
    assert result["table"]["county"].tolist() == [False, False]


def test_the_demo_county_row_from_the_raw_rows(demo_path):
    from campaign import features

    db = features.connect(demo_path)
    result = coverage_reconcile.reconcile(db)
    first, last = result["first_day"].isoformat(), result["last_day"].isoformat()
    staff = db.execute("""SELECT SUM(r.installs) FROM install_reports r JOIN staff s ON s.id = r.staff_id
                          WHERE s.active = 1 AND r.superseded_by IS NULL AND r.day BETWEEN ? AND ?""", [first, last]).fetchone()[0]
    channels = db.execute("""SELECT SUM(installs) FROM outreach_reports WHERE superseded_by IS NULL AND day BETWEEN ? AND ?""",
                          [first, last]).fetchone()[0]
    registered = dict(db.execute("""SELECT as_of, SUM(registered) FROM registration_rows WHERE as_of IN (?, ?) GROUP BY as_of""",
                                 [result["base"].isoformat(), result["end"].isoformat()]))
    row = result["county"]
    assert row["reported_staff"] == staff and row["reported"] == staff + channels
    assert row["increase"] == registered[result["end"].isoformat()] - registered[result["base"].isoformat()]
    assert row["unplaced"] == row["reported"] - int(result["table"]["reported"].sum())
    assert row["flagged"] is coverage_reconcile.flagged(row["reported"], row["increase"], settings.get(db, "reconcile_margin"))
    departments = db.execute("""SELECT SUM(r.installs) FROM install_reports r JOIN staff s ON s.id = r.staff_id
                                JOIN units u ON u.id = s.unit_id WHERE u.type = 'department' AND s.active = 1
                                AND r.superseded_by IS NULL AND r.day BETWEEN ? AND ?""", [first, last]).fetchone()[0]
    assert row["reported_staff"] - int(result["table"]["reported_staff"].sum()) == departments
    # the overview names the county when its row is flagged
    items = coverage_overview.overview(db, dt.date(2026, 11, 28))["attention"]
    county = [i for i in items if i["code"] == "overview.attn.inflated_county"]
    assert [i["params"]["reported"] for i in county] == ([row["reported"]] if row["flagged"] else [])


def test_report_reconciliation_json_adds_the_county_row(demo_path):
    rows = json.loads(run(demo_path, "report", "reconciliation", "--format", "json").stdout)
    towns, county = rows[:-1], rows[-1]
    assert len(towns) == 9 and all(r["county"] is False and r["township"] for r in towns)
    assert county["county"] is True and county["township"] is None
    assert county["reported_staff"] > sum(r["reported_staff"] for r in towns)  # the departments' staff
    assert all(r["unplaced"] is None for r in towns) and county["unplaced"] == county["reported"] - sum(r["reported"] for r in towns)
