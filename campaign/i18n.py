"""The one translation function. Texts live in campaign/texts/<feature>.py as {key: (中文, English)}."""

import importlib
import pkgutil
from functools import lru_cache

LANGS = ("zh", "en")


@lru_cache(maxsize=1)
def catalog() -> dict[str, tuple[str, str]]:
    """Every text of every feature module; a key defined twice is a bug."""
    from campaign import texts

    merged: dict = {}
    for info in pkgutil.iter_modules(texts.__path__):
        module = importlib.import_module(f"campaign.texts.{info.name}")
        for key, value in module.TEXTS.items():
            if key in merged:
                raise KeyError(f"text {key!r} defined twice (campaign/texts/{info.name}.py)")
            merged[key] = value
    return merged


def t(key: str, lang: str = "zh", **params) -> str:
    """The text for `key` in `lang` ('zh' or 'en') with {placeholders} filled; an unknown key shows itself."""
    entry = catalog().get(key)
    if entry is None:
        return key
    text = entry[0] if lang == "zh" else entry[1]
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
