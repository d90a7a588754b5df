"""Progress notices (通报): what a draft says about the ledger on a day, and publishing it."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from taizhang.errors import InvalidInput, NotFound, PermissionDenied, UnknownUnit
from taizhang.extract.units import default_directory
from taizhang.services import notices as nt
from taizhang.services import workflow as wf
from taizhang.services.audit import history, verify_chain
from taizhang.services.database import open_database, unit_of_work
from taizhang.services.import_issue import store_extraction
from taizhang.sources import read_source
from taizhang.storage.tables import notices, parts, reporting_cycles, units
from tests.conftest import GAZETTE
from tests.utils.extraction_from_gold import gold_extraction

JUNE_28 = date(2022, 6, 28)
NOVEMBER_1 = date(2022, 11, 1)


def _gazette_engine(url: str):
    engine = open_database(url)
    with unit_of_work(engine) as conn:
        store_extraction(conn, read_source(GAZETTE), gold_extraction(), directory=default_directory("中卫市"))
    return engine


@pytest.fixture(scope="module")
def gazette(tmp_path_factory):
    """The gold annotation of the bundled gazette stored in SQLite, for tests that only read."""
    engine = _gazette_engine(f"sqlite:///{tmp_path_factory.mktemp('notices') / 'ledger.db'}")
    yield engine
    engine.dispose()


def _flat(title: str) -> str:
    return "".join(part.strip() for part in title.splitlines())


def _gold_overdue(gold: dict, as_of: date) -> list[dict]:
    """The oracle: gold tasks with a due day before ``as_of`` that are not ongoing work."""
    return [
        t
        for t in gold["tasks"]
        if t["deadline"].get("due")
        and date.fromisoformat(t["deadline"]["due"]) < as_of
        and t["deadline"]["kind"] != "ongoing"
    ]


def _same_titles(rows: tuple[nt.NoticeRow, ...], tasks: list[dict]) -> bool:
    flat = sorted(_flat(t["title"]).rstrip("。；") for t in tasks)
    shown = sorted(r.title.rstrip("…") for r in rows)
    return len(flat) == len(shown) and all(f.startswith(s) for f, s in zip(flat, shown, strict=True))


@pytest.mark.parametrize("as_of", [JUNE_28, NOVEMBER_1])
def test_overdue_tasks_are_the_gold_tasks_due_before_the_day(gazette, gold, as_of):
    with gazette.connect() as conn:
        draft = nt.draft_progress_notice(conn, as_of=as_of)
    expected = _gold_overdue(gold, as_of)
    assert len(expected) >= 16 and _same_titles(draft.overdue, expected)
    assert all("已逾期" in row.status and row.deadline.startswith("2022年") for row in draft.overdue)
    red = next(s for s in draft.sections if s.heading == "逾期未完成事项（红灯）")
    assert red.rows == draft.overdue
    assert f"共有{len(expected)}项任务逾期未完成" in red.paragraphs[0]
    # every overdue task counts once for each unit with its own part in it (a lead or responsible
    # unit; 各县(区) as each county): nobody has reported, so every part of a late task is late
    late_ids = [row.task_id for row in draft.overdue]
    with gazette.connect() as conn:
        names = (
            conn.execute(
                sa.select(units.c.name)
                .join(parts, parts.c.unit_id == units.c.id)
                .where(parts.c.task_id.in_(late_ids))
            )
            .scalars()
            .all()
        )
    assert {(c.unit, c.count) for c in draft.overdue_by_unit} == set(Counter(names).items())
    assert "各县(区)" not in {c.unit for c in draft.overdue_by_unit} and len(names) > len(late_ids)


def test_overview_counts_every_task_by_status(gazette, gold):
    with gazette.connect() as conn:
        draft = nt.draft_progress_notice(conn, as_of=JUNE_28)
    ongoing = sum(1 for t in gold["tasks"] if t["deadline"]["kind"] == "ongoing")
    assert draft.total == len(gold["tasks"]) == 107
    assert draft.by_status == (("未开始", 107 - ongoing), ("长期坚持", ongoing))
    assert draft.sections[0].heading == "总体情况" and draft.sections[-1].heading == "下步要求"
    assert (
        f"纳入本次通报的任务共107项，其中未开始{107 - ongoing}项、长期坚持{ongoing}项。"
        in draft.sections[0].paragraphs[0]
    )
    assert draft.title == "关于截至2022年6月28日督办事项落实情况的通报"
    assert draft.addressee == nt.ALL_ADDRESSEES and "截至2022年6月28日" in draft.opening


def test_due_soon_is_judged_in_chinese_working_days(gazette, gold):
    # 《薪酬制度改革实施方案》 is due 30 June 2022: 29 and 30 June are the working days left
    with gazette.connect() as conn:
        draft = nt.draft_progress_notice(conn, as_of=JUNE_28)
        narrow = nt.draft_progress_notice(conn, as_of=JUNE_28, warn_days=1)
    due = [t for t in gold["tasks"] if t["deadline"].get("due") == "2022-06-30"]
    assert _same_titles(draft.due_soon, due)
    assert [row.status for row in draft.due_soon] == ["未开始，距截止还有2个工作日"] * len(due)
    assert narrow.due_soon == () and "即将到期事项（黄灯）" not in [s.heading for s in narrow.sections]


def test_a_make_up_saturday_counts_as_a_working_day(ledger):
    # 7 May 2022 was a 调休 Saturday: from Friday 6 May, a task due 10 May has 3 working days left
    with ledger.engine.connect() as conn:
        two = nt.draft_progress_notice(conn, as_of=date(2022, 5, 6), warn_days=2)
        three = nt.draft_progress_notice(conn, as_of=date(2022, 5, 6), warn_days=3)
    assert [r.title for r in two.due_soon] == []
    assert [(r.title, r.units, r.deadline, r.status) for r in three.due_soon] == [
        ("建设县域医共体", "各县(区)", "2022年5月10日", "未开始，距截止还有3个工作日")
    ]
    assert [(r.title, r.status) for r in three.overdue] == [("推进医保支付改革", "未开始，已逾期7天")]


def test_scope_by_document_and_by_unit(gazette, gold):
    with gazette.connect() as conn:
        plan = nt.draft_progress_notice(conn, as_of=JUNE_28, document="卫政办发〔2022〕6号")
        county = nt.draft_progress_notice(conn, as_of=NOVEMBER_1, unit="沙坡头区")
        with pytest.raises(NotFound):
            nt.draft_progress_notice(conn, as_of=JUNE_28, document="卫政办发〔2099〕1号")
        with pytest.raises(UnknownUnit):
            nt.draft_progress_notice(conn, as_of=JUNE_28, unit="火星办")
        with pytest.raises(InvalidInput):
            nt.draft_progress_notice(conn, as_of=JUNE_28, warn_days=-1)
    assert plan.total == 8 and plan.title == "关于卫政办发〔2022〕6号文件落实情况的通报"
    assert _same_titles(
        plan.overdue, [t for t in _gold_overdue(gold, JUNE_28) if t["doc_number"] == "卫政办发〔2022〕6号"]
    )
    # a county's notice includes the tasks given to 各县(区)
    counties = [
        t
        for t in _gold_overdue(gold, NOVEMBER_1)
        if any("各县" in u for u in t["lead"] + t["responsible"] + t["cooperating"])
    ]
    assert counties and {r.title for r in county.overdue} >= {
        _flat(t["title"]) for t in counties if len(t["title"]) < 40
    }
    assert county.addressee == "沙坡头区：" and county.title == "关于沙坡头区督办事项落实情况的通报"


def test_completed_tasks_are_credited_to_their_units(ledger):
    with unit_of_work(ledger.engine) as conn:
        wf.request_completion(
            conn, ledger.users["health"], ledger.tasks["health"], note="已完成", today=date(2022, 6, 1)
        )
        wf.approve_completion(conn, ledger.users["office"], ledger.tasks["health"], today=date(2022, 6, 2))
    with ledger.engine.connect() as conn:
        draft = nt.draft_progress_notice(conn, as_of=date(2022, 7, 1))
    assert draft.completed_by_unit == (nt.UnitCount("市卫生健康委", 1),)
    assert dict(draft.by_status)["已完成"] == 1
    assert "推进分级诊疗" not in [r.title for r in draft.overdue]
    done = next(s for s in draft.sections if s.heading == "已办结事项")
    assert done.paragraphs == ("截至2022年7月1日，已办结任务1项：市卫生健康委1项。",)


def test_missing_periodic_reports_are_named_per_unit(ledger):
    with unit_of_work(ledger.engine) as conn:
        conn.execute(
            reporting_cycles.insert().values(
                task_id=ledger.tasks["ongoing"], rule="monthly:25", starts_on=date(2022, 3, 1)
            )
        )
    with ledger.engine.connect() as conn:
        draft = nt.draft_progress_notice(conn, as_of=date(2022, 5, 6))
        health = nt.draft_progress_notice(conn, as_of=date(2022, 5, 6), unit="市卫生健康委")
    assert draft.missing_reports == (
        nt.MissingReport("市医保局", "卫政办发〔2022〕28号", "规范医疗收费", ("2022-03", "2022-04")),
    )
    section = next(s for s in draft.sections if s.heading == "进展未按期报送情况")
    assert section.paragraphs == (
        "市医保局：规范医疗收费（卫政办发〔2022〕28号，未报送期次：2022-03、2022-04）。",
    )
    assert health.missing_reports == ()  # the cooperating unit owes no report


def test_body_reads_back_into_the_same_sections(gazette):
    with gazette.connect() as conn:
        draft = nt.draft_progress_notice(conn, as_of=JUNE_28)
    assert nt.parse_body(draft.body) == (draft.addressee, draft.opening, draft.sections)
    lines = draft.body.splitlines()
    assert lines[:3] == [nt.ALL_ADDRESSEES, draft.opening, "一、总体情况"]
    assert (
        "二、逾期未完成事项（红灯）" in lines
        and lines[-2] == f"{nt.chinese_numeral(len(draft.sections))}、下步要求"
    )


def test_chinese_numerals_past_ten():
    assert [nt.chinese_numeral(n) for n in (1, 9, 10, 11, 20, 23)] == [
        "一",
        "九",
        "十",
        "十一",
        "二十",
        "二十三",
    ]


def test_publish_list_and_get_are_audited(db_url):
    engine = _gazette_engine(db_url)
    try:
        with engine.connect() as conn:
            draft = nt.draft_progress_notice(conn, as_of=JUNE_28)
            later = nt.draft_progress_notice(conn, as_of=NOVEMBER_1, title="十月督查通报")
        with unit_of_work(engine) as conn:
            first = nt.publish_notice(conn, "dcs", draft, is_public=True)
            second = nt.publish_notice(conn, "dcs", later, is_public=False)
        with engine.connect() as conn:
            listed = nt.list_notices(conn)
            public = nt.list_notices(conn, public_only=True)
            stored = nt.get_notice(conn, first)
            log = history(conn, "notice", first)
            checked, problems = verify_chain(conn)
            with pytest.raises(NotFound):
                nt.get_notice(conn, second + 100)
    finally:
        engine.dispose()
    assert [(n.id, n.title, n.is_public) for n in listed] == [
        (second, "十月督查通报", False),
        (first, draft.title, True),
    ]
    assert [n.id for n in public] == [first]
    assert (stored.body, stored.as_of, stored.addressee, stored.sections) == (
        draft.body,
        JUNE_28,
        draft.addressee,
        draft.sections,
    )
    assert [(e["actor"], e["action"], e["after"]["title"], e["after"]["is_public"]) for e in log] == [
        ("dcs", "publish", draft.title, True)
    ]
    assert checked > 2 and problems == []


def test_only_the_office_publishes(ledger):
    with ledger.engine.connect() as conn:
        draft = nt.draft_progress_notice(conn, as_of=date(2022, 5, 6))
    for who in ("health", "leader"):
        with pytest.raises(PermissionDenied), unit_of_work(ledger.engine) as conn:
            nt.publish_notice(conn, ledger.users[who], draft, is_public=True)
    with unit_of_work(ledger.engine) as conn:
        notice_id = nt.publish_notice(conn, ledger.users["office"], draft, is_public=False)
    with ledger.engine.connect() as conn:
        rows = conn.execute(sa.select(notices.c.id)).scalars().all()
        assert history(conn, "notice", notice_id)[0]["actor"] == "dcs"
    assert rows == [notice_id]


def test_an_alias_is_addressed_by_the_directory_name(gazette):
    with gazette.connect() as conn:
        draft = nt.draft_progress_notice(conn, as_of=JUNE_28, unit="市卫生健康委员会")
    assert (draft.addressee, draft.title) == ("市卫生健康委：", "关于市卫生健康委督办事项落实情况的通报")


def test_requests_follow_what_was_found(gazette):
    with gazette.connect() as conn:
        busy = nt.draft_progress_notice(conn, as_of=JUNE_28)
        quiet = nt.draft_progress_notice(conn, as_of=date(2022, 1, 28), document="卫政发〔2022〕15号")
    assert busy.sections[-1].paragraphs == (
        "请各责任单位对照本通报，对逾期事项逐项说明原因、明确完成时限、落实整改措施；对即将到期事项加快推进，"
        "确保按期完成；按要求及时补报工作进展。市政府办公室将持续跟踪督办。",
    )
    assert [s.heading for s in quiet.sections] == ["总体情况", "下步要求"]
    assert quiet.sections[-1].paragraphs == (
        "请各责任单位对照本通报，继续按照任务分工和时限要求抓好落实。市政府办公室将持续跟踪督办。",
    )


def test_a_title_too_long_for_the_table_is_refused(sqlite_ledger):
    with sqlite_ledger.engine.connect() as conn:
        draft = nt.draft_progress_notice(conn, as_of=date(2022, 5, 6), title="关" * 301)
    with pytest.raises(InvalidInput, match="最多 300 个字符"), unit_of_work(sqlite_ledger.engine) as conn:
        nt.publish_notice(conn, "dcs", draft, is_public=False)


# Cell text as the ledger gives it: one line, no edge spaces, any of the punctuation notices use.
_cell = st.text(
    alphabet="任务市县区局委年月日前完成长期坚持逾期天0123456789；。，、（）:;", min_size=1, max_size=30
)
_row = st.builds(
    nt.NoticeRow,
    title=_cell.filter(lambda t: "。责任单位：" not in t),
    units=_cell,
    deadline=_cell,
    status=_cell,
)
_section = st.builds(
    nt.NoticeSection,
    heading=st.sampled_from(["总体情况", "逾期未完成事项（红灯）", "下步要求"]),
    paragraphs=st.lists(
        st.sampled_from(["截至2022年6月28日，共有2项任务逾期未完成。", "市医保局：规范医疗收费。"]),
        max_size=2,
    ).map(tuple),
    rows=st.lists(_row, max_size=4).map(tuple),
)


@given(st.lists(_section, min_size=1, max_size=11).map(tuple))
def test_any_rendered_body_reads_back(sections):
    body = nt.render_body(nt.ALL_ADDRESSEES, "现将有关情况通报如下：", sections)
    assert nt.parse_body(body) == (nt.ALL_ADDRESSEES, "现将有关情况通报如下：", sections)


def test_a_group_notice_names_the_reports_its_members_owe(gazette):
    # 卫政办发〔2022〕29号 asks for monthly progress by the 25th; 各县(区) owe it through their counties
    with gazette.connect() as conn:
        group = nt.draft_progress_notice(conn, as_of=JUNE_28, unit="各县(区)")
        county = nt.draft_progress_notice(conn, as_of=JUNE_28, unit="中宁县")
    assert {m.unit for m in group.missing_reports} == {"沙坡头区", "中宁县", "海原县"}
    assert {m.unit for m in county.missing_reports} == {"中宁县"}
    assert {m.title for m in county.missing_reports} == {
        m.title for m in group.missing_reports if m.unit == "中宁县"
    }
    assert all(
        m.doc_number == "卫政办发〔2022〕29号" and m.periods == ("2022-06",) for m in group.missing_reports
    )


def test_rows_link_to_their_tasks(ledger):
    with ledger.engine.connect() as conn:
        draft = nt.draft_progress_notice(conn, as_of=date(2022, 5, 6))
    assert [(r.task_id, r.title) for r in draft.overdue] == [(ledger.tasks["insurance"], "推进医保支付改革")]
    assert nt.parse_body(draft.body)[2] == draft.sections  # the link is not part of the text
