"""Quota rules as tables: ranks with ties, capped completion, overrides, inactive staff, supersedes."""

import pandas as pd
import pytest

from campaign.installs import quota, rankings
from tests.helpers import load, small_county


@pytest.mark.parametrize(
    "values, ranks",
    [
        ([0.9, 0.8, 0.7], [1, 2, 3]),
        ([0.8, 0.9, 0.8, 0.5], [2, 1, 2, 4]),
        ([1.0, 1.0, 1.0], [1, 1, 1]),
        ([], []),
    ],
)
def test_competition_rank(values, ranks):
    assert quota.competition_rank(values) == ranks


@pytest.mark.parametrize(
    "people, expected",
    [
        # (quota, installs) per person -> (quota_total, installs, completion, at_quota)
        ([(30, 30), (30, 0)], (60, 30, 0.5, 1)),
        ([(30, 90), (30, 0)], (60, 90, 0.5, 1)),  # one star cannot carry a colleague
        ([(30, 15), (30, 15)], (60, 30, 0.5, 0)),
        ([(10, 12), (20, 5)], (30, 17, 0.5, 1)),  # (10 + 5) / 30
        ([(30, 26)], (30, 26, 26 / 30, 0)),
    ],
)
def test_unit_completion(people, expected):
    frame = pd.DataFrame([{"unit_id": 1, "quota": q, "installs": i} for q, i in people])
    row = quota.unit_completion(frame).iloc[0]
    assert (row.quota_total, row.installs, row.completion, row.at_quota) == pytest.approx(expected)


@pytest.mark.parametrize(
    "remaining, today, deadline, needed",
    [
        (300, "2026-11-28", "2026-12-07", 30),  # 10 days including today
        (301, "2026-11-28", "2026-12-07", 31),  # rounded up
        (0, "2026-11-28", "2026-12-07", 0),
        (5, "2026-12-08", "2026-12-07", None),  # past the deadline
    ],
)
def test_needed_per_day(remaining, today, deadline, needed):
    import datetime as dt

    d = dt.date.fromisoformat
    assert quota.needed_per_day(remaining, d(today), d(deadline)) == needed


def test_bottom_includes_ties_at_the_edge():
    frame = pd.DataFrame({"unit_id": [1, 2, 3, 4, 5], "group": ["g"] * 5, "rank": [1, 2, 3, 3, 5],
                          "completion": [0.9, 0.8, 0.5, 0.5, 0.1]})
    assert quota.bottom(frame, 2) == {3, 4, 5}  # the 2nd-worst place is shared
    assert quota.bottom(frame, 5) == set()  # a group no larger than n has no bottom
    done = frame.assign(rank=[1, 1, 1, 1, 1], completion=[1.0] * 5)
    assert quota.bottom(done, 2) == set()  # a tie at 100% is nobody's failure


def test_laggards_need_every_day():
    assert quota.laggards([{1, 2}, {1, 3}, {1, 2}], 3) == {1}
    assert quota.laggards([{1, 2}, {1, 3}], 3) == set()  # not enough days yet


def test_unit_figures_with_overrides_inactive_and_supersedes(db):
    small_county(db)
    load(db, "installs", """
unit,name,date,installs
甲镇,张一,2026-11-25,20
甲镇,张一,2026-11-26,15
甲镇,张二,2026-11-26,9
乙镇,李一,2026-11-26,30
乙镇,李二,2026-11-01,0
""".replace("乙镇,李二,2026-11-01,0\n", ""))
    # a correction supersedes: 张二 had 9 on the 26th, now 12
    load(db, "installs", "unit,name,date,installs\n甲镇,张二,2026-11-26,12\n县二局,赵二,2026-11-26,20")
    table = rankings.unit_ranking(db, "2026-11-26").set_index("code")
    # 甲镇: 张一 35 (credited 30) + 张二 12 over quota 60 -> 42/60
    assert table.loc["T1", ["staff", "quota_total", "installs", "at_quota"]].tolist() == [2, 60, 47, 1]
    assert table.loc["T1", "completion"] == pytest.approx(0.7)
    # 乙镇: the inactive 李二 counts for nothing: 30/30
    assert table.loc["T2", ["staff", "quota_total", "completion"]].tolist() == [1, 30, 1.0]
    # 县二局: unit override 10 for 赵一, personal override 20 for 赵二
    assert table.loc["D2", ["quota_total", "installs", "completion"]].tolist() == [30, 20, pytest.approx(20 / 30)]
    assert table.loc["T2", "rank"] == 1 and table.loc["T1", "rank"] == 2
    assert db.execute("SELECT COUNT(*) FROM install_reports WHERE superseded_by IS NOT NULL").fetchone()[0] == 1
