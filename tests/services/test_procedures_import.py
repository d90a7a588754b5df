"""Importing the bundled gazette fills the decision catalogue, people and posts, and the registry."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from taizhang.extract import extract
from taizhang.extract.spans import SourceText
from taizhang.services import decisions, people, registry
from taizhang.services.consultations import ruleset
from taizhang.services.database import unit_of_work
from taizhang.services.import_issue import store_extraction
from taizhang.storage import tables as t
from taizhang.storage import tables_procedures as p
from tests.conftest import fresh_database_url

from .gazette_ledger import copy_of, imported_engine

REPEALED = ["卫政发〔2005〕96号", "卫政发〔2012〕253号", "卫政办发〔2014〕87号", "卫政办发〔2017〕103号"]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def ledger(request, tmp_path_factory):
    """The gazette imported once per database, for tests that only read."""
    with fresh_database_url(request.param, tmp_path_factory.mktemp("procedures")) as url:
        engine = imported_engine(url)
        yield engine
        engine.dispose()


@pytest.fixture
def writable(gazette_template, tmp_path):
    engine = copy_of(gazette_template, tmp_path / "ledger.db")
    yield engine
    engine.dispose()


def test_the_catalogue_holds_the_nine_decisions_of_15_with_their_units(ledger):
    with ledger.connect() as conn:
        items = decisions.list_decisions(conn)
    assert [(d["label"], [u["name"] for u in d["units"]]) for d in items] == [
        ("1", ["市教育局"]),
        ("2", ["市教育局"]),
        ("3", ["市旅游和文化体育广电局"]),
        ("4", ["市旅游和文化体育广电局"]),
        ("5", ["市交通运输局"]),
        ("6", ["市住房城乡建设局", "市财政局", "市自然资源局", "应理集团"]),
        ("7", ["市自然资源局", "市住房城乡建设局"]),
        ("8", ["市住房城乡建设局"]),
        ("9", ["市自然资源局"]),
    ]
    assert {d["doc_number"] for d in items} == {"卫政发〔2022〕15号"}
    assert all(d["task_id"] for d in items)  # each row is also a task of the ledger
    assert [s["procedure"] for s in items[0]["steps"]] == [
        "公众参与",
        "专家论证",
        "风险评估",
        "合法性审查",
        "集体讨论决定",
    ]
    assert {d["stage"] for d in items} == {"待公众参与"}


def test_fourteen_people_with_their_division_of_work_and_the_four_ab_pairs(ledger):
    with ledger.connect() as conn:
        found = {person["name"]: person for person in people.list_people(conn)}
        pairs = people.backup_pairs(conn)
    assert len(found) == 14
    assert pairs == [("刘明", "李长海"), ("王秀娟", "田力"), ("金钟河", "王立明"), ("雍跃斌", "陆升")]
    duties = {(d["kind"], d["area"], d["unit"]) for d in found["雍跃斌"]["duties"]}
    assert ("分管", "督查科(政府督查室)", None) in duties
    assert ("联系", "生态环境", "市生态环境局") in duties
    assert ("联系", "发展改革", "市发展改革委") in duties
    assert {(d["kind"], d["area"]) for d in found["王立明"]["duties"]} >= {
        ("协助分管", "研究室"),
        ("协助分管", "秘书一科"),
    }
    assert found["陆升"]["backup"] == "雍跃斌" and found["陆升"]["backup_line"] == 1351


def test_the_registry_marks_the_four_documents_repealed_by_1_both_ways(ledger):
    with ledger.connect() as conn:
        repealed = registry.list_registry(conn, status="废止")
        decision = registry.registry_entry(conn, "卫政规发〔2022〕1号")
        everything = registry.list_registry(conn)
    assert sorted(r["doc_number"] for r in repealed) == sorted(REPEALED)
    assert {link["doc_number"] for r in repealed for link in r["changed_by"]} == {"卫政规发〔2022〕1号"}
    assert [(c["doc_number"], c["relation"]) for c in decision["changes"]] == [(n, "废止") for n in REPEALED]
    assert {r["doc_number"]: r["status"] for r in everything}["卫政规发〔2022〕1号"] == "有效"
    with ledger.connect() as conn:
        assert [r["doc_number"] for r in registry.list_registry(conn, year=2012)] == ["卫政发〔2012〕253号"]


def test_the_consultation_rules_of_35_are_in_force(ledger):
    with ledger.connect() as conn:
        rules = ruleset(conn)
    assert (rules["panel_min"].citation, rules["panel_min"].param("min")) == (
        "卫政办发〔2022〕35号第十三条",
        5,
    )
    assert rules["application_window"].statement == "须提前3—10个工作日以书面形式申请咨询论证"


def test_every_stored_record_is_in_the_change_log(ledger):
    with ledger.connect() as conn:
        entities = dict(
            conn.execute(
                sa.select(t.change_log.c.entity, sa.func.count()).group_by(t.change_log.c.entity)
            ).all()
        )
    assert entities["decision"] == 9 and entities["person"] >= 14
    assert entities["document_link"] == 4 and entities["normative_document"] == 6
    assert entities["consultation_rule"] == 16


def test_the_same_catalogue_printed_in_another_issue_is_not_stored_twice(writable, gazette_source):
    reprint = SourceText("reprint.txt", (*gazette_source.lines, "(转载)"))
    with unit_of_work(writable) as conn:
        store_extraction(conn, reprint, extract(reprint))
    with writable.connect() as conn:
        counts = [
            conn.execute(sa.select(sa.func.count()).select_from(table)).scalar()
            for table in (p.decision_items, p.people, p.person_duties, p.document_links, p.consultation_rules)
        ]
    assert counts[:2] == [9, 14] and counts[3:] == [4, 16]


LATER_REPEAL = """\
中卫市人民政府

关于废止《2022年中卫市法治政府建设工作要点》的决定

卫政规发〔2022〕9号

各县(区)人民政府，市政府各部门、直属机构：

经市人民政府研究，决定废止《2022年中卫市法治政府建设工作要点》(卫政办发〔2022〕24号)。

中卫市人民政府

2022年11月30日
"""


def test_a_later_repeal_updates_the_registry_and_flags_the_open_tasks(writable):
    with writable.begin() as conn:
        doc_id = conn.execute(
            sa.select(t.documents.c.id).where(t.documents.c.doc_number == "卫政办发〔2022〕24号")
        ).scalar()
        done = conn.execute(sa.select(t.tasks.c.id).where(t.tasks.c.document_id == doc_id).limit(1)).scalar()
        conn.execute(t.tasks.update().where(t.tasks.c.id == done).values(status="已完成"))
    source = SourceText.from_string("later.txt", LATER_REPEAL)
    with unit_of_work(writable) as conn:
        result = store_extraction(conn, source, extract(source))
    assert result.repealed == ["卫政办发〔2022〕24号"]
    with writable.connect() as conn:
        entry = registry.registry_entry(conn, "卫政办发〔2022〕24号")
        rows = conn.execute(sa.select(t.tasks).where(t.tasks.c.document_id == doc_id)).all()
    assert (entry["status"], [c["doc_number"] for c in entry["changed_by"]]) == (
        "废止",
        ["卫政规发〔2022〕9号"],
    )
    flagged = [r for r in rows if any(n["kind"] == "document_repealed" for n in r.review_notes)]
    assert len(flagged) == len(rows) - 1 and all(r.needs_review for r in flagged)
    assert done not in {r.id for r in flagged}
    assert "所属文件已废止" in flagged[0].review_notes[-1]["message"]


def test_a_document_repealed_by_two_decisions_of_one_input_is_reported_once(writable):
    """Two decisions in one input repeal the same document: the import names it once, not per decision."""
    second = LATER_REPEAL.replace("卫政规发〔2022〕9号", "卫政规发〔2022〕10号").replace(
        "11月30日", "12月1日"
    )
    source = SourceText.from_string("two-repeals.txt", LATER_REPEAL + "\n" + second)
    with unit_of_work(writable) as conn:
        result = store_extraction(conn, source, extract(source))
    assert result.documents == 2
    assert result.repealed == ["卫政办发〔2022〕24号"]
    with writable.connect() as conn:
        entry = registry.registry_entry(conn, "卫政办发〔2022〕24号")
    assert sorted(c["doc_number"] for c in entry["changed_by"]) == [
        "卫政规发〔2022〕10号",
        "卫政规发〔2022〕9号",
    ]


def test_a_status_change_by_hand_needs_a_known_document_and_a_reason(writable):
    from taizhang.errors import InvalidInput, NotFound

    with unit_of_work(writable) as conn:
        with pytest.raises(NotFound, match="没有文号或编号为“卫政发〔1999〕1号”的文件"):
            registry.change_status(conn, "office", "卫政发〔1999〕1号", "失效", reason="到期")
        with pytest.raises(InvalidInput, match="须填写理由"):
            registry.change_status(conn, "office", "卫政办发〔2022〕35号", "修订")
        entry = registry.change_status(
            conn, "office", "卫政办发〔2022〕35号", "修订", by="卫政规发〔2022〕1号"
        )
    assert (entry["status"], [c["doc_number"] for c in entry["changed_by"]]) == (
        "修订",
        ["卫政规发〔2022〕1号"],
    )
