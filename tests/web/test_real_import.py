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
    result = import_file(engine, GAZETTE, city="中卫市")
    with unit_of_work(engine) as conn:
        accounts.add_user(conn, "office", "password-123", "office")
    engine.dispose()
    app = make_app(url, folder)
    client = TestClient(app, follow_redirects=False)
    sign_in(client, "office")
    client.imported_review_items = result.review_items  # what `import` printed as 项待审核
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


def test_review_counts_agree_and_document_findings_are_on_the_review_page(imported):
    """`import`, the documents list (page and API) and the review page count the same review items;
    a `check` finding that concerns no task (a scheme's 权重 totalling 95) is a document item there."""
    count = imported.imported_review_items
    assert count > 0
    documents = imported.get("/api/documents").json()["data"]
    assert sum(d["review_items"] for d in documents) == count
    listed = imported.get("/documents").text
    shown = [int(n) for n in re.findall(r'<td data-label="待审核">(\d+)</td>', listed)]
    assert sum(shown) == count
    page = imported.get("/review").text
    assert f"共 {count} 项待审核" in page
    weights = "权重合计不一致：应为“100”，第1161行实为“95”"
    assert weights in page
    item = page[page.index(weights) :].split("</li></ul></li>", 1)[0]
    assert "第1161行：" in item  # the source line beside the finding
