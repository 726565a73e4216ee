"""The layout holds: no import cycles in the core (not even through imports inside functions), each feature
imports only infrastructure and the features it declares, nothing reaches into a sibling's storage, every
table has one owner, and the core never imports streamlit."""

import ast
import re
from pathlib import Path

import pytest

from campaign import features
from campaign.infra import migrations
from tests import core_modules

NAMES = core_modules.module_names()
KNOWN = set(NAMES)
STORAGE = ("store", "schema")  # a feature's own storage modules: no other feature imports them


def _imports(name: str) -> list[tuple[str, int, bool]]:
    """(imported core module, line, inside a function) for every import statement of a core module."""
    tree = ast.parse(core_modules.path_of(name).read_text())
    found = []

    def visit(node, in_function):
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            targets = []
            if isinstance(child, ast.Import):
                targets = [alias.name for alias in child.names]
            elif isinstance(child, ast.ImportFrom) and child.module:
                targets = [f"{child.module}.{alias.name}" if f"{child.module}.{alias.name}" in KNOWN else child.module
                           for alias in child.names]
            # importing campaign.org.units runs campaign/org/__init__.py first: each package on the way is imported too
            targets = [".".join(t.split(".")[:depth]) for t in targets for depth in range(2, t.count(".") + 2)]
            found.extend((t, child.lineno, inner) for t in dict.fromkeys(targets) if t.startswith("campaign.") and t != name)
            visit(child, inner)

    visit(tree, False)
    return found


GRAPH = {name: {target for target, _, _ in _imports(name)} for name in NAMES}


def test_every_import_names_a_core_module():
    assert sorted({target for targets in GRAPH.values() for target in targets} - KNOWN) == []


def _cycle() -> list[str] | None:
    state: dict = {}

    def walk(node, path):
        state[node] = "open"
        for target in sorted(GRAPH.get(node, ())):
            if state.get(target) == "open":
                return path[path.index(target):] + [target]
            if target not in state and (found := walk(target, path + [target])):
                return found
        state[node] = "done"
        return None

    for start in NAMES:
        if start not in state and (found := walk(start, [start])):
            return found
    return None


def test_the_import_graph_has_no_cycle():
    assert _cycle() is None


def test_a_feature_package_imports_nothing():
    """Its __init__ runs before any of its modules: an import there would lead back from every one of them."""
    assert {package: sorted(GRAPH[package]) for package in core_modules.packages() if GRAPH[package]} == {}


def test_a_cycle_is_found(monkeypatch):
    """The cycle check itself: a planted import back from a base module is a cycle."""
    monkeypatch.setitem(GRAPH, "campaign.infra.errors", GRAPH["campaign.infra.errors"] | {"campaign.infra.settings"})
    assert _cycle() == ["campaign.infra.errors", "campaign.infra.settings", "campaign.infra.errors"] or _cycle()


def _feature_edges():
    for name in NAMES:
        own = core_modules.feature_of(name)
        for target, line, _ in _imports(name):
            yield name, own, target, core_modules.feature_of(target), line


def test_infrastructure_imports_no_feature():
    assert [(name, target) for name, own, target, other, _ in _feature_edges() if own == "infra" and other != "infra"] == []


def test_features_import_only_infrastructure_and_what_they_declare():
    declared = {f.name: set(f.depends) for f in features.FEATURES}
    stray = [(name, target) for name, own, target, other, _ in _feature_edges()
             if own not in (None, "infra") and other not in (own, "infra") and other not in declared[own]]
    assert stray == []


def test_the_declared_dependencies_follow_the_features_order():
    order = [f.name for f in features.FEATURES]
    assert all(order.index(d) < order.index(f.name) for f in features.FEATURES for d in f.depends)


def test_no_feature_imports_a_sibling_s_storage_modules():
    reaching = [(name, target) for name, own, target, other, _ in _feature_edges()
                if other not in (own, "infra", None) and target.rsplit(".", 1)[-1] in STORAGE]
    assert reaching == []


# ---- tables: one owner each; only the owner writes them; others read only what the owner shares ---------

SQL = re.compile(r"\b(FROM|JOIN|INTO|UPDATE|TABLE(?: IF NOT EXISTS)?|INDEXED BY \w+ ON)\s+(?:temp\.|main\.)?\[?\"?(\w+)", re.I)
WRITES = ("INTO", "UPDATE")


@pytest.fixture(scope="module")
def owners(tmp_path_factory):
    db = features.connect(tmp_path_factory.mktemp("layout") / "x.db")
    tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
              if not name.startswith("sqlite_")}
    owned = {table: "infra" for table in features.INFRA_TABLES}
    for feature in features.FEATURES:
        for table in feature.tables:
            assert table not in owned, f"{table} owned twice"
            owned[table] = feature.name
    assert sorted(tables - set(owned)) == []  # every table has an owner
    assert sorted(set(owned) - tables) == []  # and every owned table exists
    return owned


def _statements(name: str):
    """(keyword, table, line) of every SQL table reference in a core module's string constants."""
    tree = ast.parse(core_modules.path_of(name).read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            for keyword, table in SQL.findall(node.value):
                yield keyword.upper().split()[0], table, node.lineno


def test_each_feature_writes_only_its_own_tables(owners):
    foreign = [(name, table, line) for name in NAMES if (own := core_modules.feature_of(name)) not in (None, "infra")
               for keyword, table, line in _statements(name)
               if keyword in WRITES and table in owners and owners[table] not in (own, "infra")]
    assert foreign == []


def test_features_read_others_tables_only_where_shared(owners):
    shared = {table for f in features.FEATURES for table in f.shared_tables}
    foreign = [(name, table, line) for name in NAMES if (own := core_modules.feature_of(name)) not in (None, "infra")
               for keyword, table, line in _statements(name)
               if table in owners and owners[table] not in (own, "infra") and table not in shared]
    assert foreign == []


def test_the_core_never_imports_streamlit():
    for name in NAMES:
        source = core_modules.path_of(name).read_text()
        assert not re.search(r"^\s*(import|from)\s+streamlit", source, re.M), name


def test_the_root_modules_of_the_core_are_only_the_composition():
    found = {p.stem for p in core_modules.CORE.glob("*.py")}
    assert found == {n.rsplit(".", 1)[-1] for n in core_modules.ROOT_MODULES if n != "campaign"} | {"__init__"}


def test_every_core_package_is_a_listed_feature_or_the_infrastructure():
    folders = {p.name for p in core_modules.CORE.iterdir() if (p / "__init__.py").exists()}
    assert folders == {name.split(".")[1] for name in core_modules.packages()}


def test_rebuilds_are_asked_only_by_their_own_set():
    """A migration that fills derived tables asks for its own feature's rebuild (nothing calls store code)."""
    for step_set in features.migration_sets():
        for step in step_set.steps:
            source = Path(step.fn.__code__.co_filename).read_text()
            for asked in re.findall(rf"INTO {migrations.REBUILDS} \(migration_set\) VALUES \('(\w+)'\)", source):
                assert asked == step_set.name or step_set.name == "core"
