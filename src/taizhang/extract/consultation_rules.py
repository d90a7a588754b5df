"""Rules for expert consultation on major decisions (重大行政决策咨询论证工作规则), read from the text.

A rules document is one whose title or enclosed title names 咨询论证 and 规则 (or 办法, 规定). Its
articles (第十三条 …) are read one by one and matched against a grammar of clauses, kept here as
data: each clause is a rule the ledger enforces, and the numbers in it are the rule's parameters.
A city whose rules say 不少于7人 gets 7; the article is kept so the ledger can say which one a
panel breaks.

The next stage may rely on: at most one :class:`RuleClause` per rule per document, the first
article that states it, ``params`` holding ints (and lists of names for ``forms``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .model import Document
from .numerals import chinese_int
from .spans import SourceText

_RULES_DOCUMENT = re.compile(r"咨询论证.*(?:规则|办法|规定|制度)|(?:专家论证|决策咨询).*(?:规则|办法|规定)")
_ARTICLE = re.compile(r"^\s*(?P<article>第[一二三四五六七八九十百零〇]+条)\s*(?P<text>.*)$")
_CHAPTER = re.compile(r"^\s*第[一二三四五六七八九十]+章")
_NUMBER = r"(?P<n>\d+|[一二三四五六七八九十]+)"
CONSULTATION_FORMS = ("专家个人论证", "专家小组论证", "集体论证", "函审咨询论证")


@dataclass(frozen=True)
class ClauseGrammar:
    """How to recognise one rule in an article: a pattern, and what its groups mean."""

    rule: str
    pattern: re.Pattern[str]
    params: tuple[str, ...] = ()  # names of the numbers the pattern captures, in group order


# Each clause cites the article of 卫政办发〔2022〕35号 it was written for; the wording is the one
# the State Council's 条例 and the provincial rules use, so other cities' rules read the same way.
GRAMMAR: tuple[ClauseGrammar, ...] = (
    # 第十三条 选定的专家应为单数
    ClauseGrammar("panel_odd", re.compile(r"(?:应为|应当为|须为)(?:单数|奇数)")),
    # 第十三条 一般不少于5人
    ClauseGrammar(
        "panel_min",
        re.compile(rf"(?:单数|奇数)[，,]?\s*(?:一般)?(?:不少于|不得少于|至少){_NUMBER}\s*(?:人|名)"),
        ("min",),
    ),
    # 第十三条 涉及面较广、争议性较强或内容特别复杂、敏感的…一般应有7名以上专家参加
    ClauseGrammar(
        "panel_min_flagged",
        re.compile(
            rf"(?:涉及面|争议|复杂|敏感)[^。]*?(?:应有|不少于|不得少于){_NUMBER}\s*(?:名|人)(?:以上)?"
        ),
        ("min",),
    ),
    # 第十三条 对论证问题存在重大分歧、持不同意见的各方都应当有代表参与论证
    ClauseGrammar("sides_represented", re.compile(r"不同意见的各方[^。]*?(?:应当|应)有代表")),
    # 第七条 应以自治区重大行政决策咨询论证专家库专家为主，库外专家为辅
    ClauseGrammar("pool_first", re.compile(r"专家库专家为主")),
    # 第十二条 保证参加咨询论证的专家具有专业性、代表性、中立性
    ClauseGrammar("neutrality", re.compile(r"中立性|利害关系[^。]*回避|应当回避")),
    # 第十五条 须提前3—10个工作日…申请咨询论证
    ClauseGrammar(
        "application_window",
        re.compile(r"提前\s*(?P<a>\d+)\s*[—–\-~～至到]+\s*(?P<b>\d+)\s*个工作日"),
        ("min_days", "max_days"),
    ),
    # 第十四条(五) 专家在指定时间内对决策事项进行相关研究
    ClauseGrammar("opinion_deadline", re.compile(r"在(?:指定|规定)(?:的)?(?:时间|期限)内")),
    # 第二十条(二) 签订诚信承诺书…署名并承担相应的法律责任
    ClauseGrammar("pledge", re.compile(r"诚信承诺书|承诺书")),
    ClauseGrammar("signed_opinion", re.compile(r"署名")),
    # 第十七条 对专家提出的合理意见积极采纳
    ClauseGrammar("adoption", re.compile(r"合理意见[^。]*?采纳")),
    # 第十八条 采纳情况反馈给参与咨询论证的专家，未予采纳的，应当说明理由
    ClauseGrammar("feedback", re.compile(r"采纳情况反馈给[^。]*?专家")),
    ClauseGrammar("adoption_reason", re.compile(r"未(?:予)?采纳的[，,]?\s*(?:应当|应)说明理由")),
    # 第十八条 报送重大行政决策事项时，应当一并报送专家咨询论证意见
    ClauseGrammar("report_with_decision", re.compile(r"一并报送[^。]*?(?:论证|咨询)意见")),
    # 第十四条(九) 将咨询论证资料立卷归档
    ClauseGrammar("archive", re.compile(r"立卷归档|归档")),
)


@dataclass(frozen=True)
class RuleClause:
    """One rule as a document states it: which rule, the article, its parameters and the sentence."""

    rule: str
    article: str
    params: dict[str, Any] = field(default_factory=dict)
    text: str = ""
    line: int = 0
    doc_number: str | None = None


def is_rules_document(document: Document) -> bool:
    """True for a document that is, or issues, rules for expert consultation on decisions."""
    return any(_RULES_DOCUMENT.search(title) for title in (document.title, *document.enclosed))


def _number(text: str) -> int:
    return chinese_int(text) or 0


def articles(source: SourceText, document: Document) -> list[tuple[str, int, str]]:
    """(article, first line, whole text) of each 第X条, its text joined over wrapped lines."""
    found: list[tuple[str, int, str]] = []
    for line, text in source.numbered(document.span):
        match = _ARTICLE.match(text)
        if match:
            found.append((match.group("article"), line, match.group("text").strip()))
        elif found and text.strip() and not _CHAPTER.match(text):
            article, first, body = found[-1]
            found[-1] = (article, first, body + text.strip().lstrip("- "))
    return found


def _params(grammar: ClauseGrammar, match: re.Match[str]) -> dict[str, Any]:
    groups = [g for g in match.groups() if g is not None]
    return {name: _number(value) for name, value in zip(grammar.params, groups, strict=False)}


_STOPS = "。；;:："


def _sentence(body: str, start: int) -> str:
    """The clause around ``start``: from the last stop before it to the next full stop or semicolon."""
    begin = max(body.rfind(stop, 0, start) for stop in _STOPS) + 1
    ends = [i for i in (body.find(stop, start) for stop in "。；;") if i >= 0]
    return body[begin : min(ends) + 1 if ends else len(body)]


def read_rules(source: SourceText, document: Document) -> list[RuleClause]:
    """The rules one rules document states, each with the first article that states it."""
    found: dict[str, RuleClause] = {}
    body_of = articles(source, document)
    for article, line, body in body_of:
        for grammar in GRAMMAR:
            match = grammar.pattern.search(body)
            if match and grammar.rule not in found:
                found[grammar.rule] = RuleClause(
                    grammar.rule,
                    article,
                    _params(grammar, match),
                    _sentence(body, match.start()),
                    line,
                    document.doc_number,
                )
    forms = [(a, line, body) for a, line, body in body_of if sum(f in body for f in CONSULTATION_FORMS) >= 2]
    if forms:
        article, line, body = forms[0]
        named = [f for f in CONSULTATION_FORMS if f in body]
        found["forms"] = RuleClause("forms", article, {"forms": named}, body[:120], line, document.doc_number)
    return sorted(found.values(), key=lambda clause: (clause.line, clause.rule))


def find_consultation_rules(
    source: SourceText, documents: list[Document] | tuple[Document, ...]
) -> list[RuleClause]:
    """Rules of every consultation-rules document among ``documents``."""
    found: list[RuleClause] = []
    for document in documents:
        if is_rules_document(document):
            found.extend(read_rules(source, document))
    return found
