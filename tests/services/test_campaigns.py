"""Campaigns in the ledger: stored at import, objects from a workbook, findings rectified and closed
(整改销号) with evidence, credit repair, progress and the three lists, the random draw."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from taizhang.errors import InvalidInput, InvalidTransition, PermissionDenied
from taizhang.services import campaign_clocks as clocks
from taizhang.services import campaign_draws as draws
from taizhang.services import campaign_scope, campaigns
from taizhang.services import campaign_work as work
from taizhang.services.accounts import add_user, get_user
from taizhang.services.database import open_database, unit_of_work
from taizhang.services.import_issue import import_file
from taizhang.storage.tables import change_log
from tests.conftest import GAZETTE

TODAY = date(2022, 5, 20)
COUNTIES = ("沙坡头区", "中宁县", "海原县")


def mines_workbook(count: int = 20) -> bytes:
    """A workbook of mines in the column layout offices keep: 序号, 矿山名称, 县(区), 类型, 采矿权人, 代码, 行业主管部门."""
    book = Workbook()
    sheet = book.active
    sheet.append(["中卫市矿山名单"])
    sheet.append(
        ["序号", "矿山名称", "所在县(区)", "矿种类型", "采矿权人", "统一社会信用代码", "行业主管部门"]
    )
    for n in range(1, count + 1):
        sheet.append(
            [
                n,
                f"第{n}号砂石矿",
                COUNTIES[n % 3],
                "砂石",
                f"采矿公司{n}",
                f"91640500MA7{n:07d}",
                "市自然资源局",
            ]
        )
    out = BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    engine = open_database(f"sqlite:///{tmp_path_factory.mktemp('campaigns') / 'ledger.db'}")
    import_file(engine, GAZETTE, city="中卫市")
    with unit_of_work(engine) as conn:
        for name, role, unit in (
            ("dcs", "office", None),
            ("zrzy", "unit", "市自然资源局"),
            ("zn", "unit", "中宁县"),
            ("spt", "unit", "沙坡头区"),
        ):
            add_user(conn, name, "correct horse battery", role, unit)
    yield engine
    engine.dispose()


def _user(engine, name):
    with engine.connect() as conn:
        uid = conn.execute(sa.text("select id from users where name = :n"), {"n": name}).scalar()
        return get_user(conn, uid)


def _mining(engine) -> dict:
    with engine.connect() as conn:
        return next(c for c in campaigns.list_campaigns(conn) if c["title"].startswith("中卫市矿产资源"))


def test_import_stores_the_gazette_campaigns_with_groups_milestones_and_check_items(engine):
    with engine.connect() as conn:
        found = campaigns.list_campaigns(conn)
    assert [(c["doc_number"], c["kind"]) for c in found] == [
        ("卫政办发〔2022〕6号", "排查整治"),
        ("卫政办发〔2022〕44号", "专项行动"),
        ("卫政办发〔2022〕44号", "大检查大整治"),
        ("卫政办发〔2022〕36号", "日常监管"),
    ]
    mining = found[1]
    assert [(g["name"], g["counties"], g["leader"]) for g in mining["groups"]] == [
        ("第一督查组", ["沙坡头区"], "祁少波"),
        ("第二督查组", ["中宁县"], "王东山"),
        ("第三督查组", ["海原县"], "王东山"),
    ]
    assert [m["due"] for m in mining["milestones"]] == ["2022-05-31", "2022-06-30"]
    assert len(mining["check_items"]) == 10 and found[2]["check_items"][0]["title"] == "安全生产责任落实情况"
    assert all(c["is_public"] for c in found)


def test_a_campaign_without_a_group_list_covers_the_counties_its_text_names(engine):
    # the water campaign prints its groups as 督导组(略) but sends them 进驻各县(区); 各县(区) is a
    # group of the directory whose members are the counties
    with engine.connect() as conn:
        found = {c["title"]: c for c in campaigns.list_campaigns(conn)}
        named = campaign_scope.counties_named(conn, "由海原县牵头，会同中宁县政府")
        none = campaign_scope.counties_named(conn, "市水务局组织检查")
    assert found["中卫市水利工程质量安全大检查大整治行动方案"]["counties"] == list(COUNTIES)
    assert found["中卫市矿产资源开采治理整顿工作方案"]["counties"] == list(COUNTIES)
    assert (named, none) == (["海原县", "中宁县"], [])


def test_a_finding_is_recorded_with_a_photo_of_what_was_found(engine, tmp_path):
    office = group = _user(engine, "dcs")
    with engine.connect() as conn:
        campaign_id = next(c["id"] for c in campaigns.list_campaigns(conn) if c["kind"] == "大检查大整治")
    photo = work.Evidence("渗漏现场.jpg", b"\xff\xd8found", "image/jpeg")
    with unit_of_work(engine) as conn:
        object_id, _ = work.add_object(conn, office, campaign_id, name="拍照蓄水池", county="海原县")
        finding = work.record_finding(
            conn, group, object_id, problem="坝体渗漏", today=TODAY, evidence=(photo,), upload_dir=tmp_path
        )
        row = work.finding_row(conn, finding)
        with pytest.raises(InvalidInput, match="不属于专项行动"):
            work.record_finding(conn, group, object_id, problem="x", today=TODAY, campaign_id=campaign_id + 1)
    assert [(e["filename"], e["state"]) for e in row.evidence] == [("渗漏现场.jpg", "待整改")]
    assert (tmp_path / __import__("hashlib").sha256(b"\xff\xd8found").hexdigest()).exists()


def test_twenty_mines_two_findings_one_closed_with_a_photo(engine, tmp_path):
    office, group, county = _user(engine, "dcs"), _user(engine, "zrzy"), _user(engine, "zn")
    campaign_id = _mining(engine)["id"]
    with unit_of_work(engine) as conn:
        report = work.import_objects(conn, office, campaign_id, mines_workbook())
    assert (report.created, report.skipped) == (20, [])
    with unit_of_work(engine) as conn:
        again = work.import_objects(conn, office, campaign_id, mines_workbook())
        objects = campaigns.get_campaign(conn, campaign_id)["objects"]
        check = campaigns.get_campaign(conn, campaign_id)["check_items"][1]["id"]
    assert again.existing == 20 and again.created == 0
    zhongning = [o for o in objects if o["county"] == "中宁县"]
    with unit_of_work(engine) as conn:
        first = work.record_finding(
            conn,
            group,
            zhongning[0]["id"],
            problem="未按恢复治理方案治理",
            today=TODAY,
            check_item_id=check,
            severity="较大",
            measures="限期恢复治理",
            due_on=date(2022, 6, 30),
        )
        second = work.record_finding(
            conn, group, zhongning[1]["id"], problem="越界开采", today=TODAY, severity="重大"
        )
        draws.add_credit_record(
            conn, office, first, kind="失信", basis="《矿产资源法》第三十九条", today=TODAY, public=True
        )
    with unit_of_work(engine) as conn, pytest.raises(InvalidInput):
        work.act_on_finding(conn, county, first, "request_close", today=TODAY, upload_dir=tmp_path)
    with unit_of_work(engine) as conn:
        work.act_on_finding(conn, county, first, "rectify", today=TODAY, note="已复绿", upload_dir=tmp_path)
        photo = work.Evidence("现场.jpg", b"\xff\xd8photo", "image/jpeg")
        assert (
            work.act_on_finding(
                conn, county, first, "request_close", today=TODAY, evidence=(photo,), upload_dir=tmp_path
            )
            == "申请销号"
        )
    with unit_of_work(engine) as conn, pytest.raises(PermissionDenied):
        work.act_on_finding(conn, _user(engine, "spt"), first, "verify", today=TODAY)
    with unit_of_work(engine) as conn:
        assert work.act_on_finding(conn, group, first, "verify", today=date(2022, 6, 1)) == "已销号"
    with unit_of_work(engine) as conn, pytest.raises(InvalidTransition):
        work.act_on_finding(conn, group, first, "verify", today=TODAY)
    with engine.connect() as conn:
        progress = campaigns.campaign_progress(conn, campaign_id)
        lists = campaigns.three_lists(conn, campaign_id)
        credit = conn.execute(sa.text("select repaired_on from credit_records")).scalar()
        logged = conn.execute(
            sa.select(sa.func.count())
            .select_from(change_log)
            .where(change_log.c.entity == "campaign_finding", change_log.c.entity_id.in_([first, second]))
        ).scalar()
    assert progress["total"] == {
        "objects": 20,
        "inspected": 2,
        "findings": 2,
        "rectified": 1,
        "closed": 1,
        "close_rate": 0.5,
    }
    assert {c["county"]: c["closed"] for c in progress["by_county"]}["中宁县"] == 1
    assert [g["findings"] for g in progress["by_group"]] == [0, 2, 0]
    assert [r["supervised"] for r in lists["问题清单"]] == [False, True]
    assert lists["责任清单"][0]["unit_name"] == "中宁县" and lists["整改清单"][0]["state"] == "已销号"
    assert str(credit) == "2022-06-01" and logged == 5
    assert (tmp_path / __import__("hashlib").sha256(b"\xff\xd8photo").hexdigest()).exists()
    assert second


def test_a_bad_workbook_is_refused_in_chinese_and_bad_rows_are_named(engine):
    office = _user(engine, "dcs")
    campaign_id = _mining(engine)["id"]
    with unit_of_work(engine) as conn, pytest.raises(InvalidInput, match="不是有效的 Excel"):
        work.import_objects(conn, office, campaign_id, b"not a workbook")
    book = Workbook()
    book.active.append(["矿山名称", "县(区)", "统一社会信用代码"])
    book.active.append(["坏代码矿", "海原县", "123"])
    out = BytesIO()
    book.save(out)
    with unit_of_work(engine) as conn:
        report = work.import_objects(conn, office, campaign_id, out.getvalue())
    assert report.created == 0 and report.skipped[0].startswith("检查对象表第2行：统一社会信用代码")


def test_a_unit_may_not_import_objects(engine):
    with unit_of_work(engine) as conn, pytest.raises(PermissionDenied):
        work.import_objects(conn, _user(engine, "zn"), _mining(engine)["id"], mines_workbook(2))


def test_a_draw_is_reproducible_recorded_and_avoids_own_county(engine):
    office = _user(engine, "dcs")
    campaign_id = _mining(engine)["id"]
    with unit_of_work(engine) as conn:
        if not campaigns.get_campaign(conn, campaign_id)["objects"]:
            work.import_objects(conn, office, campaign_id, mines_workbook())
        one = draws.make_draw(conn, office, campaign_id, n_objects=5, n_inspectors=2, seed="2022-05")
        two = draws.make_draw(conn, office, campaign_id, n_objects=5, n_inspectors=2, seed="2022-05")
        logged = (
            conn.execute(sa.select(change_log.c.after).where(change_log.c.action == "draw")).scalars().all()
        )
    assert one["result"] == two["result"] and len(one["result"]) == 5
    assert all(r["county"] not in r["inspector_counties"] for r in one["result"])
    assert len({r["inspector"] for r in one["result"]}) == 2
    assert logged[-1]["seed"] == "2022-05" and logged[-1]["inputs"]["n_objects"] == 5


def test_the_elderly_care_document_is_a_supervision_campaign_whose_clocks_count_working_days(engine):
    office, county = _user(engine, "dcs"), _user(engine, "zn")
    with engine.connect() as conn:
        care = next(c for c in campaigns.list_campaigns(conn) if c["kind"] == "日常监管")
    assert care["doc_number"] == "卫政办发〔2022〕36号" and care["object_kinds"] == ["养老机构"]
    assert [(k["after"], k["days"], k["name"]) for k in care["clocks"]][:2] == [
        ("收住老年人", 10, "备案"),
        ("备案", 20, "现场检查"),
    ]
    with unit_of_work(engine) as conn:
        home, _ = work.add_object(conn, office, care["id"], name="某养老院", county="中宁县", kind="养老机构")
        clocks.record_event(conn, county, home, "收住老年人", date(2022, 9, 28))
        with pytest.raises(InvalidInput, match="不是本项工作计时的事项"):
            clocks.record_event(conn, county, home, "开业", date(2022, 9, 28))
    with engine.connect() as conn:
        late = clocks.object_clocks(conn, care["id"], date(2022, 10, 18))[home]
        soon = clocks.object_clocks(conn, care["id"], date(2022, 10, 12))[home]
    assert [(k["name"], k["due"], k["colour"]) for k in late] == [("备案", date(2022, 10, 17), "red")]
    assert [k["colour"] for k in soon] == ["yellow"]
    with unit_of_work(engine) as conn:
        clocks.record_event(conn, county, home, "备案", date(2022, 10, 14))
    with engine.connect() as conn:
        running = clocks.object_clocks(conn, care["id"], date(2022, 10, 18))[home]
    assert [(k["name"], k["colour"]) for k in running] == [("备案", "green"), ("现场检查", "green")]
    assert running[1]["due"] == date(2022, 11, 11)
    with unit_of_work(engine) as conn, pytest.raises(PermissionDenied):
        clocks.record_event(conn, _user(engine, "spt"), home, "备案", date(2022, 10, 14))
