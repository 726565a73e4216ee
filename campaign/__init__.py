"""Anti-Fraud App Campaign Tracker core: rules, storage and reports (no UI)."""
