"""Tell annual disclosure reports from look-alikes by title, and rank links worth following.

A report title names the 政府信息公开 annual report (年度报告 / 年报) and usually a
statistics year and an agency. Look-alikes share words with it: 政府工作报告,
法治政府建设年度报告, budgets, 工作要点, notices about compiling the reports,
enterprise annual-report publicity, statistical bulletins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from crawlers.titles import normalize_title, read_title
from parsers.metadata import year_in

_URL_DATE = re.compile(r"(?:/|t|_)((?:19|20)\d\d)(0[1-9]|1[0-2])(?:[0-3]\d)?(?:/|_|\b)")
_URL_YMD_PATH = re.compile(r"/((?:19|20)\d\d)/(?:0?[1-9]|1[0-2])/")


@dataclass(frozen=True)
class ReportGuess:
    """What a listing title says about a report."""

    title: str
    year: int | None
    agency: str | None


def classify_title(title: str, url: str | None = None) -> ReportGuess | None:
    """A ReportGuess when `title` names a 政府信息公开 annual report, else None (grammar: crawlers.titles)."""
    reading = read_title(title)
    if reading is None:
        return None
    year = reading.year
    if year is None:
        # Without a year, "政府信息公开年报" is a column's name; only a full report title
        # naming its agency is taken, dated by publication year - 1 (reports appear
        # early in the following year).
        if reading.agency is None or not reading.full_phrase or reading.cut:
            return None
        published = url_publication_year(url) if url else None
        year = published - 1 if published else None
    return ReportGuess(title=(title or "").strip(), year=year, agency=reading.agency)


def title_year(text: str) -> int | None:
    """The statistics year written in a title (2023年 / 二〇二三年度), if any."""
    return year_in(normalize_title(text))


def url_publication_year(url: str) -> int | None:
    """The year of a TRS/Hanweb date folder or file name in the URL, if any."""
    path = urlsplit(url).path
    found = _URL_DATE.search(path) or _URL_YMD_PATH.search(path)
    return int(found.group(1)) if found else None


# Navigation: how promising a link is for reaching report columns.
_STRONG_TEXT = ("年报", "年度报告")
_MEDIUM_TEXT = ("政府信息公开", "信息公开", "政务公开", "法定主动公开", "公开目录")
_STRONG_PATH = re.compile(r"(?:^|[/_.-])(?:zfxxgknb|xxgknb|xxgkndbg|ndbg|nb|bmxxgknb|zfxxgkndbg|gknb|ndbb)(?:$|[/_.-])")
_MEDIUM_PATH = re.compile(r"(?:^|[/_.-])(?:xxgk|zfxxgk|zwgk|zfxxgkzl|gkml|xxgkml|zfxxgkml)(?:$|[/_.-])")
# Look-alike documents and their columns are not worth a visit either.
_NAV_NOISE = (
    "政府工作报告", "法治政府", "预算", "决算", "统计公报", "工作要点", "通知", "企业年度报告", "公示",
    "登录", "注册", "English",
)


def link_priority(text: str, url: str) -> int:
    """0 = not worth following for report discovery; higher = follow first."""
    label = normalize_title(text)
    if any(word in label for word in _NAV_NOISE):
        return 0
    path = urlsplit(url).path.lower()
    score = 0
    if any(word in label for word in _STRONG_TEXT):
        score += 20
    elif any(word in label for word in _MEDIUM_TEXT):
        score += 8
    if _STRONG_PATH.search(path):
        score += 15
    elif _MEDIUM_PATH.search(path):
        score += 5
    return score
