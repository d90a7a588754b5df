"""The layering rules of docs/architecture: a pure core, adapters at the edges.

extract/ and ledger/ import only the standard library, taizhang.errors, taizhang.workdays and
each other (plus cn2an, which exists to read Chinese numerals). sources/ reads files into the
core's SourceText and knows nothing of the database; storage/ knows the ledger's rules but no
service. storage/ and services/ never import web/ or cli/. Every import is a static one, nothing
is built at import time (settings, engines), and the code speaks of the product only.
"""

from __future__ import annotations

import ast
import re
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
            # ``from . import parts`` imports the module taizhang.services.parts
            found.extend(f"{module}.{alias.name}" for alias in node.names if alias.name != "*")
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


@pytest.mark.parametrize(
    ("folder", "forbidden"),
    [
        (
            "sources",
            ("taizhang.storage", "taizhang.services", "taizhang.ledger", "taizhang.export", "sqlalchemy"),
        ),
        ("storage", ("taizhang.services", "taizhang.export", "taizhang.sources")),
        ("export", ("taizhang.web", "taizhang.cli", "taizhang.storage")),
    ],
)
def test_each_layer_imports_only_what_lies_below_it(folder, forbidden):
    offenders = [
        f"{path.relative_to(SRC)} imports {module}"
        for path in _files(folder)
        for module in _imports(path)
        if module.startswith(forbidden)
    ]
    assert offenders == []


DYNAMIC = {"import_module", "find_spec", "__import__"}


def test_every_import_is_static():
    """A module is imported by name where it is used: no import_module, find_spec or __import__."""
    offenders = []
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
                if name in DYNAMIC:
                    offenders.append(f"{path.relative_to(SRC)}:{node.lineno} {name}")
    assert offenders == []


BUILT_AT_IMPORT = {
    "load_settings",
    "Settings",
    "create_engine",
    "open_database",
    "open_ledger",
    "sessionmaker",
}


def test_nothing_is_built_at_import_time():
    """Settings, engines and sessions are built by the entry points, never at module level."""
    offenders = []
    for path in SRC.rglob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(node, (ast.Assign, ast.AnnAssign, ast.Expr)) or node.value is None:
                continue
            for call in ast.walk(node.value):
                if isinstance(call, ast.Call):
                    name = getattr(call.func, "attr", None) or getattr(call.func, "id", None)
                    if name in BUILT_AT_IMPORT:
                        offenders.append(f"{path.relative_to(SRC)}:{node.lineno} {name}()")
    assert offenders == []


# how the work was divided is no part of the product: no ticket numbers, no team members
DIVISION = re.compile(r"(?i)\b(?:issue|ticket)\s*#?\d+|\bengineer'?s?\b|\bhelper session")
TEXT_FILES = ("*.py", "*.md", "*.html", "*.toml", "*.ini", "*.cfg")


def test_no_trace_of_how_the_work_was_divided():
    root = SRC.parent.parent
    folders = [root / "src", root / "tests", root / "bench", root / "docs", root / "scripts"]
    files = [
        p for folder in folders if folder.exists() for pattern in TEXT_FILES for p in folder.rglob(pattern)
    ]
    files += [root / "README.md", root / "CHANGELOG.md"]
    offenders = []
    for path in files:
        if not path.exists() or path == Path(__file__):
            continue
        for number, line in enumerate(
            path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1
        ):
            if DIVISION.search(line):
                offenders.append(f"{path.relative_to(root)}:{number}: {line.strip()[:80]}")
    assert offenders == []


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle of ``graph`` (module → modules it imports), or [] when there is none."""
    state: dict[str, int] = {}  # 1 on the path being walked, 2 done
    path: list[str] = []

    def walk(module: str) -> list[str]:
        state[module] = 1
        path.append(module)
        for other in sorted(graph.get(module, ())):
            if state.get(other) == 1:
                return path[path.index(other) :] + [other]
            if other not in state and (found := walk(other)):
                return found
        path.pop()
        state[module] = 2
        return []

    for module in sorted(graph):
        if module not in state and (found := walk(module)):
            return found
    return []


@pytest.mark.parametrize("folder", ["extract", "ledger", "services"])
def test_no_import_cycle_between_modules(folder):
    """Imports inside functions and under TYPE_CHECKING count too: a cycle hidden in a function is a cycle."""
    names = {
        f"taizhang.{folder}.{p.relative_to(SRC / folder).with_suffix('').as_posix().replace('/', '.')}": p
        for p in _files(folder)
        if p.name != "__init__.py"
    }
    graph = {name: {m for m in _imports(path) if m in names} for name, path in names.items()}
    assert _cycle(graph) == []
