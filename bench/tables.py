"""Benchmark: reading a long task table printed over several lines per row, in both text layouts.

Generates a 重点任务分工表 of N rows, each printed over three lines, once with cells split by tabs
and once with columns aligned with spaces, and prints the median time of ``read_tables`` on each
(caches cleared between runs) with the throughput in MB/s and the ratio of the two at N and 4N,
which stays near 4 when reading is linear. Run from a checkout: ``python bench/tables.py [--rows N]``.
"""

from __future__ import annotations

import argparse
import statistics
import time

from taizhang.extract.spans import SourceText, Span
from taizhang.extract.table_layout import read_tables

HEADER = ("序号", "重点任务", "牵头单位", "参加单位", "完成时限")
ROW = (
    ("{n}", "推进政务服务“跨省", "国务院办公厅", "国家发展改革委、", "2023年12月"),
    ("", "通办”，实现异地办事", "", "公安部、", "底前"),
    ("", "“一地办成”", "", "人力资源社会保障部", ""),
)
STARTS = (0, 8, 32, 48, 68)  # aligned columns, an ideograph counted as two positions


def tab_text(rows: int) -> str:
    """The table with cells split by tabs, one printed line per line."""
    lines = ["\t".join(HEADER)]
    for n in range(1, rows + 1):
        lines.extend("\t".join(cell.format(n=n) for cell in line) for line in ROW)
    return "\n".join(lines)


def aligned_text(rows: int) -> str:
    """The table with columns aligned with spaces, as a PDF-to-text tool prints it."""
    from taizhang.extract.table_cells import display_width

    def place(cells: tuple[str, ...]) -> str:
        line = ""
        for start, cell in zip(STARTS, cells, strict=True):
            if cell:
                line += " " * max(2 if line else 0, start - display_width(line)) + cell
        return line

    lines = [place(HEADER)]
    for n in range(1, rows + 1):
        lines.extend(place(tuple(cell.format(n=n) for cell in line)) for line in ROW)
    return "\n".join(lines)


def median_seconds(text: str, runs: int) -> float:
    """Median time of reading the tables of ``text``."""
    source = SourceText.from_string("bench", text)
    span = Span(1, len(source))
    times = []
    for _ in range(runs):
        read_tables.cache_clear()
        start = time.perf_counter()
        reading = read_tables(source, span)
        times.append(time.perf_counter() - start)
    assert reading.tables and not reading.problems
    return statistics.median(times)


def main() -> None:
    """Time both layouts at N and 4N rows and print medians, MB/s and the growth ratio."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    for name, make in (("tabs", tab_text), ("aligned", aligned_text)):
        small, large = make(args.rows), make(args.rows * 4)
        first = median_seconds(small, args.runs)
        second = median_seconds(large, args.runs)
        megabytes = len(large.encode("utf-8")) / 1_000_000
        print(
            f"{name:8} {args.rows} rows: median {first * 1000:.0f} ms; {args.rows * 4} rows: "
            f"{second * 1000:.0f} ms ({megabytes / second:.2f} MB/s); 4x rows -> {second / first:.1f}x time"
        )


if __name__ == "__main__":
    main()
