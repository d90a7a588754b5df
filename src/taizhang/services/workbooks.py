"""An office's workbook read as rows: its first sheet opened, and the columns of its header row found
by the words offices put in them, in whatever order the columns stand.

The expert pool, a campaign's objects and its inspectors are imported this way.
"""

from __future__ import annotations

import zipfile
from collections.abc import Mapping, Sequence
from io import BytesIO
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from ..errors import InvalidInput


def workbook_rows(source: str | Path | bytes, label: str) -> Any:
    """The rows (values) of a workbook's first sheet. Raises InvalidInput in Chinese for a missing or bad file."""
    try:
        data = source if isinstance(source, bytes) else Path(source).read_bytes()
        return (
            load_workbook(BytesIO(data), read_only=True, data_only=True)
            .worksheets[0]
            .iter_rows(values_only=True)
        )
    except FileNotFoundError:
        raise InvalidInput(f"{label}：文件不存在") from None
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InvalidInput(f"{label}：不是有效的 Excel 工作簿（.xlsx）：{exc.__class__.__name__}") from None


def header_columns(cells: tuple[Any, ...], columns: Mapping[str, Sequence[str]]) -> dict[str, int]:
    """{column: cell index} for a header row: each of ``columns``, in their order, takes the first cell
    whose text contains one of its words and that no column before it took (absent when none)."""
    found: dict[str, int] = {}
    texts = [str(c or "").strip() for c in cells]
    for column, words in columns.items():
        index = next(
            (i for i, t in enumerate(texts) if t and any(w in t for w in words) and i not in found.values()),
            None,
        )
        if index is not None:
            found[column] = index
    return found


def row_cells(cells: tuple[Any, ...], columns: Mapping[str, int]) -> dict[str, str]:
    """{column: the row's text in it}, stripped; "" for an empty cell or one beyond the row's end."""
    return {
        k: str(cells[i]).strip() if i < len(cells) and cells[i] is not None else ""
        for k, i in columns.items()
    }
