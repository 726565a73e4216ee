"""What the flyers feature brings to the campaign (wired in by campaign/features.py)."""

from campaign.flyers import cli, schema, settings, texts
from campaign.infra.feature import Feature


def _demo(db, today):
    from campaign.flyers import demo

    demo.load(db, today)


FEATURE = Feature(
    "flyers",
    depends=("org", "outreach", "scans"),  # scans: where QR codes lead, personal codes (issue 18)
    migrations=schema.flyer_prints,
    tables=("flyer_prints",),
    settings=settings.SETTINGS,
    texts=texts.TEXTS,
    commands=cli.COMMANDS,
    demo=_demo,
)
