"""Benchmark: the dashboard computed in-process on an existing ledger, for several ``as_of`` days.

Prints, per day, the median CPU time of the process and the median and worst wall-clock time of
``services.dashboard.dashboard(conn, as_of)`` over ``--runs`` calls after one warm-up, the JSON
size and the red count. CPU time is the steadier figure on a shared machine; on PostgreSQL most of
the work is the server's, so read the wall clock there. Any ``as_of`` should cost about the same.

Run from a checkout on a ledger made by ``bench/ledger_gen.py`` (or ``bench/scale.py``'s cache):
``python bench/dashboard.py --db sqlite:////tmp/taizhang-scale/scale-100000.db --runs 5``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from datetime import date

import sqlalchemy as sa

from taizhang.services.dashboard import dashboard

DAYS = (date(2022, 6, 30), date(2000, 1, 3), date(2099, 12, 1))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", required=True, help="the ledger's database URL")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    engine = sa.create_engine(args.db)
    with engine.connect() as conn:
        dashboard(conn, DAYS[0])  # warm-up: caches, the calendar's ordinals
        for as_of in DAYS:
            cpu, wall = [], []
            for _ in range(args.runs):
                began, began_cpu = time.perf_counter(), time.process_time()
                board = dashboard(conn, as_of)
                cpu.append(time.process_time() - began_cpu)
                wall.append(time.perf_counter() - began)
            size = len(json.dumps(board, default=str, ensure_ascii=False).encode("utf-8"))
            print(
                f"as_of {as_of}: CPU median {statistics.median(cpu) * 1000:.0f} ms, wall median "
                f"{statistics.median(wall) * 1000:.0f} ms, worst {max(wall) * 1000:.0f} ms, {size:,} bytes, "
                f"{board['by_colour']['red']:,} red",
                flush=True,
            )
    engine.dispose()


if __name__ == "__main__":
    main()
