"""Imports of the units tree and its staff: every bad row explained, nothing written unless all is clean."""

import re

from campaign.infra import audit, hooks
from campaign.infra.errors import RowError
from campaign.infra.imports import ImportKind
from campaign.infra.parse import NO, PHONE, YES, key, positive_int
from campaign.org import access, quotas, staff, units

# ---- units -------------------------------------------------------------------------------

def validate_units(db, actor, frame, conf):
    errors, plan = [], []
    existing = {key(code): (uid, code, kind) for uid, code, kind in db.execute("SELECT id, code, type FROM units")}
    names = units.lookup(db)
    file_codes, claims = {}, []
    for row in frame.itertuples(index=False):
        r = row.line
        own = existing.get(key(row.code)) if row.code else None
        code = own[1] if own else row.code  # the code as stored: "t01" names the unit T01
        if not row.code:
            errors.append(RowError(r, "code", "row.missing"))
        elif key(code) in file_codes:
            errors.append(RowError(r, "code", "row.duplicate_code", value=row.code, first=file_codes[key(code)]))
        else:
            file_codes[key(code)] = r
        if not row.name:
            errors.append(RowError(r, "name", "row.missing"))
        unit_type = units.parse_type(row.type)
        if unit_type is None:
            errors.append(RowError(r, "type", "row.unknown_type", value=row.type))
        elif own and own[2] != unit_type and not {own[2], unit_type} <= set(units.ORG_TYPES):
            # a school, a grid… belongs to its registry (with its attributes): the units file cannot retype it
            errors.append(RowError(r, "type", "row.type_change", value=code, old=own[2], new=unit_type))
        quota, reason = positive_int(row.quota, conf["max_quota"])
        if reason:
            errors.append(RowError(r, "quota", reason, value=row.quota, max=conf["max_quota"]))
        why = _quota_reason(quota, row.quota_reason, conf, r, errors)
        plan.append((code, row.name, unit_type, row.parent, quota, r, why))
        claims.append((r, code, row.name, unit_type, own[0] if own else None))
    errors += [RowError(r, column, reason, **params) for r, column, reason, params in units.Names(db).clashes(claims)]
    in_file_names = {key(name) for _code, name, *_ in plan}
    for code, name, unit_type, parent, quota, r, _why in plan:
        if parent and parent not in names and key(parent) not in file_codes and key(parent) not in in_file_names:
            errors.append(RowError(r, "parent", "row.unknown_unit", value=parent))
        if parent and key(parent) in (key(code), key(name)):
            errors.append(RowError(r, "parent", "row.own_parent", value=parent))
    return plan, errors


def apply_units(db, actor, plan):
    new = updated = 0
    for code, name, unit_type, _parent, quota, _r, why in plan:
        old = db.execute("SELECT id, name, type, quota, quota_reason FROM units WHERE code = ?", [code]).fetchone()
        if old is None:
            uid = db.execute(
                "INSERT INTO units (code, name, type, quota, quota_reason) VALUES (?, ?, ?, ?, ?)",
                [code, name, unit_type, quota, why]).lastrowid
            audit.record(db, actor, "create", "unit", code, unit_id=uid,
                         new={"name": name, "type": unit_type, "quota": quota, "quota_reason": why})
            new += 1
        elif tuple(old[1:]) != (name, unit_type, quota, why):
            db.execute("UPDATE units SET name = ?, type = ?, quota = ?, quota_reason = ?, active = 1 WHERE id = ?",
                       [name, unit_type, quota, why, old[0]])
            audit.record(db, actor, "update", "unit", code, unit_id=old[0],
                         old={"name": old[1], "type": old[2], "quota": old[3], "quota_reason": old[4]},
                         new={"name": name, "type": unit_type, "quota": quota, "quota_reason": why})
            updated += 1
    ids = units.lookup(db)
    file_ids = {key(code): ids[code] for code, *_ in plan}
    file_names = {key(name): ids[code] for code, name, *_ in plan}
    for code, _name, _type, parent, *_ in plan:
        parent_id = file_ids.get(key(parent)) or file_names.get(key(parent)) or ids.get(parent) if parent else None
        db.execute("UPDATE units SET parent_id = ? WHERE code = ?", [parent_id, code])
    hooks.call(hooks.UNITS_CHANGED, db)  # quotas and the tree decide every credited install
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
        person = (uid, key(row.name), phone)
        if person in seen:
            errors.append(RowError(r, "name", "row.duplicate_person", value=row.name, first=seen[person]))
        else:
            seen[person] = r
        active = row.active.lower()
        if active and active not in YES | NO:
            errors.append(RowError(r, "active", "row.bad_flag", value=row.active))
        quota, reason = positive_int(row.quota, conf["max_quota"])
        if reason:
            errors.append(RowError(r, "quota", reason, value=row.quota, max=conf["max_quota"]))
        why = _quota_reason(quota, row.quota_reason, conf, r, errors)
        plan.append((uid, row.name, phone or None, 0 if active in NO else 1, quota, why))
    return plan, errors


def apply_staff(db, actor, plan):
    existing = staff.index_by_unit_and_name(db)
    new = updated = 0
    lowered = []  # new people with a quota below the guidance: audited one by one, with the reason
    for uid, name, phone, active, quota, why in plan:
        matches = existing.get((uid, key(name)), [])
        match = [sid for sid, p in matches if p == phone] or ([matches[0][0]] if len(matches) == 1 and not phone else [])
        if match:
            old = db.execute("SELECT phone, active, quota, quota_reason FROM staff WHERE id = ?", [match[0]]).fetchone()
            if tuple(old) != (phone, active, quota, why):
                db.execute("UPDATE staff SET phone = ?, active = ?, quota = ?, quota_reason = ? WHERE id = ?",
                           [phone, active, quota, why, match[0]])
                audit.record(db, actor, "update", "staff", match[0], unit_id=uid,
                             old={"phone": old[0], "active": old[1], "quota": old[2], "quota_reason": old[3]},
                             new={"phone": phone, "active": active, "quota": quota, "quota_reason": why})
                updated += 1
        else:
            sid = db.execute(
                "INSERT INTO staff (unit_id, name, phone, active, quota, quota_reason) VALUES (?, ?, ?, ?, ?, ?)",
                [uid, name, phone, active, quota, why],
            ).lastrowid
            existing.setdefault((uid, key(name)), []).append((sid, phone))
            new += 1
            if why is not None:
                lowered.append((sid, uid, None, {"quota": quota, "quota_reason": why}))
    if new:
        audit.record(db, actor, "create", "staff", None, detail={"rows": new})
    audit.record_many(db, actor, "create", "staff_quota", lowered)
    if new or updated:
        hooks.call(hooks.UNITS_CHANGED, db)  # quotas and active flags decide every credited install
    return {"new": new, "updated": updated}


QUOTA_REASON = ("原因", "任务数原因", "降低原因", "reason")


def _quota_reason(quota, text, conf, r, errors) -> str | None:
    """The reason kept for a row's quota; a quota below the guidance number without one is a row error."""
    why, code = quotas.check_reason(quota, text, conf["quota_guidance"])
    if code:
        errors.append(RowError(r, "quota_reason", code, value=quota, guidance=conf["quota_guidance"], max=quotas.MAX_REASON))
    return why


KINDS = {
    "units": ImportKind(
        columns={"code": ("编码", "单位编码", "代码"), "name": ("名称", "单位名称", "单位"), "type": ("类型", "单位类型"),
                 "parent": ("上级", "上级单位"), "quota": ("任务数", "指标", "定额"), "quota_reason": QUOTA_REASON},
        required=("code", "name", "type"),
        validate=validate_units, apply=apply_units, admin_only=True,
        example=[["D900", "县示例局", "县直单位", "QN", "", ""]],
    ),
    "staff": ImportKind(
        columns={"unit": ("单位", "单位名称"), "name": ("姓名",), "phone": ("手机号", "手机", "电话", "联系电话"),
                 "active": ("在职", "状态"), "quota": ("任务数", "指标", "定额"), "quota_reason": QUOTA_REASON},
        required=("unit", "name"),
        validate=validate_staff, apply=apply_staff, roles=(access.ADMIN, access.COORDINATOR),
        example=[["县示例局", "张三", "13800000000", "是", "", ""]],
    ),
}
