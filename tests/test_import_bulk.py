"""Issue 9: the column-wise installs import gives exactly the row-by-row answers.

The reference below is the row-by-row check and write the import used before (one row at a time in
Python); random files full of every kind of mistake must get the same errors (row, column, code and
parameters, in the same order), and clean files the same reports, supersessions, audit rows and
summaries.
"""

import datetime as dt
import os
import random
import re
import signal

import pytest

from campaign import features
from campaign.accounts import trail
from campaign.infra import clock, imports, settings
from campaign.infra.errors import FileRejected, ImportStopped, RowError, RowsRejected
from campaign.infra.parse import parse_date
from campaign.infra.tables import Upload, read_table
from campaign.installs import bulk as installs_bulk
from campaign.installs import entries as installs
from campaign.installs import summaries
from campaign.org import access, units
from tests.helpers import ADMIN, count, load, small_county
from tests.test_summaries import recomputed


def reference_validate(db, actor, frame, conf):
    """The row-by-row validation of installs files as it was before issue 9 (kept verbatim)."""
    from campaign.org.staff import index_by_unit_and_name

    errors, plan = [], []
    ids = units.lookup(db)
    people = index_by_unit_and_name(db)
    active = {sid for (sid,) in db.execute("SELECT id FROM staff WHERE active = 1")}
    now = clock.now()
    start = clock.as_date(conf["start_date"])
    allowed = access.scope_units(db, actor)
    seen = {}
    for row in frame.itertuples(index=False):
        r = row.line
        uid = ids.get(row.unit)
        sid = None
        if uid is None:
            errors.append(RowError(r, "unit", "row.unknown_unit", value=row.unit))
        elif allowed is not None and uid not in allowed:
            errors.append(RowError(r, "unit", "row.outside_scope", value=row.unit))
        else:
            phone = re.sub(r"[\s-]", "", row.phone) or None
            matches = people.get((uid, row.name), [])
            if phone:
                matches = [m for m in matches if m[1] == phone]
            if not matches:
                errors.append(RowError(r, "name", "row.unknown_person", value=row.name, unit=row.unit))
            elif len(matches) > 1:
                errors.append(RowError(r, "name", "row.ambiguous_person", value=row.name, unit=row.unit))
            elif matches[0][0] not in active:
                errors.append(RowError(r, "name", "row.inactive_person", value=row.name))
            else:
                sid = matches[0][0]
        day = parse_date(row.date)
        if day is None:
            errors.append(RowError(r, "date", "row.bad_date", value=row.date))
        elif day > now.date():
            errors.append(RowError(r, "date", "row.future_date", value=day.isoformat()))
        elif day < start:
            errors.append(RowError(r, "date", "row.before_start", value=day.isoformat(), start=start.isoformat()))
        elif installs.day_state(conf, actor, day, now) == "locked":
            errors.append(RowError(r, "date", "row.day_locked", value=day.isoformat()))
        number, reason = installs.check_value(row.installs, conf["max_daily_installs"])
        if reason:
            errors.append(RowError(r, "installs", reason, value=row.installs, max=conf["max_daily_installs"]))
        if sid is not None and day is not None:
            if (sid, day) in seen:
                errors.append(RowError(r, "date", "row.duplicate_entry", value=row.name, first=seen[(sid, day)]))
            seen[(sid, day)] = r
            plan.append((sid, day.isoformat(), number, uid))
    return plan, sorted(errors, key=lambda e: e.row)


def county_with_namesakes(db):
    """The small county plus namesakes (with and without phones) and phones written with spaces."""
    small_county(db)
    load(db, "staff", """
unit,name,phone,active,quota
甲镇,张三,13800000011,是,
甲镇,张三,13800000012,是,
县一局,王二,13800000021,是,
县一局,王二,13800000022,是,
县二局,赵一,13800000023,是,
县一局,王三,13800000013,否,
乙镇,张一,13800000014,是,
""")


UNITS = ["甲镇", "T1", "乙镇", "T2", "县一局", "D1", "县二局", "县三局", "D3", "丙镇", ""]
NAMES = ["张一", "张二", "张三", "李一", "李二", "王一", "王二", "王三", "赵一", "赵二", "钱一", "无名", ""]
PHONES = ["", "", "", "13800000001", "138 0000 0002", "138-0000-0011", "13800000012", "13800000013",
          "13800000014", "1380000", "13900000000", "１３８００００００01"]
DATES = ["2026-11-25", "2026-11-26", "2026/11/26", "2026年11月27日", "2026.11.28", "2026-11-28 08:00:00",
         "2026-11-19", "2026-11-29", "2026-02-30", "yesterday", "", "2026-11-20", "2026-11-21"]
COUNTS = ["3", "0", "12", "3.0", "2.5", "-1", "三", "", "201", "200", "1e1", " 7"]


def random_file(rng, rows, clean_only=False):
    lines = ["unit,name,phone,date,installs"]
    for _ in range(rows):
        lines.append(",".join(rng.choice(pool) for pool in (UNITS, NAMES, PHONES, DATES, COUNTS)))
    return "\n".join(lines)


def errors_of(errors):
    return [(e.row, e.column, e.code, e.params) for e in errors]


def check(db, actor, text):
    spec = features.import_kinds()["installs"]
    frame = read_table(Upload("installs.csv", text.encode("utf-8")), spec.columns, spec.required)
    conf = settings.get_all(db)
    plan, errors = installs_bulk.validate_import(db, actor, frame, conf)
    expected_plan, expected_errors = reference_validate(db, actor, frame, conf)
    assert errors_of(errors) == errors_of(expected_errors)
    got = [(s, str(d), None if n < 0 else n, u) for s, d, n, u in plan.itertuples(index=False, name=None)]
    assert got == expected_plan
    return errors


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("who", ["admin", "coordinator"])
def test_random_files_get_the_row_by_row_errors(db, seed, who):
    county_with_namesakes(db)
    t1 = db.execute("SELECT id FROM units WHERE code = 'T1'").fetchone()[0]
    actor = ADMIN if who == "admin" else access.Actor("c", access.COORDINATOR, frozenset({t1}))
    settings.update(db, ADMIN, {"entry_cutoff": "06:00"})  # coordinators: 2026-11-26 and before are locked
    rng = random.Random(seed)
    errors = check(db, actor, random_file(rng, rng.choice([1, 5, 40, 300])))
    assert errors  # random files are full of mistakes


def test_every_kind_of_mistake_at_once(db):
    county_with_namesakes(db)
    text = "\n".join([
        "单位,姓名,手机号,日期,安装数",
        "丙镇,张一,,2026-11-25,1",            # unknown unit
        "甲镇,无名,,2026-11-25,1",            # unknown person
        "甲镇,张三,,2026-11-25,1",            # two 张三: ambiguous without a phone
        "甲镇,张三,138 0000 0011,2026-11-25,1",  # the phone (with spaces) picks one
        "县一局,王三,13800000013,2026-11-25,1",  # inactive
        "乙镇,李二,,2026-11-25,1",            # inactive
        "甲镇,张一,,2026-02-30,-1",           # bad date and a negative count
        "甲镇,张一,,2026-11-29,2.5",          # future, not an integer
        "甲镇,张一,,2026-11-19,",             # before the start, empty count
        "甲镇,张一,,2026/11/25,201",          # above the maximum, and the same day as…
        "T1,张一,13800000001,2026年11月25日,4",  # …this one and the next (first = the previous row)
        "甲镇,张一,,2026-11-25,4",
    ])
    errors = check(db, ADMIN, text)
    assert [(e.row, e.code) for e in errors] == [
        (2, "row.unknown_unit"), (3, "row.unknown_person"), (4, "row.ambiguous_person"), (6, "row.inactive_person"),
        (7, "row.inactive_person"), (8, "row.bad_date"), (8, "row.negative"), (9, "row.future_date"),
        (9, "row.not_integer"), (10, "row.before_start"), (10, "row.empty_count"), (11, "row.above_max"),
        (12, "row.duplicate_entry"), (13, "row.duplicate_entry")]
    assert [e.params.get("first") for e in errors[-2:]] == [11, 12]


def reference_import(db, actor, text):
    """The old path: row-by-row validation, then installs.apply_reports, in one transaction."""
    from campaign.infra.db import write

    spec = features.import_kinds()["installs"]
    frame = read_table(Upload("installs.csv", text.encode("utf-8")), spec.columns, spec.required)
    plan, errors = reference_validate(db, actor, frame, settings.get_all(db))
    assert not errors
    with write(db):
        return installs.apply_reports(db, actor, plan, source="import")


def state(db):
    reports = db.execute("SELECT r.id, r.staff_id, r.day, r.installs, e.source, r.supersedes, r.superseded_by"
                         " FROM install_reports r JOIN entries e ON e.id = r.entry_id ORDER BY r.staff_id, r.day, r.id").fetchall()
    # ids may differ between the two paths: compare each chain by position instead
    position = {rid: i for i, (rid, *_) in enumerate(reports)}
    chains = [(s, d, n, src, position.get(a), position.get(b)) for _, s, d, n, src, a, b in reports]
    trail = db.execute("SELECT action, entity, entity_id, unit_id, old, new FROM audit WHERE entity = 'install_report'"
                       " ORDER BY entity_id, id").fetchall()
    people = db.execute("SELECT staff_id, installs FROM install_staff_totals ORDER BY staff_id").fetchall()
    return chains, trail, summaries.snapshot(db), people


def clean_file(rng, people, start, days):
    lines, seen = ["unit,name,phone,date,installs"], set()
    for _ in range(rng.randint(1, 120)):
        sid, code, name, phone = rng.choice(people)
        day = (start + dt.timedelta(days=rng.randrange(days))).isoformat()
        if (sid, day) not in seen:
            seen.add((sid, day))
            lines.append(f"{code},{name},{phone or ''},{day},{rng.choice([0, 1, 3, 10, 29, 30, 31, 45])}")
    return "\n".join(lines)


@pytest.mark.parametrize("seed", range(4))
def test_clean_files_write_what_the_row_by_row_path_wrote(tmp_path, seed, monkeypatch):

    monkeypatch.setattr(installs_bulk, "REBUILD_INDEXES_FROM", 20)  # the index-rebuilding branch too
    bulk, reference = features.connect(tmp_path / "bulk.db"), features.connect(tmp_path / "reference.db")
    for db in (bulk, reference):
        county_with_namesakes(db)
    people = bulk.execute("""SELECT s.id, u.code, s.name, s.phone FROM staff s JOIN units u ON u.id = s.unit_id
                             WHERE s.active = 1 AND (s.phone IS NOT NULL OR NOT EXISTS (SELECT 1 FROM staff o
                                   WHERE o.unit_id = s.unit_id AND o.name = s.name AND o.id <> s.id))
                             ORDER BY s.id""").fetchall()
    rng = random.Random(seed)
    for _ in range(5):  # later files correct earlier ones (some to 0), repeat values, add days
        text = clean_file(rng, people, dt.date(2026, 11, 20), 9)
        got = load(bulk, "installs", text).counts
        assert got == reference_import(reference, ADMIN, text)
        assert state(bulk) == state(reference)
        assert summaries.snapshot(bulk) == recomputed(bulk)
    indexes = {name for (name,) in bulk.execute("SELECT name FROM sqlite_master WHERE tbl_name = 'install_reports'"
                                                " AND type = 'index'")}
    assert indexes == {"install_reports_current"}


def test_a_large_first_import_rebuilds_the_indexes_and_keeps_one_current_report(db, monkeypatch):
    monkeypatch.setattr(installs_bulk, "REBUILD_INDEXES_FROM", 2)
    county_with_namesakes(db)
    text = "unit,name,date,installs\n甲镇,张一,2026-11-21,20\n甲镇,张一,2026-11-22,20\n甲镇,张二,2026-11-22,5"
    assert load(db, "installs", text).counts == {"new": 3, "corrected": 0, "unchanged": 0}
    assert db.execute("SELECT sql FROM sqlite_master WHERE name = 'install_reports_current'").fetchone()[0].endswith(
        "WHERE superseded_by IS NULL")
    # quota 30: 20 credited on the 21st, 10 on the 22nd; then a correction moves the quota day earlier
    load(db, "installs", "unit,name,date,installs\n甲镇,张一,2026-11-21,35\n甲镇,张二,2026-11-22,5")
    t1 = db.execute("SELECT id FROM units WHERE code = 'T1'").fetchone()[0]
    assert db.execute("SELECT day, installs, credited, at_quota FROM install_unit_days WHERE unit_id = ? ORDER BY day",
                      [t1]).fetchall() == [("2026-11-21", 35, 30, 1), ("2026-11-22", 25, 5, 0)]
    assert summaries.snapshot(db) == recomputed(db)
    old = db.execute("SELECT id, superseded_by FROM install_reports WHERE day = '2026-11-21' AND supersedes IS NULL").fetchone()
    new = db.execute("SELECT id, supersedes FROM install_reports WHERE day = '2026-11-21' AND superseded_by IS NULL").fetchone()
    assert old[1] == new[0] and new[1] == old[0]
    assert db.execute("SELECT old, new, unit_id FROM audit WHERE entity = 'install_report'").fetchall() == [("20", "35", t1)]
    assert count(db, "install_reports") == 4


def test_a_rejected_file_writes_nothing(db):
    county_with_namesakes(db)
    with pytest.raises(RowsRejected):
        load(db, "installs", "unit,name,date,installs\n甲镇,张一,2026-11-21,3\n甲镇,张一,2026-11-21,4")
    assert count(db, "install_reports") == 0 and summaries.snapshot(db) == recomputed(db)
    assert trail.imports(db).query("kind == 'installs'").empty


@pytest.mark.parametrize("data, cells", [
    ("\ufeff单位,姓名\n甲,乙\n".encode(), [("甲", "乙")]),               # Excel's UTF-8 BOM
    ("单位,姓名\n甲,乙\n".encode("gb18030"), [("甲", "乙")]),           # Excel's Chinese CSV
    ("单位,姓名\n甲,乙\n".encode("utf-16"), [("甲", "乙")]),            # Excel's "Unicode text"
    (b"unit,name\nNA,\n,null\n", [("NA", ""), ("", "null")]),           # no value is missing: NA stays text
    (b"unit,name\n\n a ,b\n,\n\nc,d\n", [("a", "b"), ("c", "d")]),       # blank lines, empty rows, spaces
    (b'unit,name\n"x\ny",z\nq,w\n', [("x y", "z"), ("q", "w")]),         # a newline inside quotes
    (b"unit,name,phone\nx,y\nq,w,e\n", [("x", "y"), ("q", "w")]),        # a short row (Arrow refuses it)
    (b"unit,name\nx,y,,\nq,w\n", [("x", "y"), ("q", "w")]),              # blank cells past the header
    (b"unit,,name\na,b,c\n", [("a", "c")]),                              # an empty header
    (b"unit,name\r\na,b\r\n", [("a", "b")]),                             # Windows line ends
    (b"unit,name\n   \na,b\n", [("a", "b")]),                            # a line of spaces
    (b'unit,name\n"a,b","c""d"\n', [("a,b", 'c"d')]),                    # quotes
    ("unit,name\n甲\u200b,乙\ufeff\n".encode(), [("甲", "乙")]),        # invisible characters dropped
    (b"unit,name\nx,y,z\nq,w\n", "file.ragged"),                         # a long row
    (b"unit,unit,name\na,b,c\n", "file.duplicate_columns"),              # a repeated header
    ("单位,unit,name\na,b,c\n".encode(), "file.duplicate_columns"),       # one column under two aliases
    (b"", "file.empty"), (b"\n\n \n", "file.empty"), (b"unit,name\n", []),  # nothing to read
    (("a," * 300 + "\n").encode(), "file.too_many_cells"),                # a column bomb
    (b"unit,name\n" + b"x," * 100_000 + b"\n", "file.too_many_cells"),
])
def test_csv_cells_are_read_as_text(data, cells):
    from campaign.infra.errors import FileRejected

    columns = {"unit": ("单位",), "name": ("姓名",)}
    try:
        frame = read_table(Upload("f.csv", data), columns, ("unit", "name"))
    except FileRejected as error:
        assert error.code == cells
    else:
        assert list(zip(frame["unit"], frame["name"])) == cells


@pytest.mark.parametrize("change", ["UPDATE staff SET active = 0 WHERE name = '张一'", "DELETE FROM staff WHERE name = '张一'"])
def test_people_gone_between_the_check_and_the_write_stop_the_import(db, monkeypatch, change):
    """The file is checked before the write lock is taken; the import turns SQLite's per-row foreign-key
    checks off and confirms its people inside the transaction instead."""
    from campaign.infra.errors import StaleData

    county_with_namesakes(db)
    spec = features.import_kinds()["installs"]
    checked = spec.validate

    def check_then_someone_changes_the_staff(*args):
        result = checked(*args)
        db.execute(change)  # another user, after the check
        return result

    monkeypatch.setattr(spec, "validate", check_then_someone_changes_the_staff)
    before = summaries.snapshot(db)
    with pytest.raises(StaleData) as raised:
        load(db, "installs", "unit,name,date,installs\n甲镇,张一,2026-11-21,3\n甲镇,张一,2026-11-22,4\n甲镇,张二,2026-11-22,5")
    assert (raised.value.code, raised.value.params) == ("error.staff_changed", {"count": 1})
    assert count(db, "install_reports") == 0 and summaries.snapshot(db) == before
    assert trail.imports(db).query("kind == 'installs'").empty
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1  # back on for every later write


def test_foreign_key_checks_are_off_only_inside_the_import(db, monkeypatch):
    county_with_namesakes(db)
    seen = []
    monkeypatch.setattr(installs_bulk, "_insert", lambda db, *a: seen.append(db.execute("PRAGMA foreign_keys").fetchone()[0]))
    load(db, "installs", "unit,name,date,installs\n甲镇,张一,2026-11-21,3")
    assert seen == [0] and db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    with pytest.raises(Exception, match="FOREIGN KEY"):  # every other write still checks each row
        db.execute("INSERT INTO install_reports (staff_id, day, installs) VALUES (999999, '2026-11-21', 1)")


def test_a_large_file_is_imported_by_a_worker_process_with_the_same_outcome(db, tmp_path, monkeypatch):
    county_with_namesakes(db)
    monkeypatch.setattr(imports, "LARGE_FILE", 40)  # bytes: every file below is "large"
    text = "unit,name,phone,date,installs\n甲镇,张一,,2026-11-21,3\n甲镇,张二,,2026-11-21,4"
    result = load(db, "installs", text)
    assert result.worker_peak_mb > 0  # answered by a worker, which measured itself
    assert result.counts == {"new": 2, "corrected": 0, "unchanged": 0}
    assert count(db, "install_reports") == 2 and summaries.snapshot(db) == recomputed(db)
    assert db.execute("SELECT kind, rows FROM imports ORDER BY id DESC").fetchone() == ("installs", 2)
    # Bad rows come back as the same RowsRejected, bad files as the same FileRejected; nothing is written.
    with pytest.raises(RowsRejected) as caught:
        load(db, "installs", "unit,name,date,installs\n甲镇,张一,2026-11-22,x\n乙镇,无名,2026-11-22,1")
    assert [(e.row, e.column, e.code, e.params) for e in caught.value.errors] == [
        (2, "installs", "row.not_integer", {"value": "x", "max": 200}), (3, "name", "row.unknown_person", {"value": "无名", "unit": "乙镇"})]
    with pytest.raises(FileRejected) as rejected:
        load(db, "installs", "unit,name,when,how many\n甲镇,张一,2026-11-22,1")
    assert rejected.value.code == "file.missing_columns" and rejected.value.params == {"columns": "date, installs"}
    assert count(db, "install_reports") == 2


def test_a_worker_that_dies_gives_a_clear_error():
    from campaign.infra import worker as import_worker

    assert import_worker.call(divmod, 7, 2) == (3, 1)
    with pytest.raises(ZeroDivisionError):  # the worker's exception, raised here
        import_worker.call(divmod, 7, 0)
    with pytest.raises(ImportStopped) as caught:  # killed as the kernel's out-of-memory killer would
        import_worker.call(_die)
    assert caught.value.code == "error.import_stopped"
    assert import_worker.call(divmod, 9, 4) == (2, 1)  # the server serves on



def test_the_import_server_starts_again_if_it_died_and_ends_with_the_app():
    from campaign.infra import worker as import_worker

    assert import_worker.call(divmod, 7, 2) == (3, 1)
    server, address = import_worker._server
    server.kill()
    server.wait()
    assert import_worker.call(divmod, 7, 2) == (3, 1)  # a new server, started on demand
    server, address = import_worker._server
    server.stdin.close()  # as when the app's process ends
    assert server.wait(10) == 0 and not os.path.exists(os.path.dirname(address))  # its socket is cleaned up
    assert import_worker.call(divmod, 7, 2) == (3, 1)


def _die():
    os.kill(os.getpid(), signal.SIGKILL)


def test_campaign_errors_survive_pickling():
    import pickle

    for error in (RowsRejected([RowError(2, "date", "row.bad_date", value="x")]), FileRejected("file.too_large", size=9, limit=1),
                  ImportStopped()):
        copy = pickle.loads(pickle.dumps(error))
        assert (type(copy), copy.code, copy.params, str(copy)) == (type(error), error.code, error.params, str(error))
    assert pickle.loads(pickle.dumps(RowsRejected([RowError(2, "date", "row.bad_date")]))).errors == [
        RowError(2, "date", "row.bad_date")]


def test_a_checkpoint_in_the_background_starts_after_the_commit_only(db, monkeypatch):
    import threading

    from campaign.infra import db as database

    started, during = [], []
    monkeypatch.setattr(database, "_checkpoint", started.append)
    with database.checkpoint_in_background(db), database.write(db):
        during.append(db.execute("PRAGMA wal_autocheckpoint").fetchone()[0])
        db.execute("INSERT INTO settings VALUES ('probe', '1')")
    [thread.join() for thread in threading.enumerate() if thread.name == database.CHECKPOINT_THREAD]
    assert during == [0] and started == [database.file_path(db)]  # the commit did not checkpoint; a thread did
    assert db.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000  # every other write checkpoints as usual
    with pytest.raises(ZeroDivisionError), database.checkpoint_in_background(db), database.write(db):
        1 / 0  # rolled back: nothing to checkpoint
    assert len(started) == 1 and db.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000
