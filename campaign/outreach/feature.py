"""What the outreach feature brings to the campaign (wired in by campaign/features.py)."""

from campaign.infra import hooks
from campaign.infra.feature import Feature
from campaign.outreach import cli, schema, settings, texts


def _import_kinds():
    from campaign.outreach import registry

    return registry.KINDS


def _demo(db, today):
    from campaign.outreach import demo

    demo.load(db, today)


def _installs_by_place(db, first_day, last_day):
    from campaign.outreach import figures

    return figures.installs_by_place(db, first_day, last_day)


FEATURE = Feature(
    "outreach",
    depends=("org", "installs"),
    migrations=schema.outreach,
    tables=("outreach_schools", "outreach_classes", "outreach_grids", "outreach_enterprises", "outreach_windows",
            "outreach_reports"),
    settings=settings.SETTINGS,
    texts=texts.TEXTS,
    commands=cli.COMMANDS,
    import_kinds=_import_kinds,
    demo=_demo,
    hooks={hooks.INSTALLS_BY_PLACE: _installs_by_place},
)
