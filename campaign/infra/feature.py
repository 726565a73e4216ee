"""What a feature brings to the campaign. Each feature package declares one `FEATURE` in its `feature.py`;
campaign.features lists them, in order, and wires each part in. Nothing is found by scanning files.

A feature's __init__ holds its docstring and imports nothing: importing any module of the feature runs that
__init__ first, so whatever it imported (the feature's commands, schema, ...) would lead back to the importer."""

from dataclasses import dataclass, field
from typing import Callable


@dataclass(frozen=True)
class Feature:
    """A feature's contributions (every field optional but the name).

    Heavy parts (import kinds, demo, rebuild) are functions, called when needed: `python -m campaign
    --help` reads the light parts only.
    """

    name: str
    depends: tuple[str, ...] = ()  # the features whose modules it imports (campaign.infra is everyone's)
    migrations: object = None  # a campaign.infra.migrations.Migrations set
    tables: tuple[str, ...] = ()  # the tables it owns: only its own modules write them
    shared_tables: tuple[str, ...] = ()  # of those, the ones other features may read in SQL
    settings: tuple = ()  # campaign.infra.settings.Setting
    texts: dict = field(default_factory=dict)  # key -> (中文, English)
    commands: dict = field(default_factory=dict)  # CLI group ("" top level, "import", "report") -> click commands
    import_kinds: Callable | None = None  # () -> {name: campaign.infra.imports.ImportKind}
    demo: Callable | None = None  # (db, today) -> None: its part of the demo county (campaign.demo orders them)
    rebuild: Callable | None = None  # (db) -> None: recompute its derived tables from the raw rows
    hooks: dict = field(default_factory=dict)  # campaign.infra.hooks name -> handler
