"""Per-site crawl bookkeeping: pages visited, distinct reports by year, errors by reason."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from twisted.internet.error import (
    ConnectionLost,
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)
from twisted.python.failure import Failure

from scrapy.exceptions import DownloadTimeoutError, IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from storage.records import SiteCrawlStatus

ANTI_BOT_STATUSES = (403, 412)
# Challenge pages (Ruishu $_ts, JS cookie walls) answer 200 with a script and no content.
_CHALLENGE_MARKERS = re.compile(r"\$_ts|_\$[a-zA-Z]{2}\s*=|安全验证|请开启JavaScript|enable JavaScript|访问验证|滑动验证")


@dataclass
class _SiteTally:
    pages_visited: int = 0
    reports: dict[tuple[str, ...], int | None] = field(default_factory=dict)  # identity -> year
    errors: Counter = field(default_factory=Counter)
    start_failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def is_anti_bot_page(response: Response) -> bool:
    """403/412, or a tiny 200 page that is only a JavaScript challenge."""
    if response.status in ANTI_BOT_STATUSES:
        return True
    body = getattr(response, "text", "") if hasattr(response, "encoding") else ""
    return len(body) < 4000 and "<a " not in body.lower() and bool(_CHALLENGE_MARKERS.search(body))


def failure_reason(failure: Failure) -> str | None:
    """A short reason code for a failed request; None for requests we dropped on purpose."""
    if failure.check(IgnoreRequest) and not failure.check(HttpError):
        return None
    if failure.check(HttpError):
        status = failure.value.response.status
        return "anti_bot" if status in ANTI_BOT_STATUSES else f"http_{status}"
    if failure.check(DNSLookupError):
        return "dns"
    if failure.check(TimeoutError, TCPTimedOutError, DownloadTimeoutError):
        return "timeout"
    if failure.check(ConnectionRefusedError, ConnectionLost):
        return "connection"
    return type(failure.value).__name__


class CrawlTracker:
    """Collects what happened to each site during one crawl process."""

    def __init__(self, site_ids: list[str]) -> None:
        self._sites: dict[str, _SiteTally] = {site_id: _SiteTally() for site_id in site_ids}

    def page_visited(self, site_id: str) -> None:
        self._sites[site_id].pages_visited += 1

    def report_found(self, site_id: str, url: str, year: int | None, agency: str | None) -> None:
        """Count a report once: by (agency, year) when both are known (a 超链版 page and a 图片版
        PDF listed side by side are one report), else by URL."""
        identity = ("report", agency, str(year)) if agency and year else ("url", url)
        self._sites[site_id].reports.setdefault(identity, year)

    def error(self, site_id: str, reason: str, url: str, at_start: bool = False) -> None:
        tally = self._sites[site_id]
        tally.errors[reason] += 1
        if at_start:
            tally.start_failures.append(f"{reason} at {url}")

    def note(self, site_id: str, message: str) -> None:
        notes = self._sites[site_id].notes
        if message not in notes:
            notes.append(message)

    def statuses(self) -> dict[str, SiteCrawlStatus]:
        return {site_id: self._status(site_id, tally) for site_id, tally in self._sites.items()}

    @staticmethod
    def _status(site_id: str, tally: _SiteTally) -> SiteCrawlStatus:
        by_year: dict[int, int] = defaultdict(int)
        for year in tally.reports.values():
            if year is not None:
                by_year[year] += 1
        undated = sum(1 for year in tally.reports.values() if year is None)
        ok = tally.pages_visited > 0 and not tally.start_failures
        parts = list(tally.start_failures) + tally.notes
        if undated:
            parts.append(f"{undated} report(s) without a year")
        parts.insert(0, f"{tally.pages_visited} pages, {len(tally.reports)} reports")
        return SiteCrawlStatus(
            site_id=site_id,
            pages_visited=tally.pages_visited,
            reports_by_year=dict(sorted(by_year.items())),
            errors=dict(tally.errors),
            ok=ok,
            detail="; ".join(parts),
        )
