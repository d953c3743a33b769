"""What a fetched page is, from its own content: a report, or something else (a list or navigation).

Decided at response time whatever the request was queued as: a report page first
reached through a navigation link must still be recognised (a later, correctly
labelled request for it would be dropped by the duplicate filter).
"""

from __future__ import annotations

import re

from scrapy.http import TextResponse

from crawlers.classify import ReportGuess, classify_title

# The six sections of a report (2019 format) and labels of its tables; older reports share some.
_SECTION_WORDS = (
    "总体情况",
    "主动公开政府信息情况",
    "收到和处理政府信息公开申请情况",
    "政府信息公开行政复议、行政诉讼情况",
    "存在的主要问题及改进情况",
    "其他需要报告的事项",
    "本年新制作数量",
    "本年新公开数量",
    "本年新收政府信息公开申请数量",
    "行政复议",
    "依申请公开",
    "主动公开",
)
REPORT_SIGNALS = 3  # distinct section words a page must show to count as a report by its body
_TITLE_SEPARATORS = re.compile(r"\s*(?:[-_|｜]|——|--)\s*")


def title_candidates(response: TextResponse) -> list[str]:
    """The page's own names for itself: <h1>-<h3>, a title-ish element, and each piece of <title>."""
    texts = []
    for css in ("h1 ::text", "h2 ::text", ".title ::text", "#title ::text", "h3 ::text"):
        for node_text in _joined(response, css):
            texts.append(node_text)
    for raw in response.css("title::text").getall():
        texts.append(raw.strip())
        texts.extend(piece for piece in _TITLE_SEPARATORS.split(raw.strip()) if piece)
    return [t for t in texts if t]


def _joined(response: TextResponse, css: str) -> list[str]:
    element = css.split(" ")[0]
    return ["".join(node.css("::text").getall()).strip() for node in response.css(element)[:3]]


def report_signals(response: TextResponse) -> int:
    """How many distinct report section words / table labels the page's text holds."""
    text = "".join("".join(response.xpath("//body//text()[not(ancestor::script)]").getall()).split())
    return sum(1 for word in _SECTION_WORDS if word in text)


def own_report_guess(response: TextResponse, url: str) -> ReportGuess | None:
    """The report a page names itself as (first title candidate that classifies), if any."""
    for text in title_candidates(response):
        guess = classify_title(text, url)
        if guess is not None:
            return guess
    return None


def page_is_report(response: TextResponse, url: str, has_attachments: bool) -> ReportGuess | None:
    """A ReportGuess when the page's own title names a report and its body (or attachments) bears it out."""
    guess = own_report_guess(response, url)
    if guess is None:
        return None
    if has_attachments or report_signals(response) >= REPORT_SIGNALS:
        return guess
    return None
