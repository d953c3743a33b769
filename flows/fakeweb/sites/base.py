"""One fake site: its hosts, its routes (URL -> handler), its reports and its faults."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any, Callable

from flows.fakeweb.model import FakeRequest, Handler, Reply, ReportEntry
from flows.fakeweb.sites.html import encode_page, page

NOT_FOUND_HTML = page("404 页面不存在", "<h1>404</h1><p>您访问的页面不存在或已被删除。</p>")


class FakeSite:
    """Routes are keyed by full URL (`http://host/path?query`); prefix routes catch the rest."""

    def __init__(
        self,
        site_id: str,
        name: str,
        start_urls: list[str],
        allowed_domains: list[str],
        region_code: str | None = None,
    ) -> None:
        self.id = site_id
        self.name = name
        self.start_urls = start_urls
        self.allowed_domains = allowed_domains
        self.region_code = region_code
        self.routes: dict[str, Handler] = {}
        self.prefix_routes: list[tuple[str, Handler]] = []
        self.reports: list[ReportEntry] = []
        self.noise_urls: list[str] = []
        self.forbidden_urls: list[str] = []
        self.broken_urls: list[str] = []
        self.offsite_urls: list[str] = []
        self.redirects: dict[str, str] = {}
        self.flaky: dict[str, int] = {}  # url -> how many first requests fail with 503
        self.trap_prefix: str | None = None
        self._hits: Counter[str] = Counter()
        self._hits_lock = threading.Lock()

    # -- building -------------------------------------------------------------
    def add(self, url: str, handler: Handler) -> None:
        if url in self.routes:
            raise ValueError(f"{self.id}: route defined twice: {url}")
        self.routes[url] = handler

    def add_prefix(self, prefix: str, handler: Handler) -> None:
        self.prefix_routes.append((prefix, handler))
        self.prefix_routes.sort(key=lambda item: -len(item[0]))

    def add_html(
        self, url: str, html: str | Callable[[], str], encoding: str = "utf-8", header_charset: bool = True
    ) -> None:
        """Serve an HTML page; `html` may be a callable so pages needing reportgen stay lazy."""

        def handler(_request: FakeRequest) -> Reply:
            text = html() if callable(html) else html
            return encode_page(text, encoding, header_charset)

        self.add(url, handler)

    def add_bytes(self, url: str, body: Callable[[], bytes], content_type: str, headers: tuple = ()) -> None:
        self.add(url, lambda _request: Reply(200, body(), content_type, headers))

    def add_redirect(self, url: str, target: str, status: int = 301) -> None:
        self.redirects[url] = target
        self.add(url, lambda _request: Reply(status, b"", None, (("Location", target),)))

    def add_report(self, report: ReportEntry) -> None:
        self.reports.append(report)

    # -- serving --------------------------------------------------------------
    def handle(self, request: FakeRequest) -> Reply:
        url = request.url
        if url in self.flaky:
            with self._hits_lock:
                self._hits[url] += 1
                failing = self._hits[url] <= self.flaky[url]
            if failing:
                return Reply(503, "<h1>503 Service Unavailable</h1>".encode(), "text/html")
        handler = self.routes.get(url)
        if handler is None:
            handler = next((h for prefix, h in self.prefix_routes if url.startswith(prefix)), None)
        if handler is None:
            return Reply(404, NOT_FOUND_HTML.encode("utf-8"))
        return handler(request)

    def reset_faults(self) -> None:
        with self._hits_lock:
            self._hits.clear()

    def registry_entry(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"id": self.id, "name": self.name}
        if self.region_code:
            entry["region_code"] = self.region_code
        entry["start_urls"] = list(self.start_urls)
        entry["allowed_domains"] = list(self.allowed_domains)
        return entry

    def hosts(self) -> set[str]:
        """Every host this site serves (from its routes)."""
        urls = list(self.routes) + [prefix for prefix, _ in self.prefix_routes]
        return {url.split("/")[2] for url in urls}
