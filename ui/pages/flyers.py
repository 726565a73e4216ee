"""Flyers: QR-code window posters, hand-out cards and take-home slips for one's windows, grids and classes."""

import streamlit as st

import ui
from campaign.flyers import render as flyers
from campaign.flyers import store as flyers_store
from campaign.infra.errors import CampaignError
from ui import flyers as ui_flyers
from ui import person_cards as ui_person_cards

t, db, me = ui.t, ui.db(), ui.actor()
st.header(t("flyers.title"))
options = flyers_store.options(db)
st.caption(t("flyers.intro", target=options.target))
locations = flyers_store.locations_for(db, me)
if not locations:
    st.info(t("flyers.no_locations"))
    ui_person_cards.section(db, me)  # issue 18: personal cards need no location
    st.stop()

# the style for the user's own places by default: cards for a grid worker, slips for a class teacher (issue 17)
OWN = {"window": "poster", "grid": "cards", "class": "slip"}
own = max(flyers.KINDS, key=lambda k: sum(OWN.get(loc.kind) == k for loc in locations))
kind = st.radio(t("flyers.kind"), flyers.KINDS, index=flyers.KINDS.index(own), horizontal=True, key="flyers_kind",
                format_func=lambda k: t(f"flyers.kind_short.{k}"), help=t("flyers.kind_help"))
st.caption(t(f"flyers.kind.{kind}"))
mode = st.radio(t("flyers.mode"), ["one", "batch"], format_func=lambda m: t(f"flyers.mode.{m}"),
                horizontal=True, key="flyers_mode")
if mode == "one":
    by_code = {loc.code: loc for loc in locations}
    code = st.selectbox(t("flyers.location"), list(by_code), placeholder=ui.t("ui.choose"), key="flyers_location",
                        format_func=lambda c: f"{by_code[c].code} · {by_code[c].host} {by_code[c].name}"
                        f" · {t('flyers.kind.' + by_code[c].kind)}")
    chosen, label = [by_code[code]], code
else:
    batch = st.radio(t("flyers.batch"), flyers_store.batches(locations), format_func=lambda b: t(f"flyers.batch.{b}"),
                     horizontal=True, key="flyers_batch")
    groups = flyers_store.batch_groups(locations, batch)
    if batch == "schools":
        group = st.selectbox(t("flyers.school"), list(groups), format_func=groups.get, placeholder=ui.t("ui.choose"), key="flyers_school")
    else:
        group = st.selectbox(t("flyers.township"), ["", *groups], placeholder=ui.t("ui.choose"), key="flyers_township",
                             format_func=lambda g: groups.get(g) or t("flyers.all_townships"))
    chosen, label = flyers_store.pick(locations, batch, group), f"{batch}-{group or 'all'}"

cards = flyers.DEFAULT_CARDS
left, right = st.columns(2) if kind == "cards" else (None, st.container())  # no empty column beside the copies
if kind == "cards":
    cards = left.selectbox(t("flyers.cards"), flyers.CARD_COUNTS, index=flyers.CARD_COUNTS.index(flyers.DEFAULT_CARDS),
                           placeholder=ui.t("ui.choose"), key="flyers_cards")
copies = right.number_input(t("flyers.copies"), 1, flyers.MAX_COPIES, 1, key="flyers_copies",
                            help=t("flyers.copies_help", cards=cards))
st.caption(t("flyers.selected", count=len(chosen), pages=len(chosen) * copies))

result = st.container()  # above the buttons: on a phone the download appears where one tapped, not below the fold
make_pdf, make_png = st.columns(2)
fmt = "pdf" if make_pdf.button(t("flyers.make"), type="primary", key="flyers_make", width="stretch") else None
if mode == "one" and make_png.button(t("flyers.make_png"), key="flyers_make_png", width="stretch"):
    fmt = "png"
if fmt:
    bar = st.progress(0.0, text=t("flyers.progress", done=0, total=len(chosen)))
    try:
        made = flyers_store.make(db, me, kind, chosen, cards=cards, copies=copies, fmt=fmt,
                                 progress=lambda done, total: bar.progress(done / total, text=t("flyers.progress", done=done, total=total)))
    except CampaignError as error:
        ui.show_error(error)
    else:
        st.session_state["flyers_made"] = ((kind, label, cards, copies), made, f"{kind}-{label}")
    bar.empty()

shown = st.session_state.get("flyers_made")
if shown and shown[0] == (kind, label, cards, copies):  # a file made for the choices now on screen
    _, made, name = shown
    result = result.container(border=True)
    result.success(t("flyers.made", count=len(made.locations), pages=made.pages))
    if made.format == "pdf":
        result.download_button(t("flyers.download_pdf"), made.data, f"{name}.pdf", "application/pdf",
                               icon=":material/download:", on_click="ignore", key="flyers_download_pdf")
    else:
        code, png = made.pictures[0]
        result.download_button(t("flyers.download_png"), png, f"{name}.png", "image/png",
                               icon=":material/download:", on_click="ignore", key="flyers_download_png")
        result.image(png, width=360)

ui_person_cards.section(db, me)  # issue 18: personal cards (一人一码)
st.subheader(t("flyers.log"))
ui_flyers.print_log(db, actor=me)
