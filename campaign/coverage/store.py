"""Storage of coverage data: population versions, registration snapshots, township aliases, city bulletins.

Every query about these tables lives here. Ages are stored as bands (age_lo, age_hi; age_hi
NULL for "and over"), exactly as imported.

Summaries (issue 9), kept in the same transaction as every import and rebuilt from the raw rows by
`rebuild_summaries`: `registration_days` (per snapshot day × township: registered, registered aged
16–60 as an exact fraction, estimated flag), `population_townships` (the same per population
version × township) and `coverage_days` (per version × snapshot day: the county's total figures as
`coverage.combine` computes them). Fractions are stored as text ("2469/5") so nothing is rounded.
"""

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from campaign.coverage.rules import Band, closest, combine, summarize
from campaign.infra import audit, clock, settings
from campaign.infra.db import write
from campaign.infra.errors import InvalidValue, NotFound
from campaign.org import access

KINDS = ("resident", "household")  # 常住人口, 户籍人口


@dataclass(frozen=True)
class PopulationVersion:
    id: int
    year: int
    source: str
    kind: str
    filename: str | None
    imported_at: str
    people: int
    townships: int


# ---- population versions -----------------------------------------------------------------

def list_versions(db) -> list[PopulationVersion]:
    """Every population version with its total and number of townships, oldest first."""
    rows = db.execute(
        """SELECT v.id, v.year, v.source, v.kind, v.filename, v.imported_at,
                  COALESCE(SUM(r.people), 0), COUNT(r.township)
           FROM population_versions v LEFT JOIN population_townships r ON r.version_id = v.id
           GROUP BY v.id ORDER BY v.id"""
    ).fetchall()
    return [PopulationVersion(*row) for row in rows]


def find_version(db, year: int, source: str, kind: str) -> int | None:
    row = db.execute("SELECT id FROM population_versions WHERE year = ? AND source = ? AND kind = ?",
                     [year, source, kind]).fetchone()
    return row and row[0]


def active_version(db, conf: dict | None = None) -> PopulationVersion | None:
    """The population used as the denominator: the one chosen in settings, else the first imported."""
    conf = conf or settings.get_all(db)
    versions = list_versions(db)
    chosen = conf.get("coverage_population_version")
    for version in versions:
        if version.id == chosen:
            return version
    return versions[0] if versions else None


def use_version(db, actor, version_id: int) -> None:
    """Make a population version the active denominator (administrators; audited through settings)."""
    if version_id not in {v.id for v in list_versions(db)}:
        raise NotFound("coverage.no_such_version", version=version_id)
    settings.update(db, actor, {"coverage_population_version": version_id})


def save_population(db, actor, year: int, source: str, kind: str, filename: str, rows) -> dict:
    """Store one version's rows (township, Band, people), replacing an earlier import of the same version.

    Runs inside the caller's write transaction.
    """
    existing = find_version(db, year, source, kind)
    label = {"year": year, "source": source, "kind": kind}
    if existing is None:
        version_id = db.execute(
            "INSERT INTO population_versions (year, source, kind, filename, imported_at, imported_by)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [year, source, kind, filename, clock.stamp(), actor.name],
        ).lastrowid
        old = None
    else:
        version_id = existing
        old = {**label, "people": db.execute("SELECT SUM(people) FROM population_rows WHERE version_id = ?",
                                             [existing]).fetchone()[0]}
        db.execute("DELETE FROM population_rows WHERE version_id = ?", [existing])
        db.execute("UPDATE population_versions SET filename = ?, imported_at = ?, imported_by = ? WHERE id = ?",
                   [filename, clock.stamp(), actor.name, existing])
    db.conn.executemany(
        "INSERT INTO population_rows (version_id, township, age_lo, age_hi, people) VALUES (?, ?, ?, ?, ?)",
        [(version_id, township, band.lo, band.hi, people) for township, band, people in rows],
    )
    _refresh_population(db, version_id, rows)
    total = sum(people for *_, people in rows)
    audit.record(db, actor, "create" if old is None else "update", "population_version", version_id,
                 old=old, new={**label, "people": total})
    return {"new": int(old is None), "updated": int(old is not None)}


def population_rows(db, version_id: int) -> list[tuple[str, Band, int]]:
    """(township, Band, people) rows of one version."""
    rows = db.execute("SELECT township, age_lo, age_hi, people FROM population_rows WHERE version_id = ?",
                      [version_id])
    return [(township, Band(lo, hi), people) for township, lo, hi, people in rows]


def version_townships(db, version_id: int) -> list[str]:
    return [name for (name,) in db.execute(
        "SELECT township FROM population_townships WHERE version_id = ? ORDER BY township", [version_id])]


def population_sums(db, version_id: int, townships=None) -> dict[str, tuple]:
    """township -> (people, people aged 16–60, estimated) of one version (all townships or those given),
    as coverage.summarize gives them."""
    sql = "SELECT township, people, people_16_60, estimated FROM population_townships WHERE version_id = ?"
    params = [version_id]
    if townships is not None:
        sql += f" AND township IN ({', '.join('?' * len(townships))})"
        params += sorted(townships)
    return {township: (people, _number(inside), bool(estimated))
            for township, people, inside, estimated in db.execute(sql, params)}


# ---- registration snapshots --------------------------------------------------------------

def save_registrations(db, actor, rows) -> dict:
    """Store (as_of, township, Band, registered) rows; a (day, township) already held is replaced whole.

    Runs inside the caller's write transaction.
    """
    pairs = sorted({(day, township) for day, township, _, _ in rows})
    held = {}
    for day in sorted({day for day, _ in pairs}):
        held.update({(day, township): total for township, total in db.execute(
            "SELECT township, registered FROM registration_days WHERE as_of = ?", [day])})
    replaced = [pair for pair in pairs if pair in held]
    db.conn.executemany("DELETE FROM registration_rows WHERE as_of = ? AND township = ?", replaced)
    stamp = clock.stamp()
    db.conn.executemany(
        "INSERT INTO registration_rows (as_of, township, age_lo, age_hi, registered, imported_at, imported_by)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(day, township, band.lo, band.hi, value, stamp, actor.name) for day, township, band, value in rows],
    )
    # a (day, township) is replaced whole, so the rows just stored are all of its rows
    sums = summarize(((day, township), band, value) for day, township, band, value in rows)
    db.conn.executemany(
        "INSERT OR REPLACE INTO registration_days (as_of, township, registered, registered_16_60, estimated)"
        " VALUES (?, ?, ?, ?, ?)",
        [(day, township, total, str(inside), int(est)) for (day, township), (total, inside, est) in sums.items()],
    )
    _refresh_days(db, sorted({day for day, _ in pairs}))
    new_totals = {pair: total for pair, (total, _, _) in sums.items()}
    audit.record_many(db, actor, "update", "registrations",
                      [(f"{day}/{township}", None, held[(day, township)], new_totals[(day, township)])
                       for day, township in replaced])
    return {"new": len(pairs) - len(replaced), "updated": len(replaced)}


def snapshot_days(db) -> list[dt.date]:
    """Every snapshot day, oldest first."""
    return [dt.date.fromisoformat(day) for (day,) in db.execute(
        "SELECT DISTINCT as_of FROM registration_days ORDER BY as_of")]


def first_snapshot(db) -> dt.date | None:
    """The earliest snapshot day."""
    row = db.execute("SELECT MIN(as_of) FROM registration_rows").fetchone()
    return dt.date.fromisoformat(row[0]) if row and row[0] else None


def latest_snapshot(db, on_or_before) -> dt.date | None:
    """The latest snapshot day on or before a day."""
    row = db.execute("SELECT MAX(as_of) FROM registration_rows WHERE as_of <= ?",
                     [clock.as_date(on_or_before).isoformat()]).fetchone()
    return dt.date.fromisoformat(row[0]) if row and row[0] else None


def registration_rows(db, *, since=None, until=None) -> dict[dt.date, list[tuple[str, Band, int]]]:
    """Snapshot day -> (township, Band, registered) rows, for days in [since, until]."""
    sql = "SELECT as_of, township, age_lo, age_hi, SUM(registered) FROM registration_rows WHERE 1 = 1"
    params = []
    if since is not None:
        sql += " AND as_of >= ?"
        params.append(clock.as_date(since).isoformat())
    if until is not None:
        sql += " AND as_of <= ?"
        params.append(clock.as_date(until).isoformat())
    result: dict = {}
    for day, township, lo, hi, value in db.execute(sql + " GROUP BY as_of, township, age_lo, age_hi", params):
        result.setdefault(dt.date.fromisoformat(day), []).append((township, Band(lo, hi), value))
    return result


def registration_sums(db, day, townships=None) -> dict[str, tuple]:
    """township -> (registered, registered aged 16–60, estimated) on one snapshot day (all townships or those
    given), as coverage.summarize gives them."""
    sql = "SELECT township, registered, registered_16_60, estimated FROM registration_days WHERE as_of = ?"
    params = [clock.as_date(day).isoformat()]
    if townships is not None:
        sql += f" AND township IN ({', '.join('?' * len(townships))})"
        params += sorted(townships)
    return {township: (total, _number(inside), bool(estimated))
            for township, total, inside, estimated in db.execute(sql, params)}


def registration_totals_by_day(db, townships, until) -> list[tuple]:
    """(day, townships present, registered, registered aged 16–60, estimated) summed over some townships
    (a county's), per snapshot day up to `until`, oldest first.

    The exact 16–60 figures ("2469/5") are summed in SQL per denominator: CAST takes the numerator.
    """
    townships = sorted(townships)
    within = f"township IN ({', '.join('?' * len(townships))}) AND as_of <= ?"
    params = [*townships, clock.as_date(until).isoformat()]
    days: dict = {}
    for day, denominator, numerators, total, estimated, count in db.execute(
            f"""SELECT as_of, {_DENOMINATOR} AS den, SUM(CAST(registered_16_60 AS INTEGER)), SUM(registered),
                       MAX(estimated), COUNT(*)
                FROM registration_days WHERE {within} GROUP BY as_of, den""", params):
        slot = days.setdefault(day, [0, 0, False, 0])
        slot[0] += Fraction(numerators, denominator) if denominator != 1 else numerators
        slot[1] += total
        slot[2] = slot[2] or bool(estimated)
        slot[3] += count
    present = {day: set(townships) for day in days}
    if any(count < len(townships) for *_, count in days.values()):  # a day without some township: which are there
        for day in present:
            present[day] = set()
        for day, township in db.execute(f"SELECT as_of, township FROM registration_days WHERE {within}", params):
            present[day].add(township)
    return [(dt.date.fromisoformat(day), present[day], total, inside, estimated)
            for day, (inside, total, estimated, _) in sorted(days.items())]


_DENOMINATOR = ("CASE WHEN instr(registered_16_60, '/') > 0"
                " THEN CAST(substr(registered_16_60, instr(registered_16_60, '/') + 1) AS INTEGER) ELSE 1 END")


def county_id(db, text: str) -> int:
    """A county unit's id from its code or name."""
    row = db.execute("SELECT id FROM units WHERE type = 'county' AND (code = ? OR name = ?) ORDER BY code = ? DESC",
                     [text, text, text]).fetchone()
    if row is None:
        raise InvalidValue("error.unit_not_found", unit=text)
    return row[0]


def county_scope(db, county_id: int, known) -> tuple[str, set[str]]:
    """A county unit's name and the townships of `known` named by a unit under it (directly or through an alias)."""
    rows = db.execute(
        """WITH RECURSIVE below(id, name) AS (
               SELECT id, name FROM units WHERE id = ?
               UNION ALL SELECT u.id, u.name FROM units u JOIN below b ON u.parent_id = b.id)
           SELECT name FROM below""", [county_id]).fetchall()
    if not rows:
        raise InvalidValue("error.unit_not_found", unit=county_id)
    alias_map = aliases(db)
    names = {name if name in known else alias_map.get(name) for (name,) in rows}
    return rows[0][0], {name for name in names if name in known}


def day_totals(db, version_id: int, until) -> list[tuple]:
    """(day, population, population 16–60, registered, registered 16–60, estimated) per snapshot day up to `until`,
    the county's totals over one population version (coverage.combine's total); registered None when no
    township of that day is in the version."""
    rows = db.execute(
        "SELECT as_of, population, population_16_60, registered, registered_16_60, estimated FROM coverage_days"
        " WHERE version_id = ? AND as_of <= ? ORDER BY as_of", [version_id, clock.as_date(until).isoformat()])
    return [(dt.date.fromisoformat(day), population, _number(pop_range), registered,
             None if reg_range is None else _number(reg_range), bool(estimated))
            for day, population, pop_range, registered, reg_range, estimated in rows]


# ---- summaries upkeep --------------------------------------------------------------------

def _number(text: str) -> int | Fraction:
    """A stored exact figure: "2469/5" or "1234"."""
    numerator, _, denominator = text.partition("/")
    return Fraction(int(numerator), int(denominator)) if denominator else int(numerator)


def _refresh_population(db, version_id: int, rows) -> None:
    """Re-summarize one version from its (township, Band, people) rows and recompute its day totals."""
    db.execute("DELETE FROM population_townships WHERE version_id = ?", [version_id])
    db.conn.executemany(
        "INSERT INTO population_townships (version_id, township, people, people_16_60, estimated) VALUES (?, ?, ?, ?, ?)",
        [(version_id, township, total, str(inside), int(est)) for township, (total, inside, est) in summarize(rows).items()],
    )
    db.execute("DELETE FROM coverage_days WHERE version_id = ?", [version_id])
    _refresh_days(db, None, [version_id])


def _refresh_days(db, days, version_ids=None) -> None:
    """Recompute coverage_days for the days given (None: every snapshot day) and versions (None: all)."""
    if version_ids is None:
        version_ids = [vid for (vid,) in db.execute("SELECT id FROM population_versions")]
    if days is None:
        days = [day for (day,) in db.execute("SELECT DISTINCT as_of FROM registration_days")]
    registered = {day: registration_sums(db, day) for day in days}
    rows = []
    for version_id in version_ids:
        people = population_sums(db, version_id)
        for day, sums in registered.items():
            total, _, _ = combine(people, sums)
            rows.append((version_id, day, int(total.population), str(total.population_16_60),
                         None if total.registered is None else int(total.registered),
                         None if total.registered_16_60 is None else str(total.registered_16_60), int(total.estimated)))
    db.conn.executemany(
        "INSERT OR REPLACE INTO coverage_days (version_id, as_of, population, population_16_60, registered,"
        " registered_16_60, estimated) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)


def rebuild_summaries(db) -> None:
    """Recompute every coverage summary from the raw rows (runs inside the caller's transaction, if any)."""
    bands: dict = {}

    def band(lo, hi):
        return bands.get((lo, hi)) or bands.setdefault((lo, hi), Band(lo, hi))

    db.execute("DELETE FROM registration_days")
    db.execute("DELETE FROM population_townships")
    db.execute("DELETE FROM coverage_days")
    raw = db.execute("SELECT as_of, township, age_lo, age_hi, registered FROM registration_rows")
    sums = summarize(((day, township), band(lo, hi), value) for day, township, lo, hi, value in raw)
    db.conn.executemany(
        "INSERT INTO registration_days (as_of, township, registered, registered_16_60, estimated) VALUES (?, ?, ?, ?, ?)",
        [(day, township, total, str(inside), int(est)) for (day, township), (total, inside, est) in sums.items()],
    )
    for (version_id,) in db.execute("SELECT id FROM population_versions").fetchall():
        _refresh_population(db, version_id, population_rows(db, version_id))


def summaries_snapshot(db) -> dict:
    """Every coverage summary row (for checks against a recomputation)."""
    return {table: sorted(tuple(row) for row in db.execute(f"SELECT * FROM {table}"))
            for table in ("registration_days", "population_townships", "coverage_days")}


# ---- township names and aliases ----------------------------------------------------------

def township_units(db) -> list[str]:
    """Names of the township-level units of the org tree (乡镇, 社区管委会)."""
    return [name for (name,) in db.execute(
        "SELECT name FROM units WHERE type IN ('township', 'community') AND active = 1 ORDER BY code")]


def aliases(db) -> dict[str, str]:
    """alias -> township."""
    return dict(db.execute("SELECT alias, township FROM township_aliases ORDER BY township, alias"))


def alias_targets(db) -> list[str]:
    """Names an alias may stand for: the active population's townships, else the township units."""
    version = active_version(db)
    return version_townships(db, version.id) if version is not None else township_units(db)


def set_alias(db, actor, alias: str, township: str) -> None:
    """Let `alias` stand for `township` in imported files and in the org tree (administrators; audited).

    The township is one of the active population's (or, before any population, a township unit).
    """
    access.require_admin(actor)
    alias, township = alias.strip(), township.strip()
    if not alias or not township:
        raise InvalidValue("error.empty", value="")
    known = set(alias_targets(db))
    if township not in known:
        raise NotFound("coverage.unknown_township", value=township, closest="、".join(closest(township, known)))
    if alias in known:
        raise InvalidValue("coverage.alias_is_township", value=alias)
    with write(db):
        old = db.execute("SELECT township FROM township_aliases WHERE alias = ?", [alias]).fetchone()
        db.execute("INSERT INTO township_aliases (alias, township) VALUES (?, ?)"
                   " ON CONFLICT(alias) DO UPDATE SET township = excluded.township", [alias, township])
        audit.record(db, actor, "create" if old is None else "update", "township_alias", alias,
                     old=old and old[0], new=township)


def remove_alias(db, actor, alias: str) -> None:
    """Forget an alias (administrators; audited)."""
    access.require_admin(actor)
    with write(db):
        old = db.execute("SELECT township FROM township_aliases WHERE alias = ?", [alias]).fetchone()
        if old is None:
            raise NotFound("coverage.no_such_alias", value=alias)
        db.execute("DELETE FROM township_aliases WHERE alias = ?", [alias])
        audit.record(db, actor, "delete", "township_alias", alias, old=old[0])


# ---- the city's bulletins ----------------------------------------------------------------

def save_peers(db, actor, rows) -> dict:
    """Store (as_of, county, rate, rate_16_60) rows of the city's bulletin; a county's row for a day is replaced.

    Runs inside the caller's write transaction.
    """
    held = {(day, county): (r, r1660) for day, county, r, r1660 in db.execute("SELECT * FROM peer_rates")}
    db.conn.executemany(
        "INSERT INTO peer_rates (as_of, county, rate, rate_16_60) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(as_of, county) DO UPDATE SET rate = excluded.rate, rate_16_60 = excluded.rate_16_60",
        rows,
    )
    changed = [(f"{d}/{c}", None, list(held[(d, c)]), [r, r1660]) for d, c, r, r1660 in rows
               if (d, c) in held and held[(d, c)] != (r, r1660)]
    audit.record_many(db, actor, "update", "peer_rate", changed)
    updated = sum(1 for d, c, *_ in rows if (d, c) in held)
    return {"new": len(rows) - updated, "updated": updated}


def peer_bulletin(db, on_or_before) -> tuple[dt.date | None, list[tuple[str, float | None, float | None]]]:
    """The latest bulletin on or before a day: its date and (county, rate, rate 16–60) rows."""
    row = db.execute("SELECT MAX(as_of) FROM peer_rates WHERE as_of <= ?",
                     [clock.as_date(on_or_before).isoformat()]).fetchone()
    if not row or not row[0]:
        return None, []
    rows = db.execute("SELECT county, rate, rate_16_60 FROM peer_rates WHERE as_of = ? ORDER BY rate DESC, county",
                      [row[0]]).fetchall()
    return dt.date.fromisoformat(row[0]), [tuple(r) for r in rows]
