"""Supervision rules, pure: yes/no answers, compliance of a spot check, a reminder letter's status.

A person checked is compliant when the app is installed and registered on their phone. No
resident data is involved: a spot check stores only yes/no per staff member.
"""

import datetime as dt
import unicodedata

import pandas as pd

YES = {"1", "是", "yes", "y", "true", "√", "✓", "已安装", "已注册", "有", "对"}
NO = {"0", "否", "no", "n", "false", "×", "✗", "x", "未安装", "未注册", "无", "没有"}

DRAFT, SENT, REPLIED, OVERDUE = "draft", "sent", "replied", "overdue"
STATUSES = (DRAFT, SENT, REPLIED, OVERDUE)
SOURCES = ("laggard", "spot_check", "manual")


def parse_flag(text) -> bool | None:
    """是/否, yes/no, 1/0, √/×, 已安装/未安装 … as True/False; None when it is neither."""
    value = unicodedata.normalize("NFKC", str(text)).strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    return None


def compliance(items: pd.DataFrame, keys: list[str], min_rate: float) -> pd.DataFrame:
    """Per `keys` group of spot-check items (installed, registered as 0/1): checked, installed,
    registered, compliant (both), the compliance rate and whether it is below `min_rate`."""
    columns = [*keys, "checked", "installed", "registered", "compliant", "rate", "flagged"]
    if items.empty:
        return pd.DataFrame(columns=columns)
    frame = items.assign(compliant=(items["installed"].astype(bool) & items["registered"].astype(bool)).astype(int))
    grouped = frame.groupby(keys, sort=False).agg(
        checked=("installed", "size"),
        installed=("installed", "sum"),
        registered=("registered", "sum"),
        compliant=("compliant", "sum"),
    ).reset_index()
    for column in ("checked", "installed", "registered", "compliant"):
        grouped[column] = grouped[column].astype(int)
    grouped["rate"] = grouped["compliant"] / grouped["checked"]
    # round before comparing: 9/10 must pass a 90% mark although 0.9 is not exact in binary
    grouped["flagged"] = grouped["rate"].round(12) < round(min_rate, 12)
    return grouped[columns]


def letter_status(sent_on, reply_due, reply_on, today: dt.date) -> str:
    """draft (not sent yet), replied, overdue (sent, no reply, past the due date) or sent (awaiting a reply)."""
    if sent_on is None:
        return DRAFT
    if reply_on is not None:
        return REPLIED
    if _date(reply_due) < today:
        return OVERDUE
    return SENT


def letter_counts(statuses) -> dict:
    """"7 sent, 6 replied, 1 overdue": sent counts every letter sent, replied or overdue."""
    statuses = list(statuses)
    return {
        "drafts": statuses.count(DRAFT),
        "sent": sum(1 for s in statuses if s != DRAFT),
        "replied": statuses.count(REPLIED),
        "overdue": statuses.count(OVERDUE),
        "awaiting": statuses.count(SENT),
    }


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
