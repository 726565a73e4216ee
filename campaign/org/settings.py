"""The units tree's settings: the largest quota a unit or a person may be given (a bad cell, not a target)."""

from campaign.infra.settings import Setting, integer

SETTINGS = (Setting("max_quota", 1000, integer(1, 1_000_000)),)
