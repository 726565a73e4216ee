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
    PageSpec("overview", "app_pages/overview.py", ":material/dashboard:", ALL_ROLES),  # the app's first page (issue 5)
    PageSpec("rankings", "app_pages/rankings.py", ":material/leaderboard:", ALL_ROLES),
    PageSpec("entry", "app_pages/entry.py", ":material/edit_note:", (ADMIN, COORDINATOR)),
    PageSpec("progress", "app_pages/progress.py", ":material/trending_up:", ALL_ROLES),
    PageSpec("outreach_entry", "app_pages/outreach_entry.py", ":material/campaign:", (ADMIN, COORDINATOR, GRID_WORKER)),
    PageSpec("outreach_overview", "app_pages/outreach_overview.py", ":material/hub:", ALL_ROLES),
    PageSpec("outreach_rankings", "app_pages/outreach_rankings.py", ":material/format_list_numbered:", ALL_ROLES),
    PageSpec("flyers", "app_pages/flyers.py", ":material/qr_code_2:", (ADMIN, COORDINATOR, GRID_WORKER)),  # issue 4
    PageSpec("bulletin", "app_pages/bulletin.py", ":material/campaign:", ALL_ROLES),  # issue 7
    PageSpec("supervision", "app_pages/supervision.py", ":material/fact_check:", (ADMIN, LEADER)),  # issue 7
    PageSpec("letters", "app_pages/letters.py", ":material/mail:", (ADMIN, LEADER)),  # issue 7
    PageSpec("data_import", "app_pages/data_import.py", ":material/upload_file:", (ADMIN, COORDINATOR)),
    PageSpec("coverage_data", "app_pages/coverage_data.py", ":material/groups:", (ADMIN,)),
    PageSpec("settings", "app_pages/settings.py", ":material/settings:", (ADMIN,)),
    PageSpec("users", "app_pages/users.py", ":material/manage_accounts:", (ADMIN,)),
    PageSpec("audit", "app_pages/audit.py", ":material/history:", (ADMIN,)),
    PageSpec("backup", "app_pages/backup.py", ":material/backup:", (ADMIN,)),
    PageSpec("account", "app_pages/account.py", ":material/account_circle:", ALL_ROLES),
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


def require_role(actor: Actor, roles) -> None:
    """Refuse an actor whose role may not do this at all (leaders read only)."""
    if actor.role not in roles:
        raise AccessDenied("error.role_denied", user=actor.name, role=actor.role)


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
    if not can_see_details(db, actor, unit_id):
        raise AccessDenied("error.outside_scope", user=actor.name, units=1)
