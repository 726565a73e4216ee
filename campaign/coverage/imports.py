"""Imports of official figures: population versions, registration snapshots and the city's bulletin.

Each is an ImportKind for `campaign.importing` (CLI `import population|registrations|peers`
and the import pages). Kind-specific choices arrive as conf["options"]: year, source and kind
of a population; the snapshot or bulletin date (`as_of`) when the file has no date column.
"""

import functools

from campaign.coverage import store
from campaign.coverage.rules import closest, parse_age, parse_count, parse_rate
from campaign.infra import clock
from campaign.infra.errors import FileRejected, InvalidValue, RowError
from campaign.infra.imports import ImportKind
from campaign.infra.parse import key, parse_date, parse_whole
from campaign.org import access

POPULATION_KINDS = {"resident": ("resident", "常住", "常住人口"), "household": ("household", "户籍", "户籍人口")}


def parse_population_kind(text) -> str:
    """resident (常住人口) or household (户籍人口)."""
    value = str(text or "resident").strip().lower()
    for kind, spellings in POPULATION_KINDS.items():
        if value in spellings:
            return kind
    raise InvalidValue("coverage.bad_population_kind", value=text)


class Townships:
    """Resolves township names (or their aliases) to the known names, explaining unknown ones; names are
    compared as campaign.infra.parse.key does (full-width and half-width forms alike)."""

    def __init__(self, known, alias_map):
        self.known = sorted(set(known))
        self.keys = {key(name): name for name in self.known}
        self.aliases = {key(alias): name for alias, name in alias_map.items() if name in self.known}

    def resolve(self, line: int, name: str, errors: list) -> str | None:
        if not name:
            errors.append(RowError(line, "township", "row.missing"))
            return None
        if not self.known:
            return name
        if key(name) in self.keys:
            return self.keys[key(name)]
        if key(name) in self.aliases:
            return self.aliases[key(name)]
        errors.append(RowError(line, "township", "coverage.row.unknown_township", value=name,
                               closest="、".join(closest(name, self.known))))
        return None


def _age_and_count(row, column: str, errors: list, limit: int):
    band = parse_age(row.age)
    if band is None:
        code = "row.missing" if row.age == "" else "coverage.row.bad_age"
        errors.append(RowError(row.line, "age", code, value=row.age))
    value, reason = parse_count(getattr(row, column), limit)
    if reason:
        errors.append(RowError(row.line, column, reason, value=getattr(row, column), max=limit))
    return band, value


def _check_overlaps(groups: dict, errors: list) -> None:
    """groups: key -> [(band, line, text)]; a band overlapping an earlier one of its group is an error."""
    for entries in groups.values():
        for i, (band, line, text) in enumerate(entries):
            for other, other_line, other_text in entries[:i]:
                if band.overlaps(other):
                    errors.append(RowError(line, "age", "coverage.row.overlap", value=text,
                                           other=other_text, first=other_line))
                    break


_parse_date = functools.lru_cache(maxsize=1024)(parse_date)


def _day(row, options: dict, errors: list):
    text = getattr(row, "date", "") or options.get("as_of") or ""
    if text == "":
        errors.append(RowError(row.line, "date", "coverage.row.no_date"))
        return None
    day = _parse_date(str(text))
    if day is None:
        errors.append(RowError(row.line, "date", "row.bad_date", value=text))
    elif day > clock.today():
        errors.append(RowError(row.line, "date", "row.future_date", value=day.isoformat()))
        return None
    return day


# ---- population --------------------------------------------------------------------------

def validate_population(db, actor, frame, conf):
    options = conf["options"]
    year = parse_whole(options.get("year") or clock.today().year)
    if year is None or not 1900 <= year <= clock.today().year + 1:
        raise FileRejected("coverage.bad_year", value=options.get("year"))
    kind = parse_population_kind(options.get("kind"))
    names = Townships(store.township_units(db), store.aliases(db))
    errors, rows, groups = [], [], {}
    for row in frame.itertuples(index=False):
        township = names.resolve(row.line, row.township, errors)
        band, people = _age_and_count(row, "population", errors, conf["max_township_population"])
        if township and band:
            groups.setdefault(township, []).append((band, row.line, row.age))
            rows.append((township, band, people))
    _check_overlaps(groups, errors)
    plan = {"year": year, "source": str(options.get("source") or "").strip(), "kind": kind,
            "filename": options.get("filename"), "rows": rows}
    return plan, errors


def apply_population(db, actor, plan):
    return store.save_population(db, actor, plan["year"], plan["source"], plan["kind"], plan["filename"], plan["rows"])


# ---- registrations -----------------------------------------------------------------------

def validate_registrations(db, actor, frame, conf):
    version = store.active_version(db, conf)
    if version is None:
        raise FileRejected("coverage.no_population")
    names = Townships(store.version_townships(db, version.id), store.aliases(db))
    errors, rows, groups = [], [], {}
    for row in frame.itertuples(index=False):
        day = _day(row, conf["options"], errors)
        township = names.resolve(row.line, row.township, errors)
        band, registered = _age_and_count(row, "registered", errors, conf["max_township_population"])
        if day and township and band:
            groups.setdefault((day, township), []).append((band, row.line, row.age))
            rows.append((day.isoformat(), township, band, registered))
    _check_overlaps(groups, errors)
    return rows, errors


def apply_registrations(db, actor, plan):
    return store.save_registrations(db, actor, plan)


# ---- the city's bulletin -----------------------------------------------------------------

def _rate(row, column: str, errors: list, *, required: bool):
    text = getattr(row, column)
    if text == "":
        if required:
            errors.append(RowError(row.line, column, "row.missing"))
        return None
    try:
        return parse_rate(text)
    except InvalidValue as error:
        errors.append(RowError(row.line, column, error.code, **error.params))
        return None


def validate_peers(db, actor, frame, conf):
    errors, rows, seen = [], [], {}
    for row in frame.itertuples(index=False):
        day = _day(row, conf["options"], errors)
        if not row.county:
            errors.append(RowError(row.line, "county", "row.missing"))
        elif day is not None:
            if (day, row.county) in seen:
                errors.append(RowError(row.line, "county", "coverage.row.duplicate_county", value=row.county,
                                       first=seen[(day, row.county)]))
            seen[(day, row.county)] = row.line
        value = _rate(row, "rate", errors, required=True)
        value_16_60 = _rate(row, "rate_16_60", errors, required=False)
        if day and row.county:
            rows.append((day.isoformat(), row.county, value, value_16_60))
    return rows, errors


def apply_peers(db, actor, plan):
    return store.save_peers(db, actor, plan)


_TOWNSHIP = ("乡镇", "乡镇（街道）", "乡镇街道", "镇", "town")
_AGE = ("年龄", "年龄段", "年龄组", "岁数")
_DATE = ("日期", "统计日期", "截至日期", "as_of", "as of")
OFFICIAL = (access.ADMIN,)

KINDS = {
    "population": ImportKind(
        columns={"township": _TOWNSHIP, "age": _AGE, "population": ("人口数", "人口", "人数", "people")},
        required=("township", "age", "population"),
        validate=validate_population, apply=apply_population, admin_only=True, roles=OFFICIAL,
        example=[["城厢镇", "17岁", "812"], ["城厢镇", "85岁及以上", "431"]],
    ),
    "registrations": ImportKind(
        columns={"township": _TOWNSHIP, "age": _AGE, "registered": ("注册人数", "已注册", "注册数", "注册"),
                 "date": _DATE},
        required=("township", "age", "registered"),
        validate=validate_registrations, apply=apply_registrations, admin_only=True, roles=OFFICIAL,
        example=[["城厢镇", "15-19", "2710", "2026-11-27"]],
    ),
    "peers": ImportKind(
        columns={"county": ("县区", "县（市、区）", "县市区", "县", "district"),
                 "rate": ("注册率", "总注册率", "coverage"),
                 "rate_16_60": ("16-60周岁注册率", "16-60岁注册率", "16至60周岁注册率", "coverage_16_60"),
                 "date": _DATE},
        required=("county", "rate"),
        validate=validate_peers, apply=apply_peers, admin_only=True, roles=OFFICIAL,
        example=[["全南县", "54.94%", "93.67%", "2026-11-27"]],
    ),
}
