"""Downloader middlewares: keep each request inside its site, its budget and away from traps; retry with backoff.

`SiteScopeMiddleware` runs before robots.txt handling, so an off-site URL (also
one reached by a redirect: redirected requests pass through here again) is
dropped before anything is sent to its host.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares import cookies as scrapy_cookies
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding

from common.scope import in_scope, public_suffix_splitter, refused_target
from parsers.extract.decode import decode_html


class BundledSuffixCookiesMiddleware(scrapy_cookies.CookiesMiddleware):
    """Scrapy's cookie middleware on tldextract's bundled public suffix snapshot.

    The stock middleware builds a default TLDExtract, which downloads the suffix list
    from the internet the first time a cookie names a domain on a machine with a cold
    cache: a request outside every site's allowed domains.
    """

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BundledSuffixCookiesMiddleware:
        scrapy_cookies._split_domain = public_suffix_splitter(include_private=True)
        return super().from_crawler(crawler)


class SiteScopeMiddleware:
    """Off-site filter (per site's allowed_domains), hard page budget per site, trap limits."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.page_budget = settings.getint("NIANBAO_PAGE_BUDGET")
        self.max_query_variants = settings.getint("NIANBAO_MAX_QUERY_VARIANTS")
        self.max_url_length = settings.getint("NIANBAO_MAX_URL_LENGTH")
        self.max_path_segments = settings.getint("NIANBAO_MAX_PATH_SEGMENTS")
        self._requests_per_site: dict[str, int] = defaultdict(int)
        self._queries_per_path: dict[tuple[str, str, str], set[str]] = defaultdict(set)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SiteScopeMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        site_id = request.meta.get("site_id")
        spider = self.crawler.spider
        if site_id is None or spider is None:
            return None  # robots.txt and other requests Scrapy makes itself
        site = spider.sites[site_id]
        if not in_scope(request.url, site.allowed_domains):
            how = "redirect" if request.meta.get("redirect_urls") else "link"
            self._drop(site_id, f"off-site {how} to {urlsplit(request.url).hostname} skipped")
        refusal = refused_target(request.url, allow_private=site.allow_private)
        if refusal:
            self._drop(site_id, f"request refused: {refusal}")
        trap = self._trap_reason(site_id, request)
        if trap:
            self._drop(site_id, trap)
        if self._requests_per_site[site_id] >= self.page_budget:
            self._drop(site_id, f"page budget of {self.page_budget} reached")
        self._requests_per_site[site_id] += 1
        return None

    def _trap_reason(self, site_id: str, request: Request) -> str | None:
        """Why the URL looks like a crawler trap (endless calendars, query explosions, session loops)."""
        url = request.url
        parts = urlsplit(url)
        if len(url) > self.max_url_length:
            return "over-long URLs skipped"
        segments = [s for s in parts.path.split("/") if s]
        if len(segments) > self.max_path_segments or _repeats_segment(segments):
            return "repeating or very deep paths skipped"
        if parts.query and request.method == "GET" and not request.meta.get("redirect_urls"):
            # One list path may legitimately take a few dozen query strings (?page=N); a
            # calendar or a filter matrix takes thousands. Cap distinct ones per path.
            key = (site_id, parts.netloc, parts.path)
            variants = self._queries_per_path[key]
            if parts.query not in variants and len(variants) >= self.max_query_variants:
                return f"query strings on {parts.path} capped at {self.max_query_variants}"
            variants.add(parts.query)
        return None

    def _drop(self, site_id: str, reason: str) -> None:
        self.crawler.spider.tracker.note(site_id, reason)  # type: ignore[union-attr]
        raise IgnoreRequest(reason)


def _repeats_segment(segments: list[str]) -> bool:
    """a/b/a/b/a/b or x/x/x: relative links resolved against themselves."""
    counts: dict[str, int] = defaultdict(int)
    for segment in segments:
        counts[segment] += 1
        if counts[segment] >= 3:
            return True
    return False


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retries on 5xx/timeouts, with an exponential wait before each retry."""

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.backoff_base = settings.getfloat("NIANBAO_RETRY_BACKOFF")

    async def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
        result = super().process_response(request, response)
        if isinstance(result, Request):
            await self._wait(result)
        return result

    async def process_exception(self, request: Request, exception: Exception) -> Request | Response | None:  # type: ignore[override]
        result = super().process_exception(request, exception)
        if isinstance(result, Request):
            await self._wait(result)
        return result

    async def _wait(self, retry: Request) -> None:
        attempt = retry.meta.get("retry_times", 1)
        delay = self.backoff_base * (2 ** (attempt - 1))
        if delay > 0:
            await asyncio.sleep(delay)


class EncodingFallbackMiddleware:
    """Decode by the bytes when the charset is missing or wrong.

    No charset declared: UTF-8 if the bytes are UTF-8, else GB18030 (Scrapy's last
    resort would be cp1252, which turns every title into mojibake). A charset
    declared but contradicted by the bytes (a list page saying utf-8 while its body
    is GBK decodes to replacement characters): the bytes win (parsers.extract.decode).
    """

    def process_response(self, request: Request, response: Response) -> Response:
        if not isinstance(response, TextResponse) or response.body.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
            return response
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
        if http_content_type_encoding(content_type) or html_body_declared_encoding(response.body):
            if "\ufffd" not in response.text:
                return response
            # The declaration lies: the parsers' one decoding rule reads the bytes instead.
            text = decode_html(response.body, http_content_type_encoding(content_type))
            return response.replace(body=text.encode("utf-8"), encoding="utf-8") if text != response.text else response
        try:
            response.body.decode("utf-8")
            return response.replace(encoding="utf-8")
        except UnicodeDecodeError:
            return response.replace(encoding="gb18030")
