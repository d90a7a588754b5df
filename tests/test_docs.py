"""The documentation is part of the product: every command, setting and JSON key is documented."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
import typer

from taizhang.cli.app import app
from taizhang.extract.to_json import to_dict
from taizhang.settings import Settings

DOCS = Path(__file__).resolve().parent.parent / "docs"
SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "cli_docs.py"


def _cli_docs():
    spec = importlib.util.spec_from_file_location("cli_docs", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _leaf_commands():
    return list(_cli_docs()._walk(typer.main.get_command(app), []))


def test_cli_reference_is_generated_from_the_code():
    expected = _cli_docs().render()
    assert (DOCS / "cli.md").read_text(encoding="utf-8") == expected, "run: python scripts/cli_docs.py"


@pytest.mark.parametrize(
    "path,command", _leaf_commands(), ids=lambda x: " ".join(x) if isinstance(x, list) else ""
)
def test_every_command_has_help_with_an_example(path, command):
    assert command.help and command.help.strip(), f"taizhang {' '.join(path)} has no help"
    assert "示例：" in command.help, f"taizhang {' '.join(path)} has no '示例：' line"


def test_every_setting_is_documented():
    text = (DOCS / "settings.md").read_text(encoding="utf-8")
    missing = [name for name in Settings.model_fields if f"`{name}`" not in text]
    assert missing == []


def _keys(obj, prefix=""):
    if isinstance(obj, dict):
        for key, value in obj.items():
            yield key
            yield from _keys(value)
    elif isinstance(obj, list) and obj:
        yield from _keys(obj[0])


def test_every_json_key_of_the_extraction_is_documented(gazette_extraction):
    text = (DOCS / "extraction-format.md").read_text(encoding="utf-8")
    data = to_dict(gazette_extraction)
    documented_sections = ("issue", "documents", "tasks", "people", "checks", "review")
    keys = set(data)
    for section in documented_sections:
        keys |= set(_keys(data[section]))
    missing = sorted(k for k in keys if not re.search(rf"`{re.escape(k)}`", text))
    assert missing == []
