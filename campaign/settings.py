"""Campaign settings: typed values with defaults, changed only by administrators, audited."""

import datetime as dt
import json

from campaign import access, audit, clock, coverage
from campaign import supervision_rules
from campaign.outreach_settings import parse_date_range
from campaign import flyers_target
from campaign.db import write
from campaign.errors import InvalidValue


def _int(lo, hi):
    def parse(value):
        try:
            number = int(str(value).strip())
        except ValueError:
            raise InvalidValue("error.not_integer", value=value) from None
        if not lo <= number <= hi:
            raise InvalidValue("error.out_of_range", value=number, lo=lo, hi=hi)
        return number

    return parse


def _date(value):
    try:
        return clock.as_date(value).isoformat()
    except ValueError:
        raise InvalidValue("error.bad_date", value=value) from None


def _time(value):
    try:
        return dt.time.fromisoformat(str(value).strip()).strftime("%H:%M")
    except ValueError:
        raise InvalidValue("error.bad_time", value=value) from None


def _text(value):
    text = str(value).strip()
    if not text:
        raise InvalidValue("error.empty", value=value)
    return text


# key -> (default, parser). A default of None is computed at first read (dates relative to today).
SPECS = {
    "campaign_name": ("国家反诈中心APP推广（演示）", _text),
    "county_name": ("全南县（演示）", _text),
    "start_date": (None, _date),
    "deadline": (None, _date),
    "default_quota": (30, _int(1, 10_000)),
    "entry_cutoff": ("12:00", _time),
    "max_daily_installs": (200, _int(1, 100_000)),
    "laggard_days": (3, _int(1, 60)),
    "laggard_bottom": (5, _int(1, 50)),
    # accounts and uploads (issue 6)
    "session_hours": (12, _int(1, 720)),
    "lockout_failures": (5, _int(3, 20)),
    "lockout_minutes": (15, _int(1, 1440)),
    "upload_max_mb": (20, _int(1, 200)),
    # coverage and city targets (issue 5)
    "coverage_population_version": (None, coverage.parse_optional_id),
    "target_coverage": (None, coverage.parse_target),
    "target_coverage_16_60": (None, coverage.parse_target),
    "target_deadline": (None, coverage.parse_optional_date),
    "reconcile_margin": (0.1, coverage.parse_margin),
    # supervision, letters and the bulletin (issue 7)
    "spot_check_min_rate": (0.9, supervision_rules.parse_min_rate),
    "letter_reply_days": (7, _int(1, 60)),
    "letterhead": (None, supervision_rules.parse_optional_text),
    "letter_number_prefix": (None, supervision_rules.parse_optional_text),
    "bulletin_top_n": (5, _int(1, 20)),
    # outreach channels (issue 3)
    "grid_idle_days": (7, _int(1, 90)),
    "school_push": (None, parse_date_range),  # [start, end]; None: the campaign's first 14 days
    "outreach_max_daily": (2000, _int(1, 100_000)),
    # QR-code flyers (issue 4): the address the QR code opens; may hold {code} for one code per location
    "flyer_qr_target": (flyers_target.DEFAULT_TARGET, flyers_target.parse_target),
}


def get_all(db) -> dict:
    """Every setting, stored value or default."""
    stored = {row[0]: json.loads(row[1]) for row in db.execute("SELECT key, value FROM settings")}
    values = {key: stored.get(key, SPECS[key][0]) for key in SPECS}
    if values["start_date"] is None:
        values["start_date"] = (clock.today() - dt.timedelta(days=29)).isoformat()
    if values["deadline"] is None:
        values["deadline"] = (clock.as_date(values["start_date"]) + dt.timedelta(days=60)).isoformat()
    return values


def get(db, key):
    """One setting's value."""
    return get_all(db)[key]


def update(db, actor, changes: dict) -> dict:
    """Validate and store changed settings (administrators only); returns the parsed values."""
    access.require_admin(actor)
    unknown = set(changes) - set(SPECS)
    if unknown:
        raise InvalidValue("error.unknown_setting", value=", ".join(sorted(unknown)))
    parsed = {key: SPECS[key][1](value) for key, value in changes.items()}
    current = get_all(db)
    start = clock.as_date(parsed.get("start_date", current["start_date"]))
    deadline = clock.as_date(parsed.get("deadline", current["deadline"]))
    if deadline < start:
        raise InvalidValue("error.deadline_before_start", value=deadline.isoformat())
    with write(db):
        for key, value in parsed.items():
            if current.get(key) == value:
                continue
            db.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, json.dumps(value, ensure_ascii=False)],
            )
            audit.record(db, actor, "update", "setting", key, old=current.get(key), new=value)
        if any(current.get(k) != parsed[k] for k in ("default_quota", "start_date") if k in parsed):
            from campaign import summaries  # issue 9: credited installs depend on quotas and the start

            summaries.rebuild(db)
    return parsed
