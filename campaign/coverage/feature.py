"""What the coverage feature brings to the campaign (wired in by campaign/features.py)."""

from campaign.coverage import cli, schema, settings, texts
from campaign.infra.feature import Feature


def _import_kinds():
    from campaign.coverage import imports

    return imports.KINDS


def _demo(db, today):
    from campaign.coverage import demo

    demo.load(db, today)


def _rebuild(db):
    from campaign.coverage import store

    store.rebuild_summaries(db)


FEATURE = Feature(
    "coverage",
    depends=("org", "installs", "scans"),  # scans: beside the reconciliation (issue 18)
    migrations=schema.coverage,
    tables=("population_versions", "population_rows", "registration_rows", "township_aliases", "peer_rates",
            "registration_days", "population_townships", "coverage_days"),
    settings=settings.SETTINGS,
    texts=texts.TEXTS,
    commands=cli.COMMANDS,
    import_kinds=_import_kinds,
    demo=_demo,
    rebuild=_rebuild,
)
