"""Quota completion and rankings of units and staff, and the campaign's progress over time."""

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from campaign.infra import clock, settings
from campaign.installs import quota, summaries
from campaign.org import access, quotas, units

RANKED_TYPES = ("township", "community", "department")


def unit_info(db, county=None) -> pd.DataFrame:
    """Ranked units (optionally only those below one county), with their group."""
    below = units.descendants(db, [county]) if county is not None else None
    rows = [(u.id, u.code, u.name, u.type, u.group) for u in units.list_units(db, types=RANKED_TYPES)
            if below is None or u.id in below]
    return pd.DataFrame(rows, columns=["unit_id", "code", "unit", "type", "group"])


def counties(db) -> list:
    """The counties of the units tree; more than one means a city-scale database."""
    return units.list_units(db, types=("county",))


def staff_ranking(db, actor, unit_id: int, day=None) -> pd.DataFrame:
    """One unit's people ranked by installs against their quota (refused outside the actor's scope)."""
    access.require_details(db, actor, unit_id)
    day = clock.as_date(day or clock.today())
    conf = settings.get_all(db)
    unit_quota = units.effective_quota(db, unit_id, conf["default_quota"])
    people = summaries.staff_through(db, unit_id, day.isoformat(), conf["start_date"])
    ranks = quota.competition_rank([p[4] for p in people])
    order = sorted(range(len(people)), key=lambda i: (ranks[i], people[i][1]))  # stable: ties stay by id
    installs = np.array([people[i][4] for i in order], dtype=np.int64)
    quota_of = np.array([people[i][3] if people[i][3] is not None else unit_quota for i in order], dtype=np.int64)
    table = pd.DataFrame({
        "rank": np.array([ranks[i] for i in order], dtype=np.int64),
        "staff_id": np.array([people[i][0] for i in order], dtype=np.int64),
        "name": pd.array([people[i][1] for i in order], dtype=_STR),
        "installs": installs,
        "quota": quota_of,
        "completion": np.minimum(installs / quota_of, 1.0),
        "installs_today": installs - np.array([people[i][5] for i in order], dtype=np.int64),
    })
    return quotas.mark_people(db, unit_id, table, conf["quota_guidance"], id_column="staff_id")


def group_summary(table: pd.DataFrame, group: str) -> dict:
    """A group's units, credited completion and units without a report, from a unit_ranking table."""
    part = table[table["group"] == group]
    quota_total = part["quota_total"].sum()
    credited = (part["completion"] * part["quota_total"]).sum()
    return {
        "units": len(part),
        "completion": float(credited / quota_total) if quota_total else None,
        "no_report": int(part["no_report"].sum()),
    }


# ---- from the maintained summaries (issue 9): what every page reads --------------------------
# Plain numpy over one row per unit: a city has ~2,000 units, and pandas merges and group-bys
# cost more than the summary reads themselves.

def _through(db, day: dt.date, county=None) -> tuple[dict, dict]:
    """The ranked units (of one county, when given) with their totals, and from the summaries:
    "day": (installs, credited, at_quota, reports on the day) through `day`, and "prev": (installs, credited)
    through the day before."""
    held = summaries.unit_totals(db, RANKED_TYPES, county)
    return held, _figures(db, held, day, county, summaries.day_span(db), seek=False)


def _backward(first_held, last_held, day: dt.date, first: dt.date) -> bool:
    """Whether figures through `first` … `day` read fewer rows as all days minus the later ones (rows after
    `first`) than as the days since the first held (rows through `day`)."""
    return last_held is None or (clock.as_date(last_held) - first) <= (day - clock.as_date(first_held))


def _figures(db, held: dict, day: dt.date, county, span: tuple, *, seek: bool) -> dict:
    """"day": (installs, credited, at_quota, reports on the day) through `day` and "prev": (installs, credited)
    through the day before, of the held units. Two reads of their day rows, neither with the day column
    (converting it costs more than the rest of a read): the day's own rows, and either the later days'
    (taken from the totals, `_backward`) or those through the day before."""
    prev = day - dt.timedelta(days=1)
    columns, figures = ("unit_id", "installs", "credited", "at_quota", "reports"), ("installs", "credited", "at_quota")
    on = _unit_days(db, held, prev.isoformat(), day.isoformat(), county, columns, seek=seek, span=span)
    if _backward(*span, day, prev):
        later = _unit_days(db, held, day.isoformat(), "9999-12-31", county, columns, seek=seek, span=span)
        through = {c: held[c] - later.sum(c) for c in figures}
        before = {c: through[c] - on.sum(c) for c in figures}
    else:
        earlier = _unit_days(db, held, "", prev.isoformat(), county, columns, seek=seek, span=span)
        before = {c: earlier.sum(c) for c in figures}
        through = {c: before[c] + on.sum(c) for c in figures}
    return {"day": (through["installs"], through["credited"], through["at_quota"], on.sum("reports")),
            "prev": (before["installs"], before["credited"])}


class _Rows:
    """Per-unit day rows placed against the held units (rows of units not held are left out)."""

    def __init__(self, held: dict, rows: dict):
        ids, n = held["unit_id"], len(held["unit_id"])
        self.rows, self.n = rows, n
        order = np.argsort(ids)
        if n:
            self.at = order[np.minimum(np.searchsorted(ids, rows["unit_id"], sorter=order), n - 1)]
            self.known = ids[self.at] == rows["unit_id"]
        else:
            self.at, self.known = rows["unit_id"], np.zeros(len(rows["unit_id"]), dtype=bool)

    def sum(self, column: str) -> np.ndarray:
        """Per held unit, the sum of `column` over its rows."""
        return np.bincount(self.at[self.known], weights=self.rows[column][self.known], minlength=self.n).astype(np.int64)


class _Ranking:
    """Competition ranks (1, 2, 2, 4) of completion, higher first, within each group (integer codes)."""

    def __init__(self, completion: np.ndarray, groups: np.ndarray):
        self.completion, self.groups, self.rounded = completion, groups, np.round(completion, 12)
        self.where = [np.flatnonzero(groups == group) for group in range(int(groups.max()) + 1 if len(groups) else 0)]
        self.sorted = [np.sort(self.rounded[where]) for where in self.where]

    def of(self, at: np.ndarray) -> np.ndarray:
        """The ranks of the units at positions `at`."""
        ranks, groups, rounded = np.zeros(len(at), dtype=np.int64), self.groups[at], self.rounded[at]
        for group, values in enumerate(self.sorted):
            mine = groups == group
            ranks[mine] = len(values) - np.searchsorted(values, rounded[mine], side="right") + 1
        return ranks

    def bottom(self, n: int) -> set:
        """quota.bottom: the positions of the worst n of each group larger than n, never a unit at 100%."""
        # The n-th worst rank is that of the n-th lowest completion: a rank as bad or worse is a completion as low or lower.
        return {int(at) for where, values in zip(self.where, self.sorted) if len(where) > n
                for at in where[(self.rounded[where] <= values[n - 1]) & (self.completion[where] < 1)]}


def _table(held: dict, today: tuple, before: tuple, rank: np.ndarray, rank_prev: np.ndarray) -> pd.DataFrame:
    """The unit ranking table (see unit_ranking) of the held units, from their figures through the day and the
    day before and their ranks on both (among every unit of their group)."""
    installs, credited, at_quota, reports = today
    completion, completion_prev = credited / held["quota_total"], before[1] / held["quota_total"]
    codes = held["code"]
    code_order = pc.rank(codes, sort_keys="ascending", tiebreaker="dense").to_numpy() if len(codes) else np.zeros(0)
    order = np.lexsort((code_order, -installs, rank, held["group_code"]))
    columns = {
        "unit_id": held["unit_id"], "code": codes, "unit": held["name"], "type": held["type"], "group": held["group"],
        "rank": rank, "staff": held["staff"], "quota_total": held["quota_total"], "installs": installs,
        "completion": completion, "at_quota": at_quota, "installs_today": installs - before[0],
        "change": completion - completion_prev, "rank_change": rank_prev - rank, "no_report": reports == 0,
    }
    return pd.DataFrame({name: values[order] if isinstance(values, np.ndarray) else _text(values, order)
                         for name, values in columns.items()})


_STR = pd.Series([""]).dtype  # pandas' default text dtype (arrow-backed where pyarrow is installed, as Streamlit needs it)


def _text(values: pa.Array, order: np.ndarray):
    """An arrow text column in `order`, as pandas' text (no Python object per cell when pandas keeps text in arrow)."""
    picked = values.take(pa.array(order, type=pa.int64()))
    if getattr(_STR, "storage", None) == "pyarrow":
        return pd.arrays.ArrowStringArray(picked.cast(pa.large_string()), dtype=_STR)
    return pd.array(picked.to_pylist(), dtype=_STR)


def unit_ranking(db, day=None, county=None) -> pd.DataFrame:
    """Units ranked by quota completion within their group (of one county, when given), with the change since the day before."""
    day = clock.as_date(day or clock.today())
    held, figures = _through(db, day, county)
    today, before = figures["day"], figures["prev"]
    every = np.arange(len(held["unit_id"]))
    rank, rank_prev = (_Ranking(credited / held["quota_total"], held["group_code"]).of(every)
                       for credited in (today[1], before[1]))
    return quotas.mark_units(db, _table(held, today, before, rank, rank_prev), settings.get(db, "quota_guidance"))


def laggards(db, day=None, county=None) -> pd.DataFrame:
    """Units in the bottom N of their group on each of the last D days (the bulletin's 约谈 list)."""
    day = clock.as_date(day or clock.today())
    conf = settings.get_all(db)
    n, days = conf["laggard_bottom"], conf["laggard_days"]
    # The ranks need every unit's quota and credited installs only; the other figures are read for the units shown.
    held = summaries.unit_totals(db, RANKED_TYPES, county, ("quota_total", "credited"), named=False)
    span = summaries.day_span(db)
    prev = day - dt.timedelta(days=1)
    recent = [day - dt.timedelta(days=back) for back in range(max(days - 1, 1), -1, -1)]  # oldest first, prev among them
    backward = _backward(*span, day, recent[0])
    credited = _credited_through(db, held, recent, backward, county, span)
    ranking = {d: _Ranking(credited[d] / held["quota_total"], held["group_code"]) for d in recent}
    shown = np.array(sorted(quota.laggards([ranking[d].bottom(n) for d in recent[-days:]], days)), dtype=np.int64)
    lagging = _with_totals(db, held, shown, county)
    # A seek per unit costs more than reading the days' rows of the whole city once a tenth of its units are shown.
    figures = _figures(db, lagging, day, county, span, seek=county is not None or len(shown) * 10 <= len(held["unit_id"]))
    table = _table(lagging, figures["day"], figures["prev"], ranking[day].of(shown), ranking[prev].of(shown))
    return quotas.mark_units(db, table, conf["quota_guidance"])


def laggard_since(db, day=None, county=None) -> dict[int, dt.date]:
    """unit id -> the day it joined the laggard list, for each unit on the list on `day` (the first day of its
    current run of days on the list; the rule of `laggards`, day by day back from `day`)."""
    day = clock.as_date(day or clock.today())
    conf = settings.get_all(db)
    n, days = conf["laggard_bottom"], conf["laggard_days"]
    # Before the campaign starts every unit is in the bottom (nothing credited, everyone ties), as laggards() sees it.
    first = min(clock.as_date(conf["start_date"]), day) - dt.timedelta(days=days - 1)
    held = summaries.unit_totals(db, RANKED_TYPES, county, ("quota_total", "credited"), named=False)
    recent = [first + dt.timedelta(days=k) for k in range((day - first).days + 1)]
    # Every day's rows at once, summed into credited-through-each-day per unit (one read, not one a day).
    rows = summaries.day_offsets(db, first.isoformat(), day.isoformat(), None if county is None else held["unit_id"])
    placed = _Rows(held, rows)
    through = np.zeros((len(recent), len(held["unit_id"])), dtype=np.int64)
    np.add.at(through, (rows["offset"][placed.known], placed.at[placed.known]), rows["credited"][placed.known])
    through = through.cumsum(axis=0)
    bottoms = [_Ranking(through[k] / held["quota_total"], held["group_code"]).bottom(n) for k in range(len(recent))]
    since = {}
    for at in quota.laggards(bottoms, days):
        k = len(recent) - 1
        while k > 0 and at in bottoms[k - 1]:
            k -= 1
        since[int(held["unit_id"][at])] = recent[min(k + days - 1, len(recent) - 1)]
    return since


def _with_totals(db, held: dict, shown: np.ndarray, county) -> dict:
    """The held units at positions `shown` with every column of summaries.unit_totals."""
    totals = summaries.unit_totals_of(db, held["unit_id"][shown], ("staff", "installs", "at_quota"))
    return {**totals, **{name: held[name][shown] for name in ("quota_total", "credited", "group_code")},
            **summaries.unit_names(db, RANKED_TYPES, county, held["at"][shown])}


def _credited_through(db, held: dict, recent: list, backward: bool, county, span: tuple) -> dict:
    """{d: every held unit's credited installs through d} for the consecutive days `recent` (oldest first): the
    totals less the days after each (`backward`), or the days through the first plus each day after it."""
    def credited(after: str, until: str) -> np.ndarray:
        # One read per day, so without the day column: its conversion costs more than the rest of a read.
        return _unit_days(db, held, after, until, county, ("unit_id", "credited"), seek=county is not None, span=span).sum("credited")

    days = [d.isoformat() for d in recent]
    if backward:
        through = {recent[-1]: held["credited"] - credited(days[-1], "9999-12-31")}
        for k in range(len(recent) - 1, 0, -1):
            through[recent[k - 1]] = through[recent[k]] - credited(days[k - 1], days[k])
    else:
        through = {recent[0]: credited("", days[0])}
        for k in range(1, len(recent)):
            through[recent[k]] = through[recent[k - 1]] + credited(days[k - 1], days[k])
    return through


def _unit_days(db, held: dict, after: str, until: str, county, columns, *, seek: bool, span: tuple) -> _Rows:
    """The held units' day rows (after < day <= until): a seek per unit (`seek`: for a county's units or a few of
    the city's), else the days' rows of every unit below the county (summaries.unit_days); none read when
    no day held (`span`: summaries.day_span) falls in between."""
    if span[0] is None or until < span[0] or after >= span[1]:
        return _Rows(held, {c: np.zeros(0, dtype=np.int64) for c in columns})
    if not seek:
        return _Rows(held, summaries.unit_days(db, after, until, county, columns))
    return _Rows(held, summaries.unit_days_of(db, held["unit_id"], after, until, columns))


def progress(db, day=None) -> dict:
    """Campaign completion day by day (installs, and installs credited up to each quota) against
    the straight pace that meets every quota by the deadline."""
    day = clock.as_date(day or clock.today())
    conf = settings.get_all(db)
    start, deadline = clock.as_date(conf["start_date"]), clock.as_date(conf["deadline"])
    totals = summaries.campaign_totals(db, day.isoformat())
    daily = {d: (i, c) for d, i, c in summaries.campaign_days(db, start.isoformat(), day.isoformat())}
    quota_total = int(totals["quota_total"])
    span = max((deadline - start).days + 1, 1)
    dates = [start + dt.timedelta(days=k) for k in range((max(day, start) - start).days + 1)]
    figures = np.array([daily.get(d.isoformat(), (0, 0)) for d in dates], dtype=np.int64).reshape(len(dates), 2)
    series = pd.DataFrame({
        "day": np.array(dates, dtype=object),
        "installs": figures[:, 0],
        "credited": figures[:, 1].cumsum(),
        "cumulative": figures[:, 0].cumsum(),
        "pace": np.array([round(quota_total * min(k + 1, span) / span) for k in range(len(dates))], dtype=np.int64),
    })
    remaining = quota_total - int(totals["credited"])
    return {
        "series": series,
        "quota_total": quota_total,
        "installs": int(totals["installs"]),
        "completion": totals["credited"] / quota_total if quota_total else None,
        "remaining": remaining,
        "needed_per_day": quota.needed_per_day(remaining, day, deadline),
        "days_left": max((deadline - day).days + 1, 0),
        "staff_at_quota": int(totals["at_quota"]),
        "staff": int(totals["staff"]),
    }
