"""What the org feature brings to the campaign (wired in by campaign/features.py)."""

from campaign.infra.feature import Feature
from campaign.org import cli, schema, settings, texts


def _import_kinds():
    from campaign.org import imports

    return imports.KINDS


def _demo(db, today):
    from campaign.org import demo

    demo.load(db, today)


FEATURE = Feature(
    "org",
    migrations=schema.org,
    tables=("units", "staff"),
    shared_tables=("units", "staff"),  # every registry, scope and report names its units and people
    settings=settings.SETTINGS,
    texts=texts.TEXTS,
    commands=cli.COMMANDS,
    import_kinds=_import_kinds,
    demo=_demo,
)
