"""Personal cards on the Flyers page (issue 18): a unit's print sheet, or one person's picture for WeChat Moments."""

import streamlit as st

import ui
from campaign.flyers import store as flyers_store
from campaign.infra import settings
from campaign.infra.errors import CampaignError
from campaign.scans import codes as scan_codes
from campaign.scans import rules as scan_rules


def section(db, me) -> None:
    """The personal-cards part of the page, for the units whose staff details the user may see (nothing otherwise)."""
    t = ui.t
    units = flyers_store.card_units(db, me)
    if not units:
        return
    st.subheader(t("flyers.person.title"))
    st.caption(t("flyers.person.intro"))
    if not scan_rules.counting(settings.get_all(db)):
        st.warning(t("flyers.person.not_counted"))
    by_id = {u.id: u for u in units}
    unit_id = st.selectbox(t("flyers.person.unit"), list(by_id), format_func=lambda u: f"{by_id[u].name} ({by_id[u].code})",
                           key="cards_unit")
    people = {p.staff_id: p for p in scan_codes.people(db, me, unit_id)}
    left, right = st.columns(2)
    made = None
    try:
        if left.button(t("flyers.person.sheet", count=len(people)), disabled=not people, key="cards_sheet", width="stretch"):
            made = flyers_store.person_cards(db, me, unit_id, fmt="pdf")
        person = right.selectbox(t("flyers.person.person"), list(people), key="cards_person",
                                 format_func=lambda s: f"{people[s].name} · {people[s].code}")
        if right.button(t("flyers.person.card"), disabled=person is None, key="cards_card", width="stretch"):
            made = flyers_store.person_cards(db, me, unit_id, staff_ids=[person], fmt="png")
    except CampaignError as error:
        ui.show_error(error)
    if made is not None:
        st.session_state["cards_made"] = (unit_id, made)
    shown = st.session_state.get("cards_made")
    if not shown or shown[0] != unit_id:
        return
    made = shown[1]
    st.success(t("flyers.person.made", count=made.pieces) if made.format == "pdf" else t("flyers.person.made_card"))
    if made.format == "pdf":
        st.download_button(t("flyers.person.download_sheet"), made.data, f"cards-{by_id[unit_id].code}.pdf", "application/pdf",
                           icon=":material/download:", on_click="ignore", key="cards_download_sheet")
    else:
        code, png = made.pictures[0]
        st.download_button(t("flyers.person.download_card"), png, f"card-{code}.png", "image/png",
                           icon=":material/download:", on_click="ignore", key="cards_download_card")
        st.image(png, width=300)
