"""The entry point's promise: errors are one line on stderr, never a traceback."""

from __future__ import annotations

import sys

import pytest

from taizhang.cli import app as cli_app
from taizhang.cli import extract_cmd


def _run(monkeypatch, capsys, *args: str) -> tuple[int, str]:
    monkeypatch.setattr(sys, "argv", ["taizhang", *args])
    with pytest.raises(SystemExit) as caught:
        cli_app.main()
    return caught.value.code, capsys.readouterr().err


def test_a_user_error_is_one_line_and_exit_2(monkeypatch, capsys, tmp_path):
    code, err = _run(monkeypatch, capsys, "extract", str(tmp_path / "missing.txt"))
    assert code == 2
    assert err == f"错误：{tmp_path / 'missing.txt'}: 文件不存在\n"


def test_a_bug_is_reported_in_one_line_without_a_traceback(monkeypatch, capsys, gazette_path):
    def broken(*_args, **_kwargs):
        raise RuntimeError("stage failed\nacross lines")

    monkeypatch.setattr(extract_cmd, "extract", broken)  # stands in for a bug in any stage
    code, err = _run(monkeypatch, capsys, "extract", str(gazette_path))
    assert code == 1
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "程序内部错误（RuntimeError：stage failed across lines）" in err


def test_verbose_shows_the_traceback_of_a_bug(monkeypatch, capsys, gazette_path):
    monkeypatch.setattr(extract_cmd, "extract", lambda *_a, **_k: 1 / 0)
    monkeypatch.setattr(sys, "argv", ["taizhang", "--verbose", "extract", str(gazette_path)])
    with pytest.raises(ZeroDivisionError):
        cli_app.main()
