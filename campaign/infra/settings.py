"""Campaign settings: typed values with defaults, changed only by administrators, audited.

Each feature declares its own settings (`Setting`: key, default, parser, and what to do after a
change); the composition root (campaign.features) registers them here, in the features' order.
This module knows no feature.
"""

import datetime as dt
import json
from dataclasses import dataclass
from typing import Callable

from campaign.infra import audit, clock
from campaign.infra.actors import require_admin
from campaign.infra.db import write
from campaign.infra.parse import typed_name
from campaign.infra.errors import InvalidValue


@dataclass(frozen=True)
class Setting:
    """One setting. `default` is a value, or a function of the values read so far (dates relative to today).
    `on_change(db)` runs in the same transaction after the value changed; `check(values)` refuses a
    combination of values (raising InvalidValue)."""

    key: str
    default: object
    parse: Callable
    on_change: Callable | None = None
    check: Callable | None = None


_SPECS: dict[str, Setting] = {}


def register(specs) -> None:
    """Add settings (the composition root does this once per feature); a key declared twice is a bug."""
    for spec in specs:
        if spec.key in _SPECS and _SPECS[spec.key] is not spec:
            raise KeyError(f"setting {spec.key!r} declared twice")
        _SPECS[spec.key] = spec


def specs() -> dict[str, Setting]:
    """Every registered setting by key, in registration order."""
    return dict(_SPECS)


# ---- parsers shared by the features' settings ------------------------------------------------

def integer(lo, hi):
    """A parser of whole numbers from lo to hi."""
    def parse(value):
        try:
            number = int(str(value).strip())
        except ValueError:
            raise InvalidValue("error.not_integer", value=value) from None
        if not lo <= number <= hi:
            raise InvalidValue("error.out_of_range", value=number, lo=lo, hi=hi)
        return number

    return parse


def date(value):
    """An ISO date."""
    try:
        return clock.as_date(value).isoformat()
    except ValueError:
        raise InvalidValue("error.bad_date", value=value) from None


def time_of_day(value):
    """HH:MM."""
    try:
        return dt.time.fromisoformat(str(value).strip()).strftime("%H:%M")
    except ValueError:
        raise InvalidValue("error.bad_time", value=value) from None


def text(value):
    """Text that must not be empty nor hold a hidden control or direction character."""
    return typed_name(value)


BUILTIN = (Setting("upload_max_mb", 20, integer(1, 200)),)  # every upload (imports, attachments)


# ---- reading and writing --------------------------------------------------------------------

def get_all(db) -> dict:
    """Every setting, stored value or default."""
    stored = {row[0]: json.loads(row[1]) for row in db.execute("SELECT key, value FROM settings")}
    values: dict = {}
    for key, spec in _SPECS.items():
        value = stored.get(key, None if callable(spec.default) else spec.default)
        values[key] = spec.default(values) if value is None and callable(spec.default) else value
    return values


def get(db, key):
    """One setting's value."""
    return get_all(db)[key]


def update(db, actor, changes: dict) -> dict:
    """Validate and store changed settings (administrators only); returns the parsed values."""
    require_admin(actor)
    unknown = set(changes) - set(_SPECS)
    if unknown:
        raise InvalidValue("error.unknown_setting", value=", ".join(sorted(unknown)))
    parsed = {key: _SPECS[key].parse(value) for key, value in changes.items()}
    current = get_all(db)
    merged = {**current, **parsed}
    for spec in _SPECS.values():
        if spec.check is not None:
            spec.check(merged)
    with write(db):
        hooks = []
        for key, value in parsed.items():
            if current.get(key) == value:
                continue
            db.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, json.dumps(value, ensure_ascii=False)],
            )
            audit.record(db, actor, "update", "setting", key, old=current.get(key), new=value)
            if _SPECS[key].on_change is not None and _SPECS[key].on_change not in hooks:
                hooks.append(_SPECS[key].on_change)
        for hook in hooks:
            hook(db)
    return parsed
