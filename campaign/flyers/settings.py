"""The flyers' setting: the address the QR code opens (may hold {code} for one code per location)."""

from campaign.flyers.spec import DEFAULT_TARGET, parse_target
from campaign.infra.settings import Setting

SETTINGS = (Setting("flyer_qr_target", DEFAULT_TARGET, parse_target),)
