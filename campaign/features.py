"""The composition root: the features of the campaign, in order, and what each contributes, wired in here.

Every entry point (the app in ui/, `python -m campaign`, the import server, tests, benchmarks) imports
this module first: it registers each feature's settings, texts and hooks, and offers what needs all
features at once: opening a database with every migration applied, the import kinds by name, restores.
A feature never imports this module; what it needs of another comes through its own imports of that
feature (campaign.infra first, then the features listed before it) or through a hook.
"""

from campaign.accounts import feature as accounts
from campaign.coverage import feature as coverage
from campaign.flyers import feature as flyers
from campaign.installs import feature as installs
from campaign.notify import feature as notify  # issue 19: the work groups
from campaign.org import feature as org
from campaign.outreach import feature as outreach
from campaign.scans import feature as scans  # issue 18
from campaign.supervision import feature as supervision
from campaign.infra import db as database
from campaign.infra import hooks, i18n, migrations, schema, settings
from campaign.infra import texts as infra_texts
from campaign.infra.feature import Feature

FEATURES: tuple[Feature, ...] = (
    org.FEATURE,
    accounts.FEATURE,
    installs.FEATURE,
    scans.FEATURE,
    coverage.FEATURE,
    outreach.FEATURE,
    flyers.FEATURE,
    supervision.FEATURE,
    notify.FEATURE,
)
INFRA_TABLES = ("settings", "audit", "imports", migrations.TABLE, migrations.REBUILDS)


def _assemble() -> None:
    i18n.register(infra_texts.TEXTS, "campaign/infra/texts.py")
    settings.register(settings.BUILTIN)
    for feature in FEATURES:
        i18n.register(feature.texts, f"campaign/{feature.name}/texts.py")
        settings.register(feature.settings)
        for name, handler in feature.hooks.items():
            hooks.connect(name, handler)


_assemble()


def by_name(name: str) -> Feature:
    """One feature by its name."""
    return next(feature for feature in FEATURES if feature.name == name)


# ---- the schema -----------------------------------------------------------------------------

def migration_sets() -> list:
    """Every migration set in the order they apply: the base schema, then each feature's."""
    return [schema.core, *(f.migrations for f in FEATURES if f.migrations is not None)]


def migrate(db) -> None:
    """Apply every pending migration (each once, in its own transaction), then the rebuilds they asked for."""
    for step_set in migration_sets():
        step_set.apply(db)
    due = migrations.rebuilds_due(db)
    for feature in FEATURES:
        if feature.migrations is not None and feature.migrations.name in due:
            with database.write(db):
                if feature.migrations.name in migrations.rebuilds_due(db):  # not done meanwhile by another process
                    feature.rebuild(db)
                    migrations.rebuilt(db, feature.migrations.name)


def connect(path=None):
    """Open (creating if needed) the database and bring its schema up to date."""
    db = database.connect(path)
    migrate(db)
    return db


def rebuild(db) -> None:
    """Recompute every feature's derived tables (summaries) from the raw rows, in one transaction."""
    with database.write(db):
        for feature in FEATURES:
            if feature.rebuild is not None:
                feature.rebuild(db)


# ---- imports --------------------------------------------------------------------------------

def import_kinds() -> dict:
    """Every feature's import kinds (campaign.infra.imports.ImportKind) by name, in the features' order."""
    kinds: dict = {}
    for feature in FEATURES:
        if feature.import_kinds is not None:
            for name, kind in feature.import_kinds().items():
                if name in kinds:
                    raise KeyError(f"import kind {name!r} declared twice")
                kinds[name] = kind
    return kinds


def run_import(db, actor, kind: str, upload, *, dry_run=False, options=None):
    """Check a file as the import kind named `kind` and, when clean and not dry_run, write it (campaign.infra.imports.run)."""
    from campaign.infra import imports  # pandas: not for `python -m campaign --help`

    return imports.run(db, actor, kind, import_kinds()[kind], upload, dry_run=dry_run, options=options)


def template(kind: str, lang: str = "zh") -> bytes:
    """A CSV template for the import kind named `kind`, with an example row."""
    from campaign.infra import imports

    return imports.template(import_kinds()[kind], lang)


# ---- backups --------------------------------------------------------------------------------

def restore(db, actor, source, *, current_path):
    """Replace the live database with a checked backup (campaign.accounts.backup.restore), migrated forward."""
    from campaign.accounts import backup

    return backup.restore(db, actor, source, current_path=current_path, migration_sets=migration_sets(), migrate=migrate)
