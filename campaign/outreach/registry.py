"""Channel registries as import kinds: schools, classes, grids, enterprises, windows.

Each row becomes (or updates) a unit of the tree, matched by its code, plus the channel's
attributes. Villages (from the grids file) and parks (from the enterprises file) are created
when first named. A file with any bad row is refused whole (campaign.infra.imports).
"""

import re

from campaign.infra import audit
from campaign.infra.errors import RowError
from campaign.infra.imports import ImportKind
from campaign.infra.parse import NO, PHONE, YES, key, parse_count
from campaign.org import access, units

SCHOOL_TYPES = {
    "kindergarten": ("幼儿园", "kindergarten"),
    "primary": ("小学", "primary", "primary school"),
    "middle": ("中学", "初中", "高中", "完全中学", "九年一贯制学校", "middle", "middle school", "secondary"),
}
ENTERPRISE_KINDS = {
    "enterprise": ("企业", "园区企业", "规上企业", "enterprise", "company"),
    "private": ("私营业主", "私营企业主", "民营业主", "private", "private business"),
    "individual": ("个体工商户", "个体户", "individual", "individual business"),
}
WINDOW_TYPES = {
    "bank": ("银行网点", "银行", "bank"),
    "telecom": ("通信营业厅", "营业厅", "telecom", "telecom shop"),
    "government": ("政务服务", "政务服务窗口", "便民服务中心", "government", "service hall"),
    "hospital": ("医院", "医院服务台", "hospital"),
    "school": ("学校", "学校接待", "school"),
    "other": ("其他", "other"),
}
TOWNSHIPS = ("township", "community")
REGULATORS = ("county", "department", "township", "community")
HOSTS = ("county", "department", "township", "community", "school", "park", "enterprise", "village")
ACTIVE = ("在用", "状态", "启用", "active")
# Registries are kept by the centre and by coordinators (for the units below their own).
REGISTRARS = (access.ADMIN, access.COORDINATOR)


def parse_choice(text, choices: dict) -> str | None:
    """A code from one of its Chinese or English spellings, or None."""
    value = str(text).strip().lower()
    for code, spellings in choices.items():
        if value == code or value in spellings:
            return code
    return None


class _Checker:
    """Shared row checks of the five registries: codes, referenced units, scope, numbers, flags."""

    def __init__(self, db, actor, entry_types: tuple):
        self.db, self.errors, self.codes = db, [], {}
        self.entry_types = entry_types
        self.ids = units.lookup(db)
        self.types = {uid: (code, kind) for uid, code, kind in db.execute("SELECT id, code, type FROM units")}
        self.by_code = {key(code): (uid, kind, code) for uid, (code, kind) in self.types.items()}
        self.parents = dict(db.execute("SELECT id, parent_id FROM units"))
        self.allowed = access.scope_units(db, actor)
        self.admin = actor.role == access.ADMIN
        self.claims = []  # (line, code, name, type, own id): the units the file creates or changes

    def claim(self, row, code, name, unit_type, own=None):
        """A unit the file creates (own None) or changes: its code and name are checked against every other's."""
        self.claims.append((row, code or "", name or "", unit_type, own))

    def done(self, plan):
        """The plan and every error, the file's codes and names checked against each other's and the database's."""
        for row, column, reason, params in units.Names(self.db).clashes(self.claims):
            self.error(row, column, reason, **params)
        return plan, self.errors

    def error(self, row, where, code, **params):
        self.errors.append(RowError(row, where, code, **params))

    def code(self, row, code, name, unit_type=None):
        """The row's own code (as stored: "s01" names S01): present, once in the file, not another kind of unit,
        not outside scope; its code and name are claimed (`claim`)."""
        if not code:
            self.error(row, "code", "row.missing")
            return code
        existing = self.by_code.get(key(code))
        if key(code) in self.codes:
            self.error(row, "code", "row.duplicate_code", value=code, first=self.codes[key(code)])
            return code
        self.codes[key(code)] = row
        if existing and existing[1] not in self.entry_types:
            self.error(row, "code", "outreach.row.code_taken", value=code, type=existing[1])
        elif existing and not self.in_scope(existing[0]):
            self.error(row, "code", "row.outside_scope", value=code)
        self.claim(row, existing[2] if existing else code, name, unit_type or self.entry_types[0],
                   existing[0] if existing else None)
        return existing[2] if existing else code

    def text(self, row, column, value):
        if not value:
            self.error(row, column, "row.missing")
        return value

    def unit(self, row, column, value, types, *, required=True):
        """The id of a referenced unit (by code or unique name) of one of `types`, checked."""
        if not value:
            if required:
                self.error(row, column, "row.missing")
            return None
        uid = self.ids.get(value)
        if uid is None:
            return self.error(row, column, "row.unknown_unit", value=value)
        if self.types[uid][1] not in types:
            return self.error(row, column, "outreach.row.wrong_type", value=value, type=self.types[uid][1])
        return uid

    def scope(self, row, column, uid, value):
        if uid is not None and not self.in_scope(uid):
            self.error(row, column, "row.outside_scope", value=value)

    def in_scope(self, uid):
        return self.allowed is None or uid in self.allowed

    def count(self, row, column, value, limit):
        """A required whole number from 0 to `limit` (a setting)."""
        number, reason = parse_count(value, limit, negative="outreach.row.negative")
        if reason:
            self.error(row, column, reason, value=value, max=limit)
        return number

    def choice(self, row, column, value, choices, reason):
        code = parse_choice(value, choices)
        if not value:
            self.error(row, column, "row.missing")
        elif code is None:
            self.error(row, column, reason, value=value)
        return code

    def phone(self, row, column, value):
        phone = re.sub(r"[\s-]", "", value)
        if phone and not PHONE.match(phone):
            self.error(row, column, "row.bad_phone", value=value)
        return phone or None

    def active(self, row, value):
        flag = value.lower()
        if flag and flag not in YES | NO:
            self.error(row, "active", "row.bad_flag", value=value)
        return 0 if flag in NO else 1


# ---- writing -----------------------------------------------------------------------------

def _save(db, actor, entity: str, code: str, unit: dict, table: str, attrs: dict) -> str:
    """Insert or update one channel unit and its attributes; audit the change. Returns new/updated/unchanged."""
    found = db.execute("SELECT id, name, type, parent_id, active FROM units WHERE code = ?", [code]).fetchone()
    columns = list(attrs)
    if found is None:
        uid = units.add_unit(db, code, unit["name"], unit["type"], unit["parent_id"], active=unit["active"])
        db.execute(f"INSERT INTO {table} (unit_id, {', '.join(columns)}) VALUES (?{', ?' * len(columns)})",
                   [uid, *attrs.values()])
        audit.record(db, actor, "create", entity, code, unit_id=uid, new=_readable(db, {**unit, **attrs}))
        return "new"
    uid = found[0]
    old_attrs = db.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE unit_id = ?", [uid]).fetchone()
    old = {"name": found[1], "type": found[2], "parent_id": found[3], "active": found[4],
           **dict(zip(columns, old_attrs or [None] * len(columns)))}
    new = {**unit, **attrs}
    if old == new and old_attrs is not None:
        return "unchanged"
    units.change_unit(db, uid, **unit)
    db.execute(f"INSERT OR REPLACE INTO {table} (unit_id, {', '.join(columns)}) VALUES (?{', ?' * len(columns)})",
               [uid, *attrs.values()])
    audit.record(db, actor, "update", entity, code, unit_id=uid, old=_readable(db, old), new=_readable(db, new))
    return "updated"


def _readable(db, values: dict) -> dict:
    """Unit ids in an audit record shown as unit codes."""
    shown = {}
    for field, value in values.items():
        if field.endswith("_id") and value is not None:
            row = db.execute("SELECT code FROM units WHERE id = ?", [value]).fetchone()
            shown[field[:-3]] = row[0] if row else value
        else:
            shown[field] = value
    return shown


def _tally(results) -> dict:
    """Counts of new, updated and unchanged rows (runs the saves when given a generator)."""
    results = list(results)
    return {status: results.count(status) for status in ("new", "updated", "unchanged")}


def _next_code(db, prefix: str, reserved=(), width: int = 2) -> str:
    taken = {key(code) for (code,) in db.execute("SELECT code FROM units WHERE code LIKE ?", [prefix + "%"])}
    taken |= {key(name) for (name,) in db.execute("SELECT name FROM units WHERE name LIKE ?", [prefix + "%"])}
    reserved = {key(code) for code in reserved}
    number = 1
    while key(f"{prefix}{number:0{width}d}") in taken or key(f"{prefix}{number:0{width}d}") in reserved:
        number += 1
    return f"{prefix}{number:0{width}d}"


# ---- schools -----------------------------------------------------------------------------

def validate_schools(db, actor, frame, conf):
    check, plan = _Checker(db, actor, ("school",)), []
    for row in frame.itertuples(index=False):
        r = row.line
        code = check.code(r, row.code, row.name)
        check.text(r, "name", row.name)
        school_type = check.choice(r, "school_type", row.school_type, SCHOOL_TYPES, "outreach.row.unknown_school_type")
        town = check.unit(r, "town", row.town, TOWNSHIPS)
        check.scope(r, "town", town, row.town)
        plan.append((code, row.name, school_type, town, check.active(r, row.active)))
    return check.done(plan)


def apply_schools(db, actor, plan):
    return _tally(
        _save(db, actor, "school", code, {"name": name, "type": "school", "parent_id": town, "active": active},
              "outreach_schools", {"school_type": school_type})
        for code, name, school_type, town, active in plan
    )


# ---- classes -----------------------------------------------------------------------------

def validate_classes(db, actor, frame, conf):
    check, plan = _Checker(db, actor, ("class",)), []
    for row in frame.itertuples(index=False):
        r = row.line
        code = check.code(r, row.code, row.name)
        check.text(r, "name", row.name)
        school = check.unit(r, "school", row.school, ("school",))
        check.scope(r, "school", school, row.school)
        families = check.count(r, "families", row.families, conf["max_class_families"])
        phone = check.phone(r, "phone", row.phone)
        plan.append((code, row.name, school, row.grade or None, row.head_teacher or None, phone, families,
                     check.active(r, row.active)))
    return check.done(plan)


def apply_classes(db, actor, plan):
    return _tally(
        _save(db, actor, "class", code, {"name": name, "type": "class", "parent_id": school, "active": active},
              "outreach_classes", {"grade": grade, "head_teacher": teacher, "phone": phone, "families": families})
        for code, name, school, grade, teacher, phone, families, active in plan
    )


# ---- grids -------------------------------------------------------------------------------

def validate_grids(db, actor, frame, conf):
    check, plan = _Checker(db, actor, ("grid",)), []
    villages = {}  # a village of the file (its code, or township and name) -> (township id, name, first row)
    for row in frame.itertuples(index=False):
        r = row.line
        code = check.code(r, row.code, row.name)
        check.text(r, "name", row.name)
        town = check.unit(r, "town", row.town, TOWNSHIPS)
        check.text(r, "village", row.village)
        village_id, village_code = None, row.village_code or None
        if village_code:
            existing = check.by_code.get(key(village_code))
            if existing and existing[1] != "village":
                check.error(r, "village_code", "outreach.row.code_taken", value=village_code, type=existing[1])
            elif existing:
                village_id, village_code = existing[0], existing[2]
            first = villages.setdefault(key(village_code), (town, key(row.village), r))
            if first[:2] != (town, key(row.village)):
                check.error(r, "village_code", "outreach.row.village_conflict", value=village_code, first=first[2])
            elif first[2] == r:
                check.claim(r, village_code, row.village, "village", village_id)
        elif town is not None and row.village:
            village_id = _village_by_name(db, town, row.village)
            if village_id is None and villages.setdefault((town, key(row.village)), (town, key(row.village), r))[2] == r:
                check.claim(r, "", row.village, "village")
        # A village coordinator may keep the grids of their own village; a new village, or one moved to
        # another township, needs that township in scope too.
        if village_id is not None:
            check.scope(r, "village_code" if row.village_code else "village", village_id, row.village_code or row.village)
        if village_id is None or check.parents.get(village_id) != town:
            check.scope(r, "town", town, row.town)
        households = check.count(r, "households", row.households, conf["max_grid_households"])
        phone = check.phone(r, "phone", row.phone)
        plan.append((code, row.name, town, row.village, village_code, households,
                     row.workers or None, phone, check.active(r, row.active)))
    return check.done(plan)


def _village_by_name(db, township_id: int, name: str) -> int | None:
    for uid, other in db.execute("SELECT id, name FROM units WHERE type = 'village' AND parent_id = ? ORDER BY id",
                                 [township_id]):
        if key(other) == key(name):
            return uid
    return None


def apply_grids(db, actor, plan):
    reserved = {code for code, *_ in plan}
    villages, created, results = {}, 0, []
    for code, name, town, village, village_code, households, workers, phone, active in plan:
        village_key = village_code or (town, key(village))
        if village_key not in villages:
            villages[village_key], new = _ensure_village(db, actor, town, village, village_code, reserved)
            created += new
        results.append(_save(db, actor, "grid", code,
                             {"name": name, "type": "grid", "parent_id": villages[village_key], "active": active},
                             "outreach_grids", {"households": households, "workers": workers, "phone": phone}))
    return {**_tally(results), "villages": created}


def _ensure_village(db, actor, town: int, name: str, code: str | None, reserved) -> tuple[int, bool]:
    """The village's id (created under its township when new) and whether it was created."""
    if code:
        found = db.execute("SELECT id, name, parent_id FROM units WHERE code = ?", [code]).fetchone()
    else:
        uid = _village_by_name(db, town, name)
        found = None if uid is None else (uid, name, town)
        if found is None:
            township_code = db.execute("SELECT code FROM units WHERE id = ?", [town]).fetchone()[0]
            code = _next_code(db, f"{township_code}-V", reserved)
    if found is None:
        uid = units.add_unit(db, code, name, "village", town)
        audit.record(db, actor, "create", "village", code, unit_id=uid, new=_readable(db, {"name": name, "parent_id": town}))
        return uid, True
    if (found[1], found[2]) != (name, town):
        units.change_unit(db, found[0], name=name, parent_id=town)
        audit.record(db, actor, "update", "village", code, unit_id=found[0],
                     old=_readable(db, {"name": found[1], "parent_id": found[2]}),
                     new=_readable(db, {"name": name, "parent_id": town}))
    return found[0], False


# ---- enterprises and business groups -----------------------------------------------------

def validate_enterprises(db, actor, frame, conf):
    check, plan = _Checker(db, actor, ("enterprise", "business_group")), []
    new_parks = set()
    for row in frame.itertuples(index=False):
        r = row.line
        code = check.code(r, row.code, row.name)
        check.text(r, "name", row.name)
        kind = check.choice(r, "enterprise_kind", row.enterprise_kind, ENTERPRISE_KINDS, "outreach.row.unknown_enterprise_kind")
        regulator = check.unit(r, "regulator", row.regulator, REGULATORS)
        check.scope(r, "regulator", regulator, row.regulator)
        park = None
        if row.park:
            park = check.ids.get(row.park)
            if park is not None and check.types[park][1] != "park":
                check.error(r, "park", "outreach.row.wrong_type", value=row.park, type=check.types[park][1])
            elif park is None and not check.admin:  # a new park hangs under the county: the centre's to create
                check.error(r, "park", "outreach.row.new_park", value=row.park)
            elif park is None and key(row.park) not in new_parks:
                new_parks.add(key(row.park))
                check.claim(r, "", row.park, "park")
        town = check.unit(r, "town", row.town, TOWNSHIPS, required=False)
        people = check.count(r, "people", row.people, conf["max_enterprise_people"])
        plan.append((code, row.name, kind, regulator, park if park is not None else (row.park or None), town, people,
                     check.active(r, row.active)))
    return check.done(plan)


def apply_enterprises(db, actor, plan):
    parks, results = {}, []
    for code, name, kind, regulator, park, town, people, active in plan:
        if isinstance(park, str):  # a park named for the first time
            if key(park) not in parks:
                parks[key(park)] = _create_park(db, actor, park, {c for c, *_ in plan})
            park = parks[key(park)]
        unit_type = "enterprise" if kind == "enterprise" else "business_group"
        results.append(_save(db, actor, "enterprise", code,
                             {"name": name, "type": unit_type, "parent_id": regulator, "active": active},
                             "outreach_enterprises", {"kind": kind, "park_id": park, "township_id": town, "people": people}))
    return {**_tally(results), "parks": len(parks)}


def _create_park(db, actor, name: str, reserved) -> int:
    root = db.execute("SELECT id FROM units WHERE type = 'county' ORDER BY id LIMIT 1").fetchone()
    code = _next_code(db, "PK", reserved)
    uid = units.add_unit(db, code, name, "park", root[0] if root else None)
    audit.record(db, actor, "create", "park", code, unit_id=uid, new={"name": name})
    return uid


# ---- service windows ---------------------------------------------------------------------

def validate_windows(db, actor, frame, conf):
    check, plan = _Checker(db, actor, ("window",)), []
    for row in frame.itertuples(index=False):
        r = row.line
        code = check.code(r, row.code, row.name)
        check.text(r, "name", row.name)
        window_type = check.choice(r, "window_type", row.window_type, WINDOW_TYPES, "outreach.row.unknown_window_type")
        host = check.unit(r, "host", row.host, HOSTS)
        check.scope(r, "host", host, row.host)
        town = check.unit(r, "town", row.town, TOWNSHIPS, required=False)
        plan.append((code, row.name, window_type, host, town, row.location or None, row.promoters or None,
                     check.active(r, row.active)))
    return check.done(plan)


def apply_windows(db, actor, plan):
    return _tally(
        _save(db, actor, "window", code, {"name": name, "type": "window", "parent_id": host, "active": active},
              "outreach_windows", {"window_type": window_type, "township_id": town, "location": location,
                                   "promoters": promoters})
        for code, name, window_type, host, town, location, promoters, active in plan
    )


KINDS = {
    "schools": ImportKind(
        columns={"code": ("编码", "学校编码", "代码"), "name": ("学校名称", "名称", "学校"),
                 "school_type": ("学段", "学校类型", "类型", "type"), "town": ("乡镇", "所属乡镇", "township"), "active": ACTIVE},
        required=("code", "name", "school_type", "town"),
        validate=validate_schools, apply=apply_schools, roles=REGISTRARS,
        example=[["S01-01", "城厢中心小学", "小学", "城厢镇", "是"]],
    ),
    "classes": ImportKind(
        columns={"code": ("编码", "班级编码"), "school": ("学校", "学校编码", "所属学校"), "name": ("班级名称", "班级", "名称"),
                 "grade": ("年级",), "head_teacher": ("班主任", "head teacher"), "phone": ("班主任电话", "手机号", "电话"),
                 "families": ("学生家庭数", "家庭数", "families"), "active": ACTIVE},
        required=("code", "school", "name", "families"),
        validate=validate_classes, apply=apply_classes, roles=REGISTRARS,
        example=[["S01-01-01", "S01-01", "一年级(1)班", "一年级", "张老师", "", "42", "是"]],
    ),
    "grids": ImportKind(
        columns={"code": ("编码", "网格编码"), "name": ("网格名称", "网格", "名称"), "town": ("乡镇", "township"),
                 "village": ("村（社区）", "村社区", "村", "village", "community"),
                 "village_code": ("村（社区）编码", "村编码", "village code"), "households": ("户数", "住户数", "households"),
                 "workers": ("网格员", "grid worker", "grid workers"), "phone": ("网格员电话", "联系电话", "手机号", "电话"),
                 "active": ACTIVE},
        required=("code", "name", "town", "village", "households"),
        validate=validate_grids, apply=apply_grids, roles=REGISTRARS,
        example=[["G01-001", "东门社区第1网格", "城厢镇", "东门社区", "V01-01", "180", "张三", "13800000000", "是"]],
    ),
    "enterprises": ImportKind(
        columns={"code": ("编码", "企业编码"), "name": ("名称", "企业名称", "商户群名称"), "enterprise_kind": ("类别", "类型", "kind", "type"),
                 "regulator": ("主管部门", "监管单位", "主管单位", "regulator"), "park": ("园区", "所在园区", "park"),
                 "town": ("乡镇", "township"), "people": ("职工人数", "人数", "从业人数", "people", "workers"),
                 "active": ACTIVE},
        required=("code", "name", "enterprise_kind", "regulator", "people"),
        validate=validate_enterprises, apply=apply_enterprises, roles=REGISTRARS,
        example=[["E001", "示例电子有限公司", "企业", "县工业和信息化局", "城厢工业园", "城厢镇", "320", "是"]],
    ),
    "windows": ImportKind(
        columns={"code": ("编码", "窗口编码"), "name": ("窗口名称", "名称", "窗口"), "window_type": ("窗口类型", "类型", "type"),
                 "host": ("所属单位", "主办单位", "单位", "host unit", "host"), "town": ("乡镇", "township"),
                 "location": ("位置", "地址", "location", "address"), "promoters": ("宣传人员", "负责人", "staff", "promoters"),
                 "active": ACTIVE},
        required=("code", "name", "window_type", "host"),
        validate=validate_windows, apply=apply_windows, roles=REGISTRARS,
        example=[["W001", "农业银行城厢支行1号柜台", "银行", "县农业银行", "城厢镇", "城南大道1号", "李四", "是"]],
    ),
}
