"""The navigation: every page with its file, icon and the roles whose menu shows it, in menu order.

A page not listed for a role cannot be opened by that role, even by URL (the router builds the menu
from this list). What a role may change is still checked inside campaign, on every write.
"""

from dataclasses import dataclass

from campaign.org.access import ADMIN, COORDINATOR, GRID_WORKER, LEADER, ROLES


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
