"""Recognise pages that stand in for a report: anti-bot challenges and login forms."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from parsers.model import ParseFailure

# Script fragments of the JS challenges gov.cn sites put in front of content:
# Ruishu ($_ts, served with HTTP 412), Aliyun WAF (acw_sc__v2), Jiasule
# (__jsl_clearance), Yunsuo (yunsuo_session_verify), plus generic cookie-and-reload.
CHALLENGE_SCRIPT = re.compile(
    r"\$_ts\s*=|acw_sc__v2|__jsl_clearance|yunsuo_session_verify|"
    r"document\.cookie\s*=.{0,400}location\.(reload|replace|href)",
    re.S,
)
CHALLENGE_TEXT = re.compile(r"412 Precondition Failed|Please enable JavaScript|安全验证|访问验证|滑动验证|人机验证")
LOGIN_TEXT = re.compile(r"登录|登陆|log\s*in|sign\s*in", re.I)
SHORT_PAGE_CHARS = 400  # a report body is thousands of characters; a challenge is a few


def classify_page(soup: BeautifulSoup, *, visible_text_chars: int,
                  has_tables: bool) -> ParseFailure | None:
    """A failure for a challenge or login page, else None. A page with report content
    is never rejected, even if its header has a login box."""
    if has_tables or visible_text_chars >= SHORT_PAGE_CHARS:
        return None
    scripts = " ".join(s.get_text() for s in soup.find_all("script"))
    page_text = soup.get_text(" ")
    if CHALLENGE_SCRIPT.search(scripts) or CHALLENGE_TEXT.search(page_text):
        return ParseFailure("anti_bot_page", "the server sent a JavaScript challenge page instead of the report")
    if soup.find("input", attrs={"type": re.compile("^password$", re.I)}) and LOGIN_TEXT.search(page_text):
        return ParseFailure("login_page", "the server sent a login form instead of the report")
    return None
