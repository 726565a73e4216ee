"""Coverage rules, pure: ages and bands, rates, registered ÷ population, gaps, pace and city rank.

Figures are kept as exact Fractions while they are computed (a band split across 16 or 61
gives fractional persons) and turned into int/float only for display and JSON.
"""

import bisect
import datetime as dt
import difflib
import functools
import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from campaign.infra import parse
from campaign.infra.errors import InvalidValue

AGE_LO, AGE_HI = 16, 60  # the leaders' working-age range, both ends inclusive
OPEN_END = 100  # an open band ("85+") is taken to end at this age when it must be split
MAX_AGE = 130
PACE_DAYS = 7

_BAND = re.compile(r"^(\d{1,3})(?:[-~—–至到](\d{1,3}))?$")
_OPEN = re.compile(r"^(\d{1,3})(?:\+|及以上|以上|或以上|及更高)$")


# ---- ages -------------------------------------------------------------------------------

@dataclass(frozen=True, order=True)
class Band:
    """Ages lo..hi inclusive; hi None means "lo and over"."""

    lo: int
    hi: int | None

    @property
    def top(self) -> int:
        """The last year of the band, an open band ending at OPEN_END (or at lo when lo is above it)."""
        return self.hi if self.hi is not None else max(self.lo, OPEN_END)

    def overlaps(self, other: "Band") -> bool:
        mine = math.inf if self.hi is None else self.hi
        theirs = math.inf if other.hi is None else other.hi
        return self.lo <= theirs and other.lo <= mine

    def label(self) -> str:
        if self.hi is None:
            return f"{self.lo}+"
        return str(self.lo) if self.lo == self.hi else f"{self.lo}-{self.hi}"


@functools.lru_cache(maxsize=4096)
def parse_age(text) -> Band | None:
    """An age or band as written in census tables; None when the text is not an age.

    17, 17岁, 15-19, 15~19, 15—19岁, 15至19岁, 85+, 85岁及以上, 85岁以上 (full-width forms too).
    """
    value = unicodedata.normalize("NFKC", str(text)).strip()
    value = re.sub(r"\s+", "", value).replace("周岁", "").replace("岁", "")
    if (match := _OPEN.match(value)) is not None:
        lo = int(match.group(1))
        return Band(lo, None) if lo <= MAX_AGE else None
    if (match := _BAND.match(value)) is not None:
        lo = int(match.group(1))
        hi = int(match.group(2)) if match.group(2) is not None else lo
        if lo > hi or hi > MAX_AGE:
            return None
        return Band(lo, hi)
    return None


@functools.lru_cache(maxsize=4096)
def share_in_range(band: Band, lo: int = AGE_LO, hi: int = AGE_HI) -> tuple[Fraction, bool]:
    """The share of a band inside lo..hi, split evenly across its years; True when that is an estimate."""
    years = band.top - band.lo + 1
    inside = max(0, min(band.top, hi) - max(band.lo, lo) + 1)
    return Fraction(inside, years), 0 < inside < years


# ---- numbers and rates -------------------------------------------------------------------

def parse_count(text, limit: int) -> tuple[int | None, str | None]:
    """(persons, None) for a whole number 0..limit (thousands separators allowed), else (None, reason)."""
    value = unicodedata.normalize("NFKC", str(text)).strip().replace(",", "")
    return parse.parse_count(value, limit, negative="coverage.row.negative")


def parse_rate(text, *, limit: float = 1.5) -> float | None:
    """A rate as a fraction: 0.95, 95%, 54.94% -> 0.5494; '' -> None. Raises InvalidValue.

    A plain number above `limit` is refused rather than guessed (54.94 is written 54.94%).
    """
    if text is None:
        return None
    value = unicodedata.normalize("NFKC", str(text)).strip().replace(" ", "")
    if value == "":
        return None
    percent = value.endswith("%")
    try:
        number = Decimal(value.rstrip("%"))
    except InvalidOperation:
        raise InvalidValue("coverage.bad_rate", value=text) from None
    if not number.is_finite():
        raise InvalidValue("coverage.bad_rate", value=text)
    if percent:
        number /= 100
    if number < 0:
        raise InvalidValue("coverage.rate_negative", value=text)
    if number > Decimal(str(limit)):
        raise InvalidValue("coverage.rate_too_high", value=text)
    return float(number)


def rate_text(value: float | None) -> str:
    """A rate as people write it: 0.95 -> '95%', 0.5494 -> '54.94%', None -> ''."""
    if value is None:
        return ""
    return f"{Decimal(str(value)) * 100:f}".rstrip("0").rstrip(".") + "%"


def parse_target(text) -> float | None:
    """A city target rate: above 0 and at most 100%, or empty for none."""
    rate = parse_rate(text, limit=1.0)
    if rate == 0:
        raise InvalidValue("coverage.rate_zero", value=text)
    return rate


def parse_margin(text) -> float:
    """The reconciliation margin: 10% or 0.1, from 0 up to 500%."""
    rate = parse_rate(text, limit=5.0)
    return 0.0 if rate is None else rate


def parse_optional_date(value) -> str | None:
    """A date setting that may be empty."""
    if value is None or str(value).strip() in ("", "None"):
        return None
    try:
        return dt.date.fromisoformat(str(value).strip()[:10]).isoformat()
    except ValueError:
        raise InvalidValue("error.bad_date", value=value) from None


def parse_optional_id(value) -> int | None:
    """A stored id that may be empty (none chosen)."""
    if value is None or str(value).strip() in ("", "None"):
        return None
    try:
        return int(str(value).strip())
    except ValueError:
        raise InvalidValue("error.not_integer", value=value) from None


def number(value):
    """A Fraction as an int when whole, else a float; None stays None."""
    if value is None:
        return None
    if not hasattr(value, "denominator"):  # ints and Fractions have one
        value = Fraction(value)
    return int(value) if value.denominator == 1 else float(value)


# ---- coverage ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Figures:
    """Registered and population, in total and for ages 16–60, over one set of townships."""

    population: Fraction
    registered: Fraction | None
    population_16_60: Fraction
    registered_16_60: Fraction | None
    estimated: bool = False  # a band was split across 16 or 61

    @property
    def coverage(self) -> float | None:
        return rate(self.registered, self.population)

    @property
    def coverage_16_60(self) -> float | None:
        return rate(self.registered_16_60, self.population_16_60)

    @property
    def over_100(self) -> bool:
        return any(r is not None and r > 1 for r in (self.coverage, self.coverage_16_60))

    def as_dict(self) -> dict:
        coverage, coverage_16_60 = self.coverage, self.coverage_16_60
        return {
            "population": number(self.population),
            "registered": number(self.registered),
            "coverage": coverage,
            "population_16_60": number(self.population_16_60),
            "registered_16_60": number(self.registered_16_60),
            "coverage_16_60": coverage_16_60,
            "coverage_16_60_estimated": self.estimated,
            "over_100": any(r is not None and r > 1 for r in (coverage, coverage_16_60)),
        }


def exact(value) -> int | Fraction:
    """An int or Fraction as it is, anything else (a float, a "3/5" text) as a Fraction."""
    return value if type(value) is int or type(value) is Fraction else Fraction(value)


def exact_sum(values) -> int | Fraction:
    """The exact sum of ints and Fractions, adding numerators per denominator (one Fraction per denominator)."""
    whole, parts = 0, {}
    for value in values:
        if type(value) is int:
            whole += value
        else:
            value = exact(value)
            parts[value.denominator] = parts.get(value.denominator, 0) + value.numerator
    for denominator, numerator in parts.items():
        whole += Fraction(numerator, denominator)
    return whole


def rate(part, whole) -> float | None:
    """part ÷ whole; None ("no data") when either is missing or the whole is zero."""
    if part is None or whole is None or whole == 0:
        return None
    if not (hasattr(part, "denominator") and hasattr(whole, "denominator")):  # ints and Fractions have one
        part, whole = Fraction(part), Fraction(whole)
    # int ÷ int is correctly rounded, so this is float(Fraction(part) / Fraction(whole)) without the Fractions
    return (part.numerator * whole.denominator) / (part.denominator * whole.numerator)


def summarize(rows) -> dict[str, tuple]:
    """township -> (total, in 16–60, estimated) from (township, Band, value) rows."""
    totals: dict = {}
    for township, band, value in rows:
        share, estimated = share_in_range(band)
        total, inside, est = totals.get(township, (0, 0, False))
        # whole bands stay integers; only a split band brings in a Fraction
        inside = inside + (value if share == 1 else 0 if share == 0 else value * share)
        totals[township] = (total + value, inside, est or estimated)
    return totals


def compute(population_rows, registration_rows, *, population_sums=None) -> tuple[Figures, dict[str, Figures], list[str]]:
    """Total and per-township figures from (township, Band, value) rows of both files.

    The total covers only townships present in both; a township without registrations has no
    registered figure ("no data"); registration townships unknown to the population are
    returned as the third item and left out. population_sums (from summarize) saves
    re-summing the same population for every snapshot.
    """
    people = population_sums if population_sums is not None else summarize(population_rows)
    return combine(people, summarize(registration_rows))


def combine(people: dict, registered: dict) -> tuple[Figures, dict[str, Figures], list[str]]:
    """compute() from per-township sums (see summarize: ints and Fractions) of the population and of one day's
    registrations."""
    townships = {}
    for name, (pop, pop_range, pop_est) in people.items():
        reg = registered.get(name)
        townships[name] = Figures(pop, reg and reg[0], pop_range, reg and reg[1], pop_est or bool(reg and reg[2]))
    unknown = sorted(set(registered) - set(people))
    return total_figures(people, registered), townships, unknown


def total_figures(people: dict, registered: dict, cache: dict | None = None) -> Figures:
    """combine()'s total alone: over the townships in both, or the population alone when none is."""
    both = tuple(name for name in people if name in registered)
    sums = (exact_sum(registered[name][0] for name in both), exact_sum(registered[name][1] for name in both),
            any(registered[name][2] for name in both)) if both else None
    return total_over(people, both, sums, cache)


def total_over(people: dict, both: tuple, registered: tuple | None, cache: dict | None = None) -> Figures:
    """The total over the townships `both` (in people's order) whose registrations sum to `registered`
    (total, aged 16–60, estimated), or over the population alone when `both` is empty.

    cache: a dict kept across calls with the same people (a trend), holding the population sums per set of townships.
    """
    counted = both or tuple(people)  # no registrations at all: the population alone
    cache = {} if cache is None else cache
    if counted not in cache:
        cache[counted] = (exact_sum(people[name][0] for name in counted), exact_sum(people[name][1] for name in counted),
                          any(people[name][2] for name in counted))
    population, population_16_60, estimated = cache[counted]
    if not both:
        return Figures(population, None, population_16_60, None, estimated)
    return Figures(population, registered[0], population_16_60, registered[1], estimated or registered[2])


# ---- targets, gap and pace ---------------------------------------------------------------

def gap_persons(target: float | None, population, registered) -> int | None:
    """Persons still to register: ceil(target × population − registered), at least 0."""
    if target is None or population is None or registered is None or population == 0:
        return None
    goal, population, registered = _target(target), exact(population), exact(registered)
    # ceil(goal × population − registered) in whole numbers (a page asks this for every township)
    num = (goal.numerator * population.numerator * registered.denominator
           - registered.numerator * goal.denominator * population.denominator)
    return max(0, -(-num // (goal.denominator * population.denominator * registered.denominator)))


@functools.lru_cache(maxsize=64)
def _target(target: float) -> Fraction:
    return Fraction(str(target))


def per_day(gap: int | None, as_of: dt.date, deadline: dt.date | None) -> int | None:
    """Persons per day to close the gap by the deadline (the as-of day is done; the deadline counts)."""
    if gap is None or deadline is None:
        return None
    if gap == 0:
        return 0
    days_left = (deadline - as_of).days
    return math.ceil(gap / days_left) if days_left > 0 else None


def pace(series: list[tuple[dt.date, object]], as_of: dt.date, days: int = PACE_DAYS) -> Fraction | None:
    """Registrations per day over the last `days` days from dated snapshot figures.

    The base is the latest snapshot at least `days` before as_of, or the earliest one when the
    campaign is younger; None when there is no earlier snapshot to compare with.
    """
    known = sorted((day, value) for day, value in series if day <= as_of and value is not None)
    if not known or known[-1][0] != as_of:
        return None
    earlier = [item for item in known if item[0] <= as_of - dt.timedelta(days=days)] or known[:1]
    base_day, base_value = earlier[-1]
    if base_day >= as_of:
        return None
    return Fraction(Fraction(known[-1][1]) - Fraction(base_value), (as_of - base_day).days)


def reach_date(gap: int | None, speed: Fraction | None, as_of: dt.date) -> tuple[str, dt.date | None]:
    """When the target is reached at this pace: ('reached', as_of), ('on', date), ('not_at_pace', None) or ('no_data', None)."""
    if gap is None:
        return "no_data", None
    if gap == 0:
        return "reached", as_of
    if speed is None or speed <= 0:
        return "not_at_pace", None
    return "on", as_of + dt.timedelta(days=math.ceil(Fraction(gap) / speed))


# ---- city ranking ------------------------------------------------------------------------

def county_key(name: str) -> str:
    """A county name without brackets, spaces or a demo label: 全南县（演示） -> 全南县."""
    value = unicodedata.normalize("NFKC", str(name))
    return re.sub(r"\(.*?\)|\s", "", value)


def _rank(own: float | None, others: list[float]) -> int | None:
    if own is None:
        return None
    return 1 + sum(1 for value in others if value is not None and value > own)


def competition_rank_desc(values: list[float | None]) -> list[int | None]:
    """Competition ranks, higher is better ("1, 2, 2, 4"); a missing value has no rank."""
    known = sorted(value for value in values if value is not None)
    return [None if value is None else 1 + len(known) - bisect.bisect_right(known, value) for value in values]


def city_rank(peers: list[tuple[str, float | None, float | None]], own_name: str,
              coverage: float | None, coverage_16_60: float | None) -> dict | None:
    """The county's competition rank among the city's counties, published and computed.

    peers are bulletin rows (county, rate, rate 16–60). A row with the county's own name is the
    city's published figure for it: ranked as published, and replaced by the computed figure
    for today's rank.
    """
    if not peers:
        return None
    key = county_key(own_name)
    own = [row for row in peers if county_key(row[0]) == key]
    others = [row for row in peers if county_key(row[0]) != key]
    published = None
    if own:
        _, pub_rate, pub_rate_16_60 = own[0]
        published = {
            "coverage": _rank(pub_rate, [r[1] for r in others]),
            "coverage_16_60": _rank(pub_rate_16_60, [r[2] for r in others]),
            "rate": pub_rate,
            "rate_16_60": pub_rate_16_60,
        }
    return {
        "coverage": _rank(coverage, [r[1] for r in others]),
        "coverage_16_60": _rank(coverage_16_60, [r[2] for r in others]),
        "counties": len(others) + 1,
        "published": published,
    }


# ---- names -------------------------------------------------------------------------------

def closest(name: str, known, n: int = 3) -> list[str]:
    """The known names most like `name` (for "did you mean")."""
    scored = sorted(known, key=lambda k: (-difflib.SequenceMatcher(None, name, k).ratio(), k))
    return scored[:n]
