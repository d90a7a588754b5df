"""OFD (GB/T 33190, the national fixed-layout format) → text lines, read from the package's XML.

An OFD file is a zip: ``OFD.xml`` names each document's root (``Doc_0/Document.xml``), which lists
its pages in order (``Pages/Page[@BaseLoc]``); a page's ``Content.xml`` holds ``TextObject``
elements, each placed by its ``Boundary`` ("x y w h", millimetres) with ``TextCode`` runs at
offsets ``X``/``Y`` inside it. Runs whose baselines lie within half a character of each other
are one printed line, read left to right.

Guarantees, as for PDF: pages are joined by one blank line and the first line of each page is
recorded; running heads, feet and page numbers are blanked (``extract.page_meta``); a damaged
package, a missing part or XML that does not parse is a ``SourceError`` naming the part.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

from ..errors import SourceError
from ..extract.page_meta import blank_page_furniture
from .pdf_reader import PdfText

# How close two runs' baselines must be (share of the taller run's height) to be one line
SAME_LINE = 0.5


@dataclass(frozen=True)
class _Run:
    x: float
    y: float
    height: float
    text: str


def read_ofd(name: str, data: bytes) -> PdfText:
    """Text of every page of every document in an OFD package, pages joined by blank lines."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise SourceError(name, "OFD 文件已损坏（不是完整的 OFD 压缩包）") from exc
    with package:
        pages = [_page_lines(name, package, part) for part in _page_parts(name, package)]
    if not any(line.strip() for lines in pages for line in lines):
        raise SourceError(name, f"OFD 中没有文字（{len(pages)} 页可能都是图片）：请先做文字识别（OCR）")
    starts: list[int] = []
    out: list[str] = []
    for lines in pages:
        if out:
            out.append("")
        starts.append(len(out) + 1)
        out.extend(lines)
    return PdfText("\n".join(blank_page_furniture(out, tuple(starts))), tuple(starts))


def _local(tag: str) -> str:
    """An element's name without its namespace (OFD files differ in how they declare it)."""
    return tag.rpartition("}")[2]


def _children(element: ElementTree.Element, name: str) -> list[ElementTree.Element]:
    return [e for e in element.iter() if _local(e.tag) == name]


def _xml(name: str, package: zipfile.ZipFile, part: str) -> ElementTree.Element:
    try:
        data = package.read(part)
    except KeyError as exc:
        raise SourceError(name, f"OFD 文件缺少 {part}") from exc
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise SourceError(name, f"OFD 文件已损坏：无法读出 {part}") from exc
    if b"<!DOCTYPE" in data[:1024] or b"<!ENTITY" in data:
        raise SourceError(name, f"OFD 文件的 {part} 含有不允许的实体声明")
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise SourceError(name, f"OFD 文件已损坏：{part} 第 {exc.position[0]} 行不是合法的 XML") from exc


def _resolve(base: str, location: str) -> str:
    """A part's path inside the package from a location relative to ``base``'s folder, or absolute."""
    location = location.strip().replace("\\", "/")
    if location.startswith("/"):
        return location.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), location))


def _page_parts(name: str, package: zipfile.ZipFile) -> list[str]:
    """The Content.xml of each page, in reading order, across the package's documents."""
    parts: list[str] = []
    for root in _children(_xml(name, package, "OFD.xml"), "DocRoot"):
        document_part = _resolve("OFD.xml", root.text or "")
        document = _xml(name, package, document_part)
        for page in _children(document, "Page"):
            location = page.get("BaseLoc")
            if location:
                parts.append(_resolve(document_part, location))
    if not parts:
        raise SourceError(name, "OFD 文件中没有页面（OFD.xml 或 Document.xml 未列出页面）")
    return parts


def _numbers(text: str | None, count: int) -> list[float]:
    values = [float(v) for v in (text or "").split()]
    return (values + [0.0] * count)[:count]


def _runs(name: str, content: ElementTree.Element, part: str) -> list[_Run]:
    runs: list[_Run] = []
    for obj in _children(content, "TextObject"):
        try:
            x, y, _, height = _numbers(obj.get("Boundary"), 4)
            size = float(obj.get("Size") or height or 1.0)
            for code in _children(obj, "TextCode"):
                if code.text and code.text.strip():
                    cx, cy = float(code.get("X") or 0), float(code.get("Y") or 0)
                    runs.append(_Run(x + cx, y + cy, size, code.text))
        except ValueError as exc:
            raise SourceError(name, f"OFD 文件已损坏：{part} 中的文字位置不是数字") from exc
    return runs


def _page_lines(name: str, package: zipfile.ZipFile, part: str) -> list[str]:
    """The printed lines of one page, top to bottom, each read left to right."""
    runs = sorted(_runs(name, _xml(name, package, part), part), key=lambda r: (r.y, r.x))
    lines: list[list[_Run]] = []
    for run in runs:
        if lines and abs(run.y - lines[-1][0].y) <= SAME_LINE * max(run.height, lines[-1][0].height):
            lines[-1].append(run)
        else:
            lines.append([run])
    return ["".join(r.text for r in sorted(line, key=lambda r: r.x)) for line in lines]
