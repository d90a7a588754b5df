"""Importing an extraction: what is stored, idempotency, repeal, units, audit, and rollback."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
import sqlalchemy as sa

from taizhang.errors import GazetteFormatError, SourceError
from taizhang.extract.extraction import Extraction
from taizhang.extract.model import Deadline, Document, Task
from taizhang.extract.spans import SourceText, Span
from taizhang.services.database import open_database, unit_of_work
from taizhang.services.import_issue import import_file, store_extraction
from taizhang.sources import read_source
from taizhang.storage import tables as t
from tests.conftest import GAZETTE, fresh_database_url
from tests.utils.extraction_from_gold import gold_extraction, small_directory

TABLES = (
    "issues",
    "documents",
    "units",
    "unit_aliases",
    "unit_members",
    "tasks",
    "assignments",
    "reporting_cycles",
    "change_log",
)


def counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            name: conn.execute(sa.select(sa.func.count()).select_from(t.metadata.tables[name])).scalar()
            for name in TABLES
        }


@pytest.fixture
def engine(db_url):
    engine = open_database(db_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def gold_ex():
    return gold_extraction()


def store(engine, source, extraction, directory=None):
    with unit_of_work(engine) as conn:
        return store_extraction(conn, source, extraction, directory=directory or small_directory())


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def imported(request, tmp_path_factory):
    """The gold extraction imported once per database, for tests that only read."""
    with fresh_database_url(request.param, tmp_path_factory.mktemp("imp")) as url:
        engine = open_database(url)
        result = store(engine, read_source(GAZETTE), gold_extraction())
        yield engine, result
        engine.dispose()


def test_gold_import_stores_every_document_and_task(imported, gazette_source, gold_ex):
    engine, result = imported
    assert (result.documents, result.tasks, result.already_imported) == (12, 107, False)
    with engine.connect() as conn:
        issue = conn.execute(sa.select(t.issues)).one()
        assert (issue.title, issue.year, issue.number, issue.cumulative_number) == (
            "中卫市人民政府公报",
            2022,
            2,
            16,
        )
        assert issue.source_text.split("\n")[215] == gazette_source.line(216)
        docs = conn.execute(
            sa.select(t.documents).where(t.documents.c.issue_id.is_not(None)).order_by(t.documents.c.position)
        ).all()
        assert [d.doc_number for d in docs] == [d.doc_number for d in gold_ex.documents]
        assert all(d.status == "有效" and d.is_public for d in docs)
        statuses = dict(
            conn.execute(sa.select(t.tasks.c.status, sa.func.count()).group_by(t.tasks.c.status)).all()
        )
        assert statuses == {"长期坚持": 5, "未开始": 102}
        task = conn.execute(sa.select(t.tasks).where(t.tasks.c.line == 216)).one()
        assert (task.title, task.due_on, task.deadline_kind, task.label) == (
            "加快典型案例整改",
            date(2022, 12, 31),
            "date",
            "(一)",
        )
        roles = conn.execute(
            sa.select(t.assignments.c.role, t.assignments.c.printed)
            .where(t.assignments.c.task_id == task.id)
            .order_by(t.assignments.c.position)
        ).all()
        assert [tuple(r) for r in roles] == [
            ("lead", "中卫工业园区管委会"),
            ("responsible", "市工业和信息化局"),
            ("responsible", "市生态环境局"),
        ]


def test_alias_and_group_names_resolve_to_directory_units(imported):
    engine, _ = imported
    with engine.connect() as conn:
        unit_of = (
            sa.select(t.units.c.name).join(t.assignments).where(t.assignments.c.printed == sa.bindparam("p"))
        )
        assert set(conn.execute(unit_of, {"p": "市卫生健康委"}).scalars()) == {"市卫生健康委员会"}
        assert set(conn.execute(unit_of, {"p": "各县(区)人民政府"}).scalars()) == {"各县(区)"}
        group = conn.execute(sa.select(t.units.c.id).where(t.units.c.name == "各县(区)")).scalar()
        members = conn.execute(
            sa.select(t.units.c.name)
            .join(t.unit_members, t.unit_members.c.member_id == t.units.c.id)
            .where(t.unit_members.c.group_id == group)
        ).scalars()
        assert sorted(members) == sorted(["沙坡头区", "中宁县", "海原县"])


def test_unknown_units_are_kept_unverified_and_their_tasks_flagged(imported):
    engine, _ = imported
    with engine.connect() as conn:
        verified = conn.execute(
            sa.select(t.units.c.verified).where(t.units.c.name == "应理集团")
        ).scalar_one()
        task = conn.execute(sa.select(t.tasks).where(t.tasks.c.line == 145)).one()
    assert verified is False
    assert task.needs_review is True
    assert {
        "kind": "unknown_unit",
        "line": 145,
        "message": "单位不在单位库中：应理集团",
        "doc_number": "卫政发〔2022〕15号",
    } in task.review_notes


def test_importing_the_same_issue_again_changes_nothing(engine, gazette_source, gold_ex):
    first = store(engine, gazette_source, gold_ex)
    before = counts(engine)
    again = store(engine, gazette_source, gold_ex)
    assert again.already_imported and again.issue_id == first.issue_id
    assert counts(engine) == before


def test_same_tasks_in_another_issue_are_not_duplicated(engine, gazette_source, gold_ex):
    store(engine, gazette_source, gold_ex)
    other = SourceText("reprint.txt", (*gazette_source.lines, "(转载)"))
    result = store(engine, other, gold_ex)
    assert (result.already_imported, result.documents, result.tasks, result.tasks_skipped) == (
        False,
        0,
        0,
        107,
    )
    assert counts(engine)["tasks"] == 107


def test_repeal_decision_marks_the_listed_documents_repealed(imported):
    engine, result = imported
    assert result.repealed == [
        "卫政发〔2005〕96号",
        "卫政发〔2012〕253号",
        "卫政办发〔2014〕87号",
        "卫政办发〔2017〕103号",
    ]
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(t.documents).where(t.documents.c.status == "废止").order_by(t.documents.c.id)
        ).all()
    assert [(r.doc_number, r.issue_id, r.line_start) for r in rows] == [
        ("卫政发〔2005〕96号", None, 179),
        ("卫政发〔2012〕253号", None, 180),
        ("卫政办发〔2014〕87号", None, 181),
        ("卫政办发〔2017〕103号", None, 182),
    ]
    assert rows[1].title == "中卫市国土资源违法行为报告办法"
    assert (
        rows[0].status_reason
        == "卫政规发〔2022〕1号《中卫市人民政府关于废止市人民政府行政规范性文件的决定》决定废止"
    )


def test_every_created_record_is_in_the_change_log(imported):
    engine, _ = imported
    with engine.connect() as conn:
        logged = dict(
            conn.execute(
                sa.select(t.change_log.c.entity, sa.func.count())
                .where(t.change_log.c.actor == "import", t.change_log.c.action == "create")
                .group_by(t.change_log.c.entity)
            ).all()
        )
    stored = counts(engine)
    mine = ("issue", "document", "unit", "unit_alias", "unit_member", "task", "assignment")
    # other services called by the import (indicators) log their own entities too
    assert {k: logged.get(k) for k in mine} == {
        "issue": 1,
        "document": stored["documents"],
        "unit": stored["units"],
        "unit_alias": stored["unit_aliases"],
        "unit_member": stored["unit_members"],
        "task": stored["tasks"],
        "assignment": stored["assignments"],
    }


def _doc(number: str, start: int, end: int, **kw) -> Document:
    return Document(doc_number=number, title=f"关于{number}的通知", span=Span(start, end), **kw)


SMALL = SourceText.from_string("small.txt", "\n".join(f"第{n}行" for n in range(1, 21)))


def test_a_failure_in_the_middle_leaves_the_database_unchanged(engine, gazette_source, gold_ex):
    store(engine, gazette_source, gold_ex)
    before = counts(engine)
    # documents and units are written before the task that names a document nobody extracted
    broken = Extraction(
        source="small.txt",
        issue=None,
        documents=(_doc("卫政办发〔2023〕1号", 1, 10), _doc("卫政办发〔2023〕2号", 11, 20)),
        tasks=(
            Task("卫政办发〔2023〕1号", "text", "(一)", "甲", responsible=("新单位",), line=3),
            Task("卫政办发〔2099〕9号", "text", "(二)", "乙", responsible=("市财政局",), line=12),
        ),
    )
    with pytest.raises(GazetteFormatError, match=r"small.txt:12: .*卫政办发〔2099〕9号"):
        store(engine, SMALL, broken)
    assert counts(engine) == before


def test_an_extraction_without_documents_is_refused(engine):
    with pytest.raises(GazetteFormatError, match="没有找到任何文件"):
        store(engine, SMALL, Extraction(source="small.txt", issue=None, documents=()))
    assert counts(engine)["issues"] == 0


def test_recurring_duties_become_reporting_cycles(engine):
    monthly = Deadline(kind="recurring", recurrence="monthly:25", text="每月25日前")
    extraction = Extraction(
        source="small.txt",
        issue=None,
        documents=(_doc("卫政办发〔2023〕1号", 1, 20),),
        tasks=(
            Task(
                "卫政办发〔2023〕1号",
                "text",
                "1.",
                "报送进展台账",
                responsible=("市财政局",),
                deadline_text="每月25日前",
                deadline=monthly,
                line=5,
            ),
        ),
    )
    store(engine, SMALL, extraction)
    with engine.connect() as conn:
        cycle = conn.execute(sa.select(t.reporting_cycles)).one()
        task = conn.execute(sa.select(t.tasks)).one()
    assert (cycle.rule, cycle.task_id, cycle.line, task.recurrence, task.status) == (
        "monthly:25",
        task.id,
        5,
        "monthly:25",
        "未开始",
    )


def test_a_task_without_units_is_flagged(engine):
    extraction = Extraction(
        source="small.txt",
        issue=None,
        documents=(_doc("卫政办发〔2023〕1号", 1, 20),),
        tasks=(Task("卫政办发〔2023〕1号", "text", "1.", "无人负责", line=5),),
    )
    store(engine, SMALL, extraction)
    with engine.connect() as conn:
        task = conn.execute(sa.select(t.tasks)).one()
    assert task.needs_review and [n["kind"] for n in task.review_notes] == ["no_assignment"]


def test_document_flags_become_review_items(engine):
    from taizhang.extract.model import Flag

    flag = Flag("missing_field", 2, "no 成文日期 found", "卫政办发〔2023〕1号")
    extraction = Extraction(
        source="small.txt",
        issue=None,
        documents=(_doc("卫政办发〔2023〕1号", 1, 20, flags=(flag,), publication="此件不予公开"),),
    )
    result = store(engine, SMALL, extraction)
    with engine.connect() as conn:
        doc = conn.execute(sa.select(t.documents)).one()
    assert (result.review_items, doc.needs_review, doc.is_public) == (1, True, False)
    assert doc.review_notes == [
        {
            "kind": "missing_field",
            "line": 2,
            "message": "no 成文日期 found",
            "doc_number": "卫政办发〔2023〕1号",
        }
    ]


def test_a_document_known_by_citation_gets_its_text_when_imported(engine, gazette_source, gold_ex):
    store(engine, gazette_source, gold_ex)
    repealed = replace(_doc("卫政发〔2012〕253号", 1, 20), title="中卫市国土资源违法行为报告办法")
    store(engine, SMALL, Extraction(source="small.txt", issue=None, documents=(repealed,)))
    with engine.connect() as conn:
        row = conn.execute(
            sa.select(t.documents).where(t.documents.c.doc_number == "卫政发〔2012〕253号")
        ).one()
    assert (row.issue_id is not None, row.status, row.line_end) == (True, "废止", 20)


def test_import_file_refuses_an_empty_file_and_stores_nothing(engine, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"  \n")
    with pytest.raises(SourceError, match="empty.txt: 文件是空的"):
        import_file(engine, empty)
    assert counts(engine)["issues"] == 0


def test_import_file_reports_its_stages(sqlite_url, gazette_path, gazette_extraction):
    if not gazette_extraction.documents:
        pytest.skip("the extractor finds no document in the bundled gazette yet")
    engine = open_database(sqlite_url)
    stages: list[str] = []
    result = import_file(engine, gazette_path, progress=lambda stage, done, total: stages.append(stage))
    assert list(dict.fromkeys(stages)) == ["read", "extract", "store documents", "store tasks"]
    assert result.documents == len(gazette_extraction.documents)
    assert import_file(engine, gazette_path).already_imported


def test_a_documents_periodic_reporting_duty_becomes_its_reporting_cycle(imported, gazette_source):
    engine, _ = imported
    with engine.connect() as conn:
        cycles = conn.execute(
            sa.select(
                t.reporting_cycles.c.rule,
                t.reporting_cycles.c.line,
                t.documents.c.doc_number,
                t.reporting_cycles.c.task_id,
            ).join(t.documents, t.documents.c.id == t.reporting_cycles.c.document_id)
        ).all()
    # 每月通报 (line 1066, the office publishing) and 每季度召开 (meetings) are no reporting duties
    assert [tuple(c) for c in cycles] == [("monthly:25", 1269, "卫政办发〔2022〕29号", None)]
    assert "每月25日前" in gazette_source.line(1269)


def test_a_gazette_repeated_three_times_in_one_file_is_stored_once(sqlite_url, gazette_path, tmp_path):
    tripled = tmp_path / "tripled.txt"
    text = gazette_path.read_text(encoding="utf-8")
    tripled.write_text(f"{text}\n{text}\n{text}", encoding="utf-8")
    once, thrice = open_database(sqlite_url), open_database(f"sqlite:///{tmp_path / 'thrice.db'}")
    single = import_file(once, gazette_path)
    repeated = import_file(thrice, tripled)
    assert (repeated.documents, repeated.tasks, repeated.repeated_documents) == (
        single.documents,
        single.tasks,
        2 * single.documents,
    )
    assert {k: v for k, v in counts(thrice).items() if k != "change_log"} == {
        k: v for k, v in counts(once).items() if k != "change_log"
    }


def test_extraction_reports_documents_done_out_of_total(sqlite_url, gazette_path):
    calls: list[tuple[int, int]] = []
    import_file(
        open_database(sqlite_url),
        gazette_path,
        progress=lambda stage, done, total: calls.append((done, total)) if stage == "extract" else None,
    )
    assert calls[1:] == [(n, calls[-1][1]) for n in range(1, calls[-1][1] + 1)] and calls[-1][1] >= 12
