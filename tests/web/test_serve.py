"""``taizhang serve`` and the demo accounts: the command exists, documents itself, and the demo
creates one account per role that can log in."""

from __future__ import annotations

from typer.testing import CliRunner

from taizhang.cli.app import app
from taizhang.services import accounts
from taizhang.services.database import open_database
from taizhang.web.server import DEMO_ACCOUNTS, create_demo_accounts


def test_serve_command_is_registered_with_its_options():
    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--db", "--host", "--port", "示例："):
        assert option in result.output


def test_demo_accounts_log_in_with_the_printed_passwords(ledger):
    created = create_demo_accounts(ledger.url)
    assert [(name, role) for name, _, role, _ in created] == [(n, r) for n, r, _ in DEMO_ACCOUNTS]
    engine = open_database(ledger.url)
    for name, password, role, unit in created:
        from datetime import UTC, datetime

        user = accounts.authenticate(engine, name, password, client="test", now=datetime.now(UTC))
        assert (user.role, user.unit_name) == (role, unit)
    engine.dispose()
    assert {unit for *_, unit in created} == {None, "市卫生健康委", "中宁县"}


def test_the_server_freezes_its_start_up_objects_before_serving(tmp_path, monkeypatch):
    """The objects of start-up are out of the collector's reach by the time uvicorn serves, so no
    early request pays for the first full collection."""
    import gc

    from taizhang.web import server

    seen: dict[str, int] = {}

    def fake_run(app, **options):  # uvicorn.run: note what the collector would still walk
        seen["frozen"] = gc.get_freeze_count()

    monkeypatch.setattr(server.uvicorn, "run", fake_run)
    gc.unfreeze()
    try:
        server.run_server(f"sqlite:///{tmp_path / 'ledger.db'}", "127.0.0.1", 8000, dev=True)
    finally:
        gc.unfreeze()  # the test process keeps collecting as usual
    assert seen["frozen"] > 10_000
