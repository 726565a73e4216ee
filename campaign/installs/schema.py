"""The installs feature's migration sets: the core tables' later changes live in campaign/infra/schema.py;
here, the per-unit summaries that rankings read (set "summaries").

Never edit an applied migration: add the next one. The summaries are derived data: a migration that
needs them filled asks for the feature's rebuild (`campaign.installs.summaries.rebuild`), which runs
once every migration is in.
"""

from campaign.infra.migrations import Migrations

REBUILD = "INSERT OR IGNORE INTO _rebuilds (migration_set) VALUES ('summaries')"
summaries = Migrations("summaries")


@summaries()
def m001_install_summaries(db):
    db.executescript(
        """
        CREATE TABLE install_unit_days (
            unit_id INTEGER NOT NULL,
            day TEXT NOT NULL,
            installs INTEGER NOT NULL DEFAULT 0,
            credited INTEGER NOT NULL DEFAULT 0,
            at_quota INTEGER NOT NULL DEFAULT 0,
            reports INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (unit_id, day)
        ) WITHOUT ROWID;
        CREATE INDEX install_unit_days_day ON install_unit_days(day);
        CREATE TABLE install_days (
            day TEXT PRIMARY KEY,
            installs INTEGER NOT NULL DEFAULT 0,
            credited INTEGER NOT NULL DEFAULT 0,
            at_quota INTEGER NOT NULL DEFAULT 0,
            reports INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID;
        CREATE TABLE install_unit_totals (
            unit_id INTEGER PRIMARY KEY,
            staff INTEGER NOT NULL,
            quota_total INTEGER NOT NULL,
            installs INTEGER NOT NULL DEFAULT 0,
            credited INTEGER NOT NULL DEFAULT 0,
            at_quota INTEGER NOT NULL DEFAULT 0
        );
        """
    )
    db.execute(REBUILD)


@summaries()
def m002_covering_day_index(db):
    # A page reads the last days of every unit: a covering index answers that without touching the table.
    db.executescript(
        """
        DROP INDEX install_unit_days_day;
        CREATE INDEX install_unit_days_cover ON install_unit_days(day, unit_id, installs, credited, at_quota, reports);
        """
    )


@summaries()
def m003_staff_totals(db):
    # A unit's staff ranking and entry sheet read each person's total instead of their ~120 reports.
    db.execute("CREATE TABLE install_staff_totals (staff_id INTEGER PRIMARY KEY, installs INTEGER NOT NULL)")
    db.execute(REBUILD)


@summaries()
def m004_units_version(db):
    # A new random version on every change to the units tree: readers cache the units' names by it.
    db.executescript(
        """
        CREATE TABLE units_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);
        INSERT INTO units_version VALUES (1, random());
        CREATE TRIGGER units_version_insert AFTER INSERT ON units BEGIN UPDATE units_version SET version = random(); END;
        CREATE TRIGGER units_version_update AFTER UPDATE ON units BEGIN UPDATE units_version SET version = random(); END;
        CREATE TRIGGER units_version_delete AFTER DELETE ON units BEGIN UPDATE units_version SET version = random(); END;
        """
    )


@summaries()
def m005_no_install_day_index(db):
    # Every by-day question is answered by the summaries; the raw reports are read per person
    # (install_reports_current). The day index only cost each write (0.5 s of a million-row import).
    db.execute("DROP INDEX IF EXISTS install_reports_day")


@summaries()
def m006_unlock_requests(db):
    # Issue 20: after the cut-off a coordinator asks for a unit's day to be opened again; an administrator
    # approves it for a set time (until) or refuses it with a reason (answer).
    db.executescript(
        """
        CREATE TABLE install_unlocks (
            id INTEGER PRIMARY KEY,
            unit_id INTEGER NOT NULL REFERENCES units(id),
            day TEXT NOT NULL,
            requested_by TEXT NOT NULL,
            reason TEXT NOT NULL,
            requested_at TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'approved', 'refused')),
            decided_by TEXT,
            decided_at TEXT,
            answer TEXT,
            until TEXT
        );
        CREATE INDEX install_unlocks_requester ON install_unlocks(requested_by, status);
        CREATE INDEX install_unlocks_status ON install_unlocks(status, requested_at);
        """
    )
