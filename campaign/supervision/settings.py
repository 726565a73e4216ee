"""The supervision feature's settings: the spot-check pass mark, letters and the bulletin."""

import unicodedata
from decimal import Decimal, InvalidOperation

from campaign.infra.errors import InvalidValue
from campaign.infra.settings import Setting, integer


def parse_min_rate(value) -> float:
    """The spot-check pass mark: 90%, 0.9 or 90 (a plain number above 1 is read as a percentage)."""
    text = unicodedata.normalize("NFKC", str(value)).strip().replace(" ", "")
    percent = text.endswith("%")
    try:
        number = Decimal(text.rstrip("%"))
    except InvalidOperation:
        raise InvalidValue("sup.bad_rate", value=value) from None
    if not number.is_finite():
        raise InvalidValue("sup.bad_rate", value=value)
    if percent or number > 1:
        number /= 100
    if not 0 < number <= 1:
        raise InvalidValue("sup.bad_rate", value=value)
    return float(number)


def parse_sample_size(value) -> str:
    """A spot check's sample: a number of people ("10", up to 1000) or a share of the unit ("20%"), as text."""
    text = unicodedata.normalize("NFKC", str(value)).strip().replace(" ", "")
    share = text.endswith("%")
    try:
        number = Decimal(text.rstrip("%"))
    except InvalidOperation:
        raise InvalidValue("sample.bad_size", value=value) from None
    if not number.is_finite():
        raise InvalidValue("sample.bad_size", value=value)
    if not (0 < number <= 100 if share else number == int(number) and 1 <= number <= 1000):
        raise InvalidValue("sample.bad_size", value=value)
    return f"{number.normalize():f}%" if share else str(int(number))


def parse_optional_text(value) -> str | None:
    """A text setting that may be left empty (then a default made from other settings applies)."""
    text = "" if value is None else str(value).strip()
    return text or None


SETTINGS = (
    Setting("spot_check_min_rate", 0.9, parse_min_rate),
    Setting("letter_reply_days", 7, integer(1, 60)),
    Setting("letterhead", None, parse_optional_text),
    Setting("letter_number_prefix", None, parse_optional_text),
    Setting("bulletin_top_n", 5, integer(1, 20)),
    Setting("spot_check_sample", "10", parse_sample_size),  # issue 20: people drawn per unit, or a share ("20%")
)
