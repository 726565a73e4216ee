"""Scans (issue 18) through the core and the CLI: personal codes, the counters, the readings beside the
installs, the flyers' and personal cards' QR codes (decoded with zxing-cpp), the static landing page."""

import json

import pytest

from campaign import features
from campaign.accounts import users
from campaign.coverage import reconcile
from campaign.flyers import store as flyers_store
from campaign.infra import settings
from campaign.infra.errors import AccessDenied, InvalidValue
from campaign.scans import codes, counts
from campaign.scans.tally import UNKNOWN
from tests.helpers import ADMIN, count, load, run, small_county
from tests.test_flyers import APP_STORE, pdf_pages_text, png_codes, qr_codes

DAY = "2026-11-27"
LANDING = "https://fz.example.gov.cn/go/"


@pytest.fixture
def county(db):
    small_county(db)
    settings.update(db, ADMIN, {"scan_landing": "app", "scan_public_url": "https://fz.example.gov.cn/"})
    return db


def code_of(db, name):
    return db.execute("SELECT c.code FROM scan_codes c JOIN staff s ON s.id = c.staff_id WHERE s.name = ?", [name]).fetchone()[0]


def unit_id(db, code):
    return db.execute("SELECT id FROM units WHERE code = ?", [code]).fetchone()[0]


# ---- personal codes ------------------------------------------------------------------------------

def test_every_employee_has_a_short_printable_code_of_their_own(county):
    found = dict(county.execute("SELECT s.name, c.code FROM staff s JOIN scan_codes c ON c.staff_id = s.id"))
    assert len(found) == count(county, "staff") == 8  # the inactive person too: printed cards keep counting
    assert len(set(found.values())) == 8
    assert all(len(code) == codes.LENGTH and set(code) <= set(codes.ALPHABET) for code in found.values())
    assert not set(found.values()) & {code for (code,) in county.execute("SELECT code FROM units")}


def test_a_code_never_changes_and_a_new_employee_gets_one(county):
    before = dict(county.execute("SELECT staff_id, code FROM scan_codes"))
    load(county, "staff", "unit,name,phone,active,quota\n甲镇,张三,13800000009,是,\n")
    after = dict(county.execute("SELECT staff_id, code FROM scan_codes"))
    assert {sid: after[sid] for sid in before} == before and len(after) == len(before) + 1


def test_codes_are_drawn_at_random_not_from_the_name():
    import random

    first = codes.new_code(random.Random(1), set())
    assert first != codes.new_code(random.Random(2), set())
    assert codes.new_code(random.Random(1), {first}) != first  # a taken code is drawn again


# ---- counting ------------------------------------------------------------------------------------

def test_scans_are_counted_per_code_day_and_platform_and_unknown_codes_in_one_bucket(county):
    zhang = code_of(county, "张一")
    written = counts.flush(county, {(zhang, DAY, "ios"): 2, (zhang.lower(), DAY, "ios"): 1, (zhang, DAY, "in_app"): 4,
                                    ("NOPE1", DAY, "android"): 3, ("<bad>", DAY, "other"): 1, (UNKNOWN, DAY, "other"): 2})
    assert written == 13
    counts.flush(county, {(zhang, DAY, "ios"): 1})  # a second batch adds up
    rows = sorted(county.execute("SELECT code, day, platform, scans FROM scan_counts").fetchall())
    assert rows == sorted([(UNKNOWN, DAY, "android", 3), (UNKNOWN, DAY, "other", 3), (zhang, DAY, "in_app", 4), (zhang, DAY, "ios", 4)])
    assert [c for c in county.execute("PRAGMA table_info(scan_counts)")] and {
        name for _, name, *_ in county.execute("PRAGMA table_info(scan_counts)")} == {"code", "day", "platform", "scans"}


def test_scans_beside_the_installs_and_the_plausibility_flag(county):
    t1, d1 = unit_id(county, "T1"), unit_id(county, "D1")
    counts.flush(county, {(code_of(county, "张一"), DAY, "android"): 5, (code_of(county, "张二"), DAY, "in_app"): 7,
                          (code_of(county, "王一"), DAY, "ios"): 10})
    assert counts.person_scans(county, ADMIN, t1, DAY) == {
        county.execute("SELECT id FROM staff WHERE name = '张一'").fetchone()[0]: 5,
        county.execute("SELECT id FROM staff WHERE name = '张二'").fetchone()[0]: 7}
    assert counts.unit_scans(county, DAY) == {t1: 12, d1: 10}
    checks = counts.unit_checks(county, [t1, d1, unit_id(county, "D2")], [40, 30, 100], DAY)
    # ratio 3: 40 > 36 flagged; 30 = 3 × 10 not; D2's codes were never scanned: it does not use them, no flag
    assert checks.to_dict("list") == {"unit_id": [t1, d1, unit_id(county, "D2")], "scans": [12, 10, 0],
                                      "flagged": [True, False, False]}
    settings.update(county, ADMIN, {"scan_flag_ratio": "4"})
    assert not counts.unit_checks(county, [t1], [40], DAY)["flagged"][0]


def test_personal_codes_and_scans_only_in_scope(county):
    other = users.add_user(county, ADMIN, "c2", "coordinator", scope_codes=["T2"], password="a-long-password-1",
                           must_change=False)
    before = county.conn.total_changes
    for call in (lambda: codes.people(county, other, unit_id(county, "T1")),
                 lambda: counts.person_scans(county, other, unit_id(county, "T1")),
                 lambda: flyers_store.person_cards(county, other, unit_id(county, "T1"))):
        with pytest.raises(AccessDenied):
            call()
    assert county.conn.total_changes == before
    assert [p.name for p in codes.people(county, other, unit_id(county, "T2"))] == ["李一"]  # active staff only
    assert [u.code for u in flyers_store.card_units(county, other)] == ["T2"]


# ---- settings ------------------------------------------------------------------------------------

@pytest.mark.parametrize("values, code", [
    ({"scan_landing": "app", "scan_public_url": ""}, "scans.error.needs_public_url"),
    ({"scan_landing": "external"}, "scans.error.needs_external_url"),
    ({"scan_public_url": "http://localhost:8501"}, "scans.error.bad_url"),
    ({"scan_android_url": "javascript:alert(1)"}, "scans.error.bad_url"),
    ({"scan_flag_ratio": "0"}, "scans.error.bad_ratio"),
])
def test_bad_settings_change_nothing(county, values, code):
    before = settings.get_all(county)
    with pytest.raises(InvalidValue) as refused:
        settings.update(county, ADMIN, values)
    assert refused.value.code == code and settings.get_all(county) == before


def test_a_settings_change_is_audited(county):
    settings.update(county, ADMIN, {"scan_android_url": "https://app.example.cn/fz.apk"})
    rows = county.execute("SELECT actor, old, new FROM audit WHERE entity = 'setting' AND entity_id = 'scan_android_url'").fetchall()
    assert len(rows) == 1 and rows[0][0] == "admin" and "sj.qq.com" in rows[0][1] and "app.example.cn" in rows[0][2]


# ---- QR codes on flyers and personal cards ------------------------------------------------------

@pytest.mark.parametrize("conf, expected", [
    ({}, "http://127.0.0.1:8501/go/G01-001"),  # the demo: the landing route is on
    ({"scan_landing": "off"}, APP_STORE),
    ({"scan_landing": "off", "flyer_qr_target": "https://fz.example.gov.cn/q/{code}"}, "https://fz.example.gov.cn/q/G01-001"),
    ({"scan_landing": "external", "scan_external_url": "https://www.example.gov.cn/fzapp/?c={code}"},
     "https://www.example.gov.cn/fzapp/?c=G01-001"),
])
def test_flyer_qr_codes_lead_where_the_settings_say(demo_db, conf, expected):
    if conf:
        settings.update(demo_db, ADMIN, conf)
    made = flyers_store.make(demo_db, ADMIN, "cards", flyers_store.select(demo_db, ADMIN, ["G01-001"]))
    assert qr_codes(made.data) == [[expected] * 8]


def test_a_unit_s_card_sheet_and_a_personal_picture(demo_db):
    coordinator = users.get_actor(demo_db, "coord_cx")
    t01 = unit_id(demo_db, "T01")
    people = codes.people(demo_db, coordinator, t01)
    ten = [p.staff_id for p in people[:10]]
    sheet = flyers_store.person_cards(demo_db, coordinator, t01, staff_ids=ten)
    assert (sheet.pages, sheet.pieces) == (2, 10)  # nine cards a page
    decoded = qr_codes(sheet.data, dpi=150)
    assert [len(page) for page in decoded] == [9, 1]
    assert sorted(sum(decoded, [])) == sorted(f"http://127.0.0.1:8501/go/{p.code}" for p in people[:10])
    text = "".join(pdf_pages_text(sheet.data))
    assert all(p.name in text and f"推广码 {p.code}" in text for p in people[:10]) and "城厢镇" in text
    picture = flyers_store.person_cards(demo_db, coordinator, t01, staff_ids=ten[:1], fmt="png")
    (code, png), = picture.pictures
    from PIL import Image
    import io

    assert code == people[0].code and Image.open(io.BytesIO(png)).size == (1080, 1350)
    assert png_codes(png) == [f"http://127.0.0.1:8501/go/{people[0].code}"]
    log = flyers_store.print_log(demo_db, limit=20)
    assert (log["kind"] == "person").sum() == 11


# ---- the readings on the demo ----------------------------------------------------------------------

def test_the_demo_flags_the_department_whose_reports_run_ahead_of_its_scans(demo_db):
    from campaign.installs import rankings

    table = rankings.unit_ranking(demo_db, "2026-11-28")
    checks = counts.unit_checks(demo_db, table["unit_id"], table["installs"], "2026-11-28")
    flagged = set(table["code"][checks["flagged"].to_numpy()])
    assert "D019" in flagged and not {"T01", "T10", "D018"} & flagged
    assert counts.total(demo_db) > 10_000 and set(counts.daily(demo_db)["platform"]) == {"ios", "android", "in_app", "other"}


def test_the_reconciliation_shows_the_scans_made_in_each_township(demo_db):
    recon = reconcile.reconcile(demo_db)
    table = recon["table"]
    assert "scans" in table and (table["scans"] >= 0).all() and table["scans"].sum() > 0
    first, last = recon["first_day"], recon["last_day"]
    assert table["scans"].sum() <= counts.total(demo_db, first, last)


# ---- the command line ------------------------------------------------------------------------------

def test_report_scans_json(tmp_path):
    path = tmp_path / "c.db"
    db = features.connect(path)
    small_county(db)
    db.execute("INSERT INTO units (code, name, type, parent_id) SELECT 'W01', '一号窗口', 'window', id FROM units WHERE code = 'T1'")
    zhang = code_of(db, "张一")
    counts.flush(db, {(zhang, "2026-11-26", "ios"): 2, (zhang, DAY, "in_app"): 3, ("W01", DAY, "android"): 4,
                      ("ZZZ", DAY, "other"): 1})
    db.conn.commit()
    ran = run(path, "report", "scans", "--format", "json")
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout) == [
        {"code": zhang, "kind": "person", "unit": "甲镇", "scans": 5, "by_platform": {"ios": 2, "android": 0, "in_app": 3, "other": 0}},
        {"code": "W01", "kind": "window", "unit": "一号窗口", "scans": 4, "by_platform": {"ios": 0, "android": 4, "in_app": 0, "other": 0}},
        {"code": None, "kind": "unknown", "unit": None, "scans": 1, "by_platform": {"ios": 0, "android": 0, "in_app": 0, "other": 1}},
    ]
    ran = run(path, "report", "scans", "--from", DAY, "--to", DAY, "--format", "json")
    assert [row["scans"] for row in json.loads(ran.stdout)] == [4, 3, 1]
    assert run(path, "report", "scans", "--from", "yesterday").returncode != 0


def test_landing_export_writes_the_static_page(tmp_path):
    path = tmp_path / "c.db"
    small_county(features.connect(path))
    ran = run(path, "landing", "export", tmp_path / "site")
    assert ran.returncode == 0, ran.stderr
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "location.replace(s.ios)" in html and "https://sj.qq.com/appdetail/com.hicorenational.antifraud" in html
    assert len(html.encode()) < 20_000


def test_personal_cards_command(demo_path, tmp_path):
    db = features.connect(demo_path)
    who = db.execute("SELECT s.name, c.code FROM staff s JOIN scan_codes c ON c.staff_id = s.id JOIN units u ON u.id = s.unit_id"
                     " WHERE u.code = 'D018' AND s.active = 1 ORDER BY s.id LIMIT 1").fetchone()
    ran = run(demo_path, "personal-cards", "--unit", "D018", "--person", who[0], "--out", tmp_path / "card.png")
    assert ran.returncode == 0, ran.stderr
    assert png_codes((tmp_path / "card.png").read_bytes()) == [f"http://127.0.0.1:8501/go/{who[1]}"]
    ran = run(demo_path, "personal-cards", "--unit", "D018", "--person", "没这人", "--out", tmp_path / "x.pdf")
    assert ran.returncode == 1 and "没这人" in ran.stderr and not (tmp_path / "x.pdf").exists()
    assert run(demo_path, "personal-cards", "--unit", "D018", "--out", tmp_path / "x.txt").returncode == 1


# ---- the pages -------------------------------------------------------------------------------------

def test_the_rankings_page_names_the_units_with_few_scans(demo_path):
    from tests.apptest import open_page

    at = open_page(demo_path, "rankings", user="leader", lang="en")
    assert not at.exception
    assert any("few scans for their reports" in w.value for w in at.warning)
    flagged = next(d.value for d in at.dataframe if "scan_flag" in d.value and d.value["scan_flag"].all())
    d019 = features.connect(demo_path).execute("SELECT name FROM units WHERE code = 'D019'").fetchone()[0]
    assert d019 in set(flagged["unit"]) and (flagged["installs"] > 3 * flagged["scans"]).all()


def test_the_entry_sheet_shows_each_person_s_scans(demo_path):
    from tests.apptest import open_page

    at = open_page(demo_path, "entry", user="coord_gaj", lang="zh")
    assert not at.exception
    db = features.connect(demo_path)
    actor = users.get_actor(db, "coord_gaj")
    d018 = unit_id(db, "D018")
    sheet = at.dataframe[0].value
    expected = counts.person_scans(db, actor, d018, "2026-11-28")
    assert sum(expected.values()) > 0
    assert dict(zip(sheet["id"].astype(int), sheet["scans"])) == {int(sid): expected.get(int(sid), 0) for sid in sheet["id"]}
