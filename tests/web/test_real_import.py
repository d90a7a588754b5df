"""Every page renders on a ledger made by the real import of the bundled gazette (not the gold rows)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from taizhang.services import accounts
from taizhang.services.database import open_database, unit_of_work
from taizhang.services.import_issue import import_file

from .conftest import make_app, sign_in
from .ledger_factory import GAZETTE


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    folder = tmp_path_factory.mktemp("imported")
    url = f"sqlite:///{folder / 'ledger.db'}"
    engine = open_database(url)
    import_file(engine, GAZETTE, city="中卫市")
    with unit_of_work(engine) as conn:
        accounts.add_user(conn, "office", "password-123", "office")
    engine.dispose()
    app = make_app(url, folder)
    client = TestClient(app, follow_redirects=False)
    sign_in(client, "office")
    yield client
    app.state.engine.dispose()


def test_every_page_renders(imported):
    documents = imported.get("/api/documents").json()["data"]
    tasks = imported.get("/api/tasks", params={"limit": 500}).json()["data"]
    assert documents and tasks
    paths = ["/", "/ledger", "/documents", "/review", "/public", "/ledger.xlsx"]
    paths += [f"/documents/{d['id']}" for d in documents]
    paths += [f"/public/documents/{d['id']}" for d in documents if d["is_public"]]
    paths += [f"/tasks/{t['id']}" for t in tasks]
    failures = [(path, status) for path in paths if (status := imported.get(path).status_code) != 200]
    assert failures == []


def test_reader_links_every_imported_task_at_its_line(imported):
    tasks = imported.get("/api/tasks", params={"limit": 500}).json()["data"]
    by_document: dict[int, list[dict]] = {}
    for task in tasks:
        by_document.setdefault(task["document_id"], []).append(task)
    for document_id, listed in by_document.items():
        page = imported.get(f"/documents/{document_id}").text
        for task in listed:
            line = re.search(rf'<li id="L{task["line"]}" class="[^"]*">(.*?)</li>', page, re.S)
            assert line and f'href="/tasks/{task["id"]}"' in line.group(1), (document_id, task["line"])
