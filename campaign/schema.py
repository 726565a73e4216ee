"""The schema: one sqlite-utils migration set per feature, applied in the order of ALL.

Never edit an applied migration: add the next one.
"""

from sqlite_utils import Migrations

core = Migrations("core")


@core()
def m001_core(db):
    db.executescript(
        """
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE units (
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            type TEXT NOT NULL,
            parent_id INTEGER REFERENCES units(id),
            quota INTEGER,
            active INTEGER NOT NULL DEFAULT 1
        );
        CREATE INDEX units_parent ON units(parent_id);
        CREATE INDEX units_name ON units(name);
        CREATE TABLE staff (
            id INTEGER PRIMARY KEY,
            unit_id INTEGER NOT NULL REFERENCES units(id),
            name TEXT NOT NULL,
            phone TEXT,
            active INTEGER NOT NULL DEFAULT 1,
            quota INTEGER
        );
        CREATE INDEX staff_unit ON staff(unit_id);
        CREATE TABLE install_reports (
            id INTEGER PRIMARY KEY,
            staff_id INTEGER NOT NULL REFERENCES staff(id),
            day TEXT NOT NULL,
            installs INTEGER NOT NULL,
            entered_by TEXT NOT NULL,
            entered_at TEXT NOT NULL,
            source TEXT NOT NULL,
            supersedes INTEGER REFERENCES install_reports(id),
            superseded_by INTEGER REFERENCES install_reports(id)
        );
        CREATE UNIQUE INDEX install_reports_current
            ON install_reports(staff_id, day) WHERE superseded_by IS NULL;
        CREATE INDEX install_reports_day ON install_reports(day);
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            entity TEXT NOT NULL,
            entity_id TEXT,
            unit_id INTEGER,
            old TEXT,
            new TEXT,
            detail TEXT
        );
        CREATE INDEX audit_at ON audit(at);
        CREATE TABLE imports (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            kind TEXT NOT NULL,
            filename TEXT,
            sha256 TEXT,
            rows INTEGER NOT NULL
        );
        CREATE TABLE users (
            username TEXT PRIMARY KEY,
            role TEXT NOT NULL,
            display_name TEXT,
            password_hash TEXT,
            active INTEGER NOT NULL DEFAULT 1,
            demo INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE user_scopes (
            username TEXT NOT NULL REFERENCES users(username),
            unit_id INTEGER NOT NULL REFERENCES units(id),
            PRIMARY KEY (username, unit_id)
        );
        """
    )


# Features append their own sets here (e.g. outreach, coverage, accounts).
ALL = [core]

from campaign.accounts_schema import accounts  # noqa: E402  (sign-in, sessions; issue 6)

ALL.append(accounts)

from campaign.coverage_schema import coverage  # noqa: E402  (population, registrations, city bulletins; issue 5)

ALL.append(coverage)

from campaign.supervision_schema import supervision  # noqa: E402  (spot checks, letters; issue 7)

ALL.append(supervision)

from campaign.outreach_schema import outreach  # noqa: E402  (schools, grids, enterprises, windows; issue 3)

ALL.append(outreach)

from campaign.flyers_schema import flyer_prints  # noqa: E402  (QR-code flyers' print log; issue 4)

ALL.append(flyer_prints)

from campaign.summaries import summaries  # noqa: E402  (per-unit install summaries; issue 9)

ALL.append(summaries)
