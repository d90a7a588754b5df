"""People of division-of-work notices (工作分工) and their A/B backup posts (AB岗)."""

from __future__ import annotations

import re

from .model import Document, Person
from .spans import SourceText

# A division-of-work paragraph: '孙尚金同志 在市长…' (gazette line 1321), with a designation in
# brackets: '刘明同志(挂职)' (line 1323), '刘正平同志(二级调研员)' (line 1343).
_PERSON = re.compile(
    r"""
    ^\s*(?P<name>[\u4e00-\u9fff]{2,4}?)  # lazy: 赵明同志：… is 赵明, not 赵明同志
    (?:同志\s*(?:[(（](?P<designation>[^()（）]{1,12})[)）])?[\s\u3000:：,，]*
      | \s*(?:[(（](?P<designation2>[^()（）]{1,12})[)）])?\s*[:：]\s*   # '张三(挂职):负责…' in other notices
    )
    (?P<role>\S.*)$
    """,
    re.VERBOSE,
)
# Words that open a 'X:' line without being a person's name.
_NOT_NAMES = frozenset({"附件", "主送", "抄送", "联系人", "电话", "地址", "邮编", "传真", "签发人", "备注"})

# The AB岗 sentence: '刘明与李长海、王秀娟与田力…互为AB岗' (gazette line 1351).
_AB_SENTENCE = re.compile(r"(?P<pairs>[^。,，:：]*?)互为\s*[AaＡ]\s*[BbＢ]\s*岗")
_AB_TAIL = re.compile(r"互为\s*[AaＡ]\s*[BbＢ]\s*岗")
_AB_STOP = re.compile(r"[。,，:：]")


def ab_sentences(text: str) -> list[tuple[int, str]]:
    """``(start, pairs)`` of each '…互为AB岗' clause, as ``_AB_SENTENCE.finditer`` finds them, in linear time.

    The pairs run back from '互为' to the clause's punctuation or the previous clause's end; the
    pattern itself would scan forward from every position of a long unpunctuated text.
    """
    found, floor = [], 0
    for tail in _AB_TAIL.finditer(text):
        stops = [m.end() for m in _AB_STOP.finditer(text, floor, tail.start())]
        start = stops[-1] if stops else floor
        found.append((start, text[start : tail.start()]))
        floor = tail.end()
    return found


_AB_PAIR = re.compile(r"(?P<a>[\u4e00-\u9fff]{2,4}?)(?:同志)?(?:与|和)(?P<b>[\u4e00-\u9fff]{2,4}?)(?:同志)?$")

# Notices that divide work among people (title of gazette line 1313: '…工作分工的通知').
_DIVISION_TITLE = re.compile(r"分工|AB岗")


def extract_people(source: SourceText, documents: list[Document]) -> list[Person]:
    """People named with their duties in the documents that divide work among them."""
    people: list[Person] = []
    for document in documents:
        if _DIVISION_TITLE.search(document.title):
            people.extend(_people_of(source, document))
    return people


def _people_of(source: SourceText, document: Document) -> list[Person]:
    numbered = [(n, source.line(n)) for n in document.span.lines() if n <= len(source)]
    found: list[tuple[str, str, str | None, int]] = []
    other: list[str] = []  # lines that are no one's duties: the AB岗 sentence may wrap over them
    index = 0
    while index < len(numbered):
        number, text = numbered[index]
        index += 1
        match = _PERSON.match(text)
        if not match or match.group("name") in _NOT_NAMES:
            other.append(text.strip())
            continue
        role = match.group("role").strip()
        # a paragraph cut by a page break goes on after blank lines (lines 1335-1337)
        while not role.endswith(("。", ".")) and index < len(numbered):
            following = numbered[index][1].strip()
            if following and (_is_person(following) or _AB_SENTENCE.search(following)):
                break
            role += following
            index += 1
        designation = match.group("designation") or match.group("designation2")
        found.append((match.group("name"), role, designation, number))
    backups: dict[str, str] = {}
    for paragraph in _paragraphs(other):
        backups.update(_ab_pairs(paragraph))
    return [
        Person(
            name=name, role=role, duties=None, backup=backups.get(name), designation=designation, line=line
        )
        for name, role, designation, line in found
    ]


def _paragraphs(lines: list[str]) -> list[str]:
    """Lines re-joined into paragraphs: a line goes on until one ends a sentence or holds a colon."""
    paragraphs: list[str] = []
    current = ""
    for text in lines:
        if not text:
            continue
        current += text
        if re.search(r"[。；;！？]$|[:：]", text):
            paragraphs.append(current)
            current = ""
    return paragraphs + ([current] if current else [])


def _is_person(text: str) -> bool:
    match = _PERSON.match(text)
    return match is not None and match.group("name") not in _NOT_NAMES


def _ab_pairs(text: str) -> dict[str, str]:
    """Symmetric backup posts from an AB岗 sentence."""
    pairs: dict[str, str] = {}
    for _start, clause in ab_sentences(text):
        for part in re.split(r"[、；;]", clause):
            match = _AB_PAIR.search(part.strip())
            if match:
                pairs[match.group("a")] = match.group("b")
                pairs[match.group("b")] = match.group("a")
    return pairs
