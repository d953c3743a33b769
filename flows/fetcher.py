"""Download one document over HTTP politely and safely (httpx), decoding nothing.

The fetcher turns a link into a `FetchedDocument` for storage: conditional GET
from the last ETag / Last-Modified, a streamed size cap, redirects followed by
hand and only inside the site's allowed domains, retries with backoff on 5xx
and timeouts (never on 4xx), a per-domain concurrency bound with a delay
between requests, and robots.txt obeyed like the spider does (flows.robots;
every redirect hop is checked too). Proxies come from HTTP_PROXY / NO_PROXY (httpx `trust_env`).
Bytes are returned as received; the header charset is handed to the parser.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from w3lib.encoding import html_to_unicode, http_content_type_encoding

from common.page_kind import CHALLENGE_STATUSES, stand_in_kind
from common.scope import in_scope, refused_target
from common.settings import DEFAULT_CRAWL_DELAY, DEFAULT_REQUEST_TIMEOUT, MAX_DOCUMENT_BYTES, USER_AGENT
from flows.robots import RobotsCache
from storage.records import FetchedDocument

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
GONE_STATUSES = frozenset({404, 410})
NETWORK_ERROR_STATUS = 0  # no HTTP status: connection refused, timeout, …
# Reasons (the part of `FetchedDocument.error` before ":") of failures that are retried:
# the server did not answer, so a later run may well get the document.
UNANSWERED_REASONS = ("timeout", "network", "http_5")
ROBOTS_DISALLOWED = "robots_disallowed"  # never requested: the site's robots.txt forbids it


def server_did_not_answer(reason: str | None) -> bool:
    """True for an error (or its reason) of a fetch the server never answered usefully."""
    return bool(reason) and reason.startswith(UNANSWERED_REASONS)  # type: ignore[union-attr]


@dataclass(frozen=True)
class FetchLimits:
    """Every limit of the fetcher, in one place."""

    max_bytes: int = MAX_DOCUMENT_BYTES
    connect_timeout: float = 10.0
    read_timeout: float = DEFAULT_REQUEST_TIMEOUT
    total_timeout: float = 180.0  # whole body download, slow-drip servers included
    max_redirects: int = 5
    per_domain_concurrency: int = 1
    delay_seconds: float = DEFAULT_CRAWL_DELAY  # between request starts on one domain; 0 disables
    retries: int = 2  # extra attempts after the first, on 5xx and timeouts
    backoff_seconds: float = 1.0
    backoff_max_seconds: float = 30.0
    user_agent: str = USER_AGENT
    allow_private: bool = False  # only for test webs on loopback
    obey_robots: bool = True  # as the spider's ROBOTSTXT_OBEY

    def __post_init__(self) -> None:
        if not 1 <= self.per_domain_concurrency <= 2:
            raise ValueError("per_domain_concurrency must be 1 or 2 (gov.cn sites are fragile)")


class _RetryableFailure(Exception):
    """A 5xx answer or a network timeout: worth another attempt."""

    def __init__(self, status_code: int, reason: str) -> None:
        super().__init__(reason)
        self.status_code = status_code
        self.reason = reason


class DomainThrottle:
    """Bounds concurrent requests per domain and spaces their starts.

    Shared by every fetcher of a process, so two sites on one domain (or two
    threads of one site) still count against the same budget.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._next_start: dict[str, float] = {}

    def acquire(self, domain: str, limits: FetchLimits) -> None:
        with self._lock:
            slot = self._slots.setdefault(
                domain, threading.BoundedSemaphore(limits.per_domain_concurrency)
            )
        slot.acquire()
        with self._lock:
            now = time.monotonic()
            start_at = max(now, self._next_start.get(domain, 0.0))
            self._next_start[domain] = start_at + limits.delay_seconds
        if start_at > now:
            time.sleep(start_at - now)

    def release(self, domain: str) -> None:
        self._slots[domain].release()


PROCESS_THROTTLE = DomainThrottle()


def header_charset(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header, if any (for the parser)."""
    return http_content_type_encoding(content_type) if content_type else None


def stand_in_error(content: bytes, content_type: str | None, status: int) -> str | None:
    """`challenge: …` / `login: …` / `soft_404: …` when a body stands in for the document."""
    if status == 200 and not _looks_like_html(content, content_type):
        return None
    _, text = html_to_unicode(content_type, content[: 2 * 1024 * 1024])
    kind = stand_in_kind(text, status)
    return f"{kind}: the server answered {status} with a {kind.replace('_', ' ')} page" if kind else None


def _looks_like_html(content: bytes, content_type: str | None) -> bool:
    if content_type and "html" in content_type.lower():
        return True
    return content[:512].lstrip().lower().startswith((b"<!doctype html", b"<html", b"<head", b"<script"))


class Fetcher:
    """One httpx client plus the limits; `fetch` never raises for network trouble."""

    def __init__(
        self, limits: FetchLimits | None = None, throttle: DomainThrottle | None = None,
        cookies: dict[str, str] | None = None,
    ) -> None:
        """`cookies`: sent with every request, e.g. what a crawl's browser obtained past a challenge."""
        self.limits = limits or FetchLimits()
        self.throttle = throttle or PROCESS_THROTTLE
        self.request_count = 0
        self.bytes_downloaded = 0
        self._robots = RobotsCache(self.limits.user_agent) if self.limits.obey_robots else None
        self._client = httpx.Client(
            trust_env=True,  # HTTP_PROXY / HTTPS_PROXY / NO_PROXY
            follow_redirects=False,  # checked hop by hop against allowed domains
            timeout=httpx.Timeout(
                self.limits.read_timeout, connect=self.limits.connect_timeout
            ),
            headers={"User-Agent": self.limits.user_agent},
            cookies=cookies or None,
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def fetch(
        self,
        url: str,
        *,
        allowed_domains: Iterable[str] = (),
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> FetchedDocument:
        """GET `url` (conditionally when etag/last_modified are known)."""
        domains = tuple(allowed_domains) or (urlsplit(url).hostname or "",)
        if not in_scope(url, domains):
            return FetchedDocument(url=url, status_code=NETWORK_ERROR_STATUS,
                                   error=f"off_site: {url} is outside {', '.join(domains)}")
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            return self._fetch_following_redirects(url, domains, headers)
        except _RetryableFailure as failure:
            attempts = self.limits.retries + 1
            return FetchedDocument(url=url, status_code=failure.status_code,
                                   error=f"{failure.reason} (after {attempts} attempts)")

    def _fetch_following_redirects(
        self, url: str, domains: tuple[str, ...], headers: dict[str, str], *, obey_robots: bool = True
    ) -> FetchedDocument:
        current, status = url, NETWORK_ERROR_STATUS
        for _hop in range(self.limits.max_redirects + 1):
            if obey_robots and not self._robots_allow(current, domains):
                return FetchedDocument(url=url, status_code=status, final_url=current,
                                       error=f"{ROBOTS_DISALLOWED}: {current} is disallowed by robots.txt")
            outcome = self._get_with_retries(current, headers)
            if isinstance(outcome, FetchedDocument):
                return _with_original_url(outcome, url)
            status, location = outcome
            target = urljoin(current, location)
            if not in_scope(target, domains):
                return FetchedDocument(url=url, status_code=status, final_url=target,
                                       error=f"off_site_redirect: {current} -> {target}")
            current = target
        return FetchedDocument(url=url, status_code=status, final_url=current,
                               error=f"too_many_redirects: more than {self.limits.max_redirects}")

    def _robots_allow(self, url: str, domains: tuple[str, ...]) -> bool:
        return self._robots is None or self._robots.allows(url, lambda robots: self._robots_body(robots, domains))

    def _robots_body(self, url: str, domains: tuple[str, ...]) -> bytes | None:
        """A robots.txt through the same client and checks; None (all allowed) unless it answered 200.

        Like Scrapy: a robots.txt lost to 5xx or network errors after the retries allows everything.
        """
        try:
            document = self._fetch_following_redirects(url, domains, {}, obey_robots=False)
        except _RetryableFailure:
            return None
        return document.content if document.status_code == 200 else None

    def _get_with_retries(
        self, url: str, headers: dict[str, str]
    ) -> FetchedDocument | tuple[int, str]:
        retrying = Retrying(
            retry=retry_if_exception_type(_RetryableFailure),
            stop=stop_after_attempt(self.limits.retries + 1),
            wait=wait_exponential(multiplier=self.limits.backoff_seconds,
                                  max=self.limits.backoff_max_seconds),
            reraise=True,
        )
        return retrying(self._get_once, url, headers)

    def _get_once(self, url: str, headers: dict[str, str]) -> FetchedDocument | tuple[int, str]:
        """One request: a document, or (status, Location) for a redirect."""
        refusal = refused_target(url, allow_private=self.limits.allow_private)
        if refusal:
            return FetchedDocument(url=url, status_code=NETWORK_ERROR_STATUS,
                                   error=f"refused_address: {refusal}")
        domain = (urlsplit(url).hostname or "").lower()
        self.throttle.acquire(domain, self.limits)
        try:
            self.request_count += 1
            with self._client.stream("GET", url, headers=headers) as response:
                return self._read_response(url, response)
        except httpx.TimeoutException as exc:
            raise _RetryableFailure(NETWORK_ERROR_STATUS, f"timeout: {type(exc).__name__}")
        except httpx.TransportError as exc:
            raise _RetryableFailure(NETWORK_ERROR_STATUS, f"network: {type(exc).__name__}: {exc}")
        finally:
            self.throttle.release(domain)

    def _read_response(
        self, url: str, response: httpx.Response
    ) -> FetchedDocument | tuple[int, str]:
        status = response.status_code
        if status in REDIRECT_STATUSES and response.headers.get("location"):
            return status, response.headers["location"]
        if status >= 500:
            raise _RetryableFailure(status, f"http_{status}")
        meta = _response_meta(url, response)
        if status in CHALLENGE_STATUSES:
            body = self._read_capped(response) or b""
            error = stand_in_error(body, meta["content_type"], status)
            return FetchedDocument(status_code=status, error=error, **meta)
        if status != 200:
            error = None if status == 304 else f"http_{status}"
            return FetchedDocument(status_code=status, error=error, **meta)
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.limits.max_bytes:
            return FetchedDocument(status_code=status, error=self._too_large(), **meta)
        body = self._read_capped(response)
        if body is None:
            return FetchedDocument(status_code=status, error=self._too_large(), **meta)
        stand_in = stand_in_error(body, meta["content_type"], status)
        if stand_in:
            return FetchedDocument(status_code=status, error=stand_in, **meta)
        return FetchedDocument(status_code=status, content=body, **meta)

    def _read_capped(self, response: httpx.Response) -> bytes | None:
        """The body, or None once it grows past the cap (the rest is never read)."""
        deadline = time.monotonic() + self.limits.total_timeout
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            self.bytes_downloaded += len(chunk)
            if size > self.limits.max_bytes:
                return None
            if time.monotonic() > deadline:
                raise _RetryableFailure(NETWORK_ERROR_STATUS, "timeout: body too slow")
            chunks.append(chunk)
        return b"".join(chunks)

    def _too_large(self) -> str:
        return f"too_large: more than {self.limits.max_bytes} bytes"


def _response_meta(url: str, response: httpx.Response) -> dict[str, str | None]:
    return {
        "url": url,
        "final_url": str(response.url),
        "content_type": response.headers.get("content-type"),
        "etag": response.headers.get("etag"),
        "last_modified": response.headers.get("last-modified"),
    }


def _with_original_url(document: FetchedDocument, url: str) -> FetchedDocument:
    """Redirected fetches are recorded under the link's URL, not the hop's."""
    if document.url == url:
        return document
    fields = {**document.__dict__, "url": url}
    return FetchedDocument(**fields)
