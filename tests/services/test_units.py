"""The unit directory in the database: seeding, aliases, groups, resolution, audit."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from taizhang.errors import InvalidInput, UnknownUnit
from taizhang.extract.units import Unit, UnitDirectory
from taizhang.services.audit import verify_chain
from taizhang.services.database import open_database, unit_of_work
from taizhang.services.units import (
    add_alias,
    add_member,
    list_units,
    load_directory,
    merged_directory,
    resolve_unit,
    sync_directory,
    units_matching,
)
from taizhang.storage import tables as t
from tests.utils.extraction_from_gold import small_directory


@pytest.fixture
def engine(db_url):
    engine = open_database(db_url)
    with unit_of_work(engine) as conn:
        sync_directory(conn, small_directory())
    yield engine
    engine.dispose()


def log_entries(engine, entity: str) -> list[tuple]:
    with engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                sa.select(t.change_log.c.actor, t.change_log.c.action, t.change_log.c.after)
                .where(t.change_log.c.entity == entity)
                .order_by(t.change_log.c.id)
            )
        ]


def test_sync_stores_the_directory_once(engine):
    with unit_of_work(engine) as conn:
        again = sync_directory(conn, small_directory())
        units = {u["name"]: u for u in list_units(conn)}
    assert (again.units, again.aliases, again.members) == (0, 0, 0)
    assert units["各县(区)"]["members"] == ["中宁县", "沙坡头区", "海原县"]
    assert units["各县(区)"]["kind"] == "group" and units["沙坡头区"]["groups"] == ["各县(区)"]
    assert units["市卫生健康委员会"]["aliases"] == ["市卫健委", "市卫生健康委"]
    assert len(units) == 9 and all(u["verified"] for u in units.values())


def test_names_and_aliases_resolve_to_one_unit(engine):
    with engine.connect() as conn:
        assert resolve_unit(conn, "市卫健委") == resolve_unit(conn, "市卫生健康委员会")
        assert resolve_unit(conn, " 各县(区)政府 ") == resolve_unit(conn, "各县(区)")
        with pytest.raises(UnknownUnit, match="单位名录中没有“市火星局”"):
            resolve_unit(conn, "市火星局")


def test_a_county_matches_its_groups(engine):
    with engine.connect() as conn:
        found = set(units_matching(conn, "沙坡头区"))
        assert found == {resolve_unit(conn, "沙坡头区"), resolve_unit(conn, "各县(区)")}
        assert units_matching(conn, "市财政局") == [resolve_unit(conn, "市财政局")]


def test_alias_add_is_audited_and_refuses_a_name_of_another_unit(engine):
    with unit_of_work(engine) as conn:
        result = add_alias(conn, "市财政", "市财政局", actor="督查室")
        assert add_alias(conn, "市财政", "市财政局", actor="督查室")["created"] is False
    assert result["created"] is True
    assert log_entries(engine, "unit_alias")[-1] == (
        "督查室",
        "create",
        {"alias": "市财政", "unit_id": result["unit_id"]},
    )
    with unit_of_work(engine) as conn:
        with pytest.raises(InvalidInput, match="已是另一个单位"):
            add_alias(conn, "市卫健委", "市财政局", actor="督查室")
        with pytest.raises(UnknownUnit):
            add_alias(conn, "某局", "市火星局", actor="督查室")
        with pytest.raises(InvalidInput):
            add_alias(conn, "  ", "市财政局", actor="督查室")


def test_member_add_makes_a_group_and_extends_unit_filters(engine):
    with unit_of_work(engine) as conn:
        add_member(conn, "市医疗保障局", "沙坡头区", actor="督查室")  # odd, but the user decides
        group = resolve_unit(conn, "市医疗保障局")
        assert group in units_matching(conn, "沙坡头区")
        with pytest.raises(InvalidInput):
            add_member(conn, "市财政局", "市财政局", actor="督查室")
        with pytest.raises(UnknownUnit):
            add_member(conn, "市财政局", "某镇", actor="督查室")
    with engine.connect() as conn:
        assert conn.execute(sa.select(t.units.c.kind).where(t.units.c.id == group)).scalar() == "group"
        assert verify_chain(conn)[1] == []
    assert ("督查室", "update", {"kind": "group"}) in log_entries(engine, "unit")


def test_the_stored_directory_feeds_the_extractor_and_wins_over_the_bundled_one(engine):
    with unit_of_work(engine) as conn:
        add_alias(conn, "财政局", "市财政局", actor="督查室")
        stored = load_directory(conn)
    assert stored.resolve("财政局").name == "市财政局"
    assert set(stored.resolve("各县(区)").members) == {"沙坡头区", "中宁县", "海原县"}
    bundled = UnitDirectory(units=[Unit("市财政局", aliases=("财政",)), Unit("市民政局")])
    merged = merged_directory(stored, bundled)
    assert [u.name for u in merged.units if u.name in ("市财政局", "市民政局")] == ["市财政局", "市民政局"]
    assert merged.resolve("财政") is None


def test_a_name_met_before_the_directory_knew_it_becomes_verified(engine):
    with unit_of_work(engine) as conn:
        from taizhang.services.units import DirectoryIndex, ensure_unit

        unit_id, known = ensure_unit(conn, DirectoryIndex.load(conn), "应理集团", actor="import")
        assert not known
        sync_directory(conn, UnitDirectory(units=[Unit("应理集团", kind="external")]))
        row = conn.execute(sa.select(t.units).where(t.units.c.id == unit_id)).one()
    assert (row.verified, row.kind) == (True, "external")
    assert log_entries(engine, "unit")[-1] == ("import", "update", {"verified": True, "kind": "external"})


def test_the_full_and_short_forms_of_a_department_become_one_unit_in_any_city(engine):
    from taizhang.services.units import DirectoryIndex, ensure_unit

    with unit_of_work(engine) as conn:
        index = DirectoryIndex.load(conn)
        first, known = ensure_unit(conn, index, "青岛市发展和改革委员会", actor="test")
        again, known_again = ensure_unit(conn, index, "青岛市发展改革委", actor="test")
    assert (known, known_again, again) == (False, True, first)
    # a form no alias lists (市卫生健康局) still finds the stored 市卫生健康委员会 by its standard form
    with engine.connect() as conn:
        assert DirectoryIndex.load(conn).find("市卫生健康局") == resolve_unit(conn, "市卫生健康委员会")
