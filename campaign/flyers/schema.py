"""The flyers' print log table (issue 4): what was printed, for which location, how many, by whom, when.

Never edit an applied migration: add the next one.
"""

from campaign.infra.migrations import Migrations

flyer_prints = Migrations("flyers")


@flyer_prints()
def m001_flyer_prints(db):
    db.executescript(
        """
        CREATE TABLE flyer_prints (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            kind TEXT NOT NULL,
            format TEXT NOT NULL,
            unit_id INTEGER REFERENCES units(id),
            code TEXT NOT NULL,
            name TEXT NOT NULL,
            copies INTEGER NOT NULL,
            pieces INTEGER NOT NULL,
            target TEXT NOT NULL
        );
        CREATE INDEX flyer_prints_unit ON flyer_prints(unit_id, at);
        CREATE INDEX flyer_prints_at ON flyer_prints(at);
        """
    )
