"""The coverage feature's own migration set: population versions, registration snapshots, aliases, city bulletins.

Never edit an applied migration: add the next one.
"""

from campaign.infra.migrations import Migrations

coverage = Migrations("coverage")


@coverage()
def m001_coverage(db):
    db.executescript(
        """
        CREATE TABLE population_versions (
            id INTEGER PRIMARY KEY,
            year INTEGER NOT NULL,
            source TEXT NOT NULL,
            kind TEXT NOT NULL,
            filename TEXT,
            imported_at TEXT NOT NULL,
            imported_by TEXT NOT NULL,
            UNIQUE (year, source, kind)
        );
        CREATE TABLE population_rows (
            version_id INTEGER NOT NULL REFERENCES population_versions(id),
            township TEXT NOT NULL,
            age_lo INTEGER NOT NULL,
            age_hi INTEGER,
            people INTEGER NOT NULL
        );
        CREATE INDEX population_rows_version ON population_rows(version_id);
        CREATE TABLE registration_rows (
            as_of TEXT NOT NULL,
            township TEXT NOT NULL,
            age_lo INTEGER NOT NULL,
            age_hi INTEGER,
            registered INTEGER NOT NULL,
            imported_at TEXT NOT NULL,
            imported_by TEXT NOT NULL
        );
        CREATE INDEX registration_rows_day ON registration_rows(as_of, township);
        CREATE TABLE township_aliases (
            alias TEXT PRIMARY KEY,
            township TEXT NOT NULL
        );
        CREATE TABLE peer_rates (
            as_of TEXT NOT NULL,
            county TEXT NOT NULL,
            rate REAL,
            rate_16_60 REAL,
            PRIMARY KEY (as_of, county)
        );
        """
    )


@coverage()
def m002_coverage_summaries(db):
    # Kept in step with every import (issue 9): a report reads one row per township, a trend one row per day.
    db.executescript(
        """
        CREATE TABLE registration_days (
            as_of TEXT NOT NULL,
            township TEXT NOT NULL,
            registered INTEGER NOT NULL,
            registered_16_60 TEXT NOT NULL,
            estimated INTEGER NOT NULL,
            PRIMARY KEY (as_of, township)
        ) WITHOUT ROWID;
        CREATE TABLE population_townships (
            version_id INTEGER NOT NULL,
            township TEXT NOT NULL,
            people INTEGER NOT NULL,
            people_16_60 TEXT NOT NULL,
            estimated INTEGER NOT NULL,
            PRIMARY KEY (version_id, township)
        ) WITHOUT ROWID;
        CREATE TABLE coverage_days (
            version_id INTEGER NOT NULL,
            as_of TEXT NOT NULL,
            population INTEGER NOT NULL,
            population_16_60 TEXT NOT NULL,
            registered INTEGER,
            registered_16_60 TEXT,
            estimated INTEGER NOT NULL,
            PRIMARY KEY (version_id, as_of)
        ) WITHOUT ROWID;
        """
    )
    db.execute("INSERT OR IGNORE INTO _rebuilds (migration_set) VALUES ('coverage')")  # campaign.coverage.store.rebuild_summaries


@coverage()
def m003_registration_days_township_cover(db):
    # a county's trend reads its townships' days only, from the index alone
    db.execute("CREATE INDEX registration_days_township_cover ON registration_days"
               "(township, as_of, registered, registered_16_60, estimated)")
