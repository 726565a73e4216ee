"""Responsibility letters (责任书) and reminder letters (提示函): storage, the problems a letter states, tracking.

A reminder letter is issued to a lagging unit (from the laggard list, a failed spot check, or
picked by hand). It stores the problems found as codes with their figures, frozen on the day it
was drafted, so the printed letter never changes afterwards. Tracking: sent, reply received
(date, summary, attachment kept in the database), overdue. Administrators write; every write is audited.
"""

import datetime as dt
import json
import mimetypes
from dataclasses import dataclass

import pandas as pd

from campaign.coverage.rules import county_key
from campaign.infra import audit, clock, i18n, settings
from campaign.infra.db import write
from campaign.infra.formats import pct
from campaign.infra.errors import FileRejected, InvalidValue, NotFound, RowError
from campaign.infra.imports import ImportKind
from campaign.infra.parse import parse_date
from campaign.infra.tables import Upload
from campaign.installs import rankings
from campaign.org import access, units
from campaign.supervision import rules
from campaign.supervision import spot_checks as supervision

# ---- responsibility letters --------------------------------------------------------------


def sign(db, actor, unit_id: int, signed_on, signed_by: str) -> None:
    """Record that a unit signed the campaign responsibility letter, when and by whom (administrators; audited)."""
    access.require_admin(actor)
    unit = units.get_unit(db, unit_id)
    day = supervision._past_day(signed_on)
    signed_by = str(signed_by or "").strip()
    if not signed_by:
        raise InvalidValue("letter.no_signer", value=unit.name)
    with write(db):
        _upsert_signature(db, actor, unit_id, day, signed_by)


def _upsert_signature(db, actor, unit_id, day, signed_by) -> str:
    old = db.execute("SELECT signed_on, signed_by FROM responsibility_letters WHERE unit_id = ?", [unit_id]).fetchone()
    new = {"signed_on": day.isoformat(), "signed_by": signed_by}
    if old is not None and (old[0], old[1]) == (new["signed_on"], signed_by):
        return "unchanged"
    db.execute(
        "INSERT INTO responsibility_letters (unit_id, signed_on, signed_by, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT(unit_id) DO UPDATE SET signed_on = excluded.signed_on, signed_by = excluded.signed_by,"
        " recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
        [unit_id, new["signed_on"], signed_by, actor.name, clock.stamp()],
    )
    audit.record(db, actor, "create" if old is None else "update", "responsibility_letter", unit_id, unit_id=unit_id,
                 old=old and {"signed_on": old[0], "signed_by": old[1]}, new=new)
    return "new" if old is None else "updated"


def unsign(db, actor, unit_id: int) -> None:
    """Withdraw a signature recorded by mistake (administrators; audited)."""
    access.require_admin(actor)
    with write(db):
        old = db.execute("SELECT signed_on, signed_by FROM responsibility_letters WHERE unit_id = ?", [unit_id]).fetchone()
        if old is None:
            raise NotFound("letter.not_signed", value=unit_id)
        scan = db.execute("SELECT name, sha256 FROM responsibility_scans WHERE unit_id = ?", [unit_id]).fetchone()
        db.execute("DELETE FROM responsibility_scans WHERE unit_id = ?", [unit_id])  # issue 20: the scan goes with it
        db.execute("DELETE FROM responsibility_letters WHERE unit_id = ?", [unit_id])
        audit.record(db, actor, "delete", "responsibility_letter", unit_id, unit_id=unit_id,
                     old={"signed_on": old[0], "signed_by": old[1], **({"scan": scan[0], "sha256": scan[1]} if scan else {})})


def responsibility(db) -> pd.DataFrame:
    """Every ranked unit with its signature: signed (bool), signed_on, signed_by, its signed scan's file name
    (`scan`) and `status`: unsigned, scan_missing (signed, no scan attached) or signed; unsigned units first."""
    info = rankings.unit_info(db)
    signed = pd.read_sql_query("SELECT l.unit_id, l.signed_on, l.signed_by, s.name AS scan FROM responsibility_letters l"
                               " LEFT JOIN responsibility_scans s ON s.unit_id = l.unit_id", db.conn)
    table = info.merge(signed, on="unit_id", how="left")
    table["signed"] = table["signed_on"].notna()
    table["status"] = ["unsigned" if not s else "signed" if isinstance(n, str) else "scan_missing"
                       for s, n in zip(table["signed"], table["scan"])]
    table = table.sort_values(["signed", "group", "code"], ascending=[True, False, True])
    return table[["unit_id", "code", "unit", "group", "signed", "signed_on", "signed_by", "scan", "status"]].reset_index(drop=True)


def unsigned(db) -> pd.DataFrame:
    """Units that have not signed the responsibility letter."""
    table = responsibility(db)
    return table[~table["signed"]].reset_index(drop=True)


def validate_signatures(db, actor, frame, conf):
    errors, plan, seen = [], [], {}
    ids = units.lookup(db)
    for row in frame.itertuples(index=False):
        r = row.line
        uid = ids.get(row.unit)
        if uid is None:
            errors.append(RowError(r, "unit", "row.unknown_unit", value=row.unit))
        elif uid in seen:
            errors.append(RowError(r, "unit", "row.duplicate_code", value=row.unit, first=seen[uid]))
        else:
            seen[uid] = r
        day = parse_date(row.signed_on)
        if day is None:
            errors.append(RowError(r, "signed_on", "row.bad_date", value=row.signed_on))
        elif day > clock.today():
            errors.append(RowError(r, "signed_on", "row.future_date", value=day.isoformat()))
        if not row.signed_by:
            errors.append(RowError(r, "signed_by", "row.missing"))
        plan.append((uid, day, row.signed_by))
    return plan, errors


def apply_signatures(db, actor, plan):
    counts = {"new": 0, "updated": 0, "unchanged": 0}
    for uid, day, signed_by in plan:
        counts[_upsert_signature(db, actor, uid, day, signed_by)] += 1
    return counts


KINDS = {
    "responsibility_letters": ImportKind(
        columns={"unit": ("单位", "单位名称"), "signed_on": ("签订日期", "签署日期", "日期"),
                 "signed_by": ("签订人", "签字人", "负责人")},
        required=("unit", "signed_on", "signed_by"),
        validate=validate_signatures, apply=apply_signatures, admin_only=True,
        example=[["县示例局", "2026-11-05", "王局长"]],
    ),
}


# ---- what a reminder letter states -------------------------------------------------------


def ranking_problems(db, unit_id: int, day, *, table=None, laggards=None, conf=None) -> list[dict]:
    """The unit's quota figures on `day`; its place on the laggard list and a missing report when so."""
    conf = conf or settings.get_all(db)
    day = clock.as_date(day)
    table = rankings.unit_ranking(db, day) if table is None else table
    row = table[table["unit_id"] == unit_id]
    if row.empty:
        return []
    row = row.iloc[0]
    group_size = int((table["group"] == row["group"]).sum())
    problems = [{"code": "letter.problem.completion", "params": {
        "day": day.isoformat(), "completion": float(row["completion"]), "rank": int(row["rank"]), "units": group_size,
        "group": row["group"], "installs": int(row["installs"]), "quota": int(row["quota_total"]),
        "staff": int(row["staff"]), "at_quota": int(row["at_quota"])}}]
    laggards = rankings.laggards(db, day) if laggards is None else laggards
    if unit_id in set(laggards["unit_id"]):
        problems.append({"code": "letter.problem.laggard", "params": {
            "days": conf["laggard_days"], "bottom": conf["laggard_bottom"], "group": row["group"]}})
    if bool(row["no_report"]):
        problems.append({"code": "letter.problem.no_report", "params": {"day": day.isoformat()}})
    return problems


def check_problems(db, unit_id: int, round_id: int, *, conf=None) -> list[dict]:
    """The unit's spot-check figures in a round against the pass mark."""
    conf = conf or settings.get_all(db)
    table = supervision.compliance(db, round_id, conf=conf)
    row = table[table["unit_id"] == unit_id]
    if row.empty:
        raise NotFound("letter.no_check", value=unit_id)
    row = row.iloc[0]
    last = db.execute("SELECT MAX(day) FROM spot_checks WHERE round_id = ? AND unit_id = ?", [round_id, unit_id]).fetchone()[0]
    code = "letter.problem.spot_check" if bool(row["flagged"]) else "letter.problem.spot_check_passed"
    return [{"code": code, "params": {
        "round": row["round"], "day": last, "checked": int(row["checked"]), "installed": int(row["installed"]),
        "registered": int(row["registered"]), "rate": float(row["rate"]), "min_rate": conf["spot_check_min_rate"]}}]


def draft_problems(db, unit_id: int, source: str, *, day=None, round_id=None, notes: str = "", table=None,
                   laggards=None) -> list[dict]:
    """The problems a new letter would state: spot-check figures (source spot_check), the unit's
    ranking figures (every source), and the administrator's own lines (`notes`, one per line).

    `table` (unit_ranking) and `laggards` of the day may be passed when the caller has them already.
    """
    if source not in rules.SOURCES:
        raise InvalidValue("letter.bad_source", value=source)
    conf = settings.get_all(db)
    problems = []
    if source == "spot_check":
        if round_id is None:
            raise InvalidValue("letter.no_round", value="")
        problems += check_problems(db, unit_id, round_id, conf=conf)
    problems += ranking_problems(db, unit_id, day or clock.today(), table=table, laggards=laggards, conf=conf)
    problems += [{"code": "letter.problem.text", "params": {"text": line.strip()}}
                 for line in str(notes or "").splitlines() if line.strip()]
    return problems


PERCENT_KEYS = ("completion", "rate", "min_rate")


def format_day(value, lang: str) -> str:
    """2026年11月28日 / 28 Nov 2026."""
    day = clock.as_date(value)
    return f"{day.year}年{day.month}月{day.day}日" if lang == "zh" else f"{day.day} {day:%b} {day.year}"


def problem_text(problem: dict, lang: str = "zh") -> str:
    """One problem as a sentence: rates as percentages, dates spelled out, groups named."""
    params = dict(problem.get("params") or {})
    for key, value in params.items():
        if key in PERCENT_KEYS and isinstance(value, (int, float)):
            params[key] = pct(value)
        elif key == "day" and value:
            params[key] = format_day(value, lang)
        elif key == "group":
            params[key] = i18n.t(f"group.{value}", lang)
    return i18n.t(problem["code"], lang, **params)


# ---- reminder letters --------------------------------------------------------------------


@dataclass(frozen=True)
class Letter:
    """A reminder letter as stored, with what it needs to be printed."""

    id: int
    number: str
    unit_id: int
    unit: str
    source: str
    issued_on: str
    reply_due: str
    problems: list
    rectification: str
    sent_on: str | None
    reply_on: str | None
    reply_summary: str | None
    status: str
    letterhead: str
    campaign: str
    attachment: str | None = None


def letterhead(conf: dict) -> str:
    """The issuing office named at the top of a letter (setting, else made from the county name)."""
    return conf.get("letterhead") or f"{conf['county_name']}打击治理电信网络诈骗违法犯罪工作领导小组办公室"


def next_number(db, conf: dict, year: int) -> str:
    """全反诈提〔2026〕8号: the prefix (setting, else the county's first character + 反诈提), the year, a sequence."""
    prefix = conf.get("letter_number_prefix") or f"{county_key(conf['county_name'])[:1]}反诈提"
    used = db.execute("SELECT COUNT(*) FROM reminder_letters WHERE substr(issued_on, 1, 4) = ?", [str(year)]).fetchone()[0]
    number = used + 1
    while db.execute("SELECT 1 FROM reminder_letters WHERE number = ?", [f"{prefix}〔{year}〕{number}号"]).fetchone():
        number += 1
    return f"{prefix}〔{year}〕{number}号"


def create_reminder(db, actor, unit_id: int, source: str, problems: list[dict], *, rectification: str = "",
                    issued_on=None, reply_due=None, round_id=None, lang: str = "zh") -> int:
    """Issue a reminder letter to a unit (administrators; audited); returns its id.

    The reply is due `letter_reply_days` after issue unless `reply_due` is given.
    """
    access.require_admin(actor)
    unit = units.get_unit(db, unit_id)
    if source not in rules.SOURCES:
        raise InvalidValue("letter.bad_source", value=source)
    if not problems:
        raise InvalidValue("letter.no_problems", value=unit.name)
    conf = settings.get_all(db)
    issued = supervision._past_day(issued_on or clock.today())
    due = clock.as_date(reply_due) if reply_due else issued + dt.timedelta(days=conf["letter_reply_days"])
    if due <= issued:
        raise InvalidValue("letter.due_before_issue", value=due.isoformat())
    rectification = str(rectification or "").strip() or i18n.t("letter.rectification_default", lang)
    with write(db):
        number = next_number(db, conf, issued.year)
        letter_id = db.execute(
            "INSERT INTO reminder_letters (number, unit_id, source, check_round_id, issued_on, reply_due, problems,"
            " rectification, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [number, unit_id, source, round_id, issued.isoformat(), due.isoformat(),
             json.dumps(problems, ensure_ascii=False), rectification, actor.name, clock.stamp()],
        ).lastrowid
        audit.record(db, actor, "create", "reminder_letter", letter_id, unit_id=unit_id,
                     new={"number": number, "source": source, "issued_on": issued.isoformat(), "reply_due": due.isoformat()})
    return letter_id


def mark_sent(db, actor, letter_id: int, sent_on=None) -> None:
    """Record that the letter went out (administrators; audited)."""
    access.require_admin(actor)
    day = supervision._past_day(sent_on or clock.today())
    with write(db):
        row = _row(db, letter_id)
        if day < clock.as_date(row["issued_on"]):
            raise InvalidValue("letter.sent_before_issue", value=day.isoformat())
        db.execute("UPDATE reminder_letters SET sent_on = ? WHERE id = ?", [day.isoformat(), letter_id])
        audit.record(db, actor, "update", "reminder_letter", letter_id, unit_id=row["unit_id"],
                     old={"sent_on": row["sent_on"]}, new={"sent_on": day.isoformat()})


def record_reply(db, actor, letter_id: int, reply_on, summary: str, attachment: Upload | None = None) -> None:
    """Record the unit's reply: date, summary and an optional attachment kept in the database (administrators; audited)."""
    access.require_admin(actor)
    day = supervision._past_day(reply_on)
    summary = str(summary or "").strip()
    if not summary:
        raise InvalidValue("letter.no_summary", value="")
    conf = settings.get_all(db)
    limit = conf["upload_max_mb"] * 1024 * 1024
    if attachment is not None and len(attachment.data) > limit:
        raise FileRejected("file.too_large", size=len(attachment.data), limit=limit)
    with write(db):
        row = _row(db, letter_id)
        if row["sent_on"] is None:
            raise InvalidValue("letter.not_sent", value=row["number"])
        if day < clock.as_date(row["sent_on"]):
            raise InvalidValue("letter.reply_before_sent", value=day.isoformat())
        db.execute("UPDATE reminder_letters SET reply_on = ?, reply_summary = ?, reply_recorded_by = ? WHERE id = ?",
                   [day.isoformat(), summary, actor.name, letter_id])
        if attachment is not None:
            mime = mimetypes.guess_type(attachment.name)[0] or "application/octet-stream"
            db.execute(
                "INSERT INTO letter_attachments (letter_id, name, mime, size, sha256, data) VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT(letter_id) DO UPDATE SET name = excluded.name, mime = excluded.mime, size = excluded.size,"
                " sha256 = excluded.sha256, data = excluded.data",
                [letter_id, attachment.name, mime, len(attachment.data), attachment.sha256, attachment.data],
            )
        audit.record(db, actor, "update", "reminder_letter", letter_id, unit_id=row["unit_id"],
                     old={"reply_on": row["reply_on"], "reply_summary": row["reply_summary"]},
                     new={"reply_on": day.isoformat(), "reply_summary": summary,
                          "attachment": attachment and {"name": attachment.name, "sha256": attachment.sha256}})


def _row(db, letter_id: int) -> dict:
    cursor = db.execute("SELECT * FROM reminder_letters WHERE id = ?", [letter_id])
    row = cursor.fetchone()
    if row is None:
        raise NotFound("letter.no_such_letter", value=letter_id)
    return dict(zip([c[0] for c in cursor.description], row))


def attachment(db, letter_id: int) -> tuple[str, str, bytes] | None:
    """A reply's attachment: (file name, MIME type, bytes), or None."""
    row = db.execute("SELECT name, mime, data FROM letter_attachments WHERE letter_id = ?", [letter_id]).fetchone()
    return None if row is None else (row[0], row[1], bytes(row[2]))


def list_letters(db, today=None) -> pd.DataFrame:
    """Every reminder letter, newest first, with its status on `today` (draft, sent, replied, overdue)."""
    today = clock.as_date(today or clock.today())
    frame = pd.read_sql_query(
        """SELECT l.id, l.number, l.unit_id, u.code, u.name AS unit, l.source, l.issued_on, l.reply_due, l.sent_on,
                  l.reply_on, l.reply_summary, a.name AS attachment
           FROM reminder_letters l JOIN units u ON u.id = l.unit_id
           LEFT JOIN letter_attachments a ON a.letter_id = l.id
           ORDER BY l.issued_on DESC, l.id DESC""",
        db.conn,
    )
    frame["status"] = [rules.letter_status(s, d, r, today) for s, d, r in
                       zip(_nones(frame["sent_on"]), frame["reply_due"], _nones(frame["reply_on"]))]
    frame["late"] = [bool(r) and r > d for r, d in zip(_nones(frame["reply_on"]), frame["reply_due"])]
    return frame


def summary(db, today=None) -> dict:
    """Letter counts: sent, replied, overdue, awaiting a reply, drafts."""
    return rules.letter_counts(list_letters(db, today)["status"])


def get_letter(db, letter_id: int, today=None) -> Letter:
    """One letter with the letterhead and campaign name it is printed with."""
    row = _row(db, letter_id)
    conf = settings.get_all(db)
    unit = units.get_unit(db, row["unit_id"])
    status = rules.letter_status(row["sent_on"], row["reply_due"], row["reply_on"], clock.as_date(today or clock.today()))
    attached = attachment(db, letter_id)
    return Letter(row["id"], row["number"], unit.id, unit.name, row["source"], row["issued_on"], row["reply_due"],
                  json.loads(row["problems"]), row["rectification"], row["sent_on"], row["reply_on"],
                  row["reply_summary"], status, letterhead(conf), conf["campaign_name"], attached and attached[0])


def candidates(db, day=None) -> dict[str, pd.DataFrame]:
    """Units a letter may go to: the laggard list on `day` and the failed spot checks of every round."""
    day = clock.as_date(day or clock.today())
    return {"laggard": rankings.laggards(db, day), "spot_check": supervision.flagged(db)}


def _nones(series):
    return [None if v is None or (isinstance(v, float) and pd.isna(v)) else v for v in series]
