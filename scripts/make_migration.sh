#!/usr/bin/env bash
# Regenerate the initial migration (0001_initial.py) from the current metadata.
#
# Later revisions (0002_task_search: the SQLite full-text index) are moved aside while the
# initial one is generated against an empty database, then put back; they build on 0001.
# Usage: scripts/make_migration.sh   (from the repository root, venv active)
set -euo pipefail
cd "$(dirname "$0")/.."
versions=src/taizhang/storage/migrations/versions
work=$(mktemp -d)
trap 'mv "$work"/later/*.py "$versions"/ 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/later"
find "$versions" -maxdepth 1 -name '*.py' ! -name '0001_*' -exec mv {} "$work/later/" \;
rm -f "$versions"/0001_*.py
alembic -c src/taizhang/storage/alembic.ini -x "url=sqlite:///$work/empty.db" \
    revision --autogenerate --rev-id 0001 -m initial
ruff format -q "$versions"/0001_initial.py && ruff check -q --fix "$versions"/0001_initial.py
echo "regenerated $versions/0001_initial.py; run: pytest tests/storage -q"
