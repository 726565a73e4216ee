"""Outreach channels: schools (head teachers and parents), grids (grid workers' household visits), enterprises
and business groups (their regulators), service windows (the QR standee); registries, daily entry, figures."""
