"""Installs: each employee's daily count of relatives and friends who installed the app, against their quota
(30 by default); entry, bulk import, the summaries every screen reads, rankings, laggards and progress."""
