"""Reconciliation: installs reported in each township beside the rise in official registrations.

Reported installs come from every feature that records installs: each answers the hook
`campaign.infra.hooks.INSTALLS_BY_PLACE` (connected by campaign.features) with
{channel: {key: installs}} for the installs recorded on days first..last. A key is a unit id of the
org tree (rolled up to its township) or a township name; today that brings in the staff's installs
(campaign.installs) and the schools, grids, enterprises and windows (campaign.outreach). A township
is flagged when its reports exceed the registration increase over the same days by more than the
margin set in settings.

The county row (issue 20) compares what every unit's staff reported, departments included (their staff
recruit relatives anywhere in the county, so they belong to no township), and every channel, with the
rise in the whole county's registrations, flagged by the same margin; the township rows are a part of it.
Beside each township: the QR-code scans made there (campaign.scans, issue 18).
"""

import datetime as dt

import pandas as pd

from campaign.coverage import store
from campaign.org import units
from campaign.infra import clock, hooks, settings
from campaign.scans import counts as scan_counts


def reported_by_channel(db, first_day: dt.date, last_day: dt.date) -> dict[str, dict]:
    """{channel: {unit id or township name: installs}} over days first_day..last_day, from every feature that records installs."""
    merged: dict = {}
    for answer in hooks.call(hooks.INSTALLS_BY_PLACE, db, first_day, last_day):
        for channel, figures in answer.items():
            slot = merged.setdefault(channel, {})
            for key, value in figures.items():
                slot[key] = slot.get(key, 0) + int(value)
    return merged


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


def reported_by_township(db, first_day: dt.date, last_day: dt.date, townships, *, merged=None) -> tuple[dict, dict]:
    """({township: {channel: installs}}, {channel: installs outside any township}) over the days given
    (`merged`: reported_by_channel's answer for those days, when the caller has it)."""
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

    for channel, figures in (merged if merged is not None else reported_by_channel(db, first_day, last_day)).items():
        for key, value in figures.items():
            add(channel, key, value)
    return per_township, outside


def scans_by_township(db, first_day: dt.date, last_day: dt.date, townships) -> dict[str, int]:
    """{township: QR-code scans there} over the days given: its units' staff's personal codes and its locations' codes (issue 18)."""
    where = unit_townships(db, set(townships), store.aliases(db))
    found: dict = {}
    for uid, scans in scan_counts.place_scans(db, first_day, last_day).items():
        if uid in where:
            found[where[uid]] = found.get(where[uid], 0) + scans
    return found


def flagged(reported: int, increase: int | None, margin: float) -> bool:
    """Reports exceed the registration increase by more than margin × increase (any report counts when it did not rise)."""
    if increase is None or reported <= 0:
        return False
    return reported - increase > margin * max(increase, 0)


def county_reported(db, first_day: dt.date, last_day: dt.date, *, county=None, townships=None, merged=None) -> dict[str, int]:
    """{channel: installs} reported anywhere in the county over the days given: every unit's, departments
    included (below the unit `county` only, when given, and of these `townships` only for a township name;
    `merged`: reported_by_channel's answer for those days, when the caller has it)."""
    below = None if county is None else units.descendants(db, [county])
    totals: dict = {}
    for channel, figures in (merged if merged is not None else reported_by_channel(db, first_day, last_day)).items():
        for key, value in figures.items():
            if _in_county(key, below, townships):
                totals[channel] = totals.get(channel, 0) + int(value)
    return totals


def _in_county(key, below, townships) -> bool:
    if isinstance(key, str):  # a township's name
        return townships is None or key in townships
    if key is None:  # a channel's report placed in no township: counted for the whole database only
        return below is None
    return below is None or key in below


def county_row(reported: dict, names: list, increase: int | None, placed: int, margin: float) -> dict:
    """The county's reconciliation row: reported per channel and in all, the registrations' rise, the excess,
    and `unplaced` (reported by units in no township: the county departments, mostly)."""
    total = sum(reported.values())
    return {"township": None, "county": True, **{f"reported_{c}": reported.get(c, 0) for c in names}, "reported": total,
            "increase": increase, "excess": None if increase is None else total - increase,
            "ratio": None if not increase or increase <= 0 else total / increase,
            "flagged": flagged(total, increase, margin), "unplaced": total - placed}


def with_county_row(result: dict, label: str | None = None) -> pd.DataFrame:
    """A reconciliation's township rows and then its county row ("county": true, "township": `label`, None
    unless a page names it); a township row has no `unplaced` (NaN)."""
    table = result["table"]
    if not result["county"]:
        return table
    return pd.concat([table, pd.DataFrame([{**result["county"], "township": label}])], ignore_index=True)


def reconcile(db, first_day=None, last_day=None, *, townships=None, county=None) -> dict:
    """Per township over a period: reported installs by channel, registration increase, excess and flag.

    The increase runs from the latest snapshot before first_day (else the earliest) to the latest
    snapshot on or before last_day; reports are counted over the days between those snapshots.
    Defaults: the campaign start to today; townships: only these rows (one county of a city, the unit `county`).
    "county" is the county's row (county_row), None without two snapshots.
    """
    conf = settings.get_all(db)
    first_day = clock.as_date(first_day or conf["start_date"])
    last_day = clock.as_date(last_day or clock.today())
    version = store.active_version(db, conf)
    empty = {"base": None, "end": None, "first_day": None, "last_day": None, "margin": conf["reconcile_margin"],
             "table": pd.DataFrame(), "outside": {}, "channels": [], "county": None}
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
    merged = reported_by_channel(db, base + dt.timedelta(days=1), end)  # read once: the townships' rows and the county's
    reports, outside = reported_by_township(db, base + dt.timedelta(days=1), end, townships, merged=merged)
    scanned = scans_by_township(db, base + dt.timedelta(days=1), end, townships)
    seen = {c for figures in reports.values() for c in figures} | set(outside)
    names = ["staff"] + sorted(seen - {"staff"})
    records = []
    for township in townships if only is None else sorted(set(townships) & set(only)):
        by_channel = reports.get(township, {})
        reported = sum(by_channel.values())
        increase = after[township][0] - before[township][0] if township in after and township in before else None
        records.append({
            "township": township, "county": False, **{f"reported_{c}": by_channel.get(c, 0) for c in names}, "reported": reported,
            "increase": increase, "excess": None if increase is None else reported - increase,
            "ratio": None if not increase or increase <= 0 else reported / increase,
            "flagged": flagged(reported, increase, conf["reconcile_margin"]),
            "scans": scanned.get(township, 0),
        })
    included = set(townships) if only is None else set(townships) & set(only)
    both = [t for t in included if t in after and t in before]
    county_rise = sum(after[t][0] - before[t][0] for t in both) if both else None
    whole = county_reported(db, base + dt.timedelta(days=1), end, county=county,
                            townships=None if only is None else included, merged=merged)
    names += sorted(set(whole) - set(names))
    placed = sum(sum(reports.get(t, {}).values()) for t in included)
    table = pd.DataFrame(records)
    if records:
        table = table.sort_values(["flagged", "excess"], ascending=[False, False], na_position="last")
    return {**empty, "base": base, "end": end, "first_day": base + dt.timedelta(days=1), "last_day": end,
            "table": table.reset_index(drop=True), "outside": outside, "channels": names,
            "county": county_row(whole, names, county_rise, placed, conf["reconcile_margin"])}
