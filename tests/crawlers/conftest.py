"""Fixtures of the crawler tests: the shared fake gov.cn web and saved pages as Scrapy responses."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse, XmlResponse

# The root conftest does not register the fake web plugin; importing the fixture
# here makes it available to this folder only (pytest_plugins is root-only).
from flows.fakeweb import FakeWeb
from tests.fakeweb_fixtures import fake_web  # noqa: F401

PAGES = Path(__file__).parent / "pages"


def saved_response(name: str, url: str, request: Request | None = None) -> HtmlResponse | XmlResponse:
    """A saved page from tests/crawlers/pages/ as if downloaded from `url`."""
    body = (PAGES / name).read_bytes()
    response_class = XmlResponse if name.endswith(".xml") else HtmlResponse
    return response_class(url=url, body=body, encoding="utf-8", request=request or Request(url))


@pytest.fixture
def page() -> type:
    return saved_response


@pytest.fixture
def web(fake_web: FakeWeb, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeWeb]:
    """The shared fake web reached through its proxy, reset before and after (crawls use up flaky URLs)."""
    for name in ("HTTP_PROXY", "http_proxy"):
        monkeypatch.setenv(name, fake_web.proxy_url)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NIANBAO_CRAWL_DELAY", "0")
    fake_web.reset()
    yield fake_web
    fake_web.reset()
