"""Inspection campaigns (专项行动, 大检查大整治, 治理整顿, 排查整治) read from a document or its enclosed plans.

A campaign is a plan whose title names a campaign. From the plan's own text this stage reads:

- its scope: the object kinds under a 整治范围/排查范围 heading, or else the objects it speaks of most;
- milestones: a month phrase followed by what must be reached (5月底取得实效, 6月底前完成验收销号);
- inspection groups: from a 督查组/督导组 name list (第一督查组（沙坡头区）, 组长：…, 成员：…) in the plan
  or its annex, or the number of groups the text declares (成立3个督查组) when the list is not printed;
- check items: the headings under its 整治任务/整顿任务/检查内容 section, and the inline
  "一要重点检查…" clauses of a heading;
- its forms: the annexes named …排查表 / …整改情况表.

Everything carries its source line; what the text states only in part is flagged for review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from .deadlines import parse_deadline
from .model import Document, Flag
from .outline import cn_number
from .records import as_dict
from .spans import SourceText

_CAMPAIGN_WORDS = re.compile(r"专项行动|大检查|大整治|治理整顿|排查整治|专项整治|集中整治|整治行动|专项检查")
_TOP = re.compile(r"^\s*([一二三四五六七八九十]+)、\s*(\S.{0,24})\s*$")
_SUB = re.compile(r"^\s*[(（]([一二三四五六七八九十]+)[)）]\s*([^。]{2,40}?)(?:[。.]|$)")
_NUM = re.compile(r"^\s*(\d{1,2})\s*[.．、]\s*([^。]{2,30}?)[。]")
_INLINE_CHECK = re.compile(r"([一二三四五六七八九十]+)要重点检查([^。]{4,400})。")
_CHECK_SECTION = re.compile(r"(整治|整顿|检查|排查|督查|主要|重点)(任务|内容|重点|事项)")
_SCOPE_SECTION = re.compile(r"(整治|整顿|检查|排查)(范围|对象)")
_MILESTONE = re.compile(
    r"(?P<when>(?:\d{4}年)?\d{1,2}月(?:底|末|上旬|中旬|下旬)前?)[,，]?\s*(?P<what>[^,，。;；]{2,30})"
)
_MILESTONE_WORDS = re.compile(r"实效|完成|开始|到位|验收|销号")
_GROUP_HEAD = re.compile(
    r"^\s*第([一二三四五六七八九十\d]+)([\u4e00-\u9fff]{0,12}?(?:督查|督导|检查|巡查|工作)组)\s*[(（]([^)）]{2,20})[)）]\s*$"
)
_ROLE = re.compile(r"^\s*(组\s*长|副组长|成\s*员|联络员)\s*[:：]\s*(\S.*)$")
_PERSON = re.compile(r"^\s*([\u4e00-\u9fff]{2,4})(?:\s+|[(（])(\S.{1,40}?)[)）]?$")
_HEADCOUNT = re.compile(r"各?[\d一二三四五六七八九十]+名")
_DECLARED = re.compile(
    r"(?:成立|组成|抽调)"
    r"(?P<n>[\d一二三四五六七八九十]+)个(?P<name>[^,，。;；]{0,24}?(?:督查|督导|检查|巡查)组)"
)
_LEAD = re.compile(r"由([^,，。;；由]{2,20}?)牵头")
_OBJECT_NOUNS = (
    "矿山",
    "水库",
    "蓄水池",
    "水利工程",
    "养老机构",
    "项目",
    "企业",
    "学校",
    "医疗机构",
    "工地",
    "工程",
)


@dataclass(frozen=True)
class Milestone:
    """A point the campaign must reach: ``when`` as printed, its date, and what is due then."""

    when: str
    due: date | None
    what: str
    line: int


@dataclass(frozen=True)
class GroupMember:
    """A group member: ``role`` 组长/副组长/成员, a name (None for "各1名干部"), and post or description."""

    role: str
    name: str | None
    post: str
    line: int


@dataclass(frozen=True)
class InspectionGroup:
    """One 督查组 with the counties it covers (as printed) and its members."""

    number: int
    name: str
    counties: tuple[str, ...]
    members: tuple[GroupMember, ...]
    line: int

    @property
    def leader(self) -> str | None:
        """The 组长's name."""
        return next((m.name for m in self.members if m.role == "组长"), None)


@dataclass(frozen=True)
class CheckItem:
    """A check item: its label path ("(三)1."), heading, the parent heading, and the text checked."""

    label: str
    title: str
    parent: str | None
    detail: str
    line: int


@dataclass(frozen=True)
class Campaign:
    """A campaign read from one plan."""

    doc_number: str | None
    title: str
    kind: str
    object_kinds: tuple[str, ...]
    counties: tuple[str, ...]
    milestones: tuple[Milestone, ...]
    groups: tuple[InspectionGroup, ...]
    declared_groups: int | None
    group_lead_unit: str | None
    check_items: tuple[CheckItem, ...]
    forms: tuple[str, ...]
    line_start: int
    line_end: int
    flags: tuple[Flag, ...] = ()


def campaign_kind(title: str) -> str | None:
    """The kind of campaign a plan's title names, or None when it names none."""
    if not _CAMPAIGN_WORDS.search(title):
        return None
    if "大检查" in title or "大整治" in title:
        return "大检查大整治"
    if "排查" in title:
        return "排查整治"
    return "专项行动"


def _plan_regions(source: SourceText, document: Document) -> list[tuple[str, int, int]]:
    """(title, first line, last line) of each plan the document encloses, or of the document itself."""
    span = document.span
    starts: list[tuple[str, int]] = []
    for title in document.enclosed:
        for number in range(span.start, span.end + 1):
            if source.lines[number - 1].strip() == title and all(number > s for _, s in starts):
                starts.append((title, number))
                break
    if not starts:
        return [(document.title, span.start, span.end)]
    ends = [s for _, s in starts[1:]] + [span.end + 1]
    return [(title, start, end - 1) for (title, start), end in zip(starts, ends, strict=True)]


def _lines(source: SourceText, start: int, end: int) -> list[tuple[int, str]]:
    return [(n, source.lines[n - 1].strip()) for n in range(start, end + 1) if source.lines[n - 1].strip()]


def _sections(lines: list[tuple[int, str]]) -> list[tuple[str, list[tuple[int, str]]]]:
    """The region cut at its top headings (一、…): (heading, lines under it)."""
    out: list[tuple[str, list[tuple[int, str]]]] = [("", [])]
    for number, text in lines:
        top = _TOP.match(text)
        if top and "。" not in text:
            out.append((top.group(2), []))
        else:
            out[-1][1].append((number, text))
    return out


def _check_items(body: list[tuple[int, str]]) -> list[CheckItem]:
    items: list[CheckItem] = []
    parent: tuple[str, str] | None = None
    for number, text in body:
        sub, num = _SUB.match(text), _NUM.match(text)
        if sub:
            parent = (f"({sub.group(1)})", sub.group(2).strip())
            inline = list(_INLINE_CHECK.finditer(text))
            if inline:
                for match in inline:
                    items.append(
                        CheckItem(
                            f"{parent[0]}{cn_number(match.group(1))}",
                            _check_title(match.group(2)),
                            parent[1],
                            "重点检查" + match.group(2),
                            number,
                        )
                    )
            else:
                items.append(CheckItem(parent[0], parent[1], None, text[sub.end() :].strip(), number))
        elif num and parent:
            if items and items[-1].label == parent[0]:
                items.pop()  # a heading with numbered children is a group of items, not an item
            items.append(
                CheckItem(
                    f"{parent[0]}{num.group(1)}.",
                    num.group(2).strip(),
                    parent[1],
                    text[num.end() :].strip(),
                    number,
                )
            )
    return items


def _check_title(clause: str) -> str:
    """A short title for an inline 重点检查 clause: its first condition."""
    first = re.split(r"[,，;；]", clause, maxsplit=1)[0]
    return first[:40]


def _scope_kinds(body: list[tuple[int, str]]) -> list[str]:
    kinds: list[str] = []
    for _, text in body:
        sub = _SUB.match(text)
        if sub:
            kinds.extend(k for k in re.split(r"[、和及]", sub.group(2)) if k)
    return kinds


def object_kinds_named(title: str, text: str) -> list[str]:
    """The kind of object a document speaks of: the one its title names, else the one its text names most."""
    return _noun_kinds(title, text)


def _noun_kinds(title: str, text: str) -> list[str]:
    in_title = [n for n in _OBJECT_NOUNS if n in title]
    if in_title:
        return in_title[:1]
    counts = sorted(((text.count(n), n) for n in _OBJECT_NOUNS), reverse=True)
    return [counts[0][1]] if counts and counts[0][0] >= 3 else []


def _milestones(lines: list[tuple[int, str]], signed: date | None) -> list[Milestone]:
    out: list[Milestone] = []
    seen: set[tuple[str, str]] = set()
    for number, text in lines:
        if "月" not in text:
            continue  # every milestone names its month; _MILESTONE would be tried at every offset
        for match in _MILESTONE.finditer(text):
            what = match.group("what").strip()
            if not _MILESTONE_WORDS.search(what) or match.group("when") + what in {w + t for w, t in seen}:
                continue
            if what.startswith("前") or len(what) < 2:
                continue
            seen.add((match.group("when"), what))
            due = parse_deadline(match.group("when"), signed=signed).due
            out.append(Milestone(match.group("when"), due, what, number))
    return out


def _groups(lines: list[tuple[int, str]]) -> list[InspectionGroup]:
    groups: list[InspectionGroup] = []
    current: tuple[int, str, tuple[str, ...], int] | None = None
    members: list[GroupMember] = []
    role = ""

    def close() -> None:
        if current:
            groups.append(InspectionGroup(current[0], current[1], current[2], tuple(members), current[3]))

    for number, text in lines:
        head = _GROUP_HEAD.match(text)
        if head:
            close()
            counties = tuple(c for c in re.split(r"[、,，]", head.group(3)) if c)
            group_no = int(head.group(1)) if head.group(1).isdigit() else cn_number(head.group(1))
            current, members, role = (group_no, f"第{head.group(1)}{head.group(2)}", counties, number), [], ""
            continue
        if current is None:
            continue
        labelled = _ROLE.match(text)
        if labelled:
            role, text = re.sub(r"\s", "", labelled.group(1)), labelled.group(2)
        elif not role:
            continue
        person = _PERSON.match(text)
        if person:
            members.append(GroupMember(role, person.group(1), person.group(2).strip(), number))
        elif _HEADCOUNT.search(text) and len(text) <= 30:
            members.append(GroupMember(role, None, text, number))
        else:
            close()
            current, role = None, ""
    close()
    return groups


def _declared(text_lines: list[tuple[int, str]]) -> tuple[int | None, str | None, int | None]:
    for number, text in text_lines:
        match = _DECLARED.search(text)
        if match:
            n = match.group("n")
            sentence = re.split(r"[。;；]", text[: match.start()])[-1]
            lead = _LEAD.search(sentence)
            return (int(n) if n.isdigit() else cn_number(n)), (lead.group(1) if lead else None), number
    return None, None, None


def _forms(document: Document, lines: list[tuple[int, str]]) -> tuple[str, ...]:
    """The annexes named in this plan's lines that are forms (…排查表, …整改情况表)."""
    text = "\n".join(t for _, t in lines)
    return tuple(a for a in document.attachments if a in text and re.search(r"表$", a))


def _campaign(source: SourceText, document: Document, title: str, start: int, end: int) -> Campaign | None:
    kind = campaign_kind(title)
    if kind is None:
        return None
    lines = _lines(source, start, end)
    sections = _sections(lines)
    checks: list[CheckItem] = []
    kinds: list[str] = []
    for heading, body in sections:
        if _CHECK_SECTION.search(heading) and not checks:
            checks = _check_items(body)
        if _SCOPE_SECTION.search(heading) and not kinds:
            kinds = _scope_kinds(body)
    kinds = kinds or _noun_kinds(title, " ".join(t for _, t in lines))
    groups = _groups(lines)
    declared, lead, declared_line = _declared(lines)
    flags: list[Flag] = []
    if declared and len(groups) != declared:
        flags.append(
            Flag(
                "campaign_groups",
                declared_line or start,
                f"文中称成立{declared}个组，名单读出{len(groups)}个，请核对或补录",
                document.doc_number,
            )
        )
    if not checks:
        flags.append(Flag("campaign_checklist", start, "未读出检查项，请补录", document.doc_number))
    counties: list[str] = []
    for group in groups:
        counties.extend(c for c in group.counties if c not in counties)
    forms = _forms(document, lines)
    return Campaign(
        doc_number=document.doc_number,
        title=title,
        kind=kind,
        object_kinds=tuple(dict.fromkeys(kinds)),
        counties=tuple(counties),
        milestones=tuple(_milestones(lines, document.date)),
        groups=tuple(groups),
        declared_groups=declared,
        group_lead_unit=lead,
        check_items=tuple(checks),
        forms=forms,
        line_start=start,
        line_end=end,
        flags=tuple(flags),
    )


def find_campaigns(source: SourceText, documents: list[Document] | tuple[Document, ...]) -> list[Campaign]:
    """Every campaign the documents run, in source order."""
    out: list[Campaign] = []
    for document in documents:
        for title, start, end in _plan_regions(source, document):
            campaign = _campaign(source, document, title, start, end)
            if campaign:
                out.append(campaign)
    return out


def campaign_to_dict(campaign: Campaign) -> dict[str, Any]:
    """One campaign as JSON (docs/extraction-format.md, ``campaigns``)."""
    out: dict[str, Any] = plain_json(as_dict(campaign))
    out["milestones"] = [{**m, "due": m["due"].isoformat() if m["due"] else None} for m in out["milestones"]]
    for group, source in zip(out["groups"], campaign.groups, strict=True):
        group["leader"] = source.leader
    return out


def plain_json(value: Any) -> Any:
    """Tuples as lists, recursively, so the dict equals its JSON round trip."""
    if isinstance(value, dict):
        return {k: plain_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain_json(v) for v in value]
    return value
