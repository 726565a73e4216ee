"""Outreach channels' tables: attributes of the channel units hung in the units tree, and their daily reports.

Schools, classes, villages, grids, parks, enterprises, business groups and windows are rows of
`units` (so scope, codes and the audit trail work as for any unit); what only a channel needs
(families, households, workers, the window's location…) lives in the tables below.
Never edit an applied migration: add the next one.
"""

from campaign.infra.migrations import Migrations

outreach = Migrations("outreach")


@outreach()
def m001_outreach(db):
    db.executescript(
        """
        CREATE TABLE outreach_schools (
            unit_id INTEGER PRIMARY KEY REFERENCES units(id),
            school_type TEXT NOT NULL
        );
        CREATE TABLE outreach_classes (
            unit_id INTEGER PRIMARY KEY REFERENCES units(id),
            grade TEXT,
            head_teacher TEXT,
            phone TEXT,
            families INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE outreach_grids (
            unit_id INTEGER PRIMARY KEY REFERENCES units(id),
            households INTEGER NOT NULL DEFAULT 0,
            workers TEXT,
            phone TEXT
        );
        CREATE TABLE outreach_enterprises (
            unit_id INTEGER PRIMARY KEY REFERENCES units(id),
            kind TEXT NOT NULL,
            park_id INTEGER REFERENCES units(id),
            township_id INTEGER REFERENCES units(id),
            people INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE outreach_windows (
            unit_id INTEGER PRIMARY KEY REFERENCES units(id),
            window_type TEXT NOT NULL,
            township_id INTEGER REFERENCES units(id),
            location TEXT,
            promoters TEXT
        );
        CREATE TABLE outreach_reports (
            id INTEGER PRIMARY KEY,
            unit_id INTEGER NOT NULL REFERENCES units(id),
            day TEXT NOT NULL,
            reached INTEGER,
            flyers INTEGER,
            installs INTEGER,
            qr_shown INTEGER,
            flyers_shown INTEGER,
            entered_by TEXT NOT NULL,
            entered_at TEXT NOT NULL,
            source TEXT NOT NULL,
            supersedes INTEGER REFERENCES outreach_reports(id),
            superseded_by INTEGER REFERENCES outreach_reports(id)
        );
        CREATE UNIQUE INDEX outreach_reports_current
            ON outreach_reports(unit_id, day) WHERE superseded_by IS NULL;
        CREATE INDEX outreach_reports_day ON outreach_reports(day);
        """
    )
