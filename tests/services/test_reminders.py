"""Reminder digests: who is told what on a day, in Chinese, and how it is delivered."""

from __future__ import annotations

from datetime import date

import pytest

from taizhang.errors import InvalidInput
from taizhang.services import reminders
from taizhang.services import workflow as wf
from taizhang.services.database import unit_of_work
from taizhang.services.notify import DeliveryError, dingtalk_payload, wecom_payload
from taizhang.settings import load_settings
from taizhang.storage.tables import parts, reporting_cycles, tasks

AS_OF = date(2022, 5, 6)  # a Friday; Saturday 7 May 2022 is a 调休 working day


def _digests(ledger, as_of=AS_OF, warn_days=5):
    with ledger.engine.connect() as conn:
        return {d.unit_name: d for d in reminders.build_digests(conn, as_of=as_of, warn_days=warn_days)}


def _monthly_cycle(ledger, task="ongoing"):
    with unit_of_work(ledger.engine) as conn:
        conn.execute(
            reporting_cycles.insert().values(
                task_id=ledger.tasks[task], rule="monthly:25", starts_on=date(2022, 3, 1)
            )
        )


def test_overdue_and_due_soon_go_to_each_concrete_unit(ledger):
    digests = _digests(ledger)
    assert set(digests) == {"市医保局", "沙坡头区", "中宁县", "海原县"}
    insurance = digests["市医保局"]
    assert [(i["title"], i["overdue_days"], i["role"]) for i in insurance.overdue] == [
        ("推进医保支付改革", 7, "lead")
    ]
    county = digests["中宁县"]
    # 7 May (调休 Saturday), 9 May and 10 May are working days
    assert [(i["title"], i["workdays_left"]) for i in county.due_soon] == [("建设县域医共体", 3)]
    assert county.recipients == ["zn@example.org"] and county.overdue == [] and county.as_of == AS_OF


def test_units_with_nothing_to_say_get_nothing(ledger):
    assert _digests(ledger, warn_days=2).keys() == {"市医保局"}
    with unit_of_work(ledger.engine) as conn:
        wf.request_completion(
            conn, ledger.users["insurance"], ledger.tasks["insurance"], note="完成", today=AS_OF
        )
    assert _digests(ledger, warn_days=2) == {}  # waiting for the office is not the unit's to chase


def test_missing_cycle_reports_are_owed_by_the_lead_not_the_cooperating_unit(ledger, tmp_path):
    _monthly_cycle(ledger)
    missing = _digests(ledger)["市医保局"].missing_reports
    assert [(i["title"], i["periods"]) for i in missing] == [("规范医疗收费", ["2022-03", "2022-04"])]
    assert "市卫生健康委" not in _digests(ledger)
    with unit_of_work(ledger.engine) as conn:
        wf.submit_report(
            conn,
            ledger.users["insurance"],
            ledger.tasks["ongoing"],
            practice="开展专项检查",
            results="",
            problems="",
            next_steps="",
            percent=0,
            today=date(2022, 4, 20),
            period="2022-04",
            upload_dir=tmp_path,
        )
    assert [i["periods"] for i in _digests(ledger)["市医保局"].missing_reports] == [["2022-03"]]


def test_chases_are_told_once(ledger):
    with unit_of_work(ledger.engine) as conn:
        wf.chase(
            conn, ledger.users["office"], ledger.tasks["health"], message="请本周内报送进展", today=AS_OF
        )
    digest = _digests(ledger)["市卫生健康委"]
    assert [(c["message"], c["who"], c["title"]) for c in digest.chases] == [
        ("请本周内报送进展", "dcs", "推进分级诊疗")
    ]
    with unit_of_work(ledger.engine) as conn:
        reminders.record_sent(conn, [digest])
    assert "市卫生健康委" not in _digests(ledger)


def test_render_is_chinese_with_numbered_sections(sqlite_ledger):
    with unit_of_work(sqlite_ledger.engine) as conn:
        wf.chase(
            conn,
            sqlite_ledger.users["office"],
            sqlite_ledger.tasks["insurance"],
            message="请说明逾期原因",
            today=AS_OF,
        )
    subject, text = reminders.render_digest(_digests(sqlite_ledger)["市医保局"])
    assert subject == "【台账提醒】市医保局：逾期1项，催办1条"
    assert text.splitlines() == [
        "市医保局：",
        "",
        "截至2022-05-06，贵单位有以下督办事项需要关注：",
        "",
        "一、已逾期（1项）",
        "1. 卫政办发〔2022〕28号 推进医保支付改革（截止2022-04-29，已逾期7天）",
        "",
        "二、督查室催办（1条）",
        "1. 卫政办发〔2022〕28号 推进医保支付改革（dcs催办：请说明逾期原因）",
        "",
        "请登录台账系统及时报送进展或说明情况。",
    ]


def test_dry_run_renders_without_sending(sqlite_ledger):
    lines = reminders.send_digests(list(_digests(sqlite_ledger).values()), load_settings(), dry_run=True)
    assert len(lines) == 4 and any(
        line.startswith("To: zn@example.org\nSubject: 【台账提醒】中宁县") for line in lines
    )


def test_sending_needs_a_channel(sqlite_ledger):
    with pytest.raises(InvalidInput, match="未配置发送方式"):
        reminders.send_digests(list(_digests(sqlite_ledger).values()), load_settings(), dry_run=False)
    assert reminders.send_digests([], load_settings(), dry_run=False) == []


def test_email_goes_to_the_units_users(sqlite_ledger, smtp_server):
    settings = load_settings(smtp_host="127.0.0.1", smtp_port=smtp_server.port, smtp_sender="dcs@example.org")
    lines = reminders.send_digests(list(_digests(sqlite_ledger).values()), settings, dry_run=False)
    assert sorted(lines)[0].startswith("已发邮件给中宁县（zn@example.org）")
    assert sum(line.startswith("跳过") for line in lines) == 3  # no addresses, no webhooks
    [(sender, recipients, message)] = smtp_server.messages
    assert (sender, recipients) == ("dcs@example.org", ["zn@example.org"])
    assert message["Subject"] == "【台账提醒】中宁县：即将到期1项"
    assert "建设县域医共体（截止2022-05-10，距截止还有3个工作日）" in message.get_content()


def test_three_webhook_formats(sqlite_ledger, webhooks):
    settings = load_settings(
        webhook_url=webhooks.url("/plain"),
        dingtalk_webhook_url=webhooks.url("/ding"),
        wecom_webhook_url=webhooks.url("/wecom"),
    )
    digest = _digests(sqlite_ledger)["市医保局"]
    reminders.send_digests([digest], settings, dry_run=False)
    bodies = {path: (ctype, body) for path, ctype, body in webhooks.received}
    assert set(bodies) == {"/plain", "/ding", "/wecom"}
    assert all(ctype.startswith("application/json") for ctype, _ in bodies.values())
    plain = bodies["/plain"][1]
    assert (plain["unit"], plain["as_of"], plain["subject"]) == (
        "市医保局",
        "2022-05-06",
        "【台账提醒】市医保局：逾期1项",
    )
    assert plain["overdue"][0]["due_on"] == "2022-04-29"
    ding = bodies["/ding"][1]
    assert ding["msgtype"] == "markdown" and set(ding["markdown"]) == {"title", "text"}
    assert ding["markdown"]["title"] == "【台账提醒】市医保局：逾期1项"
    assert "#### 一、已逾期（1项）" in ding["markdown"]["text"]
    wecom = bodies["/wecom"][1]
    assert wecom["msgtype"] == "markdown" and set(wecom["markdown"]) == {"content"}
    assert wecom["markdown"]["content"] == ding["markdown"]["text"]


def test_a_refusing_robot_is_reported_and_the_others_still_go(sqlite_ledger, webhooks):
    webhooks.answers["/ding"] = (200, {"errcode": 310000, "errmsg": "keywords not in content"})
    settings = load_settings(dingtalk_webhook_url=webhooks.url("/ding"))
    digests = list(_digests(sqlite_ledger).values())
    with pytest.raises(DeliveryError, match="错误码 310000") as err:
        reminders.send_digests(digests, settings, dry_run=False)
    assert len(webhooks.received) == len(digests) and err.value.delivered == []


def test_smtp_refusal_is_a_delivery_error(sqlite_ledger):
    from tests.services.conftest import FakeSMTP

    server = FakeSMTP(rcpt_answer="550 no such user")
    try:
        settings = load_settings(smtp_host="127.0.0.1", smtp_port=server.port)
        with pytest.raises(DeliveryError, match="zn@example.org"):
            reminders.send_digests(list(_digests(sqlite_ledger).values()), settings, dry_run=False)
    finally:
        server.stop()


def test_a_cycle_in_the_tasks_own_deadline_asks_for_the_latest_period_only(ledger):
    with unit_of_work(ledger.engine) as conn:
        conn.execute(
            tasks.update().where(tasks.c.id == ledger.tasks["ongoing"]).values(recurrence="monthly:25")
        )
    missing = _digests(ledger)["市医保局"].missing_reports
    assert [(i["title"], i["periods"], i["reason"]) for i in missing] == [
        ("规范医疗收费", ["2022-04"], "本期(2022-04)进展未报送")
    ]


def test_titles_are_one_line_and_cut(sqlite_ledger):
    long_title = "建立医疗服务价格\n动态调整机制" + "并" * 100
    with unit_of_work(sqlite_ledger.engine) as conn:
        conn.execute(
            tasks.update().where(tasks.c.id == sqlite_ledger.tasks["insurance"]).values(title=long_title)
        )
    _, text = reminders.render_digest(_digests(sqlite_ledger)["市医保局"])
    line = [x for x in text.splitlines() if x.startswith("1. ")][0]
    assert line.startswith("1. 卫政办发〔2022〕28号 建立医疗服务价格动态调整机制并")
    assert line.endswith("并…（截止2022-04-29，已逾期7天）") and len(line) < 120


def test_robot_messages_fit_the_robots_limits():
    lines = [f"- 卫政办发〔2022〕28号 第{n}项任务（截止2022-04-29，已逾期7天）" for n in range(300)]
    markdown = "\n\n".join(["### 【台账提醒】市医保局：逾期300项", *lines])
    content = wecom_payload(markdown)["markdown"]["content"]
    assert len(content.encode("utf-8")) <= 4096
    assert content.startswith("### 【台账提醒】市医保局") and content.endswith("其余请登录台账系统查看）")
    assert "第0项任务" in content and "第299项任务" not in content
    assert dingtalk_payload("t", "短消息")["markdown"]["text"] == "短消息"


def test_a_county_whose_part_is_done_is_not_chased_for_its_neighbours(ledger):
    with unit_of_work(ledger.engine) as conn:
        conn.execute(
            parts.update()
            .where(parts.c.task_id == ledger.tasks["counties"], parts.c.unit_id == ledger.units["中宁县"])
            .values(status="已完成")
        )
    digests = _digests(ledger, as_of=date(2022, 5, 12))
    assert [i["title"] for i in digests["沙坡头区"].overdue] == ["建设县域医共体"]
    assert [i["title"] for i in digests["海原县"].overdue] == ["建设县域医共体"]
    assert "中宁县" not in digests or digests["中宁县"].overdue == []
    # 市医保局 cooperates on 推进分级诊疗 and has no part: it is not told that task is late
    late = _digests(ledger, as_of=date(2022, 7, 5))
    assert "推进分级诊疗" not in [i["title"] for i in late["市医保局"].overdue]
    assert "推进分级诊疗" in [i["title"] for i in late["市卫生健康委"].overdue]
