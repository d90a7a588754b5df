"""``taizhang serve``: run the web application on a database."""

from __future__ import annotations

import secrets
from pathlib import Path

import typer

from .options import DbOption


def serve(
    db: DbOption = None,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    dev: bool = typer.Option(
        False,
        "--dev",
        help="Loopback development only: a missing or weak secret key is replaced by a random one.",
    ),
) -> None:
    """Run the web application (pages and /api) on a ledger database.

    Refuses to start with the default, an empty or a short secret key (see `taizhang init`),
    except with --dev on 127.0.0.1.

    Example: taizhang serve --db sqlite:///taizhang.db --port 8000
    """
    from ..settings import load_settings
    from ..web.server import run_server, serving_settings

    settings = load_settings(database_url=db)
    serving_settings(settings, host, dev=dev)  # refuse before printing that it serves
    typer.echo(f"台账 serving {settings.database_url} at http://{host}:{port}/")
    run_server(settings.database_url, host, port, dev=dev)


def init(
    env_file: Path = typer.Option(
        Path(".env"), "--env-file", help="The settings file to write the secret key to."
    ),
) -> None:
    """Generate this installation's own secret key and write it to .env (once; an existing key is kept).

    Example: taizhang init
    """
    text = env_file.read_text(encoding="utf-8") if env_file.exists() else ""
    if any(line.strip().startswith("TAIZHANG_SECRET_KEY=") for line in text.splitlines()):
        typer.echo(f"{env_file} 已有 TAIZHANG_SECRET_KEY，未改动")
        return
    prefix = text if not text or text.endswith("\n") else text + "\n"
    env_file.write_text(f"{prefix}TAIZHANG_SECRET_KEY={secrets.token_urlsafe(48)}\n", encoding="utf-8")
    env_file.chmod(0o600)
    typer.echo(f"已在 {env_file} 写入新的会话密钥 TAIZHANG_SECRET_KEY（请勿公开或提交到版本库）")


def register(app: typer.Typer) -> None:
    """Add ``serve`` and ``init`` to the app."""
    app.command("serve")(serve)
    app.command("init")(init)
