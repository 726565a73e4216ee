"""Issue 17: one number, percentage and time format, blank for empty, translated names, the menu a role sees and
the page it opens on, and each chart's caption held to its encoding, in both languages."""

import json

import pytest

import ui
from campaign import features
from campaign.accounts import auth
from campaign.infra import i18n
from campaign.infra.i18n import t
from tests.apptest import errors, open_page
from ui import charts, nav


@pytest.mark.parametrize("value, shown", [(12006, "12,006"), (9114.0, "9,114"), (0, "0"), (2.5, "2.50"), (None, ""),
                                          (float("nan"), "")])
def test_one_number_format(value, shown):
    assert ui.num(value) == shown


@pytest.mark.parametrize("value, shown", [(0.84, "84.00%"), (0.7576, "75.76%"), (0.549412, "54.94%"), (None, "—")])
def test_one_percentage_format_two_decimals(value, shown):
    assert ui.pct(value) == shown


@pytest.mark.parametrize("value, shown", [("2026-12-03T19:30:56+08:00", "2026-12-03 19:30"), ("2026-12-03", "2026-12-03"),
                                          (None, ""), ("", "")])
def test_one_time_format(value, shown):
    assert ui.when(value) == shown


def test_json_and_settings_read_as_words(db):
    text = ui.readable('{"role": "coordinator", "active": true, "scope": ["T01"], "quota": null}')
    assert "{" not in text and "单位联络员" in text and "是" in text
    assert ui.name_of("setting", "target_deadline") == t("coverage.target_deadline")
    assert ui.name_of("entity", "spot_checks") == t("import.kind.spot_checks")


MENUS = {  # user -> pages their menu leaves out (nothing to do there), and the page they open on
    "teacher_cx": ({"entry"}, "outreach_entry"),
    "coord_gaj": ({"outreach_entry"}, "entry"),  # flyers stay: a coordinator makes the staff's personal cards there
    "coord_cx": (set(), "entry"),
    "grid_cx": (set(), "outreach_entry"),
    "leader": (set(), "overview"),
    "admin": (set(), "overview"),
}


@pytest.mark.parametrize("user", list(MENUS))
def test_a_menu_shows_only_pages_with_something_to_do_and_opens_on_the_daily_job(demo_db, user):
    me = auth.resolve(demo_db, auth.start_session(demo_db, user))  # the actor as the app resolves it
    hidden, home = MENUS[user]
    menu = [p.key for p in nav.menu(demo_db, me)]
    assert not hidden & set(menu)
    assert set(menu) | hidden == {p.key for p in nav.pages_for(me.role)}
    assert nav.landing(demo_db, me, nav.menu(demo_db, me)) == home
    sections = nav.sections(nav.menu(demo_db, me))
    assert [p.key for part in sections.values() for p in part] and set(sections) <= set(nav.SECTIONS)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_progress_caption_names_the_dashed_line_as_the_chart_draws_it(demo_path, lang):
    at = open_page(demo_path, "progress", user="leader", lang=lang)
    assert errors(at) == []
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    dash = spec["encoding"]["strokeDash"]["scale"]
    drawn = dict(zip(dash["domain"], ["dashed" if d == charts.DASHED else "solid" for d in dash["range"]]))
    caption = at.main.caption[-1].value
    assert drawn == {t("progress.credited", lang): "solid", t("progress.pace", lang): "dashed"}
    assert t("progress.help", lang, dashed=t("progress.pace", lang), solid=t("progress.credited", lang)) == caption


def test_demo_build_reports_progress(tmp_path):
    from campaign import demo

    db = features.connect(tmp_path / "c.db")
    seen = []
    assert demo.ensure_demo(db, progress=lambda done, total, part: seen.append((done, part)))
    assert seen[0] == (0, demo.ORDER[0]) and seen[-1] == (len(demo.ORDER), "done")
    assert all(f"demo.part.{p}" in i18n.catalog() for _, p in seen)
