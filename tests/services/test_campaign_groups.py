"""督查组 accounts and the inspector pool: a group's account sees and writes only the objects of the
counties its group covers; 双随机 draws inspectors from the pool, avoiding their own county and unit,
and records the seed and inputs."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from taizhang.errors import InvalidInput, PermissionDenied
from taizhang.services import campaign_draws as draws
from taizhang.services import campaign_inspectors as inspectors
from taizhang.services import campaign_work as work
from taizhang.services import campaigns
from taizhang.services.accounts import add_user, get_user_by_name
from taizhang.services.database import open_database, unit_of_work
from taizhang.services.import_issue import import_file
from taizhang.storage.tables import change_log
from tests.conftest import GAZETTE
from tests.services.test_campaigns import mines_workbook

TODAY = date(2022, 5, 20)
PASSWORD = "correct horse battery"


def _campaign(conn, kind: str) -> dict:
    return next(c for c in campaigns.list_campaigns(conn) if c["kind"] == kind)


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    engine = open_database(f"sqlite:///{tmp_path_factory.mktemp('groups') / 'ledger.db'}")
    import_file(engine, GAZETTE, city="中卫市")
    with unit_of_work(engine) as conn:
        mining = _campaign(conn, "专项行动")
        first, second = mining["groups"][0]["id"], mining["groups"][1]["id"]
        add_user(conn, "dcs", PASSWORD, "office")
        add_user(conn, "zn", PASSWORD, "unit", "中宁县")
        add_user(conn, "一组", PASSWORD, "group", group_id=first)
        add_user(conn, "二组", PASSWORD, "group", group_id=second)
        work.import_objects(conn, get_user_by_name(conn, "dcs"), mining["id"], mines_workbook(9))
    yield engine
    engine.dispose()


def _users(engine, *names):
    with engine.connect() as conn:
        return [get_user_by_name(conn, n) for n in names]


def _objects(engine, county: str) -> list[dict]:
    with engine.connect() as conn:
        found = campaigns.get_campaign(conn, _campaign(conn, "专项行动")["id"])
    return [o for o in found["objects"] if o["county"] == county]


def test_a_group_account_covers_the_counties_of_its_group(engine):
    (group,) = _users(engine, "二组")
    with engine.connect() as conn:
        mining = _campaign(conn, "专项行动")
        shown = campaigns.visible_to(campaigns.get_campaign(conn, mining["id"]), group)
        water = campaigns.visible_to(
            campaigns.get_campaign(conn, _campaign(conn, "大检查大整治")["id"]), group
        )
    assert group.role == "group" and group.group_campaign_id == mining["id"]
    assert {o["county"] for o in shown["objects"]} == {"中宁县"} and len(shown["objects"]) == 3
    assert water["objects"] == [] and water["findings"] == []


def test_a_group_records_and_verifies_in_its_county_and_nowhere_else(engine, tmp_path):
    office, group, other_group, county = _users(engine, "dcs", "二组", "一组", "zn")
    mine = _objects(engine, "中宁县")[0]
    with unit_of_work(engine) as conn:
        finding = work.record_finding(conn, group, mine["id"], problem="越界开采", today=TODAY)
        with pytest.raises(PermissionDenied):
            work.record_finding(conn, group, _objects(engine, "沙坡头区")[0]["id"], problem="x", today=TODAY)
        with pytest.raises(PermissionDenied):
            work.record_finding(conn, other_group, mine["id"], problem="x", today=TODAY)
        with pytest.raises(PermissionDenied):  # a group does not rectify: the responsible unit does
            work.act_on_finding(conn, group, finding, "rectify", today=TODAY)
        photo = work.Evidence("回填.jpg", b"\xff\xd8fill", "image/jpeg")
        work.act_on_finding(
            conn, county, finding, "request_close", today=TODAY, evidence=(photo,), upload_dir=tmp_path
        )
        with pytest.raises(PermissionDenied):
            work.act_on_finding(conn, other_group, finding, "verify", today=TODAY)
        assert work.act_on_finding(conn, group, finding, "verify", today=TODAY) == "已销号"
        with pytest.raises(PermissionDenied):  # 挂牌督办 and credit records stay with the office
            draws.set_supervised(conn, group, finding)
        logged = conn.execute(
            sa.select(change_log.c.actor, change_log.c.action).where(
                change_log.c.entity == "campaign_finding", change_log.c.entity_id == finding
            )
        ).all()
    assert [tuple(r) for r in logged] == [("二组", "record"), ("zn", "request_close"), ("二组", "verify")]


def test_a_group_account_needs_its_group_and_other_accounts_take_none(engine):
    with unit_of_work(engine) as conn, pytest.raises(InvalidInput, match="督查组"):
        add_user(conn, "三组", PASSWORD, "group")
    with unit_of_work(engine) as conn, pytest.raises(InvalidInput, match="督查组"):
        add_user(conn, "领导", PASSWORD, "leader", group_id=1)
    with unit_of_work(engine) as conn, pytest.raises(InvalidInput, match="没有编号为999的督查组"):
        add_user(conn, "三组", PASSWORD, "group", group_id=999)


def _pool_workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["矿产资源执法检查人员名录"])
    sheet.append(["序号", "姓名", "所在单位", "所在县(区)"])
    for n, (name, unit, county) in enumerate(
        [
            ("张一", "市自然资源局", "沙坡头区"),
            ("李二", "采矿公司1", "海原县"),
            ("王三", "市应急管理局", "中宁县"),
            ("赵四", "市生态环境局", "海原县"),
        ],
        start=1,
    ):
        sheet.append([n, name, unit, county])
    sheet.append([5, "", "无名单位", ""])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_draw_takes_inspectors_from_the_pool_avoiding_their_county_and_unit(engine):
    (office,) = _users(engine, "dcs")
    with unit_of_work(engine) as conn:
        campaign_id = _campaign(conn, "专项行动")["id"]
        report = inspectors.import_inspectors(conn, office, campaign_id, _pool_workbook())
        again = inspectors.import_inspectors(conn, office, campaign_id, _pool_workbook())
        inspectors.add_inspector(conn, office, campaign_id, name="钱五", unit="市水务局", county="沙坡头区")
        with pytest.raises(PermissionDenied):
            inspectors.add_inspector(conn, _users(engine, "二组")[0], campaign_id, name="孙六")
        one = draws.make_draw(conn, office, campaign_id, n_objects=5, n_inspectors=2, seed="2022-06")
        two = draws.make_draw(conn, office, campaign_id, n_objects=5, n_inspectors=2, seed="2022-06")
        pool = {i["name"]: i for i in inspectors.list_inspectors(conn, campaign_id)}
        objects = {o["id"]: o for o in campaigns.get_campaign(conn, campaign_id)["objects"]}
        logged = conn.execute(
            sa.select(change_log.c.after)
            .where(change_log.c.action == "draw")
            .order_by(change_log.c.id.desc())
        ).scalar()
    assert (report.created, report.skipped, again.existing) == (
        4,
        ["检查人员表第7行：检查人员姓名不能为空"],
        4,
    )
    assert one["result"] == two["result"] and len(one["result"]) == 5
    assert {r["inspector"] for r in one["result"]} <= set(pool)
    for pair in one["result"]:
        inspector, obj = pool[pair["inspector"]], objects[pair["object_id"]]
        assert inspector["county"] != obj["county"]
        assert inspector["unit"] not in (obj["owner"], obj["industry_unit"])
    assert logged["seed"] == "2022-06" and logged["inputs"]["inspector_pool"] == "执法检查人员库"
    assert {"name": "钱五", "unit": "市水务局", "counties": ["沙坡头区"]} in logged["inputs"]["inspectors"]
    assert logged["inputs"]["avoid_same_unit"] is True and logged["result"] == one["result"]
