"""The navigation: every page with its file, icon and the roles whose menu shows it, in menu order.

A page not listed for a role cannot be opened by that role, even by URL (the router builds the menu
from this list). What a role may change is still checked inside campaign, on every write.
"""

from dataclasses import dataclass

from campaign.flyers import store as flyers_store
from campaign.org import access
from campaign.org.access import ADMIN, COORDINATOR, GRID_WORKER, LEADER, ROLES
from campaign.outreach import entries as outreach_entries


@dataclass(frozen=True)
class PageSpec:
    key: str
    path: str
    icon: str
    roles: tuple


ALL_ROLES = ROLES
PAGES = [
    PageSpec("overview", "ui/pages/overview.py", ":material/dashboard:", ALL_ROLES),  # the app's first page (issue 5)
    PageSpec("rankings", "ui/pages/rankings.py", ":material/leaderboard:", ALL_ROLES),
    PageSpec("entry", "ui/pages/entry.py", ":material/edit_note:", (ADMIN, COORDINATOR)),
    PageSpec("unlocks", "ui/pages/unlocks.py", ":material/lock_open:", (ADMIN,)),  # issue 20: answered by the centre
    PageSpec("progress", "ui/pages/progress.py", ":material/trending_up:", ALL_ROLES),
    PageSpec("outreach_entry", "ui/pages/outreach_entry.py", ":material/campaign:", (ADMIN, COORDINATOR, GRID_WORKER)),
    PageSpec("outreach_overview", "ui/pages/outreach_overview.py", ":material/hub:", ALL_ROLES),
    PageSpec("outreach_rankings", "ui/pages/outreach_rankings.py", ":material/format_list_numbered:", ALL_ROLES),
    PageSpec("flyers", "ui/pages/flyers.py", ":material/qr_code_2:", (ADMIN, COORDINATOR, GRID_WORKER)),  # issue 4
    PageSpec("bulletin", "ui/pages/bulletin.py", ":material/campaign:", ALL_ROLES),  # issue 7
    PageSpec("supervision", "ui/pages/supervision.py", ":material/fact_check:", (ADMIN, LEADER)),  # issue 7
    PageSpec("letters", "ui/pages/letters.py", ":material/mail:", (ADMIN, LEADER)),  # issue 7
    PageSpec("data_import", "ui/pages/data_import.py", ":material/upload_file:", (ADMIN, COORDINATOR)),
    PageSpec("coverage_data", "ui/pages/coverage_data.py", ":material/groups:", (ADMIN,)),
    PageSpec("settings", "ui/pages/settings.py", ":material/settings:", (ADMIN,)),
    PageSpec("users", "ui/pages/users.py", ":material/manage_accounts:", (ADMIN,)),
    PageSpec("audit", "ui/pages/audit.py", ":material/history:", (ADMIN,)),
    PageSpec("backup", "ui/pages/backup.py", ":material/backup:", (ADMIN,)),
    PageSpec("notify", "ui/pages/notify.py", ":material/forum:", (ADMIN,)),  # issue 19: the work groups
    PageSpec("account", "ui/pages/account.py", ":material/account_circle:", ALL_ROLES),
]


def pages_for(role: str) -> list[PageSpec]:
    """The pages a role may open, in navigation order."""
    return [page for page in PAGES if role in page.roles]


# ---- issue 17: a menu in sections, only pages where the user can do something, a landing page per role ----------
# A page added later needs no line here: it falls in the administrators' section when only they open it, else in
# the figures; it is always shown to its roles; a role lands on its first page unless LANDING names another.

SECTIONS = ("menu.work", "menu.figures", "menu.supervise", "menu.admin", "menu.me")  # in menu order
SECTION = {
    "entry": "menu.work", "outreach_entry": "menu.work", "flyers": "menu.work", "data_import": "menu.work",
    "overview": "menu.figures", "rankings": "menu.figures", "progress": "menu.figures", "bulletin": "menu.figures",
    "outreach_overview": "menu.figures", "outreach_rankings": "menu.figures",
    "supervision": "menu.supervise", "letters": "menu.supervise",
    "coverage_data": "menu.admin", "settings": "menu.admin", "users": "menu.admin", "audit": "menu.admin",
    "backup": "menu.admin", "account": "menu.me",
}
LANDING = {  # the first page each role opens on: its daily job (the first of these it has something to do on)
    COORDINATOR: ("entry", "outreach_entry"), GRID_WORKER: ("outreach_entry",), LEADER: ("overview",), ADMIN: ("overview",),
}


def _entry_units(db, me) -> bool:
    return bool(access.writable_units(db, me, types=("township", "community", "department")))


# page key -> (db, actor) -> True when the page has something this user can do (a page not listed always has)
AVAILABLE = {
    "entry": _entry_units,
    "outreach_entry": lambda db, me: bool(outreach_entries.channels_for(db, me)),
    # flyers for the user's places, or personal cards (一人一码, issue 18) for a coordinator's staff
    "flyers": lambda db, me: me.role == COORDINATOR or bool(flyers_store.locations_for(db, me)),
}


def section_of(page: PageSpec) -> str:
    """The menu section a page is listed in."""
    return SECTION.get(page.key) or ("menu.admin" if tuple(page.roles) == (ADMIN,) else "menu.figures")


def menu(db, me) -> list[PageSpec]:
    """The pages in this user's menu: their role's pages with something for them to do, in navigation order."""
    return [p for p in pages_for(me.role) if me.is_admin or p.key not in AVAILABLE or AVAILABLE[p.key](db, me)]


def landing(db, me, pages: list[PageSpec]) -> str:
    """The key of the page this user opens on (of `pages`, their menu)."""
    keys = [p.key for p in pages]
    return next((key for key in LANDING.get(me.role, ()) if key in keys), keys[0])


def sections(pages: list[PageSpec]) -> dict[str, list[PageSpec]]:
    """The menu's pages grouped by section, the sections in menu order (an empty one left out)."""
    order = {s: i for i, s in enumerate(SECTIONS)}
    grouped: dict[str, list[PageSpec]] = {}
    for page in sorted(pages, key=lambda p: order.get(section_of(p), len(order))):
        grouped.setdefault(section_of(page), []).append(page)
    return grouped
