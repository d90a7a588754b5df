"""The README's "Using it" commands, run in order on a fresh directory, all succeed on one ledger.

Each line of the block is run as written (``taizhang`` in-process, a ``> file`` redirect honoured);
``serve`` is started without binding a port: it must pass its checks on the ledger the block built.
``worker`` waits for jobs until stopped, so it is the one line not run here.
"""

from __future__ import annotations

import re
import shlex
import shutil

import pytest
from typer.testing import CliRunner

from taizhang.cli.app import app
from taizhang.web import server

from .conftest import ROOT

RUNS_UNTIL_STOPPED = ("worker",)
SETTINGS = ("CITY", "ISSUER", "DATABASE_URL", "SECRET_KEY", "UNIT_DIRECTORY", "AUTO_UPGRADE", "ENVIRONMENT")


def readme_commands() -> list[str]:
    """The lines of the bash block under '## Using it', comments removed."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Using it", 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, re.S)
    assert block, "README.md: no bash block under '## Using it'"
    lines = [line.split("#", 1)[0].strip() for line in block.group(1).splitlines()]
    return [line for line in lines if line]


def test_the_block_starts_with_init_and_uses_only_taizhang():
    commands = readme_commands()
    assert commands[0].startswith("taizhang init")
    assert all(shlex.split(c)[0] == "taizhang" for c in commands)


def test_the_readme_commands_run_in_order_on_a_fresh_directory(tmp_path, monkeypatch):
    for name in SETTINGS:
        monkeypatch.delenv(f"TAIZHANG_{name}", raising=False)
    data = tmp_path / "src" / "taizhang" / "data"
    data.mkdir(parents=True)
    shutil.copy(ROOT / "src" / "taizhang" / "data" / "zhongwei-gazette-2022-02.txt", data)
    monkeypatch.chdir(tmp_path)
    started: list[object] = []
    monkeypatch.setattr(server.uvicorn, "run", lambda application, **_: started.append(application))
    runner = CliRunner()
    for command in readme_commands():
        words = shlex.split(command)[1:]
        if words[0] in RUNS_UNTIL_STOPPED:
            continue
        target = None
        if ">" in words:
            at = words.index(">")
            words, target = words[:at], words[at + 1]
        result = runner.invoke(app, words)
        assert result.exit_code == 0, f"{command}\n{result.output}\n{result.exception!r}"
        if target:
            (tmp_path / target).write_text(result.stdout, encoding="utf-8")
    assert len(started) == 1  # serve got as far as starting the server
    assert (tmp_path / "extraction.json").stat().st_size > 0
    assert (tmp_path / "ledger.xlsx").exists() and (tmp_path / "notice.docx").exists()


@pytest.mark.parametrize("name", ["demo.db", "uploads/", "taizhang.db", ".env"])
def test_what_the_commands_write_is_ignored_by_git(name):
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert name in ignored or name.rstrip("/") in ignored
