"""Coverage rules with exact figures: ages, the 16–60 split, rates, gaps, pace, reach date and city rank."""

import datetime as dt
from fractions import Fraction

import pytest

from campaign.coverage import rules
from campaign.coverage.rules import Band
from campaign.infra.errors import InvalidValue

D = dt.date


@pytest.mark.parametrize(
    "text, band",
    [
        ("17", Band(17, 17)),
        ("17岁", Band(17, 17)),
        ("17 周岁", Band(17, 17)),
        ("0岁", Band(0, 0)),
        ("15-19", Band(15, 19)),
        ("15~19", Band(15, 19)),
        ("15～19", Band(15, 19)),  # full-width tilde
        ("15—19岁", Band(15, 19)),  # em dash
        ("15–19", Band(15, 19)),  # en dash
        ("15－19岁", Band(15, 19)),  # full-width hyphen
        ("15至19岁", Band(15, 19)),
        ("85+", Band(85, None)),
        ("85岁及以上", Band(85, None)),
        ("85岁以上", Band(85, None)),
        ("100岁及以上", Band(100, None)),
        (" 60 - 64 ", Band(60, 64)),
        ("１７岁", Band(17, 17)),  # full-width digits
    ],
)
def test_every_accepted_age_form(text, band):
    assert rules.parse_age(text) == band


@pytest.mark.parametrize("text", ["", "abc", "十七岁", "17.5", "-3", "19-15", "131", "15-", "岁", "15-19-23", "85-"])
def test_text_that_is_not_an_age(text):
    assert rules.parse_age(text) is None


@pytest.mark.parametrize(
    "band, share, estimated",
    [
        (Band(16, 16), Fraction(1), False),
        (Band(60, 60), Fraction(1), False),
        (Band(15, 15), Fraction(0), False),
        (Band(61, 61), Fraction(0), False),
        (Band(16, 60), Fraction(1), False),  # aligned at 16 and 61: exact
        (Band(0, 15), Fraction(0), False),
        (Band(61, 64), Fraction(0), False),
        (Band(15, 19), Fraction(4, 5), True),  # straddles 16: 16, 17, 18, 19 of 15–19
        (Band(60, 64), Fraction(1, 5), True),  # straddles 61: only 60
        (Band(10, 70), Fraction(45, 61), True),  # straddles both
        (Band(85, None), Fraction(0), False),
        (Band(61, None), Fraction(0), False),
        (Band(60, None), Fraction(1, 41), True),  # an open band is taken to end at 100
        (Band(0, None), Fraction(45, 101), True),
    ],
)
def test_share_of_a_band_in_16_to_60(band, share, estimated):
    assert rules.share_in_range(band) == (share, estimated)


@pytest.mark.parametrize(
    "a, b, overlap",
    [(Band(15, 19), Band(17, 17), True), (Band(15, 19), Band(20, 24), False), (Band(85, None), Band(90, 94), True),
     (Band(80, 84), Band(85, None), False), (Band(17, 17), Band(17, 17), True), (Band(0, None), Band(3, 3), True)],
)
def test_overlapping_bands(a, b, overlap):
    assert a.overlaps(b) is overlap and b.overlaps(a) is overlap


def rows(township, *pairs):
    return [(township, rules.parse_age(age), value) for age, value in pairs]


POPULATION = rows("甲镇", ("15", 100), ("16", 200), ("17-60", 3000), ("61-64", 400), ("65+", 300)) + \
    rows("乙镇", ("0-15", 500), ("16-60", 1000), ("61+", 500))
REGISTERED = rows("甲镇", ("0-15", 10), ("16-60", 3000), ("61+", 90)) + rows("乙镇", ("0-15", 0), ("16-60", 800), ("61+", 100))


def test_exact_coverage_with_single_years_and_aligned_bands():
    total, towns, unknown = rules.compute(POPULATION, REGISTERED)
    assert (total.population, total.registered, total.population_16_60, total.registered_16_60) == (6000, 4000, 4200, 3800)
    assert total.coverage == 4000 / 6000
    assert total.coverage_16_60 == 3800 / 4200
    assert total.estimated is False and total.over_100 is False and unknown == []
    assert (towns["甲镇"].coverage, towns["甲镇"].coverage_16_60) == (0.775, 0.9375)
    assert (towns["乙镇"].coverage, towns["乙镇"].coverage_16_60) == (0.45, 0.8)


def test_a_straddling_band_is_split_evenly_and_marked_estimated():
    population = rows("甲镇", *[(str(age), 100) for age in range(10, 70)])  # 6,000 people, 4,500 aged 16–60
    registered = rows("甲镇", ("10-14", 0), ("15-19", 500), ("20-59", 4000), ("60-64", 250), ("65-69", 50))
    total, towns, _ = rules.compute(population, registered)
    assert total.population_16_60 == 4500
    assert total.registered_16_60 == 400 + 4000 + 50  # 4/5 of 500 and 1/5 of 250
    assert total.coverage_16_60 == 4450 / 4500
    assert total.estimated is True and towns["甲镇"].estimated is True
    assert total.coverage == 4800 / 6000


def test_a_fractional_split_keeps_exact_fractions():
    population = rows("甲镇", ("0-17", 1800), ("18-59", 4200), ("60-69", 1000))
    registered = rows("甲镇", ("0-17", 300), ("18-59", 4000), ("60-69", 700))
    total, _, _ = rules.compute(population, registered)
    assert total.population_16_60 == Fraction(2 * 1800, 18) + 4200 + Fraction(1000, 10)  # 200 + 4200 + 100
    assert total.registered_16_60 == Fraction(2 * 300, 18) + 4000 + Fraction(700, 10)  # 33⅓ + 4000 + 70
    assert rules.number(total.registered_16_60) == pytest.approx(4103.333333333333)
    assert total.coverage_16_60 == float(Fraction(12310, 3) / 4500)


def test_over_100_percent_is_allowed_and_flagged():
    total, towns, _ = rules.compute(rows("甲镇", ("16-60", 1000)), rows("甲镇", ("16-60", 1040)))
    assert towns["甲镇"].coverage == 1.04 and towns["甲镇"].over_100 is True and total.over_100 is True


def test_zero_population_is_no_data_not_a_division_error():
    total, towns, _ = rules.compute(rows("甲镇", ("0-15", 0), ("16-60", 0)), rows("甲镇", ("16-60", 5)))
    assert towns["甲镇"].coverage is None and towns["甲镇"].coverage_16_60 is None
    assert towns["甲镇"].as_dict()["coverage"] is None and total.coverage is None
    assert rules.gap_persons(0.95, 0, 5) is None


def test_township_without_registrations_is_no_data_and_left_out_of_the_total():
    total, towns, unknown = rules.compute(POPULATION, rows("甲镇", ("16-60", 3000)) + rows("丙镇", ("16-60", 9)))
    assert towns["乙镇"].registered is None and towns["乙镇"].coverage is None
    assert (total.population, total.registered) == (4000, 3000)  # 甲镇 only
    assert unknown == ["丙镇"]


@pytest.mark.parametrize(
    "target, population, registered, gap",
    [
        (0.95, 4200, 3800, 190),  # 3,990 − 3,800
        (0.7, 6000, 4000, 200),
        (0.95, 1000, 950, 0),
        (0.95, 1000, 990, 0),  # never below zero
        (0.95, 1000, Fraction(18991, 20), 1),  # 950 − 949.55 = 0.45 -> 1
        (0.6, Fraction(5001, 5), 500, 101),  # 600.12 − 500 = 100.12 -> 101
        (0.6, 180009, 99024, 8982),  # 108,005.4 − 99,024 = 8,981.4 -> 8,982
        (None, 1000, 10, None),
    ],
)
def test_gap_in_persons(target, population, registered, gap):
    assert rules.gap_persons(target, population, registered) == gap


@pytest.mark.parametrize(
    "gap, as_of, deadline, per_day",
    [(190, D(2026, 11, 28), D(2026, 12, 8), 19), (200, D(2026, 11, 28), D(2026, 12, 8), 20),
     (201, D(2026, 11, 28), D(2026, 12, 8), 21), (5, D(2026, 11, 28), D(2026, 11, 29), 5),
     (0, D(2026, 11, 28), D(2026, 11, 1), 0), (5, D(2026, 11, 28), D(2026, 11, 28), None),
     (None, D(2026, 11, 28), D(2026, 12, 8), None)],
)
def test_persons_per_day_to_the_deadline(gap, as_of, deadline, per_day):
    assert rules.per_day(gap, as_of, deadline) == per_day


SERIES = [(D(2026, 11, 20), 3600), (D(2026, 11, 21), 3700), (D(2026, 11, 25), 3900), (D(2026, 11, 28), 4000)]


@pytest.mark.parametrize(
    "series, as_of, pace",
    [
        (SERIES, D(2026, 11, 28), Fraction(300, 7)),  # from the 21st, seven days back
        (SERIES[:3] + [(D(2026, 11, 27), 4000)], D(2026, 11, 27), Fraction(400, 7)),  # from the 20th: latest ≥ 7 days back
        (SERIES[2:], D(2026, 11, 28), Fraction(100, 3)),  # younger than 7 days: from the earliest
        (SERIES[:1], D(2026, 11, 20), None),
        (SERIES, D(2026, 11, 29), None),  # no snapshot on the day
    ],
)
def test_pace_of_the_last_seven_days(series, as_of, pace):
    assert rules.pace(series, as_of) == pace


@pytest.mark.parametrize(
    "gap, speed, expected",
    [
        (200, Fraction(300, 7), ("on", D(2026, 12, 3))),  # 200 ÷ 42.86 = 4.67 -> 5 days
        (300, Fraction(300, 7), ("on", D(2026, 12, 5))),  # exactly 7 days
        (0, Fraction(300, 7), ("reached", D(2026, 11, 28))),
        (200, Fraction(0), ("not_at_pace", None)),
        (200, Fraction(-5), ("not_at_pace", None)),
        (200, None, ("not_at_pace", None)),
        (None, Fraction(1), ("no_data", None)),
    ],
)
def test_date_the_target_is_reached(gap, speed, expected):
    assert rules.reach_date(gap, speed, D(2026, 11, 28)) == expected


@pytest.mark.parametrize(
    "text, value",
    [("0.95", 0.95), ("95%", 0.95), ("54.94%", 0.5494), (" 93.67 % ", 0.9367), ("0.5494", 0.5494), ("１００％", 1.0),
     ("1.2", 1.2), ("", None), (None, None)],
)
def test_rates_as_fractions_or_percentages(text, value):
    assert rules.parse_rate(text) == value


@pytest.mark.parametrize("text, code", [("abc", "coverage.bad_rate"), ("54.94", "coverage.rate_too_high"),
                                        ("-1%", "coverage.rate_negative"), ("nan", "coverage.bad_rate")])
def test_bad_rates(text, code):
    with pytest.raises(InvalidValue) as caught:
        rules.parse_rate(text)
    assert caught.value.code == code


@pytest.mark.parametrize("text, value", [("0.6", 0.6), ("95%", 0.95), ("100%", 1.0), ("", None)])
def test_targets(text, value):
    assert rules.parse_target(text) == value


@pytest.mark.parametrize("text, code", [("101%", "coverage.rate_too_high"), ("0", "coverage.rate_zero")])
def test_bad_targets(text, code):
    with pytest.raises(InvalidValue) as caught:
        rules.parse_target(text)
    assert caught.value.code == code


@pytest.mark.parametrize("value, text", [(0.95, "95%"), (0.5494, "54.94%"), (0.1, "10%"), (None, "")])
def test_rate_text_round_trips(value, text):
    assert rules.rate_text(value) == text and rules.parse_rate(text) == value


PEERS = [("龙南市", 0.5731, 0.9512), ("全南县", 0.5494, 0.9367), ("定南县", 0.5380, 0.9295), ("安远县", 0.5266, None)]


@pytest.mark.parametrize(
    "own, coverage, coverage_16_60, expected",
    [
        # published row present: ranked as published, and today's computed figure against the others
        ("全南县（演示）", 0.5501, 0.9380, {"coverage": 2, "coverage_16_60": 2, "counties": 4,
                                        "published": {"coverage": 2, "coverage_16_60": 2, "rate": 0.5494, "rate_16_60": 0.9367}}),
        ("全南县", 0.58, 0.96, {"coverage": 1, "coverage_16_60": 1, "counties": 4,
                               "published": {"coverage": 2, "coverage_16_60": 2, "rate": 0.5494, "rate_16_60": 0.9367}}),
        ("全南县", 0.5380, None, {"coverage": 2, "coverage_16_60": None, "counties": 4,  # a tie shares the better rank
                                 "published": {"coverage": 2, "coverage_16_60": 2, "rate": 0.5494, "rate_16_60": 0.9367}}),
        # this county not in the bulletin: computed rank only, one more county
        ("某县", 0.5300, 0.9300, {"coverage": 4, "coverage_16_60": 3, "counties": 5, "published": None}),
    ],
)
def test_city_rank_published_and_computed(own, coverage, coverage_16_60, expected):
    assert rules.city_rank(PEERS, own, coverage, coverage_16_60) == expected


def test_no_bulletin_no_rank():
    assert rules.city_rank([], "全南县", 0.5, 0.9) is None


def test_closest_names():
    found = rules.closest("城厢", ["城厢镇", "大吉山镇", "陂头镇", "龙下乡"])
    assert found[0] == "城厢镇" and len(found) == 3
    assert rules.closest("金龙", ["城厢镇", "金龙镇", "龙下乡", "龙源坝镇"])[:2] == ["金龙镇", "龙下乡"]
