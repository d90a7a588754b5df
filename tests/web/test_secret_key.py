"""The session key: a cookie signed with the public default key must never open the office's pages.

The attack: on default settings anyone signs ``{"uid": 1, "csrf": "x"}`` with ``change-me`` and acts
as the office. ``serve`` refuses such settings; ``--dev`` on loopback swaps in a random key.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from taizhang.cli.app import app as cli
from taizhang.errors import InsecureConfiguration
from taizhang.settings import DEFAULT_SECRET, Settings, load_settings
from taizhang.web import server
from taizhang.web.app import create_app
from taizhang.web.security import SESSION_COOKIE, Session, SessionCodec

from .conftest import AS_OF


@pytest.fixture
def no_env(monkeypatch, tmp_path):
    """No TAIZHANG_SECRET_KEY from the environment or a .env file; uvicorn.run only records its app."""
    monkeypatch.delenv("TAIZHANG_SECRET_KEY", raising=False)
    monkeypatch.chdir(tmp_path)
    started: list[object] = []
    monkeypatch.setattr(server.uvicorn, "run", lambda application, **_: started.append(application))
    return started


def forged_office_cookie() -> str:
    return SessionCodec(DEFAULT_SECRET).dumps(Session(user_id=1, csrf="x"))  # user 1: the office


def test_the_app_refuses_the_public_default_key(ledger, no_env):
    with pytest.raises(InsecureConfiguration, match="TAIZHANG_SECRET_KEY"):
        create_app(load_settings(database_url=ledger.url))
    with pytest.raises(InsecureConfiguration):
        create_app(load_settings(database_url=ledger.url, secret_key="  "))


@pytest.mark.parametrize("key", [DEFAULT_SECRET, "", "short-but-not-default"])
def test_serve_refuses_a_public_or_short_key(ledger, no_env, key, monkeypatch):
    monkeypatch.setenv("TAIZHANG_SECRET_KEY", key)
    result = CliRunner().invoke(cli, ["serve", "--db", ledger.url])
    assert isinstance(result.exception, InsecureConfiguration)
    assert "taizhang init" in str(result.exception) and "台账已启动" not in result.output
    assert no_env == []


def test_serve_dev_on_loopback_uses_a_random_key_the_forged_cookie_does_not_match(ledger, no_env):
    settings = server.serving_settings(load_settings(database_url=ledger.url), "127.0.0.1", dev=True)
    assert settings.secret_key != DEFAULT_SECRET and len(settings.secret_key) >= 32
    application = create_app(settings, as_of=AS_OF)
    client = TestClient(application, follow_redirects=False)
    client.cookies.set(SESSION_COOKIE, forged_office_cookie())
    assert client.get("/review").status_code == 303  # anonymous: sent to the login page
    assert client.post("/tasks/1/chase", data={"csrf_token": "x"}).status_code in (303, 401, 403)
    application.state.engine.dispose()


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.5", "::"])
def test_dev_flag_is_for_loopback_only(ledger, no_env, host):
    with pytest.raises(InsecureConfiguration, match="--dev"):
        server.serving_settings(load_settings(database_url=ledger.url), host, dev=True)


def test_init_writes_a_key_once_and_serve_then_starts(ledger, no_env, tmp_path):
    runner = CliRunner()
    assert runner.invoke(cli, ["init"]).exit_code == 0
    written = (tmp_path / ".env").read_text(encoding="utf-8")
    assert runner.invoke(cli, ["init"]).exit_code == 0
    assert (tmp_path / ".env").read_text(encoding="utf-8") == written  # kept, not replaced
    key = Settings().secret_key
    assert written == f"TAIZHANG_SECRET_KEY={key}\n" and len(key) >= 32
    result = runner.invoke(cli, ["serve", "--db", ledger.url, "--host", "0.0.0.0"])
    assert result.exit_code == 0, result.output
    assert len(no_env) == 1
