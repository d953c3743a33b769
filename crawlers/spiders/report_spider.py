"""The one generic spider: from portal homes or report columns to report pages and their attachments.

Navigation follows only links that look like disclosure columns (classify.link_priority)
within a depth budget; list pages are read through the CMS adapters; report
pages are recognised by their listing title (classify.classify_title) and
recorded with their attachments. Politeness, robots, off-site and budget rules
live in middlewares, not here.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import asdict
from typing import Any

from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawlers.adapters import epoint, is_markup, read_list_page
from crawlers.classify import ReportGuess, classify_title, link_priority
from common.scope import canonical_url
from crawlers.links import Anchor, attachment_anchors, embedded_targets, is_document_url
from crawlers.ownership import Ownership
from crawlers.page_role import own_report_guess, page_is_report
from crawlers.registry import SiteConfig
from common.page_kind import CHALLENGE_STATUSES
from crawlers.status import CrawlTracker, failure_reason, stand_in_reason
from storage.records import DiscoveredLink

STRONG_LINK = 15  # link_priority at which a link is taken to lead to a report column
REPORT_PRIORITY = 100  # report pages before further navigation
# A page titled like a report is a list of reports when it links this many and says little itself.
LIST_MIN_REPORTS = 3
LIST_MAX_OWN_TEXT = 600


class ReportSpider(Spider):
    name = "reports"

    def __init__(
        self,
        sites: list[SiteConfig],
        mode: str = "nightly",
        years: list[int] | None = None,
        known_urls: dict[str, set[str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.sites = {site.id: site for site in sites}
        self.ownership = Ownership(sites)
        self.mode = mode
        self.years = set(years or ())
        self.known = {site_id: set((known_urls or {}).get(site_id, ())) for site_id in self.sites}
        self.tracker = CrawlTracker(list(self.sites))
        self.max_nav_depth = 5
        self.max_weak_depth = 3

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> ReportSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.max_nav_depth = crawler.settings.getint("NIANBAO_NAV_DEPTH", 5)
        spider.max_weak_depth = crawler.settings.getint("NIANBAO_WEAK_NAV_DEPTH", 3)
        return spider

    async def start(self) -> AsyncIterator[Request]:
        for site in self.sites.values():
            for url in site.start_urls:
                column = link_priority("", url) >= STRONG_LINK
                meta = self._meta(site.id, nav_depth=0, report_column=column) | {"start": True}
                yield Request(canonical_url(url), callback=self.parse_nav, errback=self.on_error, meta=meta)

    # list and navigation pages

    def parse_nav(self, response: Response) -> Iterator[Request | DiscoveredLink]:
        site_id = response.meta["site_id"]
        if self._blocked(response) or not isinstance(response, TextResponse):
            return
        self.tracker.page_visited(site_id)
        markup = is_markup(response)
        if markup and not self._opens_a_report_list(response):
            # Whatever the link said, the page may be a report itself (decided by its own content).
            own = page_is_report(response, response.url, bool(attachment_anchors(response.selector, response.url)))
            if own is not None:
                if self._wanted_year(own.year):
                    yield from self._record_report(response, own, _parent_of(response))
                return
        page = read_list_page(response)
        reports: list[tuple[Anchor, ReportGuess]] = []
        for anchor in page.entries:
            if not self.allowed(site_id, anchor.url):
                continue
            guess = classify_title(anchor.text, anchor.url)
            if guess is not None:
                reports.append((anchor, guess))
            else:
                yield from self._follow_column(response, anchor)
        yield from self._report_entries(response, reports)
        if markup:
            yield from self._follow_embedded(response)
        column = response.meta.get("column_url", response.url)
        if reports:
            # A list holding reports is a report column: all its pages are read, whatever they show.
            response.meta["report_column"] = True
            self.tracker.report_column(site_id, column)
        if self._keep_paging(response, reports):
            for request in page.next_requests:
                meta = self._meta_like(response) | {"column_url": column}
                yield request.replace(callback=self.parse_nav, errback=self.on_error, meta=meta)

    def _follow_column(self, response: Response, anchor: Anchor) -> Iterator[Request]:
        depth = response.meta["nav_depth"]
        column = response.meta.get("column_url", response.url)
        in_column = bool(response.meta.get("report_column")) and _below(anchor.url, column)
        if (depth >= self.max_nav_depth and not in_column) or is_document_url(anchor.url):
            return
        if self.mode == "nightly" and anchor.url in self.known[response.meta["site_id"]]:
            return  # a report recorded before, whatever this link calls it
        priority = link_priority(anchor.text, anchor.url)
        # General disclosure links (政务公开, xxgk) fan out fast on real portals: only near the start,
        # or below a report column's folder (its sub-columns by year or department), whatever the depth.
        if priority >= STRONG_LINK or (priority > 0 and (depth < self.max_weak_depth or in_column)):
            meta = self._meta(response.meta["site_id"], depth + 1, report_column=priority >= STRONG_LINK)
            yield Request(anchor.url, callback=self.parse_nav, errback=self.on_error, meta=meta, priority=priority)

    def _follow_embedded(self, response: Response) -> Iterator[Request]:
        """A frame, a meta refresh or a script redirect is the page's content: follow it like a redirect."""
        site_id = response.meta["site_id"]
        for url in embedded_targets(response.selector, response.url):
            if url != response.url and self.allowed(site_id, url) and not is_document_url(url):
                yield Request(url, callback=self.parse_nav, errback=self.on_error, meta=self._meta_like(response),
                              priority=STRONG_LINK)

    def _report_entries(
        self, response: Response, reports: list[tuple[Anchor, ReportGuess]]
    ) -> Iterator[Request | DiscoveredLink]:
        site_id = response.meta["site_id"]
        for anchor, guess in reports:
            if not self._wanted_year(guess.year):
                continue
            if is_document_url(anchor.url):
                # The list links the document itself: the report has no page of its own.
                yield self._report_link(site_id, anchor.url, "attachment", guess, parent=response.url)
            elif self.mode == "nightly" and anchor.url in self.known[site_id]:
                yield self._report_link(site_id, anchor.url, "page", guess, parent=response.url)
            else:
                meta = self._meta_like(response) | {"guess": asdict(guess), "list_url": response.url}
                yield Request(
                    anchor.url, callback=self.parse_report, errback=self.on_error, meta=meta, priority=REPORT_PRIORITY
                )

    def _keep_paging(self, response: Response, reports: list[tuple[Anchor, ReportGuess]]) -> bool:
        """Nightly: stop once a page holds only known reports. Backfill: stop below the earliest year."""
        if not reports:
            return bool(response.meta.get("report_column"))
        if self.mode == "backfill":
            earliest = min(self.years) if self.years else None
            return earliest is None or any(g.year is None or g.year >= earliest for _, g in reports)
        known = self.known[response.meta["site_id"]]
        return any(anchor.url not in known for anchor, _ in reports)

    # report pages

    def parse_report(self, response: Response) -> Iterator[DiscoveredLink]:
        site_id = response.meta["site_id"]
        if self._opens_a_report_list(response):
            # "2023年政府信息公开工作年度报告" can name a year's column of department reports.
            response.meta["report_column"] = True
            yield from self.parse_nav(response)
            return
        if self._blocked(response):
            return
        self.tracker.page_visited(site_id)
        yield from self._record_report(response, ReportGuess(**response.meta["guess"]), response.meta["list_url"])

    def _record_report(self, response: Response, guess: ReportGuess, parent: str) -> Iterator[DiscoveredLink]:
        """The report page (or the document served in its place) and the attachments it links."""
        site_id = response.meta["site_id"]
        page_url = canonical_url(response.meta.get("redirect_urls", [response.url])[0])
        if not isinstance(response, TextResponse) or not _is_html(response):
            # A download URL without extension served the document itself.
            yield self._report_link(site_id, page_url, "attachment", guess, parent=parent)
            return
        guess = _fill_from_page(guess, response)
        yield self._report_link(site_id, page_url, "page", guess, parent=parent)
        for anchor in attachment_anchors(response.selector, response.url):
            if self.allowed(site_id, anchor.url) and anchor.url != page_url:
                yield DiscoveredLink(
                    site_id=site_id, url=anchor.url, kind="attachment", title=anchor.text or guess.title,
                    report_year=guess.year, agency_guess=guess.agency, parent_url=page_url,
                )
        for request in epoint.detail_requests(response):
            # A WebBuilder detail shell: its text and attachments come from a JSON endpoint.
            meta = self._meta_like(response) | {"guess": asdict(guess), "page_url": page_url}
            yield request.replace(callback=self.parse_detail_api, errback=self.on_error, meta=meta,
                                  priority=REPORT_PRIORITY)

    def parse_detail_api(self, response: Response) -> Iterator[DiscoveredLink]:
        """The attachments a JSON detail endpoint lists for a report page."""
        site_id, guess = response.meta["site_id"], ReportGuess(**response.meta["guess"])
        if not isinstance(response, TextResponse):
            return
        for anchor in epoint.detail_attachments(response):
            if self.allowed(site_id, anchor.url):
                yield DiscoveredLink(
                    site_id=site_id, url=anchor.url, kind="attachment", title=anchor.text or guess.title,
                    report_year=guess.year, agency_guess=guess.agency, parent_url=response.meta["page_url"],
                )

    def _opens_a_report_list(self, response: Response) -> bool:
        """Several report entries, no attachments and hardly any own text: a column, not a report."""
        if not isinstance(response, TextResponse) or not _is_html(response) or stand_in_reason(response):
            return False
        site_id = response.meta["site_id"]
        entries = [
            a for a in read_list_page(response).entries
            if a.url != response.url and self.allowed(site_id, a.url) and classify_title(a.text, a.url)
        ]
        if len(entries) < LIST_MIN_REPORTS or attachment_anchors(response.selector, response.url):
            return False
        own_text = "".join(response.xpath("//body//text()[not(ancestor::a) and not(ancestor::script)]").getall())
        return len("".join(own_text.split())) < LIST_MAX_OWN_TEXT

    def _report_link(self, site_id: str, url: str, kind: str, guess: ReportGuess, parent: str) -> DiscoveredLink:
        self.tracker.report_found(site_id, url, guess.year, guess.agency)
        return DiscoveredLink(
            site_id=site_id, url=url, kind=kind, title=guess.title,  # type: ignore[arg-type]
            report_year=guess.year, agency_guess=guess.agency, parent_url=parent,
        )

    # shared checks

    def on_error(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        site_id = request.meta.get("site_id")
        reason = failure_reason(failure)
        if site_id in self.sites and "robots.txt" in str(failure.value):
            self.tracker.note(site_id, "links disallowed by robots.txt skipped")
        if reason and site_id in self.sites:
            self.tracker.error(site_id, reason, request.url, at_start=bool(request.meta.get("start")))

    def _blocked(self, response: Response) -> bool:
        reason = stand_in_reason(response)
        if reason is None:
            return False
        site_id = response.meta["site_id"]
        self.tracker.error(site_id, reason, response.url, at_start=bool(response.meta.get("start")))
        return True

    def allowed(self, site_id: str, url: str) -> bool:
        """In the site's scope, and not a page of another site whose domains overlap (crawlers.ownership)."""
        return self.ownership.allows(site_id, url, self.sites[site_id].allowed_domains)

    def _wanted_year(self, year: int | None) -> bool:
        return self.mode != "backfill" or not self.years or year is None or year in self.years

    @staticmethod
    def _meta(site_id: str, nav_depth: int, report_column: bool = False) -> dict[str, Any]:
        return {
            "site_id": site_id,
            "nav_depth": nav_depth,
            "report_column": report_column,
            "handle_httpstatus_list": sorted(CHALLENGE_STATUSES),
        }

    def _meta_like(self, response: Response) -> dict[str, Any]:
        """Meta for a request that stays at the same navigation level (next pages, report pages)."""
        meta = response.meta
        return self._meta(meta["site_id"], meta["nav_depth"], meta.get("report_column", False))


def _is_html(response: TextResponse) -> bool:
    content_type = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
    return "html" in content_type or "xml" in content_type or response.text.lstrip()[:1] == "<"


def _fill_from_page(guess: ReportGuess, response: TextResponse) -> ReportGuess:
    """Complete a listing's guess (no year, no agency) from the page's own title."""
    if guess.year is not None and guess.agency is not None:
        return guess
    page_guess = own_report_guess(response, response.url)
    if page_guess is None:
        return guess
    return ReportGuess(title=guess.title, year=guess.year or page_guess.year, agency=guess.agency or page_guess.agency)


def _below(url: str, column_url: str) -> bool:
    """`url` lies in the folder of `column_url` (a sub-column, not a breadcrumb back out)."""
    folder = urlsplit(column_url)._replace(query="", fragment="").geturl().rsplit("/", 1)[0] + "/"
    return url.startswith(folder) and url != column_url


def _parent_of(response: Response) -> str:
    """The page that linked here: the list a report request came from, else the Referer."""
    referer = response.request.headers.get(b"Referer") if response.request else None
    return response.meta.get("list_url") or (referer.decode("latin-1") if referer else response.url)
