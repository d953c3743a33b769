"""The fetcher against real HTTP on loopback: limits, retries, redirects, conditional GET."""

from __future__ import annotations

import time

import pytest

from flows.fetcher import FetchLimits, Fetcher, header_charset
from flows.robots import robots_url
from tests.flows.edge_server import ETAG, LAST_MODIFIED, PAGE, EdgeServer

FAST = FetchLimits(delay_seconds=0, backoff_seconds=0.01, backoff_max_seconds=0.02, retries=2, allow_private=True,
                   max_bytes=1024 * 1024)
LOCAL = ("127.0.0.1",)


@pytest.fixture(scope="module")
def edge_server():
    server = EdgeServer(flaky_failures=2)
    yield server
    server.stop()


@pytest.fixture()
def edge(edge_server: EdgeServer, monkeypatch: pytest.MonkeyPatch) -> EdgeServer:
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    edge_server.hits.clear()
    return edge_server


def fetch(edge: EdgeServer, path: str, limits: FetchLimits = FAST, **kwargs):
    with Fetcher(limits) as fetcher:
        return fetcher.fetch(edge.base_url + path, allowed_domains=LOCAL, **kwargs)


def test_plain_get_keeps_bytes_undecoded_and_reports_validators(edge):
    doc = fetch(edge, "/page.html")
    assert doc.status_code == 200
    assert doc.content == PAGE  # GBK bytes, untouched
    assert doc.etag == ETAG and doc.last_modified == LAST_MODIFIED
    assert header_charset(doc.content_type) == "gb18030"  # w3lib reads gbk as its superset


def test_conditional_get_sends_validators_and_gets_304(edge):
    doc = fetch(edge, "/page.html", etag=ETAG, last_modified=LAST_MODIFIED)
    assert doc.status_code == 304 and doc.content is None and doc.error is None
    sent = edge.last_headers["/page.html"]
    assert sent["If-None-Match"] == ETAG and sent["If-Modified-Since"] == LAST_MODIFIED


def test_streamed_body_past_the_cap_is_abandoned(edge):
    doc = fetch(edge, "/big-chunked.pdf")
    assert doc.content is None and doc.error.startswith("too_large")


def test_declared_length_past_the_cap_is_refused_without_reading(edge):
    started = time.monotonic()
    doc = fetch(edge, "/big-declared.pdf")
    assert doc.content is None and doc.error.startswith("too_large")
    assert time.monotonic() - started < 5  # did not wait for a body that never comes


def test_503_is_retried_until_it_recovers(edge):
    doc = fetch(edge, "/flaky.pdf")
    assert doc.status_code == 200 and doc.content == b"%PDF-1.4 recovered"
    assert edge.hits["/flaky.pdf"] == 3


def test_persistent_503_gives_up_after_the_retry_budget(edge):
    doc = fetch(edge, "/always-503.pdf")
    assert doc.status_code == 503 and doc.content is None and "after 3 attempts" in doc.error
    assert edge.hits["/always-503.pdf"] == 3


@pytest.mark.parametrize("path,status", [("/missing.pdf", 404), ("/gone.pdf", 410), ("/forbidden.pdf", 403)])
def test_4xx_is_not_retried(edge, path, status):
    doc = fetch(edge, path)
    assert doc.status_code == status and doc.content is None
    assert edge.hits[path] == 1


def test_redirect_within_the_site_is_followed_and_recorded_under_the_link(edge):
    doc = fetch(edge, "/to-page")
    assert doc.status_code == 200 and doc.content == PAGE
    assert doc.url == edge.base_url + "/to-page"
    assert doc.final_url == edge.base_url + "/page.html"


def test_off_site_redirect_is_refused(edge):
    doc = fetch(edge, "/to-offsite")
    assert doc.content is None and doc.error.startswith("off_site_redirect")
    assert doc.final_url == "http://elsewhere.example.com/x.pdf"


def test_redirect_loop_stops(edge):
    doc = fetch(edge, "/loop")
    assert doc.content is None and doc.error.startswith("too_many_redirects")
    assert edge.hits["/loop"] == FAST.max_redirects + 1


def test_connection_refused_is_a_network_error_not_an_exception():
    limits = FetchLimits(delay_seconds=0, retries=1, backoff_seconds=0.01, allow_private=True)
    with Fetcher(limits) as fetcher:
        doc = fetcher.fetch("http://127.0.0.1:9/x.pdf", allowed_domains=LOCAL)
    assert doc.status_code == 0 and doc.error.startswith("network")


def test_delay_spaces_requests_on_one_domain(edge):
    limits = FetchLimits(delay_seconds=0.3, retries=0, allow_private=True)
    started = time.monotonic()
    with Fetcher(limits) as fetcher:
        for _ in range(3):
            fetcher.fetch(edge.base_url + "/page.html", allowed_domains=LOCAL)
    assert time.monotonic() - started >= 0.6


# ---- against the fake gov.cn web, through its proxy ----------------------------------

@pytest.fixture()
def via_proxy(private_web, monkeypatch: pytest.MonkeyPatch):
    """The fake web, fresh faults and log, reached through HTTP_PROXY (httpx trust_env)."""
    private_web.reset()
    monkeypatch.setenv("HTTP_PROXY", private_web.proxy_url)
    monkeypatch.setenv("http_proxy", private_web.proxy_url)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    return private_web


def site_domains(url: str) -> tuple[str, ...]:
    return (".".join(url.split("/")[2].split(".")[-3:]),)


def after_robots(log: list, url: str) -> list:
    """The requests after the fetcher's first one, which must be robots.txt of `url`'s host."""
    assert log[0].url == robots_url(url)
    return log[1:]


def test_fake_web_document_then_304_with_its_etag(via_proxy):
    url = next(u for r in via_proxy.expected_reports() for u in r.attachment_urls
               if u not in via_proxy.flaky_urls)
    with Fetcher(FAST) as fetcher:
        first = fetcher.fetch(url, allowed_domains=site_domains(url))
        again = fetcher.fetch(url, allowed_domains=site_domains(url), etag=first.etag)
    assert first.status_code == 200 and first.content and first.etag
    assert again.status_code == 304 and again.content is None
    assert [(r.url, r.status) for r in after_robots(via_proxy.request_log, url)] == [(url, 200), (url, 304)]


def test_fake_web_flaky_document_is_retried(via_proxy):
    url, failures = next((u, n) for u, n in via_proxy.flaky_urls.items() if u.endswith(".pdf"))
    with Fetcher(FAST) as fetcher:
        document = fetcher.fetch(url, allowed_domains=site_domains(url))
    assert document.status_code == 200 and document.content.startswith(b"%PDF")
    assert [r.status for r in after_robots(via_proxy.request_log, url)] == [503] * failures + [200]


def test_fake_web_off_site_redirect_is_never_followed(via_proxy):
    url, target = next((u, t) for u, t in via_proxy.redirects.items()
                       if t.split("/")[2] in via_proxy.offsite_hosts)
    with Fetcher(FAST) as fetcher:
        document = fetcher.fetch(url, allowed_domains=site_domains(url))
    assert document.content is None and document.error.startswith("off_site_redirect")
    assert [r.url for r in after_robots(via_proxy.request_log, url)] == [url]


def test_fake_web_404s_mark_the_link_gone_only_when_repeated(via_proxy, tmp_path):
    from storage.link_state import GonePolicy
    from storage.records import DiscoveredLink
    from storage.repository import Repository

    url = via_proxy.broken_urls[0]
    repo = Repository.open(f"sqlite:///{tmp_path / 'db.sqlite'}", str(tmp_path / "blobs"))
    try:
        repo.record_links([DiscoveredLink("qingshan", url, "page")])
        with Fetcher(FAST) as fetcher:
            document = fetcher.fetch(url, allowed_domains=site_domains(url))
        assert document.status_code == 404 and via_proxy.request_log[-1].status == 404
        repo.gone_policy = GonePolicy(answers=2, min_days=0)
        assert repo.record_fetch(document) is None
        assert [link.url for link in repo.links_to_fetch()] == [url]  # one 404 retires nothing
        assert repo.record_fetch(document) is None
        assert repo.links_to_fetch() == []
        assert [link.url for link in repo.links_to_fetch(include_gone=True)] == [url]
    finally:
        repo.close()


def test_a_loopback_target_is_refused_without_allow_private_and_nothing_is_sent(edge):
    limits = FetchLimits(delay_seconds=0, retries=0)
    with Fetcher(limits) as fetcher:
        doc = fetcher.fetch(edge.base_url + "/page.html", allowed_domains=LOCAL)
    assert doc.content is None
    assert doc.error is not None and doc.error.startswith("refused_address: 127.0.0.1")
    assert edge.hits["/page.html"] == 0


@pytest.mark.parametrize(
    ("body", "status", "reason"),
    [
        (b"<html><script>var $_ts=window['$_ts'];</script></html>", 412, "challenge"),
        ("<html><body>请开启JavaScript并刷新该页</body></html>".encode(), 200, "challenge"),
        ("<html><title>您访问的页面不存在</title><body>返回首页</body></html>".encode(), 200, "soft_404"),
        ("<html><body><form>登录 <input type=password name=p></form></body></html>".encode(), 200, "login"),
    ],
)
def test_stand_in_pages_come_back_as_errors_without_content(body: bytes, status: int, reason: str) -> None:
    from flows.fetcher import stand_in_error

    error = stand_in_error(body, "text/html; charset=utf-8", status)
    assert error is not None and error.startswith(f"{reason}: ")


def test_a_pdf_is_never_taken_for_a_stand_in_page() -> None:
    from flows.fetcher import stand_in_error

    assert stand_in_error(b"%PDF-1.7 ... 404 ...", "application/pdf", 200) is None
