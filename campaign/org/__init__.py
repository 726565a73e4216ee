"""The county's units tree (townships, departments and every registry below them) and its staff, and who
may change what in it (access). Every other feature hangs on this tree."""

from campaign.infra.feature import Feature
from campaign.org import cli, settings, texts


def _import_kinds():
    from campaign.org import imports

    return imports.KINDS


def _demo(db, today):
    from campaign.org import demo

    demo.load(db, today)


FEATURE = Feature(
    "org",
    tables=("units", "staff"),
    shared_tables=("units", "staff"),  # every registry, scope and report names its units and people
    settings=settings.SETTINGS,
    texts=texts.TEXTS,
    commands=cli.COMMANDS,
    import_kinds=_import_kinds,
    demo=_demo,
)
