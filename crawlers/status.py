"""Per-site crawl bookkeeping: pages visited, distinct reports by year, errors by reason."""

from __future__ import annotations

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
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError

from common.page_kind import CHALLENGE_STATUSES, stand_in_kind
from storage.records import SiteCrawlStatus

# Error reasons of a response that stands in for content (common.page_kind).
STAND_IN_REASONS = {"challenge": "anti_bot", "login": "login_page", "soft_404": "soft_404"}


@dataclass
class _SiteTally:
    pages_visited: int = 0
    reports: dict[tuple[str, ...], int | None] = field(default_factory=dict)  # identity -> year
    errors: Counter = field(default_factory=Counter)
    start_failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    report_columns: set[str] = field(default_factory=set)


def stand_in_reason(response: Response) -> str | None:
    """The error reason when the response is a challenge, login or soft-404 page, else None."""
    body = response.text if isinstance(response, TextResponse) else ""
    kind = stand_in_kind(body, response.status)
    return STAND_IN_REASONS[kind] if kind else None


def failure_reason(failure: Failure) -> str | None:
    """A short reason code for a failed request; None for requests we dropped on purpose."""
    if failure.check(IgnoreRequest) and not failure.check(HttpError):
        return None
    if failure.check(HttpError):
        status = failure.value.response.status
        return "anti_bot" if status in CHALLENGE_STATUSES else f"http_{status}"
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

    def report_column(self, site_id: str, column_url: str) -> None:
        """A list (by its first page) that held at least one report."""
        self._sites[site_id].report_columns.add(column_url)

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
        warnings = health_warnings(tally.pages_visited, len(tally.report_columns), len(tally.reports))
        ok = tally.pages_visited > 0 and not tally.start_failures and not warnings
        parts = list(tally.start_failures) + warnings + tally.notes
        if undated:
            parts.append(f"{undated} report(s) without a year")
        parts.insert(0, f"{tally.pages_visited} pages, {len(tally.report_columns)} report columns, "
                        f"{len(tally.reports)} reports")
        return SiteCrawlStatus(
            site_id=site_id,
            pages_visited=tally.pages_visited,
            reports_by_year=dict(sorted(by_year.items())),
            errors=dict(tally.errors),
            ok=ok,
            detail="; ".join(parts),
            report_columns=tuple(sorted(tally.report_columns)),
            warnings=tuple(warnings),
        )


def health_warnings(pages: int, columns: int, reports: int, previous_reports: int | None = None) -> list[str]:
    """Why a site that answered is not healthy: it showed no report column, no report, or fewer than before.

    A portal whose home page works while its 年报 column moved must not look ok;
    `previous_reports` (the last comparable run's count) is optional.
    """
    if pages == 0:
        return []  # unreachable: the start failures say why
    warnings = []
    if reports == 0:
        warnings.append("warning: 0 reports found")
    if columns == 0:
        warnings.append("warning: 0 report columns found")
    if previous_reports is not None and reports < previous_reports:
        warnings.append(f"warning: {reports} reports, fewer than {previous_reports} in the last run")
    return warnings
