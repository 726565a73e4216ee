"""The migrations runner: numbered schema changes per feature, each applied once, in its own transaction.

The bookkeeping is sqlite-utils' (`_sqlite_migrations`: set, name, time), so databases made by earlier
versions, which used `sqlite_utils.Migrations`, carry on where they were. Never edit an applied
migration: add the next one. A migration uses its own SQL only; one that leaves derived tables to be
filled (summaries) asks for it with `INSERT OR IGNORE INTO _rebuilds VALUES ('<set>')`, and the
feature's own rebuild runs once every migration is in (see `campaign.features.migrate`), so an applied
migration never changes when the store code does.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Callable

TABLE = "_sqlite_migrations"
REBUILDS = "_rebuilds"


@dataclass(frozen=True)
class Step:
    name: str
    fn: Callable


class Migrations:
    """One feature's migration set: `@set()` above each migration function, in order."""

    def __init__(self, name: str):
        self.name = name
        self.steps: list[Step] = []

    def __call__(self):
        def register(fn):
            if any(step.name == fn.__name__ for step in self.steps):
                raise ValueError(f"migration {fn.__name__} is registered twice in set {self.name}")
            self.steps.append(Step(fn.__name__, fn))
            return fn

        return register

    def applied(self, db) -> set[str]:
        if not _exists(db, TABLE):
            return set()
        return {name for (name,) in db.execute(f"SELECT name FROM {TABLE} WHERE migration_set = ?", [self.name])}

    def pending(self, db) -> list[Step]:
        done = self.applied(db)
        return [step for step in self.steps if step.name not in done]

    def apply(self, db, *, stop_before: str | None = None) -> None:
        """Apply the pending migrations (those before `stop_before`, when given), each with its record in one transaction."""
        ensure_tables(db)
        for step in self.pending(db):
            if step.name == stop_before:
                return
            conn = db.conn
            conn.execute("BEGIN IMMEDIATE")
            if step.name in self.applied(db):  # another process applied it meanwhile
                conn.execute("ROLLBACK")
                continue
            try:
                step.fn(db)
                conn.execute(f"INSERT INTO {TABLE} (migration_set, name, applied_at) VALUES (?, ?, ?)",
                             [self.name, step.name, str(dt.datetime.now(dt.timezone.utc))])
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            if conn.in_transaction:  # executescript commits on its own
                conn.execute("COMMIT")


def ensure_tables(db) -> None:
    """The bookkeeping tables, as sqlite-utils makes the first (so either can read the other's)."""
    if not _exists(db, TABLE):
        db.execute(f'CREATE TABLE "{TABLE}" (\n   "id" INTEGER PRIMARY KEY,\n   "migration_set" TEXT,\n   "name" TEXT,\n'
                   '   "applied_at" TEXT\n)')
        db.execute(f'CREATE UNIQUE INDEX "idx_{TABLE}_migration_set_name"\n    ON "{TABLE}" ("migration_set", "name")')
    db.execute(f"CREATE TABLE IF NOT EXISTS {REBUILDS} (migration_set TEXT PRIMARY KEY)")


def rebuilds_due(db) -> list[str]:
    """Migration sets whose derived tables a migration asked to be rebuilt."""
    if not _exists(db, REBUILDS):
        return []
    return [name for (name,) in db.execute(f"SELECT migration_set FROM {REBUILDS} ORDER BY migration_set")]


def rebuilt(db, name: str) -> None:
    """Mark a set's rebuild done (inside the rebuild's own transaction)."""
    db.execute(f"DELETE FROM {REBUILDS} WHERE migration_set = ?", [name])


def _exists(db, table: str) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [table]).fetchone() is not None
