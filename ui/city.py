"""The county selector shown at city scale (issue 9): one county is the default, the whole city is a choice."""

import streamlit as st

import ui
from campaign.installs import rankings
from campaign.org import access, units


def county_choice(db, me, key: str):
    """The chosen county's unit id, or None (the whole city, or a database with a single county)."""
    counties = rankings.counties(db)
    if len(counties) <= 1:
        return None
    allowed = access.scope_units(db, me)
    own = [c for c in counties if allowed and allowed & units.descendants(db, [c.id])]  # the county of my units
    options = [c.id for c in counties] + [None]
    names = {c.id: c.name for c in counties} | {None: ui.t("city.whole_city")}
    start = options.index(own[0].id) if own else 0
    return st.selectbox(ui.t("city.county"), options, index=start, format_func=names.get, placeholder=ui.t("ui.choose"), key=key,
                        help=ui.t("city.county_help"))
