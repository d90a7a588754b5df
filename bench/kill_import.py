"""Crash test: ``taizhang import`` killed with SIGKILL at random moments, then run again.

Each round starts ``taizhang import`` of the bundled gazette on a fresh SQLite file (or an empty
PostgreSQL database, ``--db``, cleared between rounds), kills it after a random delay between 0 and
the time a full import takes (schema creation included), and inspects what is left: an empty
database, or a complete schema at its head revision, are fine; anything else is a partial state.
Then it runs the import again, which must succeed. Prints the counts; the goal is 0 partial states
and 0 failed reruns. The imports run the checkout as it is when each starts: the run stops when the
migrations' head moves under it (a rebase or pull meanwhile made a rerun look partial).
Run from a checkout: ``python bench/kill_import.py [--rounds 50] [--db URL]``.
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


def state(url: str, head: str) -> str:
    """``empty``, ``complete`` (at revision ``head``) or ``partial: ...`` for the database at ``url``."""
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
    finally:
        engine.dispose()
    expected = set(target_metadata().tables) | {"alembic_version"}
    if version == head and expected <= names:
        return "complete"
    return f"partial: {len(names)} tables, version {version}"


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
        if run_import(url).wait() != 0:
            raise SystemExit("a full import failed; nothing to measure")
        full = time.perf_counter() - started
        print(f"a full import takes {full:.1f} s; killing {rounds} imports at random moments within it")
        outcomes: dict[str, int] = {}
        failed_reruns = 0
        for n in range(1, rounds + 1):
            url = clear(args.db, folder, n)
            proc = run_import(url)
            time.sleep(rng.uniform(0, full))
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            found = state(url, head)
            outcomes[found.split(":")[0]] = outcomes.get(found.split(":")[0], 0) + 1
            rerun = run_import(url)
            _, err = rerun.communicate()
            after = state(url, head)
            if shipped_head() != head:
                raise SystemExit(
                    f"round {n}: the checkout's migrations changed during the run "
                    f"(head {head} -> {shipped_head()}); rerun on a checkout left alone"
                )
            if rerun.returncode != 0 or after != "complete":
                failed_reruns += 1
                print(
                    f"round {n}: after the kill {found}; rerun exit {rerun.returncode}, then {after}: "
                    f"{err.decode()[-300:]}"
                )
        print(f"{rounds} kills: {outcomes}; reruns failed: {failed_reruns}")


if __name__ == "__main__":
    main()
