"""When was a report published: the page's 发布日期/成文日期, the document's signature, or the URL.

gov.cn pages print their publication date in a metadata line (发布日期：2024-01-29)
or a <meta name="PubDate"> tag; the document itself ends with a signature date
(2024年1月20日); CMS URLs carry the date in their path (/t20240129_123.html,
/art/2024/1/29/…, /202401/…). A URL that only gives a month yields a month,
and lateness is then decided only when the whole month is on one side of the deadline.
"""

from __future__ import annotations

import calendar
import html
import re
from dataclasses import dataclass
from datetime import date

# Metadata labels, most specific first: a 发布日期 wins over a bare 时间.
_PAGE_LABELS = ("发布日期", "发布时间", "公开日期", "成文日期", "发文日期", "日期", "时间")
_DATE = r"((?:19|20)\d{2})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})"
_LABELLED = re.compile(rf"({'|'.join(_PAGE_LABELS)})\s*[:：]\s*{_DATE}")
_META = re.compile(
    r"<meta[^>]+name=[\"'](?:pubdate|publishdate|firstpublishedtime|publishedtime)[\"'][^>]*"
    rf"content=[\"']\s*{_DATE}", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_SIGNATURE_DATE = re.compile(r"((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日$")
_SIGNATURE_LINE = 24  # a signature date line is short; dates inside prose are not publication dates
_URL_DAY = (
    re.compile(r"/t((?:19|20)\d{2})(\d{2})(\d{2})_"),
    re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})/"),
    re.compile(r"/((?:19|20)\d{2})(\d{2})/(\d{2})/"),
)
_URL_MONTH = re.compile(r"/((?:19|20)\d{2})(\d{2})/")


@dataclass(frozen=True)
class PublishedDate:
    """A publication date as precise as its source: a day, or only a month (first..last)."""

    first: date
    last: date
    source: str  # page | document | url

    @property
    def text(self) -> str:
        return self.first.isoformat() if self.first == self.last else self.first.strftime("%Y-%m")

    def after(self, deadline: date) -> bool | None:
        """True when published after the deadline, None when the month straddles it."""
        if self.first > deadline:
            return True
        if self.last <= deadline:
            return False
        return None


def _day(year: str, month: str, day: str, source: str) -> PublishedDate | None:
    try:
        found = date(int(year), int(month), int(day))
    except ValueError:
        return None
    return PublishedDate(found, found, source)


def page_date(page_html: str) -> PublishedDate | None:
    """The date a report page prints in its metadata (发布日期 first, then 成文日期, …)."""
    meta = _META.search(page_html)
    if meta:
        return _day(*meta.groups(), "page")
    text = html.unescape(_TAG.sub(" ", page_html))
    found = {label: _day(y, m, d, "page") for label, y, m, d in reversed(_LABELLED.findall(text))}
    return next((found[label] for label in _PAGE_LABELS if found.get(label)), None)


def document_date(text: str) -> PublishedDate | None:
    """The signature date at the end of a report's text (a short line ending in the date)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in reversed(lines[-15:]):
        compact = "".join(line.split())
        match = _SIGNATURE_DATE.search(compact)
        if match and len(compact) <= _SIGNATURE_LINE:
            return _day(*match.groups(), "document")
    return None


def url_date(url: str) -> PublishedDate | None:
    """The date in a CMS URL's path: a day (/t20240129_…, /art/2024/1/29/) or a month (/202401/)."""
    for pattern in _URL_DAY:
        match = pattern.search(url)
        if match and (found := _day(*match.groups(), "url")):
            return found
    match = _URL_MONTH.search(url)
    if match and 1 <= int(match.group(2)) <= 12:
        year, month = int(match.group(1)), int(match.group(2))
        return PublishedDate(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]), "url")
    return None


def decode_page(content: bytes) -> str:
    """A page's HTML as text (UTF-8, else the GB family most gov.cn pages use)."""
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return content.decode("gb18030", errors="replace")
