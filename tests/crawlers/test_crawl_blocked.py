"""A site answering with an anti-bot page (412 + JS challenge) is reported as such, not as empty."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from crawlers.registry import SiteConfig
from crawlers.run import crawl_sites

CHALLENGE = b"<html><head><meta charset='utf-8'><script>var $_ts=window['$_ts'];$_ts.nsd=1;</script></head></html>"


class _ChallengeHandler(BaseHTTPRequestHandler):
    """Every page is a Ruishu-style 412 challenge; robots.txt does not exist."""

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        status, body = (404, b"") if self.path == "/robots.txt" else (412, CHALLENGE)
        self.send_response(status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def challenge_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _ChallengeHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NIANBAO_CRAWL_DELAY", "0")
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_anti_bot_start_page_marks_the_site_failing(challenge_server: str, sqlite_url: str, blob_dir: Path) -> None:
    site = SiteConfig("blocked", "被拦截县人民政府", (challenge_server,), allow_private=True)
    statuses = crawl_sites([site], database_url=sqlite_url, blob_url=str(blob_dir),
                           settings_overrides={"LOG_LEVEL": "WARNING"})
    status = statuses["blocked"]
    assert status.ok is False
    assert status.errors == {"anti_bot": 1}
    assert status.pages_visited == 0
    assert f"anti_bot at {challenge_server}" in status.detail
