"""The demo county's month of daily installs ending on the load day, generated from a fixed seed (same day, same data)."""

import datetime as dt
import io
import random

import numpy as np
import pandas as pd

from campaign.infra import clock, imports
from campaign.infra.actors import SYSTEM
from campaign.infra.tables import Upload
from campaign.installs.imports import KINDS
from campaign.org.demo import DATA, SEED


def demo_installs(staff: pd.DataFrame, today: dt.date, days: int = 30, seed: int = SEED) -> pd.DataFrame:
    """About a month of daily installs ending `today`: some units far ahead, some lagging, some days unreported."""
    rng = random.Random(f"{seed}-{today.isoformat()}")
    active = staff[staff["在职"] == "是"]
    rows = []
    start = today - dt.timedelta(days=days - 1)
    for unit, people in active.groupby("单位", sort=True):
        people = list(zip(people["姓名"].tolist(), people["手机号"].tolist()))  # (a plain list: itertuples per day was most of the demo's load)
        vigour = min(rng.lognormvariate(-0.1, 0.45), 2.2)  # 1.0 ≈ quota reached in a month
        diligence = rng.uniform(0.55, 0.97)
        for offset in range(days):
            day = start + dt.timedelta(days=offset)
            reporting = diligence * (0.6 if offset == days - 1 else 1.0)
            if rng.random() > reporting:
                continue
            fade = 1.4 - 0.8 * offset / days  # the push is strongest at the start
            for name, phone in people:
                mean = 30 / days * vigour * fade
                count = max(0, int(rng.gauss(mean, mean * 0.9) + 0.5))
                if count or rng.random() < 0.25:
                    rows.append([unit, name, phone, day.isoformat(), count])
    return pd.DataFrame(rows, columns=["单位", "姓名", "手机号", "日期", "安装数"])


def _csv_upload(name: str, frame: pd.DataFrame) -> Upload:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False)
    return Upload(name, buffer.getvalue().encode("utf-8"))


def load(db, today: dt.date) -> None:
    """About a month of installs for the demo staff (inside the demo's transaction)."""
    staff = pd.read_csv(DATA / "staff.csv", dtype=str, keep_default_na=False)
    imports.run(db, SYSTEM, "installs", KINDS["installs"], _csv_upload("demo_installs.csv", demo_installs(staff, today)))


# ---- the synthetic city (campaign.city) ---------------------------------------------------------

INSTALL_INDEXES = {  # the schema's install index, rebuilt after the bulk load
    "install_reports_current": "CREATE UNIQUE INDEX install_reports_current ON install_reports(staff_id, day)"
                               " WHERE superseded_by IS NULL",
}


def load_city(db, rng, ranked, unit_of, staff_ids, start: dt.date, days: int) -> int:
    """The city's install reports in bulk, with the install index dropped while they go in (inside the
    generator's transaction; build_city_indexes rebuilds it): each person reports on about 42% of days,
    vigour varies by unit and person. Returns the reports written."""
    for name in INSTALL_INDEXES:
        db.execute(f"DROP INDEX IF EXISTS {name}")
    n = len(unit_of)
    unit_vigour = dict(zip(ranked, rng.lognormal(0, 0.45, len(ranked))))
    vigour = np.array([unit_vigour[u] for u in unit_of.tolist()]) * rng.lognormal(0, 0.5, n)
    report_p = np.clip(0.42 * rng.lognormal(0, 0.3, n), 0.02, 0.95)
    entry = db.execute("INSERT INTO entries (entered_by, entered_at, source) VALUES ('city-demo', ?, 'import')",
                       [clock.stamp()]).lastrowid
    total = 0
    for offset in range(days):
        day = (start + dt.timedelta(days=offset)).isoformat()
        fade = 1.4 - 0.8 * offset / days
        reported = rng.random(n) < report_p
        values = rng.poisson(30 / days / 0.42 * vigour[reported] * fade)
        db.conn.executemany(f"INSERT INTO install_reports (staff_id, day, installs, entry_id) VALUES (?, ?, ?, {entry})",
                            zip(staff_ids[reported].tolist(), [day] * int(reported.sum()), values.tolist()))
        total += int(reported.sum())
    return total


def build_city_indexes(db) -> None:
    """The install index dropped by load_city."""
    for sql in INSTALL_INDEXES.values():
        db.execute(sql)
