"""Scope, trap, budget and encoding middlewares; anti-bot and failure reasons."""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response
from scrapy.utils.test import get_crawler
from twisted.internet.error import DNSLookupError, TimeoutError
from twisted.python.failure import Failure

from crawlers.middlewares import EncodingFallbackMiddleware, SiteScopeMiddleware
from crawlers.registry import SiteConfig
from crawlers.settings import crawl_settings
from crawlers.spiders.report_spider import ReportSpider
from crawlers.status import failure_reason, stand_in_reason

SITE = SiteConfig("qingshan", "青山市人民政府", ("http://www.qingshan.gov.cn/",),
                  allowed_domains=("qingshan.gov.cn",))


def scope_middleware(**settings: object) -> tuple[SiteScopeMiddleware, ReportSpider]:
    crawler = get_crawler(ReportSpider, crawl_settings(dict(settings), delay=0))
    crawler.spider = crawler._create_spider(sites=[SITE])
    return SiteScopeMiddleware.from_crawler(crawler), crawler.spider


def site_request(url: str, **meta: object) -> Request:
    return Request(url, meta={"site_id": "qingshan", **meta})


def test_off_site_requests_and_redirects_are_dropped() -> None:
    middleware, spider = scope_middleware()
    assert middleware.process_request(site_request("http://xxgk.qingshan.gov.cn/zfxxgk/")) is None
    with pytest.raises(IgnoreRequest):
        middleware.process_request(site_request("http://www.gov-mirror.com/qingshan/"))
    redirected = site_request("http://www.gov-mirror.com/qingshan/2024/zjj.html",
                              redirect_urls=["http://xxgk.qingshan.gov.cn/a.shtml"])
    with pytest.raises(IgnoreRequest):
        middleware.process_request(redirected)
    assert "off-site redirect to www.gov-mirror.com skipped" in spider.tracker.statuses()["qingshan"].detail


def test_ports_do_not_hide_an_allowed_host() -> None:
    middleware, _ = scope_middleware()
    assert middleware.process_request(site_request("http://www.qingshan.gov.cn:8080/xxgk/")) is None


def test_requests_scrapy_makes_itself_pass() -> None:
    middleware, _ = scope_middleware()
    assert middleware.process_request(Request("http://www.elsewhere.com/robots.txt")) is None


def test_query_strings_per_path_are_capped() -> None:
    middleware, spider = scope_middleware(NIANBAO_MAX_QUERY_VARIANTS=5)
    passed = 0
    for day in range(1, 20):
        try:
            middleware.process_request(site_request(f"http://www.qingshan.gov.cn/xwzx/rl/?date=2024-01-{day:02d}"))
            passed += 1
        except IgnoreRequest:
            pass
    assert passed == 5
    # The same query again, and other paths, are not affected.
    assert middleware.process_request(site_request("http://www.qingshan.gov.cn/xwzx/rl/?date=2024-01-01")) is None
    assert middleware.process_request(site_request("http://www.qingshan.gov.cn/list?page=2")) is None
    assert "query strings on /xwzx/rl/ capped at 5" in spider.tracker.statuses()["qingshan"].detail


def test_repeating_paths_are_traps() -> None:
    middleware, _ = scope_middleware()
    with pytest.raises(IgnoreRequest):
        middleware.process_request(site_request("http://www.qingshan.gov.cn/a/b/a/b/a/b/index.html"))


def test_page_budget_is_a_hard_limit_per_site() -> None:
    middleware, spider = scope_middleware(NIANBAO_PAGE_BUDGET=3)
    for number in range(3):
        middleware.process_request(site_request(f"http://www.qingshan.gov.cn/p{number}.html"))
    with pytest.raises(IgnoreRequest):
        middleware.process_request(site_request("http://www.qingshan.gov.cn/p3.html"))
    assert "page budget of 3 reached" in spider.tracker.statuses()["qingshan"].detail


GBK_TITLE = "白石县人民政府2023年政府信息公开工作年度报告"


@pytest.mark.parametrize(
    ("body", "content_type", "title"),
    [
        # GBK with no charset anywhere; short pages are where charset detection guesses cp949/big5.
        (f"<html><head><title>{GBK_TITLE}</title></head></html>".encode("gbk"), "text/html", GBK_TITLE),
        ("<html><head><title>部门年报</title></head></html>".encode("gbk"), "text/html", "部门年报"),
        (f"<html><head><title>{GBK_TITLE}</title></head></html>".encode("utf-8"), "text/html", GBK_TITLE),
        # A declared charset is left alone.
        (f'<html><head><meta charset="gb2312"><title>{GBK_TITLE}</title></head></html>'.encode("gbk"),
         "text/html", GBK_TITLE),
    ],
)
def test_undeclared_encoding_falls_back_to_utf8_then_gb18030(body: bytes, content_type: str, title: str) -> None:
    url = "http://xxgk.baishi.gov.cn/"
    response = HtmlResponse(url, body=body, headers={"Content-Type": content_type})
    fixed = EncodingFallbackMiddleware().process_response(Request(url), response)
    assert fixed.css("title::text").get() == title


def test_the_crawler_asks_the_one_detector_and_names_the_reason() -> None:
    challenge = HtmlResponse("http://www.x.gov.cn/", status=200, encoding="utf-8",
                             body=b"<html><script>$_ts={};$_ts.cd='qhx';</script></html>")
    missing = HtmlResponse("http://www.x.gov.cn/", status=200, encoding="utf-8",
                           body="<html><title>页面不存在</title><body>返回首页</body></html>".encode())
    listing = HtmlResponse("http://www.x.gov.cn/", status=200, encoding="utf-8",
                           body='<html><body><a href="/a.html">政府信息公开</a></body></html>'.encode())
    assert [stand_in_reason(r) for r in (challenge, missing, listing)] == ["anti_bot", "soft_404", None]


def test_failure_reasons() -> None:
    from scrapy.spidermiddlewares.httperror import HttpError

    def failure(exc: Exception) -> Failure:
        try:
            raise exc
        except Exception:
            return Failure()

    assert failure_reason(failure(DNSLookupError("nosuch.gov.cn"))) == "dns"
    assert failure_reason(failure(TimeoutError())) == "timeout"
    assert failure_reason(failure(IgnoreRequest("robots"))) is None
    not_found = Response("http://www.x.gov.cn/a.html", status=404)
    assert failure_reason(failure(HttpError(not_found))) == "http_404"
    forbidden = Response("http://www.x.gov.cn/a.html", status=412)
    assert failure_reason(failure(HttpError(forbidden))) == "anti_bot"


def test_politeness_delay_is_a_setting_and_zeroable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NIANBAO_CRAWL_DELAY", raising=False)
    polite = crawl_settings()
    assert (polite["DOWNLOAD_DELAY"], polite["AUTOTHROTTLE_ENABLED"], polite["ROBOTSTXT_OBEY"]) == (1.0, True, True)
    assert polite["CONCURRENT_REQUESTS_PER_DOMAIN"] == 2
    monkeypatch.setenv("NIANBAO_CRAWL_DELAY", "0")
    fast = crawl_settings({"NIANBAO_PAGE_BUDGET": 10})
    assert (fast["DOWNLOAD_DELAY"], fast["AUTOTHROTTLE_ENABLED"], fast["NIANBAO_RETRY_BACKOFF"]) == (0.0, False, 0.0)
    assert fast["NIANBAO_PAGE_BUDGET"] == 10


def test_retries_wait_longer_each_time() -> None:
    import asyncio
    import time

    from crawlers.middlewares import BackoffRetryMiddleware

    crawler = get_crawler(ReportSpider, crawl_settings({"NIANBAO_RETRY_BACKOFF": 0.05, "RETRY_TIMES": 2}, delay=0))
    crawler.spider = crawler._create_spider(sites=[SITE])
    middleware = BackoffRetryMiddleware.from_crawler(crawler)
    request = site_request("http://www.qingshan.gov.cn/a.html")
    waits = []
    for _ in range(2):
        started = time.monotonic()
        request = asyncio.run(middleware.process_response(request, Response(request.url, status=503)))
        waits.append(time.monotonic() - started)
        assert isinstance(request, Request)
    assert request.meta["retry_times"] == 2
    assert 0.05 <= waits[0] < 0.1 <= waits[1]
    gave_up = asyncio.run(middleware.process_response(request, Response(request.url, status=503)))
    assert isinstance(gave_up, Response) and gave_up.status == 503
