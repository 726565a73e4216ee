"""The supervision feature's own migration set: rounds, spot checks, responsibility and reminder letters.

A spot check stores only yes/no per staff member checked (no resident data). A reply's
attachment is kept in the database so that a backup holds everything.
Never edit an applied migration: add the next one.
"""

from campaign.infra.migrations import Migrations

supervision = Migrations("supervision")


@supervision()
def m001_supervision(db):
    db.executescript(
        """
        CREATE TABLE supervision_rounds (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            day TEXT NOT NULL,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE spot_checks (
            id INTEGER PRIMARY KEY,
            round_id INTEGER NOT NULL REFERENCES supervision_rounds(id),
            unit_id INTEGER NOT NULL REFERENCES units(id),
            day TEXT NOT NULL,
            checker TEXT NOT NULL,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX spot_checks_round ON spot_checks(round_id, unit_id);
        CREATE TABLE spot_check_items (
            check_id INTEGER NOT NULL REFERENCES spot_checks(id) ON DELETE CASCADE,
            round_id INTEGER NOT NULL REFERENCES supervision_rounds(id),
            staff_id INTEGER NOT NULL REFERENCES staff(id),
            installed INTEGER NOT NULL CHECK (installed IN (0, 1)),
            registered INTEGER NOT NULL CHECK (registered IN (0, 1)),
            PRIMARY KEY (check_id, staff_id),
            UNIQUE (round_id, staff_id)
        );
        CREATE TABLE responsibility_letters (
            unit_id INTEGER PRIMARY KEY REFERENCES units(id),
            signed_on TEXT NOT NULL,
            signed_by TEXT NOT NULL,
            recorded_by TEXT NOT NULL,
            recorded_at TEXT NOT NULL
        );
        CREATE TABLE reminder_letters (
            id INTEGER PRIMARY KEY,
            number TEXT NOT NULL UNIQUE,
            unit_id INTEGER NOT NULL REFERENCES units(id),
            source TEXT NOT NULL,
            check_round_id INTEGER REFERENCES supervision_rounds(id),
            issued_on TEXT NOT NULL,
            reply_due TEXT NOT NULL,
            problems TEXT NOT NULL,
            rectification TEXT NOT NULL,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            sent_on TEXT,
            reply_on TEXT,
            reply_summary TEXT,
            reply_recorded_by TEXT
        );
        CREATE INDEX reminder_letters_unit ON reminder_letters(unit_id);
        CREATE TABLE letter_attachments (
            letter_id INTEGER PRIMARY KEY REFERENCES reminder_letters(id),
            name TEXT NOT NULL,
            mime TEXT,
            size INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            data BLOB NOT NULL
        );
        """
    )


@supervision()
def m002_laggard_talks(db):
    # Issue 20: the talk (约谈) held with a unit on the laggard list: when, who held it, who attended, what was agreed.
    db.executescript(
        """
        CREATE TABLE laggard_talks (
            id INTEGER PRIMARY KEY,
            unit_id INTEGER NOT NULL REFERENCES units(id),
            held_on TEXT NOT NULL,
            held_by TEXT NOT NULL,
            attendees TEXT NOT NULL,
            measures TEXT NOT NULL,
            recorded_by TEXT NOT NULL,
            recorded_at TEXT NOT NULL
        );
        CREATE INDEX laggard_talks_unit ON laggard_talks(unit_id, held_on);
        """
    )


@supervision()
def m003_sampled_spot_checks(db):
    # Issue 20: a spot check of a random sample drawn from a recorded seed (re-drawn the same from it), the
    # people who failed before drawn again; per person also "not found" and a short note (no resident data).
    db.executescript(
        """
        CREATE TABLE spot_check_samples (
            id INTEGER PRIMARY KEY,
            round_id INTEGER NOT NULL REFERENCES supervision_rounds(id),
            unit_id INTEGER NOT NULL REFERENCES units(id),
            seed TEXT NOT NULL,
            size INTEGER NOT NULL,
            pool INTEGER NOT NULL,
            check_id INTEGER REFERENCES spot_checks(id),
            drawn_by TEXT NOT NULL,
            drawn_at TEXT NOT NULL,
            UNIQUE (round_id, unit_id)
        );
        CREATE TABLE spot_check_sample_people (
            sample_id INTEGER NOT NULL REFERENCES spot_check_samples(id) ON DELETE CASCADE,
            staff_id INTEGER NOT NULL REFERENCES staff(id),
            position INTEGER NOT NULL,
            recheck INTEGER NOT NULL CHECK (recheck IN (0, 1)),
            PRIMARY KEY (sample_id, staff_id)
        );
        ALTER TABLE spot_check_items ADD COLUMN not_found INTEGER NOT NULL DEFAULT 0 CHECK (not_found IN (0, 1));
        ALTER TABLE spot_check_items ADD COLUMN note TEXT;
        """
    )


@supervision()
def m004_responsibility_documents(db):
    # Issue 20: the responsibility letter's template (editable by the administrators) and each unit's signed
    # scan, kept in the database so that a backup holds it.
    db.executescript(
        """
        CREATE TABLE letter_templates (
            key TEXT PRIMARY KEY,
            body TEXT NOT NULL,
            updated_by TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE responsibility_scans (
            unit_id INTEGER PRIMARY KEY REFERENCES units(id),
            name TEXT NOT NULL,
            mime TEXT NOT NULL,
            size INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            data BLOB NOT NULL,
            uploaded_by TEXT NOT NULL,
            uploaded_at TEXT NOT NULL
        );
        """
    )
