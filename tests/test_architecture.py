"""The layering rules of docs/architecture: a pure core, adapters at the edges.

extract/ and ledger/ import only the standard library, taizhang.errors, taizhang.workdays and
each other (plus cn2an, which exists to read Chinese numerals). storage/ never imports web/ or
cli/; services/ never imports web/ or cli/.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "taizhang"

PURE_ALLOWED_THIRD_PARTY = {"cn2an", "chinese_calendar"}
PURE_ALLOWED_OWN = {"taizhang.errors", "taizhang.workdays", "taizhang.extract", "taizhang.ledger"}


def _imports(path: Path) -> list[str]:
    """Absolute module names imported by a file (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(SRC.parent).with_suffix("").parts[:-1])
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append(module)
    return found


def _files(folder: str) -> list[Path]:
    return sorted((SRC / folder).rglob("*.py"))


@pytest.mark.parametrize("folder", ["extract", "ledger"])
def test_pure_core_imports_only_stdlib_and_itself(folder):
    offenders = []
    for path in _files(folder):
        for module in _imports(path):
            top = module.split(".")[0]
            if top in sys.stdlib_module_names or top in PURE_ALLOWED_THIRD_PARTY or top == "__future__":
                continue
            if any(module == own or module.startswith(own + ".") for own in PURE_ALLOWED_OWN):
                continue
            offenders.append(f"{path.relative_to(SRC)} imports {module}")
    assert offenders == []


@pytest.mark.parametrize("folder", ["storage", "services", "extract", "ledger", "sources", "export"])
def test_inner_layers_never_import_entrypoints(folder):
    offenders = [
        f"{path.relative_to(SRC)} imports {module}"
        for path in _files(folder)
        for module in _imports(path)
        if module.startswith(("taizhang.web", "taizhang.cli", "fastapi", "typer", "starlette"))
    ]
    assert offenders == []


def test_no_print_outside_cli_and_bench():
    offenders = []
    for path in SRC.rglob("*.py"):
        if "cli" in path.relative_to(SRC).parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "print":
                offenders.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert offenders == []
