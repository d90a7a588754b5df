"""Procedures and people on the web tests' ledger: the catalogue, people, registry and rules read
from the bundled gazette, an expert pool, and consultations brought to a given stage.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from taizhang.extract import extract
from taizhang.services import consultations, experts, people, routing
from taizhang.services.database import open_database, unit_of_work
from taizhang.services.procedures import store_procedures
from taizhang.sources import read_source
from taizhang.storage.tables import documents

from .ledger_factory import GAZETTE

POOL = [(f"专家{n}", "教育管理", f"大学{n}", "库内") for n in range(1, 10)]
PANEL = (1, 2, 3, 4, 5)
DAY = date(2022, 6, 30)
STAGES = ("requested", "panel", "opinions", "adopted", "fed_back", "reported")


def add_procedures(url: str) -> None:
    """Store what the gazette says about procedures and people on a ledger that has its documents."""
    engine = open_database(url)
    source = read_source(GAZETTE)
    extraction = extract(source)
    with unit_of_work(engine) as conn:
        doc_ids = {
            r.doc_number: r.id for r in conn.execute(sa.select(documents.c.doc_number, documents.c.id))
        }
        assert extraction.readings is not None  # extract() reads procedures after the tasks
        store_procedures(conn, extraction, extraction.readings.procedures, doc_ids, actor="import")
        for name, field, affiliation, pool in POOL:
            experts.add_expert(conn, "import", name=name, field_=field, affiliation=affiliation, pool=pool)
    engine.dispose()


def copy_ledger(template: str, target: Path) -> str:
    """A copy of a SQLite ledger file; returns its URL."""
    shutil.copy(template, target)
    return f"sqlite:///{target}"


def consultation_at(conn: Connection, stage: str) -> int:
    """A consultation on decision 1 (市教育局) brought up to ``stage`` (one of STAGES)."""
    done = STAGES[: STAGES.index(stage) + 1]
    cid = consultations.request_consultation(
        conn,
        "office",
        1,
        topic="县管校聘",
        form="专家小组论证",
        requested_on=date(2022, 6, 20),
        meeting_on=DAY,
    )
    if "panel" in done:
        consultations.set_panel(conn, "office", cid, [consultations.PanelChoice(i) for i in PANEL])
    for expert in PANEL:
        if "opinions" in done:
            consultations.record_opinion(
                conn, "office", cid, expert, opinion="同意", signed=True, pledge_signed=True, submitted_on=DAY
            )
        if "adopted" in done:
            consultations.record_adoption(conn, "office", cid, expert, adoption="采纳")
        if "fed_back" in done:
            consultations.record_feedback(conn, "office", cid, expert, feedback_on=DAY)
    if "reported" in done:
        consultations.report_consultation(conn, "office", cid, summary="可行", reported_on=DAY)
    return cid


def a_request(conn: Connection) -> int:
    """A pending approval for 督查科."""
    return int(
        routing.route_request(conn, "office", kind="审批", target="督查科", subject="请示", day=DAY)["id"]
    )


def an_absence(conn: Connection) -> int:
    """An absence of 雍跃斌."""
    return people.add_absence(conn, "office", "雍跃斌", date(2022, 7, 1), date(2022, 7, 5), "出差")
