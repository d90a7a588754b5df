"""Benchmark: median time to extract the bundled gazette, and its throughput in MB/s.

Target: at least 1 MB/s on one core. Run from a checkout: ``python bench/extract.py [--runs N] [FILE]``.
"""

from __future__ import annotations

import argparse
import statistics
import time
from importlib import resources
from pathlib import Path

from taizhang.extract import extract
from taizhang.sources import read_source

TARGET_MB_PER_S = 1.0


def bundled_gazette() -> Path:
    """The gazette shipped inside the package."""
    return Path(str(resources.files("taizhang") / "data" / "zhongwei-gazette-2022-02.txt"))


def main() -> None:
    """Extract the file N times (after one warm-up run) and print the median and throughput."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("file", nargs="?", type=Path, default=bundled_gazette())
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    source = read_source(args.file)
    megabytes = len("\n".join(source.lines).encode("utf-8")) / 1_000_000
    extraction = extract(source)  # warm-up: imports, regex compilation, calendar data
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        extract(source)
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    rate = megabytes / median
    print(f"extract {args.file.name}: {megabytes:.3f} MB, {len(extraction.documents)} documents, "
          f"{len(extraction.tasks)} tasks")
    print(f"median {median * 1000:.1f} ms over {args.runs} runs (min {min(times) * 1000:.1f}, "
          f"max {max(times) * 1000:.1f}); throughput {rate:.2f} MB/s "
          f"({'meets' if rate >= TARGET_MB_PER_S else 'below'} the {TARGET_MB_PER_S:g} MB/s target)")


if __name__ == "__main__":
    main()
