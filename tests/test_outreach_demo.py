"""The demo county's outreach channels: plausible in size, in all 9 townships, daily figures ending on the load day."""

from campaign.accounts import users
from campaign.outreach import demo as outreach_demo
from campaign.outreach import entries as outreach
from campaign.outreach import figures as outreach_figures


def test_registries_are_plausible_for_180000_people(demo_db):
    lines = {line["channel"]: line for line in outreach_figures.summary(demo_db, "2026-11-28")}
    schools = demo_db.execute("SELECT COUNT(*) FROM units WHERE type = 'school'").fetchone()[0]
    assert 36 <= schools <= 80  # dozens of schools
    assert 500 <= lines["schools"]["units"] <= 900 and 20_000 <= lines["schools"]["denominator"] <= 35_000
    assert 200 <= lines["grids"]["units"] <= 400 and 50_000 <= lines["grids"]["denominator"] <= 65_000  # ~3 people a household
    assert 80 <= lines["windows"]["units"] <= 120  # about a hundred windows
    assert 60 <= lines["enterprises"]["units"] <= 150


def test_every_township_has_every_channel(demo_db):
    towns = outreach.townships_of(demo_db)
    townships = {uid for (uid,) in demo_db.execute("SELECT id FROM units WHERE type = 'township'")}
    assert len(townships) == 9
    for types in (("class",), ("grid",), ("window",), ("enterprise", "business_group")):
        found = {towns[uid] for (uid,) in demo_db.execute(
            f"SELECT id FROM units WHERE type IN ({','.join('?' * len(types))})", types)}
        assert townships <= found, types


def test_daily_figures_end_on_the_load_day_and_show_every_rule(demo_db):
    assert demo_db.execute("SELECT MIN(day), MAX(day) FROM outreach_reports").fetchone() == ("2026-10-30", "2026-11-28")
    lines = {line["channel"]: line for line in outreach_figures.summary(demo_db, "2026-11-28")}
    assert lines["schools"]["over_100"] > 0 and lines["schools"]["no_data"] == 1
    assert lines["grids"]["idle"] > 0 and lines["grids"]["no_data"] == 1
    assert 0 < lines["windows"]["without_qr"] < lines["windows"]["units"]
    push = outreach_figures.push_figures(demo_db, "2026-11-28")
    assert (push["start"].isoformat(), push["end"].isoformat()) == ("2026-10-30", "2026-11-12")
    assert push["share"] > 0.5  # most school installs came in the start-of-term push


def test_demo_users_answer_for_a_grid_and_a_class(demo_db):
    grid = users.get_actor(demo_db, "grid_cx")
    assert grid.role == "grid_worker"
    assert [u.code for u in outreach.channel_units(demo_db, grid, "grids")] == ["G01-001"]
    teacher = users.get_actor(demo_db, "teacher_cx")
    assert outreach.channels_for(demo_db, teacher) == ["schools"]


def test_the_seed_files_are_what_the_generator_makes(tmp_path):
    outreach_demo.write_seed(tmp_path)
    for kind, path in outreach_demo.FILES.items():
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), kind


def test_printable_codes_are_stable_and_unique(demo_db):
    frame = outreach.printables(demo_db)
    assert frame["code"].is_unique and frame["township"].notna().all()
    assert set(frame["kind"]) == {"window", "grid", "class"}
    first = outreach.printables(demo_db, "T02")
    assert set(first["township"]) == {"大吉山镇"} and {"W013", "G02-001"} <= set(first["code"])
