"""The base schema (migration set "core"): the tables of the first version, before features had sets of
their own (units, staff, install reports, the audit, imports, users, settings), and the reports' entries.

Later tables come with the feature that owns them (campaign/<feature>/schema.py), each feature's set
applied after this one, in the order of campaign.features. Never edit an applied migration: add the next one.
"""

from campaign.infra.migrations import Migrations

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


@core()
def m002_report_entries(db):
    # Who entered a report, when and how (entry grid or import) is one row per save in `entries`,
    # not ~36 bytes repeated on each of a million reports (issue 9: the table and every bulk write
    # shrink by ~40%; a million-row import writes ~50 MB instead of ~85 MB).
    # One statement at a time: executescript would commit each, and a failure half-way must undo all.
    for statement in """
        CREATE TABLE entries (
            id INTEGER PRIMARY KEY,
            entered_by TEXT NOT NULL,
            entered_at TEXT NOT NULL,
            source TEXT NOT NULL
        );
        INSERT INTO entries (entered_by, entered_at, source)
            SELECT entered_by, entered_at, source FROM install_reports GROUP BY 1, 2, 3 ORDER BY MIN(id);
        CREATE INDEX entries_migrating ON entries(entered_by, entered_at, source);
        ALTER TABLE install_reports ADD COLUMN entry_id INTEGER REFERENCES entries(id);
        UPDATE install_reports SET entry_id = (SELECT e.id FROM entries e WHERE e.entered_by = install_reports.entered_by
            AND e.entered_at = install_reports.entered_at AND e.source = install_reports.source);
        DROP INDEX entries_migrating;
        ALTER TABLE install_reports DROP COLUMN entered_by;
        ALTER TABLE install_reports DROP COLUMN entered_at;
        ALTER TABLE install_reports DROP COLUMN source;
        """.split(";")[:-1]:
        db.execute(statement)
