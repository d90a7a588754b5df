"""Debian's Chromium driven by Playwright: where it is, how it starts, when tests skip, and signing in.

Browser tests mark themselves with ``needs_chromium`` and take the module-scoped ``browser`` fixture
from tests/web/conftest.py; ``login`` opens a page signed in as one account.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")  # the distribution's browser; Playwright never downloads one
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "browser-password"

needs_chromium = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason=f"Chromium not installed at {CHROMIUM} (apt install chromium)"
    ),
]


def login(browser, base: str, name: str, *, password: str = PASSWORD, **context):
    """A new page signed in as ``name``; it waits for the home page (``/``, ``/my`` for a unit,
    ``/campaigns`` for a 督查组)."""
    page = browser.new_context(locale="zh-CN", accept_downloads=True, **context).new_page()
    page.goto(f"{base}/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(rf"{re.escape(base)}/(my|campaigns)?$"))
    return page
