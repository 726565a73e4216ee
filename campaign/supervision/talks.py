"""The 约谈 follow-up: the talk held with a unit on the laggard list (date, who held it, who attended, the
measures agreed), and the unit's figures in the days after it.

A unit stays flagged on the leaders' overview until a talk is recorded on or after the day it joined the
laggard list: the overview asks through the hook LAGGARD_TALKS, which `talks_since` answers.
Administrators write; every write is audited.
"""

import datetime as dt

import pandas as pd

from campaign.infra import audit, clock
from campaign.infra.db import write
from campaign.infra.errors import InvalidValue, NotFound
from campaign.installs import rankings
from campaign.org import access, units
from campaign.supervision import spot_checks as supervision

LIMITS = {"held_by": 100, "attendees": 500, "measures": 2000}
FOLLOW_DAYS = 30  # the days after a talk shown beside it, at most


def _field(name: str, value) -> str:
    text = "\n".join(" ".join(line.split()) for line in str(value or "").strip().splitlines()).strip()
    if not text:
        raise InvalidValue(f"talk.no_{name}", value="")
    if len(text) > LIMITS[name]:
        raise InvalidValue("talk.too_long", field=name, value=len(text), max=LIMITS[name])
    return text


def record_talk(db, actor, unit_id: int, held_on, held_by: str, attendees: str, measures: str) -> int:
    """Record the talk held with a unit that was on the laggard list that day (administrators; audited); its id."""
    access.require_admin(actor)
    unit = units.get_unit(db, int(unit_id))
    day = supervision._past_day(held_on)
    fields = {"held_by": _field("held_by", held_by), "attendees": _field("attendees", attendees),
              "measures": _field("measures", measures)}
    if unit.id not in set(rankings.laggards(db, day)["unit_id"].tolist()):
        raise InvalidValue("talk.not_laggard", unit=unit.name, day=day.isoformat())
    with write(db):
        talk_id = db.execute(
            "INSERT INTO laggard_talks (unit_id, held_on, held_by, attendees, measures, recorded_by, recorded_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [unit.id, day.isoformat(), fields["held_by"], fields["attendees"], fields["measures"], actor.name, clock.stamp()],
        ).lastrowid
        audit.record(db, actor, "create", "laggard_talk", talk_id, unit_id=unit.id, new={"held_on": day.isoformat(), **fields})
    return talk_id


def delete_talk(db, actor, talk_id: int) -> None:
    """Remove a talk recorded by mistake (administrators; audited): the unit is flagged again if still lagging."""
    access.require_admin(actor)
    with write(db):
        row = get_talk(db, talk_id)
        db.execute("DELETE FROM laggard_talks WHERE id = ?", [int(talk_id)])
        audit.record(db, actor, "delete", "laggard_talk", talk_id, unit_id=row["unit_id"],
                     old={k: row[k] for k in ("held_on", "held_by", "attendees", "measures")})


def get_talk(db, talk_id: int) -> dict:
    """One talk with its unit's code and name."""
    cursor = db.execute("SELECT t.*, u.code, u.name AS unit FROM laggard_talks t JOIN units u ON u.id = t.unit_id"
                        " WHERE t.id = ?", [int(talk_id)])
    row = cursor.fetchone()
    if row is None:
        raise NotFound("talk.no_such_talk", value=talk_id)
    return dict(zip([c[0] for c in cursor.description], row))


def list_talks(db) -> pd.DataFrame:
    """Every talk, newest first."""
    return pd.read_sql_query(
        """SELECT t.id, t.unit_id, u.code, u.name AS unit, t.held_on, t.held_by, t.attendees, t.measures, t.recorded_by
           FROM laggard_talks t JOIN units u ON u.id = t.unit_id ORDER BY t.held_on DESC, t.id DESC""", db.conn)


def talks_since(db, since: dict) -> dict[int, dict]:
    """{unit id: its latest talk held on or after the day given} for the units of `since` ({unit id: day})."""
    if not since:
        return {}
    found = {}
    rows = db.execute(f"SELECT id, unit_id, held_on, held_by FROM laggard_talks WHERE unit_id IN ({','.join('?' * len(since))})"
                      " ORDER BY held_on, id", [int(u) for u in since])
    for talk_id, unit_id, held_on, held_by in rows:
        if held_on >= clock.as_date(since[unit_id]).isoformat():
            found[unit_id] = {"id": talk_id, "held_on": held_on, "held_by": held_by}
    return found


def laggards_with_talks(db, day=None, county=None) -> pd.DataFrame:
    """The laggard list on `day` with the day each unit joined it and its talk since then (talk_on, talk_id or None)."""
    day = clock.as_date(day or clock.today())
    table = rankings.laggards(db, day, county)
    since = rankings.laggard_since(db, day, county)
    talks = talks_since(db, since)
    table["since"] = [since.get(int(u)) for u in table["unit_id"]]
    table["talk_on"] = [talks.get(int(u), {}).get("held_on") for u in table["unit_id"]]
    table["talk_id"] = [talks.get(int(u), {}).get("id") for u in table["unit_id"]]
    return table


def follow_up(db, talk_id: int, until=None) -> pd.DataFrame:
    """The unit's figures on the day of the talk and each day after it (at most FOLLOW_DAYS, up to `until`):
    rank in its group, completion, installs to date and that day, and whether it is still on the laggard list."""
    talk = get_talk(db, talk_id)
    first = clock.as_date(talk["held_on"])
    last = min(clock.as_date(until or clock.today()), first + dt.timedelta(days=FOLLOW_DAYS))
    county = _county_of(db, talk["unit_id"])
    rows = []
    for k in range((last - first).days + 1):
        day = first + dt.timedelta(days=k)
        table = rankings.unit_ranking(db, day, county)
        mine = table[table["unit_id"] == talk["unit_id"]]
        if mine.empty:
            continue
        row = mine.iloc[0]
        on_list = talk["unit_id"] in set(rankings.laggards(db, day, county)["unit_id"].tolist())
        rows.append({"day": day.isoformat(), "rank": int(row["rank"]), "units": int((table["group"] == row["group"]).sum()),
                     "completion": float(row["completion"]), "installs": int(row["installs"]),
                     "installs_today": int(row["installs_today"]), "on_list": on_list})
    return pd.DataFrame(rows, columns=["day", "rank", "units", "completion", "installs", "installs_today", "on_list"])


def _county_of(db, unit_id: int):
    """The unit's county when the tree holds several (a city): rankings compare within it."""
    if len(rankings.counties(db)) <= 1:
        return None
    row = db.execute(
        """WITH RECURSIVE up(id, parent_id, type, depth) AS (
             SELECT id, parent_id, type, 0 FROM units WHERE id = ?
             UNION ALL SELECT u.id, u.parent_id, u.type, up.depth + 1 FROM units u JOIN up ON u.id = up.parent_id WHERE up.depth < 50)
           SELECT id FROM up WHERE type = 'county' ORDER BY depth LIMIT 1""", [int(unit_id)]).fetchone()
    return None if row is None else row[0]

