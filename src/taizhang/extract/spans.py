"""The source text as the extractor sees it: original lines, numbered from 1.

Every extracted object points back into these lines with a :class:`Span`, so a reviewer can
check it against the gazette as printed.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass


@dataclass(frozen=True, order=True, slots=True)
class Span:
    """Lines ``start``..``end`` of the source, 1-based and inclusive."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 1 or self.end < self.start:
            raise ValueError(f"行范围无效：{self.start}-{self.end}")

    def __contains__(self, line: object) -> bool:
        return isinstance(line, int) and self.start <= line <= self.end

    def lines(self) -> range:
        """The line numbers covered."""
        return range(self.start, self.end + 1)


@dataclass(frozen=True)
class SourceText:
    """One gazette issue or document as text: its name (for messages) and its original lines.

    ``page_starts`` holds the first line of each printed page when the file had pages (a PDF),
    so that a fact can be shown as "page 3, line 120"; it is empty for text and Word files.
    """

    name: str
    lines: tuple[str, ...]
    page_starts: tuple[int, ...] = ()

    @classmethod
    def from_string(cls, name: str, text: str, page_starts: tuple[int, ...] = ()) -> SourceText:
        """Split text into lines the way a text editor numbers them."""
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if text.startswith("\ufeff"):
            text = text[1:]
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        return cls(name=name, lines=tuple(lines), page_starts=page_starts)

    def __hash__(self) -> int:
        # Hashed once: the table stages look a source up by (source, span) for every document, and
        # hashing thousands of lines each time showed in the profile.
        cached: int | None = self.__dict__.get("_hash")
        if cached is None:
            cached = hash((self.name, self.lines, self.page_starts))
            object.__setattr__(self, "_hash", cached)
        return cached

    def __getstate__(self) -> dict[str, object]:
        # a string's hash differs between processes: a pickled source hashes itself anew
        return {k: v for k, v in self.__dict__.items() if k != "_hash"}

    def page_of(self, line: int) -> int | None:
        """The 1-based page that ``line`` is printed on, or None when the file has no pages."""
        if not self.page_starts:
            return None
        return max(1, bisect_right(self.page_starts, line))

    def __len__(self) -> int:
        return len(self.lines)

    def line(self, number: int) -> str:
        """The text of line ``number`` (1-based)."""
        return self.lines[number - 1]

    def text(self, span: Span) -> str:
        """The lines of ``span`` joined with newlines."""
        return "\n".join(self.lines[span.start - 1 : span.end])

    def numbered(self, span: Span | None = None) -> list[tuple[int, str]]:
        """``(line number, text)`` pairs of a span, or of the whole source."""
        if span is None:
            return list(enumerate(self.lines, start=1))
        return list(zip(range(span.start, span.end + 1), self.lines[span.start - 1 : span.end], strict=False))
