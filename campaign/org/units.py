"""Org units: one tree (county > townships, departments > schools, grids, windows…)."""

from dataclasses import dataclass

from campaign.infra.errors import NotFound
from campaign.infra.parse import key

# type code -> accepted spellings in files (Chinese and English)
TYPES = {
    "county": ("县", "县区", "county"),
    "city": ("市", "地级市", "city"),  # issue 9: a city's counties hang below it
    "township": ("乡镇", "镇", "乡", "township", "town"),
    "community": ("社区管委会", "社区", "community"),
    "department": ("县直单位", "县直部门", "部门", "department", "dept"),
    # outreach channels (issue 3): registries hang these under townships, schools, regulators, hosts
    "school": ("学校", "school"),
    "class": ("班级", "class"),
    "village": ("村（社区）", "村", "行政村", "居委会", "village"),
    "grid": ("网格", "grid"),
    "park": ("园区", "工业园区", "park"),
    "enterprise": ("企业", "enterprise"),
    "business_group": ("商户群", "个体工商户", "business group", "business_group"),
    "window": ("服务窗口", "窗口", "window"),
}
# Rankings compare units only within a group.
GROUP_OF = {"township": "township", "community": "township", "department": "department"}


def group_of(unit_type: str) -> str:
    return GROUP_OF.get(unit_type, unit_type)


def parse_type(text) -> str | None:
    """A unit type code from its Chinese or English spelling, or None."""
    value = str(text).strip().lower()
    for code, spellings in TYPES.items():
        if value in spellings:
            return code
    return None


@dataclass(frozen=True)
class Unit:
    id: int
    code: str
    name: str
    type: str
    parent_id: int | None
    quota: int | None
    active: bool

    @property
    def group(self):
        return group_of(self.type)


def _unit(row) -> Unit:
    return Unit(row[0], row[1], row[2], row[3], row[4], row[5], bool(row[6]))


_COLUMNS = "id, code, name, type, parent_id, quota, active"


def get_unit(db, unit_id: int) -> Unit:
    row = db.execute(f"SELECT {_COLUMNS} FROM units WHERE id = ?", [unit_id]).fetchone()
    if row is None:
        raise NotFound("error.unit_not_found", unit=unit_id)
    return _unit(row)


def list_units(db, *, types=None, active_only=True, below=None) -> list[Unit]:
    """Units ordered by code, optionally of some types, optionally only the unit `below` and those under it."""
    sql = f"SELECT {_COLUMNS} FROM units WHERE 1=1"
    params = []
    if active_only:
        sql += " AND active = 1"
    if types:
        sql += f" AND type IN ({','.join('?' * len(types))})"
        params += list(types)
    if below is not None:  # issue 9: one county of a city
        sql += (" AND id IN (WITH RECURSIVE b(id) AS (SELECT ? UNION SELECT u.id FROM units u JOIN b ON u.parent_id = b.id)"
                " SELECT id FROM b)")
        params.append(int(below))
    return [_unit(row) for row in db.execute(sql + " ORDER BY code", params)]


def descendants(db, unit_ids) -> set[int]:
    """The given units and every unit below them."""
    ids = [int(u) for u in unit_ids]
    if not ids:
        return set()
    rows = db.execute(
        f"""WITH RECURSIVE below(id) AS (
              SELECT id FROM units WHERE id IN ({','.join('?' * len(ids))})
              UNION SELECT units.id FROM units JOIN below ON units.parent_id = below.id)
            SELECT id FROM below""",
        ids,
    )
    return {row[0] for row in rows}


class Lookup(dict):
    """Unit id by code or unique name, matched as campaign.infra.parse.key compares names (full-width
    and half-width forms alike, case folded): what a file's cell names."""

    def get(self, name, default=None):
        return super().get(key(name), default)

    def __getitem__(self, name):
        return super().__getitem__(key(name))

    def __contains__(self, name):
        return super().__contains__(key(name))


def lookup(db) -> Lookup:
    """Unit id by code and by name (a name shared by two units is left out: ambiguous)."""
    by_code, by_name, seen = {}, {}, set()
    for uid, code, name in db.execute("SELECT id, code, name FROM units"):
        by_code[key(code)] = uid
        name = key(name)
        if name in seen:
            by_name.pop(name, None)
        else:
            by_name[name] = uid
            seen.add(name)
    return Lookup({**by_name, **by_code})


# Types whose units files name (a staff file's unit, a school's township, a window's host…): a name of
# one of these belongs to one unit only. Others (classes, grids, windows…) may share a name: files
# name them by code.
NAMED_TYPES = ("county", "city", "township", "community", "department", "school", "park")
ORG_TYPES = ("county", "city", "township", "community", "department")  # the units file's own; registries keep the rest


class Names:
    """The codes and names in use, so that every unit stays findable in files: a code is never another
    unit's name or code, a name never another unit's code, and a name of a NAMED_TYPES unit is its own."""

    def __init__(self, db):
        self.units = {uid: (code, name, kind) for uid, code, name, kind in db.execute("SELECT id, code, name, type FROM units")}

    def clashes(self, rows) -> list[tuple[int, str, str, dict]]:
        """rows: (line, code, name, type, own unit id or None) for every unit a file creates or changes.
        Each clash with another unit (in the database or the file) as (line, column, reason, params)."""
        changed = {own for *_, own in rows if own is not None}
        units = {uid: unit for uid, unit in self.units.items() if uid not in changed}
        units |= {own if own is not None else ("row", line): (code, name, kind) for line, code, name, kind, own in rows}
        codes: dict[str, set] = {}
        names: dict[str, set] = {}
        for ident, (code, name, _kind) in units.items():
            codes.setdefault(key(code), set()).add(ident)
            names.setdefault(key(name), set()).add(ident)
        found = []
        for line, code, name, kind, own in rows:
            ident = own if own is not None else ("row", line)
            if code and (others := names.get(key(code), set()) - {ident}):
                found.append((line, "code", "row.code_is_name", {"value": code, "other": self._label(units, others)}))
            if not name:
                continue
            if others := codes.get(key(name), set()) - {ident}:
                found.append((line, "name", "row.name_is_code", {"value": name, "other": self._label(units, others)}))
            others = names.get(key(name), set()) - {ident}
            if others and (kind in NAMED_TYPES or any(units[o][2] in NAMED_TYPES for o in others)):
                found.append((line, "name", "row.name_taken", {"value": name, "other": self._label(units, others)}))
        return found

    @staticmethod
    def _label(units, idents) -> str:
        return "、".join(sorted(units[i][0] for i in idents)[:3])


def effective_quotas(db, default_quota: int) -> dict[int, int]:
    """Per unit, its own quota override, else the nearest ancestor's, else the campaign default."""
    rows = db.execute("SELECT id, parent_id, quota FROM units").fetchall()
    parent = {uid: pid for uid, pid, _ in rows}
    own = {uid: q for uid, _, q in rows}
    result = {}

    def resolve(uid, depth=0):
        if uid in result:
            return result[uid]
        if own.get(uid) is not None:
            value = own[uid]
        elif parent.get(uid) is not None and depth < 50:
            value = resolve(parent[uid], depth + 1)
        else:
            value = default_quota
        result[uid] = value
        return value

    for uid in parent:
        resolve(uid)
    return result


def effective_quota(db, unit_id: int, default_quota: int) -> int:
    """effective_quotas for one unit: its own quota, else the nearest ancestor's, else the default."""
    row = db.execute(
        """WITH RECURSIVE up(id, parent_id, quota, depth) AS (
             SELECT id, parent_id, quota, 0 FROM units WHERE id = ?
             UNION ALL SELECT u.id, u.parent_id, u.quota, up.depth + 1 FROM units u JOIN up ON u.id = up.parent_id
             WHERE up.quota IS NULL AND up.depth < 50)
           SELECT quota FROM up WHERE quota IS NOT NULL ORDER BY depth LIMIT 1""",
        [int(unit_id)],
    ).fetchone()
    return default_quota if row is None else row[0]


# ---- writing (inside the caller's write transaction: the caller checks scope and audits) ---------

def add_unit(db, code: str, name: str, unit_type: str, parent_id: int | None, *, active: int = 1) -> int:
    """A new unit of the tree; its id."""
    return db.execute("INSERT INTO units (code, name, type, parent_id, active) VALUES (?, ?, ?, ?, ?)",
                      [code, name, unit_type, parent_id, active]).lastrowid


def change_unit(db, unit_id: int, **values) -> None:
    """Set some of a unit's name, type, parent_id and active."""
    allowed = {"name", "type", "parent_id", "active"}
    if not values or set(values) - allowed:
        raise ValueError(f"cannot set {sorted(set(values) - allowed) or 'nothing'}")
    db.execute(f"UPDATE units SET {', '.join(f'{key} = ?' for key in values)} WHERE id = ?", [*values.values(), unit_id])
