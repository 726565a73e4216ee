"""Issue 9: no everyday save, import or screen read scans the install reports (5 million rows in a city).

Every statement that touches install_reports while a user saves, corrects, imports or opens a screen
is traced and explained; each must reach the reports through an index. (Dropping the by-day index
once turned a coordinator's save into a full scan: 15 ms became 1.4 s at city scale.)
"""

import json
import re

import pytest

from campaign.infra import clock
from campaign.installs import entries as installs
from campaign.installs import rankings
from tests.helpers import ADMIN, load


def traced(db, action) -> list[str]:
    seen = []
    db.conn.set_trace_callback(seen.append)
    try:
        action()
    finally:
        db.conn.set_trace_callback(None)
    probe = "SELECT 1 FROM install_reports LIMIT 1"  # stops at the first row
    return [sql for sql in seen if "install_reports" in sql and sql != probe
            and sql.lstrip().upper().startswith(("SELECT", "WITH", "UPDATE"))]


def scans(db, sql) -> list[str]:
    """The plan's full scans of install_reports (by its name or an alias)."""
    names = {"install_reports"} | set(re.findall(r"install_reports\s+(?:AS\s+)?(?!ON\b|WHERE\b|SET\b)(\w+)", sql, re.I))
    plan = [row[3] for row in db.execute("EXPLAIN QUERY PLAN " + sql)]
    return [step for step in plan if re.fullmatch(r"SCAN (\w+)( .*)?", step) and step.split()[1] in names]


@pytest.mark.parametrize("analyzed", [False, True])  # the city generator runs ANALYZE; a county may not
def test_saves_imports_and_screens_seek_the_reports_by_index(demo_db, analyzed):
    db = demo_db
    if analyzed:
        db.execute("ANALYZE")
    day = clock.today()
    unit_id, people = db.execute(
        "SELECT unit_id, json_group_array(id) FROM staff WHERE active = 1 GROUP BY unit_id ORDER BY COUNT(*) DESC"
    ).fetchone()
    people = json.loads(people)[:5]  # of the largest unit
    code = db.execute("SELECT code FROM units WHERE id = ?", [unit_id]).fetchone()[0]
    names = [name for (name,) in db.execute(f"SELECT name FROM staff WHERE id IN ({','.join('?' * 3)})", people[:3])]
    csv = "unit,name,date,installs\n" + "\n".join(f"{code},{name},{day.isoformat()},7" for name in names)
    actions = {
        "save": lambda: installs.save_entries(db, ADMIN, unit_id, day, {sid: 3 for sid in people}),
        "correct": lambda: installs.save_entries(db, ADMIN, unit_id, day, {sid: 4 for sid in people}),
        "import": lambda: load(db, "installs", csv),
        "entry sheet": lambda: installs.entry_sheet(db, ADMIN, unit_id, day),
        "unit ranking": lambda: rankings.unit_ranking(db, day),
        "staff ranking": lambda: rankings.staff_ranking(db, ADMIN, unit_id, day),
        "laggards": lambda: rankings.laggards(db, day),
        "progress": lambda: rankings.progress(db, day),
    }
    found = {}
    for name, action in actions.items():
        statements = traced(db, action)
        found[name] = [(sql[:120], plan) for sql in statements if (plan := scans(db, sql))]
    assert found == {name: [] for name in actions}
    assert db.execute("SELECT COUNT(*) FROM install_reports WHERE day = ? AND superseded_by IS NULL AND installs = 7",
                      [day.isoformat()]).fetchone()[0] == len(names)  # the actions did write
