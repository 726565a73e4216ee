"""What the scans feature brings to the campaign (wired in by campaign/features.py)."""

from campaign.infra import hooks
from campaign.infra.feature import Feature
from campaign.scans import cli, schema, settings, texts


def _demo(db, today):
    from campaign.scans import demo

    demo.load(db, today)


def _issue_codes(db):
    from campaign.scans import codes

    codes.issue_missing(db)


FEATURE = Feature(
    "scans",
    depends=("org", "installs"),
    migrations=schema.scans,
    tables=("scan_codes", "scan_counts"),
    settings=settings.SETTINGS,
    texts=texts.TEXTS,
    commands=cli.COMMANDS,
    demo=_demo,
    rebuild=_issue_codes,
    hooks={hooks.UNITS_CHANGED: _issue_codes},
)
