"""The units tree's settings: the guidance number below which a quota needs a reason, and the largest quota a unit
or a person may be given (a bad cell, not a target)."""

from campaign.infra.settings import Setting, integer

SETTINGS = (
    Setting("quota_guidance", 30, integer(1, 10_000)),  # the county's 每人不少于 30
    Setting("max_quota", 1000, integer(1, 1_000_000)),
)
