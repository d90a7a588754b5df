"""Web fixtures: a ledger built from the bundled gazette and gold tasks, an app and clients on it."""

from __future__ import annotations

import shutil
from datetime import date

import pytest
from fastapi.testclient import TestClient

from taizhang.services import accounts
from taizhang.settings import load_settings
from taizhang.web.app import create_app
from taizhang.web.security import SESSION_COOKIE, Session, SessionCodec

from .chromium import ARGS, CHROMIUM
from .ledger_factory import PASSWORD, Ledger, build_ledger

AS_OF = date(2022, 6, 30)
SECRET = "test-secret"


@pytest.fixture(scope="session")
def ledger_template(tmp_path_factory) -> tuple[str, Ledger]:
    """One SQLite ledger built per session; tests get copies of the file."""
    path = tmp_path_factory.mktemp("ledger") / "template.db"
    return str(path), build_ledger(f"sqlite:///{path}")


@pytest.fixture
def ledger(ledger_template, tmp_path) -> Ledger:
    """A fresh copy of the SQLite ledger for one test."""
    source, built = ledger_template
    target = tmp_path / "ledger.db"
    shutil.copy(source, target)
    return Ledger(f"sqlite:///{target}", dict(built.tokens), list(built.task_ids))


def make_app(url: str, tmp_path):
    settings = load_settings(database_url=url, upload_dir=tmp_path / "uploads", secret_key=SECRET)
    return create_app(settings, as_of=AS_OF)


@pytest.fixture
def app(ledger, tmp_path):
    application = make_app(ledger.url, tmp_path)
    yield application
    application.state.engine.dispose()


@pytest.fixture
def client(app) -> TestClient:
    """An anonymous browser-like client (follows no redirects, so tests see them)."""
    return TestClient(app, follow_redirects=False)


def login(client: TestClient, name: str, password: str = PASSWORD):
    """Log ``client`` in through the form, CSRF token included; returns the response."""
    page = client.get("/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    return client.post("/login", data={"name": name, "password": password, "csrf_token": token, "next": "/"})


def csrf_of(client: TestClient, path: str = "/") -> str:
    """The CSRF token on a page the logged-in client can see."""
    page = client.get(path)
    return page.text.split('name="csrf_token" value="')[1].split('"')[0]


def sign_in(client: TestClient, name: str) -> str:
    """Give ``client`` a signed session for user ``name`` without the password round; returns its CSRF token.

    The login form itself is tested in test_pages; the other tests skip its deliberately slow
    password hash.
    """
    with client.app.state.engine.connect() as conn:
        user_id = accounts.get_user_by_name(conn, name).id
    session = Session(user_id=user_id)
    client.cookies.set(SESSION_COOKIE, SessionCodec(SECRET).dumps(session))
    return session.csrf


# Procedures and people: the same ledger with the catalogue, people, registry and rules added ----


@pytest.fixture(scope="session")
def procedures_template(ledger_template, tmp_path_factory) -> str:
    """The web tests' ledger with procedures and people added, built once per session."""
    from .procedures_factory import add_procedures, copy_ledger

    source, _ = ledger_template
    path = tmp_path_factory.mktemp("procedures") / "template.db"
    add_procedures(copy_ledger(source, path))
    return str(path)


@pytest.fixture
def procedures_app(procedures_template, tmp_path):
    """An app on a fresh copy of the procedures ledger (migrated already: no upgrade per test)."""
    from taizhang.storage.engine import create_db_engine

    from .procedures_factory import copy_ledger

    url = copy_ledger(procedures_template, tmp_path / "procedures.db")
    settings = load_settings(database_url=url, upload_dir=tmp_path / "uploads", secret_key=SECRET)
    application = create_app(settings, engine=create_db_engine(url), as_of=AS_OF)
    yield application
    application.state.engine.dispose()


@pytest.fixture(scope="session")
def tokens(ledger_template) -> dict[str, str]:
    """The API tokens of the web tests' accounts (the procedures ledger is a copy of that ledger)."""
    return ledger_template[1].tokens


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium for one test module (browser tests also carry ``chromium.needs_chromium``)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield chromium
        chromium.close()
