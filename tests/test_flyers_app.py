"""Flyers wired to the outreach registries: who may print for which location, batches, the print log, the
QR target setting, the CLI and the Flyers page.

A small county: 甲镇 (T1) and 乙镇 (T2), each with a school and classes, a village with grids, and
windows hosted by a department (县一局 hosts a window in 甲镇) or by the township itself.
"""

import hashlib

import pytest

from campaign import features
from campaign.accounts import trail, users
from campaign.flyers import render as flyers
from campaign.flyers import store as flyers_store
from campaign.infra import settings
from campaign.infra.errors import AccessDenied, InvalidValue
from campaign.org import access
from campaign.org.access import Actor
from tests.apptest import errors, open_page
from tests.helpers import ADMIN, count, load, run, small_county
from tests.test_flyers import APP_STORE, TITLE, pdf_pages_text, png_codes, qr_codes
from ui import nav

PASSWORD = "flyers-password"


def registries(db):
    small_county(db)
    load(db, "schools", """
编码,学校名称,学段,乡镇
S1,甲镇中心小学,小学,甲镇
S2,乙镇小学,小学,乙镇
""")
    load(db, "classes", """
编码,学校,班级名称,年级,班主任,学生家庭数
S1-01,S1,一年级(1)班,一年级,张老师,40
S1-02,S1,一年级(2)班,一年级,李老师,38
S2-01,S2,三年级(1)班,三年级,王老师,30
""")
    load(db, "grids", """
编码,网格名称,乡镇,村（社区）,村（社区）编码,户数,网格员,网格员电话
G1-01,东村第1网格,甲镇,东村,V1-01,180,张网,13900000001
G1-02,东村第2网格,甲镇,东村,V1-01,150,,
G2-01,西村第1网格,乙镇,西村,V2-01,120,李网,
""")
    load(db, "windows", """
编码,窗口名称,窗口类型,所属单位,乡镇,位置
W1,县一局办事窗口,政务服务,县一局,甲镇,甲镇大道1号
W2,县二局服务台,政务服务,县二局,乙镇,乙镇路2号
W3,甲镇便民服务中心1号窗口,政务服务,甲镇,甲镇,甲镇政府
""")


@pytest.fixture
def county(db):
    registries(db)
    ids = {code: uid for uid, code in db.execute("SELECT id, code FROM units")}
    actors = {
        "admin": ADMIN,
        "leader": Actor("leader", access.LEADER),
        "coordinator": Actor("coord", access.COORDINATOR, frozenset({ids["T1"]})),
        "teacher": Actor("teacher", access.COORDINATOR, frozenset({ids["S1"]})),
        "grid_worker": Actor("grid", access.GRID_WORKER, frozenset({ids["G1-01"]})),
    }
    return db, ids, actors


def codes(locations):
    return [loc.code for loc in locations]


def fingerprint(db) -> str:
    return hashlib.sha256("\n".join(db.conn.iterdump()).encode()).hexdigest()


ALL = ["W1", "W3", "G1-01", "G1-02", "S1-01", "S1-02", "W2", "G2-01", "S2-01"]


def test_locations_come_from_the_registries(county):
    db, ids, _ = county
    found = {loc.code: loc for loc in flyers_store.all_locations(db)}
    assert list(found) == ALL  # by township, then windows, grids, classes
    assert found["W1"] == flyers.Location("W1", "县一局办事窗口", "window", "县一局", "甲镇", ids["W1"], "", "D1")
    assert found["G1-01"] == flyers.Location("G1-01", "东村第1网格", "grid", "东村", "甲镇", ids["G1-01"],
                                             "网格员 张网 13900000001", "V1-01")
    assert found["G2-01"].contact == "网格员 李网"
    assert found["S2-01"] == flyers.Location("S2-01", "三年级(1)班", "class", "乙镇小学", "乙镇", ids["S2-01"], "", "S2")
    assert codes(flyers_store.all_locations(db, township="乙镇")) == ["W2", "G2-01", "S2-01"]
    assert codes(flyers_store.all_locations(db, township="T2")) == ["W2", "G2-01", "S2-01"]


@pytest.mark.parametrize("role, expected", [
    ("admin", ALL),
    ("coordinator", ["W3", "G1-01", "G1-02", "S1-01", "S1-02"]),  # W1 hangs under 县一局, not under 甲镇
    ("teacher", ["S1-01", "S1-02"]),
    ("grid_worker", ["G1-01"]),
    ("leader", []),
])
def test_each_role_prints_only_for_its_own_locations(county, role, expected):
    db, _, actors = county
    assert codes(flyers_store.locations_for(db, actors[role])) == expected


@pytest.mark.parametrize("choices, township, expected", [
    (["windows"], None, ["W1", "W3", "W2"]),
    (["windows"], "乙镇", ["W2"]),
    (["grids"], "T1", ["G1-01", "G1-02"]),
    (["schools"], None, ["S1-01", "S1-02", "S2-01"]),
    (["S1"], None, ["S1-01", "S1-02"]),  # a school's code: every class of it
    (["V1-01"], None, ["G1-01", "G1-02"]),  # a village: its grids
    (["T2"], None, ["G2-01", "S2-01"]),  # W2 is in 乙镇 but hangs under its host 县二局, not under T2
    (["D2"], None, ["W2"]),
    (["G2-01", "W1", "G2-01"], None, ["G2-01", "W1"]),  # as asked, no repeats
    (["grids", "S2"], "乙镇", ["G2-01", "S2-01"]),
])
def test_select_for_the_cli(county, choices, township, expected):
    db, _, _ = county
    assert codes(flyers_store.select(db, ADMIN, choices, township=township)) == expected


@pytest.mark.parametrize("role, choices, error", [
    ("admin", ["nope"], InvalidValue),
    ("admin", ["windows"], InvalidValue),  # with township 丙镇 below: nothing matches
    ("grid_worker", ["G1-02"], AccessDenied),
    ("coordinator", ["windows"], AccessDenied),  # W1 and W2 are outside 甲镇
    ("leader", ["W3"], AccessDenied),
])
def test_select_refuses(county, role, choices, error):
    db, _, actors = county
    township = "丙镇" if choices == ["windows"] and role == "admin" else None
    with pytest.raises(error):
        flyers_store.select(db, actors[role], choices, township=township)


# role -> can make flyers for the location (W3 in 甲镇; G1-01 the grid worker's own grid; W2 in 乙镇)
MAKE = [
    ("admin", "W2", True), ("admin", "G1-01", True),
    ("coordinator", "W3", True), ("coordinator", "G1-01", True), ("coordinator", "W2", False),
    ("teacher", "S1-01", True), ("teacher", "W3", False),
    ("grid_worker", "G1-01", True), ("grid_worker", "G1-02", False), ("grid_worker", "W3", False),
    ("leader", "W3", False),
]


@pytest.mark.parametrize("role, code, allowed", MAKE)
def test_make_is_scoped_and_a_refusal_writes_nothing(county, role, code, allowed):
    db, _, actors = county
    location = {loc.code: loc for loc in flyers_store.all_locations(db)}[code]
    before = fingerprint(db)
    if allowed:
        made = flyers_store.make(db, actors[role], "poster", [location])
        assert qr_codes(made.data) == [[APP_STORE]]
        assert count(db, "flyer_prints") == 1
    else:
        with pytest.raises(AccessDenied):
            flyers_store.make(db, actors[role], "poster", [location])
        assert fingerprint(db) == before


@pytest.mark.parametrize("kind, cards, copies, pages, pieces_each", [
    ("poster", 8, 1, 3, 1),
    ("poster", 8, 2, 6, 2),
    ("cards", 10, 3, 9, 30),
    ("slip", 8, 4, 12, 8),
])
def test_make_logs_each_location_with_copies_and_pieces(county, kind, cards, copies, pages, pieces_each):
    db, ids, _ = county
    locations = flyers_store.select(db, ADMIN, ["windows"])
    seen = []
    made = flyers_store.make(db, ADMIN, kind, locations, cards=cards, copies=copies,
                             progress=lambda done, total: seen.append((done, total)))
    assert (made.pages, made.pieces) == (pages, pieces_each * 3)
    assert seen == [(1, 3), (2, 3), (3, 3)]
    texts = pdf_pages_text(made.data)
    assert len(texts) == pages and all(TITLE in text for text in texts)
    log = flyers_store.print_log(db)
    assert log[["kind", "format", "code", "copies", "pieces", "actor"]].values.tolist() == [
        [kind, "pdf", code, copies, pieces_each, "admin"] for code in ("W2", "W3", "W1")]  # newest first
    assert set(log["target"]) == {APP_STORE}
    assert all(at.startswith("2026-11-28T") for at in log["at"])
    printed = trail.list_audit(db, action="print")
    assert sorted(printed["entity_id"]) == sorted(f"{code}/{kind}" for code in ("W1", "W2", "W3"))
    assert set(printed["unit_id"]) == {ids["W1"], ids["W2"], ids["W3"]}


def test_pictures_are_logged_as_png(county):
    db, _, _ = county
    locations = flyers_store.select(db, ADMIN, ["G1-01", "G2-01"])
    made = flyers_store.make(db, ADMIN, "cards", locations, copies=5, fmt="png")
    assert [code for code, _ in made.pictures] == ["G1-01", "G2-01"]
    assert [png_codes(png) for _, png in made.pictures] == [[APP_STORE], [APP_STORE]]
    assert flyers_store.print_log(db)[["format", "code", "copies", "pieces"]].values.tolist() == [
        ["png", "G2-01", 1, 1], ["png", "G1-01", 1, 1]]


def test_one_code_per_location_from_the_setting(county):
    db, _, _ = county
    assert settings.get(db, "flyer_qr_target") == APP_STORE  # the demo default
    settings.update(db, ADMIN, {"flyer_qr_target": " https://fz.example.gov.cn/q/{code} "})
    made = flyers_store.make(db, ADMIN, "slip", flyers_store.select(db, ADMIN, ["S1"]))
    assert qr_codes(made.data) == [["https://fz.example.gov.cn/q/S1-01"] * 2, ["https://fz.example.gov.cn/q/S1-02"] * 2]
    assert all("在手机应用市场搜索「国家反诈中心」" in text for text in pdf_pages_text(made.data))  # the fallback stays
    assert list(flyers_store.print_log(db)["target"]) == ["https://fz.example.gov.cn/q/S1-02",
                                                         "https://fz.example.gov.cn/q/S1-01"]


@pytest.mark.parametrize("value", ["apps.apple.com/x", "https://x.gov.cn/{id}", ""])
def test_a_bad_target_setting_is_refused(county, value):
    db, _, _ = county
    with pytest.raises(InvalidValue):
        settings.update(db, ADMIN, {"flyer_qr_target": value})
    assert settings.get(db, "flyer_qr_target") == APP_STORE


def test_too_many_pages_are_refused_before_anything_is_drawn(county):
    db, _, _ = county
    locations = flyers_store.all_locations(db)
    with pytest.raises(InvalidValue) as caught:
        flyers_store.make(db, ADMIN, "poster", locations * 2, copies=flyers.MAX_COPIES)
    assert caught.value.params == {"max": flyers_store.MAX_PAGES, "pages": 18 * flyers.MAX_COPIES}
    assert count(db, "flyer_prints") == 0


def test_print_log_for_a_unit_and_within_scope(county):
    db, ids, actors = county
    flyers_store.make(db, ADMIN, "poster", flyers_store.select(db, ADMIN, ["W3", "W2"]))
    flyers_store.make(db, actors["grid_worker"], "cards", flyers_store.select(db, ADMIN, ["G1-01"]), copies=2)
    assert list(flyers_store.print_log(db, unit_ids=[ids["W3"]])["code"]) == ["W3"]
    assert list(flyers_store.print_log(db, actor=actors["coordinator"])["code"]) == ["G1-01", "W3"]
    assert list(flyers_store.print_log(db, actor=actors["grid_worker"])["code"]) == ["G1-01"]
    assert list(flyers_store.print_log(db, actor=actors["teacher"])["code"]) == []
    last = dict(zip(flyers_store.print_log(db)["code"], flyers_store.print_log(db)["at"]))
    assert flyers_store.totals(db, [ids["W3"], ids["G1-01"], ids["W1"]]) == {
        ids["W3"]: {"pieces": 1, "times": 1, "last": last["W3"]},
        ids["G1-01"]: {"pieces": 16, "times": 1, "last": last["G1-01"]},
    }


@pytest.mark.parametrize("batch, group, expected", [
    ("windows", None, ["W1", "W3", "W2"]),
    ("windows", "甲镇", ["W1", "W3"]),
    ("grids", "乙镇", ["G2-01"]),
    ("schools", "S1", ["S1-01", "S1-02"]),
])
def test_batches_for_the_page(county, batch, group, expected):
    db, _, _ = county
    everything = flyers_store.all_locations(db)
    assert flyers_store.batches(everything) == ["windows", "grids", "schools"]
    assert codes(flyers_store.pick(everything, batch, group)) == expected
    assert flyers_store.batch_groups(everything, "schools") == {"S1": "甲镇中心小学", "S2": "乙镇小学"}
    assert flyers_store.batch_groups(everything, "grids") == {"甲镇": "甲镇", "乙镇": "乙镇"}


# ---- the command line ---------------------------------------------------------------------

@pytest.fixture
def county_path(tmp_path):

    path = tmp_path / "county.db"
    conn = features.connect(path)
    registries(conn)
    for name, role, scope in (("admin", access.ADMIN, []), ("coord", access.COORDINATOR, ["T1"]), ("grid", access.GRID_WORKER, ["G1-01"]),
                              ("leader", access.LEADER, [])):
        users.add_user(conn, ADMIN, name, role, scope_codes=scope, password=PASSWORD, must_change=False)
    conn.conn.close()
    return path


def test_cli_batch_pdf_for_every_window_of_a_township(county_path, tmp_path):

    out = tmp_path / "posters.pdf"
    result = run(county_path, "flyers", "--kind", "poster", "--for", "windows", "--township", "甲镇", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert f"{out}: poster, locations 2, pages 2, pieces 2 (logged)" in result.stdout
    texts = pdf_pages_text(out.read_bytes())
    assert ["W1" in texts[0], "W3" in texts[1]] == [True, True]
    assert qr_codes(out.read_bytes()) == [[APP_STORE], [APP_STORE]]
    log = flyers_store.print_log(features.connect(county_path))
    assert list(log["code"]) == ["W3", "W1"] and set(log["actor"]) == {"cli"}


def test_cli_cards_for_codes_as_pictures(county_path, tmp_path):
    out = tmp_path / "cards.png"
    result = run(county_path, "flyers", "--kind", "cards", "--cards", "12", "--for", "G1-01", "G2-01,S2-01", "--out", str(out))
    assert result.returncode == 0, result.stderr
    for code in ("G1-01", "G2-01", "S2-01"):
        assert png_codes((tmp_path / f"cards-{code}.png").read_bytes()) == [APP_STORE]


def test_cli_slips_for_every_class_of_a_school(county_path, tmp_path):
    out = tmp_path / "slips.pdf"
    result = run(county_path, "flyers", "--kind", "slip", "--for", "S1", "--copies", "3", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "slip, locations 2, pages 6, pieces 12 (logged)" in result.stdout
    assert [len(found) for found in qr_codes(out.read_bytes())] == [2] * 6


@pytest.mark.parametrize("args, message", [
    (["--kind", "poster", "--for", "nope", "--out", "x.pdf"], "No printable location or unit: nope"),
    (["--kind", "poster", "--for", "W1", "--out", "x.docx"], "must end in .pdf or .png"),
    (["--kind", "cards", "--cards", "7", "--for", "W1", "--out", "x.pdf"], "'7' is not one of"),
])
def test_cli_refuses(county_path, tmp_path, args, message):
    result = run(county_path, "flyers", *[str(tmp_path / a) if a.startswith("x.") else a for a in args])
    assert result.returncode != 0 and message in result.stderr
    assert not list(tmp_path.glob("x.*"))


# ---- the page -----------------------------------------------------------------------------

@pytest.mark.parametrize("user, lang, options", [
    ("admin", "zh", 9), ("coord", "en", 5), ("grid", "zh", 1),
])
def test_page_shows_only_the_users_locations(county_path, user, lang, options):
    at = open_page(county_path, "flyers", user=user, lang=lang)
    assert errors(at) == []
    assert len(at.selectbox(key="flyers_location").options) == options


def test_page_makes_a_pdf_and_logs_it(county_path):

    at = open_page(county_path, "flyers", user="grid")
    at.radio(key="flyers_kind").set_value("cards").run()
    at.selectbox(key="flyers_cards").set_value(12).run()
    at.number_input(key="flyers_copies").set_value(2).run()
    at.button(key="flyers_make").click().run()
    assert errors(at) == []
    assert at.success[0].value == "已生成 1 个点位、2 页，已记入打印记录。"
    log = flyers_store.print_log(features.connect(county_path))
    assert log[["kind", "code", "copies", "pieces", "actor"]].values.tolist() == [["cards", "G1-01", 2, 24, "grid"]]
    assert len(at.dataframe) == 1  # the print log below
    # on a phone the download appears where one tapped: above the make buttons, not below the fold (issue 17)
    order = [getattr(node, "type", "") + ":" + str(getattr(node, "key", "")) for node in _in_order(at.main)]
    assert order.index("download_button:flyers_download_pdf") < order.index("button:flyers_make")


def _in_order(node):
    """Every element of a page, top to bottom."""
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _in_order(child)


def test_no_empty_column_beside_the_copies(county_path):
    at = open_page(county_path, "flyers", user="admin")
    for kind in ("poster", "slip", "cards"):  # (cards a page sit beside the copies)
        at.radio(key="flyers_kind").set_value(kind).run()
        assert errors(at) == [] and all(column.children for column in at.columns), kind


def test_page_batch_for_a_school(county_path):

    at = open_page(county_path, "flyers", user="admin")  # (AppTest formats options outside the run: zh)
    at.radio(key="flyers_kind").set_value("slip").run()
    at.radio(key="flyers_mode").set_value("batch").run()
    at.radio(key="flyers_batch").set_value("schools").run()
    at.selectbox(key="flyers_school").set_value("S2").run()
    at.button(key="flyers_make").click().run()
    assert errors(at) == []
    assert at.success[0].value == "已生成 1 个点位、1 页，已记入打印记录。"
    assert list(flyers_store.print_log(features.connect(county_path))["code"]) == ["S2-01"]


def test_page_picture(county_path):
    at = open_page(county_path, "flyers", user="admin")
    at.selectbox(key="flyers_location").set_value("W2").run()
    at.button(key="flyers_make_png").click().run()
    assert errors(at) == []
    assert at.success[0].value == "已生成 1 个点位、1 页，已记入打印记录。"
    _, made, name = at.session_state["flyers_made"]
    assert name == "poster-W2" and [png_codes(png) for _, png in made.pictures] == [[APP_STORE]]


def test_leader_cannot_open_the_page():
    assert "flyers" not in [p.key for p in nav.pages_for(access.LEADER)]
    assert "flyers" in [p.key for p in nav.pages_for(access.GRID_WORKER)]


def test_settings_page_changes_the_qr_target(county_path):

    at = open_page(county_path, "settings", user="admin")
    assert at.text_input(key="set_flyer_qr_target").value == APP_STORE
    at.text_input(key="set_flyer_qr_target").set_value("https://fz.example.gov.cn/q/{code}")
    next(b for b in at.button if b.label == "保存设置").click().run()
    assert errors(at) == []
    assert settings.get(features.connect(county_path), "flyer_qr_target") == "https://fz.example.gov.cn/q/{code}"


def test_the_entry_page_of_a_grid_shows_what_was_printed_for_it(county_path):

    conn = features.connect(county_path)
    flyers_store.make(conn, Actor("grid", access.GRID_WORKER, frozenset({conn.execute(
        "SELECT id FROM units WHERE code = 'G1-01'").fetchone()[0]})), "cards", flyers_store.select(conn, ADMIN, ["G1-01"]), copies=3)
    flyers_store.make(conn, ADMIN, "poster", flyers_store.select(conn, ADMIN, ["G1-02"]))  # another grid: not shown
    at = open_page(county_path, "outreach_entry", user="grid")
    assert errors(at) == []
    shown = at.dataframe[-1].value  # the last table: the print log
    assert shown[["code", "copies", "pieces", "actor"]].values.tolist() == [["G1-01", 3, 24, "grid"]]
    assert list(shown["kind"]) == ["卡片"]


def test_demo_print_log(demo_db):
    from campaign.flyers import demo as flyers_demo

    log = flyers_store.print_log(demo_db, limit=100_000)
    windows = flyers_store.all_locations(demo_db, types=("window",))
    posters = log[log["kind"] == "poster"]
    assert sorted(posters["code"]) == sorted(loc.code for loc in windows)  # every window's poster, once
    assert set(posters["at"].str.slice(0, 10)) == {settings.get(demo_db, "start_date")}
    families = dict(demo_db.execute(
        "SELECT u.code, c.families FROM outreach_classes c JOIN units u ON u.id = c.unit_id").fetchall())
    slips = log[log["kind"] == "slip"]
    assert len(slips) > 0 and all(row.copies == max(1, -(-families[row.code] // 2)) and row.pieces == 2 * row.copies
                                  for row in slips.itertuples())
    cards = log[log["kind"] == "cards"]
    assert len(cards) > 0 and (cards["pieces"] == cards["copies"] * 8).all()
    assert (log["at"].str.slice(0, 10) <= "2026-11-28").all()
    assert (log["target"] == "http://127.0.0.1:8501/go/" + log["code"]).all()  # the landing route (issue 18)
    assert len(log) == len(flyers_demo.demo_prints(demo_db, __import__("datetime").date(2026, 11, 28)))  # seeded
