"""Who is acting: the signed-in user (or the shell's operator) with their role and the units they answer for.

Roles are checked here; which units a scoped role may change is the units tree's business (campaign.org.access).
"""

from dataclasses import dataclass, field

from campaign.infra.errors import AccessDenied

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


def require_admin(actor: Actor) -> None:
    """Refuse anyone but an administrator."""
    if actor.role != ADMIN:
        raise AccessDenied("error.admin_only", user=actor.name)


def require_role(actor: Actor, roles) -> None:
    """Refuse an actor whose role may not do this at all (leaders read only)."""
    if actor.role not in roles:
        raise AccessDenied("error.role_denied", user=actor.name, role=actor.role)
