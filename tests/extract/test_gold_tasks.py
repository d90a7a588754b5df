"""Task extraction against the gold annotation of the bundled gazette, scored by the shared scorer.

Documents are built from the gold's own line ranges, so these tests measure task extraction alone,
whatever the state of document splitting. Run as a script to print every difference:
``python tests/extract/test_gold_tasks.py``.
"""

from __future__ import annotations

import importlib.util
import io
import json
import sys
import tempfile
from contextlib import redirect_stdout
from datetime import date
from pathlib import Path

import pytest

from taizhang.extract.model import Document
from taizhang.extract.spans import SourceText, Span
from taizhang.extract.tasks import extract_tasks
from taizhang.extract.to_json import task_to_dict, to_dict
from taizhang.extract.units import default_directory
from tests.utils.task_score import compare

ROOT = Path(__file__).resolve().parents[2]
GAZETTE = ROOT / "src" / "taizhang" / "data" / "zhongwei-gazette-2022-02.txt"
SHARED = ROOT.parent / "shared"
GOLD = ROOT / "tests" / "fixtures" / "gold" / "zhongwei-gazette-2022-02.gold.json"
SCORER = SHARED / "tools" / "score_extraction.py"


def _scorer():
    spec = importlib.util.spec_from_file_location("score_extraction", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def gold_documents(gold: dict) -> list[Document]:
    """Documents with the gold's number, issuer, date and line range."""
    return [
        Document(
            doc_number=d["doc_number"],
            title=d["title"],
            issuer=d.get("issuer"),
            date=date.fromisoformat(d["date"]) if d.get("date") else None,
            span=Span(d["line_start"], d["line_end"]),
        )
        for d in gold["documents"]
    ]


def predicted(gold: dict) -> dict:
    """The gold-shaped JSON of our tasks over the gold's documents."""
    source = SourceText.from_string(GAZETTE.name, GAZETTE.read_text(encoding="utf-8"))
    directory = default_directory()
    tasks = [t for doc in gold_documents(gold) for t in extract_tasks(source, doc, directory)]
    return {"documents": gold["documents"], "tasks": [task_to_dict(t) for t in tasks]}


def score(gold: dict, pred: dict | None = None) -> tuple[float, str]:
    """Strict task F1 of ``pred`` (default: our tasks over the gold's documents) and the scorer's
    report: the shared scorer where it stands beside the checkout, else our own comparison
    (tests/utils/task_score.py), so that a clone on its own still scores the gold."""
    pred = pred if pred is not None else predicted(gold)
    if not SCORER.exists():
        own = compare(gold, pred)
        return own.f1, own.report()
    scorer = _scorer()
    out = io.StringIO()
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for name, data in (("gold", gold), ("pred", pred)):
            path = Path(folder) / f"{name}.json"
            path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            paths.append(str(path))
        with redirect_stdout(out):
            scorer.main(["score", *paths])
    report = out.getvalue()
    summary = report.strip().splitlines()[-1]
    return float(summary.rsplit("strict F1", 1)[1]), report


@pytest.fixture(scope="module")
def gold_data() -> dict:
    if not GOLD.exists():
        pytest.skip("gold annotation not found")
    return json.loads(GOLD.read_text(encoding="utf-8"))


def test_strict_task_f1_on_gold_is_at_least_095(gold_data):
    f1, report = score(gold_data)
    assert f1 >= 0.95, report


def test_strict_task_f1_of_the_whole_pipeline_is_at_least_095(gold_data, gazette_extraction):
    f1, report = score(gold_data, to_dict(gazette_extraction))
    assert f1 >= 0.95, report


def test_every_gold_task_is_found_on_its_line(gold_data):
    tasks = predicted(gold_data)["tasks"]
    found = {(t["doc_number"], t["line"]) for t in tasks}
    missing = [
        (g["doc_number"], g["line"], g["title"])
        for g in gold_data["tasks"]
        if (g["doc_number"], g["line"]) not in found
    ]
    assert missing == []


def test_titles_match_gold(gold_data):
    tasks = {(t["doc_number"], t["line"]): t for t in predicted(gold_data)["tasks"]}
    wrong = [
        (g["line"], g["title"], tasks[(g["doc_number"], g["line"])]["title"])
        for g in gold_data["tasks"]
        if (g["doc_number"], g["line"]) in tasks
        and tasks[(g["doc_number"], g["line"])]["title"] != g["title"]
    ]
    assert wrong == []


def test_no_table_tasks_from_responsibility_matrices_or_reporting_forms(gold_data):
    table_docs = {t["doc_number"] for t in predicted(gold_data)["tasks"] if t["source"] == "table"}
    assert table_docs == {"卫政发〔2022〕15号", "卫政办发〔2022〕28号"}


if __name__ == "__main__":
    f1, report = score(json.loads(GOLD.read_text(encoding="utf-8")))
    sys.stdout.write(report)
