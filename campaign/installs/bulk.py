"""Checking and writing an import's install reports in bulk (issue 9: a million rows in seconds, not minutes).

The outcome is that of `installs.apply_reports`, row for row: a new (person, day) is inserted; a
changed value supersedes the current report (both stay, linked both ways, and an audit row keeps
the old and the new value); an equal value is left alone; the summaries move by the difference in
the same transaction. Only the way differs: the touched people's current reports are read in two
queries, the rows are classified with numpy, written with executemany / INSERT … SELECT, and the
summary differences are computed for every touched person at once (`summaries.contributions_of`).
"""

import json
import re
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from itertools import chain

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from campaign.infra import audit, clock, settings
from campaign.infra.errors import RowError, StaleData
from campaign.infra.parse import parse_date
from campaign.installs import entries as installs
from campaign.installs import summaries
from campaign.org import access, units

# An insert of at least this many rows into a table holding no more rows than that drops the
# table's indexes and builds them again afterwards: sorting once is ~2× cheaper than a million
# B-tree inserts (the city generator loads its reports the same way).
REBUILD_INDEXES_FROM = 100_000
ROWS_PER_INSERT = 100
CACHE_KIB = 128 * 1024  # the most page cache a bulk write takes (~128 bytes a row): a million rows' pages stay in memory

FILE_COLUMNS = ("unit", "name", "phone", "date", "installs")
# Who a row names, as problem numbers (0: a known active person).
PERSON_PROBLEMS = {1: ("unit", "row.unknown_unit"), 2: ("unit", "row.outside_scope"), 3: ("name", "row.unknown_person"),
                   4: ("name", "row.ambiguous_person"), 5: ("name", "row.inactive_person")}


def validate_import(db, actor, frame: pd.DataFrame, conf: dict) -> tuple[pd.DataFrame, list]:
    """Check an installs file column by column; the plan (staff_id, day, installs, unit_id) and every RowError.

    The rules and the errors are those of a row-by-row check, in the same order: the unit (known,
    in the actor's scope), the person (by name in that unit, narrowed by the phone when one is
    given: none, several or an inactive one is an error), the date (a date, not in the future, not
    before the campaign start, not locked), the count (an integer in 0..max_daily_installs), and a
    second row for the same person and day (`first` = the previous such row).
    """
    lines = frame["line"].to_numpy(dtype=np.int64)
    # Each column's distinct texts and every row's code among them: every later check judges a
    # distinct text once. (Two at a time in threads saves ~0.1 s a million rows but costs ~25 MB.)
    distinct = {column: pd.factorize(frame[column]) for column in FILE_COLUMNS}
    sid, uid, problem = _people(db, actor, frame, distinct)
    errors = []
    for row in np.flatnonzero(problem):  # file order
        column, code = PERSON_PROBLEMS[problem[row]]
        unit, name = frame["unit"].iat[row], frame["name"].iat[row]
        params = {"value": unit} if column == "unit" else {"value": name, "unit": unit} if problem[row] < 5 else {"value": name}
        errors.append(RowError(int(lines[row]), column, code, **params))

    now, start, max_daily = clock.now(), clock.as_date(conf["start_date"]), conf["max_daily_installs"]
    windows = installs.unlocked_units(db, actor, now)  # issue 20: locked days an administrator opened for some units

    def when(text):  # -> (date or None, error or None)
        day = parse_date(text)
        if day is None:
            return None, ("date", "row.bad_date", {"value": text})
        if day > now.date():
            return day, ("date", "row.future_date", {"value": day.isoformat()})
        if day < start:
            return day, ("date", "row.before_start", {"value": day.isoformat(), "start": start.isoformat()})
        if installs.day_state(conf, actor, day, now) == "locked" and day.isoformat() not in windows:
            return day, ("date", "row.day_locked", {"value": day.isoformat()})
        return day, None

    def count(text):  # -> (installs or -1, error or None)
        number, reason = installs.check_value(text, max_daily)
        return (-1, ("installs", reason, {"value": text, "max": max_daily})) if reason else (number, None)

    verdicts = {}
    for column, check in (("date", when), ("installs", count)):  # each distinct text judged once
        codes, values = distinct[column]
        judged = [check(value) for value in values.tolist()]
        verdicts[column] = codes, judged
        bad = np.array([error is not None for _, error in judged] + [False], dtype=bool)
        for row in np.flatnonzero(bad[codes]):
            where, code, params = judged[codes[row]][1]
            errors.append(RowError(int(lines[row]), where, code, **params))
        if column == "date" and windows:  # a locked day opened for some units (issue 20): still locked for the others
            for position, (day, error) in enumerate(judged):
                if error is None and day.isoformat() in windows and installs.day_state(conf, actor, day, now) == "locked":
                    shut = np.flatnonzero((codes == position) & ~np.isin(uid, list(windows[day.isoformat()])))
                    errors.extend(RowError(int(lines[row]), "date", "row.day_locked", value=day.isoformat()) for row in shut)
    codes, judged = verdicts["date"]
    ordinal = np.array([d.toordinal() if d else -1 for d, _ in judged] + [-1], dtype=np.int64)[codes]
    # The plan's day column is categorical: a million dates cost a million small integers, not strings.
    calendar = sorted({d for d, _ in judged if d})
    category = np.array([calendar.index(d) if d else -1 for d, _ in judged] + [-1], dtype=np.int64)[codes]
    codes, judged = verdicts["installs"]
    number = np.array([n for n, _ in judged] + [-1], dtype=np.int64)[codes]

    # A person's second report for a day in the same file (first = the previous such row).
    rows = np.flatnonzero((sid >= 0) & (ordinal >= 0))
    key = sid[rows] * 4_000_000 + ordinal[rows]  # ordinals stay below 3,652,060 (year 9999)
    order = np.argsort(key, kind="stable")
    repeat = np.flatnonzero(np.diff(key[order]) == 0) + 1
    for row, first in sorted(zip(rows[order[repeat]].tolist(), rows[order[repeat - 1]].tolist())):
        errors.append(RowError(int(lines[row]), "date", "row.duplicate_entry", value=frame["name"].iat[row],
                               first=int(lines[first])))
    errors.sort(key=lambda error: error.row)  # stable: a row's errors stay in column order
    day = pd.Categorical.from_codes(category[rows], [d.isoformat() for d in calendar])
    plan = pd.DataFrame({"staff_id": sid[rows], "day": day, "installs": number[rows], "unit_id": uid[rows]})
    return plan, errors


def _people(db, actor, frame, distinct) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row: the staff id (-1 if none), the unit id (-1 if unknown) and a PERSON_PROBLEMS number (0 if none).

    Names and phones become integer codes shared by the file and the staff table, so matching a
    million rows against every person is a few numpy lookups. `distinct`: column -> pd.factorize of it.
    """
    n = len(frame)
    ids = units.lookup(db)
    unit_codes, unit_values = distinct["unit"]
    uid = np.array([ids.get(u, -1) for u in unit_values.tolist()] + [-1], dtype=np.int64)[unit_codes]
    problem = np.where(uid < 0, 1, 0).astype(np.int8)
    allowed = access.scope_units(db, actor)
    if allowed is not None:
        problem[(uid >= 0) & ~np.isin(uid, np.array(sorted(allowed), dtype=np.int64))] = 2

    (name_codes, names), (phone_codes, phones) = distinct["name"], distinct["phone"]
    # Names compare as campaign.infra.parse.key does (full-width and half-width forms alike, case folded).
    folded, names = pd.factorize(np.array(_folded(names.tolist()) + [""], dtype=object))
    name_codes = folded[:-1][name_codes] if len(name_codes) else name_codes
    # "138 0000-0000" counts as 13800000000; a phone narrows the person only when one is left.
    cleaned = [p if p.isdigit() else re.sub(r"[\s-]", "", p) for p in phones.tolist()]
    clean_codes, clean = pd.factorize(np.array(cleaned + [""], dtype=object))
    row_phone = clean_codes[:-1][phone_codes] if len(phones) else np.zeros(n, dtype=np.int64)
    has_phone = np.array([bool(p) for p in clean.tolist()], dtype=bool)[row_phone]

    # Every person (namesakes and inactive ones included), one JSON array per column: 3× faster than row tuples.
    s_id, s_uid, s_name, s_phone, s_active = (json.loads(column) for column in db.execute(
        "SELECT json_group_array(id), json_group_array(unit_id), json_group_array(name), json_group_array(phone),"
        " json_group_array(active) FROM staff").fetchone())
    s_id, s_active = np.array(s_id, dtype=np.int64), np.array(s_active, dtype=bool)
    s_name_code, s_phone_code = _positions(_folded(s_name), names.tolist()), _positions(s_phone, clean.tolist())
    # Keys (unit, name) and (unit, name, phone) as integers, for the file (first n) and the staff.
    by_name = (np.concatenate([uid, np.array(s_uid, dtype=np.int64)]) + 1) * (len(names) + 1) \
        + np.concatenate([name_codes, s_name_code])
    if by_name.max(initial=0) >= 2**62 // (len(clean) + 1):  # unit ids beyond any real database: renumber
        by_name = pd.factorize(by_name)[0]
    by_phone = by_name * (len(clean) + 1) + np.concatenate([row_phone, s_phone_code])
    unusable = np.concatenate([uid < 0, s_name_code < 0])  # staff whose name is not in the file match no row
    by_name[unusable] = -1
    by_phone[unusable | np.concatenate([np.zeros(n, dtype=bool), s_phone_code < 0])] = -1

    sid = np.full(n, -1, dtype=np.int64)
    for keys, rows in ((by_name, ~has_phone), (by_phone, has_phone)):
        staff_keys = keys[n:]
        usable = np.flatnonzero(staff_keys >= 0)
        uniq, first, counts = np.unique(staff_keys[usable], return_index=True, return_counts=True)
        targets = np.flatnonzero(rows & (problem == 0))
        if not len(uniq):  # nobody on the staff list matches
            problem[targets] = 3
            continue
        at = np.searchsorted(uniq, keys[targets]).clip(max=len(uniq) - 1)
        matched = np.where(uniq[at] == keys[targets], counts[at], 0)
        problem[targets[matched == 0]] = 3
        problem[targets[matched > 1]] = 4
        single = targets[matched == 1]
        person = usable[first[at[matched == 1]]]
        inactive = ~s_active[person]
        problem[single[inactive]] = 5
        sid[single[~inactive]] = s_id[person[~inactive]]
    return sid, uid, problem


def _folded(values: list) -> list:
    """Names as campaign.infra.parse.key compares them, a whole column at once (Arrow)."""
    folded = pc.utf8_lower(pc.utf8_trim_whitespace(pc.utf8_normalize(pa.array(values, type=pa.string()), "NFKC")))
    return folded.to_pylist()


def _positions(values: list, among: list) -> np.ndarray:
    """Each value's position in the distinct strings `among` (-1 where absent or None)."""
    found = pc.index_in(pa.array(values, type=pa.string()), value_set=pa.array(among, type=pa.string()))
    return pc.fill_null(found, -1).to_numpy(zero_copy_only=False).astype(np.int64)


def apply_import(db, actor, plan: pd.DataFrame, *, source: str = "import") -> dict:
    """Write validated rows (columns staff_id, day, installs, unit_id) inside the caller's transaction.

    Returns counts of new, corrected and unchanged rows.
    """
    conf = settings.get_all(db)
    start = conf["start_date"]
    sid = plan["staff_id"].to_numpy(dtype=np.int64)
    count = plan["installs"].to_numpy(dtype=np.int64)
    plan_day = plan["day"].astype("category")  # categories in calendar order (ISO dates)
    codes, uniques = plan_day.cat.codes.to_numpy(dtype=np.int64), plan_day.cat.categories.tolist()
    # The file's people were matched before the write lock was taken: confirm, inside the transaction,
    # that each is still on the active staff list. This one set-based check stands in for SQLite's
    # per-row foreign-key checks, which the import turns off (ImportKind.checks_references).
    people = summaries.active_quotas(db)
    gone = np.unique(sid[~np.isin(sid, people[0])])
    if len(gone):
        raise StaleData("error.staff_changed", count=len(gone))
    # ~128 bytes of pages per row, within CACHE_KIB, from the first read of the people's reports to
    # the last write: a file of corrections touches pages all over the reports and their indexes.
    with _page_cache(db, min(CACHE_KIB, max(2048, len(sid) // 8))):
        return _apply(db, actor, source, plan, sid, count, codes, uniques, start, people)


@contextmanager
def _page_cache(db, kib: int):
    previous = db.execute("PRAGMA cache_size").fetchone()[0]
    db.execute(f"PRAGMA cache_size = -{kib}")
    try:
        yield
    finally:
        db.execute(f"PRAGMA cache_size = {previous}")


def _apply(db, actor, source, plan, sid, count, codes, uniques, start, people) -> dict:
    held, base = _held(db, sid, codes, uniques, start)

    # Days as integers in calendar order, for keys and sorting.
    days = sorted(set(uniques) | set(held["day"]))
    number = {text: i for i, text in enumerate(days)}
    day_code = np.array([number[text] for text in uniques] + [-1], dtype=np.int64)[codes]
    day = np.array(days + [""], dtype=object)[day_code]
    held_code = np.array([number[text] for text in held["day"]], dtype=np.int64)
    width = max(len(days), 1)
    where = (pd.Index(held["staff_id"] * width + held_code).get_indexer(sid * width + day_code) if len(held_code)
             else np.full(len(sid), -1, dtype=np.int64))  # each row's current report, if any
    found = where >= 0
    old = np.full(len(sid), -1, dtype=np.int64)
    old[found] = held["installs"][where[found]]
    fresh, corrected = ~found, found & (old != count)

    # The summaries' differences are numpy work on what was read above: the second core does them
    # while SQLite writes the rows (both release the GIL for their long steps).
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(_summary_changes, people, days, start, held, held_code, where, sid, day_code, count, base)
        entry = installs.new_entry(db, actor, source) if fresh.any() or corrected.any() else None
        # Rows in the index's order (person, day): each of its pages is visited once, not once a row.
        order = np.lexsort((day_code, sid))
        fix, new = order[corrected[order]], order[fresh[order]]
        if len(fix):
            _supersede(db, actor, entry, plan.iloc[fix], held["id"][where[fix]], old[fix])
        _insert(db, entry, sid[new], day[new], count[new])
        touched, change, differences = pending.result()
    summaries.add_staff_installs(db, touched, change)
    summaries.add_differences(db, differences)
    new, fixed = int(fresh.sum()), int(corrected.sum())
    return {"new": new, "corrected": fixed, "unchanged": len(plan) - new - fixed}


def _summary_changes(people, days, start, held, held_code, where, sid, day_code, count, base):
    """What the write changes in the summaries: the touched people and their counted totals' change,
    and the (unit_id, day, installs, credited, at_quota, reports) differences, from each touched
    person's figures before and after (from their first day in the file)."""
    found = where >= 0
    width = max(len(days), 1)
    counted = np.array([text >= start for text in days], dtype=bool)
    keep = counted[held_code]
    *before, before_people, before_sums = summaries.contributions_of(
        people, held["staff_id"][keep], held_code[keep], held["installs"][keep], base)
    stays = np.ones(len(held_code), dtype=bool)
    stays[where[found]] = False  # held values the file replaces (or repeats)
    keep_held, keep_plan = stays & keep, counted[day_code]
    *after, after_people, after_sums = summaries.contributions_of(
        people,
        np.concatenate([held["staff_id"][keep_held], sid[keep_plan]]),
        np.concatenate([held_code[keep_held], day_code[keep_plan]]),
        np.concatenate([held["installs"][keep_held], count[keep_plan]]),
        base,
    )
    # Each person's counted total (install_staff_totals) moves by their rows' after − before.
    touched = np.union1d(after_people, before_people)
    change = np.zeros(len(touched), dtype=np.int64)
    change[np.searchsorted(touched, after_people)] += after_sums
    change[np.searchsorted(touched, before_people)] -= before_sums
    # Each (unit, day) moves by after − before.
    unit, day_of, figures = (np.concatenate([a, b]) for a, b in zip(after, before))
    figures[len(after[0]):] *= -1
    keys, inverse = np.unique(unit * width + day_of, return_inverse=True)
    diff = np.zeros((len(keys), 4), dtype=np.int64)
    np.add.at(diff, inverse, figures)
    return touched, change, [(k // width, days[k % width], *f) for k, f in zip(keys.tolist(), diff.tolist())]


def _held(db, sid, codes, uniques, start) -> tuple[dict, dict]:
    """The current reports of the file's people on or after their first day in the file (numpy
    columns id, staff_id, day, installs), and each person's counted total before that day."""
    empty = {"id": np.zeros(0, dtype=np.int64), "staff_id": np.zeros(0, dtype=np.int64), "day": [],
             "installs": np.zeros(0, dtype=np.int64)}
    if not installs.has_reports(db):
        return empty, {}
    first = pd.Series(codes).groupby(sid).min().map(dict(enumerate(uniques)))
    db.execute("CREATE TEMP TABLE IF NOT EXISTS _bulk_people (staff_id INTEGER PRIMARY KEY, first_day TEXT NOT NULL)")
    db.execute("DELETE FROM temp._bulk_people")
    db.conn.executemany("INSERT INTO temp._bulk_people VALUES (?, ?)", zip(first.index.tolist(), first.tolist()))
    # CROSS JOIN: the people outer, each seeking their rows in the one-current-report index.
    rows = db.execute(
        "SELECT r.id, r.staff_id, r.day, r.installs FROM temp._bulk_people p CROSS JOIN install_reports r"
        " ON r.staff_id = p.staff_id WHERE r.superseded_by IS NULL AND r.day >= p.first_day"
    ).fetchall()
    # Each person's counted total before their first day: their kept total (install_staff_totals) less
    # what the rows just read count. Reading the earlier reports instead would fetch ~4× as many rows.
    base = dict(db.execute("SELECT t.staff_id, t.installs FROM temp._bulk_people p"
                           " JOIN install_staff_totals t ON t.staff_id = p.staff_id"))
    db.execute("DELETE FROM temp._bulk_people")
    for _id, person, day, count in rows:
        if day >= start:
            base[person] = base.get(person, 0) - count
    if not rows:
        return empty, base
    ids, staff, days, counts = zip(*rows)
    return {"id": np.array(ids, dtype=np.int64), "staff_id": np.array(staff, dtype=np.int64), "day": list(days),
            "installs": np.array(counts, dtype=np.int64)}, base


def _supersede(db, actor, entry, rows: pd.DataFrame, old_ids, old_counts) -> None:
    """New reports for corrected (person, day) pairs, each superseding the current one."""
    db.execute("CREATE TEMP TABLE IF NOT EXISTS _bulk_fix (old_id INTEGER, staff_id INTEGER, day TEXT, installs INTEGER)")
    db.execute("DELETE FROM temp._bulk_fix")
    sid, day, count = rows["staff_id"].tolist(), rows["day"].tolist(), rows["installs"].tolist()
    db.conn.executemany("INSERT INTO temp._bulk_fix VALUES (?, ?, ?, ?)", zip(old_ids.tolist(), sid, day, count))
    # Mark the old reports first (pointing at themselves) so the one-current-report index allows the new ones.
    db.execute("UPDATE install_reports SET superseded_by = id WHERE id IN (SELECT old_id FROM temp._bulk_fix)")
    last = db.execute("SELECT COALESCE(MAX(id), 0) FROM install_reports").fetchone()[0]
    db.execute(
        "INSERT INTO install_reports (staff_id, day, installs, entry_id, supersedes)"
        " SELECT staff_id, day, installs, ?, old_id FROM temp._bulk_fix ORDER BY rowid",
        [entry],
    )
    db.execute(
        "UPDATE install_reports SET superseded_by = new.id FROM (SELECT id, supersedes FROM install_reports WHERE id > ?)"
        " AS new WHERE install_reports.id = new.supersedes",
        [last],
    )
    db.execute("DELETE FROM temp._bulk_fix")
    audit.record_many(db, actor, "enter", "install_report", zip(
        (f"{s}/{d}" for s, d in zip(sid, day)), rows["unit_id"].tolist(), old_counts.tolist(), count))


def _insert(db, entry, sid, day, count) -> None:
    """Insert new reports; a large load into a small table rebuilds the table's indexes afterwards."""
    if not len(sid):
        return
    existing = db.execute("SELECT COALESCE(MAX(id), 0) FROM install_reports").fetchone()[0]  # about the row count
    indexes = []
    if len(sid) >= REBUILD_INDEXES_FROM and len(sid) >= existing:
        indexes = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'"
                             " AND tbl_name = 'install_reports' AND sql IS NOT NULL").fetchall()
        for name, _sql in indexes:
            db.execute(f'DROP INDEX "{name}"')
    # Many rows per statement, the entry as a literal: a third of the cost of one row per step.
    head = "INSERT INTO install_reports (staff_id, day, installs, entry_id) VALUES "
    row = f"(?, ?, ?, {int(entry)})"

    def values(lo, hi):  # Python objects for a slab of rows only, not for a million at once
        return list(chain.from_iterable(zip(sid[lo:hi].tolist(), day[lo:hi].tolist(), count[lo:hi].tolist())))

    def statements(full):
        step, slab = 3 * ROWS_PER_INSERT, 500 * ROWS_PER_INSERT
        for lo in range(0, full, slab):
            flat = values(lo, min(lo + slab, full))
            yield from (flat[i : i + step] for i in range(0, len(flat), step))

    full = len(sid) - len(sid) % ROWS_PER_INSERT
    db.conn.executemany(head + ", ".join([row] * ROWS_PER_INSERT), statements(full))
    if full < len(sid):
        db.execute(head + ", ".join([row] * (len(sid) - full)), values(full, len(sid)))
    for _name, sql in indexes:
        db.execute(sql)
