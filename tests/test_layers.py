"""The folders show the architecture, and imports point one way only.

    leaves (errors, files, text, git, scanner, ...) → model → rules (ranking)
          → render, review, demo → pipeline → cli, plugin

A module imports its own layer or lower ones; render and review never import each
other; nothing imports inside a function (where a cycle would hide); no module is
longer than 800 lines.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "generator"
LAYERS: list[tuple[str, ...]] = [
    (
        "generator", "generator.errors", "generator.files", "generator.parallel",
        "generator.text", "generator.git", "generator.scanner", "generator.publish",
        "generator.sitedir", "generator.preview",
    ),
    ("generator.model",),
    ("generator.ranking",),
    ("generator.render", "generator.review", "generator.demo", "generator.aggregate"),
    ("generator.pipeline", "generator.stagememo"),
    ("generator.cli", "generator.plugin", "generator.cachedpages"),
]  # fmt: skip
# Neighbours in one layer that must stay apart: pages never compute review's findings,
# review never formats pages, the demo only uses the model and the rules.
APART = {
    "generator.render": {"generator.review", "generator.demo"},
    "generator.review": {"generator.render", "generator.demo"},
    "generator.demo": {"generator.render", "generator.review", "generator.aggregate"},
}
MAX_LINES = 800


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def group(module: str) -> str:
    """The layer entry a module belongs to: the longest matching prefix."""
    names = [name for layer in LAYERS for name in layer]
    matches = [n for n in names if module == n or module.startswith(n + ".")]
    if not matches:
        raise AssertionError(f"{module} is in no layer: add it to LAYERS")
    return max(matches, key=len)


def layer(module: str) -> int:
    return next(i for i, names in enumerate(LAYERS) if group(module) in names)


def imports(path: Path) -> list[tuple[int, str, bool]]:
    """(line, imported generator module, inside a function?) for every import."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            inside |= {id(sub) for sub in ast.walk(node) if sub is not node}
    found = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            names = [n for n in names if n in MODULES] or [node.module]
        for name in names:
            found.append((node.lineno, name, id(node) in inside))
    return found


@pytest.mark.parametrize("module", list(MODULES))
def test_imports_point_down(module: str) -> None:
    here = layer(module)
    for line, name, in_function in imports(MODULES[module]):
        assert not in_function, f"{module}:{line} imports {name} inside a function"
        if not name.startswith("generator"):
            continue
        target = name if name in MODULES else name.rsplit(".", 1)[0]
        assert layer(target) <= here, f"{module}:{line} imports {target}, a higher layer"
        assert group(target) not in APART.get(group(module), set()), (
            f"{module}:{line} imports {target}: these layers stay apart"
        )


@pytest.mark.parametrize("module", list(MODULES))
def test_no_module_is_too_long(module: str) -> None:
    lines = MODULES[module].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{module} has {lines} lines; split it by subject"


def test_a_wrong_import_is_caught(tmp_path: Path) -> None:
    """The check itself can fail: a model module importing the renderer is refused."""
    bad = tmp_path / "bad.py"
    bad.write_text("from generator.render.pages import render_site\n", encoding="utf-8")
    ((_, name, _),) = [i for i in imports(bad) if i[1].startswith("generator")]
    assert layer("generator.model.dataset") < layer(name)
