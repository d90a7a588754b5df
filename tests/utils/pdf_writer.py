"""A tiny PDF writer for tests: Chinese text and ruled lines on A4 pages, no dependency.

Text is set in the Adobe CJK font STSong-Light through the UniGB-UCS2-H encoding, which every
PDF reader (pdfminer included) knows without an embedded font, so a test can lay out a page the
way another government's office prints it (a 序号 centred in its row, cells wrapped over several
lines, a table ruled or not) and read it back through the product's PDF path. Coordinates are in
points from the top-left corner of the page, as pdfplumber reports them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PAGE_WIDTH = 595
PAGE_HEIGHT = 842


@dataclass
class Page:
    """One page being drawn: text runs and straight lines."""

    ops: list[str] = field(default_factory=list)

    def text(self, x: float, top: float, text: str, size: float = 10) -> None:
        """Print ``text`` with its top edge at ``top`` (each character one em wide)."""
        encoded = "".join(f"{ord(char):04X}" for char in text)
        baseline = PAGE_HEIGHT - top - size * 0.88
        self.ops.append(f"BT /F1 {size} Tf {x:.2f} {baseline:.2f} Td <{encoded}> Tj ET")

    def line(self, x0: float, top0: float, x1: float, top1: float) -> None:
        """A ruled line from (x0, top0) to (x1, top1)."""
        self.ops.append(f"0.6 w {x0:.2f} {PAGE_HEIGHT - top0:.2f} m {x1:.2f} {PAGE_HEIGHT - top1:.2f} l S")


def write_pdf(pages: list[Page]) -> bytes:
    """The bytes of a PDF of ``pages``."""
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, filled in below
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H"
        b" /DescendantFonts [4 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light"
        b" /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >>"
        b" /FontDescriptor 5 0 R /DW 1000 >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880]"
        b" /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
    ]
    kids = []
    for page in pages:
        stream = "\n".join(page.ops).encode("ascii")
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        content = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R"
            b" /Resources << /Font << /F1 3 0 R >> >> >>" % (PAGE_WIDTH, PAGE_HEIGHT, content)
        )
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [" + b" ".join(kids) + b"] /Count %d >>" % len(pages)
    return pdf_file(objects)


def pdf_file(objects: list[bytes]) -> bytes:
    """The bytes of a PDF file holding ``objects`` (numbered from 1, the first the catalogue) and their
    cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def wrap(text: str, chars: int) -> list[str]:
    """``text`` cut into printed lines of at most ``chars`` characters (a table cell's wrap)."""
    return [text[i : i + chars] for i in range(0, len(text), chars)] or [""]


def draw_table(
    page: Page,
    top: float,
    widths: list[int],
    rows: list[tuple[str, ...]],
    *,
    size: float = 10,
    ruled: str = "grid",
    centred: bool = True,
    left: float = 40,
) -> float:
    """Draw ``rows`` as a table whose columns hold ``widths`` characters each and return its bottom.

    Every cell wraps at its column's width; ``centred`` centres each cell vertically in its row
    (the 序号 of a tall row is printed on its middle line), else cells hang from the row's top.
    ``ruled``: "grid" (every rule), "rows" (horizontal rules only) or "none".
    """
    pad, leading = 3.0, size * 1.5
    xs = [left]
    for width in widths:
        xs.append(xs[-1] + width * size + 2 * pad)
    y = top
    tops = [y]
    for row in rows:
        cells = [wrap(text, width) for text, width in zip(row, widths, strict=True)]
        height = max(len(c) for c in cells) * leading + 2 * pad
        for x, lines in zip(xs, cells, strict=False):
            first = y + pad + ((height - 2 * pad - len(lines) * leading) / 2 if centred else 0)
            for index, line in enumerate(lines):
                page.text(x + pad, first + index * leading + (leading - size) / 2, line, size)
        y += height
        tops.append(y)
    if ruled in ("grid", "rows"):
        for t in tops:
            page.line(xs[0], t, xs[-1], t)
    if ruled == "grid":
        for x in xs:
            page.line(x, top, x, y)
    return y
