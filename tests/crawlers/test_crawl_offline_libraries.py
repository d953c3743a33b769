"""A crawl requests nothing outside its sites' domains, libraries included (tldextract's suffix list)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from crawlers.registry import SiteConfig
from crawlers.run import crawl_sites

PAGE = "<html><body><a href='/list.html'>政府信息公开年报</a></body></html>".encode()


class _Recorder(ThreadingHTTPServer):
    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(("127.0.0.1", 0), handler)
        self.requests: list[str] = []
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _SiteHandler(BaseHTTPRequestHandler):
    """A site whose pages set a cookie naming a domain: Scrapy then asks tldextract about it."""

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        self.server.requests.append(self.path)  # type: ignore[attr-defined]
        body = b"User-agent: *\nAllow: /\n" if self.path == "/robots.txt" else PAGE
        self.send_response(200)
        self.send_header("Content-Type", "text/plain" if self.path == "/robots.txt" else "text/html; charset=utf-8")
        self.send_header("Set-Cookie", "visit=1; Domain=127.0.0.1; Path=/")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _ProxyHandler(BaseHTTPRequestHandler):
    """Stands where the internet would be: records every request and answers 502."""

    def log_message(self, *args: object) -> None:
        pass

    def _refuse(self) -> None:
        self.server.requests.append(f"{self.command} {self.path}")  # type: ignore[attr-defined]
        self.send_response(502)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_CONNECT = do_HEAD = _refuse  # noqa: N815


@pytest.fixture()
def servers() -> Iterator[tuple[_Recorder, _Recorder]]:
    site, internet = _Recorder(_SiteHandler), _Recorder(_ProxyHandler)
    yield site, internet
    site.shutdown()
    internet.shutdown()


def test_a_cold_tldextract_cache_sends_nothing_outside_the_site(
    servers: tuple[_Recorder, _Recorder], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sqlite_url: str
) -> None:
    site_server, internet = servers
    monkeypatch.setenv("TLDEXTRACT_CACHE", str(tmp_path / "empty-tldextract-cache"))
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"):
        monkeypatch.setenv(name, internet.url)  # anything leaving for the internet lands here
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    site = SiteConfig(id="local", name="本地测试站", start_urls=(site_server.url + "/",),
                      allowed_domains=("127.0.0.1",), allow_private=True)

    statuses = crawl_sites([site], database_url=sqlite_url, blob_url=str(tmp_path / "blobs"),
                           settings_overrides={"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False})

    assert statuses["local"].pages_visited >= 2
    assert "/list.html" in site_server.requests
    assert internet.requests == []
