"""Imports: a file checked whole, every bad row explained, nothing written unless all is clean.

Each feature declares its import kinds (`ImportKind`: the columns it reads, who may import it, how its
rows are checked and written); `run` reads a file for one kind and applies it in one transaction. The
composition root (campaign.features) lists every feature's kinds by name.
"""

import resource
import tempfile
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from campaign.infra import audit, clock, settings, worker
from campaign.infra import db as database
from campaign.infra.actors import ADMIN, SCOPED, require_admin, require_role
from campaign.infra.db import checkpoint_in_background, write
from campaign.infra.errors import FileRejected, RowsRejected
from campaign.infra.tables import Upload, inspect_workbook, read_table, template_csv


@dataclass
class ImportKind:
    columns: dict  # canonical -> accepted headers (first alias is the Chinese template header)
    required: tuple
    validate: Callable  # (db, actor, frame, conf) -> (plan, errors)
    apply: Callable  # (db, actor, plan) -> counts dict
    example: list = field(default_factory=list)
    admin_only: bool = False
    roles: tuple = (ADMIN, *SCOPED)  # who may import this kind (scope is checked per row)
    # apply confirms every row's references itself inside the transaction (one set-based check),
    # so SQLite's per-row foreign-key checks are off for it (0.4 s of a million-row import).
    checks_references: bool = False


@dataclass
class ImportResult:
    kind: str
    rows: int
    counts: dict
    dry_run: bool
    worker_peak_mb: int | None = None  # a large file's worker process: its peak resident memory


def run(db, actor, kind: str, spec: ImportKind, upload: Upload, *, dry_run=False, options=None) -> ImportResult:
    """Check a file as the import kind `spec` (named `kind`) and, when every row is clean and not dry_run,
    write it in one transaction.

    `options` are a kind's own choices (e.g. the date of a snapshot), seen by validate as conf["options"].
    Raises FileRejected (unreadable file) or RowsRejected (every bad row); then nothing is written.
    """
    if spec.admin_only:
        require_admin(actor)
    require_role(actor, spec.roles)
    path = database.file_path(db)
    if path and (len(upload.data) >= LARGE_FILE or _heavy_workbook(db, upload)):
        return _in_worker(path, actor, kind, spec, upload, dry_run, options)
    return _run_import(db, actor, kind, spec, upload, dry_run, options)


# A file this large (~90,000 install rows, a city's day) is checked and written by a worker process
# (campaign.infra.worker): its working memory, ~20× the file (a 20 MB file: ~430 MB), never lands in
# the app's process (issue 9: under 400 MB), is all given back when the worker ends, and an import that
# runs out of memory ends only the worker.
LARGE_FILE = 4 * 1024 * 1024


def _heavy_workbook(db, upload: Upload) -> bool:
    """A small .xlsx that holds many cells or unpacks to much (refused here when absurd): its parsing,
    hundreds of bytes of memory a cell, goes to the worker as a large file's does."""
    if not upload.name.lower().endswith((".xlsx", ".xlsm")):
        return False
    limit = settings.get(db, "upload_max_mb") * 1024 * 1024
    return len(upload.data) <= limit and inspect_workbook(upload, limit).heavy


def _in_worker(path, actor, kind, spec, upload, dry_run, options) -> ImportResult:
    with tempfile.TemporaryDirectory(prefix="campaign-upload-") as folder:
        staged = Path(folder) / "upload"  # the file goes over as a path, not as a 20 MB pickle
        staged.write_bytes(upload.data)
        return worker.call(_work, path, actor, kind, spec, upload.name, str(staged), dry_run, options)


def _work(path, actor, kind, spec, name, staged, dry_run, options) -> ImportResult:
    """In a worker process: the import on its own connection, its WAL checkpoint after it answers."""
    db = database.connect(path)
    try:
        upload = Upload(name, Path(staged).read_bytes())
        result = _run_import(db, actor, kind, spec, upload, dry_run, options, checkpoint=True)
        result.worker_peak_mb = _peak_mb()
        return result
    finally:
        db.conn.close()


def _peak_mb() -> int:
    """This process's peak resident memory: VmHWM where Linux shows it (ru_maxrss also counts the memory of
    the process that started the import server, at the moment it did)."""
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) // 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def _run_import(db, actor, kind, spec, upload, dry_run, options, *, checkpoint=False) -> ImportResult:
    conf = settings.get_all(db)
    frame = read_table(upload, spec.columns, spec.required, max_bytes=conf["upload_max_mb"] * 1024 * 1024)
    name, sha = upload.name, upload.sha256
    if frame.empty:
        raise FileRejected("file.empty")
    plan, errors = spec.validate(db, actor, frame, {**conf, "options": {"filename": name, **(options or {})}})
    if errors:
        raise RowsRejected(sorted(errors, key=lambda e: e.row))
    if dry_run:
        return ImportResult(kind, len(frame), {}, True)
    with checkpoint_in_background(db) if checkpoint else nullcontext(), write(db, foreign_keys=not spec.checks_references):
        counts = spec.apply(db, actor, plan)
        db.execute(
            "INSERT INTO imports (at, actor, kind, filename, sha256, rows) VALUES (?, ?, ?, ?, ?, ?)",
            [clock.stamp(), actor.name, kind, name, sha, len(frame)],
        )
        audit.record(db, actor, "import", kind, name, detail={"sha256": sha, "rows": len(frame), **counts})
    return ImportResult(kind, len(frame), counts, False)


def template(spec: ImportKind, lang: str = "zh") -> bytes:
    """A CSV template for one import kind, with an example row."""
    return template_csv(spec.columns, spec.example, lang)
