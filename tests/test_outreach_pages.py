"""The outreach pages as their users see them: a grid worker's entry on a phone, the overview, the rankings."""

import pytest

from campaign import features
from campaign.org import access
from campaign.outreach import entries as outreach
from campaign.outreach import figures as outreach_figures
from tests.apptest import errors, open_page
from ui import nav


def unit_id(db, code):
    return db.execute("SELECT id FROM units WHERE code = ?", [code]).fetchone()[0]


def test_a_grid_worker_sees_only_their_grid_and_saves_a_day(demo_path):
    db = features.connect(demo_path)
    grid = unit_id(db, "G01-001")
    before = outreach_figures.unit_card(db, grid, "2026-11-28")
    replaced = (outreach.current_entry(db, grid, "2026-11-28") or {}).get("installs") or 0
    at = open_page(demo_path, "outreach_entry", user="grid_cx")
    assert "oe_channel" not in [r.key for r in at.radio]  # one channel: no channel choice to make
    assert at.selectbox(key="oe_unit_grids").options == ["城南社区第1网格 (G01-001)"]
    values = {"reached": 14, "flyers": 20, "installs": 5}
    for field, value in values.items():
        at.number_input(key=f"oe_{field}_{grid}_2026-11-28").set_value(value)
    at.button(key="oe_save").click().run()
    assert errors(at) == []
    assert any("已保存" in s.value for s in at.success)
    assert {k: v for k, v in outreach.current_entry(db, grid, "2026-11-28").items() if v is not None} == values
    after = outreach_figures.unit_card(db, grid, "2026-11-28")
    assert after["installs"] == before["installs"] - replaced + 5


def test_a_head_teacher_sees_their_class_in_english(demo_path):
    at = open_page(demo_path, "outreach_entry", user="teacher_cx", lang="en")
    assert at.selectbox(key="oe_unit_schools").options == ["城厢中心小学 · 一年级(1)班 (S01-07-01)"]
    assert [n.label for n in at.number_input] == ["Parents installed and registered", "Flyers sent home"]


def test_an_empty_field_is_refused_and_nothing_is_saved(demo_path):
    db = features.connect(demo_path)
    code, klass = db.execute(
        """SELECT code, id FROM units WHERE type = 'class' AND id NOT IN
           (SELECT unit_id FROM outreach_reports WHERE day = '2026-11-28') ORDER BY code LIMIT 1""").fetchone()
    at = open_page(demo_path, "outreach_entry")  # (AppTest re-formats the channel radio in Chinese)
    at.selectbox(key="oe_unit_schools").set_value(
        next(u for u in outreach.channel_units(db, access.SYSTEM, "schools") if u.code == code)).run()
    at.number_input(key=f"oe_installs_{klass}_2026-11-28").set_value(7)
    at.button(key="oe_save").click().run()
    assert errors(at) == ["有 1 处错误，未保存任何数据。"]
    assert at.dataframe[0].value.to_dict("records") == [{"行号": 1, "列": "宣传单", "原因": "必填项为空"}]
    assert outreach.history(db, klass)["day"].tolist().count("2026-11-28") == 0


def test_a_coordinator_switches_channels(demo_path):
    at = open_page(demo_path, "outreach_entry", user="coord_cx")
    assert at.radio(key="oe_channel").options == ["学校", "网格", "服务窗口"]  # 城厢镇's classes, grids, windows
    at.radio(key="oe_channel").set_value("windows").run()
    assert errors(at) == []
    assert [t.label for t in at.toggle] == ["二维码立牌已摆放", "宣传单已摆放"]


def test_leaders_do_not_get_the_entry_page():
    assert "outreach_entry" not in [p.key for p in nav.pages_for(access.LEADER)]
    assert "outreach_overview" in [p.key for p in nav.pages_for(access.LEADER)]


def test_overview_has_one_line_per_channel(demo_path):
    at = open_page(demo_path, "outreach_overview", user="leader")
    assert errors(at) == []
    table = at.dataframe[0].value
    assert table["channel"].tolist() == ["学校", "网格", "企业和商户", "服务窗口"]
    lines = outreach_figures.summary(features.connect(demo_path), "2026-11-28")
    assert table["installs"].tolist() == [line["installs"] for line in lines]
    assert any("开学季集中推广" in c.value for c in at.caption)


@pytest.mark.parametrize("channel", ["schools", "grids", "enterprises", "windows"])
def test_rankings_of_each_channel(demo_path, channel):
    at = open_page(demo_path, "outreach_rankings", user="coord_cx")
    at.radio(key="or_channel").set_value(channel).run()
    assert errors(at) == []
    assert len(at.dataframe) == len(outreach_figures.tables(features.connect(demo_path), channel, "2026-11-28"))


def test_grid_ranking_filtered_to_one_township(demo_path):
    at = open_page(demo_path, "outreach_rankings")
    at.radio(key="or_channel").set_value("grids").run()
    at.selectbox(key="or_filter_grids_grids").set_value("大吉山镇").run()
    shown = at.dataframe[0].value
    assert set(shown["township"]) == {"大吉山镇"} and shown["rank"].iloc[0] == 1
