"""A coordinator's entry on the entry page changes the rankings page."""

from campaign import features
from campaign.installs import rankings
from tests.apptest import errors, open_page


def test_entry_changes_the_ranking(demo_path):
    db = features.connect(demo_path)
    unit_id = db.execute("SELECT id FROM units WHERE code = 'T09'").fetchone()[0]  # 龙下乡, last township
    before = rankings.unit_ranking(db, "2026-11-28").set_index("code").loc["T09"]

    at = open_page(demo_path, "entry", user="admin")
    units = at.selectbox(key="entry_unit")
    units.select_index(next(i for i, label in enumerate(units.options) if "(T09)" in label)).run()
    key = f"entry_grid_{unit_id}_2026-11-28"
    rows = {i: {"today": 30} for i in range(int(before["staff"]))}  # every person of 龙下乡 reports 30
    at.session_state[key] = {"edited_rows": rows, "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="entry_save").click().run()
    assert errors(at) == []
    assert any("已保存" in s.value for s in at.success)
    at.run()  # the grid reruns the page after a save: the confirmation stays
    assert any("已保存" in s.value for s in at.success)

    after = rankings.unit_ranking(db, "2026-11-28").set_index("code").loc["T09"]
    assert after["installs"] > before["installs"] and after["rank"] < before["rank"]
    at = open_page(demo_path, "rankings", user="leader")
    table = at.dataframe[0].value  # the townships tab
    assert table.set_index("code").loc["T09", "rank"] == after["rank"]
