"""The browser path: pages that only a real browser can read, rendered in headless Chromium.

A site opts in with `render: browser` (its lists are built by JavaScript); any other
site whose plain request meets an anti-bot challenge gets that request retried once
in the browser, which runs the challenge script and keeps the cookie it sets. The
cookies a browser obtained go back into Scrapy's cookie jar (as Set-Cookie headers
of the rendered response), so the rest of the site's run, attachments included,
stays on plain HTTP where the site accepts them; they are also saved for the
fetcher (`browser_cookies_path`).

Same rules as plain requests: the request itself passed robots, scope and budget
middlewares before it gets here; the browser blocks every sub-request (scripts,
trackers, XHR) outside the site's allowed domains, to internal addresses or
disallowed by robots.txt; the politeness delay applies per host; one browser per
crawl, one context per site, one page at a time, closed after each render.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import shutil
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from protego import Protego
from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response

from common.scope import in_scope, refused_target
from common.settings import USER_AGENT
from crawlers.browser_cookies import browser_cookies_path
from crawlers.links import is_document_url
from crawlers.status import stand_in_reason

logger = logging.getLogger(__name__)
VIA_BROWSER = "nianbao_via_browser"  # request meta: render this request in the browser
RENDERED = "nianbao_rendered"
CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--js-flags=--max-old-space-size=256"]
CHALLENGE_SETTLE_S = 10.0  # how long a challenge script may take to set its cookie and reload
CLOSE_TIMEOUT_S = 10.0


def find_chromium(configured: str | None = None) -> str | None:
    """The Chromium executable: NIANBAO_CHROMIUM setting, else the first on PATH."""
    if configured:
        return configured if Path(configured).exists() else None
    return next((path for name in CHROMIUM_CANDIDATES if (path := shutil.which(name))), None)


class BrowserMiddleware:
    """Renders browser requests with Playwright; retries challenged plain requests in the browser."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.chromium = find_chromium(settings.get("NIANBAO_CHROMIUM"))
        self.timeout_s = settings.getfloat("DOWNLOAD_TIMEOUT", 30.0)
        self.delay_s = settings.getfloat("DOWNLOAD_DELAY", 0.0)
        self.cookie_dir = Path(settings.get("NIANBAO_BROWSER_COOKIE_DIR") or "")
        self._playwright: Any = None
        self._browser: Any = None
        self._contexts: dict[str, Any] = {}
        self._robots: dict[str, Protego | None] = {}
        self._next_start: dict[str, float] = {}
        self._lock = asyncio.Lock()
        self.rendered_pages = 0
        self.render_seconds = 0.0
        self.blocked_requests: list[str] = []
        crawler.signals.connect(self.close, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BrowserMiddleware:
        return cls(crawler)

    # -- Scrapy hooks -------------------------------------------------------------
    async def process_request(self, request: Request) -> Response | None:
        site = self._site(request)
        if site is None or not self._wants_browser(site, request):
            return None
        if self.chromium is None:
            self._tracker().error(site.id, "browser_missing", request.url, at_start=bool(request.meta.get("start")))
            logger.error("nianbao: %s needs a browser but Chromium is not installed "
                         "(apt-get install chromium, or set NIANBAO_CHROMIUM)", site.id)
            raise IgnoreRequest("Chromium is not installed")
        async with self._lock:  # one page at a time: memory stays bounded
            try:  # a page that reloads for ever must not hold the crawl
                return await asyncio.wait_for(self._render(request, site),
                                              self.timeout_s * 2 + CHALLENGE_SETTLE_S)
            except asyncio.TimeoutError:
                raise IgnoreRequest(f"browser could not render {request.url} in time") from None

    def process_response(self, request: Request, response: Response) -> Request | Response:
        site = self._site(request)
        if site is None or request.meta.get(RENDERED) or request.meta.get(VIA_BROWSER):
            return response
        if stand_in_reason(response) != "anti_bot" or is_document_url(request.url):
            return response
        self._tracker().note(site.id, "anti-bot challenge met: pages retried in a headless browser")
        meta = {**request.meta, VIA_BROWSER: True}
        return request.replace(meta=meta, dont_filter=True)

    async def close(self) -> None:
        closing = [context.close() for context in self._contexts.values()]
        closing += [self._browser.close()] if self._browser is not None else []
        closing += [self._playwright.stop()] if self._playwright is not None else []
        for step in closing:  # a browser that no longer answers must not keep the crawl open
            try:
                await asyncio.wait_for(step, CLOSE_TIMEOUT_S)
            except Exception:  # noqa: BLE001 - closing down; the process ends anyway
                logger.warning("browser: a close step did not finish; the crawl ends without it")
        if self.rendered_pages:
            logger.info("browser: %d pages rendered in %.1f s (%.2f s per page); %d requests blocked",
                        self.rendered_pages, self.render_seconds,
                        self.render_seconds / self.rendered_pages, len(self.blocked_requests))

    # -- deciding -----------------------------------------------------------------
    def _site(self, request: Request) -> Any:
        spider = self.crawler.spider
        site_id = request.meta.get("site_id")
        return spider.sites.get(site_id) if spider is not None and site_id else None

    def _tracker(self) -> Any:
        return self.crawler.spider.tracker  # type: ignore[union-attr]

    @staticmethod
    def _wants_browser(site: Any, request: Request) -> bool:
        if urlsplit(request.url).path == "/robots.txt" or is_document_url(request.url):
            return False
        return bool(request.meta.get(VIA_BROWSER)) or getattr(site, "render", None) == "browser"

    # -- rendering ----------------------------------------------------------------
    async def _render(self, request: Request, site: Any) -> Response:
        await self._polite(urlsplit(request.url).hostname or "")
        context = await self._context(site, request)
        started = time.monotonic()
        page = await context.new_page()
        try:
            answer = await page.goto(request.url, wait_until="networkidle", timeout=self.timeout_s * 1000)
            html = await self._settled_content(page)
            cookies = await context.cookies()
            final_url = page.url or request.url
        except Exception as exc:  # Playwright raises its own error types for timeouts and network trouble
            raise IgnoreRequest(f"browser could not render {request.url}: {type(exc).__name__}") from None
        finally:
            await page.close()
            self.rendered_pages += 1
            self.render_seconds += time.monotonic() - started
        status = 200 if stand_in_reason(_probe(final_url, html)) is None else (answer.status if answer else 200)
        self._save_cookies(site.id, cookies)
        headers = [("Content-Type", "text/html; charset=utf-8")] + [
            ("Set-Cookie", f"{c['name']}={c['value']}; Domain={c['domain']}; Path={c['path']}") for c in cookies
        ]
        meta_request = request.replace(meta={**request.meta, RENDERED: True})
        return HtmlResponse(final_url, status=status, headers=headers, body=html.encode("utf-8"),
                            encoding="utf-8", request=meta_request)

    async def _settled_content(self, page: Any) -> str:
        """The page once any challenge script has set its cookie and reloaded."""
        deadline = time.monotonic() + CHALLENGE_SETTLE_S
        html = await page.content()
        while stand_in_reason(_probe(page.url, html)) == "anti_bot" and time.monotonic() < deadline:
            await page.wait_for_timeout(200)
            try:
                await page.wait_for_load_state("networkidle", timeout=self.timeout_s * 1000)
                html = await page.content()
            except Exception:  # the page is navigating again: read it on the next turn
                continue
        return html

    async def _polite(self, host: str) -> None:
        now = time.monotonic()
        start_at = max(now, self._next_start.get(host, 0.0))
        self._next_start[host] = start_at + self.delay_s
        if start_at > now:
            await asyncio.sleep(start_at - now)

    async def _context(self, site: Any, request: Request) -> Any:
        if self._browser is None:
            from playwright.async_api import async_playwright

            self._playwright = await async_playwright().start()
            self._browser = await self._playwright.chromium.launch(
                executable_path=self.chromium, headless=True, args=CHROMIUM_ARGS, proxy=_proxy_settings())
        context = self._contexts.get(site.id)
        if context is None:
            context = await self._browser.new_context(user_agent=f"{USER_AGENT} HeadlessChromium",
                                                      java_script_enabled=True, service_workers="block")
            context.set_default_timeout(self.timeout_s * 1000)
            await context.route("**/*", lambda route: self._route(route, site, context))
            self._contexts[site.id] = context
        jar = _request_cookies(request)
        if jar:
            await context.add_cookies([{"name": k, "value": v, "url": request.url} for k, v in jar.items()])
        return context

    async def _route(self, route: Any, site: Any, context: Any) -> None:
        url = route.request.url
        reason = self._refusal(url, site)
        if reason is None and not await self._robots_allow(url, context):
            reason = "robots.txt"
        if reason is not None:
            self.blocked_requests.append(url)
            self._tracker().note(site.id, f"browser blocked requests ({reason})")
            await route.abort("blockedbyclient")
            return
        await route.continue_()

    @staticmethod
    def _refusal(url: str, site: Any) -> str | None:
        if url.startswith(("data:", "blob:")):
            return None
        if not in_scope(url, site.allowed_domains):
            return "outside the allowed domains"
        return refused_target(url, allow_private=getattr(site, "allow_private", False))

    async def _robots_allow(self, url: str, context: Any) -> bool:
        parts = urlsplit(url)
        if parts.path == "/robots.txt":
            return True
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            try:
                answer = await context.request.get(f"{origin}/robots.txt", timeout=self.timeout_s * 1000)
                body = await answer.text() if answer.ok else ""
            except Exception:  # no robots.txt reachable: everything is allowed, as for Scrapy
                body = ""
            self._robots[origin] = Protego.parse(body) if body else None
        rules = self._robots[origin]
        return rules is None or rules.can_fetch(url, USER_AGENT)

    def _save_cookies(self, site_id: str, cookies: list[dict[str, Any]]) -> None:
        if not self.cookie_dir.parts or not cookies:
            return
        path = browser_cookies_path(self.cookie_dir, site_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({c["name"]: c["value"] for c in cookies}), encoding="utf-8")


def _probe(url: str, html: str) -> Response:
    return HtmlResponse(url, body=html.encode("utf-8"), encoding="utf-8")


def _request_cookies(request: Request) -> dict[str, str]:
    header = request.headers.get("Cookie")
    if not header:
        return {}
    pairs = (part.split("=", 1) for part in header.decode("latin-1").split(";") if "=" in part)
    return {name.strip(): value.strip() for name, value in pairs}


def _proxy_settings() -> dict[str, str] | None:
    """HTTP_PROXY / NO_PROXY for the browser, as plain requests honour them."""
    server = os.environ.get("HTTP_PROXY") or os.environ.get("http_proxy")
    if not server:
        return None
    bypass = os.environ.get("NO_PROXY") or os.environ.get("no_proxy") or ""
    return {"server": server, "bypass": bypass} if bypass else {"server": server}
