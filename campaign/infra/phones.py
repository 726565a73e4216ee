"""Phone numbers as each reader may see them: in full for administrators, masked (138****0000) for everyone else."""

import math
import re


def _missing(phone) -> bool:
    return phone is None or (isinstance(phone, float) and math.isnan(phone))


def mask_phone(phone) -> str:
    """138****0000: keep the first three and last four digits. Masking a masked number changes nothing
    (a star stands for the digit it hides)."""
    if _missing(phone):
        return ""
    text = str(phone).strip()
    digits = re.sub(r"[^\d*]", "", text)
    if len(digits) < 7:
        return "*" * len(text)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def shown_phone(actor, phone) -> str:
    """The phone as this actor may see it: full to administrators, masked to everyone else."""
    if actor.is_admin:
        return "" if _missing(phone) else str(phone)
    return mask_phone(phone)
