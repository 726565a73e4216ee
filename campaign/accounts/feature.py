"""What the accounts feature brings to the campaign (wired in by campaign/features.py)."""

from campaign.accounts import cli, schema, settings, texts
from campaign.infra.feature import Feature


def _demo(db, today):
    from campaign.accounts import demo

    demo.load(db, today)


FEATURE = Feature(
    "accounts",
    depends=("org",),
    migrations=schema.accounts,
    tables=("users", "user_scopes", "sessions", "sign_in_strangers"),
    settings=settings.SETTINGS,
    texts=texts.TEXTS,
    commands=cli.COMMANDS,
    demo=_demo,
)
