"""People and posts (人员与分工): who 分管, 联系 or 协助分管 which units, AB岗 pairs and absences.

The import stores the people of a division-of-work notice with their duties, each duty matched
to the unit directory where it names a unit (``ledger.areas``). A later notice supersedes an
earlier one: a person named again gets the new duties. ``who_covers`` answers for a unit or an
office section on a day; ``routing.py`` sends approvals and notifications to that person.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import InvalidInput, NotFound, UnknownUnit
from ..extract.model import Person
from ..extract.posts import BackupPair, Post
from ..ledger.areas import area_names, matching_units
from ..ledger.coverage import Absence, Coverage, Holder, who_covers
from ..storage.tables import unit_aliases, units
from ..storage.tables_procedures import absences, people, person_duties
from .audit import record_change
from .people_duties import DutyWrites
from .units import resolve_unit

COVERED_KINDS = ("department", "external")  # units a leader's 分工 can name (not counties, not groups)


def _unit_names(conn: Connection) -> list[tuple[int, list[str]]]:
    names: dict[int, list[str]] = {}
    for row in conn.execute(sa.select(units.c.id, units.c.name).where(units.c.kind.in_(COVERED_KINDS))):
        names[row.id] = [row.name]
    for row in conn.execute(sa.select(unit_aliases.c.unit_id, unit_aliases.c.alias)):
        if row.unit_id in names:
            names[row.unit_id].append(row.alias)
    return list(names.items())


_PERSON_FIELDS = ("role", "designation", "document_id", "line", "position")


def _people_named(conn: Connection, found: tuple[Person, ...]) -> dict[str, dict[str, Any]]:
    """The directory's people bearing these names (name → id and stored fields), read at once."""
    names = sorted({p.name for p in found})
    stored: dict[str, dict[str, Any]] = {}
    for start in range(0, len(names), 500):
        for row in conn.execute(sa.select(people).where(people.c.name.in_(names[start : start + 500]))):
            stored[row.name] = {"id": row.id, **{k: getattr(row, k) for k in _PERSON_FIELDS}}
    return stored


def _upsert_person(
    conn: Connection,
    person: Person,
    position: int,
    document_id: int | None,
    actor: str,
    stored: dict[str, dict[str, Any]],
    updates: list[dict[str, Any]],
    duties: DutyWrites,
) -> int:
    """Insert one person, or note its update in ``updates`` (written together by :func:`store_people`);
    ``stored`` (name → id and fields) is kept in step with the writes."""
    values = {
        "role": person.role,
        "designation": person.designation,
        "document_id": document_id,
        "line": person.line,
        "position": position,
    }
    row = stored.get(person.name)
    if row is None:
        person_id = int(
            conn.execute(people.insert(), {"name": person.name, **values}).inserted_primary_key[0]
        )
        record_change(
            conn,
            actor=actor,
            action="create",
            entity="person",
            entity_id=person_id,
            after={"name": person.name, **values},
        )
        stored[person.name] = {"id": person_id, **values}
        return person_id
    updates.append({"person": row["id"], **{f"new_{k}": v for k, v in values.items()}})
    record_change(
        conn,
        actor=actor,
        action="update",
        entity="person",
        entity_id=row["id"],
        before={k: row[k] for k in values},
        after=values,
    )
    duties.clear(row["id"])
    row.update(values)
    return int(row["id"])


def _store_duties(
    conn: Connection,
    person_id: int,
    post: Post | None,
    units_of: Callable[[str], list[int]],
    actor: str,
    duties: DutyWrites,
) -> None:
    rows = [
        {
            "person_id": person_id,
            "kind": duty.kind,
            "verb": duty.verb,
            "area": duty.area,
            "unit_id": unit_id,
            "line": duty.line,
        }
        for duty in (post.duties if post else ())
        for unit_id in (units_of(duty.area) or [None])
    ]
    duties.add(person_id, rows)
    stored = [{k: row[k] for k in ("kind", "area", "unit_id")} for row in rows]
    record_change(
        conn, actor=actor, action="update", entity="person_duties", entity_id=person_id, after=stored
    )


def _store_backups(
    conn: Connection, ids: dict[str, int], found: list[Person], pairs: Iterable[BackupPair], actor: str
) -> None:
    lines = {}
    for pair in pairs:
        lines[pair.a] = lines[pair.b] = pair.line
    changes = []
    for person in found:
        partner = ids.get(person.backup or "")
        if partner is None:
            continue
        after = {"backup_id": partner, "backup_line": lines.get(person.name)}
        changes.append({"person": ids[person.name], "partner": partner, "partner_line": after["backup_line"]})
        record_change(
            conn, actor=actor, action="update", entity="person", entity_id=ids[person.name], after=after
        )
    if changes:  # one executemany, in the people's order: a person named twice keeps the last pair
        conn.execute(_SET_BACKUP, changes)


_UPDATE_PERSON = (
    people.update()
    .where(people.c.id == sa.bindparam("person"))
    .values({name: sa.bindparam(f"new_{name}") for name in _PERSON_FIELDS})
)
_SET_BACKUP = (
    people.update()
    .where(people.c.id == sa.bindparam("person"))
    .values(backup_id=sa.bindparam("partner"), backup_line=sa.bindparam("partner_line"))
)


def store_people(
    conn: Connection,
    found: tuple[Person, ...],
    posts: tuple[Post, ...],
    pairs: tuple[BackupPair, ...],
    document_of: dict[int, int],
    *,
    actor: str,
) -> int:
    """Store people with their duties and AB岗; ``document_of`` maps a person's line to a document id."""
    known = _unit_names(conn)
    matched: dict[str, list[int]] = {}  # area → unit ids: a long input names the same areas again and again

    def units_of(area: str) -> list[int]:
        if area not in matched:
            matched[area] = matching_units(area, known)
        return matched[area]

    by_name = {p.name: p for p in posts}
    ids: dict[str, int] = {}
    stored = _people_named(conn, found)
    updates: list[dict[str, Any]] = []
    duties = DutyWrites(conn)
    for position, person in enumerate(found):
        document_id = document_of.get(person.line)
        ids[person.name] = _upsert_person(conn, person, position, document_id, actor, stored, updates, duties)
        _store_duties(conn, ids[person.name], by_name.get(person.name), units_of, actor, duties)
    duties.write()
    if updates:  # one executemany in the people's order: a person named twice ends as named last
        conn.execute(_UPDATE_PERSON, updates)
    _store_backups(conn, ids, list(found), pairs, actor)
    return len(ids)


# Absences ------------------------------------------------------------------------------------------


def person_id(conn: Connection, name: str) -> int:
    """The id of the person called ``name``.

    Raises:
        NotFound: nobody of that name is in the directory of people.
    """
    found = conn.execute(sa.select(people.c.id).where(people.c.name == name.strip())).scalar()
    if found is None:
        raise NotFound(f"人员名录中没有“{name.strip()}”")
    return int(found)


def add_absence(
    conn: Connection, actor: str, name: str, starts_on: date, ends_on: date, reason: str = ""
) -> int:
    """Record that ``name`` is away from ``starts_on`` to ``ends_on`` (inclusive); returns its id.

    Raises:
        NotFound: unknown person.
        InvalidInput: the end is before the start.
    """
    if ends_on < starts_on:
        raise InvalidInput(f"不在岗结束日期 {ends_on.isoformat()} 早于开始日期 {starts_on.isoformat()}")
    row = {
        "person_id": person_id(conn, name),
        "starts_on": starts_on,
        "ends_on": ends_on,
        "reason": reason.strip()[:200],
        "created_by": actor,
    }
    absence_id = int(conn.execute(absences.insert().values(**row)).inserted_primary_key[0])
    record_change(conn, actor=actor, action="create", entity="absence", entity_id=absence_id, after=row)
    return absence_id


def remove_absence(conn: Connection, actor: str, absence_id: int) -> None:
    """Delete a recorded absence (entered by mistake).

    Raises:
        NotFound: no such absence.
    """
    row = conn.execute(sa.select(absences).where(absences.c.id == absence_id)).first()
    if row is None:
        raise NotFound(f"没有编号为 {absence_id} 的不在岗记录")
    conn.execute(absences.delete().where(absences.c.id == absence_id))
    record_change(
        conn, actor=actor, action="delete", entity="absence", entity_id=absence_id, before=dict(row._mapping)
    )


# Coverage ------------------------------------------------------------------------------------------


def _names(conn: Connection) -> dict[int, str]:
    return {r.id: r.name for r in conn.execute(sa.select(people.c.id, people.c.name))}


def _absences(conn: Connection, names: dict[int, str]) -> list[Absence]:
    return [
        Absence(names[r.person_id], r.starts_on, r.ends_on, r.reason)
        for r in conn.execute(sa.select(absences))
    ]


def _backups(conn: Connection, names: dict[int, str]) -> dict[str, str]:
    rows = conn.execute(sa.select(people.c.id, people.c.backup_id).where(people.c.backup_id.is_not(None)))
    return {names[r.id]: names[r.backup_id] for r in rows}


def _holders(conn: Connection, target: str, names: dict[int, str]) -> tuple[list[Holder], str]:
    """The people whose duties include ``target`` (a unit of the directory, or a section by name)."""
    try:
        unit_id = resolve_unit(conn, target)
    except UnknownUnit:
        unit_id = None
    rows = list(conn.execute(sa.select(person_duties)))
    held = [r for r in rows if unit_id is not None and r.unit_id == unit_id]
    if not held:
        wanted = set(area_names(target))
        held = [r for r in rows if wanted & set(area_names(r.area))]
    if unit_id is None and not held:
        raise NotFound(f"单位名录和人员分工中都没有“{target}”")
    label = conn.execute(sa.select(units.c.name).where(units.c.id == unit_id)).scalar() if unit_id else target
    return [Holder(names[r.person_id], r.kind, r.area) for r in held], str(label)


def _head(conn: Connection, names: dict[int, str]) -> str | None:
    """The head of the office: the first person listed who 主持 a unit of the directory."""
    row = conn.execute(
        sa.select(person_duties.c.person_id)
        .join(people, people.c.id == person_duties.c.person_id)
        .where(person_duties.c.kind == "主持", person_duties.c.unit_id.is_not(None))
        .order_by(people.c.position)
        .limit(1)
    ).first()
    return names[row.person_id] if row else None


def coverage(conn: Connection, target: str, day: date) -> tuple[Coverage, str]:
    """Who covers ``target`` on ``day`` and the unit's directory name (or the section as given).

    Raises:
        NotFound: neither a unit of the directory nor an area of anyone's 分工.
    """
    names = _names(conn)
    holders, label = _holders(conn, target, names)
    return who_covers(
        holders, _backups(conn, names), _absences(conn, names), day, head=_head(conn, names)
    ), label


def coverage_dict(conn: Connection, target: str, day: date) -> dict[str, Any]:
    """``coverage`` as a plain dict for the CLI, the web and the API."""
    found, label = coverage(conn, target, day)
    return {
        "target": label,
        "on": day,
        "person": found.person,
        "owner": found.owner,
        "kind": found.kind,
        "area": found.area,
        "via": found.via,
        "reason": found.reason,
    }


# Reading -------------------------------------------------------------------------------------------


def list_people(conn: Connection, *, today: date | None = None) -> list[dict[str, Any]]:
    """Every person in notice order with 分工 by kind, AB岗 partner, absences and whether away today."""
    names = _names(conn)
    unit_names = {r.id: r.name for r in conn.execute(sa.select(units.c.id, units.c.name))}
    duties: dict[int, list[dict[str, Any]]] = {}
    for r in conn.execute(sa.select(person_duties).order_by(person_duties.c.id)):
        duties.setdefault(r.person_id, []).append(
            {
                "kind": r.kind,
                "verb": r.verb,
                "area": r.area,
                "unit": unit_names.get(r.unit_id),
                "line": r.line,
            }
        )
    away: dict[int, list[dict[str, Any]]] = {}
    for r in conn.execute(sa.select(absences).order_by(absences.c.starts_on)):
        away.setdefault(r.person_id, []).append(
            {"id": r.id, "starts_on": r.starts_on, "ends_on": r.ends_on, "reason": r.reason}
        )
    found = []
    for r in conn.execute(sa.select(people).order_by(people.c.position, people.c.id)):
        mine = away.get(r.id, [])
        found.append(
            {
                "id": r.id,
                "name": r.name,
                "designation": r.designation,
                "role": r.role,
                "line": r.line,
                "document_id": r.document_id,
                "backup": names.get(r.backup_id),
                "backup_line": r.backup_line,
                "duties": duties.get(r.id, []),
                "absences": mine,
                "away_today": bool(today and any(a["starts_on"] <= today <= a["ends_on"] for a in mine)),
            }
        )
    return found


def backup_pairs(conn: Connection) -> list[tuple[str, str]]:
    """Each AB岗 pair once, in notice order."""
    seen: set[str] = set()
    pairs = []
    for person in list_people(conn):
        if person["backup"] and person["name"] not in seen:
            pairs.append((person["name"], person["backup"]))
            seen |= {person["name"], person["backup"]}
    return pairs


def leaders_of_unit(conn: Connection, unit_id: int) -> list[dict[str, Any]]:
    """The people whose 分工 names a unit, with how (分管, 联系 …), strongest first."""
    rows = conn.execute(
        sa.select(people.c.name, person_duties.c.kind, person_duties.c.area)
        .join(people, people.c.id == person_duties.c.person_id)
        .where(person_duties.c.unit_id == unit_id)
    )
    order = {"分管": 0, "主持": 1, "联系": 2, "协助分管": 3}
    return sorted(
        ({"name": r.name, "kind": r.kind, "area": r.area} for r in rows),
        key=lambda d: (order.get(d["kind"], 9), d["name"]),
    )
