"""Who may see and change what. Enforced here, on every write and staff-detail read."""

from dataclasses import dataclass, field

from campaign.errors import AccessDenied

ADMIN, LEADER, COORDINATOR, GRID_WORKER = "admin", "leader", "coordinator", "grid_worker"
ROLES = (ADMIN, LEADER, COORDINATOR, GRID_WORKER)
SCOPED = (COORDINATOR, GRID_WORKER)


@dataclass(frozen=True)
class Actor:
    """The acting user: name, role, and for scoped roles the units they answer for."""

    name: str
    role: str = ADMIN
    scope: frozenset = field(default_factory=frozenset)

    @property
    def is_admin(self):
        return self.role == ADMIN


SYSTEM = Actor("system", ADMIN)


@dataclass(frozen=True)
class PageSpec:
    key: str
    path: str
    icon: str
    roles: tuple


# The navigation, in order. A page not listed for a role cannot be opened by that role, even by URL.
ALL_ROLES = ROLES
PAGES = [
    PageSpec("rankings", "app_pages/rankings.py", ":material/leaderboard:", ALL_ROLES),
    PageSpec("entry", "app_pages/entry.py", ":material/edit_note:", (ADMIN, COORDINATOR)),
    PageSpec("progress", "app_pages/progress.py", ":material/trending_up:", ALL_ROLES),
    PageSpec("data_import", "app_pages/data_import.py", ":material/upload_file:", (ADMIN, COORDINATOR)),
    PageSpec("settings", "app_pages/settings.py", ":material/settings:", (ADMIN,)),
]


def pages_for(role: str) -> list[PageSpec]:
    """The pages a role may open, in navigation order."""
    return [page for page in PAGES if role in page.roles]


def require_admin(actor: Actor) -> None:
    if actor.role != ADMIN:
        raise AccessDenied("error.admin_only", user=actor.name)


def scope_units(db, actor: Actor) -> set[int] | None:
    """Unit ids the actor may change: None means every unit (administrators)."""
    if actor.role == ADMIN:
        return None
    if actor.role not in SCOPED:
        return set()
    from campaign import units

    return units.descendants(db, actor.scope)


def require_write(db, actor: Actor, unit_ids) -> None:
    """Refuse unless the actor may change data of every unit in unit_ids."""
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
    if not can_see_details(db, actor, unit_id):
        raise AccessDenied("error.outside_scope", user=actor.name, units=1)
