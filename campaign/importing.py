"""Imports of units, staff and installs: every bad row explained, nothing written unless all is clean."""

import re
import resource
import tempfile
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from campaign import access, audit, clock, import_worker, installs_bulk, settings, summaries, units
from campaign import db as database
from campaign.db import checkpoint_in_background, write
from campaign.errors import FileRejected, RowError, RowsRejected
from campaign.tables import Upload, read_table

YES = {"1", "是", "在职", "yes", "y", "true", "active", "有效"}
NO = {"0", "否", "离职", "no", "n", "false", "inactive", "无效", "停用"}
PHONE = re.compile(r"^1\d{10}$")


@dataclass
class ImportKind:
    columns: dict  # canonical -> accepted headers (first alias is the Chinese template header)
    required: tuple
    validate: Callable  # (db, actor, frame, conf) -> (plan, errors)
    apply: Callable  # (db, actor, plan) -> counts dict
    example: list = field(default_factory=list)
    admin_only: bool = False
    roles: tuple = (access.ADMIN, *access.SCOPED)  # who may import this kind (scope is checked per row)
    # apply confirms every row's references itself inside the transaction (one set-based check),
    # so SQLite's per-row foreign-key checks are off for it (0.4 s of a million-row import).
    checks_references: bool = False


@dataclass
class ImportResult:
    kind: str
    rows: int
    counts: dict
    dry_run: bool
    worker_peak_mb: int | None = None  # a large file's worker process: its peak resident memory


def _positive_int(text):
    if text == "":
        return None, None
    try:
        number = float(text)
    except ValueError:
        return None, "row.not_integer"
    if number != int(number) or number < 1:
        return None, "row.not_positive_integer"
    return int(number), None


# ---- units -------------------------------------------------------------------------------

def validate_units(db, actor, frame, conf):
    errors, plan = [], []
    known = {code: uid for uid, code in db.execute("SELECT id, code FROM units")}
    names = units.lookup(db)
    file_codes = {}
    for row in frame.itertuples(index=False):
        r = row.line
        if not row.code:
            errors.append(RowError(r, "code", "row.missing"))
        elif row.code in file_codes:
            errors.append(RowError(r, "code", "row.duplicate_code", value=row.code, first=file_codes[row.code]))
        else:
            file_codes[row.code] = r
        if not row.name:
            errors.append(RowError(r, "name", "row.missing"))
        unit_type = units.parse_type(row.type)
        if unit_type is None:
            errors.append(RowError(r, "type", "row.unknown_type", value=row.type))
        quota, reason = _positive_int(row.quota)
        if reason:
            errors.append(RowError(r, "quota", reason, value=row.quota))
        plan.append((row.code, row.name, unit_type, row.parent, quota, r))
    in_file_names = {name: code for code, name, *_ in plan}
    for code, name, unit_type, parent, quota, r in plan:
        if parent and parent not in known and parent not in names and parent not in file_codes and parent not in in_file_names:
            errors.append(RowError(r, "parent", "row.unknown_unit", value=parent))
        if parent and parent in (code, name):
            errors.append(RowError(r, "parent", "row.own_parent", value=parent))
    return plan, errors


def apply_units(db, actor, plan):
    new = updated = 0
    for code, name, unit_type, _parent, quota, _r in plan:
        old = db.execute("SELECT id, name, type, quota FROM units WHERE code = ?", [code]).fetchone()
        if old is None:
            uid = db.execute(
                "INSERT INTO units (code, name, type, quota) VALUES (?, ?, ?, ?)", [code, name, unit_type, quota]
            ).lastrowid
            audit.record(db, actor, "create", "unit", code, unit_id=uid, new={"name": name, "type": unit_type, "quota": quota})
            new += 1
        elif (old[1], old[2], old[3]) != (name, unit_type, quota):
            db.execute("UPDATE units SET name = ?, type = ?, quota = ?, active = 1 WHERE id = ?", [name, unit_type, quota, old[0]])
            audit.record(db, actor, "update", "unit", code, unit_id=old[0],
                         old={"name": old[1], "type": old[2], "quota": old[3]},
                         new={"name": name, "type": unit_type, "quota": quota})
            updated += 1
    ids = units.lookup(db)
    file_ids = {code: ids[code] for code, *_ in plan}
    file_names = {name: ids[code] for code, name, *_ in plan}
    for code, _name, _type, parent, _quota, _r in plan:
        parent_id = file_ids.get(parent) or file_names.get(parent) or ids.get(parent) if parent else None
        db.execute("UPDATE units SET parent_id = ? WHERE code = ?", [parent_id, code])
    summaries.rebuild(db)  # issue 9: quotas and the tree decide every credited install
    return {"new": new, "updated": updated}


# ---- staff -------------------------------------------------------------------------------

def _scope_error(db, actor, uid, r, value):
    allowed = access.scope_units(db, actor)
    if allowed is not None and uid not in allowed:
        return RowError(r, "unit", "row.outside_scope", value=value)
    return None


def validate_staff(db, actor, frame, conf):
    errors, plan = [], []
    ids = units.lookup(db)
    seen = {}
    for row in frame.itertuples(index=False):
        r = row.line
        uid = ids.get(row.unit)
        if uid is None:
            errors.append(RowError(r, "unit", "row.unknown_unit", value=row.unit))
        elif (problem := _scope_error(db, actor, uid, r, row.unit)) is not None:
            errors.append(problem)
        if not row.name:
            errors.append(RowError(r, "name", "row.missing"))
        phone = re.sub(r"[\s-]", "", row.phone)
        if phone and not PHONE.match(phone):
            errors.append(RowError(r, "phone", "row.bad_phone", value=row.phone))
        key = (row.unit, row.name, phone)
        if key in seen:
            errors.append(RowError(r, "name", "row.duplicate_person", value=row.name, first=seen[key]))
        else:
            seen[key] = r
        active = row.active.lower()
        if active and active not in YES | NO:
            errors.append(RowError(r, "active", "row.bad_flag", value=row.active))
        quota, reason = _positive_int(row.quota)
        if reason:
            errors.append(RowError(r, "quota", reason, value=row.quota))
        plan.append((uid, row.name, phone or None, 0 if active in NO else 1, quota))
    return plan, errors


def apply_staff(db, actor, plan):
    from campaign.staff import index_by_unit_and_name

    existing = index_by_unit_and_name(db)
    new = updated = 0
    for uid, name, phone, active, quota in plan:
        matches = existing.get((uid, name), [])
        match = [sid for sid, p in matches if p == phone] or ([matches[0][0]] if len(matches) == 1 and not phone else [])
        if match:
            old = db.execute("SELECT phone, active, quota FROM staff WHERE id = ?", [match[0]]).fetchone()
            if tuple(old) != (phone, active, quota):
                db.execute("UPDATE staff SET phone = ?, active = ?, quota = ? WHERE id = ?", [phone, active, quota, match[0]])
                audit.record(db, actor, "update", "staff", match[0], unit_id=uid,
                             old={"phone": old[0], "active": old[1], "quota": old[2]},
                             new={"phone": phone, "active": active, "quota": quota})
                updated += 1
        else:
            sid = db.execute(
                "INSERT INTO staff (unit_id, name, phone, active, quota) VALUES (?, ?, ?, ?, ?)",
                [uid, name, phone, active, quota],
            ).lastrowid
            existing.setdefault((uid, name), []).append((sid, phone))
            new += 1
    if new:
        audit.record(db, actor, "create", "staff", None, detail={"rows": new})
    if new or updated:
        summaries.rebuild(db)  # issue 9: quotas and active flags decide every credited install
    return {"new": new, "updated": updated}


# ---- installs ----------------------------------------------------------------------------

def validate_installs(db, actor, frame, conf):
    return installs_bulk.validate_import(db, actor, frame, conf)


def apply_installs(db, actor, plan):
    return installs_bulk.apply_import(db, actor, plan, source="import")


CORE_KINDS = {
    "units": ImportKind(
        columns={"code": ("编码", "单位编码", "代码"), "name": ("名称", "单位名称", "单位"), "type": ("类型", "单位类型"),
                 "parent": ("上级", "上级单位"), "quota": ("任务数", "指标", "定额")},
        required=("code", "name", "type"),
        validate=validate_units, apply=apply_units, admin_only=True,
        example=[["D900", "县示例局", "县直单位", "QN", ""]],
    ),
    "staff": ImportKind(
        columns={"unit": ("单位", "单位名称"), "name": ("姓名",), "phone": ("手机号", "手机", "电话", "联系电话"),
                 "active": ("在职", "状态"), "quota": ("任务数", "指标", "定额")},
        required=("unit", "name"),
        validate=validate_staff, apply=apply_staff, roles=(access.ADMIN, access.COORDINATOR),
        example=[["县示例局", "张三", "13800000000", "是", ""]],
    ),
    "installs": ImportKind(
        columns={"unit": ("单位", "单位名称"), "name": ("姓名",), "phone": ("手机号", "手机", "电话"),
                 "date": ("日期",), "installs": ("安装数", "安装数量", "推广数")},
        required=("unit", "name", "date", "installs"),
        validate=validate_installs, apply=apply_installs, roles=(access.ADMIN, access.COORDINATOR),
        example=[["县示例局", "张三", "", "2026-11-01", "3"]], checks_references=True,
    ),
}


# Feature modules that define IMPORT_KINDS = {name: ImportKind(...)} of their own.
FEATURE_MODULES: tuple[str, ...] = ("campaign.coverage_import", "campaign.outreach_registry", "campaign.supervision", "campaign.letters")


def kinds() -> dict[str, ImportKind]:
    """Every import kind: the core ones and each feature module's."""
    import importlib

    merged = dict(CORE_KINDS)
    for name in FEATURE_MODULES:
        merged.update(importlib.import_module(name).IMPORT_KINDS)
    return merged


def run_import(db, actor, kind: str, upload: Upload, *, dry_run=False, options=None) -> ImportResult:
    """Check a file and, when every row is clean and not dry_run, write it in one transaction.

    `options` are a kind's own choices (e.g. the date of a snapshot), seen by validate as conf["options"].
    Raises FileRejected (unreadable file) or RowsRejected (every bad row); then nothing is written.
    """
    spec = kinds()[kind]
    if spec.admin_only:
        access.require_admin(actor)
    access.require_role(actor, spec.roles)
    path = database.file_path(db)
    if len(upload.data) >= LARGE_FILE and path:
        return _in_worker(path, actor, kind, upload, dry_run, options)
    return _run_import(db, actor, kind, spec, upload, dry_run, options)


# A file this large (~90,000 install rows, a city's day) is checked and written by a worker process
# (campaign.import_worker): its working memory, ~20× the file (a 20 MB file: ~430 MB), never lands in
# the app's process (issue 9: under 400 MB), is all given back when the worker ends, and an import that
# runs out of memory ends only the worker.
LARGE_FILE = 4 * 1024 * 1024


def _in_worker(path, actor, kind, upload, dry_run, options) -> ImportResult:
    with tempfile.TemporaryDirectory(prefix="campaign-upload-") as folder:
        staged = Path(folder) / "upload"  # the file goes over as a path, not as a 20 MB pickle
        staged.write_bytes(upload.data)
        return import_worker.call(_work, path, actor, kind, upload.name, str(staged), dry_run, options)


def _work(path, actor, kind, name, staged, dry_run, options) -> ImportResult:
    """In a worker process: the import on its own connection, its WAL checkpoint after it answers."""
    db = database.connect(path, migrate_schema=False)
    try:
        upload = Upload(name, Path(staged).read_bytes())
        result = _run_import(db, actor, kind, kinds()[kind], upload, dry_run, options, checkpoint=True)
        result.worker_peak_mb = _peak_mb()
        return result
    finally:
        db.conn.close()


def _peak_mb() -> int:
    """This process's peak resident memory: VmHWM where Linux shows it (ru_maxrss also counts the memory of
    the process that started the import server, at the moment it did)."""
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) // 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def _run_import(db, actor, kind, spec, upload, dry_run, options, *, checkpoint=False) -> ImportResult:
    conf = settings.get_all(db)
    frame = read_table(upload, spec.columns, spec.required, max_bytes=conf["upload_max_mb"] * 1024 * 1024)
    name, sha = upload.name, upload.sha256
    if frame.empty:
        raise FileRejected("file.empty")
    plan, errors = spec.validate(db, actor, frame, {**conf, "options": {"filename": name, **(options or {})}})
    if errors:
        raise RowsRejected(sorted(errors, key=lambda e: e.row))
    if dry_run:
        return ImportResult(kind, len(frame), {}, True)
    with checkpoint_in_background(db) if checkpoint else nullcontext(), write(db, foreign_keys=not spec.checks_references):
        counts = spec.apply(db, actor, plan)
        db.execute(
            "INSERT INTO imports (at, actor, kind, filename, sha256, rows) VALUES (?, ?, ?, ?, ?, ?)",
            [clock.stamp(), actor.name, kind, name, sha, len(frame)],
        )
        audit.record(db, actor, "import", kind, name, detail={"sha256": sha, "rows": len(frame), **counts})
    return ImportResult(kind, len(frame), counts, False)


def template(kind: str, lang: str = "zh") -> bytes:
    """A CSV template for one import kind, with an example row."""
    from campaign.tables import template_csv

    spec = kinds()[kind]
    return template_csv(spec.columns, spec.example, lang)
