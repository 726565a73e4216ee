"""Supervision: rounds of spot checks, responsibility letters (责任书), reminder letters (提示函) with their
replies, and the daily bulletin (通报) gathered from every feature's figures."""

from campaign.infra.feature import Feature
from campaign.supervision import cli, schema, settings, texts


def _import_kinds():
    from campaign.supervision import letters, spot_checks

    return {**spot_checks.KINDS, **letters.KINDS}


def _demo(db, today):
    from campaign.supervision import demo

    demo.load(db, today)


FEATURE = Feature(
    "supervision",
    depends=("org", "installs", "coverage", "outreach"),
    migrations=schema.supervision,
    tables=("supervision_rounds", "spot_checks", "spot_check_items", "responsibility_letters", "reminder_letters",
            "letter_attachments"),
    settings=settings.SETTINGS,
    texts=texts.TEXTS,
    commands=cli.COMMANDS,
    import_kinds=_import_kinds,
    demo=_demo,
)
