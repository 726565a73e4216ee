"""The scans' tables (issue 18): each employee's personal code, and scans counted per code × day × platform.

No IP address, user agent or resident identifier has a column: a scan is one more in a counter. Never
edit an applied migration: add the next one.
"""

from campaign.infra.migrations import Migrations

scans = Migrations("scans")


@scans()
def m001_codes_and_counts(db):
    # One statement at a time (executescript would commit each): all of it, or none.
    for statement in (
        """CREATE TABLE scan_codes (
            staff_id INTEGER PRIMARY KEY REFERENCES staff(id) ON DELETE CASCADE,
            code TEXT NOT NULL UNIQUE,
            issued_at TEXT NOT NULL
        )""",
        # code: a person's code, a window's, grid's or class's unit code, or '?' for every unknown code
        """CREATE TABLE scan_counts (
            code TEXT NOT NULL,
            day TEXT NOT NULL,
            platform TEXT NOT NULL CHECK (platform IN ('ios', 'android', 'in_app', 'other')),
            scans INTEGER NOT NULL,
            PRIMARY KEY (code, day, platform)
        ) WITHOUT ROWID""",
        "CREATE INDEX scan_counts_day ON scan_counts(day)",
        # existing staff get their codes from the feature's rebuild, once every migration is in
        "INSERT OR IGNORE INTO _rebuilds (migration_set) VALUES ('scans')",
    ):
        db.execute(statement)
