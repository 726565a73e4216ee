"""Pure rules of scan counting (issue 18): the platform a user agent names, where each platform is sent, the
address a QR code carries, and when a unit's self-reported installs are implausible beside its scans.

No database, no web framework: the landing route (ui/landing.py), the flyers, the reports and the tests
call the same functions.
"""

import re
from urllib.parse import quote

from campaign.infra.errors import InvalidValue

PLATFORMS = ("ios", "android", "in_app", "other")
# In-app browsers first: WeChat on an iPhone says "iPhone" too, and it opens no App Store link from a redirect.
IN_APP = ("micromessenger", "qq/", "alipayclient", "dingtalk")
IOS = ("iphone", "ipad", "ipod")
MAX_AGENT = 512  # characters of a user agent looked at: real ones are ~150–400

MODES = ("off", "app", "external")  # what flyers' QR codes carry: see qr_template
PLACEHOLDER = "{code}"
LANDING_PATH = "/go/"
MAX_URL = 300
_URL = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$", re.IGNORECASE)
_CODE = re.compile(r"^[0-9A-Za-z_.-]{1,32}$")  # what a printed code can look like (units' and persons')


def platform(user_agent) -> str:
    """'in_app' (WeChat, QQ, Alipay, DingTalk), 'ios' (iPhone, iPad, iPod), 'android', else 'other'."""
    agent = str(user_agent or "")[:MAX_AGENT].lower()
    if any(marker in agent for marker in IN_APP):
        return "in_app"
    if any(marker in agent for marker in IOS):
        return "ios"
    if "android" in agent:
        return "android"
    return "other"


def redirect_for(where: str, ios_url: str, android_url: str) -> str | None:
    """The store address a platform is sent to at once, or None: in-app browsers and other devices get the page."""
    return {"ios": ios_url, "android": android_url}.get(where)


def code_shape(code) -> bool:
    """True when `code` could be a printed code (1–32 letters, digits, '-', '_', '.'): anything else is unknown at once."""
    return bool(_CODE.match(str(code or "")))


# ---- what a QR code carries ----------------------------------------------------------------

def qr_template(conf: dict) -> str | None:
    """The address every QR code carries, with {code}: the app's landing route ("app"), the county's own
    page ("external"), or None ("off": the flyers' own setting, the store address, as before)."""
    mode = conf.get("scan_landing", "off")
    if mode == "app" and conf.get("scan_public_url"):
        return conf["scan_public_url"].rstrip("/") + LANDING_PATH + PLACEHOLDER
    if mode == "external" and conf.get("scan_external_url"):
        return conf["scan_external_url"]
    return None


def counting(conf: dict) -> bool:
    """True when scans reach this app and are counted (the landing route is on)."""
    return qr_template(conf) is not None and conf.get("scan_landing") == "app"


def fill(template: str, code: str) -> str:
    """The template with {code} filled (URL-quoted), else as it is."""
    return template.replace(PLACEHOLDER, quote(str(code), safe="")) if PLACEHOLDER in template else template


# ---- settings' parsers ---------------------------------------------------------------------

def parse_mode(value) -> str:
    """off, app or external."""
    text = str(value or "").strip().lower()
    if text not in MODES:
        raise InvalidValue("scans.error.bad_mode", value=value, allowed=" / ".join(MODES))
    return text


def _address(value, *, placeholder: bool) -> str:
    text = str(value or "").strip()
    if not text:
        return ""
    if len(text) > MAX_URL:
        raise InvalidValue("scans.error.url_too_long", value=text[:60] + "…", max=MAX_URL)
    sample = text.replace(PLACEHOLDER, "X1") if placeholder else text
    if not _URL.match(sample) or any(c in sample for c in "{}<>\"'\\`"):
        raise InvalidValue("scans.error.bad_url", value=text)
    return text


def parse_store_url(value) -> str:
    """An http(s) address of an app store page (never empty)."""
    text = _address(value, placeholder=False)
    if not text:
        raise InvalidValue("scans.error.bad_url", value=value)
    return text


def parse_public_url(value) -> str:
    """This app's address as phones reach it (http(s)://host[:port][/path], no query), or "" (not known yet)."""
    # a host with a dot (a name or an IP address) as flyers' QR targets need: "localhost" is no phone's address
    text = _address(value, placeholder=False).rstrip("/")
    if "?" in text or "#" in text:
        raise InvalidValue("scans.error.bad_public_url", value=text)
    return text


def parse_external_url(value) -> str:
    """The county's own landing address, with {code} where each QR code's code goes, or ""."""
    return _address(value, placeholder=True)


def parse_ratio(value) -> float:
    """A ratio from 1 to 100 (3, 2.5, 300%)."""
    text = str(value).strip()
    try:
        number = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        raise InvalidValue("error.invalid_value", value=value) from None
    if not 1 <= number <= 100:
        raise InvalidValue("scans.error.bad_ratio", value=value)
    return number


def check_mode(values: dict) -> None:
    """The landing route needs this app's public address; the county's own page needs its address."""
    if values.get("scan_landing") == "app" and not values.get("scan_public_url"):
        raise InvalidValue("scans.error.needs_public_url")
    if values.get("scan_landing") == "external" and not values.get("scan_external_url"):
        raise InvalidValue("scans.error.needs_external_url")


# ---- plausibility --------------------------------------------------------------------------

MIN_INSTALLS = 30  # one person's quota: below it a unit is too small a sample to flag


def implausible(installs: int, scans: int, ratio: float) -> bool:
    """A unit that uses personal codes (its codes were scanned) reports more than `ratio` × its scans as installs."""
    return scans > 0 and installs >= MIN_INSTALLS and installs > ratio * scans
