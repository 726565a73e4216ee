"""Hooks: how a feature reacts to another's change, or answers another's question, without importing it.

A feature names the hooks it serves in its Feature (`hooks={UNITS_CHANGED: …}`); the composition root
(campaign.features) connects them, in the features' order. The feature that changes something or asks
something calls the hook by name and gets every answer back.
"""

# The units tree, a unit's quota or a person's quota or active flag changed (inside the write's transaction).
UNITS_CHANGED = "units_changed"
# Installs recorded over days first..last, by where they were made: (db, first_day, last_day) ->
# {channel: {unit id or township name: installs}} (for coverage's reconciliation).
INSTALLS_BY_PLACE = "installs_by_place"
# Units on the laggard list with the day each joined it: (db, {unit id: date}) -> {unit id: {"id", "held_on",
# "held_by"}} for the units with a talk (约谈) recorded on or after that day (for coverage's overview; issue 20).
LAGGARD_TALKS = "laggard_talks"

_HANDLERS: dict[str, list] = {}


def connect(name: str, handler) -> None:
    """Let `handler` serve the hook `name` (once)."""
    handlers = _HANDLERS.setdefault(name, [])
    if handler not in handlers:
        handlers.append(handler)


def call(name: str, *args, **kwargs) -> list:
    """Every handler's answer to the hook `name`, in the order they were connected."""
    return [handler(*args, **kwargs) for handler in _HANDLERS.get(name, ())]
