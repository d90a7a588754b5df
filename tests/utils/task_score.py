"""Our own comparison of extracted tasks with a gold annotation: label, line, units by role, deadline.

Tasks are compared inside their document (grouped by document number); table rows count only in
documents whose gold annotates its tables. A gold task is found by a
predicted task with the same label (brackets and dots ignored, full-width folded) nearest in lines,
or, for a task without a label, one on the same line. It is *strictly right* when its lead,
responsible and cooperating unit sets and its deadline kind and due date equal the gold's.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

ROLES = ("lead", "responsible", "cooperating")
_MAX_LINE_GAP = 60


def _fold(text: str | None) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def label_key(label: str | None) -> str:
    """'（一）', '(一)' and '一' are one label; so are '1．', '1.' and '1'."""
    return re.sub(r"[()（）.．、]", "", _fold(label))


def facts(task: dict[str, Any]) -> tuple[Any, ...]:
    """What must be right: unit sets by role and the deadline's kind and due date."""
    deadline = task.get("deadline") or {}
    units = tuple(frozenset(_fold(u) for u in task.get(role) or ()) for role in ROLES)
    return (*units, deadline.get("kind"), deadline.get("due"))


@dataclass
class Score:
    """Counts of one comparison, and what differed (for the assertion message)."""

    gold: int = 0
    predicted: int = 0
    matched: int = 0
    strict: int = 0
    differences: list[str] = field(default_factory=list)

    @property
    def f1(self) -> float:
        """Strict F1: precision of matched predictions, recall of strictly right gold tasks."""
        precision = self.matched / self.predicted if self.predicted else float(self.gold == 0)
        recall = self.strict / self.gold if self.gold else 1.0
        return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)

    def report(self) -> str:
        """The differences and the counts, one per line."""
        head = f"gold {self.gold} predicted {self.predicted} matched {self.matched} strict {self.strict} F1 {self.f1:.3f}"
        return "\n".join([head, *self.differences])


def compare(gold: dict[str, Any], predicted: dict[str, Any]) -> Score:
    """Compare the text tasks of ``predicted`` (an ``extract --json`` object) with ``gold``."""
    score = Score()
    gold_by_doc: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    pred_by_doc: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    for task in gold["tasks"]:
        gold_by_doc[task.get("doc_number")].append(task)
    # a gold file annotates the tables of some documents only: table rows count where it does
    annotated_tables = {t.get("doc_number") for t in gold["tasks"] if t.get("source") == "table"}
    for task in predicted["tasks"]:
        if task.get("source", "text") == "text" or task.get("doc_number") in annotated_tables:
            pred_by_doc[task.get("doc_number")].append(task)
    for doc in set(gold_by_doc) | set(pred_by_doc):
        _compare_document(gold_by_doc[doc], pred_by_doc[doc], score)
    return score


def _compare_document(gold: list[dict[str, Any]], predicted: list[dict[str, Any]], score: Score) -> None:
    score.gold += len(gold)
    score.predicted += len(predicted)
    free = list(range(len(predicted)))
    for task in sorted(gold, key=lambda t: t["line"]):
        index = _partner(task, predicted, free)
        where = f"{task.get('doc_number')} {task.get('label')} line {task['line']}"
        if index is None:
            score.differences.append(f"missing: {where}")
            continue
        free.remove(index)
        score.matched += 1
        if facts(task) == facts(predicted[index]):
            score.strict += 1
        else:
            score.differences.append(f"differs: {where}: gold {facts(task)} got {facts(predicted[index])}")
    for index in free:
        extra = predicted[index]
        score.differences.append(
            f"extra: {extra.get('doc_number')} {extra.get('label')} line {extra['line']}"
        )


def _partner(task: dict[str, Any], predicted: list[dict[str, Any]], free: list[int]) -> int | None:
    """The free predicted task that stands for ``task``: same label, nearest line; else same line."""
    key = label_key(task.get("label"))
    same_label = [i for i in free if key and label_key(predicted[i].get("label")) == key]
    near = [i for i in same_label if abs(predicted[i]["line"] - task["line"]) <= _MAX_LINE_GAP]
    if near:
        return min(near, key=lambda i: abs(predicted[i]["line"] - task["line"]))
    same_line = [i for i in free if predicted[i]["line"] == task["line"] and not key]
    return same_line[0] if same_line else None
