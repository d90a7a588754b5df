"""Settings, read from ``TAIZHANG_*`` environment variables (and a ``.env`` file).

Build them with :func:`load_settings` in an entrypoint; never at import time.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from .errors import InvalidInput

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

    read_database_url: str | None = None
    """A read replica (PostgreSQL streaming replica) for the dashboard and the public site; default: the database."""

    environment: str = "local"
    """``local`` allows the default secret key; anything else refuses it."""

    secret_key: str = DEFAULT_SECRET
    """Signs session cookies and CSRF tokens."""

    city: str | None = None
    """The city (安庆市): its shipped unit directory seeds import and extract, its 各县(区) are expanded."""

    issuer: str | None = None
    """The issuing office (发文机关) that heads and signs notices; default: the city's 人民政府办公室."""

    unit_directory: Path | None = None
    """A JSON unit directory (``{"city": ..., "units": [...]}``) used instead of the shipped one."""

    time_zone: str = "Asia/Shanghai"
    """The ledger's calendar: what "today" is for deadlines and reminders."""

    auto_upgrade: bool = True
    """``serve`` and ``import`` bring the schema up to date themselves; else only ``taizhang db upgrade`` does."""

    warning_working_days: int = 5
    """A task due within this many working days is yellow on the dashboard."""

    letter_reply_working_days: int = 5
    """A 督办函 asks for the unit's reply within this many working days unless the letter says otherwise."""

    acknowledge_working_days: int = 3
    """A part not signed for (签收) this many working days after its 交办 is yellow and listed."""

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

    redis_url: str | None = None
    """Redis for background jobs (``redis://127.0.0.1:6379/0``); without it jobs run in the web process."""

    queue_name: str = "taizhang"
    """The RQ queue web processes put jobs on and ``taizhang worker`` takes them from."""

    login_attempts_per_minute: int = 5
    """Failed logins allowed per user name and client address in one minute."""

    login_attempts_per_account: int = 20
    """Failed logins allowed per user name in one minute, from all addresses together."""

    password_checks_at_once: int = 1
    """Password checks (64 MiB each) running at the same time; further logins wait briefly, then get 429."""

    trusted_proxies: list[str] = []
    """Addresses of reverse proxies whose X-Forwarded-For gives the client address; none by default."""

    db_pool_size: int = 20
    """Database connections the web app keeps open (each request thread holds one while it runs)."""

    db_max_overflow: int = 20
    """Connections opened beyond ``db_pool_size`` at peaks (the request threadpool has 40 threads)."""

    writes_at_once: int = 8
    """Requests that may write (any method but GET, HEAD, OPTIONS) let into the web app at once; writes
    take turns at the database, so more would only wait there holding a thread."""

    max_upload_mb: int = 20
    """The largest request body in MB (a report with all its attachments); larger ones get 413 unread."""

    max_attachments: int = 5
    """Attachments allowed on one report, and on one new task (立项附件)."""

    max_report_chars: int = 20000
    """Characters allowed in one report's four text fields together."""

    as_of_earliest: date = date(2000, 1, 1)
    """The earliest ``as_of`` day the dashboard accepts."""

    as_of_latest: date = date(2099, 12, 31)
    """The latest ``as_of`` day the dashboard accepts."""

    @field_validator("time_zone")
    @classmethod
    def _known_time_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"TAIZHANG_TIME_ZONE：不认识的时区 {value!r}（应如 Asia/Shanghai）") from None
        return value

    @property
    def zone(self) -> ZoneInfo:
        """The ledger's time zone (``time_zone``)."""
        return ZoneInfo(self.time_zone)

    @model_validator(mode="after")
    def _refuse_default_secret_outside_local(self) -> Settings:
        if self.environment != "local" and self.secret_key == DEFAULT_SECRET:
            raise ValueError("TAIZHANG_SECRET_KEY 在 local 以外的环境中必须设置（可运行 taizhang init 生成）")
        return self


def issuing_office(settings: Settings) -> str:
    """The 发文机关 of notices and letters: the ``issuer`` setting, else the city's 人民政府办公室."""
    if settings.issuer:
        return settings.issuer
    if settings.city:
        return f"{settings.city}人民政府办公室"
    return "人民政府办公室"


_SETTING_TYPES = {
    "int_parsing": "应为整数",
    "bool_parsing": "应为 true 或 false",
    "float_parsing": "应为数字",
}


def _setting_problem(error: dict[str, object]) -> str:
    """One invalid setting in Chinese; a validator's own message already names its variable."""
    context = error.get("ctx")
    if isinstance(context, dict) and "error" in context:
        return str(context["error"])
    name = "_".join(str(p) for p in error.get("loc", ()) or ()).upper()  # type: ignore[union-attr]
    return f"TAIZHANG_{name}：{_SETTING_TYPES.get(str(error.get('type')), '格式不对')}"


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment, with explicit overrides (e.g. a ``--db`` flag) winning."""
    clean = {k: v for k, v in overrides.items() if v is not None}
    try:
        return Settings(**clean)
    except ValidationError as exc:
        problems = "；".join(_setting_problem(dict(e)) for e in exc.errors())
        raise InvalidInput(f"设置有误（环境变量或 .env）：{problems}") from None
