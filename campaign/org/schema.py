"""The org feature's own migration set ("org"): what the units and staff tables gained after the base schema.

Never edit an applied migration: add the next one.
"""

from campaign.infra.migrations import Migrations

org = Migrations("org")


@org()
def m001_quota_reasons(db):
    # A quota below the guidance number (每人不少于 30) is accepted only with its reason, kept beside it.
    # The partial index finds the few people with a quota of their own without reading every person.
    for statement in (
        "ALTER TABLE units ADD COLUMN quota_reason TEXT",
        "ALTER TABLE staff ADD COLUMN quota_reason TEXT",
        "CREATE INDEX staff_own_quota ON staff(quota) WHERE quota IS NOT NULL",
    ):
        db.execute(statement)
