"""What the installs feature brings to the campaign (wired in by campaign/features.py)."""

from campaign.infra import hooks
from campaign.infra.feature import Feature
from campaign.installs import cli, schema, settings, texts


def _import_kinds():
    from campaign.installs import imports

    return imports.KINDS


def _demo(db, today):
    from campaign.installs import demo

    demo.load(db, today)


def _rebuild(db):
    from campaign.installs import summaries

    summaries.rebuild(db)


def _installs_by_place(db, first_day, last_day):
    from campaign.installs import summaries

    return summaries.installs_by_place(db, first_day, last_day)


FEATURE = Feature(
    "installs",
    depends=("org",),
    migrations=schema.summaries,
    tables=("install_reports", "entries", "install_unit_days", "install_days", "install_unit_totals",
            "install_staff_totals", "units_version", "install_unlocks"),
    settings=settings.SETTINGS,
    texts=texts.TEXTS,
    commands=cli.COMMANDS,
    import_kinds=_import_kinds,
    demo=_demo,
    rebuild=_rebuild,
    hooks={hooks.UNITS_CHANGED: _rebuild, hooks.INSTALLS_BY_PLACE: _installs_by_place},
)
