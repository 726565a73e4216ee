"""Accounts: users with a role and a scope, sign-in and sessions, the audit trail for administrators, backups."""
