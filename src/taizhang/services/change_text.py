"""How a change-log entry (全过程留痕) reads to a person: 谁 把 什么 从 A 改为 B.

The change log stores English action names and before/after dicts for the machine (the hash
chain covers them); every page that shows an entry goes through :func:`describe` so users see
Chinese sentences, never raw JSON. The words are data: a new action written to the change log
needs a word here, and a logged field a label (tests scan the code for the actions and fields it
writes); a field without one still shows, as 其他信息.
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
    "unit_id": "单位",
    "email": "电子邮箱",
    "campaign_group_id": "督查组",
    "token": "令牌",
    "password": "密码",
    "active": "启用",
    "task_id": "任务",
    "as_of": "截至日期",
    "kind": "类别",
    "subject": "对象",
    "target": "目标",
    "person_id": "人员",
    "owner_id": "承办人",
    "via": "途径",
    "consultation_id": "征询事项",
    "requested_by": "申请人",
    "requested_on": "申请日期",
    "decided_on": "决定日期",
    "decision_note": "决定说明",
    "campaign_id": "专项行动",
    "object_id": "检查对象",
    "check_item_id": "检查事项",
    "problem": "问题",
    "category": "问题类别",
    "severity": "严重程度",
    "measures": "整改措施",
    "supervised": "督办",
    "evidence": "证据",
    "recorded_by": "记录人",
    "found_on": "发现日期",
    "issue_id": "公报",
    "doc_number": "发文字号",
    "doc_type": "文种",
    "addressees": "主送机关",
    "enclosed": "附件文件",
    "cited_doc_numbers": "引用文号",
    "review_notes": "审核说明",
    "document_id": "文件",
    "rule": "规则",
    "line": "行号",
    "starts_on": "开始日期",
    "verified": "已核实",
    "alias": "别名",
    "group_id": "单位组",
    "member_id": "成员单位",
    "parent": "上级事项",
    "detail": "细目",
    "groups": "督查组",
    "check_items": "检查事项",
    "clocks": "时限",
    "period": "期间",
    "requested_due": "申请截止日期",
    "targets": "目标值",
    "items": "事项",
    "indicator_id": "指标",
    "value": "数值",
    "parts": "分项",
    "reporter": "报送人",
    "reported_on": "报送日期",
    "grade": "等级",
    "item_id": "评分项",
    "unit": "单位",
    "county": "县（区）",
    "by_document_id": "依据文件",
    "relation": "关系",
    "status_reason": "状态理由",
    "merged": "合并",
    "id": "编号",
    "into": "并入",
    "moved": "转移",
    "finding_id": "问题",
    "basis": "依据",
    "recorded_on": "记录日期",
    "seed": "随机种子",
    "inputs": "抽取范围",
    "result": "结果",
    "procedures": "程序",
    "procedure": "程序",
    "flags": "疑点",
    "step": "环节",
    "dated": "日期",
    "user_id": "账号",
    "at": "时间",
    "follow_up_task_id": "后续任务",
    "designation": "职务",
    "position": "顺序",
    "backup_id": "备岗人",
    "backup_line": "备岗行号",
    "ends_on": "结束日期",
    "created_by": "创建人",
    "lines": "行",
    "events": "事件",
    "article": "条款",
    "params": "参数",
    "decision_id": "决策事项",
    "topic": "议题",
    "form": "形式",
    "meeting_on": "会议日期",
    "opinion_due": "意见截止日期",
    "findings": "发现的问题",
    "expert_id": "专家",
    "side": "方面",
    "overdue": "已逾期",
    "due_soon": "即将到期",
    "missing_reports": "未报送",
    "chase_ids": "催办",
    "notice_ids": "通知",
    "action_id": "动态",
    "read_through": "已阅至",
    "unread": "未读",
}

# 操作人: process names the services write in place of a person.
ACTOR_WORDS = {"import": "导入程序", "system": "系统", "server": "系统", "cli": "命令行"}

_VALUE_WORDS = {"approved": "已同意", "refused": "不同意", "returned": "已退回"}
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LONGEST = 60  # characters of one value shown; the rest is in the task itself


def action_word(action: str) -> str:
    """The Chinese word of an action; names already in Chinese (催办, 批示…) are their own word."""
    return ACTION_WORDS.get(action, action)


# a field no one has named yet still shows, under this phrase, rather than vanishing from the sentence
UNNAMED_FIELD = "其他信息"


def field_word(field: str) -> str:
    """The Chinese label of a logged field (column or key of a before/after dict)."""
    return FIELD_WORDS.get(field, UNNAMED_FIELD)


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
    changed = [k for k in after if k in before]
    details = "；".join(f"{field_word(k)}：{shown(after[k])}" for k in after if k not in before)
    if changed:
        sentence = "，".join(
            f"把 {field_word(k)} 从 {shown(before[k])} 改为 {shown(after[k])}" for k in changed
        )
        return f"{who} {sentence}" + (f"（{details}）" if details else "")
    if before and not after:
        gone = "；".join(f"{field_word(k)}：{shown(v)}" for k, v in before.items())
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
