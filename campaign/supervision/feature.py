"""What the supervision feature brings to the campaign (wired in by campaign/features.py)."""

from campaign.infra import hooks
from campaign.infra.feature import Feature
from campaign.supervision import cli, schema, settings, texts


def _import_kinds():
    from campaign.supervision import letters, spot_checks

    return {**spot_checks.KINDS, **letters.KINDS}


def _demo(db, today):
    from campaign.supervision import demo

    demo.load(db, today)


def _talks_since(db, since):
    from campaign.supervision import talks

    return talks.talks_since(db, since)


FEATURE = Feature(
    "supervision",
    depends=("org", "installs", "coverage", "outreach"),
    migrations=schema.supervision,
    tables=("supervision_rounds", "spot_checks", "spot_check_items", "responsibility_letters", "reminder_letters",
            "letter_attachments", "laggard_talks", "spot_check_samples", "spot_check_sample_people", "letter_templates",
            "responsibility_scans"),
    settings=settings.SETTINGS,
    texts=texts.TEXTS,
    commands=cli.COMMANDS,
    import_kinds=_import_kinds,
    demo=_demo,
    hooks={hooks.LAGGARD_TALKS: _talks_since},
)
