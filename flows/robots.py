"""robots.txt for the httpx fetcher, decided the way the Scrapy spider decides it.

Scrapy's RobotsTxtMiddleware (ROBOTSTXT_OBEY, Protego parser) requests
`scheme://netloc/robots.txt` once per netloc, decodes the body as UTF-8
(BOM dropped, undecodable bytes ignored) and asks Protego with the request's
User-Agent. A robots.txt that cannot be downloaded (network error, 5xx after the
retries) allows everything. Scrapy parses the body of any other answer too; a 404
page has no rules, so here any answer but a 200 simply allows everything.
`RobotsCache` does the same for one fetcher: the download itself is the
fetcher's (same client, proxies, limits and scope checks), passed in per call.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from urllib.parse import urlsplit

from protego import Protego

# GET a robots.txt URL; its body when the server answered 200 with one, else None.
RobotsDownload = Callable[[str], "bytes | None"]


def parse_robots(body: bytes) -> Protego:
    """Protego rules from a robots.txt body, decoded as Scrapy's ProtegoRobotParser does."""
    return Protego.parse(body.decode("utf-8-sig", errors="ignore"))


def robots_url(url: str) -> str:
    """The robots.txt governing `url` (same scheme and netloc, as in Scrapy)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/robots.txt"


class RobotsCache:
    """One robots.txt request per netloc, then every answer from the cached rules.

    Thread-safe: concurrent first requests for one netloc wait for a single download.
    """

    def __init__(self, user_agent: str) -> None:
        self.user_agent = user_agent
        self._lock = threading.Lock()
        self._netloc_locks: dict[str, threading.Lock] = {}
        self._rules: dict[str, Protego | None] = {}  # None: no usable robots.txt, all allowed

    def allows(self, url: str, download: RobotsDownload) -> bool:
        """True when robots.txt lets our User-Agent fetch `url`; `download` is called at most once per netloc."""
        parts = urlsplit(url)
        if parts.path == "/robots.txt":
            return True
        rules = self._rules_for(parts.netloc.lower(), robots_url(url), download)
        return rules is None or rules.can_fetch(url, self.user_agent)

    def _rules_for(self, netloc: str, url: str, download: RobotsDownload) -> Protego | None:
        with self._lock:
            netloc_lock = self._netloc_locks.setdefault(netloc, threading.Lock())
        with netloc_lock:
            if netloc not in self._rules:
                body = download(url)
                self._rules[netloc] = parse_robots(body) if body is not None else None
            return self._rules[netloc]
