"""The core's modules as the composition root lists them: campaign.infra, every feature package of
campaign.features.FEATURES (recursively, subpackages too) and the root's own modules."""

import importlib
import pkgutil
from pathlib import Path

import campaign
from campaign import features

CORE = Path(campaign.__file__).parent
ROOT_MODULES = ("campaign", "campaign.__main__", "campaign.features", "campaign.cli", "campaign.demo", "campaign.city")


def packages() -> list[str]:
    """campaign.infra and each feature's package, in the root's order."""
    return ["campaign.infra", *(f"campaign.{feature.name}" for feature in features.FEATURES)]


def module_names() -> list[str]:
    """Every module of the core, found from the composition root (packages walked recursively)."""
    names = list(ROOT_MODULES)
    for package in packages():
        module = importlib.import_module(package)
        names.append(package)
        names += [info.name for info in pkgutil.walk_packages(module.__path__, prefix=f"{package}.")]
    return names


def path_of(name: str) -> Path:
    """The source file of a core module (without importing it)."""
    parts = name.split(".")[1:]
    folder = CORE.joinpath(*parts)
    return folder / "__init__.py" if folder.is_dir() else CORE.joinpath(*parts[:-1], parts[-1] + ".py") if parts else CORE / "__init__.py"


def feature_of(name: str) -> str | None:
    """'infra', a feature's name, or None for the root's modules."""
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and f"campaign.{parts[1]}" in packages() else None
