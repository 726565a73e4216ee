"""A supervision round's report: for each unit checked, the sample (seed, size, the people drawn and re-checked),
what was found per person, the rate against the pass mark, and what followed — the reminder letters issued
on the round and the re-checks of the people who failed. As data (`build`) and as an A4 PDF (`pdf_bytes`).
"""

import pandas as pd
from fpdf.fonts import FontFace

from campaign.infra import clock, i18n, settings
from campaign.infra.fonts import FAMILY, new_pdf
from campaign.infra.formats import pct
from campaign.org import access
from campaign.supervision import letters, samples
from campaign.supervision import spot_checks as supervision


def _items(db, check_id: int, sample_id) -> pd.DataFrame:
    """The people of one check with their outcome: a sample's in the order drawn (re-checks marked), else by id."""
    if sample_id is not None:
        return samples.sample_people(db, access.SYSTEM, int(sample_id))
    frame = pd.read_sql_query(
        """SELECT s.id AS staff_id, s.name, u.name AS unit, 0 AS recheck, i.installed, i.registered, i.not_found, i.note
           FROM spot_check_items i JOIN staff s ON s.id = i.staff_id JOIN units u ON u.id = s.unit_id
           WHERE i.check_id = ? ORDER BY s.id""", db.conn, params=[int(check_id)])
    frame["recheck"] = frame["recheck"].astype(bool)
    frame["outcome"] = [samples.outcome(i, r, n) for i, r, n in zip(frame["installed"], frame["registered"], frame["not_found"])]
    return frame


def _next_outcomes(db, round_id: int, staff_ids: list[int]) -> dict[int, tuple[str, str]]:
    """{staff id: (round name, outcome)} of each person's first check in a round after this one."""
    day = supervision.get_round(db, round_id)["day"]
    found: dict = {}
    for sid, name, installed, registered, not_found in db.execute(
            """SELECT i.staff_id, r.name, i.installed, i.registered, i.not_found FROM spot_check_items i
               JOIN supervision_rounds r ON r.id = i.round_id WHERE r.day > ? OR (r.day = ? AND r.id > ?)
               ORDER BY r.day, r.id""", [day, day, int(round_id)]):
        if sid in staff_ids and sid not in found:
            found[sid] = (name, samples.outcome(installed, registered, not_found))
    return found


def build(db, actor, round_id: int, today=None) -> dict:
    """The round's report (administrators and leaders: it names the people checked)."""
    access.require_role(actor, (access.ADMIN, access.LEADER))
    conf = settings.get_all(db)
    round_ = supervision.get_round(db, round_id)
    rates = supervision.compliance(db, round_id, conf=conf).set_index("unit_id")
    drawn = samples.list_samples(db, round_id).set_index("check_id")
    issued = letters.list_letters(db, today)
    issued = issued[issued["id"].isin([lid for (lid,) in db.execute(
        "SELECT id FROM reminder_letters WHERE check_round_id = ?", [int(round_id)])])]
    sections = []
    for check in supervision.list_checks(db, round_id).sort_values(["code", "check_id"]).itertuples():
        sample = drawn.loc[check.check_id] if check.check_id in drawn.index else None
        people = _items(db, check.check_id, None if sample is None else sample["id"])
        failed = [int(s) for s, o in zip(people["staff_id"], people["outcome"]) if o != "compliant"]
        later = _next_outcomes(db, round_id, failed)
        rate = rates.loc[check.unit_id]
        sections.append({
            "unit_id": int(check.unit_id), "code": check.code, "unit": check.unit, "day": check.day, "checker": check.checker,
            "seed": None if sample is None else int(sample["seed"]), "size": None if sample is None else int(sample["size"]),
            "pool": None if sample is None else int(sample["pool"]),
            "people": [{"name": p.name, "unit": p.unit, "recheck": bool(p.recheck), "outcome": p.outcome,
                        "note": None if pd.isna(p.note) else p.note,
                        "next": later.get(int(p.staff_id)) if p.outcome != "compliant" else None}
                       for p in people.itertuples()],
            "checked": int(rate["checked"]), "compliant": int(rate["compliant"]), "rate": float(rate["rate"]),
            "flagged": bool(rate["flagged"]),
            "letters": [{"number": r.number, "issued_on": r.issued_on, "status": r.status}
                        for r in issued[issued["unit_id"] == check.unit_id].itertuples()],
        })
    checked = sum(s["checked"] for s in sections)
    compliant = sum(s["compliant"] for s in sections)
    outcomes = [p["outcome"] for s in sections for p in s["people"]]
    return {"round": round_["name"], "day": round_["day"], "min_rate": conf["spot_check_min_rate"], "sections": sections,
            "units": len(sections), "checked": checked, "compliant": compliant, "rate": compliant / checked if checked else None,
            "flagged": sum(s["flagged"] for s in sections), "not_found": outcomes.count("not_found"),
            "rechecks": sum(p["recheck"] for s in sections for p in s["people"]),
            "letters": int(len(issued)), "campaign": conf["campaign_name"], "office": letters.letterhead(conf),
            "made_on": clock.as_date(today or clock.today()).isoformat()}


def pdf_bytes(report: dict, lang: str = "zh") -> bytes:
    """The report on A4: the round's figures, then a section per unit with its people and what followed."""
    t = lambda key, **params: i18n.t(key, lang, **params)  # noqa: E731
    pdf = new_pdf()
    pdf.set_margins(18, 18, 18)
    pdf.set_auto_page_break(True, margin=16)
    pdf.set_title(t("report.title", round=report["round"]))
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    line = dict(new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, size=17)
    pdf.multi_cell(width, 9, t("report.title", round=report["round"]), align="C", **line)
    pdf.set_font(FAMILY, size=10)
    pdf.multi_cell(width, 6, t("report.meta", office=report["office"], day=report["day"], made=report["made_on"]), align="C", **line)
    pdf.ln(3)
    pdf.set_font(FAMILY, size=11)
    pdf.multi_cell(width, 6.5, t("report.summary", units=report["units"], checked=report["checked"], compliant=report["compliant"],
                                 rate=pct(report["rate"]), min_rate=pct(report["min_rate"]), flagged=report["flagged"],
                                 not_found=report["not_found"], rechecks=report["rechecks"], letters=report["letters"]), **line)
    for section in report["sections"]:
        pdf.ln(3)
        pdf.set_font(FAMILY, size=13)
        verdict = t("report.failed") if section["flagged"] else t("report.passed")
        pdf.multi_cell(width, 8, f"{section['unit']}（{section['code']}）  {pct(section['rate'])}  {verdict}", **line)
        pdf.set_font(FAMILY, size=10)
        how = t("report.sampled", seed=section["seed"], pool=section["pool"], size=section["size"]) if section["seed"] is not None \
            else t("report.not_sampled")
        pdf.multi_cell(width, 5.5, t("report.check_line", day=section["day"], checker=section["checker"], checked=section["checked"],
                                     compliant=section["compliant"]) + " " + how, **line)
        with pdf.table(col_widths=(8, 22, 30, 20, 50), text_align=("CENTER", "LEFT", "LEFT", "LEFT", "LEFT"),
                       line_height=6, first_row_as_headings=True,
                       headings_style=FontFace(emphasis="", fill_color=(235, 235, 235))) as table:  # no bold face in the CJK font
            table.row([t(f"report.col.{c}") for c in ("n", "name", "outcome", "recheck", "note")])
            for n, person in enumerate(section["people"], start=1):
                followed = ""
                if person["next"] is not None:
                    followed = t("report.next", round=person["next"][0], outcome=t(f"report.outcome.{person['next'][1]}"))
                elif person["outcome"] != "compliant":
                    followed = t("report.next_pending")
                table.row([str(n), person["name"], t(f"report.outcome.{person['outcome']}"),
                           t("report.recheck") if person["recheck"] else "",
                           "；".join(x for x in (person["note"] or "", followed) if x)])
        if section["letters"]:
            pdf.multi_cell(width, 5.5, t("report.letters", letters="、".join(
                f"{x['number']}（{x['issued_on']}，{t('letter.status.' + x['status'])}）" for x in section["letters"])), **line)
    return bytes(pdf.output())


def file_name(report: dict) -> str:
    """抽查报告-第四轮督导.pdf"""
    return f"抽查报告-{report['round']}.pdf"
