"""Many rows of one table inserted through the driver, their values made ready once.

SQLAlchemy's executemany prepares each row's parameters through its general machinery (a dict
copied and walked per row, processors looked up per row): for the thousands of change-log entries
of an import that was a third of writing them. Here the statement is compiled once per dialect
and table and the rows' values go through the very bind processors SQLAlchemy would apply (the
columns' own types on that dialect), so what is stored is the same, byte for byte.

On SQLite the rows go to the driver's ``executemany``. On PostgreSQL they go in one ``COPY …
FROM STDIN`` instead: the server parses each value as its column's type, as it casts a bound
parameter, but runs no statement per row (an import's 8,452 change-log entries took 343 ms as an
executemany, 125 ms so; the client formats the rows in C). Triggers, defaults and constraints
apply to copied rows as to inserted ones.

The statement reaches the driver as text: SQLAlchemy's statement-level events
(``before_execute``) do not see it; on SQLite its cursor-level ones (``before_cursor_execute``)
do, on PostgreSQL the COPY passes no cursor event either. Use it for tables whose rows nothing
follows statement by statement, or note the new rows yourself (the sealed tables:
``services.seals.note_inserted``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from operator import itemgetter
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Dialect

_Processor = Callable[[Any], Any] | None
_POSITIONAL = frozenset(("qmark", "numeric", "format"))


class NotBulkable(Exception):
    """A column the rows leave out has a default computed in SQL, which this module cannot fill in."""


@lru_cache(maxsize=128)
def _prepared(
    dialect: Dialect, table: sa.Table, columns: tuple[str, ...]
) -> tuple[str, tuple[tuple[str, _Processor, Any], ...]]:
    """The INSERT's text on ``dialect`` and, per parameter in order: its column, its bind processor,
    and (for a column the rows leave out) its Python-side default, which SQLAlchemy would fill in."""
    compiled = table.insert().compile(dialect=dialect, column_keys=list(columns), for_executemany=True)
    steps = []
    for name in compiled.positiontup or compiled.binds:
        column = table.c[name]
        default = None
        if name not in columns:
            default = column.default
            if default is None or not (default.is_scalar or default.is_callable):
                raise NotBulkable(f"{table.name}.{name}")
        steps.append((name, column.type.dialect_impl(dialect).bind_processor(dialect), default))
    return compiled.string, tuple(steps)


def bulkable(conn: Connection, table: sa.Table, rows: Sequence[dict[str, Any]]) -> bool:
    """True when :func:`insert_rows` takes ``rows`` (each holding the same columns) as they are."""
    columns = rows[0].keys() if rows else ()
    if not all(row.keys() == columns for row in rows):
        return False
    try:
        _prepared(conn.dialect, table, tuple(columns))
    except NotBulkable:
        return False
    return True


def insert_rows(
    conn: Connection, table: sa.Table, columns: Sequence[str], rows: Sequence[dict[str, Any]]
) -> None:
    """Insert ``rows`` (each holding every one of ``columns``) into ``table`` in one executemany.

    Raises:
        NotBulkable: a column left out has a default computed in SQL; nothing was sent.
    """
    if not rows:
        return
    text, steps = _prepared(conn.dialect, table, tuple(columns))
    names = [name for name, _, _ in steps]
    # column by column: one pass over the rows per column, each value made ready by a C-level map
    # where it can, instead of choosing how to find every value of every row
    values = [_column(rows, name, process, default) for name, process, default in steps]
    if conn.dialect.name == "postgresql":
        _copy(conn, table, names, zip(*values, strict=True))
        return
    if conn.dialect.paramstyle in _POSITIONAL:
        prepared: list[Any] = list(zip(*values, strict=True))
    else:
        prepared = [dict(zip(names, row, strict=True)) for row in zip(*values, strict=True)]
    conn.exec_driver_sql(text, prepared)


def _column(rows: Sequence[dict[str, Any]], name: str, process: _Processor, default: Any) -> list[Any]:
    """The values of one parameter for every row, as the driver takes them."""
    if default is None:
        given = list(map(itemgetter(name), rows))
        return given if process is None else list(map(process, given))
    if default.is_scalar:
        return [_ready(process, default.arg)] * len(rows)
    # SQLAlchemy runs a default f() as f(context), once per row
    return [_ready(process, default.arg(None)) for _ in rows]


def _ready(process: _Processor, value: Any) -> Any:
    return value if process is None else process(value)


def _copy(conn: Connection, table: sa.Table, names: list[str], rows: Iterable[Sequence[Any]]) -> None:
    """``rows`` (values ready for the driver, in the order of ``names``) into ``table`` by one COPY."""
    with _copying(conn, table, names) as write:
        for row in rows:
            write(row)


@contextmanager
def _copying(
    conn: Connection, table: sa.Table, names: Sequence[str]
) -> Iterator[Callable[[Sequence[Any]], None]]:
    """A COPY in text format on the connection's own transaction, open for the block; a failure is
    raised as SQLAlchemy raises the driver's errors (an ``IntegrityError`` for a key)."""
    quote = conn.dialect.identifier_preparer
    statement = f"COPY {quote.format_table(table)} ({', '.join(quote.quote(n) for n in names)}) FROM STDIN"
    driver = conn.connection.driver_connection
    dbapi = conn.dialect.loaded_dbapi
    try:
        with driver.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[union-attr]
            yield copy.write_row
    except dbapi.Error as error:
        raise sa.exc.DBAPIError.instance(statement, None, error, dbapi.Error) from error


@contextmanager
def writing_rows(
    conn: Connection, table: sa.Table, columns: Sequence[str]
) -> Iterator[Callable[[dict[str, Any]], None]]:
    """A function that takes rows (each holding every one of ``columns``) for ``table``, stored as
    :func:`insert_rows` stores them, by the block's end.

    On PostgreSQL each row is sent as it is given, through a COPY open for the block: the server
    stores the rows while the caller still makes the next ones (the change log's entries are hashed
    one after the other). Elsewhere the rows are inserted together when the block ends. Nothing is
    stored when the block raises (on PostgreSQL the COPY is cancelled and the transaction can only
    roll back, as the caller's does when the exception leaves it).

    Raises:
        NotBulkable: a column left out has a default computed in SQL; nothing was sent.
    """
    if conn.dialect.name != "postgresql":
        rows: list[dict[str, Any]] = []
        yield rows.append
        insert_rows(conn, table, columns, rows)
        return
    _, steps = _prepared(conn.dialect, table, tuple(columns))
    left_out = [f"{table.name}.{name}" for name, _, default in steps if default is not None]
    if left_out:  # each row is sent as it comes: every value must come with it
        raise NotBulkable(", ".join(left_out))
    ready = [(itemgetter(name), process) for name, process, _ in steps]
    with _copying(conn, table, [name for name, _, _ in steps]) as write:
        yield lambda row: write(
            [value(row) if process is None else process(value(row)) for value, process in ready]
        )
