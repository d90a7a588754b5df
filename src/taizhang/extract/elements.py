"""公文 elements read from a document's lines: 主送机关, 附注, enclosed titles (印发/转发), 附件."""

from __future__ import annotations

import re
from bisect import bisect_right

from .grammar import LABEL_WORDS
from .titles import could_be_title_line, join_title
from .unit_names import ends_like_unit_name

# An addressee line ends with a colon: ASCII in the gazette (line 127), full-width in the State
# Council file (line 9). A sentence end inside it means body text, not addressees.
_ADDRESSEE_LINE = re.compile(r"^[^。！？]{2,400}[:：]$")

# A body sentence that ends in a colon is a lead-in, not addressees ('现将…通知如下:', gazette line 1319).
_LEAD_IN = re.compile(r"如下|现将|现就|特此|为了|根据|按照")
# Nor is an item heading or a label before its units ('一、夯实基础（一）统筹建设政务云 牵头单位：').
_ITEM_OR_LABEL = re.compile(
    rf"^\s*(?:[一二三四五六七八九十]+[、．]|\d+[.、．]|[（(][一二三四五六七八九十\d]+[)）])|(?:{LABEL_WORDS})\s*[:：]$"
)

# Separators between addressees at the top level: ',' (gazette line 127), '，' (State Council line 9),
# '；'. '、' joins names inside one addressee ('市政府各部门、直属机构'), so it does not split.
_ADDRESSEE_SEPARATORS = ",，;；"
# Inside one part, a name may end before 、, spaces or a line break (addressees printed one per line);
# it ends there only when it ends like a unit (the lexicon's unit_suffixes, as unit lists are split).
_SPACES = re.compile(r"\s+")
_SHARED_PREFIX_OPENERS = ("各", "直属", "有关", "所属")
# '国务院有关部委': a government, then a group of its bodies
_QUALIFIED = re.compile(r".(?:各|有关|直属|所属)")

# A whole line in parentheses: the 附注 under the date ('(此件公开发布)', gazette line 135;
# '（本文有删减）', State Council line 477).
_NOTE_LINE = re.compile(r"^\s*[(（](?P<note>[^()（）]+)[)）]\s*$")

# A cover-note sentence that issues or forwards documents: '现将《X》印发给你们' (gazette line 190),
# '已经…同意,现印发给你们' (line 292), '现予以印发' (line 129), '现转发给你们' (State Council
# line 465), '现予印发' (line 1850), '现公布修订后的《X》' (line 824, an order).
_ISSUING_SENTENCE = re.compile(r"现[^。]*?(?:印发|转发|批转|公布|颁布|发布)|(?:印发|转发|批转)给你们")

# Book-title marks with nested 〈〉 inside allowed ('《关于修改〈…〉的决定》').
_BOOK_TITLE = re.compile(r"《(?P<title>[^《》]+)》")

# What an issuing title issues: '关于印发X的通知' (gazette line 184), '转发国家地震局关于…报告的通知'.
_ISSUED_IN_TITLE = re.compile(r"(?:印发|转发|批转|发布|公布)(?P<what>.+?)的(?:通知|函|决定|命令|令)$")

# Attachment list line: '附件:1. A' (gazette line 616), '附件:《X》' (line 168), '附件:X' (line 1273),
# and without a colon '附件1.X' (State Council file line 1548).
_ATTACHMENT_LIST = re.compile(r"^\s*附\s*件\s*(?:[:：]\s*(?P<rest>\S.*)|(?P<first>1\s*[.、．]\s*\S.*))$")
# A bare list line with the items below it: '附件：' then '1. A' (GB/T 9704 allows both).
_BARE_LIST = re.compile(r"^\s*附\s*件\s*[:：]\s*$")
_NUMBERED_ITEM = re.compile(r"^\s*(?P<n>\d{1,2})\s*[.、．]\s*(?P<title>\S.*)$")
# An annex heading label on its own line: '附件 1' (gazette line 1120), '附件4' (line 1173),
# '附件1.' and '附件2：' (State Council file lines 1556, 1612).
_ANNEX_LABEL = re.compile(r"^\s*附\s*件\s*(?P<n>\d{1,2})?\s*[.．:：]?\s*$")
# A heading line that cannot end a title: it stops on a connective.
_UNFINISHED = re.compile(r"(?:的|和|与|及|、|暨|关于)$")
# Printed after the title of an annex left out of the gazette: '(略)' (gazette line 1770).
_OMITTED = re.compile(r"[(（]\s*略\s*[)）]\s*$")


def addressees_of_line(line: str) -> tuple[str, ...] | None:
    """The 主送机关 of an addressee line, split at top-level commas; None when it is not one."""
    text = line.strip()
    if not _ADDRESSEE_LINE.match(text) or _LEAD_IN.search(text) or _ITEM_OR_LABEL.search(text):
        return None
    parts = _split_top_level(text[:-1], _ADDRESSEE_SEPARATORS)
    return tuple(name for part in parts for name in _organs_of_part(part) if name)


def _organs_of_part(part: str) -> list[str]:
    """One comma-separated part cut further where whole organ names stand side by side: at spaces
    or a line break after an organ name (addressees printed one per line), at 、 only when every
    name of the list is whole ('各区县人民政府、市直各部门' is two; '各省、自治区、直辖市人民政府', a
    shared suffix, and '市政府各部门、直属机构' or '市政府各委、办、局', a shared prefix, are one)."""
    lines = [""]
    for piece in _SPACES.split(part.strip()):
        if ends_like_unit_name(lines[-1]):
            lines.append(piece)
        else:  # a name wrapped over two lines, or spaced inside
            lines[-1] += piece
    return [name for line in lines for name in _organs_of_list(line)]


def _organs_of_list(text: str) -> list[str]:
    names = text.split("、")
    whole = all(len(n) >= 3 and ends_like_unit_name(n) for n in names) and not any(
        _shares_prefix(a, b) for a, b in zip(names, names[1:], strict=False)
    )
    return names if whole else [text]


def _shares_prefix(previous: str, piece: str) -> bool:
    """True when ``piece`` names more bodies of ``previous``'s government: '国务院各部委、各直属机构'."""
    return piece.startswith(_SHARED_PREFIX_OPENERS) and _QUALIFIED.search(previous) is not None


def note_of_line(line: str) -> str | None:
    """The text of a whole-line parenthesised note (附注), brackets stripped, else None."""
    match = _NOTE_LINE.match(line)
    return match.group("note").strip() if match else None


def enclosed_titles(title: str, cover: str) -> tuple[str, ...]:
    """Titles a cover note issues or forwards: the 《》 of its issuing sentences, else from the title."""
    found: list[str] = []
    for sentence in re.split(r"[。！？]", cover):
        sentence = _flatten_nested(sentence)
        # the verb must be the sentence's own, not inside a cited title (State Council line 2249)
        if sentence.lstrip().startswith("附件") or not _ISSUING_SENTENCE.search(
            _BOOK_TITLE.sub("《》", sentence)
        ):
            continue
        for match in _BOOK_TITLE.finditer(sentence):
            name = join_title([match.group("title")])
            if name not in found:
                found.append(name)
    if found:
        return tuple(found)
    issued = _ISSUED_IN_TITLE.search(title)
    if issued:
        return tuple(_strip_book_marks(part) for part in _split_book_titles(issued.group("what")))
    return ()


def attachments_of(numbered: list[tuple[int, str]]) -> tuple[tuple[str, ...], list[int]]:
    """附件 titles of a document's lines, and the lines they came from.

    The '附件:' list lines win (several lists when a notice encloses several plans, gazette lines
    1666 and 1770); without any, the heading under each '附件 N' label (gazette lines 1120-1175).
    """
    titles, lines = _from_lists(numbered)
    if titles:
        return tuple(titles), lines
    return _from_labels(numbered)


def _from_lists(numbered: list[tuple[int, str]]) -> tuple[list[str], list[int]]:
    titles: list[str] = []
    lines: list[int] = []
    index = 0
    # both list patterns open with 附件: only lines with 附 need be matched
    for at in [i for i, (_, text) in enumerate(numbered) if "附" in text]:
        if at < index:
            continue  # within a list read below
        number, text = numbered[at]
        index = at + 1
        match = _ATTACHMENT_LIST.match(text)
        if not match:
            if _BARE_LIST.match(text):
                index = _list_below(numbered, index, titles, lines)
            continue
        first = _NUMBERED_ITEM.match(match.group("rest") or match.group("first"))
        if not first:
            titles.append(_attachment_title(match.group("rest")))
            lines.append(number)
            continue
        titles.append(_attachment_title(first.group("title")))
        lines.append(number)
        index = _more_items(numbered, index, int(first.group("n")) + 1, titles, lines)
    return titles, lines


def _list_below(numbered: list[tuple[int, str]], index: int, titles: list[str], lines: list[int]) -> int:
    """Items '1. A', '2. B' under a bare '附件：' line; the index after them (unchanged if none)."""
    return _more_items(numbered, index, 1, titles, lines)


def _more_items(
    numbered: list[tuple[int, str]], index: int, expected: int, titles: list[str], lines: list[int]
) -> int:
    """Append the numbered items from ``index`` on, counting up from ``expected``; the index after them."""
    while index < len(numbered):
        number, text = numbered[index]
        if not text.strip():
            index += 1
            continue
        item = _NUMBERED_ITEM.match(text)
        if not item or int(item.group("n")) != expected:
            break
        titles.append(_attachment_title(item.group("title")))
        lines.append(number)
        expected += 1
        index += 1
    return index


def _from_labels(numbered: list[tuple[int, str]]) -> tuple[tuple[str, ...], list[int]]:
    headings = annex_headings(numbered)
    return tuple(title for _, title, _ in headings), [line for _, _, line in headings]


def annex_headings(
    numbered: list[tuple[int, str]], listed: list[str] | None = None
) -> list[tuple[int, str, int]]:
    """(label number, heading, heading line) of each '附件 N' label followed by a heading line.

    With the ``listed`` titles, a heading goes on over lines while it is still the start of its
    listed title ('2008年北京奥运会首都国际机场' / '协 调 委 员 会 组 建 方 案', State Council line 1794).
    """
    found: list[tuple[int, str, int]] = []
    for index, (_, text) in enumerate(numbered):
        match = _ANNEX_LABEL.match(text) if "附" in text else None
        if not match:
            continue
        label = int(match.group("n") or 1)
        expected = listed[label - 1] if listed and label <= len(listed) else None
        heading = _heading_after(numbered, index + 1, expected)
        if heading:
            # a bare '附件' label heads the only annex (gazette line 1577)
            found.append((label, heading[0], heading[1]))
    return found


def _heading_after(
    numbered: list[tuple[int, str]], start: int, expected: str | None
) -> tuple[str, int] | None:
    """The heading under an annex label and its first line; a heading cut after 的/和/与 goes on
    to the next line ('深圳湾口岸港方口岸区的' / '查验区界址点坐标', State Council lines 1558-1560)."""
    parts: list[str] = []
    first = 0
    for number, text in numbered[start : start + 12]:
        if not text.strip():
            continue
        if not could_be_title_line(text) or _ANNEX_LABEL.match(text):
            break
        parts.append(text)
        first = first or number
        joined = _attachment_title(" ".join(parts))
        if not _UNFINISHED.search(joined) and not (
            expected and expected.startswith(joined) and joined != expected
        ):
            break
    return (_attachment_title(" ".join(parts)), first) if parts else None


def listed_vs_headings(numbered: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """(line, message) where an annex heading differs from its entry in the one '附件:' list.

    The gazette's list says '沙坡头区高效节灌实施范围' (line 625) where annex 9's heading reads
    '沙坡头区高效节水灌溉实施范围' (line 798): a reviewer should know which one was kept.
    """
    listed, lines = _from_lists(numbered)
    starts = _list_starts(numbered)
    if not listed or len({_list_start(starts, line) for line in lines}) != 1:
        return []
    out = []
    for label, heading, line in annex_headings(numbered, listed):
        if label > len(listed):
            out.append((line, f"附件{label}“{heading}”不在附件列表中"))
        elif heading != listed[label - 1]:
            out.append((line, f"附件{label}的标题“{heading}”与附件列表中的“{listed[label - 1]}”不一致"))
    return out


def _list_starts(numbered: list[tuple[int, str]]) -> list[int]:
    """The lines that open a '附件:' list, in order."""
    return [
        n for n, text in numbered if "附" in text and (_ATTACHMENT_LIST.match(text) or _BARE_LIST.match(text))
    ]


def _list_start(starts: list[int], line: int) -> int:
    """The '附件:' line a list item belongs to (the nearest one at or above it), 0 when none is."""
    index = bisect_right(starts, line)
    return starts[index - 1] if index else 0


def _attachment_title(text: str) -> str:
    text = _OMITTED.sub("", text.strip())
    return _strip_book_marks(join_title([text]))


def _strip_book_marks(text: str) -> str:
    text = text.strip()
    if text.startswith("《") and text.endswith("》") and text.count("《") == 1:
        return text[1:-1]
    return text


def _split_book_titles(text: str) -> list[str]:
    """'《A》和《B》' → ['《A》', '《B》']; plain text stays one title ('和' may belong to a name)."""
    marked = re.findall(r"《[^《》]+》", text)
    if marked:
        return marked
    return [text]


_BOOK_MARK = re.compile("[《》]")


def _flatten_nested(text: str) -> str:
    """Nested book titles printed as 《…《…》…》 read as 〈〉 inside, so the outer title stays whole."""
    depth = 0

    def inner(match: re.Match[str]) -> str:  # only the book-title marks change, not other characters
        nonlocal depth
        if match.group() == "《":
            depth += 1
            return "《" if depth == 1 else "〈"
        depth = max(0, depth - 1)
        return "》" if depth == 0 else "〉"

    return _BOOK_MARK.sub(inner, text)


_NEST_OPEN, _NEST_CLOSE = "(（〔[【《", ")）〕]】》"


def _split_top_level(text: str, separators: str) -> list[str]:
    parts: list[str] = []
    depth = start = 0
    # only brackets and separators decide a cut: visit those, not every character
    for match in re.finditer(f"[{re.escape(_NEST_OPEN + _NEST_CLOSE + separators)}]", text):
        char = match.group()
        if char in _NEST_OPEN:
            depth += 1
        elif char in _NEST_CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0:
            parts.append(text[start : match.start()].strip())
            start = match.end()
    parts.append(text[start:].strip())
    return parts
