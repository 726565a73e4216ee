"""Raw-row references: the rankings, laggards, progress and entry sheet computed straight from the install
reports, the way the rules read (slow at city scale). The tests hold the summaries' fast reads
(campaign.installs.rankings, entries) to these, and bench/city.py times one; no page or command uses them."""

import datetime as dt

import pandas as pd

from campaign.infra import clock, settings
from campaign.installs import quota
from campaign.installs.rankings import unit_info
from campaign.org import access, quotas, units
from campaign.org import staff as staff_mod


def per_staff(db, day, conf=None, *, unit_id=None) -> pd.DataFrame:
    """Each active person with their quota, installs through `day`, through the day before, and whether reported on `day`."""
    conf = conf or settings.get_all(db)
    day = clock.as_date(day)
    frame = pd.read_sql_query(
        f"""SELECT s.id AS staff_id, s.unit_id, s.name, s.quota AS own_quota,
                  COALESCE(SUM(CASE WHEN r.day <= :day THEN r.installs END), 0) AS installs,
                  COALESCE(SUM(CASE WHEN r.day <= :prev THEN r.installs END), 0) AS installs_prev,
                  COUNT(CASE WHEN r.day = :day THEN 1 END) AS reported
           FROM staff s
           LEFT JOIN install_reports r
             ON r.staff_id = s.id AND r.superseded_by IS NULL AND r.day >= :start AND r.day <= :day
           WHERE s.active = 1{" AND s.unit_id = :unit" if unit_id is not None else ""}
           GROUP BY s.id""",
        db.conn,
        params={"day": day.isoformat(), "prev": (day - dt.timedelta(days=1)).isoformat(), "start": conf["start_date"],
                "unit": unit_id},
    )
    unit_quota = units.effective_quotas(db, conf["default_quota"])
    frame["quota"] = frame["own_quota"].fillna(frame["unit_id"].map(unit_quota)).astype(int)
    return frame.drop(columns="own_quota")


def _rank(staff: pd.DataFrame, column: str, unit_info: pd.DataFrame) -> pd.DataFrame:
    table = quota.unit_completion(staff.assign(installs=staff[column]))
    table = table.merge(unit_info, on="unit_id")
    table["rank"] = quota.rank_within(table, "completion")
    return table


def unit_ranking_from_raw(db, day=None) -> pd.DataFrame:
    """Reference for unit_ranking: the same table computed from the raw install reports (slow at city scale)."""
    day = clock.as_date(day or clock.today())
    conf = settings.get_all(db)
    staff = per_staff(db, day, conf)
    info = unit_info(db)
    today = _rank(staff, "installs", info)
    before = _rank(staff, "installs_prev", info)[["unit_id", "completion", "rank", "installs"]]
    before.columns = ["unit_id", "completion_prev", "rank_prev", "installs_prev"]
    reported = staff.groupby("unit_id")["reported"].sum().rename("reports_today")
    table = today.merge(before, on="unit_id").merge(reported, on="unit_id")
    return quotas.mark_units(db, _with_changes(table), conf["quota_guidance"])


def staff_ranking_from_raw(db, actor, unit_id: int, day=None) -> pd.DataFrame:
    """Reference for staff_ranking, from the raw install reports (slow for a large unit)."""
    access.require_details(db, actor, unit_id)
    day = clock.as_date(day or clock.today())
    staff = per_staff(db, day, unit_id=unit_id)
    staff = staff[staff["unit_id"] == unit_id].copy()
    staff["completion"] = (staff["installs"] / staff["quota"]).clip(upper=1.0)
    staff["rank"] = quota.competition_rank(list(staff["installs"]))
    staff["installs_today"] = staff["installs"] - staff["installs_prev"]
    staff = staff.sort_values(["rank", "name"])
    table = staff[["rank", "staff_id", "name", "installs", "quota", "completion", "installs_today"]].reset_index(drop=True)
    return quotas.mark_people(db, unit_id, table, settings.get(db, "quota_guidance"), id_column="staff_id")


def laggards_from_raw(db, day=None) -> pd.DataFrame:
    """Reference for laggards, from the raw install reports."""
    day = clock.as_date(day or clock.today())
    conf = settings.get_all(db)
    n, days = conf["laggard_bottom"], conf["laggard_days"]
    info = unit_info(db)
    bottoms = []
    for back in range(days - 1, -1, -1):
        staff = per_staff(db, day - dt.timedelta(days=back), conf)
        bottoms.append(quota.bottom(_rank(staff, "installs", info), n))
    hit = quota.laggards(bottoms, days)
    table = unit_ranking_from_raw(db, day)
    return table[table["unit_id"].isin(hit)].reset_index(drop=True)


def progress_from_raw(db, day=None) -> dict:
    """Reference for progress, from the raw install reports."""
    day = clock.as_date(day or clock.today())
    conf = settings.get_all(db)
    start, deadline = clock.as_date(conf["start_date"]), clock.as_date(conf["deadline"])
    staff = per_staff(db, day, conf)
    quota_total = int(staff["quota"].sum())
    reports = pd.read_sql_query(
        """SELECT r.staff_id, r.day, r.installs FROM install_reports r JOIN staff s ON s.id = r.staff_id
           WHERE s.active = 1 AND r.superseded_by IS NULL AND r.day >= ? AND r.day <= ? ORDER BY r.staff_id, r.day""",
        db.conn,
        params=[start.isoformat(), day.isoformat()],
        dtype={"installs": "int64"},  # typed even when no report exists yet (an empty frame's cumsum fails otherwise)
    )
    # Credited installs per day: each person's running total counts only up to their quota.
    reports["quota"] = reports["staff_id"].map(staff.set_index("staff_id")["quota"])
    running = reports.groupby("staff_id")["installs"].cumsum()
    credited_running = running.clip(upper=reports["quota"])
    reports["credited"] = credited_running - credited_running.groupby(reports["staff_id"]).shift(fill_value=0)
    daily = reports.groupby("day")[["installs", "credited"]].sum().reset_index()
    days = pd.date_range(start, max(day, start), freq="D")
    series = pd.DataFrame({"day": days.date})
    series = series.merge(daily.assign(day=pd.to_datetime(daily["day"]).dt.date), on="day", how="left").fillna(0)
    series["installs"] = series["installs"].astype(int)
    series["cumulative"] = series["installs"].cumsum()
    series["credited"] = series["credited"].astype(int).cumsum()
    span = max((deadline - start).days + 1, 1)
    series["pace"] = [round(quota_total * min((d - start).days + 1, span) / span) for d in series["day"]]
    credited = int(staff[["installs", "quota"]].min(axis=1).sum())
    remaining = int((staff["quota"] - staff["installs"]).clip(lower=0).sum())
    return {
        "series": series,
        "quota_total": quota_total,
        "installs": int(staff["installs"].sum()),
        "completion": credited / quota_total if quota_total else None,
        "remaining": remaining,
        "needed_per_day": quota.needed_per_day(remaining, day, deadline),
        "days_left": max((deadline - day).days + 1, 0),
        "staff_at_quota": int((staff["installs"] >= staff["quota"]).sum()),
        "staff": len(staff),
    }


def _with_changes(table: pd.DataFrame) -> pd.DataFrame:
    """Add the day-over-day change columns to a ranked table and order it for display."""
    table["change"] = table["completion"] - table["completion_prev"]
    table["installs_today"] = table["installs"] - table["installs_prev"]
    table["rank_change"] = table["rank_prev"] - table["rank"]
    table["no_report"] = table["reports_today"] == 0
    table = table.sort_values(["group", "rank", "installs", "code"], ascending=[False, True, False, True])
    columns = ["unit_id", "code", "unit", "type", "group", "rank", "staff", "quota_total", "installs",
               "completion", "at_quota", "installs_today", "change", "rank_change", "no_report"]
    return table[columns].reset_index(drop=True)


def entry_sheet_from_raw(db, actor, unit_id: int, day) -> pd.DataFrame:
    """Reference for entry_sheet, from the raw install reports (slow for a large unit)."""
    day = clock.as_date(day).isoformat()
    people = staff_mod.list_staff(db, actor, unit_id)
    conf = settings.get_all(db)
    unit_quota = units.effective_quotas(db, conf["default_quota"])[unit_id]
    figures = pd.read_sql_query(
        """SELECT staff_id AS id,
                  SUM(CASE WHEN day = ? THEN installs END) AS today,
                  SUM(installs) AS total
           FROM install_reports r JOIN staff s ON s.id = r.staff_id
           WHERE s.unit_id = ? AND r.superseded_by IS NULL AND r.day <= ? AND r.day >= ?
           GROUP BY staff_id""",
        db.conn,
        params=[day, unit_id, day, conf["start_date"]],
    )
    sheet = people.merge(figures, on="id", how="left")
    sheet["quota"] = sheet["quota"].fillna(unit_quota).astype(int)
    sheet["total"] = sheet["total"].fillna(0).astype(int)
    sheet["today"] = sheet["today"].astype("Int64")
    sheet["progress"] = (sheet["total"] / sheet["quota"]).clip(upper=1.0)
    return quotas.mark_people(db, unit_id, sheet[["id", "name", "phone", "today", "total", "quota", "progress"]].copy(),
                              conf["quota_guidance"])
