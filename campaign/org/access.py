"""Who may see and change what in the units tree. Enforced here, on every write and staff-detail read.

The roles themselves are campaign.infra.actors' (re-exported here, so a feature asks one module).
"""

from campaign.infra.actors import (  # noqa: F401
    ADMIN,
    COORDINATOR,
    GRID_WORKER,
    LEADER,
    ROLES,
    SCOPED,
    SYSTEM,
    Actor,
    require_admin,
    require_role,
)
from campaign.infra.errors import AccessDenied
from campaign.org import units


def scope_units(db, actor: Actor) -> set[int] | None:
    """Unit ids the actor may change: None means every unit (administrators)."""
    if actor.role == ADMIN:
        return None
    if actor.role not in SCOPED:
        return set()
    return units.descendants(db, actor.scope)


def require_write(db, actor: Actor, unit_ids, *, roles=(ADMIN, *SCOPED)) -> None:
    """Refuse unless the actor's role may do this write and they may change data of every unit in unit_ids."""
    require_role(actor, roles)
    allowed = scope_units(db, actor)
    if allowed is None:
        return
    outside = set(unit_ids) - allowed
    if outside:
        raise AccessDenied("error.outside_scope", user=actor.name, units=len(outside))


def can_see_details(db, actor: Actor, unit_id: int) -> bool:
    """Staff details (names, phones) of a unit: admins and leaders everywhere, others in scope."""
    if actor.role in (ADMIN, LEADER):
        return True
    return unit_id in (scope_units(db, actor) or set())


def require_details(db, actor: Actor, unit_id: int) -> None:
    """Refuse staff details (names, phones) of a unit outside the actor's scope."""
    if not can_see_details(db, actor, unit_id):
        raise AccessDenied("error.outside_scope", user=actor.name, units=1)


def writable_units(db, actor, *, types=None, below=None) -> list[units.Unit]:
    """Units (optionally of some types, or under the unit `below`) the actor may enter data for, ordered by code."""
    allowed = scope_units(db, actor)
    return [u for u in units.list_units(db, types=types, below=below) if allowed is None or u.id in allowed]
