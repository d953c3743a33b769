"""Recognise responses that stand in for content: anti-bot challenges, login forms, soft 404s.

The crawler (is this page worth reading?), the fetcher (is this a version of the
document?) and the parser (is this a report?) all ask the same question of a
response; this module is the one answer. It looks at the status and the decoded
HTML only, so every layer can call it with what it has.
"""

from __future__ import annotations

import re
from typing import Literal

StandIn = Literal["challenge", "login", "soft_404"]

# 412 is Ruishu's challenge status; 403 is how WAFs (Aliyun, Jiasule) refuse a robot.
CHALLENGE_STATUSES = frozenset({403, 412})
# Script fragments of the JS challenges gov.cn sites put in front of content:
# Ruishu ($_ts and its `_$xx=` obfuscation), Aliyun WAF (acw_sc__v2), Jiasule
# (__jsl_clearance), Yunsuo (yunsuo_session_verify), plus generic cookie-and-reload.
_CHALLENGE_SCRIPT = re.compile(
    r"\$_ts\s*[=.\[]|_\$[a-zA-Z]{2}\s*=|acw_sc__v2|__jsl_clearance|yunsuo_session_verify|"
    r"document\.cookie\s*=.{0,400}?location\.(?:reload|replace|href)",
    re.S,
)
_CHALLENGE_TEXT = re.compile(
    r"412 Precondition Failed|enable JavaScript|请开启JavaScript|请启用JavaScript|"
    r"安全验证|访问验证|滑动验证|人机验证|正在进行安全检测|访问频率过高", re.I,
)
_LOGIN_TEXT = re.compile(r"登录|登陆|log\s*in|sign\s*in", re.I)
_PASSWORD_INPUT = re.compile(r"<input[^>]+type\s*=\s*[\"']?password", re.I)
_SOFT_404_TEXT = re.compile(
    r"页面不存在|您访问的页面不存在|页面未找到|找不到(?:该|您要访问的)?页面|页面已删除|"
    r"信息已删除|文章不存在|内容不存在|页面没有找到|\b404\b\s*(?:not found|错误|页面)|错误\s*404", re.I,
)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
_HEADINGS = re.compile(r"<h[12][^>]*>(.*?)</h[12]>", re.I | re.S)
_INVISIBLE = re.compile(r"<(script|style|noscript)\b[^>]*>.*?</\1\s*>|<!--.*?-->", re.I | re.S)
_SCRIPTS = re.compile(r"<script\b[^>]*>(.*?)</script\s*>", re.I | re.S)
_TAG = re.compile(r"<[^>]+>")
_TABLE = re.compile(r"<table\b", re.I)
# A report body is thousands of characters; a challenge, login or error page a few hundred.
SHORT_PAGE_CHARS = 400
SNIFF_CHARS = 2_000_000  # never scan more of a page than this


def visible_text(html: str) -> str:
    """The page's text without scripts, styles, comments and tags, whitespace collapsed."""
    return " ".join(_TAG.sub(" ", _INVISIBLE.sub(" ", html)).split())


def stand_in_kind(html: str, status: int = 200) -> StandIn | None:
    """What the response stands in for content as, or None for a real page.

    A page with tables or a report-sized text is never a stand-in, even when its
    header carries a login box or its footer says 404.
    """
    if status in CHALLENGE_STATUSES:
        return "challenge"
    html = html[:SNIFF_CHARS]
    if _TABLE.search(html):
        return None
    text = visible_text(html)
    short = len(text.replace(" ", "")) < SHORT_PAGE_CHARS
    if _is_soft_404(html, text, short):
        return "soft_404"
    if not short:
        return None
    scripts = " ".join(_SCRIPTS.findall(html))
    if _CHALLENGE_SCRIPT.search(scripts) or _CHALLENGE_TEXT.search(text):
        return "challenge"
    if _PASSWORD_INPUT.search(html) and _LOGIN_TEXT.search(text):
        return "login"
    return None


def _is_soft_404(html: str, text: str, short: bool) -> bool:
    """An error page served with 200: says so in its <title>/<h1>, or is short and says so."""
    heads = " ".join(_TAG.sub("", part) for part in _TITLE.findall(html) + _HEADINGS.findall(html))
    if _SOFT_404_TEXT.search(heads):
        return True
    return short and bool(_SOFT_404_TEXT.search(text))
