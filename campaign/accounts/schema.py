"""The accounts feature's own migration set: sign-in state on users, sessions, audit indexes."""

from campaign.infra.migrations import Migrations

accounts = Migrations("accounts")


@accounts()
def m001_sign_in(db):
    db.executescript(
        """
        ALTER TABLE users ADD COLUMN failed_count INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE users ADD COLUMN locked_until TEXT;
        ALTER TABLE users ADD COLUMN password_changed TEXT;
        ALTER TABLE users ADD COLUMN must_change INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE users ADD COLUMN last_sign_in TEXT;
        CREATE TABLE sessions (
            token_sha256 TEXT PRIMARY KEY,
            username TEXT NOT NULL REFERENCES users(username),
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL
        );
        CREATE INDEX sessions_user ON sessions(username);
        CREATE INDEX audit_actor ON audit(actor);
        CREATE INDEX audit_unit ON audit(unit_id);
        CREATE INDEX audit_entity ON audit(entity);
        """
    )


@accounts()
def m002_mobile(db):
    # An account's own mobile (optional): the work groups' robots @-mention a unit's coordinators by it (issue 19).
    db.execute("ALTER TABLE users ADD COLUMN mobile TEXT")


@accounts()
def m003_sign_in_strangers(db):
    # Failed sign-ins of names that are no account, counted and locked like an account's (issue 16): the
    # answers and their cost never tell whether a name exists. Rows last only as long as a lockout.
    db.executescript(
        """
        CREATE TABLE sign_in_strangers (
            username TEXT PRIMARY KEY,
            failed_count INTEGER NOT NULL DEFAULT 0,
            locked_until TEXT,
            updated_at TEXT NOT NULL
        );
        """
    )
