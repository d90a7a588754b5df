"""Importing an Excel ledger the office keeps: header found by name, one bad row refuses it all."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from taizhang.errors import InvalidInput, PermissionDenied
from taizhang.export.xlsx import write_ledger
from taizhang.services import intake
from taizhang.services.database import open_database, unit_of_work
from taizhang.services.ledger_import import classify, import_ledger, read_ledger
from taizhang.services.queries import TaskFilter, list_tasks

from .conftest import build_ledger

TODAY = date(2023, 5, 8)


def office_workbook(rows: list[list], *, two_row_header: bool = False) -> bytes:
    """A ledger as offices type it: a title row, a merged header, 序号, dates as text, a category row."""
    book = Workbook()
    sheet = book.active
    sheet.title = "重点任务"
    sheet.append(["2023年医改重点任务台账"])
    sheet.merge_cells("A1:F1")
    if two_row_header:
        sheet.append(["序号", "重点任务", "责任单位", None, "完成时限", "备注"])
        sheet.append([None, None, "牵头单位", "配合单位", None, None])
        sheet.merge_cells("C2:D2")
        for column in "ABEF":
            sheet.merge_cells(f"{column}2:{column}3")
    else:
        sheet.append(["序号", "工作任务", "牵头单位", "配合单位", "完成时限", "备注"])
    sheet.append(["一、体制机制"])
    sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=6)
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


GOOD = [
    [1, "推进分级诊疗制度建设", "市卫生健康委员会", "市医保局、各县(区)", "2023年6月底前", ""],
    [2, "深化医保支付方式改革", "市医保局", "市卫生健康委", "长期坚持", "重点"],
    [3, "按月报送改革进展", "市卫生健康委", "", "每月25日前", ""],
    [4, "出台实施方案", "市医保局", "", datetime(2023, 9, 30), ""],
]


def _tasks(engine) -> list[dict]:
    with engine.connect() as conn:
        return list_tasks(conn, TaskFilter(limit=None)).items


def _import(ledger, data: bytes, **kw):
    with unit_of_work(ledger.engine) as conn:
        return import_ledger(conn, ledger.users["office"], data, today=TODAY, label="台账.xlsx", **kw)


@pytest.mark.parametrize("two_rows", [False, True])
def test_an_office_workbook_gives_the_right_tasks(sqlite_ledger, two_rows):
    before = {t["id"] for t in _tasks(sqlite_ledger.engine)}
    result = _import(sqlite_ledger, office_workbook(GOOD, two_row_header=two_rows))
    assert (result.created, result.skipped) == (4, 0)
    new = {t["title"]: t for t in _tasks(sqlite_ledger.engine) if t["id"] not in before}
    first = new["推进分级诊疗制度建设"]
    assert first["due_on"] == date(2023, 6, 30) and first["label"] == "1"
    assert {(u["role"], u["name"]) for u in first["units"]} == {
        ("lead", "市卫生健康委"),
        ("cooperating", "市医保局"),
        ("cooperating", "各县(区)"),
    }
    assert first["document_title"] == "2023年医改重点任务台账"
    assert new["深化医保支付方式改革"]["status"] == "长期坚持"
    assert new["按月报送改革进展"]["deadline_kind"] == "recurring"
    assert new["出台实施方案"]["due_on"] == date(2023, 9, 30)


def test_importing_the_same_workbook_twice_changes_nothing(sqlite_ledger):
    data = office_workbook(GOOD)
    _import(sqlite_ledger, data)
    with sqlite_ledger.engine.connect() as conn:
        counts = [
            conn.execute(sa.text(f"select count(*) from {t}")).scalar()
            for t in ("tasks", "assignments", "documents")
        ]
    again = _import(sqlite_ledger, data)
    assert (again.created, again.skipped) == (0, 4)
    with sqlite_ledger.engine.connect() as conn:
        assert [
            conn.execute(sa.text(f"select count(*) from {t}")).scalar()
            for t in ("tasks", "assignments", "documents")
        ] == counts


@pytest.mark.parametrize(
    ("row", "words"),
    [
        (
            [5, "某项任务", "市不存在局", "", "2023年6月底前", ""],
            "第8行“牵头单位”列：“市不存在局”不在单位名录中",
        ),
        ([5, "", "市医保局", "", "2023年6月底前", ""], "第8行“工作任务”列：任务为空"),
        ([5, "某项任务", "", "", "2023年6月底前", ""], "第8行：没有牵头单位或责任单位"),
        ([5, "某项任务", "市医保局", "", "看情况吧", ""], "第8行“完成时限”列：“看情况吧”无法识别"),
    ],
)
def test_one_bad_row_refuses_the_whole_workbook_naming_the_row(sqlite_ledger, row, words):
    before = len(_tasks(sqlite_ledger.engine))
    with pytest.raises(InvalidInput) as refused:
        _import(sqlite_ledger, office_workbook([*GOOD[:4], row]))
    assert words in str(refused.value) and "工作表“重点任务”" in str(refused.value)
    assert len(_tasks(sqlite_ledger.engine)) == before


def test_the_preview_shows_the_mapping_and_a_corrected_mapping_is_used(sqlite_ledger):
    data = office_workbook(GOOD)
    with sqlite_ledger.engine.connect() as conn:
        preview = read_ledger(conn, data, today=TODAY)
        assert preview.mapping == {"number": 0, "title": 1, "lead": 2, "cooperating": 3, "deadline": 4}
        assert (preview.header_row, preview.headings, len(preview.rows), preview.errors) == (2, 1, 4, [])
        swapped = read_ledger(
            conn, data, today=TODAY, mapping={**preview.mapping, "lead": 3, "cooperating": 2}
        )
    assert swapped.rows[0].lead == "市医保局、各县(区)"


def test_a_workbook_without_a_header_or_not_a_workbook_is_refused(sqlite_ledger):
    book = Workbook()
    book.active.append(["名称", "说明"])
    out = BytesIO()
    book.save(out)
    with sqlite_ledger.engine.connect() as conn:
        with pytest.raises(InvalidInput, match="没有找到表头"):
            read_ledger(conn, out.getvalue(), today=TODAY)
        with pytest.raises(InvalidInput, match="不是有效的 Excel"):
            read_ledger(conn, b"not a workbook", today=TODAY)


def test_only_the_office_imports(sqlite_ledger):
    with unit_of_work(sqlite_ledger.engine) as conn, pytest.raises(PermissionDenied):
        import_ledger(conn, sqlite_ledger.users["health"], office_workbook(GOOD), today=TODAY)


def test_round_trip_export_then_import_gives_the_same_tasks(sqlite_ledger, tmp_path):
    with unit_of_work(sqlite_ledger.engine) as conn:
        conn.execute(sa.text("delete from assignments"))
        conn.execute(sa.text("delete from tasks"))
        for kind, ref, title, deadline in [
            ("领导批示", "市长批示", "推进分级诊疗", "10个工作日内"),
            ("会议议定事项", "常务会议第5次", "开展专项检查", "每月25日前"),
            ("文件", "卫政办发〔2022〕28号", "规范医疗收费", "2023年12月底前"),
        ]:
            intake.create_task(
                conn,
                sqlite_ledger.users["office"],
                intake.TaskDraft(
                    kind,
                    ref,
                    title,
                    lead=("市卫生健康委",),
                    responsible=("市医保局、各县(区)",),
                    deadline_text=deadline,
                ),
                today=TODAY,
            )
    path = tmp_path / "ledger.xlsx"
    with sqlite_ledger.engine.connect() as conn:
        write_ledger(conn, path)
    again = _import(sqlite_ledger, path.read_bytes())
    assert again.created == 0 and again.skipped == len(_tasks(sqlite_ledger.engine))

    fresh = open_database(f"sqlite:///{tmp_path / 'fresh.db'}")
    try:
        other = build_ledger(fresh)
        with unit_of_work(fresh) as conn:
            conn.execute(sa.text("delete from assignments"))
            conn.execute(sa.text("delete from tasks"))
            import_ledger(conn, other.users["office"], path.read_bytes(), today=TODAY)

        def shape(items):
            return sorted(
                (
                    t["title"],
                    str(t["due_on"]),
                    t["deadline_kind"],
                    t["deadline_text"],
                    tuple(sorted((u["role"], u["name"]) for u in t["units"])),
                )
                for t in items
            )

        assert shape(_tasks(fresh)) == shape(_tasks(sqlite_ledger.engine))
    finally:
        fresh.dispose()


@given(st.text(max_size=30))
@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_header_text_classifies_without_raising(text):
    assert classify(text) in (
        None,
        "number",
        "source",
        "title",
        "lead",
        "responsible",
        "cooperating",
        "deadline",
        "due",
    )


def _two_sheet_workbook(second_rows: list[list]) -> bytes:
    """A first sheet as offices type it, a second sheet of tasks with its own header, and a notes sheet."""
    from openpyxl import load_workbook

    book = load_workbook(BytesIO(office_workbook(GOOD[:1])))
    more = book.create_sheet("督查发现问题")
    more.append(["序号", "整改任务", "责任单位", "完成时限"])
    for row in second_rows:
        more.append(row)
    notes = book.create_sheet("填表说明")
    notes.append(["本表由各单位于每月25日前更新。"])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def test_every_sheet_with_a_header_is_read_and_the_others_are_reported(sqlite_ledger):
    data = _two_sheet_workbook([[1, "整改医疗废物处置问题", "市卫生健康委", "2023年7月底前"]])
    with sqlite_ledger.engine.connect() as conn:
        preview = read_ledger(conn, data, today=TODAY)
    assert (preview.sheet, preview.more_sheets, preview.unread_sheets) == (
        "重点任务",
        ["督查发现问题"],
        ["填表说明"],
    )
    result = _import(sqlite_ledger, data)
    assert (result.created, result.unread_sheets) == (2, ["填表说明"])
    titles = {t["title"] for t in _tasks(sqlite_ledger.engine)}
    assert {"推进分级诊疗制度建设", "整改医疗废物处置问题"} <= titles


def test_a_bad_row_on_a_later_sheet_refuses_the_workbook_naming_its_sheet(sqlite_ledger):
    data = _two_sheet_workbook([[1, "整改医疗废物处置问题", "市不存在局", "2023年7月底前"]])
    before = len(_tasks(sqlite_ledger.engine))
    with pytest.raises(
        InvalidInput, match="工作表“督查发现问题”第2行“责任单位”列：“市不存在局”不在单位名录中"
    ):
        _import(sqlite_ledger, data)
    assert len(_tasks(sqlite_ledger.engine)) == before


def _findings_workbook() -> bytes:
    """Two sheets with a header each; the second keeps its 配合单位 in a column named 说明."""
    from openpyxl import load_workbook

    book = load_workbook(BytesIO(office_workbook(GOOD[:1])))
    more = book.create_sheet("督查发现问题")
    more.append(["序号", "整改任务", "责任单位", "完成时限", "说明"])
    more.append([1, "整改医疗废物处置问题", "市卫生健康委", "2023年7月底前", "市医保局"])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _units_of(engine, title: str) -> list[tuple[str, str]]:
    task = next(t for t in _tasks(engine) if t["title"] == title)
    return sorted((u["role"], u["name"]) for u in task["units"])


def test_the_mapping_of_every_sheet_is_shown_and_fixed_on_its_own(sqlite_ledger):
    data = _findings_workbook()
    with sqlite_ledger.engine.connect() as conn:
        preview = read_ledger(conn, data, today=TODAY)
    assert [(s.sheet, s.header_row, s.mapping) for s in preview.sheets] == [
        ("重点任务", 2, {"number": 0, "title": 1, "lead": 2, "cooperating": 3, "deadline": 4}),
        ("督查发现问题", 1, {"number": 0, "title": 1, "responsible": 2, "deadline": 3}),
    ]
    assert preview.sheets[1].columns[-1] == (4, "说明")
    fixed = {"督查发现问题": {**preview.sheets[1].mapping, "cooperating": 4}}
    result = _import(sqlite_ledger, data, mappings=fixed)
    assert result.created == 2
    assert _units_of(sqlite_ledger.engine, "整改医疗废物处置问题") == [
        ("cooperating", "市医保局"),
        ("responsible", "市卫生健康委"),
    ]
    # the first sheet kept the columns recognised by name
    assert ("lead", "市卫生健康委") in _units_of(sqlite_ledger.engine, "推进分级诊疗制度建设")


def test_a_fix_that_leaves_a_sheet_without_its_task_column_names_that_sheet(sqlite_ledger):
    data = _findings_workbook()
    with sqlite_ledger.engine.connect() as conn:
        preview = read_ledger(conn, data, today=TODAY, mappings={"督查发现问题": {"responsible": 2}})
        assert preview.errors == ["工作表“督查发现问题”：请指定“任务”列和至少一个单位列"]
        assert preview.sheets[0].mapping["title"] == 1  # the other sheet is untouched
        with pytest.raises(InvalidInput, match="没有可读取的工作表“汇总”"):
            read_ledger(conn, data, today=TODAY, mappings={"汇总": {"title": 1, "lead": 2}})
