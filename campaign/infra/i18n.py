"""The one translation function. Each feature keeps its texts in campaign/<feature>/texts.py as
{key: (中文, English)}; the composition root (campaign.features) registers them here."""

import re

LANGS = ("zh", "en")

_CATALOG: dict[str, tuple[str, str]] = {}
_PLURAL = re.compile(r"\{(\w+)\|([^|{}]*)\|([^|{}]*)\}")


def register(texts: dict, origin: str = "") -> None:
    """Add a feature's texts; a key defined twice is a bug."""
    for key, value in texts.items():
        if key in _CATALOG and _CATALOG[key] != value:
            raise KeyError(f"text {key!r} defined twice ({origin})")
        _CATALOG[key] = value


def catalog() -> dict[str, tuple[str, str]]:
    """Every registered text."""
    return _CATALOG


def t(key: str, lang: str = "zh", **params) -> str:
    """The text for `key` in `lang` ('zh' or 'en') with {placeholders} filled; an unknown key shows itself."""
    entry = _CATALOG.get(key)
    if entry is None:
        return key
    text = entry[0] if lang == "zh" else entry[1]
    if "|" in text:  # English plurals: {count|location|locations} is the first word for 1, else the second
        text = _PLURAL.sub(lambda m: m[2] if params.get(m[1]) == 1 else m[3], text)
    try:
        return text.format(**params) if params else text
    except (KeyError, IndexError, ValueError):
        return text


def lang_from_locale(locale: str | None) -> str:
    """'en' for an English browser, else Chinese (also when unknown)."""
    return "en" if locale and locale.lower().startswith("en") else "zh"


def error_text(error, lang: str) -> str:
    """A CampaignError or RowError as a sentence in the user's language."""
    return t(error.code, lang, **error.params)
