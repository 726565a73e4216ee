"""Scans (issue 18): QR codes that lead to this app's landing route, a personal code for every employee
(一人一码) beside the locations' codes (一点一码), and scans counted per code × day × platform without any
personal data, read beside the self-reported installs."""

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
