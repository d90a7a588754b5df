"""The gold ledger (the bundled gazette stored from its gold extraction), built once per test module.

Read-side tests compare what the code answers with what the gold JSON says, on SQLite and on a
fresh PostgreSQL database of their own.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from taizhang.services.database import open_database, unit_of_work
from taizhang.services.import_issue import store_extraction
from taizhang.sources import read_source
from tests.conftest import GAZETTE, fresh_database_url
from tests.utils.extraction_from_gold import gold_extraction, small_directory


def gold_ledger(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[sa.Engine]:
    """Yield an engine on the gold ledger in ``backend`` ("sqlite" or "postgresql"), then drop it."""
    with fresh_database_url(backend, tmp_path_factory.mktemp("gold")) as url:
        engine = open_database(url)
        with unit_of_work(engine) as conn:
            store_extraction(conn, read_source(GAZETTE), gold_extraction(), directory=small_directory())
        yield engine
        engine.dispose()
