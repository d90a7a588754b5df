"""The one normalisation stage between reading a file and extracting from it.

Every reader (text, PDF, Word) hands its text here before it becomes a ``SourceText``.
Guarantees for the stages after it:

- no control character other than tab, line feed and carriage return: each other one (a form
  feed from pdftotext, a record separator or NUL from a damaged export) becomes one space, so
  lines, columns and positions stay where they were and databases accept the text;
- ideographs that PDF fonts exported as radicals are real ideographs (``glyphs.repair_radicals``).
"""

from __future__ import annotations

import re

from .glyphs import repair_radicals

# C0 and C1 controls and DEL, without \t \n \r
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def normalise(text: str) -> str:
    """``text`` with control characters as spaces and radical glyphs as ideographs (same line count)."""
    return repair_radicals(_CONTROL.sub(" ", text))
