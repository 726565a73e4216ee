"""The org feature's settings: the guidance number below which a quota needs a reason."""

from campaign.infra.settings import Setting, integer

SETTINGS = (Setting("quota_guidance", 30, integer(1, 10_000)),)  # the county's 每人不少于 30
