"""``taizhang serve``, ``taizhang init`` and ``taizhang db upgrade``: set a deployment up and run it."""

from __future__ import annotations

import secrets
from pathlib import Path

import typer

from ..errors import InvalidInput
from ..services.database import open_ledger
from ..settings import load_settings
from .options import DbOption

db_app = typer.Typer(help="台账数据库：把数据库结构升级到最新。", no_args_is_help=True)


def serve(
    db: DbOption = None,
    host: str = typer.Option("127.0.0.1", "--host", help="监听的地址。"),
    port: int = typer.Option(8000, "--port", help="监听的端口。"),
    dev: bool = typer.Option(
        False,
        "--dev",
        help="仅限本机开发：缺少密钥或密钥太弱时改用随机密钥。",
    ),
) -> None:
    """在台账数据库上运行网页应用（页面和 /api）。

    密钥为默认值、为空或太短时拒绝启动（见 `taizhang init`），
    在 127.0.0.1 上使用 --dev 时除外。

    示例：taizhang serve --db sqlite:///taizhang.db --port 8000
    """
    from ..web.server import run_server, serving_settings

    settings = load_settings(database_url=db)
    serving_settings(settings, host, dev=dev)  # refuse before printing that it serves
    open_ledger(settings.database_url, upgrade=settings.auto_upgrade).dispose()  # a mistyped path is refused
    typer.echo(f"台账已启动：http://{host}:{port}/（数据库 {settings.database_url}）")
    run_server(settings.database_url, host, port, dev=dev)


def _env_lines(text: str, values: dict[str, str]) -> str:
    """``text`` (a .env file) with each ``KEY=value`` of ``values`` set, replacing an earlier line of that key."""
    lines = [line for line in text.splitlines() if line.split("=", 1)[0].strip() not in values]
    return "".join(f"{line}\n" for line in [*lines, *(f"{k}={v}" for k, v in values.items())])


def init(
    city: str | None = typer.Option(None, "--city", help="城市，例如 安庆市（TAIZHANG_CITY）。"),
    issuer: str | None = typer.Option(
        None, "--issuer", help="通报的发文机关，例如 安庆市人民政府办公室（TAIZHANG_ISSUER）。"
    ),
    unit_directory: Path | None = typer.Option(
        None, "--unit-directory", help="本市的单位名录 JSON 文件（TAIZHANG_UNIT_DIRECTORY）。"
    ),
    db: DbOption = None,
    env_file: Path = typer.Option(Path(".env"), "--env-file", help="写入密钥的配置文件。"),
) -> None:
    """一次性配置部署：写入 .env（城市、发文机关、专用密钥）并建立空台账。

    已有的密钥保持不变；再次给出的设置替换原来的设置。

    示例：taizhang init --city 安庆市 --issuer 安庆市人民政府办公室
    """
    if unit_directory is not None and not unit_directory.is_file():
        raise InvalidInput(f"--unit-directory：文件 {unit_directory} 不存在")
    text = env_file.read_text(encoding="utf-8") if env_file.exists() else ""
    values = {
        "TAIZHANG_CITY": city,
        "TAIZHANG_ISSUER": issuer,
        "TAIZHANG_DATABASE_URL": db,
        "TAIZHANG_UNIT_DIRECTORY": str(unit_directory.resolve()) if unit_directory else None,
    }
    given = {k: v for k, v in values.items() if v}
    has_key = any(line.strip().startswith("TAIZHANG_SECRET_KEY=") for line in text.splitlines())
    if not has_key:
        given["TAIZHANG_SECRET_KEY"] = secrets.token_urlsafe(48)
    if given:
        env_file.write_text(_env_lines(text, given), encoding="utf-8")
        env_file.chmod(0o600)
    if has_key:
        typer.echo(f"{env_file} 已有 TAIZHANG_SECRET_KEY，未改动")
    else:
        typer.echo(f"已在 {env_file} 写入新的会话密钥 TAIZHANG_SECRET_KEY（请勿公开或提交到版本库）")
    for key in ("TAIZHANG_CITY", "TAIZHANG_ISSUER", "TAIZHANG_UNIT_DIRECTORY"):
        if key in given:
            typer.echo(f"已在 {env_file} 写入 {key}={given[key]}")
    url = db or load_settings(_env_file=env_file).database_url
    open_ledger(url, upgrade=True, create=True).dispose()
    typer.echo(f"台账数据库已就绪：{url}")


def db_upgrade(db: DbOption = None) -> None:
    """把台账数据库结构升级到当前版本（其他命令不会改动结构）。

    示例：taizhang db upgrade --db sqlite:///taizhang.db
    """
    url = load_settings(database_url=db).database_url
    open_ledger(url, upgrade=True).dispose()
    typer.echo(f"数据库结构已是当前版本：{url}")


def register(app: typer.Typer) -> None:
    """Add ``serve``, ``init`` and ``db upgrade`` to the app."""
    app.command("serve")(serve)
    app.command("init")(init)
    db_app.command("upgrade")(db_upgrade)
    app.add_typer(db_app, name="db")
