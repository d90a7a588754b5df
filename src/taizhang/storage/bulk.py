"""Many rows of one table inserted through the driver's executemany, their values made ready once.

SQLAlchemy's executemany prepares each row's parameters through its general machinery (a dict
copied and walked per row, processors looked up per row): for the thousands of change-log entries
of an import that was a third of writing them. Here the statement is compiled once per dialect
and table and the rows' values go through the very bind processors SQLAlchemy would apply (the
columns' own types on that dialect), so what is stored is the same, byte for byte.

The statement reaches the driver as text: SQLAlchemy's statement-level events
(``before_execute``) do not see it; its cursor-level ones (``before_cursor_execute``) do. Use it
for tables whose rows nothing follows statement by statement (not the sealed tables).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Dialect

_Processor = Callable[[Any], Any] | None


@lru_cache(maxsize=64)
def _prepared(
    dialect: Dialect, table: sa.Table, columns: tuple[str, ...]
) -> tuple[str, tuple[str, ...], tuple[_Processor, ...]]:
    """The INSERT's text on ``dialect``, its parameters' order, and each column's bind processor."""
    compiled = table.insert().compile(dialect=dialect, column_keys=list(columns), for_executemany=True)
    order = tuple(compiled.positiontup or columns)
    processors = tuple(table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in order)
    return compiled.string, order, processors


def insert_rows(
    conn: Connection, table: sa.Table, columns: Sequence[str], rows: Sequence[dict[str, Any]]
) -> None:
    """Insert ``rows`` (each holding every one of ``columns``) into ``table`` in one executemany."""
    if not rows:
        return
    text, order, processors = _prepared(conn.dialect, table, tuple(columns))
    steps = [(name, process) for name, process in zip(order, processors, strict=True)]
    prepared: list[Any]
    if conn.dialect.paramstyle in ("qmark", "numeric", "format"):  # positional
        prepared = [
            tuple(row[name] if process is None else process(row[name]) for name, process in steps)
            for row in rows
        ]
    else:  # named (pyformat, named)
        prepared = [
            {name: row[name] if process is None else process(row[name]) for name, process in steps}
            for row in rows
        ]
    conn.exec_driver_sql(text, prepared)
