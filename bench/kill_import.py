"""Crash test: ``taizhang import`` killed with SIGKILL at random moments, then run again.

Each round starts ``taizhang import`` of the bundled gazette on a fresh SQLite file (or an empty
PostgreSQL database, ``--db``, cleared between rounds), kills it after a random delay, and inspects
what is left. Odd rounds kill within the time the schema takes to reach its head revision (measured
on the first, full import), even rounds within the time a whole import takes. Fine are: an empty
database; a complete schema without the issue; a complete schema with the issue and every row of the
full import (issues, documents, tasks, change-log entries). Anything else is a partial state. Then it
runs the import again, which must succeed and leave the rows of a full import. Prints the counts;
the goal is 0 partial states and 0 failed reruns. The imports run the checkout as it is when each starts: the run stops when the
migrations' head moves under it (a rebase or pull meanwhile made a rerun look partial).
A round's outcome is printed as it ends; ``--minutes`` stops the run after the round that passes the
budget (a loaded machine makes a full import slow), with the counts so far.
Run from a checkout: ``python bench/kill_import.py [--rounds 50] [--minutes M] [--db URL]``.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

import sqlalchemy as sa
from alembic.script import ScriptDirectory

from taizhang.storage.engine import normalise_url
from taizhang.storage.schema import alembic_config, is_managed_table, target_metadata

GAZETTE = Path(str(resources.files("taizhang") / "data" / "zhongwei-gazette-2022-02.txt"))
MAX_ROUNDS = 200


def run_import(url: str) -> subprocess.Popen:
    command = [str(Path(sys.executable).parent / "taizhang"), "import", str(GAZETTE), "--db", url]
    return subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "TAIZHANG_CITY": "中卫市"},
    )


def shipped_head() -> str:
    """The head revision of the migrations in the checkout now."""
    (head,) = ScriptDirectory.from_config(alembic_config()).get_heads()
    return head


COUNTED = ("issues", "documents", "tasks", "change_log")  # the rows an import writes


def state(url: str, head: str, full: dict[str, int] | None = None) -> str:
    """``empty``, ``schema`` (complete, no issue), ``complete`` (schema at ``head`` and the rows of
    ``full``, when given) or ``partial: ...`` for the database at ``url``."""
    engine = sa.create_engine(normalise_url(url))
    try:
        names = {n for n in sa.inspect(engine).get_table_names() if is_managed_table(n)}
        if not names:
            return "empty"
        with engine.connect() as conn:
            version = (
                conn.execute(sa.text("select version_num from alembic_version")).scalar()
                if "alembic_version" in names
                else None
            )
            expected = set(target_metadata().tables) | {"alembic_version"}
            if version != head or not expected <= names:
                return f"partial: {len(names)} tables, version {version}"
            counts = row_counts(conn)
    finally:
        engine.dispose()
    if counts["issues"] == 0 and not any(counts.values()):
        return "schema"
    if full is None or counts == full:
        return "complete"
    return f"partial: rows {counts}, a full import has {full}"


def row_counts(conn: sa.Connection) -> dict[str, int]:
    return {name: conn.execute(sa.text(f"select count(*) from {name}")).scalar_one() for name in COUNTED}


def schema_moment(url: str, proc: subprocess.Popen, head: str, started: float) -> float:
    """Seconds from ``started`` until the database at ``url`` is at revision ``head`` (polled)."""
    engine = sa.create_engine(normalise_url(url))
    try:
        while proc.poll() is None:
            try:
                with engine.connect() as conn:
                    if conn.execute(sa.text("select version_num from alembic_version")).scalar() == head:
                        break
            except sa.exc.DBAPIError:
                pass  # no table yet, or the writer holds the file
            time.sleep(0.02)
        return time.perf_counter() - started
    finally:
        engine.dispose()


def rows_of(url: str) -> dict[str, int]:
    engine = sa.create_engine(normalise_url(url))
    try:
        with engine.connect() as conn:
            return row_counts(conn)
    finally:
        engine.dispose()


def clear(url: str, folder: Path, round_no: int) -> str:
    """A fresh database for one round."""
    if not url:
        return f"sqlite:///{folder / f'round{round_no}.db'}"
    engine = sa.create_engine(normalise_url(url))
    with engine.begin() as conn:
        conn.execute(sa.text("drop schema public cascade"))
        conn.execute(sa.text("create schema public"))
    engine.dispose()
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=0, help="stop after this long (0: no limit)")
    parser.add_argument("--db", default="", help="an empty PostgreSQL database (cleared every round!)")
    args = parser.parse_args()
    rounds = min(args.rounds, MAX_ROUNDS)
    rng = random.Random(20221203)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = clear(args.db, folder, 0)
        # the imports run the checkout's code as it is at each start: a rebase or a pull during the run
        # moves the head under it, and a database a rerun completed would look partial against the new one
        head = shipped_head()
        started = time.perf_counter()
        first = run_import(url)
        schema = schema_moment(url, first, head, started)
        if first.wait() != 0:
            raise SystemExit("a full import failed; nothing to measure")
        full = time.perf_counter() - started
        full_rows = rows_of(url)
        print(
            f"a full import takes {full:.1f} s, its schema is at the head after {schema:.1f} s; "
            f"killing {rounds} imports at random moments, every other one within the schema's time",
            flush=True,
        )
        outcomes: dict[str, int] = {}
        failed_reruns = 0
        deadline = time.monotonic() + args.minutes * 60 if args.minutes > 0 else float("inf")
        n = 0
        for n in range(1, rounds + 1):
            if time.monotonic() > deadline:
                n -= 1
                print(f"stopped after {n} rounds: the {args.minutes:g} minutes are over")
                break
            url = clear(args.db, folder, n)
            proc = run_import(url)
            delay = rng.uniform(0, schema if n % 2 else full)
            time.sleep(delay)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            found = state(url, head, full_rows)
            outcomes[found.split(":")[0]] = outcomes.get(found.split(":")[0], 0) + 1
            rerun = run_import(url)
            _, err = rerun.communicate()
            after = state(url, head, full_rows)
            if shipped_head() != head:
                raise SystemExit(
                    f"round {n}: the checkout's migrations changed during the run "
                    f"(head {head} -> {shipped_head()}); rerun on a checkout left alone"
                )
            print(
                f"round {n}: killed at {delay:.1f} s: {found}; rerun exit {rerun.returncode}, {after}",
                flush=True,
            )
            if rerun.returncode != 0 or after != "complete":
                failed_reruns += 1
                print(f"round {n}: the rerun said {err.decode()[-300:]}", flush=True)
        print(f"{n} kills: {outcomes}; reruns failed: {failed_reruns}")


if __name__ == "__main__":
    main()
