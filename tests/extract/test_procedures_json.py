"""The procedures part of ``taizhang extract --json``: every key is documented."""

from __future__ import annotations

import re
from pathlib import Path

from taizhang.extract.to_json import to_dict

DOCS = Path(__file__).resolve().parents[2] / "docs" / "extraction-format.md"
SECTIONS = ("decisions", "posts", "backup_pairs", "normative", "status_links", "consultation_rules")


def _keys(obj):
    if isinstance(obj, dict):
        for key, value in obj.items():
            yield key
            yield from _keys(value)
    elif isinstance(obj, list):
        for item in obj:
            yield from _keys(item)


def test_the_extraction_shows_every_procedures_section(gazette_extraction):
    data = to_dict(gazette_extraction)
    assert [len(data[s]) for s in SECTIONS] == [9, 14, 4, 6, 4, 16]


def test_every_key_of_the_procedures_sections_is_documented(gazette_extraction):
    text = DOCS.read_text(encoding="utf-8")
    data = to_dict(gazette_extraction)
    keys = set(SECTIONS) | {k for s in SECTIONS for k in _keys(data[s])}
    assert sorted(k for k in keys if not re.search(rf"`{re.escape(k)}`", text)) == []
