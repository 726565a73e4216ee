"""Backups and restores through SQLite's online backup API: consistent while the app keeps writing."""

import datetime as dt
import hashlib
import os
import sqlite3
import tempfile
from pathlib import Path

from campaign.infra import audit, clock
from campaign.infra import db as database
from campaign.infra.errors import FileRejected
from campaign.org import access

REQUIRED_TABLES = {"units", "staff", "install_reports", "audit", "users", "settings"}


def backup(db, dest) -> Path:
    """Copy the live database to `dest` (replaced atomically) as one self-contained file."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=".backup-", suffix=".db", dir=dest.parent)
    os.close(handle)
    try:
        target = sqlite3.connect(temp)
        try:
            # One step (pages=-1) copies a single read snapshot: writers go on, the copy stays consistent.
            db.conn.backup(target, pages=-1)
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
        os.replace(temp, dest)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return dest


def backup_bytes(db) -> bytes:
    """A backup as bytes, for a download."""
    with tempfile.TemporaryDirectory() as folder:
        path = backup(db, Path(folder) / "campaign.db")
        return path.read_bytes()


def download(db, actor, name: str) -> bytes:
    """A backup for an administrator's download; the download itself is audited."""
    access.require_admin(actor)
    data = backup_bytes(db)
    with database.write(db):
        audit.record(db, actor, "backup", "database", name, detail={"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()})
    return data


def summary(db) -> dict:
    """Row counts of the main tables (what a backup holds)."""
    tables = {"units": "units", "staff": "staff", "reports": "install_reports", "users": "users", "audit": "audit"}
    return {key: db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for key, table in tables.items()}


def known_migrations(migration_sets) -> set[tuple[str, str]]:
    """(set, name) of every migration of `migration_sets` (campaign.features.migration_sets(): this version's)."""
    return {(m.name, step.name) for m in migration_sets for step in m.steps}


def check_backup(path, migration_sets) -> dict:
    """Refuse a file that is not an intact campaign database of a schema version this app knows (`migration_sets`).

    Returns facts about it: applied migrations, pending ones, and row counts.
    """
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            header = handle.read(16)
    except OSError:
        raise FileRejected("backup.unreadable", name=path.name) from None
    if header != b"SQLite format 3\x00":
        raise FileRejected("backup.not_sqlite", name=path.name)
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        raise FileRejected("backup.unreadable", name=path.name) from None
    try:
        if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise FileRejected("backup.corrupt", name=path.name)
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "_sqlite_migrations" not in tables or not REQUIRED_TABLES <= tables:
            raise FileRejected("backup.not_campaign", name=path.name)
        applied = {tuple(r) for r in conn.execute("SELECT migration_set, name FROM _sqlite_migrations")}
        known = known_migrations(migration_sets)
        if ("core", "m001_core") not in applied:
            raise FileRejected("backup.not_campaign", name=path.name)
        unknown = sorted(f"{s}/{n}" for s, n in applied - known)
        if unknown:
            raise FileRejected("backup.unknown_version", name=path.name, migrations=", ".join(unknown))
        differences = sorted(_differences(schema_of(conn), expected_schema(migration_sets, applied)))
        if differences:
            raise FileRejected("backup.schema_changed", name=path.name, parts=", ".join(differences[:5]))
        counts = {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("units", "staff", "install_reports", "users", "audit")}
    except sqlite3.DatabaseError:
        raise FileRejected("backup.corrupt", name=path.name) from None
    finally:
        conn.close()
    return {"applied": len(applied), "pending": len(known - applied), "counts": counts}


def schema_of(conn) -> dict:
    """A database's schema as SQLite describes it (not as its SQL was written): each table's columns
    (PRAGMA table_xinfo) and foreign keys, each index's table, uniqueness, origin and columns (a partial
    index with its condition), each trigger's and view's table and statement."""
    parts = {}
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchall()
    for kind, name, table, sql in rows:
        quoted = '"' + name.replace('"', '""') + '"'
        if kind == "table":
            parts[f"table {name}"] = (tuple(tuple(c) for c in conn.execute(f"PRAGMA table_xinfo({quoted})")),
                                      tuple(sorted(tuple(k[2:]) for k in conn.execute(f"PRAGMA foreign_key_list({quoted})"))))
        elif kind == "index":
            table_quoted = '"' + table.replace('"', '""') + '"'
            listed = next((tuple(i[2:]) for i in conn.execute(f"PRAGMA index_list({table_quoted})") if i[1] == name), ())
            partial = " ".join(sql.split()) if listed[-1:] == (1,) and sql else None
            parts[f"index {name}"] = (table, listed, tuple(tuple(c) for c in conn.execute(f"PRAGMA index_xinfo({quoted})")), partial)
        else:  # a trigger or a view is its statement
            parts[f"{kind} {name}"] = (table, " ".join((sql or "").split()))
    return parts


def expected_schema(migration_sets, applied: set[tuple[str, str]]) -> dict:
    """The schema a database with the migrations `applied` has: this version's migrations of each set up to
    the last applied, run on an empty database. Refuses (backup.unknown_version) a set applied with gaps."""
    key = (tuple(m.name for m in migration_sets), frozenset(applied))
    if key not in _EXPECTED:
        conn = database.connect(":memory:")
        try:
            for steps in migration_sets:
                done = [step for step in steps.steps if (steps.name, step.name) in applied]
                if done != steps.steps[: len(done)]:
                    raise FileRejected("backup.unknown_version", name="", migrations=steps.name)
                if done:
                    stop = steps.steps[len(done)].name if len(done) < len(steps.steps) else None
                    steps.apply(conn, stop_before=stop)
            _EXPECTED[key] = schema_of(conn.conn)
        finally:
            conn.conn.close()
    return _EXPECTED[key]


_EXPECTED: dict = {}


def _differences(found: dict, expected: dict) -> set[str]:
    """The parts (e.g. "table staff", "trigger x") that are missing, extra or different."""
    return {part for part in found.keys() | expected.keys() if found.get(part) != expected.get(part)}


def save(db, actor, dest) -> Path:
    """A backup to the file `dest` by an administrator (the command line's), audited like a download."""
    access.require_admin(actor)
    path = backup(db, dest)
    with database.write(db):
        audit.record(db, actor, "backup", "database", path.name,
                     detail={"bytes": path.stat().st_size, "sha256": _sha256(path), "path": str(path)})
    return path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def restore(db, actor, source, *, current_path, migration_sets, migrate) -> Path:
    """Replace the live database with a checked backup; the previous one is kept as a dated copy.

    The copy goes in through SQLite's backup API, so other open connections see the restored data
    on their next read. A backup from an older known version is migrated forward (`migrate`). Returns the
    path of the dated copy of the previous database. campaign.features.restore passes this version's schema.
    """
    access.require_admin(actor)
    source = Path(source)
    facts = check_backup(source, migration_sets)
    current_path = Path(current_path)
    if source.resolve() == current_path.resolve():
        raise FileRejected("backup.same_file", name=source.name)
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    previous = backup(db, current_path.with_name(f"{current_path.stem}-before-restore-{stamp}{current_path.suffix}"))
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        src.backup(db.conn, pages=-1)
    finally:
        src.close()
    migrate(db)
    with database.write(db):
        audit.record(db, actor, "restore", "database", source.name,
                     detail={"sha256": _sha256(source), "previous_copy": previous.name, **facts["counts"]})
    return previous


def dated_name(prefix: str = "campaign-backup", when: dt.datetime | None = None) -> str:
    """A file name for a backup: campaign-backup-20261128-0930.db."""
    when = when or clock.now()
    return f"{prefix}-{when.strftime('%Y%m%d-%H%M')}.db"
