"""The coverage feature's settings: the population used as the denominator, the city's targets, the margin."""

from campaign.coverage.rules import (
    parse_margin,
    parse_optional_date,
    parse_optional_id,
    parse_target,
)
from campaign.infra.settings import Setting, integer

SETTINGS = (
    Setting("coverage_population_version", None, parse_optional_id),
    Setting("target_coverage", None, parse_target),
    Setting("target_coverage_16_60", None, parse_target),
    Setting("target_deadline", None, parse_optional_date),
    Setting("reconcile_margin", 0.1, parse_margin),
    # the most people (or registrations) one row of a township may give: more is a slip, not a census figure
    Setting("max_township_population", 1_000_000, integer(1, 100_000_000)),
)
