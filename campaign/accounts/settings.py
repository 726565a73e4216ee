"""The accounts' settings: how long a sign-in lasts, and the lockout after wrong passwords."""

from campaign.infra.settings import Setting, integer

SETTINGS = (
    Setting("session_hours", 12, integer(1, 720)),
    Setting("lockout_failures", 5, integer(3, 20)),
    Setting("lockout_minutes", 15, integer(1, 1440)),
)
