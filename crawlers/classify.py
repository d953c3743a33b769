"""Tell annual disclosure reports from look-alikes by title, and rank links worth following.

A report title names the 政府信息公开 annual report (年度报告 / 年报) and usually a
statistics year and an agency. Look-alikes share words with it: 政府工作报告,
法治政府建设年度报告, budgets, 工作要点, notices about compiling the reports,
enterprise annual-report publicity, statistical bulletins.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

from parsers.metadata import year_in

_REPORT = re.compile(
    r"(政府|政务)?信息公开(工作)?(年度(工作)?报告|年报|工作报告)"
    r"|政务公开(工作)?年度报告"
    r"|信息公开工作(的)?年度报告"
)
# A listing cut the title short: "…政府信息公开工作年度报…" / "…信息公开工作年…".
_TRUNCATED_REPORT = re.compile(r"(政府|政务)?信息公开(工作)?(年|年度|年度报|年度报告)(\.\.\.|…)$")
_LOOK_ALIKES = (
    "政府工作报告",
    "法治政府",
    "预算",
    "决算",
    "工作要点",
    "通知",
    "编制",
    "报送",
    "企业年度报告",
    "年报公示",
    "统计公报",
    "统计年鉴",
    "征求意见",
    "解读",  # a commentary on a report, not the report itself
)
_YEAR_ARABIC = re.compile(r"((?:19|20)\d\d)\s*年")
_YEAR_CHINESE = re.compile(r"([一二〇零○Ｏ0][〇零○Ｏ0一二三四五六七八九]{3})\s*年")
_URL_DATE = re.compile(r"(?:/|t|_)((?:19|20)\d\d)(0[1-9]|1[0-2])(?:[0-3]\d)?(?:/|_|\b)")
_URL_YMD_PATH = re.compile(r"/((?:19|20)\d\d)/(?:0?[1-9]|1[0-2])/")
_EDITION_NOTE = re.compile(r"[（(【\[][^）)】\]]{0,12}[）)】\]]")
_AGENCY_TAIL = re.compile(r"(关于|的)?$")
_AGENCY_HINT = re.compile(r"(政府|办公室|办公厅|委员会|委|局|厅|院|办|中心|处|所|馆|会|部|署|队|街道|镇|乡|区|县|市|省|站|社)$")


@dataclass(frozen=True)
class ReportGuess:
    """What a listing title says about a report."""

    title: str
    year: int | None
    agency: str | None


def normalize_title(title: str) -> str:
    """Full-width digits and letters to ASCII, whitespace removed (labels wrap in listings)."""
    text = unicodedata.normalize("NFKC", title or "")
    return re.sub(r"\s+", "", text)


def classify_title(title: str, url: str | None = None) -> ReportGuess | None:
    """A ReportGuess when `title` names a 政府信息公开 annual report, else None."""
    text = normalize_title(title)
    if not text or any(word in text for word in _LOOK_ALIKES):
        return None
    match = _REPORT.search(text) or _TRUNCATED_REPORT.search(text)
    if match is None:
        return None
    agency = guess_agency(text, match.start())
    year = title_year(text)
    if year is None:
        # Without a year, "政府信息公开年报" is a column's name; only a full report title
        # naming its agency is taken, dated by publication year - 1 (reports appear
        # early in the following year).
        if agency is None or "工作年度报告" not in text:
            return None
        published = url_publication_year(url) if url else None
        year = published - 1 if published else None
    return ReportGuess(title=(title or "").strip(), year=year, agency=agency)


def title_year(text: str) -> int | None:
    """The statistics year written in a title (2023年 / 二〇二三年度), if any."""
    return year_in(normalize_title(text))


def url_publication_year(url: str) -> int | None:
    """The year of a TRS/Hanweb date folder or file name in the URL, if any."""
    path = urlsplit(url).path
    found = _URL_DATE.search(path) or _URL_YMD_PATH.search(path)
    return int(found.group(1)) if found else None


def guess_agency(text: str, report_start: int) -> str | None:
    """The agency named before the report words, without the year: 聊城市教育局."""
    head = _EDITION_NOTE.sub("", text[:report_start])
    head = _YEAR_ARABIC.sub("|", head)
    head = _YEAR_CHINESE.sub("|", head)
    head = re.sub(r"(度|年度)(?=\||$)", "", head)
    pieces = [p.strip("|度:：-—_ 、") for p in head.split("|")]
    pieces = [_AGENCY_TAIL.sub("", p) for p in pieces]
    pieces = [p for p in pieces if len(p) >= 2 and p != "年度"]
    if not pieces:
        return None
    # "聊城市人民政府2022年" and "2022年聊城市教育局" both leave one piece; prefer the last.
    best = pieces[-1]
    return best if _AGENCY_HINT.search(best) else None


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
