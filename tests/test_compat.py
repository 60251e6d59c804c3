"""Other libraries' internals: all in mentorforms/compat.py, each found on the pinned releases, and
a missing one stops the server (and the export) with a plain message instead of a quiet fallback."""

from __future__ import annotations

import ast
import importlib
import io
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import mentorforms
from mentorforms import compat
from mentorforms.commands.cli import main

PACKAGE = Path(mentorforms.__file__).parent
PYPROJECT = PACKAGE.parent / "pyproject.toml"

#: Underscore names of other code the package may use outside compat.py, and why.
ALLOWED = {
    ("os", "_exit"): "documented: a forked process ends without running its parent's clean-up",
}


def owner_and_attribute(internal: compat.Internal) -> tuple[object, str]:
    target: object = importlib.import_module(internal.module)
    *path, last = internal.name.split(".")
    for part in path:
        target = getattr(target, part)
    return target, last


def test_every_internal_resolves_on_the_installed_releases() -> None:
    assert compat.check() == []
    for internal in compat.INTERNALS:
        internal.resolve()  # raises LibraryChanged when missing


@pytest.mark.parametrize("internal", [i for i in compat.INTERNALS if i.library != "Python"], ids=lambda i: i.name)
def test_each_library_relied_on_is_installed_and_pinned_at_the_release_read(internal: compat.Internal) -> None:
    library, release = internal.read_from.split()
    assert library == internal.library
    assert compat.installed_release(library) == release
    pins = PYPROJECT.read_text(encoding="utf-8")
    assert re.search(rf'"{re.escape(library)}=={re.escape(release)}",\s*# pinned: mentorforms/compat\.py', pins,
                     re.IGNORECASE), f"{library}=={release} is not pinned in pyproject.toml naming compat.py"


def remove(internal: compat.Internal, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the installed library lack ``internal``, as a release that renamed it would."""
    if internal.assigned_in is not None:
        owner: object = importlib.import_module(internal.module)
        *path, last = internal.assigned_in.split(".")
        for part in path:
            owner = getattr(owner, part)
        monkeypatch.setattr(owner, last, lambda *args, **kwargs: None)  # a release that keeps it elsewhere
        return
    owner, attribute = owner_and_attribute(internal)
    monkeypatch.delattr(owner, attribute)


@pytest.mark.parametrize("internal", compat.INTERNALS, ids=lambda i: i.name)
def test_a_missing_internal_makes_the_start_check_refuse_naming_it(internal: compat.Internal,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    remove(internal, monkeypatch)
    missing = compat.check()
    assert len(missing) == 1
    assert internal.library in missing[0]
    assert f"{internal.module}.{internal.name}" in missing[0]
    assert internal.read_from in missing[0]


WRAPPER = textwrap.dedent("""
    import importlib, sys
    module, owner, attribute = sys.argv[1:4]
    target = importlib.import_module(module)
    for part in filter(None, owner.split(".")):
        target = getattr(target, part)
    delattr(target, attribute)
    from mentorforms.commands.cli import main
    raise SystemExit(main(sys.argv[4:]))
""")


def run_without(internal: compat.Internal, argv: list[str], env: dict[str, str] | None = None,
                ) -> subprocess.CompletedProcess[str]:
    """``mentorforms ARGV`` in a new process whose ``internal`` was removed before the command ran."""
    owner, _, attribute = internal.name.rpartition(".")
    return subprocess.run([sys.executable, "-c", WRAPPER, internal.module, owner, attribute, *argv],
                          capture_output=True, text=True, timeout=240, env=env)


def test_serve_refuses_to_start_when_an_internal_is_missing(tmp_path: Path) -> None:
    answer = run_without(compat.XLSX_STYLE_INDEX, ["serve", str(tmp_path), "--port", "8991"])
    assert answer.returncode == 1
    assert "the server cannot start" in answer.stderr
    assert "XlsxWriter 3.3.1 has no xlsxwriter.format.Format._get_xf_index" in answer.stderr
    assert "read from XlsxWriter 3.3.1" in answer.stderr and "./dev.sh" in answer.stderr
    assert "Traceback" not in answer.stderr
    assert "Serving" not in answer.stdout and "open" not in answer.stdout.lower()


def test_hub_service_refuses_to_start_when_the_proxys_internal_is_missing(tmp_path: Path) -> None:
    import os

    env = {**os.environ, "JUPYTERHUB_API_TOKEN": "not-a-real-token", "JUPYTERHUB_SERVICE_PREFIX": "/services/x/"}
    answer = run_without(compat.PROXY_HEADER_FILTER, ["hub-service", str(tmp_path), "--port", "8992"], env=env)
    assert answer.returncode == 1
    assert "the server cannot start" in answer.stderr
    assert "jhsingle_native_proxy.proxyhandlers.ProxyHandler._filter_headers_and_query" in answer.stderr
    assert "jhsingle-native-proxy 0.8.3" in answer.stderr and "./dev.sh" in answer.stderr
    assert "Traceback" not in answer.stderr


def test_the_export_refuses_plainly_when_xlsxwriters_internal_is_missing(demo_dir: Path, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    remove(compat.XLSX_SHARED_STRING, monkeypatch)
    out = tmp_path / "report.xlsx"
    assert main(["report", str(demo_dir), "--out", str(out)]) == 1
    said = capsys.readouterr().err
    assert "the export cannot be written" in said
    assert "xlsxwriter.sharedstrings.SharedStringTable._get_shared_string_index" in said
    assert not out.exists()


def test_the_fast_export_checks_before_it_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    from mentorforms.reports.xlsx_fast import FastBook

    remove(compat.XLSX_ROW_WRITER, monkeypatch)
    with pytest.raises(compat.LibraryChanged) as refused:
        FastBook(io.BytesIO())
    assert refused.value.library == "XlsxWriter" and refused.value.name == "Worksheet._write_rows"


def test_voila_pools_are_read_without_a_fallback() -> None:
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
    from voila.voila_kernel_manager import voila_kernel_manager_factory

    without_pools = voila_kernel_manager_factory(AsyncMappingKernelManager, False, 0)
    # Made without __init__ (which needs a running Voila): its attributes are only what the class gives.
    assert compat.voila_pools(without_pools.__new__(without_pools)) == {}  # --no-preheat: nothing starting
    pooling = voila_kernel_manager_factory(AsyncMappingKernelManager, True, 1)
    manager = pooling.__new__(pooling)  # a pooling manager whose pools are not where voila 0.5.13 keeps them
    with pytest.raises(compat.LibraryChanged, match="voila 0.5.13"):
        compat.voila_pools(manager)
    manager._pools = {"form.ipynb": []}
    assert compat.voila_pools(manager) == {"form.ipynb": []}


def test_voila_compiles_a_pages_template_once_per_server_not_once_per_page(monkeypatch: pytest.MonkeyPatch) -> None:
    import jinja2
    from voila.paths import collect_template_paths

    monkeypatch.setenv("JUPYTER_PATH", str(PACKAGE / "server" / "jupyter_data"))
    cache = compat.compile_templates_once()
    exporter = getattr(importlib.import_module(compat.VOILA_RENDERER_EXPORTER.module), compat.VOILA_RENDERER_EXPORTER.name)
    paths = collect_template_paths(["voila", "nbconvert"], "mentorforms")
    compiled: list[str] = []
    compile_source = jinja2.Environment.compile

    def counting(self: jinja2.Environment, source: str, name: str | None = None, *args: object, **kwargs: object):
        compiled.append(str(name))
        return compile_source(self, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    for _page in range(3):  # Voila makes an exporter, with its own Jinja environment, for every page request
        exporter(template_name="mentorforms", template_paths=paths).environment.get_template("index.html.j2")
    assert compiled.count("index.html.j2") <= 1, compiled
    assert cache.code, "the compiled template is kept for the next page"


def test_compat_is_light_to_import() -> None:
    heavy = ["voila", "jupyter_server", "jinja2", "xlsxwriter", "zmq", "ipykernel", "ipywidgets", "openpyxl"]
    code = f"import sys, mentorforms.compat; print([m for m in {heavy!r} if m in sys.modules])"
    answer = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert answer.stdout.strip() == "[]"


# --------------------------------------------------------------------------- no other private name elsewhere


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def private_uses(tree: ast.Module) -> list[tuple[int, str, str]]:
    """(line, object, name) of every private attribute read or written on something other than
    ``self``/``cls`` in a method, including getattr/setattr/hasattr/delattr with a constant name."""
    found: list[tuple[int, str, str]] = []

    def visit(node: ast.AST, in_method: bool) -> None:
        for child in ast.iter_child_nodes(node):
            method = in_method
            if isinstance(child, ast.ClassDef):
                method = False
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                method = isinstance(node, ast.ClassDef) or in_method
            if isinstance(child, ast.Attribute) and is_private(child.attr):
                base = ast.unparse(child.value)
                if not (in_method and base in ("self", "cls")):
                    found.append((child.lineno, base, child.attr))
            if (isinstance(child, ast.Call) and isinstance(child.func, ast.Name)
                    and child.func.id in ("getattr", "setattr", "hasattr", "delattr") and len(child.args) > 1
                    and isinstance(child.args[1], ast.Constant) and isinstance(child.args[1].value, str)
                    and is_private(child.args[1].value)):
                found.append((child.lineno, ast.unparse(child.args[0]), child.args[1].value))
            visit(child, method)

    visit(tree, False)
    return found


def defined_privates(tree: ast.Module) -> dict[str, set[str]]:
    """Private names each class of a module defines: in its body, or assigned on ``self`` in its methods."""
    defined: dict[str, set[str]] = {}
    for klass in (node for node in tree.body if isinstance(node, ast.ClassDef)):
        names = defined.setdefault(klass.name, set())
        for node in ast.walk(klass):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and is_private(node.name):
                names.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and is_private(node.id):
                names.add(node.id)
            elif (isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) and is_private(node.attr)
                  and ast.unparse(node.value) in ("self", "cls")):
                names.add(node.attr)
    return defined


def modules() -> list[tuple[str, Path]]:
    return [(".".join(("mentorforms", *path.relative_to(PACKAGE).with_suffix("").parts)).removesuffix(".__init__"),
             path) for path in sorted(PACKAGE.rglob("*.py")) if path.name != "compat.py"
            and "voila_config" not in path.parts]


def test_no_module_but_compat_touches_another_librarys_private_name() -> None:
    every_defined: set[str] = set()
    per_module: dict[str, dict[str, set[str]]] = {}
    trees = {}
    for name, path in modules():
        trees[name] = tree = ast.parse(path.read_text(encoding="utf-8"))
        per_module[name] = defined_privates(tree)
        every_defined |= {
            node.name if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) else node.id
            for node in ast.walk(tree)
            if (isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
                and is_private(node.name))
            or (isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and is_private(node.id))}
        for names in per_module[name].values():
            every_defined |= names
    wrong = []
    for name, tree in trees.items():
        wrong += [f"{name}:{line}: {base}.{attribute}" for line, base, attribute in private_uses(tree)
                  if (base, attribute) not in ALLOWED and attribute not in every_defined]
        # A class of the package that extends another library's class: what it calls private is
        # its own, not a name the other library defines.
        module = importlib.import_module(name)
        for class_name, own in per_module[name].items():
            klass = getattr(module, class_name, None)
            if not isinstance(klass, type):
                continue
            foreign = [k for k in klass.__mro__[1:] if k is not object and not k.__module__.startswith("mentorforms")]
            reads = {node.attr for node in ast.walk(next(n for n in tree.body if isinstance(n, ast.ClassDef)
                                                          and n.name == class_name))
                     if isinstance(node, ast.Attribute) and is_private(node.attr)
                     and ast.unparse(node.value) in ("self", "cls", "super()")}
            inherited = set().union(*(per_module.get(k.__module__, {}).get(k.__name__, set())
                                      for k in klass.__mro__ if k.__module__.startswith("mentorforms")))
            for attribute in sorted(own | reads):
                if any(attribute in vars(k) for k in foreign):
                    wrong.append(f"{name}.{class_name}: {attribute} belongs to {foreign[0].__module__}")
                elif attribute not in (inherited if foreign else every_defined):  # a mixin's is its host's
                    wrong.append(f"{name}.{class_name}: {attribute} is defined by no class of the package")
    assert wrong == [], "\n".join(wrong)


def test_the_private_name_check_finds_a_foreign_use(tmp_path: Path) -> None:
    tree = ast.parse(textwrap.dedent("""
        def count(manager):
            return len(manager._pools) + getattr(manager, "_kernels", 0)

        class Handler:
            def get(self):
                return self._mine
    """))
    assert [(base, name) for _, base, name in private_uses(tree)] == [("manager", "_pools"), ("manager", "_kernels")]
