"""The notify feature's own migration set: the work groups' robots (channels), what each gets (subscriptions), and
the send log that makes every message go out once.

A channel's webhook address and signing secret are secrets: stored here, shown back only masked, never audited.
Never edit an applied migration: add the next one.
"""

from campaign.infra.migrations import Migrations

notify = Migrations("notify")


@notify()
def m001_notify(db):
    db.executescript(
        """
        CREATE TABLE notify_channels (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN ('wecom', 'dingtalk', 'feishu')),
            url TEXT NOT NULL,
            secret TEXT,
            lang TEXT NOT NULL DEFAULT 'zh' CHECK (lang IN ('zh', 'en')),
            active INTEGER NOT NULL DEFAULT 1,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE notify_subscriptions (
            id INTEGER PRIMARY KEY,
            channel_id INTEGER NOT NULL REFERENCES notify_channels(id),
            message TEXT NOT NULL CHECK (message IN ('bulletin', 'reminder', 'laggards', 'letters')),
            unit_id INTEGER REFERENCES units(id)
        );
        CREATE UNIQUE INDEX notify_subscriptions_once ON notify_subscriptions(channel_id, message, IFNULL(unit_id, 0));
        -- One row per message kind x day x channel (x subject: a letter's event), claimed before sending;
        -- `copy` counts forced resends (0 is the scheduled send).
        CREATE TABLE notify_sends (
            id INTEGER PRIMARY KEY,
            message TEXT NOT NULL,
            day TEXT NOT NULL,
            channel_id INTEGER NOT NULL REFERENCES notify_channels(id),
            subject TEXT NOT NULL DEFAULT '',
            copy INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'failed', 'skipped')),
            actor TEXT NOT NULL,
            claimed_at TEXT NOT NULL,
            finished_at TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            parts INTEGER NOT NULL DEFAULT 0,
            parts_sent INTEGER NOT NULL DEFAULT 0,
            answer TEXT,
            detail TEXT,
            batch INTEGER,
            UNIQUE (message, day, channel_id, subject, copy)
        );
        CREATE INDEX notify_sends_claimed ON notify_sends(claimed_at);
        CREATE INDEX notify_sends_channel ON notify_sends(channel_id, message, day);
        """
    )
