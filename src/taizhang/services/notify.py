"""Delivery channels for reminders: e-mail by SMTP, and webhooks (plain JSON, DingTalk, WeCom).

Each sender raises :class:`DeliveryError` (a TaizhangError) with the channel and the reason, so
one failing channel never hides which others worked.
"""

from __future__ import annotations

import json
import smtplib
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

import httpx

from ..errors import TaizhangError
from ..settings import Settings

TIMEOUT_SECONDS = 10.0


class DeliveryError(TaizhangError):
    """A reminder could not be delivered (SMTP refused it, a webhook answered with an error).

    When raised after a batch, ``lines`` and ``delivered`` say what did go out.
    """

    def __init__(self, message: str, *, lines: Sequence[str] = (), delivered: Sequence[Any] = ()) -> None:
        super().__init__(message)
        self.lines = list(lines)
        self.delivered = list(delivered)


def email_message(sender: str, recipients: list[str], subject: str, text: str) -> EmailMessage:
    """A UTF-8 plain-text e-mail."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "localhost")
    message.set_content(text, charset="utf-8")
    return message


def send_email(settings: Settings, recipients: list[str], subject: str, text: str) -> None:
    """Send one e-mail through the SMTP server in the settings (STARTTLS and login when set)."""
    if not settings.smtp_host:
        raise DeliveryError("邮件：未配置 SMTP 服务器（TAIZHANG_SMTP_HOST）")
    message = email_message(settings.smtp_sender, recipients, subject, text)
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_SECONDS) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password or "")
            smtp.send_message(message)
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(f"发往 {'、'.join(recipients)} 的邮件：{exc}") from exc


# The robots refuse longer messages (WeCom: content ≤ 4096 UTF-8 bytes; DingTalk: ~20000 bytes).
WECOM_MAX_BYTES = 4096
DINGTALK_MAX_BYTES = 18000
CUT_NOTE = "……（内容较多，其余请登录台账系统查看）"


def fit_bytes(text: str, limit: int) -> str:
    """``text`` cut at a line boundary so that, with a closing note, it fits in ``limit`` UTF-8 bytes."""
    if len(text.encode("utf-8")) <= limit:
        return text
    budget = limit - len(("\n\n" + CUT_NOTE).encode("utf-8"))
    kept: list[str] = []
    used = 0
    for line in text.split("\n"):
        cost = len(line.encode("utf-8")) + 1
        if used + cost > budget:
            break
        kept.append(line)
        used += cost
    return "\n".join(kept).rstrip() + "\n\n" + CUT_NOTE


def dingtalk_payload(title: str, markdown: str) -> dict[str, Any]:
    """A DingTalk robot markdown message (cut to the robot's size limit)."""
    return {
        "msgtype": "markdown",
        "markdown": {"title": title, "text": fit_bytes(markdown, DINGTALK_MAX_BYTES)},
    }


def wecom_payload(markdown: str) -> dict[str, Any]:
    """A WeCom (企业微信) robot markdown message (cut to 4096 bytes, the robot's limit)."""
    return {"msgtype": "markdown", "markdown": {"content": fit_bytes(markdown, WECOM_MAX_BYTES)}}


def post_json(url: str, payload: dict[str, Any], *, channel: str = "Webhook") -> None:
    """POST ``payload`` as UTF-8 JSON; a non-2xx answer or a robot ``errcode`` ≠ 0 is a DeliveryError."""
    body = json.dumps(payload, ensure_ascii=False, default=str).encode("utf-8")
    try:
        response = httpx.post(
            url,
            content=body,
            timeout=TIMEOUT_SECONDS,
            headers={"Content-Type": "application/json; charset=utf-8"},
        )
    except httpx.HTTPError as exc:
        raise DeliveryError(f"{channel}：无法连接（{exc.__class__.__name__}：{exc}）") from exc
    if not response.is_success:
        raise DeliveryError(f"{channel}：对方拒收（HTTP {response.status_code}）")
    # DingTalk and WeCom answer 200 with {"errcode": N, "errmsg": ...} when they refuse a message
    try:
        answer = response.json()
    except ValueError:
        return
    if isinstance(answer, dict) and answer.get("errcode", 0) not in (0, "0"):
        raise DeliveryError(
            f"{channel}：对方拒收（错误码 {answer.get('errcode')}：{answer.get('errmsg', '')}）"
        )
