"""The one normalisation stage between reading a file and extracting from it.

Every reader (text, PDF, Word) hands its text here before it becomes a ``SourceText``.
Guarantees for the stages after it:

- no control character other than tab, line feed and carriage return: each other one (a form
  feed from pdftotext, a record separator or NUL from a damaged export) becomes one space, so
  lines, columns and positions stay where they were and databases accept the text;
- ideographs that PDF fonts exported as radicals are real ideographs (``glyphs.repair_radicals``);
- math a PDF-to-text tool left as LaTeX reads as printed: ``$\\geq 35\\%$`` → ``≥ 35%``, ``万 m^3`` →
  ``万 m³``; each repair is padded with spaces to the length it replaces, so columns stay put.
"""

from __future__ import annotations

import re

from .glyphs import repair_radicals

# C0 and C1 controls and DEL, without \t \n \r
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


# LaTeX a converter leaves for what the page prints as a symbol: the symbol as printed
_LATEX_SYMBOLS = {"\\geq": "≥", "\\leq": "≤", "\\ge": "≥", "\\le": "≤", "\\%": "%", "\\times": "×"}
_LATEX = re.compile(
    r"\\(?:geq|leq|ge|le|times)(?![A-Za-z])|\\%|(?<=[mM]) *\^ *\{? *[23] *\}?"
)  # spaces only: a tab parts cells
# a math span: $…$ on one line holding LaTeX (a backslash or a superscript), not a price such as $100
_MATH = re.compile(r"\$(?P<math>[^$\n]{0,60}?[\\^][^$\n]{0,60}?)\$")


def _symbol(match: re.Match[str]) -> str:
    found = match.group(0)
    printed = _LATEX_SYMBOLS.get(found) or ("³" if "3" in found else "²")
    return printed.ljust(len(found))


def repair_latex(text: str) -> str:
    """LaTeX symbols and superscripts as the characters they print, padded to keep every column."""
    if "\\" not in text and "^" not in text:
        return text
    text = _MATH.sub(lambda m: f" {m.group('math')} ", text)
    return _LATEX.sub(_symbol, text)


def normalise(text: str) -> str:
    """``text`` with control characters as spaces, radical glyphs as ideographs and LaTeX as printed
    (same line count, same columns)."""
    return repair_latex(repair_radicals(_CONTROL.sub(" ", text)))
