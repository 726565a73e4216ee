"""The coverage feature's settings: the population used as the denominator, the city's targets, the margin."""

from campaign.coverage.rules import (
    parse_margin,
    parse_optional_date,
    parse_optional_id,
    parse_target,
)
from campaign.infra.settings import Setting

SETTINGS = (
    Setting("coverage_population_version", None, parse_optional_id),
    Setting("target_coverage", None, parse_target),
    Setting("target_coverage_16_60", None, parse_target),
    Setting("target_deadline", None, parse_optional_date),
    Setting("reconcile_margin", 0.1, parse_margin),
)
