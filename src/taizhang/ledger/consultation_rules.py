"""The rules of expert consultation (咨询论证) as data: what each rule requires, its parameters,
and the article it comes from.

A ruleset is built from the clauses the extractor read from a rules document (卫政办发〔2022〕35号
in the bundled gazette: 第十三条 单数、不少于5人、7名以上 …). A rule the document does not state
keeps its default, cited as 默认规则, so a ledger without a rules document still works and says
where each rule came from. This module is the one place the rules live; the panel checks and the
clocks in ``consultation.py`` read them from here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

DEFAULT_SOURCE = "默认规则"

# rule → what it requires, in the words a clerk reads on the page; {names} are parameters.
STATEMENTS: dict[str, str] = {
    "panel_odd": "选定的专家应为单数",
    "panel_min": "专家一般不少于{min}人",
    "panel_min_flagged": "涉及面较广、争议性较强或内容特别复杂、敏感的决策，一般应有{min}名以上专家参加",
    "sides_represented": "对论证问题持不同意见的各方都应当有代表参与论证",
    "pool_first": "以专家库专家为主，库外专家为辅",
    "neutrality": "参加咨询论证的专家应具有中立性，决策承办单位的人员及与其有利害关系的专家应当回避",
    "application_window": "须提前{min_days}—{max_days}个工作日以书面形式申请咨询论证",
    "opinion_deadline": "专家应在指定时间内提出咨询论证意见",
    "pledge": "专家应签订诚信承诺书",
    "signed_opinion": "咨询论证意见应由专家署名",
    "adoption": "对专家提出的合理意见应积极采纳",
    "adoption_reason": "未予采纳的意见应当说明理由",
    "feedback": "应将采纳情况反馈给参与咨询论证的专家",
    "report_with_decision": "报送决策事项时应一并报送专家咨询论证意见及采纳情况说明",
    "archive": "咨询论证资料应立卷归档",
    "forms": "咨询论证方式：{forms}",
}

DEFAULT_PARAMS: dict[str, dict[str, Any]] = {
    "panel_min": {"min": 5},
    "panel_min_flagged": {"min": 7},
    "application_window": {"min_days": 3, "max_days": 10},
    "forms": {"forms": ["专家个人论证", "专家小组论证", "集体论证", "函审咨询论证"]},
}

# The flags that make a decision need the larger panel (第十三条: 涉及面较广、争议性较强或内容
# 特别复杂、敏感), as stored on a decision item → how a page names them.
COMPLEXITY_FLAGS: dict[str, str] = {
    "wide": "涉及面较广",
    "contested": "争议性较强",
    "sensitive": "内容特别复杂、敏感",
}


@dataclass(frozen=True)
class Rule:
    """One rule with its parameters and where it is stated (document and article)."""

    rule: str
    params: dict[str, Any] = field(default_factory=dict)
    article: str | None = None  # 第十三条
    source: str = DEFAULT_SOURCE  # 卫政办发〔2022〕35号, or 默认规则
    text: str = ""  # the clause as printed

    @property
    def statement(self) -> str:
        """What the rule requires, with its parameters filled in."""
        values = {k: "、".join(v) if isinstance(v, list) else v for k, v in self.params.items()}
        return STATEMENTS[self.rule].format(**values)

    @property
    def citation(self) -> str:
        """卫政办发〔2022〕35号第十三条, or 默认规则 for a rule no document states."""
        return f"{self.source}{self.article}" if self.article else self.source

    def param(self, name: str) -> Any:
        """A parameter, or the default's when the document states the rule without it."""
        return self.params.get(name, DEFAULT_PARAMS.get(self.rule, {}).get(name))


Ruleset = Mapping[str, Rule]


def default_ruleset() -> dict[str, Rule]:
    """Every rule with its default parameters, cited as 默认规则."""
    return {rule: Rule(rule, dict(DEFAULT_PARAMS.get(rule, {}))) for rule in STATEMENTS}


def build_ruleset(clauses: Iterable[Mapping[str, Any]]) -> dict[str, Rule]:
    """The defaults, overridden by the clauses a rules document states.

    A clause is a mapping with ``rule``, ``article``, ``params``, ``doc_number`` and ``text`` (as
    the extractor gives it, or as stored); clauses of unknown rules are ignored.
    """
    rules = default_ruleset()
    for clause in clauses:
        name = str(clause["rule"])
        if name not in STATEMENTS:
            continue
        params = {**DEFAULT_PARAMS.get(name, {}), **dict(clause.get("params") or {})}
        rules[name] = Rule(
            name,
            params,
            clause.get("article"),
            clause.get("doc_number") or DEFAULT_SOURCE,
            str(clause.get("text") or ""),
        )
    return rules


def required_panel_size(rules: Ruleset, flags: Iterable[str]) -> tuple[int, Rule]:
    """The smallest panel allowed and the rule that sets it (the larger one when a flag is set)."""
    if any(flag in COMPLEXITY_FLAGS for flag in flags):
        rule = rules["panel_min_flagged"]
    else:
        rule = rules["panel_min"]
    return int(rule.param("min")), rule
