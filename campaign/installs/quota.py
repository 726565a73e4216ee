"""Quota rules, pure: completion, competition ranks, laggards and the pace to the deadline."""

import math

import pandas as pd


def competition_rank(values, *, descending=True) -> list[int]:
    """Standard competition ranking ("1, 2, 2, 4"): equal values share the better rank."""
    ordered = sorted(values, reverse=descending)
    first = {}
    for position, value in enumerate(ordered, start=1):
        first.setdefault(value, position)
    return [first[value] for value in values]


def unit_completion(per_staff: pd.DataFrame) -> pd.DataFrame:
    """Aggregate per-staff rows (unit_id, quota, installs) to per-unit figures.

    A person's installs count toward the unit's completion only up to their own quota,
    so one star cannot hide colleagues who have installed nothing.
    """
    frame = per_staff.assign(
        credited=per_staff[["installs", "quota"]].min(axis=1),
        at_quota=(per_staff["installs"] >= per_staff["quota"]).astype(int),
    )
    grouped = frame.groupby("unit_id", sort=False).agg(
        staff=("quota", "size"),
        quota_total=("quota", "sum"),
        installs=("installs", "sum"),
        credited=("credited", "sum"),
        at_quota=("at_quota", "sum"),
    )
    grouped["completion"] = grouped["credited"] / grouped["quota_total"]
    return grouped.reset_index()


def rank_within(frame: pd.DataFrame, value: str, by: str = "group") -> pd.Series:
    """Competition rank of `value` (higher is better) within each `by` group."""
    ranks = pd.Series(0, index=frame.index, dtype="int64")
    for _, part in frame.groupby(by, sort=False):
        ranks.loc[part.index] = competition_rank([round(v, 12) for v in part[value]])
    return ranks


def laggards(bottom_sets: list[set], days: int) -> set:
    """Units in the bottom set on each of the last `days` days (bottom_sets oldest first)."""
    recent = bottom_sets[-days:]
    if len(recent) < days or not recent:
        return set()
    return set.intersection(*recent)


def bottom(frame: pd.DataFrame, n: int) -> set:
    """Units among the worst n of their group, ties at the edge included; a unit at 100% never is.

    A group no larger than n has no meaningful bottom n.
    """
    result = set()
    for _, part in frame.groupby("group", sort=False):
        if len(part) <= n:
            continue
        threshold = sorted(part["rank"], reverse=True)[n - 1]
        hit = (part["rank"] >= threshold) & (part["completion"] < 1)
        result |= set(part.loc[hit, "unit_id"])
    return result


def needed_per_day(remaining: int, today, deadline) -> float | None:
    """Installs per day still needed to close `remaining` by the deadline (today counted)."""
    days_left = (deadline - today).days + 1
    if remaining <= 0:
        return 0.0
    if days_left <= 0:
        return None
    return math.ceil(remaining / days_left)
