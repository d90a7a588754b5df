"""The ledger workbook: sheets, columns, frozen header, widths, real dates, progress, filters."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from taizhang.export.xlsx import ALL_TASKS_SHEET, COLUMNS, sheet_name, write_ledger
from taizhang.services.database import open_database, unit_of_work
from taizhang.services.import_issue import store_extraction
from taizhang.sources import read_source
from taizhang.storage import tables as t
from tests.conftest import GAZETTE
from tests.utils.extraction_from_gold import gold_extraction, small_directory

AS_OF = date(2022, 6, 30)


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    engine = open_database(f"sqlite:///{tmp_path_factory.mktemp('xlsx') / 'ledger.db'}")
    with unit_of_work(engine) as conn:
        store_extraction(conn, read_source(GAZETTE), gold_extraction(), directory=small_directory())
        task_id = conn.execute(sa.select(t.tasks.c.id).where(t.tasks.c.line == 216)).scalar_one()
        unit_id = conn.execute(
            sa.select(t.units.c.id).where(t.units.c.name == "中卫工业园区管委会")
        ).scalar_one()
        for day, results, percent in (
            (date(2022, 3, 1), "制定整改方案", 20),
            (date(2022, 4, 1), "完成煤炭替代核查", 60),
        ):
            conn.execute(
                t.reports.insert().values(
                    task_id=task_id, unit_id=unit_id, results=results, percent=percent, submitted_on=day
                )
            )
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def book(engine, tmp_path_factory):
    path = tmp_path_factory.mktemp("out") / "ledger.xlsx"
    with engine.connect() as conn:
        result = write_ledger(conn, path, as_of=AS_OF)
    assert result.tasks == 107
    return load_workbook(path)


def rows(sheet) -> list[list]:
    return [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]


def test_one_sheet_per_document_after_the_all_tasks_sheet(book, gold):
    with_tasks = list(dict.fromkeys(task["doc_number"] for task in gold["tasks"]))
    assert book.sheetnames == [ALL_TASKS_SHEET, *with_tasks]
    assert len(rows(book[ALL_TASKS_SHEET])) == 107
    assert [len(rows(book[n])) for n in with_tasks] == [
        sum(1 for task in gold["tasks"] if task["doc_number"] == n) for n in with_tasks
    ]


def test_header_is_frozen_filtered_and_columns_sized(book):
    for sheet in book.worksheets:
        assert tuple(c.value for c in sheet[1]) == COLUMNS
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:M")
        assert sheet.column_dimensions["C"].width >= 40 and sheet.column_dimensions["A"].width <= 8


def test_a_row_holds_the_task_as_printed_with_a_real_date_and_latest_progress(book):
    sheet = book["卫政办发〔2022〕6号"]
    first = [c.value for c in sheet[2]]
    assert first == [
        1,
        "卫政办发〔2022〕6号",
        "加快典型案例整改",
        "中卫工业园区管委会",
        "市工业和信息化局、市生态环境局",
        None,
        "2022年12月底前",
        datetime(2022, 12, 31),
        "未开始",
        "2022-04-01 完成煤炭替代核查 (60%)",
        216,
        None,
        "否",
    ]  # 督办情况: nothing escalated; not late on 30 June
    assert sheet["H2"].number_format == "yyyy-mm-dd"
    ongoing = next(r for r in rows(sheet) if r[6] == "立行立改,长期坚持")
    assert (ongoing[7], ongoing[8]) == (None, "长期坚持")


@pytest.mark.parametrize("as_of", [date(2022, 3, 1), date(2022, 7, 1), date(2023, 1, 1)])
def test_the_late_column_agrees_with_the_ledgers_overdue_filter(engine, tmp_path, as_of):
    from taizhang.services.queries import TaskFilter, list_tasks

    path = tmp_path / "late.xlsx"
    with engine.connect() as conn:
        write_ledger(conn, path, as_of=as_of)
        overdue = {t["title"] for t in list_tasks(conn, TaskFilter(overdue_as_of=as_of, limit=None)).items}
    sheet = load_workbook(path)[ALL_TASKS_SHEET]
    late = COLUMNS.index("逾期")
    shown = {r[2] for r in rows(sheet) if r[late] == "是"}
    assert {r[late] for r in rows(sheet)} <= {"是", "否"}
    assert shown == overdue
    if as_of == date(2023, 1, 1):
        assert "加快典型案例整改" in shown  # due 2022-12-31, not done


def test_a_unit_filter_keeps_only_its_tasks(engine, tmp_path):
    path = tmp_path / "unit.xlsx"
    with engine.connect() as conn:
        result = write_ledger(conn, path, unit="市医保局")
    sheet = load_workbook(path)[ALL_TASKS_SHEET]
    assert len(rows(sheet)) == result.tasks > 0
    assert all(
        any("医保局" in (r[i] or "") or "医疗保障局" in (r[i] or "") for i in (3, 4, 5)) for r in rows(sheet)
    )


@pytest.mark.parametrize(
    ("wanted", "taken", "expected"),
    [
        ("卫政办发〔2022〕6号", set(), "卫政办发〔2022〕6号"),
        ("国办发[2019]1号: a*b?c/d\\e", set(), "国办发20191号 abcde"),
        ("中" * 40, set(), "中" * 31),
        ("中" * 40, {"中" * 31}, "中" * 29 + "~2"),
        ("全部任务", {"全部任务"}, "全部任务~2"),
        ("[]", set(), "文件"),
    ],
)
def test_sheet_names_are_valid_and_unique(wanted, taken, expected):
    name = sheet_name(wanted, set(taken))
    assert name == expected and len(name) <= 31


def test_the_web_writes_the_tasks_a_page_shows_to_a_stream(engine):
    import io

    from taizhang.export.xlsx import write_ledger_xlsx
    from taizhang.services.queries import TaskFilter, list_tasks

    with engine.connect() as conn:
        shown = list_tasks(conn, TaskFilter(q="医保", limit=None)).items
        stream = io.BytesIO()
        result = write_ledger_xlsx(conn, stream, task_ids=[t["id"] for t in shown])
    sheet = load_workbook(io.BytesIO(stream.getvalue()))[ALL_TASKS_SHEET]
    assert result.path is None and result.tasks == len(shown) > 0
    assert [r[2] for r in rows(sheet)] == [t["title"] for t in shown]


def test_a_long_id_list_is_filtered_without_binding_every_id(engine, tmp_path, monkeypatch):
    from taizhang.export import xlsx

    monkeypatch.setattr(xlsx, "_MAX_BOUND_IDS", 2)
    with engine.connect() as conn:
        ids = [
            row.id
            for row in conn.execute(sa.select(t.tasks.c.id).where(t.tasks.c.line.in_((216, 140, 1559))))
        ]
        result = write_ledger(conn, tmp_path / "few.xlsx", task_ids=ids)
    assert result.tasks == 3
    assert sorted(r[10] for r in rows(load_workbook(tmp_path / "few.xlsx")[ALL_TASKS_SHEET])) == [
        140,
        216,
        1559,
    ]
