"""The layers of ``helpers/`` import only downwards, and never each other's private names.

Allowed imports (besides the standard library and third-party packages):

* ``domain``   -> domain, errors
* ``storage``  -> storage, domain, errors
* ``samples``  -> samples, storage, domain, errors
* ``bench``    -> bench, samples, storage, domain, errors
* ``teaching`` -> anything in helpers; nothing imports ``teaching``
* ``errors``   -> nothing in helpers

The rules are checked by reading each module's source with ``ast``, so an import hidden
inside a function counts as much as one at the top.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

HELPERS = Path(__file__).resolve().parents[1] / "helpers"

ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "domain": {"domain", "errors"},
    "storage": {"storage", "domain", "errors"},
    "samples": {"samples", "storage", "domain", "errors"},
    "bench": {"bench", "samples", "storage", "domain", "errors"},
    "teaching": {"teaching", "bench", "samples", "storage", "domain", "errors", "helpers"},
    "helpers": {"domain", "storage", "samples", "errors", "helpers"},
}
"""Layer -> the layers it may import. ``helpers`` is the package facade (its __init__)."""


@dataclass(frozen=True)
class Violation:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


def layer_of_module(dotted: str) -> str | None:
    """'helpers.storage.codec' -> 'storage'; 'helpers' -> 'helpers'; 'json' -> None."""
    parts = dotted.split(".")
    if parts[0] != "helpers":
        return None
    if len(parts) == 1:
        return "helpers"
    return parts[1]


def layer_of_file(path: Path, root: Path) -> str:
    parts = path.relative_to(root).parts
    if len(parts) == 1:
        return "errors" if parts[0] == "errors.py" else "helpers"
    return parts[0]


def imported_modules(tree: ast.AST) -> list[tuple[int, str, list[str]]]:
    """(line, module, names imported from it) for every import statement in the tree."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module, [alias.name for alias in node.names]))
    return found


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def private_names_defined(tree: ast.AST) -> set[str]:
    """Private functions, methods, classes and attributes a module defines."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return {name for name in names if _is_private(name)}


def check_layers(root: Path = HELPERS) -> list[Violation]:
    """Every forbidden import, and every private name used outside the layer defining it."""
    files = sorted(root.rglob("*.py"))
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in files}
    private_by_layer: dict[str, set[str]] = {}
    for path, tree in trees.items():
        private_by_layer.setdefault(layer_of_file(path, root), set()).update(
            private_names_defined(tree)
        )
    violations: list[Violation] = []
    for path, tree in trees.items():
        layer = layer_of_file(path, root)
        shown = str(path.relative_to(root.parent))
        for line, module, names in imported_modules(tree):
            target = layer_of_module(module)
            if target is None:
                continue
            if target not in ALLOWED[layer]:
                violations.append(
                    Violation(shown, line, f"the {layer} layer may not import {module}")
                )
            elif target != layer:
                for name in filter(_is_private, names):
                    violations.append(
                        Violation(shown, line, f"imports private {name} from layer {target}")
                    )
        own = private_by_layer[layer]
        theirs = set().union(*(v for k, v in private_by_layer.items() if k != layer))
        violations += _overrides(tree, shown, theirs)
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in theirs - own:
                violations.append(
                    Violation(
                        shown,
                        node.lineno,
                        f"uses {node.attr}, a private name of another layer: add a public one",
                    )
                )
    return violations


def _overrides(tree: ast.AST, shown: str, theirs: set[str]) -> list[Violation]:
    """Private methods a subclass redefines although another layer defines them."""
    return [
        Violation(shown, item.lineno, f"overrides {item.name}, a private name of another layer")
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef) and node.bases
        for item in node.body
        if isinstance(item, ast.FunctionDef) and _is_private(item.name) and item.name in theirs
    ]


def test_every_layer_imports_only_the_layers_below_it():
    violations = check_layers()
    assert not violations, "forbidden imports:\n" + "\n".join(map(str, violations))


def test_no_python_module_sits_directly_in_helpers_except_the_facade_and_errors():
    loose = sorted(p.name for p in HELPERS.glob("*.py"))
    assert loose == ["__init__.py", "errors.py"]


def test_every_layer_package_lists_its_public_names():
    for layer in ("domain", "storage", "samples", "bench", "teaching"):
        tree = ast.parse((HELPERS / layer / "__init__.py").read_text(encoding="utf-8"))
        assigned = {
            target.id
            for node in tree.body
            if isinstance(node, ast.Assign)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        assert "__all__" in assigned, f"helpers/{layer}/__init__.py has no __all__"


def _write(root: Path, relative: str, source: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(source), encoding="utf-8")


@pytest.fixture
def toy_pack(tmp_path) -> Path:
    """A tiny helpers/ tree that follows the rules, for the checker's own tests."""
    root = tmp_path / "helpers"
    _write(root, "__init__.py", "from helpers.domain import thing\n")
    _write(root, "errors.py", "class PackError(Exception): ...\n")
    _write(root, "domain/__init__.py", "from helpers.errors import PackError\n")
    _write(root, "storage/__init__.py", "from helpers.domain import thing\n")
    _write(root, "storage/store.py", "class Store:\n    def _write(self): ...\n")
    _write(root, "bench/__init__.py", "")
    _write(root, "teaching/__init__.py", "from helpers.bench import run\n")
    return root


def test_the_checker_accepts_a_tree_that_follows_the_rules(toy_pack):
    assert check_layers(toy_pack) == []


def test_the_checker_names_the_file_and_the_forbidden_import(toy_pack):
    _write(toy_pack, "domain/model.py", "def load():\n    from helpers.storage import Store\n")
    [violation] = check_layers(toy_pack)
    assert str(violation) == (
        "helpers/domain/model.py:2: the domain layer may not import helpers.storage"
    )


def test_the_checker_refuses_an_import_of_the_teaching_layer(toy_pack):
    _write(toy_pack, "bench/run.py", "import helpers.teaching.lesson\n")
    [violation] = check_layers(toy_pack)
    assert "bench layer may not import helpers.teaching.lesson" in str(violation)


def test_the_checker_refuses_a_private_name_used_across_layers(toy_pack):
    _write(toy_pack, "bench/setup.py", "def fill(store):\n    store._write()\n")
    [violation] = check_layers(toy_pack)
    assert str(violation).startswith("helpers/bench/setup.py:2: uses _write")


def test_the_checker_refuses_a_subclass_that_overrides_a_private_method(toy_pack):
    _write(
        toy_pack,
        "teaching/saboteur.py",
        "from helpers.storage.store import Store\n\n"
        "class Broken(Store):\n    def _write(self):\n        return None\n",
    )
    [violation] = check_layers(toy_pack)
    assert str(violation) == (
        "helpers/teaching/saboteur.py:4: overrides _write, a private name of another layer"
    )


def test_the_pack_loads_and_stores_without_msgspec_installed(tmp_path):
    """msgspec is an optional speed-up: blocking it must not stop the pack from working."""
    script = textwrap.dedent(
        f"""
        import sys
        sys.modules["msgspec"] = None  # any import of msgspec now raises ImportError
        import helpers, helpers.bench, helpers.teaching
        from helpers import EventSourcedRepository, build_account
        with EventSourcedRepository({str(tmp_path / "no-msgspec.db")!r}) as repo:
            repo.save(build_account("acc-1", 50))
            print(repo.load("acc-1").version)
        try:
            helpers.MsgspecCodec
        except ImportError:
            print("MsgspecCodec needs msgspec")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.split("\n")[:2] == ["50", "MsgspecCodec needs msgspec"]
