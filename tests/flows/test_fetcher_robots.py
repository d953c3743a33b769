"""The fetcher obeys robots.txt like the spider: real HTTP on loopback, every request logged."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from common.settings import USER_AGENT
from flows.fetcher import FetchLimits, Fetcher

FAST = FetchLimits(delay_seconds=0, backoff_seconds=0.01, backoff_max_seconds=0.02, retries=1,
                   allow_private=True)
LOCAL = ("127.0.0.1",)
DISALLOW_PRIVATE = b"User-agent: *\nDisallow: /private/\n"
PDF = b"%PDF-1.4 allowed"


class RobotsServer:
    """127.0.0.1:<port> serving a chosen robots.txt answer, two PDFs and redirects to them."""

    def __init__(self, robots: tuple[int, bytes] = (200, DISALLOW_PRIVATE)) -> None:
        self.robots = robots
        self.log: list[tuple[str, str]] = []  # (path, User-Agent) of every request received
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def paths(self) -> list[str]:
        return [path for path, _agent in self.log]

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def _handler(server: RobotsServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            server.log.append((self.path, self.headers.get("User-Agent", "")))
            if self.path == "/robots.txt":
                self._send(*server.robots)
            elif self.path in ("/private/report.pdf", "/public/report.pdf"):
                self._send(200, PDF, {"Content-Type": "application/pdf"})
            elif self.path.startswith("/to/"):
                self._send(302, b"", {"Location": self.path[len("/to"):]})
            else:
                self._send(404, b"not found")

        def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            for name, value in (headers or {"Content-Type": "text/plain"}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@pytest.fixture()
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture()
def server(no_proxy) -> Iterator[RobotsServer]:
    web = RobotsServer()
    yield web
    web.stop()


def test_a_disallowed_attachment_is_never_requested_and_comes_back_as_a_robots_error(server):
    url = server.base_url + "/private/report.pdf"
    with Fetcher(FAST) as fetcher:
        document = fetcher.fetch(url, allowed_domains=LOCAL)
    assert document.content is None and document.status_code == 0
    assert document.error == f"robots_disallowed: {url} is disallowed by robots.txt"
    assert server.paths() == ["/robots.txt"]
    assert fetcher.request_count == 1


def test_an_allowed_attachment_is_fetched_after_robots_with_the_same_user_agent(server):
    with Fetcher(FAST) as fetcher:
        document = fetcher.fetch(server.base_url + "/public/report.pdf", allowed_domains=LOCAL)
    assert document.status_code == 200 and document.content == PDF and document.error is None
    assert server.log == [("/robots.txt", USER_AGENT), ("/public/report.pdf", USER_AGENT)]


def test_robots_txt_is_requested_once_per_host_per_fetcher(server):
    other = RobotsServer(robots=(200, b"User-agent: *\nDisallow: /public/\n"))
    try:
        with Fetcher(FAST) as fetcher:
            results = [fetcher.fetch(web.base_url + path, allowed_domains=LOCAL)
                       for web in (server, other, server, other)
                       for path in ("/public/report.pdf", "/private/report.pdf")]
        with Fetcher(FAST) as second:
            second.fetch(server.base_url + "/public/report.pdf", allowed_domains=LOCAL)
    finally:
        other.stop()
    assert [d.content is not None for d in results] == [True, False, False, True] * 2
    assert server.paths() == ["/robots.txt"] + ["/public/report.pdf"] * 2 + ["/robots.txt", "/public/report.pdf"]
    assert other.paths() == ["/robots.txt"] + ["/private/report.pdf"] * 2


@pytest.mark.parametrize("robots", [(404, b"<html><body>not found</body></html>"), (503, b"busy")])
def test_a_missing_or_failing_robots_txt_allows_everything(no_proxy, robots):
    web = RobotsServer(robots=robots)
    try:
        with Fetcher(FAST) as fetcher:
            first = fetcher.fetch(web.base_url + "/private/report.pdf", allowed_domains=LOCAL)
            again = fetcher.fetch(web.base_url + "/private/report.pdf", allowed_domains=LOCAL)
    finally:
        web.stop()
    assert first.content == PDF and again.content == PDF
    tries = 1 if robots[0] == 404 else FAST.retries + 1  # a 5xx robots.txt is retried like any 5xx
    assert web.paths() == ["/robots.txt"] * tries + ["/private/report.pdf"] * 2


def test_an_unreachable_robots_txt_allows_everything_like_scrapy(no_proxy):
    """A network error on robots.txt: allowed (and the document then fails on its own)."""
    with Fetcher(FAST) as fetcher:
        document = fetcher.fetch("http://127.0.0.1:9/private/report.pdf", allowed_domains=LOCAL)
    assert document.error is not None and document.error.startswith("network")
    assert fetcher.request_count == 2 * (FAST.retries + 1)  # robots.txt, then the document


def test_a_redirect_into_a_disallowed_path_is_not_followed(server):
    url = server.base_url + "/to/private/report.pdf"
    with Fetcher(FAST) as fetcher:
        document = fetcher.fetch(url, allowed_domains=LOCAL)
        allowed = fetcher.fetch(server.base_url + "/to/public/report.pdf", allowed_domains=LOCAL)
    assert document.content is None and document.status_code == 302
    assert document.url == url and document.final_url == server.base_url + "/private/report.pdf"
    assert document.error.startswith("robots_disallowed: ")
    assert allowed.content == PDF
    assert server.paths() == ["/robots.txt", "/to/private/report.pdf",
                              "/to/public/report.pdf", "/public/report.pdf"]


def test_a_group_naming_our_user_agent_is_the_one_that_applies(no_proxy):
    web = RobotsServer(robots=(200, b"User-agent: *\nDisallow:\n\nUser-agent: nianbao\nDisallow: /public/\n"))
    try:
        with Fetcher(FAST) as fetcher:
            public = fetcher.fetch(web.base_url + "/public/report.pdf", allowed_domains=LOCAL)
            private = fetcher.fetch(web.base_url + "/private/report.pdf", allowed_domains=LOCAL)
    finally:
        web.stop()
    assert public.error.startswith("robots_disallowed") and private.content == PDF
    assert web.paths() == ["/robots.txt", "/private/report.pdf"]


def test_robots_can_be_switched_off_for_a_web_that_asks_nothing(server):
    with Fetcher(FetchLimits(delay_seconds=0, allow_private=True, obey_robots=False)) as fetcher:
        document = fetcher.fetch(server.base_url + "/private/report.pdf", allowed_domains=LOCAL)
    assert document.content == PDF and server.paths() == ["/private/report.pdf"]


def test_an_off_site_link_gets_no_robots_request(server):
    with Fetcher(FAST) as fetcher:
        document = fetcher.fetch(server.base_url + "/public/report.pdf", allowed_domains=("example.gov.cn",))
    assert document.error.startswith("off_site") and server.paths() == []
