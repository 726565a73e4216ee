"""Reconciliation: installs reported in each township beside the rise in official registrations.

Reported installs come from every channel that exists: staff installs (active staff of units in the
township, from campaign days, as the rankings count them; read from the install summaries) and each
outreach module (campaign/outreach*.py) that offers either

    installs_by_township(db, since, until) -> DataFrame(township_id, channel, installs)
    installs_by_unit(db, first_day, last_day) -> {key: installs}

for installs recorded on days since..until. A key is a unit id of the org tree (rolled up to
its township), a township name, or a channel name mapping to such a dict; today that brings in
the schools, grids, enterprises and windows of issue 3. A township is flagged when its reports
exceed the registration increase over the same days by more than the margin set in settings.
"""

import datetime as dt
import functools
import importlib
import pkgutil

import pandas as pd

import campaign
from campaign import clock, settings
from campaign import coverage_store as store


def staff_installs_by_unit(db, first_day: dt.date, last_day: dt.date) -> dict[int, int]:
    """Installs reported by active staff per unit over days first_day..last_day (as the rankings count them).

    Read from the install summaries (campaign/summaries.py): each unit's total less the days outside
    the period, so a period ending today reads one row per unit and a few days' rows.
    """
    totals = dict(db.execute("SELECT unit_id, installs FROM install_unit_totals"))
    for outside, bound in (("<", first_day), (">", last_day)):
        # summed here rather than by GROUP BY, which would walk the primary key instead of the day index
        for uid, installs in db.execute(f"SELECT unit_id, installs FROM install_unit_days WHERE day {outside} ?",
                                        [clock.as_date(bound).isoformat()]):
            totals[uid] = totals.get(uid, 0) - installs
    return {uid: total for uid, total in totals.items() if total}


def _from_township_frame(function):
    """Adapt installs_by_township(db, since, until) -> DataFrame(township_id, channel, installs)."""

    def by_channel(db, first_day, last_day) -> dict:
        frame = function(db, first_day, last_day)
        result: dict = {}
        for row in frame.itertuples(index=False):
            key = None if pd.isna(row.township_id) else int(row.township_id)
            slot = result.setdefault(str(row.channel), {})
            slot[key] = slot.get(key, 0) + int(row.installs)
        return result

    return by_channel


@functools.lru_cache(maxsize=1)
def _outreach_modules() -> list[str]:
    """campaign/outreach*.py module names (looked up once per process: a page asks on every run)."""
    return sorted(info.name for info in pkgutil.iter_modules(campaign.__path__) if info.name.startswith("outreach"))


def channels() -> list[tuple[str, object]]:
    """(name, function) for staff and for each outreach module that reports installs by unit or township."""
    found = [("staff", staff_installs_by_unit)]
    for name in _outreach_modules():
        module = importlib.import_module(f"campaign.{name}")
        name = name.removeprefix("outreach").strip("_") or "outreach"
        if callable(getattr(module, "installs_by_unit", None)):
            found.append((name, module.installs_by_unit))
        if callable(getattr(module, "installs_by_township", None)):
            found.append((name, _from_township_frame(module.installs_by_township)))
    return found


def unit_townships(db, townships, alias_map: dict) -> dict[int, str]:
    """unit id -> the township it lies in (itself or its nearest ancestor named like a township)."""
    townships = set(townships)
    rows = db.execute("SELECT id, parent_id, name FROM units").fetchall()
    parent = {uid: pid for uid, pid, _ in rows}
    own = {}
    for uid, _, name in rows:
        name = name if name in townships else alias_map.get(name)
        if name in townships:
            own[uid] = name
    result = {}
    for uid in parent:
        node, depth = uid, 0
        while node is not None and node not in own and depth < 50:
            node, depth = parent.get(node), depth + 1
        if node in own:
            result[uid] = own[node]
    return result


def reported_by_township(db, first_day: dt.date, last_day: dt.date, townships) -> tuple[dict, dict]:
    """({township: {channel: installs}}, {channel: installs outside any township}) over the days given."""
    townships = set(townships)
    alias_map = store.aliases(db)
    where = unit_townships(db, townships, alias_map)
    per_township: dict = {}
    outside: dict = {}

    def add(channel, key, value):
        if isinstance(key, str):
            township = key if key in townships else alias_map.get(key)
        else:
            township = where.get(key)
        if township in townships:
            slot = per_township.setdefault(township, {})
            slot[channel] = slot.get(channel, 0) + int(value)
        else:
            outside[channel] = outside.get(channel, 0) + int(value)

    for name, function in channels():
        figures = function(db, first_day, last_day) or {}
        for key, value in figures.items():
            if isinstance(value, dict):  # a module reporting several channels
                for inner_key, inner_value in value.items():
                    add(str(key), inner_key, inner_value)
            else:
                add(name, key, value)
    return per_township, outside


def flagged(reported: int, increase: int | None, margin: float) -> bool:
    """Reports exceed the registration increase by more than margin × increase (any report counts when it did not rise)."""
    if increase is None or reported <= 0:
        return False
    return reported - increase > margin * max(increase, 0)


def reconcile(db, first_day=None, last_day=None, *, townships=None) -> dict:
    """Per township over a period: reported installs by channel, registration increase, excess and flag.

    The increase runs from the latest snapshot before first_day (else the earliest) to the latest
    snapshot on or before last_day; reports are counted over the days between those snapshots.
    Defaults: the campaign start to today; townships: only these rows (one county of a city).
    """
    conf = settings.get_all(db)
    first_day = clock.as_date(first_day or conf["start_date"])
    last_day = clock.as_date(last_day or clock.today())
    version = store.active_version(db, conf)
    empty = {"base": None, "end": None, "first_day": None, "last_day": None, "margin": conf["reconcile_margin"],
             "table": pd.DataFrame(), "outside": {}, "channels": [name for name, _ in channels()]}
    end = store.latest_snapshot(db, last_day)
    if version is None or end is None:
        return empty
    base = store.latest_snapshot(db, first_day - dt.timedelta(days=1))
    if base is None:
        base = store.first_snapshot(db)
    if base >= end:
        return {**empty, "base": base, "end": end}
    only, townships = townships, store.version_townships(db, version.id)
    before, after = store.registration_sums(db, base), store.registration_sums(db, end)
    reports, outside = reported_by_township(db, base + dt.timedelta(days=1), end, townships)
    seen = {c for figures in reports.values() for c in figures} | set(outside)
    names = ["staff"] + sorted(seen - {"staff"})
    records = []
    for township in townships if only is None else sorted(set(townships) & set(only)):
        by_channel = reports.get(township, {})
        reported = sum(by_channel.values())
        increase = after[township][0] - before[township][0] if township in after and township in before else None
        records.append({
            "township": township, **{f"reported_{c}": by_channel.get(c, 0) for c in names}, "reported": reported,
            "increase": increase, "excess": None if increase is None else reported - increase,
            "ratio": None if not increase or increase <= 0 else reported / increase,
            "flagged": flagged(reported, increase, conf["reconcile_margin"]),
        })
    table = pd.DataFrame(records)
    if records:
        table = table.sort_values(["flagged", "excess"], ascending=[False, False], na_position="last")
    return {**empty, "base": base, "end": end, "first_day": base + dt.timedelta(days=1), "last_day": end,
            "table": table.reset_index(drop=True), "outside": outside, "channels": names}
