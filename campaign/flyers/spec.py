"""What a flyer can be (kinds, cards per sheet, copies) and what its QR code opens: pure and light, so the
settings and the command line need no PDF machinery.

Without a placeholder every flyer's QR code carries the same address; with `{code}` (a county's own
short-link service) each location gets its own QR code (一点一码).
"""

import re
from urllib.parse import quote

from campaign.infra.errors import InvalidValue

KINDS = ("poster", "cards", "slip")
CARD_COUNTS = (6, 8, 10, 12)
DEFAULT_CARDS = 8
MAX_COPIES = 200

# The app's official App Store page: no official download page address was found in public sources.
DEFAULT_TARGET = "https://apps.apple.com/cn/app/id1552823102"
PLACEHOLDER = "{code}"
MAX_TARGET = 300  # longer addresses make dense codes that scan badly from small cards

_URL = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$", re.IGNORECASE)


def parse_target(value) -> str:
    """A valid QR target: an http(s) address, optionally with the one placeholder {code}."""
    text = str(value or "").strip()
    if len(text) > MAX_TARGET:
        raise InvalidValue("flyers.error.target_too_long", value=text[:60] + "…", max=MAX_TARGET)
    sample = text.replace(PLACEHOLDER, "X1")
    if not _URL.match(sample) or "{" in sample or "}" in sample:
        raise InvalidValue("flyers.error.bad_target", value=text)
    return text


def target_for(template: str, code: str) -> str:
    """The address a location's QR code opens: the template with {code} filled (URL-quoted), else as is."""
    return template.replace(PLACEHOLDER, quote(str(code), safe="")) if PLACEHOLDER in template else template


def one_per_location(template: str) -> bool:
    """True when every location gets its own QR code (一点一码)."""
    return PLACEHOLDER in template
