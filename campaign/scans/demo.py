"""The demo county's scans (issue 18): QR codes lead to this app, every employee has a personal code, and a
month of counted scans ends on the load day.

Seeded, so the same day gives the same data (and the personal codes are the same every day). About half the
units use their personal codes: each day their staff's codes are scanned about as often as the unit reports
installs (0.6–1.2 times), except one department whose reports run far ahead of its scans (the plausibility
flag); windows, grids and classes are scanned now and then, classes most at the start-of-term push; a few
scans a day carry a code nobody issued. Most scans come through WeChat (the in-app page), then Android,
iPhone and others.
"""

import datetime as dt
import random

from campaign.infra import audit, settings
from campaign.infra.actors import SYSTEM
from campaign.installs import summaries
from campaign.scans import codes, counts, rules
from campaign.scans.tally import UNKNOWN

SEED = 20261218
PUBLIC_URL = "http://127.0.0.1:8501"  # where `streamlit run app.py` serves the demo on this machine
PLATFORM_SHARE = {"in_app": 0.56, "android": 0.28, "ios": 0.13, "other": 0.03}
USERS = ("T01", "T10", "D018")  # always among the units using personal codes (the demo accounts' own)
INFLATED = "D019"  # reports far more installs than its codes were scanned


def _split(rng, scans: int) -> dict[str, int]:
    found = dict.fromkeys(rules.PLATFORMS, 0)
    for platform in rng.choices(list(PLATFORM_SHARE), weights=list(PLATFORM_SHARE.values()), k=scans):
        found[platform] += 1
    return found


def demo_counts(db, today: dt.date, seed: int = SEED) -> dict[tuple[str, str, str], int]:
    """{(code, day, platform): scans} from the campaign's start to `today`."""
    rng = random.Random(f"{seed}-{today.isoformat()}")
    start = dt.date.fromisoformat(settings.get(db, "start_date"))
    staff: dict[int, list[str]] = {}
    for uid, code in db.execute("SELECT s.unit_id, c.code FROM staff s JOIN scan_codes c ON c.staff_id = s.id"
                                " WHERE s.active = 1 ORDER BY s.id"):
        staff.setdefault(uid, []).append(code)
    unit_codes = dict(db.execute("SELECT id, code FROM units"))
    users = [uid for uid in sorted(staff) if unit_codes[uid] in (*USERS, INFLATED) or rng.random() < 0.45]
    share = {uid: 0.12 if unit_codes[uid] == INFLATED else rng.uniform(0.6, 1.2) for uid in users}
    places = db.execute("SELECT code, type FROM units WHERE type IN ('window', 'grid', 'class') AND active = 1"
                        " ORDER BY code").fetchall()
    found: dict = {}

    def add(code, day, scans):
        for platform, n in _split(rng, scans).items():
            if n:
                found[(code, day, platform)] = found.get((code, day, platform), 0) + n

    for offset in range((today - start).days + 1):
        day = start + dt.timedelta(days=offset)
        before = (day - dt.timedelta(days=1)).isoformat()
        rows = summaries.unit_days(db, before, day.isoformat(), columns=("unit_id", "installs"))
        for uid, installs in zip(rows["unit_id"].tolist(), rows["installs"].tolist()):
            if uid in share and staff.get(uid):
                for code in rng.choices(staff[uid], k=round(installs * share[uid])):
                    add(code, day.isoformat(), 1)
        push = offset < 14
        for code, kind in places:
            chance, most = {"window": (0.5, 6), "grid": (0.35, 4), "class": (0.5 if push else 0.08, 8)}[kind]
            if rng.random() < chance:
                add(code, day.isoformat(), rng.randint(1, most))
        add(UNKNOWN, day.isoformat(), rng.randint(0, 3))
    return found


def load(db, today: dt.date) -> int:
    """QR codes to this app, seeded personal codes, a month of scans (inside the demo's transaction); returns the scans."""
    settings.update(db, SYSTEM, {"scan_landing": "app", "scan_public_url": PUBLIC_URL})
    # The staff import gave everyone a code drawn by `secrets`; nothing is printed yet, so the demo's own are drawn
    # from the seed instead: the same demo county every day.
    db.execute("DELETE FROM scan_codes")
    codes.issue_missing(db, random.Random(SEED))
    scans = counts.flush(db, demo_counts(db, today))
    audit.record(db, SYSTEM, "demo", "scan_counts", None, detail={"scans": scans})
    return scans
