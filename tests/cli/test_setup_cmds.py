"""Setting a deployment up: `init` writes the settings and an empty ledger, `db upgrade` migrates,
the other commands neither create nor migrate a database."""

from __future__ import annotations

import json

import pytest
from alembic import command
from typer.testing import CliRunner

from taizhang.cli.app import app
from taizhang.errors import InvalidInput, LedgerNotReady
from taizhang.settings import Settings
from taizhang.storage.engine import create_db_engine
from taizhang.storage.schema import alembic_config, schema_state
from taizhang.web import server

runner = CliRunner()


@pytest.fixture
def fresh_dir(monkeypatch, tmp_path):
    """An empty working directory and no TAIZHANG_* settings from the environment."""
    for name in ("CITY", "ISSUER", "DATABASE_URL", "SECRET_KEY", "UNIT_DIRECTORY", "AUTO_UPGRADE"):
        monkeypatch.delenv(f"TAIZHANG_{name}", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(*args: str):
    return runner.invoke(app, list(args))


def test_init_writes_the_city_the_issuer_and_an_empty_ledger(fresh_dir):
    result = invoke("init", "--city", "安庆市", "--issuer", "安庆市人民政府办公室")
    assert result.exit_code == 0, result.output
    settings = Settings()
    assert (settings.city, settings.issuer, len(settings.secret_key) >= 32) == (
        "安庆市",
        "安庆市人民政府办公室",
        True,
    )
    assert (fresh_dir / "taizhang.db").exists()
    listed = invoke("documents", "--json")
    assert listed.exit_code == 0 and json.loads(listed.output) == []
    key = settings.secret_key
    assert invoke("init", "--city", "芜湖市").exit_code == 0
    again = Settings()
    assert (again.city, again.issuer, again.secret_key) == ("芜湖市", "安庆市人民政府办公室", key)
    assert (fresh_dir / ".env").read_text(encoding="utf-8").count("TAIZHANG_CITY=") == 1


def test_no_city_is_configured_by_default(fresh_dir):
    settings = Settings()
    assert (settings.city, settings.issuer) == (None, None)


def test_init_refuses_a_unit_directory_that_is_not_there(fresh_dir):
    result = invoke("init", "--unit-directory", str(fresh_dir / "nope.json"))
    assert isinstance(result.exception, InvalidInput) and "nope.json" in str(result.exception)
    assert not (fresh_dir / ".env").exists() and not (fresh_dir / "taizhang.db").exists()


@pytest.mark.parametrize(
    "args", [["tasks"], ["documents", "--json"], ["units"], ["user", "list"], ["notices"]]
)
def test_commands_that_read_refuse_a_missing_database_and_do_not_create_it(fresh_dir, args):
    result = invoke(*args, "--db", f"sqlite:///{fresh_dir / 'typo.db'}")
    assert isinstance(result.exception, LedgerNotReady), result.output
    assert "taizhang init" in str(result.exception)
    assert not (fresh_dir / "typo.db").exists()


def test_an_older_schema_is_refused_until_db_upgrade(fresh_dir):
    url = f"sqlite:///{fresh_dir / 'old.db'}"
    engine = create_db_engine(url)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "+1")  # the first revision only
    assert schema_state(engine) == "old"
    refused = invoke("tasks", "--db", url)
    assert isinstance(refused.exception, LedgerNotReady) and "taizhang db upgrade" in str(refused.exception)
    assert schema_state(engine) == "old"  # a read command changed nothing
    upgraded = invoke("db", "upgrade", "--db", url)
    assert upgraded.exit_code == 0, upgraded.output
    assert schema_state(engine) == "current"
    assert invoke("tasks", "--db", url, "--json").exit_code == 0
    engine.dispose()


def test_serve_refuses_a_missing_database_with_a_hint(fresh_dir, monkeypatch):
    started: list[object] = []
    monkeypatch.setattr(server.uvicorn, "run", lambda application, **_: started.append(application))
    monkeypatch.setenv("TAIZHANG_SECRET_KEY", "k" * 48)
    result = invoke("serve", "--db", f"sqlite:///{fresh_dir / 'typo.db'}")
    assert isinstance(result.exception, LedgerNotReady) and "taizhang init" in str(result.exception)
    assert started == [] and not (fresh_dir / "typo.db").exists()


def test_another_city_from_init_to_its_notice(fresh_dir):
    from docx import Document

    from tests.conftest import FIXTURES

    assert invoke("init", "--city", "安庆市", "--issuer", "安庆市人民政府办公室").exit_code == 0
    plan = FIXTURES / "plans" / "jinan_2021_digital_pioneer_city_plan.txt"
    imported = invoke("import", str(plan))
    assert imported.exit_code == 0, imported.output
    assert invoke("export", "docx", "notice.docx", "--as-of", "2022-06-28").exit_code == 0
    texts = [p.text for p in Document(str(fresh_dir / "notice.docx")).paragraphs]
    assert texts[0] == "安庆市人民政府办公室文件" and "安庆市人民政府办公室" in texts[-3:]
    assert not any("中卫" in text for text in texts)


def test_a_unit_directory_file_is_read_and_a_broken_one_named(fresh_dir):
    from taizhang.services.units import configured_directory

    good = fresh_dir / "units.json"
    good.write_text(
        json.dumps(
            {"city": "安庆市", "units": [{"name": "市财政局", "aliases": ["市财政"]}]}, ensure_ascii=False
        ),
        encoding="utf-8",
    )
    directory = configured_directory("安庆市", good)
    assert (directory.city, directory.canonical("市财政")) == ("安庆市", "市财政局")
    assert invoke("init", "--city", "安庆市", "--unit-directory", str(good)).exit_code == 0
    assert Settings().unit_directory == good.resolve()
    broken = fresh_dir / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(InvalidInput, match="broken.json"):
        configured_directory("安庆市", broken)


def test_a_bad_setting_is_one_chinese_line_naming_it(fresh_dir, monkeypatch):
    monkeypatch.setenv("TAIZHANG_TIME_ZONE", "Mars/Base")
    monkeypatch.setenv("TAIZHANG_WARNING_WORKING_DAYS", "five")
    result = invoke("tasks")
    assert isinstance(result.exception, InvalidInput)
    message = str(result.exception)
    assert "TAIZHANG_TIME_ZONE" in message and "Mars/Base" in message
    assert "TAIZHANG_WARNING_WORKING_DAYS：应为整数" in message and "Input should" not in message
