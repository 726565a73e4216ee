"""Reconciliation: installs reported in each township beside the rise in official registrations.

Reported installs come from every feature that records installs: each answers the hook
`campaign.infra.hooks.INSTALLS_BY_PLACE` (connected by campaign.features) with
{channel: {key: installs}} for the installs recorded on days first..last. A key is a unit id of the
org tree (rolled up to its township) or a township name; today that brings in the staff's installs
(campaign.installs) and the schools, grids, enterprises and windows (campaign.outreach). A township
is flagged when its reports exceed the registration increase over the same days by more than the
margin set in settings. Beside each township: the QR-code scans made there (campaign.scans, issue 18).
"""

import datetime as dt

import pandas as pd

from campaign.coverage import store
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

    for channel, figures in reported_by_channel(db, first_day, last_day).items():
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
             "table": pd.DataFrame(), "outside": {}, "channels": []}
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
    scanned = scans_by_township(db, base + dt.timedelta(days=1), end, townships)
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
            "scans": scanned.get(township, 0),
        })
    table = pd.DataFrame(records)
    if records:
        table = table.sort_values(["flagged", "excess"], ascending=[False, False], na_position="last")
    return {**empty, "base": base, "end": end, "first_day": base + dt.timedelta(days=1), "last_day": end,
            "table": table.reset_index(drop=True), "outside": outside, "channels": names}
