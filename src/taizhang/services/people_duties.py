"""The duties of an import's people, written together where the database draws ids from a sequence.

A person named again in a notice loses the duties stored for them and gets the new ones: row by
row that is a DELETE and an INSERT per person (260 statements for the gazette ten times over).
On PostgreSQL :class:`DutyWrites` gathers them and writes the same rows with the same ids: the
duties stored before go in one DELETE, the ids every INSERT would have drawn are drawn in one
statement (those of a person's earlier duties too, which the next DELETE would have removed),
and the rows that would have survived go in one COPY. On SQLite, whose new ids depend on the rows
deleted before, each step runs as it comes.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..storage.bulk import insert_rows
from ..storage.tables_procedures import person_duties
from .database import draw_ids

COLUMNS = ("person_id", "kind", "verb", "area", "unit_id", "line")


class DutyWrites:
    """The duty changes of one store of people, in their order; :meth:`write` ends them."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.together = conn.dialect.name == "postgresql"
        self.cleared: set[int] = set()  # people whose stored duties go
        self.written: list[tuple[int, list[dict[str, Any]]]] = []  # (person id, new duty rows)

    def clear(self, person_id: int) -> None:
        """The person's duties stored so far go (those given to :meth:`add` before too)."""
        if self.together:
            self.cleared.add(person_id)  # rows of an earlier add() are left out in write()
            return
        self.conn.execute(person_duties.delete().where(person_duties.c.person_id == person_id))

    def add(self, person_id: int, rows: list[dict[str, Any]]) -> None:
        """New duty rows of the person (each holding :data:`COLUMNS`)."""
        if not self.together:
            if rows:
                self.conn.execute(person_duties.insert(), rows)
            return
        self.written.append((person_id, rows))

    def write(self) -> None:
        """Write what was gathered (nothing to do when each step ran as it came)."""
        if not self.together:
            return
        if self.cleared:
            ids = sorted(self.cleared)
            self.conn.execute(
                person_duties.delete().where(
                    person_duties.c.person_id == sa.any_(sa.bindparam(None, ids, type_=sa.ARRAY(sa.Integer)))
                )
            )
        ids_drawn = draw_ids(self.conn, person_duties, sum(len(rows) for _, rows in self.written))
        if ids_drawn is None:
            raise RuntimeError("person_duties 表的编号不是由序列生成的，无法成批写入")
        drawn = iter(ids_drawn)
        last = {person_id: n for n, (person_id, _) in enumerate(self.written)}
        kept = []
        for n, (person_id, rows) in enumerate(self.written):
            for row in rows:
                new_id = next(drawn)  # drawn for every row, as each INSERT drew its id
                if last[person_id] == n:  # a later add() of the person follows a DELETE of these
                    kept.append({"id": new_id, **row})
        if kept:
            insert_rows(self.conn, person_duties, ("id", *COLUMNS), kept)
        self.cleared.clear()
        self.written.clear()
