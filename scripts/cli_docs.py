"""Write docs/cli.md from the command definitions, so the reference never drifts from the code.

Usage: python scripts/cli_docs.py          (rewrite docs/cli.md)
       python scripts/cli_docs.py --check  (exit 1 when docs/cli.md is out of date; used by tests)
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from taizhang.cli.app import app

DOC = Path(__file__).resolve().parent.parent / "docs" / "cli.md"

HEADER = """# Command reference

Generated from the commands' own help by `python scripts/cli_docs.py`; a test fails when this file
and the code disagree. Every command that touches the ledger takes `--db URL` (default: the
`TAIZHANG_DATABASE_URL` setting, else `sqlite:///taizhang.db`). Errors are one line on stderr with
exit code 2.
"""


def _walk(command, path: list[str]):
    # typer vendors its own click, so test by shape rather than by class
    if hasattr(command, "commands"):
        if path and (command.invoke_without_command or [p for p in command.params if p.name != "help"]):
            yield path, command
        for name in sorted(command.commands):
            yield from _walk(command.commands[name], [*path, name])
    else:
        yield path, command


def _param_line(param) -> str:
    if param.param_type_name == "argument":
        text = f"- `{param.name.upper()}` (argument)"
        return text + (f": {param.help}" if getattr(param, "help", None) else "")
    opts = ", ".join(f"`{o}`" for o in [*param.opts, *param.secondary_opts])
    text = f"- {opts}"
    help_text = getattr(param, "help", None)
    if help_text:
        text += f": {help_text}"
    default = param.default
    if (
        default not in (None, False, (), [])
        and not callable(default)
        and not getattr(param, "is_flag", False)
    ):
        text += f" (default: `{default}`)"
    return text


def render() -> str:
    """The whole reference as Markdown."""
    root = typer.main.get_command(app)
    parts = [HEADER]
    for path, command in _walk(root, []):
        parts.append(f"\n## `taizhang {' '.join(path)}`\n")
        help_text = (command.help or "").strip()
        if help_text:
            parts.append(help_text.replace("\n\n", "\n\n") + "\n")
        params = [p for p in command.params if p.name != "help"]
        if params:
            parts.append("\n" + "\n".join(_param_line(p) for p in params) + "\n")
    return "".join(parts)


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        if not DOC.exists() or DOC.read_text(encoding="utf-8") != text:
            print("docs/cli.md is out of date: run python scripts/cli_docs.py")
            return 1
        return 0
    DOC.write_text(text, encoding="utf-8")
    print(f"wrote {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
