"""What the notify feature brings to the campaign (wired in by campaign/features.py)."""

from campaign.infra.feature import Feature
from campaign.notify import cli, schema, settings, texts

FEATURE = Feature(
    "notify",
    depends=("org", "accounts", "installs", "supervision"),
    migrations=schema.notify,
    tables=("notify_channels", "notify_subscriptions", "notify_sends"),
    settings=settings.SETTINGS,
    texts=texts.TEXTS,
    commands=cli.COMMANDS,
)
