"""The architecture visible in the tree, checked from the package's source with ``ast`` (nothing is
imported): no import cycle, imports that run one way through the layers, a small top level and
small modules. Each check names the offending modules."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "mentorforms"

#: The layers, earliest first. A module may import its own layer and earlier ones only. This is the
#: order the imports really run: ``workbooks`` (reading and writing the files) before ``records``
#: (the data folder, the roster), and ``rules`` after them (access, identity and the trail read the
#: roster and the store).
LAYERS: tuple[tuple[str, ...], ...] = (
    ("vocabulary",),
    ("forms",),
    ("workbooks",),
    ("records",),
    ("rules",),
    ("reports", "network", "reminders"),
    ("ui",),
    ("server",),
    ("commands",),
)
#: Top-level modules every layer may use; they import only each other.
SHARED = frozenset({"errors", "messages", "compat"})
#: Imports against the layer order still in the tree, as (importer, imported module). Kept visible
#: here until they are gone; a new one fails the test.
KNOWN_LAYER_VIOLATIONS: frozenset[tuple[str, str]] = frozenset()
#: Private names (``_name``) one module still imports from another, as (importer, "module._name").
#: Kept visible here until they are gone; a new one fails the test.
KNOWN_PRIVATE_IMPORTS: frozenset[tuple[str, str]] = frozenset()
MAX_TOP_LEVEL_MODULES = 12
MAX_LINES = 400


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _import_nodes(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement, at any depth (inside functions too), except under ``if TYPE_CHECKING:``."""
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _source(node: ast.ImportFrom, package: str) -> str:
    """The absolute name of the module ``from ... import`` reads from, inside ``package``."""
    if not node.level:
        return node.module or ""
    base = package.split(".")[:len(package.split(".")) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's modules ``name`` imports (``from a import b`` counts as importing ``a.b`` when
    that is a module, else ``a``)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
            continue
        source = _source(node, package)
        for alias in node.names:
            targets.add(f"{source}.{alias.name}" if f"{source}.{alias.name}" in modules else source)
    found = set()
    for target in targets:
        while target and target not in modules:
            target = target.rpartition(".")[0]
        if target and target != name:
            found.add(target)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(sorted(component))
    return components


def _part(module: str) -> str:
    """The first name under ``mentorforms`` ("" for the package itself)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _layer_violations(graph: dict[str, set[str]]) -> set[tuple[str, str]]:
    rank = {part: number for number, parts in enumerate(LAYERS) for part in parts}
    found = set()
    for importer, imported in graph.items():
        for target in imported:
            source_part, target_part = _part(importer), _part(target)
            if target_part in SHARED or target_part == "":
                continue
            if source_part in SHARED or source_part == "":
                found.add((importer, target))  # the shared modules import only each other
            elif rank[target_part] > rank[source_part]:
                found.add((importer, target))
    return found


def test_every_package_under_mentorforms_has_a_layer() -> None:
    parts = {_part(name) for name in _modules()} - SHARED - {""}
    placed = {part for layer in LAYERS for part in layer}
    assert parts <= placed, f"packages with no place in LAYERS: {sorted(parts - placed)}"


def test_no_import_cycle_between_modules_function_level_imports_included() -> None:
    cycles = _cycles(_graph())
    assert not cycles, "modules importing each other (round and round): " + "; ".join(
        " <-> ".join(cycle) for cycle in cycles)


def test_imports_run_one_way_through_the_layers() -> None:
    found = _layer_violations(_graph())
    new = sorted(found - KNOWN_LAYER_VIOLATIONS)
    assert KNOWN_LAYER_VIOLATIONS <= found, f"gone, take them off the list: {sorted(KNOWN_LAYER_VIOLATIONS - found)}"
    assert not new, "imports against the layer order " + " -> ".join("/".join(layer) for layer in LAYERS) + ": " \
        + "; ".join(f"{importer} imports {imported}" for importer, imported in new)


def _private_imports() -> set[tuple[str, str]]:
    """(importer, "module._name") for every ``from mentorforms... import _name`` (dunders aside)."""
    found = set()
    for name, path in _modules().items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if not isinstance(node, ast.ImportFrom):
                continue
            source = _source(node, package)
            for alias in node.names:
                if source.startswith("mentorforms") and alias.name.startswith("_") \
                        and not alias.name.startswith("__"):
                    found.add((name, f"{source}.{alias.name}"))
    return found


def test_no_module_imports_the_private_names_of_another() -> None:
    found = _private_imports()
    new = sorted(found - KNOWN_PRIVATE_IMPORTS)
    assert KNOWN_PRIVATE_IMPORTS <= found, f"gone, take them off the list: {sorted(KNOWN_PRIVATE_IMPORTS - found)}"
    assert not new, "private names imported from another module: " + "; ".join(
        f"{importer} imports {imported}" for importer, imported in new)


def test_at_most_twelve_modules_at_the_top_of_the_package() -> None:
    top = sorted(path.name for path in PACKAGE.glob("*.py"))
    assert len(top) <= MAX_TOP_LEVEL_MODULES, f"{len(top)} modules directly in mentorforms/: {', '.join(top)}"


def test_no_module_over_four_hundred_lines() -> None:
    long = {name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in _modules().items()}
    over = sorted((name, lines) for name, lines in long.items() if lines > MAX_LINES)
    assert not over, f"modules over {MAX_LINES} lines: " + ", ".join(f"{name} ({lines})" for name, lines in over)


# --------------------------------------------------------------------------- the checks themselves


def _graph_of(sources: dict[str, str], tmp_path: Path) -> dict[str, set[str]]:
    files = {}
    for name, text in sources.items():
        path = tmp_path / (name.replace(".", "/") + ".py")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        files[name] = path
    return {name: _imports(name, path, files) for name, path in files.items()}


def test_the_checks_see_imports_inside_functions_and_leave_out_type_checking_ones(tmp_path: Path) -> None:
    graph = _graph_of({
        "mentorforms.reports.a": "def f():\n    from mentorforms.reports.b import g\n",
        "mentorforms.reports.b": "from mentorforms.reports import a\n",
        "mentorforms.reports.c": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                                 "    from mentorforms.reports.b import g\n",
        "mentorforms.forms.d": "from . import e\nfrom ..ui import f\n",
        "mentorforms.forms.e": "",
        "mentorforms.ui.f": "",
    }, tmp_path)
    assert _cycles(graph) == [["mentorforms.reports.a", "mentorforms.reports.b"]]
    assert graph["mentorforms.reports.c"] == set()
    assert graph["mentorforms.forms.d"] == {"mentorforms.forms.e", "mentorforms.ui.f"}
    assert _layer_violations(graph) == {("mentorforms.forms.d", "mentorforms.ui.f")}

