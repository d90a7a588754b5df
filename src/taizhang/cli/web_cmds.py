"""``taizhang serve``: run the web application on a database."""

from __future__ import annotations

import typer

from .options import DbOption


def serve(
    db: DbOption = None,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
) -> None:
    """Run the web application (pages and /api) on a ledger database.

    Example: taizhang serve --db sqlite:///taizhang.db --port 8000
    """
    from ..settings import load_settings
    from ..web.server import run_server

    url = load_settings(database_url=db).database_url
    typer.echo(f"台账 serving {url} at http://{host}:{port}/")
    run_server(url, host, port)


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the app."""
    app.command("serve")(serve)
