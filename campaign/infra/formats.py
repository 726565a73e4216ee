"""The app's one percentage format, for pages and for every file and message the core makes (issue 17)."""

import math


def pct(value) -> str:
    """Two decimals, as the city ranks its counties: 54.94% ("—" when missing: None, NaN, pandas' NA)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return "—"
    return "—" if math.isnan(number) else f"{number:.2%}"
