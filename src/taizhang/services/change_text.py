"""How a change-log entry (全过程留痕) reads to a person: 谁 把 什么 从 A 改为 B.

The change log stores English action names and before/after dicts for the machine (the hash
chain covers them); every page that shows an entry goes through :func:`describe` so users see
Chinese sentences, never raw JSON. The words are data: a new action written to the change log
needs a word here (a test scans the code for the action names it writes).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

# 操作: every action name the services write to the change log.
ACTION_WORDS = {
    "import": "导入",
    "create": "新建",
    "edit": "修改",
    "update": "更新",
    "delete": "删除",
    "add": "添加",
    "review": "审核修正",
    "assign": "调整责任单位",
    "split": "拆分",
    "merge": "合并",
    "merged_away": "并入其他任务",
    "cancel": "撤销",
    "attach": "上传附件",
    "flag": "标记待审核",
    "sync": "同步分项",
    "acknowledge": "签收",
    "submit": "报送",
    "report": "进展报告",
    "request_completion": "申请办结",
    "request_extension": "申请延期",
    "approve": "同意办结",
    "approved": "同意",
    "refused": "不同意",
    "returned": "退回",
    "return": "退回",
    "extend": "延期",
    "reopen": "重开",
    "read": "已阅",
    "read_all": "全部已阅",
    "publish": "发布",
    "remind": "发送提醒",
    "route": "转办",
    "decide": "处理",
    "add_user": "新增账号",
    "set_role": "调整角色",
    "set_password": "修改密码",
    "enable_user": "启用账号",
    "disable_user": "停用账号",
    "issue_token": "签发令牌",
    "set_issuer": "修改发文机关",
    "report_value": "报送指标值",
    "correct_value": "更正指标值",
    "grade_item": "评分",
    "record": "记录",
    "event": "记录事件",
    "draw": "抽取",
    "supervise": "督导",
    "collect": "征集",
    "opinion": "提出意见",
    "panel": "组成专家组",
    "feedback": "反馈",
    "adopt": "采纳",
    "archive": "归档",
}

# 字段: column and key names of the before/after dicts.
FIELD_WORDS = {
    "status": "状态",
    "percent": "进度",
    "due_on": "截止日期",
    "title": "任务",
    "body": "正文",
    "key": "编号",
    "deadline_text": "完成时限",
    "deadline_kind": "时限类型",
    "working_days": "工作日数",
    "recurrence": "周期",
    "is_public": "公开",
    "needs_review": "待审核",
    "lead": "牵头单位",
    "responsible": "责任单位",
    "cooperating": "配合单位",
    "units": "单位",
    "line_start": "起始行",
    "line_end": "结束行",
    "label": "序号",
    "reason": "理由",
    "note": "说明",
    "message": "内容",
    "attachments": "附件",
    "merged_into": "并入任务",
    "from_task": "拆分自任务",
    "role": "角色",
    "name": "名称",
    "decision": "决定",
    "decision_reason": "意见",
    "acknowledged_at": "签收时间",
    "acknowledged_by": "签收人",
    "done_at": "办结时间",
    "assigned_on": "交办日期",
    "state": "状态",
    "files": "附件",
    "text": "内容",
    "leader": "领导",
    "given_on": "日期",
    "issuer": "发文机关",
}

# 操作人: process names the services write in place of a person.
ACTOR_WORDS = {"import": "导入程序", "system": "系统", "server": "系统", "cli": "命令行"}

_VALUE_WORDS = {"approved": "已同意", "refused": "不同意", "returned": "已退回"}
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LONGEST = 60  # characters of one value shown; the rest is in the task itself


def action_word(action: str) -> str:
    """The Chinese word of an action; names already in Chinese (催办, 批示…) are their own word."""
    return ACTION_WORDS.get(action, action)


def actor_word(actor: str | None) -> str:
    return ACTOR_WORDS.get(actor or "system", actor or "系统")


def shown(value: Any) -> str:
    """One value as a person reads it: lists joined with 、, dates as dates, nothing as 无."""
    if isinstance(value, list):
        return "、".join(s for s in (shown(v) for v in value) if s != "无") or "无"
    if isinstance(value, dict):
        named = value.get("filename") or value.get("printed") or value.get("name") or value.get("title")
        return str(named) if named else "无"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if value in (None, ""):
        return "无"
    text = _VALUE_WORDS.get(str(value), str(value))
    return text if len(text) <= _LONGEST else text[:_LONGEST] + "…"


def describe(actor: str | None, action: str, before: Any, after: Any) -> str:
    """One sentence: 「张三 把 截止日期 从 2022-06-30 改为 2022-07-31」, or 「张三 新建：任务 …」."""
    who = actor_word(actor)
    before = before if isinstance(before, dict) else {}
    after = after if isinstance(after, dict) else {}
    known = [k for k in after if k in FIELD_WORDS]
    changed = [k for k in known if k in before]
    details = "；".join(f"{FIELD_WORDS[k]}：{shown(after[k])}" for k in known if k not in before)
    if changed:
        sentence = "，".join(
            f"把 {FIELD_WORDS[k]} 从 {shown(before[k])} 改为 {shown(after[k])}" for k in changed
        )
        return f"{who} {sentence}" + (f"（{details}）" if details else "")
    if before and not after:
        gone = "；".join(f"{FIELD_WORDS[k]}：{shown(v)}" for k, v in before.items() if k in FIELD_WORDS)
        return f"{who} {action_word(action)}" + (f"：{gone}" if gone else "")
    return f"{who} {action_word(action)}" + (f"：{details}" if details else "")


def is_chinese(word: str) -> bool:
    return bool(_CJK.search(word))


def change_rows(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Change-log entries (``audit.history``) as rows for a page: when, who, 操作 and the sentence."""
    return [
        {
            "id": e["id"],
            "at": e["at"],
            "actor": actor_word(e["actor"]),
            "action": action_word(e["action"]),
            "text": describe(e["actor"], e["action"], e["before"], e["after"]),
        }
        for e in entries
    ]
