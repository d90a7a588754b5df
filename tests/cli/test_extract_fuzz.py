"""`taizhang extract` on damaged files: a clean result or a clean SourceError, never another exception.

Each example is the bundled gazette, damaged the ways real files are: control characters,
full-width figures in table rows, byte-order marks (UTF-8, UTF-16 cut at an odd byte), lone
surrogates, lines lost, and a stretch of the body flattened onto one long line.
"""

from __future__ import annotations

import json
import tempfile
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from taizhang.cli.app import app
from taizhang.errors import SourceError

GAZETTE = (resources.files("taizhang") / "data" / "zhongwei-gazette-2022-02.txt").read_text(encoding="utf-8")
LINES = GAZETTE.split("\n")
DAMAGE = [
    "\x1e",
    "\x00",
    "\x0b",
    "\x0c",
    "\x85",
    "\u2028",
    "\ufeff",
    "０．５",
    "１２，３４５",
    "\t",
    "合计",
    "小计",
    "（",
    "〕",
    "\ud800",
    "\\geq",
    "m^3",
]
ENCODINGS = ["utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-odd"]


def _encode(text: str, encoding: str) -> bytes:
    if encoding.startswith("utf-16"):
        data = text.encode("utf-16", errors="surrogatepass")
        return data[:-1] if encoding == "utf-16-odd" else data
    return text.encode(encoding, errors="surrogateescape" if encoding == "gb18030" else "surrogatepass")


def _damaged(inserts: list[tuple[int, int, str]], cut: tuple[int, int], flatten: tuple[int, int]) -> str:
    lines = list(LINES)
    for line, column, piece in inserts:
        text = lines[line % len(lines)]
        at = column % (len(text) + 1)
        lines[line % len(lines)] = text[:at] + piece + text[at:]
    del lines[cut[0] : cut[0] + cut[1]]
    start, length = flatten
    lines[start : start + length] = ["".join(lines[start : start + length])]
    return "\n".join(lines)


def _extract(data: bytes):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "damaged.txt"
        path.write_bytes(data)
        return CliRunner().invoke(app, ["extract", str(path), "--json"])


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(
    inserts=st.lists(
        st.tuples(st.integers(0, 10_000), st.integers(0, 200), st.sampled_from(DAMAGE)), max_size=12
    ),
    cut=st.tuples(st.integers(0, 1800), st.integers(0, 30)),
    flatten=st.tuples(st.integers(0, 1800), st.integers(0, 400)),
    encoding=st.sampled_from(ENCODINGS),
)
def test_damaged_gazette_gives_a_result_or_a_source_error(inserts, cut, flatten, encoding):
    try:
        data = _encode(_damaged(inserts, cut, flatten), encoding)
    except UnicodeEncodeError:  # a lone surrogate cannot be written as GB18030 at all
        return
    result = _extract(data)
    if result.exception is not None:
        assert isinstance(result.exception, SourceError), repr(result.exception)
        assert "\n" not in str(result.exception)
    else:
        assert result.exit_code == 0
        assert isinstance(json.loads(result.stdout)["tasks"], list)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"\xff\xfe" + "中文".encode("utf-16-le") + b"\x00", ["第 1 行", "字节数为奇数"]),
        (
            b"\xff\xfe" + "第一行\n".encode("utf-16-le") + b"\x00\xd8" + "文".encode("utf-16-le"),
            ["第 2 行", "代理项不成对"],
        ),
    ],
)
def test_broken_utf16_is_refused_naming_line_and_damage(data, words):
    result = _extract(data)
    assert isinstance(result.exception, SourceError)
    assert all(word in str(result.exception) for word in words)


def test_control_characters_and_full_width_totals_read_like_the_clean_gazette():
    damaged = [line.replace("合计", "合计\x1e", 1).replace("4861", "４，８６１", 1) for line in LINES]
    clean, dirty = _extract(GAZETTE.encode()), _extract("\n".join(damaged).encode())
    assert dirty.exit_code == 0

    def key(output: str) -> tuple[list, list]:
        data = json.loads(output)
        tasks = [(t["line"], t["title"], t["lead"]) for t in data["tasks"]]
        return tasks, [(c["kind"], c["line"], c["found"], c["consistent"]) for c in data["checks"]]

    assert key(dirty.stdout) == key(clean.stdout)
