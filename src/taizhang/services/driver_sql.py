"""Statements built once, compiled once, and run on the database driver's own cursor.

SQLAlchemy's execution of an already built statement (cache lookup, expanding ``IN`` lists,
parameter and result processing, events) cost a unit's listing more CPU than SQLite spent
answering it. A :class:`DriverStatement` is such a statement compiled once for a dialect and a
number of values in each expanding list; running it binds the values with the same bind
processors SQLAlchemy would use and hands the SQL text to the driver. Rows come back as the
driver gives them (no result processing): use it for statements whose columns are text, numbers
or JSON the database wrote.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Dialect


@dataclass(frozen=True)
class DriverStatement:
    """A statement's SQL text for one dialect, its parameters' order and their bind processors."""

    sql: str
    names: frozenset[str]  # the parameters the statement takes (others given are left out)
    defaults: Mapping[str, Any]  # values compiled into the statement (literals, constant limits)
    expansion: Mapping[str, Sequence[str]]  # an expanding parameter's name → its values' names
    processors: Mapping[str, Any]
    order: Sequence[str] | None  # positional drivers (SQLite): the parameters' order; else named

    def bind(self, params: Mapping[str, Any]) -> Sequence[Any] | dict[str, Any]:
        """The driver's parameters for ``params`` (lists for the expanding ones)."""
        values = dict(self.defaults)
        for name, value in params.items():
            if name not in self.names:
                continue
            expanded = self.expansion.get(name)
            if expanded is None:
                values[name] = value
            else:
                values.update(zip(expanded, value, strict=True))
        for name, process in self.processors.items():
            if name in values and values[name] is not None:
                values[name] = process(values[name])
        if self.order is None:
            return values
        return [values[name] for name in self.order]

    def rows(self, conn: Connection, params: Mapping[str, Any]) -> list[Any]:
        """Every row of the statement bound to ``params``, as the driver's tuples."""
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        bound = self.bind(params)
        try:
            # the connection's cursor listeners still see the statement (tracing, statement counts)
            for listener in conn.dispatch.before_cursor_execute:
                listener(conn, cursor, self.sql, bound, None, False)
            cursor.execute(self.sql, bound)
            rows = list(cursor.fetchall())
            for listener in conn.dispatch.after_cursor_execute:
                listener(conn, cursor, self.sql, bound, None, False)
            return rows
        finally:
            cursor.close()


def _sizes(params: Mapping[str, Any]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted((k, len(v)) for k, v in params.items() if isinstance(v, (list, tuple))))


def _compile(statement: sa.Executable, dialect: Dialect, params: Mapping[str, Any]) -> DriverStatement:
    compiled = statement.compile(dialect=dialect)  # type: ignore[attr-defined]
    state = compiled.construct_expanded_state(dict(params), escape_names=False)
    expansion = {name: tuple(names) for name, names in state.parameter_expansion.items()}
    defaults = {k: v for k, v in state.parameters.items() if k not in params and k not in expansion}
    for names in expansion.values():
        for name in names:
            defaults.pop(name, None)
    return DriverStatement(
        sql=state.statement,
        names=frozenset(state.parameters) | frozenset(expansion),
        defaults=defaults,
        expansion=expansion,
        processors=dict(state.processors),
        order=tuple(state.positiontup) if state.positiontup is not None else None,
    )


# (statement, dialect, the parameters' names and list lengths) → compiled; statements are built once,
# so the few shapes of a listing stay here
_COMPILED: dict[tuple[Any, ...], DriverStatement] = {}
_MOST = 256


def prepared(conn: Connection, statement: sa.Executable, params: Mapping[str, Any]) -> DriverStatement:
    """``statement`` (built once: it is the cache's key) compiled for ``conn``'s database, for the
    names of ``params`` and the lengths of their lists."""
    key = (statement, conn.dialect, frozenset(params), _sizes(params))
    found = _COMPILED.get(key)
    if found is None:
        if len(_COMPILED) >= _MOST:
            _COMPILED.clear()
        found = _COMPILED[key] = _compile(statement, conn.dialect, params)
    return found


def driver_rows(conn: Connection, statement: sa.Executable, params: Mapping[str, Any]) -> list[Any]:
    """The rows of ``statement`` bound to ``params``, run on the driver's cursor (see the module)."""
    return prepared(conn, statement, params).rows(conn, params)
