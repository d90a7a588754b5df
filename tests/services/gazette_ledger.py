"""The bundled gazette imported for real, for tests of procedures and people.

``imported_engine(url)`` imports it into an empty database. The ``gazette_template`` fixture
(tests/conftest.py) keeps one imported SQLite file per session so tests that write start from a
copy instead of importing again.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from sqlalchemy.engine import Engine

from taizhang.services import experts
from taizhang.services.database import open_database, unit_of_work
from taizhang.services.import_issue import import_file
from tests.conftest import GAZETTE

# An expert pool: eight from the pool, two invited, one from 市教育局 (who must stand aside).
POOL = [(f"专家{n}", "教育管理", "教授", f"大学{n}", "库内") for n in range(1, 9)]
POOL += [
    ("外聘甲", "法学", "律师", "律师事务所", "库外"),
    ("外聘乙", "财政", "研究员", "研究院", "库外"),
    ("局内专家", "教育", "高级教师", "市教育局", "库内"),
]
TODAY = date(2022, 5, 10)


def imported_engine(url: str) -> Engine:
    """An engine on ``url`` with the bundled gazette imported and the expert pool entered."""
    engine = open_database(url)
    import_file(engine, GAZETTE, city="中卫市")
    with unit_of_work(engine) as conn:
        for name, field, title, affiliation, pool in POOL:
            experts.add_expert(
                conn, "office", name=name, field_=field, title=title, affiliation=affiliation, pool=pool
            )
    return engine


def copy_of(template: Path, target: Path) -> Engine:
    """An engine on a copy of an imported SQLite file."""
    shutil.copy(template, target)
    return open_database(f"sqlite:///{target}")
