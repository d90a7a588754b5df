"""Settings, read from ``TAIZHANG_*`` environment variables (and a ``.env`` file).

Build them with :func:`load_settings` in an entrypoint; never at import time.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET = "change-me"
MIN_SECRET_LENGTH = 32
"""A secret key shorter than this is refused by ``serve`` outside loopback development."""


def is_public_secret(key: str) -> bool:
    """Whether ``key`` is one anybody knows: empty or the documented default."""
    return key.strip() in ("", DEFAULT_SECRET)


def is_weak_secret(key: str) -> bool:
    """Whether ``key`` is public or too short to sign sessions in a deployment."""
    return is_public_secret(key) or len(key.strip()) < MIN_SECRET_LENGTH


class Settings(BaseSettings):
    """Every setting Taizhang reads; each is documented in docs/settings.md."""

    model_config = SettingsConfigDict(env_prefix="TAIZHANG_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///taizhang.db"
    """SQLAlchemy URL of the ledger database (SQLite file by default, PostgreSQL in deployment)."""

    environment: str = "local"
    """``local`` allows the default secret key; anything else refuses it."""

    secret_key: str = DEFAULT_SECRET
    """Signs session cookies and CSRF tokens."""

    city: str = "中卫市"
    """The city whose unit directory import and extract start from, and whose 各县(区) are expanded."""

    warning_working_days: int = 5
    """A task due within this many working days is yellow on the dashboard."""

    upload_dir: Path = Path("uploads")
    """Where attachments to progress reports are stored."""

    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_sender: str = "taizhang@localhost"
    smtp_starttls: bool = False

    webhook_url: str | None = None
    """Where reminder digests are posted as plain JSON."""

    dingtalk_webhook_url: str | None = None
    """A DingTalk robot URL: reminder digests are posted in its markdown message format."""

    wecom_webhook_url: str | None = None
    """A WeCom (企业微信) robot URL: reminder digests are posted in its markdown message format."""

    login_attempts_per_minute: int = 5
    """Failed logins allowed per user name and client address in one minute."""

    @model_validator(mode="after")
    def _refuse_default_secret_outside_local(self) -> Settings:
        if self.environment != "local" and self.secret_key == DEFAULT_SECRET:
            raise ValueError("TAIZHANG_SECRET_KEY must be set outside the local environment")
        return self


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment, with explicit overrides (e.g. a ``--db`` flag) winning."""
    clean = {k: v for k, v in overrides.items() if v is not None}
    return Settings(**clean)
