"""The four outreach channels, pure data: the unit types each reports for and the fields of its daily entry."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Channel:
    """A channel: the unit types it reports for and the fields of its daily entry, in screen order."""

    key: str
    unit_types: tuple
    fields: tuple


CHANNELS = {
    "schools": Channel("schools", ("class",), ("installs", "flyers")),
    "grids": Channel("grids", ("grid",), ("reached", "flyers", "installs")),
    "enterprises": Channel("enterprises", ("enterprise", "business_group"), ("reached", "installs")),
    "windows": Channel("windows", ("window",), ("qr_shown", "flyers_shown", "flyers", "installs")),
}
CHANNEL_OF_TYPE = {unit_type: c.key for c in CHANNELS.values() for unit_type in c.unit_types}
# Unit types a channel's registry adds to the tree (entry units and the levels above them).
REGISTRY_TYPES = ("school", "class", "village", "grid", "park", "enterprise", "business_group", "window")
TOWNSHIP_TYPES = ("township", "community")
