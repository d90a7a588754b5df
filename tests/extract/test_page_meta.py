"""Running heads, feet and page numbers of printed pages are blanked and never read as text."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from taizhang.extract import extract
from taizhang.extract.page_meta import blank_page_furniture
from taizhang.sources import read_source

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"

HEAD = "湖北省人民政府公报 2023年第5期"


def test_a_running_head_and_page_feet_are_blanked_but_the_first_page_keeps_its_head():
    lines = [
        "某某实施方案",
        "一、总体要求",
        "（一）第一项。（省财政厅负责）",
        "— 1 —",
        "",
        HEAD,
        "（二）第二项。（省教育厅负责）",
        "第 2 页 共 3 页",
        "",
        HEAD,
        "（三）第三项。（省科技厅负责）",
        "3/3",
    ]
    out = blank_page_furniture(lines, (1, 5, 9))
    assert out == [
        "某某实施方案",
        "一、总体要求",
        "（一）第一项。（省财政厅负责）",
        "",
        "",
        "",
        "（二）第二项。（省教育厅负责）",
        "",
        "",
        "",
        "（三）第三项。（省科技厅负责）",
        "",
    ]


def test_a_line_printed_on_one_page_only_and_table_rows_stay():
    lines = [
        "标题",
        "正文第一段。",
        "",
        "序号\t任务\t责任单位",
        "正文第二段。",
        "",
        "序号\t任务\t责任单位",
        "正文。",
    ]
    assert blank_page_furniture(lines, (1, 4, 7)) == lines


def test_a_text_without_pages_is_left_as_it_is():
    assert blank_page_furniture(["— 1 —", "正文"], ()) == ["— 1 —", "正文"]


@given(st.lists(st.text(max_size=30), max_size=40), st.data())
def test_lines_are_only_ever_blanked_never_moved(lines, data):
    starts = sorted(set(data.draw(st.lists(st.integers(1, max(1, len(lines))), max_size=6))) | {1})
    out = blank_page_furniture(lines, tuple(starts) if lines else ())
    assert len(out) == len(lines)
    assert all(new in (old, "") for old, new in zip(lines, out, strict=True))


def test_a_pdftotext_plan_with_a_running_head_cutting_a_bracket_gives_every_task():
    # pages end with a form feed; from page 2 on each opens with the gazette's running head, which
    # read as text made the file a gazette issue with no document and no task
    source = read_source(PAGES / "pdftotext-plan.txt")
    assert source.page_starts == (1, 15, 31)
    result = extract(source)
    assert result.issue is None
    assert [d.title for d in result.documents] == ["湖北省推进数字经济高质量发展实施方案"]
    tasks = result.tasks
    assert [t.label for t in tasks] == [
        "（一）",
        "（二）",
        "（三）",
        "（四）",
        "（五）",
        "（六）",
        "（七）",
        "（八）",
    ]
    second = tasks[1]  # its bracket runs from page 1 over the running head of page 2
    assert (second.lead, second.cooperating) == (
        ("省发展改革委",),
        ("省大数据中心", "武汉东湖实验室", "团省委"),
    )
    assert (second.line, second.page) == (12, 1)
    assert tasks[5].page == 3


def test_a_pdf_task_table_under_a_running_head_gives_every_row_and_its_note():
    # printed by a browser with a gazette's running head and '— N —' feet; the table runs over two
    # pages with its header repeated; the note under it ('注：各区县政府均需按职责分工落实') has no
    # scope word, its 均 makes it speak of every row
    result = extract(read_source(PAGES / "table-running-head.pdf"))
    tasks = result.tasks
    assert [t.label for t in tasks] == [str(n) for n in range(1, 26)]
    assert {(t.lead, t.responsible, t.cooperating) for t in tasks} == {
        (("市发展改革委",), ("各区县政府",), ("市财政局", "市商务局"))
    }
    assert {t.page for t in tasks} == {1, 2}
    assert (tasks[0].deadline_text, str(tasks[0].deadline.due)) == ("2024年2月底前", "2024-02-29")
    assert [d.title for d in result.documents] == ["某某市2024年重点任务分工方案"]
