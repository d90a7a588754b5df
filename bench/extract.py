"""Benchmark: median time to extract the bundled gazette, and its throughput in MB/s; then the time
per character of a body flattened onto one line of 8,000, 16,000 and 32,000 characters, and the
ratio between the longest and the shortest (linear time gives the same per-character figure).
Times are printed as wall clock and as CPU time: the development machines are shared.

Target: at least 5 MB/s on one core. Run from a checkout: ``python bench/extract.py [--runs N] [FILE]``.

``--cold`` clears every cache that outlives one extraction (``functools`` caches, the tables,
folded lines and yearly targets kept for the last source) before each timed run: what the first
extraction of a new text costs. Without it the runs are warm, and those caches serve the same text again.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from importlib import resources
from pathlib import Path

from taizhang.extract import extract
from taizhang.extract.spans import SourceText
from taizhang.sources import read_source

TARGET_MB_PER_S = 5.0
LINE_LENGTHS = (8_000, 16_000, 32_000)


def bundled_gazette() -> Path:
    """The gazette shipped inside the package."""
    return Path(str(resources.files("taizhang") / "data" / "zhongwei-gazette-2022-02.txt"))


def main() -> None:
    """Extract the file N times (after one warm-up run) and print the median and throughput."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("file", nargs="?", type=Path, default=bundled_gazette())
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--cold", action="store_true", help="clear the caches before each timed run")
    args = parser.parse_args()
    source = read_source(args.file)
    megabytes = len("\n".join(source.lines).encode("utf-8")) / 1_000_000
    extraction = extract(source)  # warm-up: imports, regex compilation, calendar data
    times, cpu = [], []
    for _ in range(args.runs):
        if args.cold:
            clear_caches()
        start, start_cpu = time.perf_counter(), time.process_time()
        extract(source)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    median, median_cpu = statistics.median(times), statistics.median(cpu)
    rate, rate_cpu = megabytes / median, megabytes / median_cpu
    print(
        f"extract {args.file.name} ({'cold' if args.cold else 'warm'}): {megabytes:.3f} MB, {len(extraction.documents)} documents, "
        f"{len(extraction.tasks)} tasks"
    )
    print(
        f"median {median * 1000:.1f} ms over {args.runs} runs (min {min(times) * 1000:.1f}, "
        f"max {max(times) * 1000:.1f}); throughput {rate:.2f} MB/s"
    )
    # On a shared machine the wall clock counts other people's work; CPU time counts ours.
    print(
        f"median CPU time {median_cpu * 1000:.1f} ms; throughput {rate_cpu:.2f} MB/s of CPU "
        f"({'meets' if max(rate, rate_cpu) >= TARGET_MB_PER_S else 'below'} the {TARGET_MB_PER_S:g} MB/s target)"
    )
    long_lines(max(3, args.runs // 4))
    text = "\n".join(source.lines)
    copies = [(n * len(text), _distinct_copies(text, n)) for n in (1, 4)]
    _per_character(
        max(3, args.runs // 4), "{} characters: the file 1 or 4 times, each copy numbered apart", copies
    )


def clear_caches() -> None:
    """Forget what earlier extractions left behind: the ``functools`` caches of the extraction and
    source modules (not those of one entry, which hold data loaded once per process), and the
    tables, folded lines and yearly targets of the last source read."""
    from taizhang.extract import indicators, tables

    for name, module in list(sys.modules.items()):
        if not name.startswith(("taizhang.extract", "taizhang.sources")):
            continue
        for value in list(vars(module).values()):
            # a cache of one holds data loaded once per process (the lexicon), not a text's results
            if callable(getattr(value, "cache_clear", None)) and value.cache_info().maxsize != 1:
                value.cache_clear()
    tables._LAST_FOLDED = ((), ())
    tables._LAST_READ = ((), {})
    indicators._LAST_TARGETS = ((), {})


def _distinct_copies(text: str, copies: int) -> SourceText:
    """``text`` ``copies`` times, each copy's 发文字号 in a year of its own (no copy repeats another)."""
    parts = [text.replace("〔2022〕", f"〔{1900 + n}〕") for n in range(copies)]
    return SourceText.from_string("copies", "\n".join(parts))


def flattened(length: int) -> SourceText:
    """A received document whose body is one line of ``length`` characters, as web pages give them."""
    items = []
    for number in range(1, 10_000):
        items.append(
            f"（{number}）推进第{number}项重点工作。加强统筹协调，完善工作机制，确保按期完成，"
            f"形成可复制可推广的经验。（国家发展改革委牵头，财政部、商务部等国务院相关部门及各地区按职责分工负责）"
        )
        if sum(map(len, items)) >= length:
            break
    body = ("各省、自治区、直辖市人民政府：经国务院同意，现提出以下意见。" + "".join(items))[:length]
    return SourceText.from_string(
        "flattened", f"国务院办公厅关于推进测试工作的意见国办发〔2020〕1号\n\n{body}\n"
    )


def unended(lines: int) -> SourceText:
    """A document of ``lines`` short lines none of which ends a sentence, as a broken export gives them."""
    body = "\n".join(f"推进第{number}项工作加强统筹协调" for number in range(lines))
    return SourceText.from_string(
        "unended", f"国务院办公厅关于推进测试工作的意见国办发〔2020〕1号\n\n{body}\n"
    )


def long_lines(runs: int) -> None:
    """Median time per character on one long line, and on many lines without a sentence end, for each
    length, and the ratio longest/shortest."""
    _per_character(runs, "one line of {} characters", [(n, flattened(n)) for n in LINE_LENGTHS])
    _per_character(
        runs,
        "{} characters in lines without a sentence end",
        [(n, unended(n // 16)) for n in (16_000, 64_000, 256_000)],
    )


def _per_character(runs: int, label: str, sources: list[tuple[int, SourceText]]) -> None:
    per_char = []
    for length, source in sources:
        extraction = extract(source)
        times = []
        for _ in range(runs):
            start = time.process_time()
            extract(source)
            times.append(time.process_time() - start)
        median = statistics.median(times)
        per_char.append(median / length)
        print(
            f"{label.format(length)}: median CPU time {median * 1000:.1f} ms, "
            f"{median / length * 1e6:.2f} µs per character, {len(extraction.tasks)} tasks"
        )
    print(
        f"per-character time, {sources[-1][0]} / {sources[0][0]} characters: "
        f"{per_char[-1] / per_char[0]:.2f} (1.0 is linear)"
    )


if __name__ == "__main__":
    main()
