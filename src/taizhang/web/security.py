"""Sessions, CSRF tokens and bearer tokens for the web app.

The session is a cookie signed with ``Settings.secret_key`` (itsdangerous): it holds the user id
and a random CSRF token. Every form carries that token and every POST made with the cookie must
send it back (form field ``csrf_token`` or header ``X-CSRF-Token``); bearer-token API calls carry
no cookie, so they cannot be forged cross-site and need no CSRF token.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, field
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer

SESSION_COOKIE = "taizhang_session"
SESSION_MAX_AGE = 12 * 3600  # one working day; a shared office PC should not stay logged in
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


@dataclass
class Session:
    """What the signed cookie holds; ``changed`` tells the middleware to write it back."""

    user_id: int | None = None
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    changed: bool = False
    version: int = 0  # the user's session_version when the session was made

    def login(self, user_id: int, version: int = 0) -> None:
        """Bind the session to a user, with a fresh CSRF token (no session fixation)."""
        self.user_id = user_id
        self.version = version
        self.csrf = secrets.token_urlsafe(24)
        self.changed = True

    def logout(self) -> None:
        """Forget the user and rotate the CSRF token."""
        self.user_id = None
        self.csrf = secrets.token_urlsafe(24)
        self.changed = True


class SessionCodec:
    """Signs and reads session cookies with the app's secret key."""

    def __init__(self, secret_key: str) -> None:
        self._serializer = URLSafeTimedSerializer(secret_key, salt="taizhang-session")

    def dumps(self, session: Session) -> str:
        """The cookie value for ``session``."""
        return self._serializer.dumps({"uid": session.user_id, "csrf": session.csrf, "sv": session.version})

    def loads(self, value: str | None) -> Session:
        """The session in a cookie; a new anonymous one when it is missing, forged or expired."""
        if not value:
            return Session(changed=True)
        try:
            data: dict[str, Any] = self._serializer.loads(value, max_age=SESSION_MAX_AGE)
        except BadSignature:
            return Session(changed=True)
        version = data.get("sv", 0)
        return Session(
            user_id=data.get("uid"),
            csrf=str(data.get("csrf") or secrets.token_urlsafe(24)),
            version=version if isinstance(version, int) else -1,
        )


def csrf_matches(expected: str, given: str | None) -> bool:
    """Constant-time comparison of the session's CSRF token with the one a request sent."""
    return bool(given) and hmac.compare_digest(expected.encode(), str(given).encode())


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, or None."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def cookie_options(environment: str) -> dict[str, Any]:
    """HttpOnly, SameSite=Lax, and Secure everywhere except a local install on plain http."""
    return {
        "httponly": True,
        "samesite": "lax",
        "secure": environment != "local",
        "max_age": SESSION_MAX_AGE,
        "path": "/",
    }
