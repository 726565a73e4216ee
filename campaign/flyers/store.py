"""Flyers in the app (issue 4): which locations a user may print for, making a batch, and the print log.

Locations are the outreach registries' windows, grids and classes (issue 3), read through
`outreach.printables`; a user prints only for locations in their scope (grid workers their
grids, coordinators their units, administrators all). Every PDF or picture made is logged
(flyer, location, copies, who, when) and audited in one transaction.
"""

import json
from dataclasses import dataclass

import pandas as pd

from campaign.flyers import personal
from campaign.flyers import render as flyers
from campaign.infra import audit, clock, i18n, settings
from campaign.infra.db import write
from campaign.infra.errors import AccessDenied, InvalidValue
from campaign.org import access, units
from campaign.outreach import entries as outreach
from campaign.scans import codes as scan_codes
from campaign.scans import rules as scan_rules

# What `--for` / the batch choice selects: a registry unit type per batch.
BATCHES = {"windows": "window", "grids": "grid", "schools": "class"}
LOCATION_TYPES = ("window", "grid", "class")
MAX_PAGES = 3000  # one PDF; a county's every class (≈ 700) with a few copies fits
PRINTERS = (access.ADMIN, access.COORDINATOR, access.GRID_WORKER)


@dataclass(frozen=True)
class Made:
    """A finished batch: the PDF (or one PNG per location), pages and pieces, the locations logged."""

    kind: str
    format: str
    data: bytes | None
    pictures: tuple  # ((code, png bytes), …) for format "png"
    locations: tuple
    pages: int
    pieces: int


# ---- locations ---------------------------------------------------------------------------

def _grid_contacts(db) -> dict[int, str]:
    return {uid: i18n.t("flyers.print.grid_worker", "zh", workers=workers, phone=phone or "").strip()
            for uid, (workers, phone) in outreach.grid_workers(db).items()}


def all_locations(db, *, township: str | None = None, types=LOCATION_TYPES) -> list[flyers.Location]:
    """Every active window, grid and class of the registries (optionally of one township), in registry order."""
    frame = outreach.printables(db, township or None, tuple(types))
    ids = {code: uid for uid, code in db.execute(
        f"SELECT id, code FROM units WHERE type IN ({','.join('?' * len(types))})", list(types))}
    contacts = _grid_contacts(db) if "grid" in types else {}
    found = []
    for row in frame.itertuples(index=False):
        uid = ids.get(row.code)
        found.append(flyers.Location(
            code=row.code, name=row.name, kind=row.kind if row.kind in LOCATION_TYPES else "other",
            host=row.host or "", township=row.township or "", unit_id=uid, contact=contacts.get(uid, ""),
            host_code=row.host_code or "",
        ))
    return found


def locations_for(db, actor, *, township: str | None = None, types=LOCATION_TYPES) -> list[flyers.Location]:
    """The locations the actor may print for: all for administrators, their scope for coordinators and grid workers."""
    if actor.role not in PRINTERS:
        return []
    allowed = access.scope_units(db, actor)
    return [loc for loc in all_locations(db, township=township, types=types)
            if allowed is None or loc.unit_id in allowed]


def batches(locations) -> list[str]:
    """The batch words that have locations among `locations`, in the order windows, grids, schools."""
    kinds = {loc.kind for loc in locations}
    return [word for word, kind in BATCHES.items() if kind in kinds]


def _group(loc, batch: str) -> tuple[str, str]:
    return (loc.host_code or loc.host, loc.host) if batch == "schools" else (loc.township, loc.township)


def batch_groups(locations, batch: str) -> dict[str, str]:
    """What a batch is narrowed by, key -> label: townships for windows and grids, schools for classes."""
    kind = BATCHES[batch]
    return dict(_group(loc, batch) for loc in locations if loc.kind == kind and _group(loc, batch)[0])


def pick(locations, batch: str, group: str | None = None) -> list[flyers.Location]:
    """The locations of a batch, optionally of one township (windows, grids) or one school (classes)."""
    kind = BATCHES[batch]
    return [loc for loc in locations if loc.kind == kind and (not group or _group(loc, batch)[0] == group)]


def select(db, actor, choices, *, township: str | None = None) -> list[flyers.Location]:
    """Locations named by `--for`: 'windows', 'grids', 'schools' (every class) or codes.

    A code of a window, grid or class is that location; any other unit's code (a school, a
    village, a township, a host unit) stands for every location below it. `township` (code or
    name) narrows the batch words. The result keeps the order asked, without repeats.
    """
    access.require_role(actor, PRINTERS)
    everything = all_locations(db)
    in_town = {loc.code for loc in all_locations(db, township=township)} if township else None
    by_code = {loc.code: loc for loc in everything}
    unit_ids = {code: uid for uid, code in db.execute("SELECT id, code FROM units")}
    chosen: dict[str, flyers.Location] = {}
    for choice in choices:
        choice = str(choice).strip()
        if choice in BATCHES:
            picked = [loc for loc in everything if loc.kind == BATCHES[choice]
                      and (in_town is None or loc.code in in_town)]
        elif choice in by_code:
            picked = [by_code[choice]]
        elif choice in unit_ids:
            below = units.descendants(db, [unit_ids[choice]])
            picked = [loc for loc in everything if loc.unit_id in below and (in_town is None or loc.code in in_town)]
        else:
            raise InvalidValue("flyers.error.unknown_location", value=choice)
        for loc in picked:
            chosen.setdefault(loc.code, loc)
    if not chosen:
        raise InvalidValue("flyers.error.no_locations")
    found = list(chosen.values())
    allowed = access.scope_units(db, actor)
    outside = [loc for loc in found if allowed is not None and loc.unit_id not in allowed]
    if outside:
        raise AccessDenied("error.outside_scope", user=actor.name, units=len(outside))
    return found


# ---- making flyers -----------------------------------------------------------------------

def options(db, *, cards: int = flyers.DEFAULT_CARDS, copies: int = 1) -> flyers.Options:
    """Flyer options from the settings (QR target, county and campaign names) and the user's choices.

    The QR target is the landing route's (…/go/{code}) or the county's own page when the setting
    `scan_landing` says so (issue 18), else the flyers' own setting."""
    conf = settings.get_all(db)
    target = scan_rules.qr_template(conf) or conf["flyer_qr_target"]
    return flyers.Options(target=target, cards=int(cards), copies=int(copies),
                          county=conf["county_name"], campaign=conf["campaign_name"])


def make(db, actor, kind: str, locations, *, cards: int = flyers.DEFAULT_CARDS, copies: int = 1,
         fmt: str = "pdf", progress=None) -> Made:
    """Make one PDF (or one picture per location) of `kind` for `locations`, then log it.

    Refused for a leader, for a location outside the actor's scope, or above MAX_PAGES pages.
    `progress(done, total)` is called after each location.
    """
    locations = tuple(locations)
    if not locations:
        raise InvalidValue("flyers.error.no_locations")
    access.require_write(db, actor, [loc.unit_id for loc in locations if loc.unit_id is not None], roles=PRINTERS)
    chosen = options(db, cards=cards, copies=1 if fmt == "png" else copies)
    flyers.check_options(kind, chosen)
    pages = len(locations) * chosen.copies
    if pages > MAX_PAGES:
        raise InvalidValue("flyers.error.too_many", max=MAX_PAGES, pages=pages)
    if fmt == "png":
        pngs = flyers.render_pngs(kind, locations, chosen, progress=progress)
        pictures, data, pieces_each = [(loc.code, png) for loc, png in zip(locations, pngs)], None, 1
    elif fmt == "pdf":
        pictures, data = [], flyers.render_pdf(kind, locations, chosen, progress=progress)
        pieces_each = chosen.copies * flyers.pieces_per_page(kind, chosen.cards)
    else:
        raise InvalidValue("flyers.error.unknown_kind", value=fmt)
    _log(db, actor, kind, fmt, locations, copies=chosen.copies, pieces=pieces_each, template=chosen.target)
    return Made(kind, fmt, data, tuple(pictures), locations, pages if fmt == "pdf" else len(locations),
                pieces_each * len(locations))


def _log(db, actor, kind: str, fmt: str, locations, *, copies: int, pieces: int, template: str) -> None:
    """Record what was made (one row per location) and audit it, in one transaction."""
    at = clock.stamp()
    rows = [(at, actor.name, kind, fmt, loc.unit_id, loc.code, loc.name, copies, pieces,
             flyers.target_for(template, loc.code)) for loc in locations]
    with write(db):
        db.conn.executemany(
            "INSERT INTO flyer_prints (at, actor, kind, format, unit_id, code, name, copies, pieces, target)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        audit.record_many(db, actor, "print", "flyer", [
            (f"{loc.code}/{kind}", loc.unit_id, None, {"kind": kind, "format": fmt, "copies": copies, "pieces": pieces})
            for loc in locations
        ])


# ---- personal cards (issue 18) -----------------------------------------------------------

CARD_UNIT_TYPES = ("township", "community", "department")  # the units whose staff have personal codes on cards


def card_units(db, actor) -> list:
    """The units whose staff's personal cards the actor may make (their staff-details scope), by code."""
    if actor.role not in PRINTERS:
        return []
    return [unit for unit in access.writable_units(db, actor, types=CARD_UNIT_TYPES)
            if access.can_see_details(db, actor, unit.id)]


def person_cards(db, actor, unit_id: int, *, staff_ids=None, fmt: str = "pdf", progress=None) -> Made:
    """A unit's personal cards: the A4 print sheet (fmt "pdf", nine a page) or one 1080 × 1350 picture per
    person ("png"), for all its active staff or those of `staff_ids`; logged and audited.

    Refused for a leader and a grid worker, and outside the actor's staff-details scope (checked before
    anything is written); anyone still without a code gets one first.
    """
    access.require_role(actor, PRINTERS)
    access.require_details(db, actor, unit_id)
    if fmt not in ("pdf", "png"):
        raise InvalidValue("flyers.error.unknown_kind", value=fmt)
    with write(db):
        scan_codes.issue_missing(db)
    people = scan_codes.people(db, actor, unit_id, staff_ids=staff_ids)
    if not people:
        raise InvalidValue("flyers.error.no_people")
    pages = len(people) if fmt == "png" else -(-len(people) // personal.PER_SHEET)
    if pages > MAX_PAGES:
        raise InvalidValue("flyers.error.too_many", max=MAX_PAGES, pages=pages)
    template = options(db).target
    cards = [personal.Card(p.code, p.name, p.unit) for p in people]
    places = tuple(flyers.Location(code=p.code, name=p.name, kind="person", unit_id=p.unit_id) for p in people)
    if fmt == "png":
        pictures, data = tuple(zip([p.code for p in people], personal.card_pngs(cards, template, progress))), None
    else:
        pictures, data = (), personal.sheet_pdf(cards, template)
    _log(db, actor, "person", fmt, places, copies=1, pieces=1, template=template)
    return Made("person", fmt, data, pictures, places, pages, len(people))


LOG_COLUMNS = ["at", "actor", "kind", "format", "code", "name", "copies", "pieces", "target"]


def print_log(db, *, unit_ids=None, actor=None, limit: int = 200) -> pd.DataFrame:
    """What was printed, newest first: for some units (e.g. one window or grid), or within an actor's scope."""
    where, params = [], []
    if unit_ids is not None:
        ids = sorted({int(u) for u in unit_ids})
        if not ids:
            return pd.DataFrame(columns=LOG_COLUMNS)
        where.append(f"unit_id IN ({','.join('?' * len(ids))})")
        params += ids
    if actor is not None:
        allowed = access.scope_units(db, actor)
        if allowed is not None:
            ids = sorted(allowed)
            if not ids:
                return pd.DataFrame(columns=LOG_COLUMNS)
            where.append("unit_id IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(ids))
    sql = (f"SELECT {', '.join(LOG_COLUMNS)} FROM flyer_prints"
           + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id DESC LIMIT ?")
    return pd.read_sql_query(sql, db.conn, params=[*params, limit])


def totals(db, unit_ids) -> dict[int, dict]:
    """Per unit: flyers printed (pieces), times, and the last time, for the window and grid lists."""
    ids = sorted({int(u) for u in unit_ids})
    found = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for uid, pieces, times, last in db.execute(
            f"SELECT unit_id, SUM(pieces), COUNT(*), MAX(at) FROM flyer_prints"
            f" WHERE unit_id IN ({','.join('?' * len(chunk))}) GROUP BY unit_id", chunk
        ):
            found[uid] = {"pieces": pieces, "times": times, "last": last}
    return found
