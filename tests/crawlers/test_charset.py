"""A declared charset contradicted by the bytes: the bytes win (list and report pages alike)."""

from __future__ import annotations

from scrapy import Request
from scrapy.http import HtmlResponse

from crawlers.classify import classify_title
from crawlers.middlewares import EncodingFallbackMiddleware

TITLE = "青山市民政局2023年政府信息公开工作年度报告"
HTML = f'<html><head><meta charset="utf-8"><title>列表</title></head><body><a href="/a.html">{TITLE}</a></body></html>'


def _response(body: bytes, content_type: str) -> HtmlResponse:
    return HtmlResponse("http://x.gov.cn/list.html", body=body, headers={"Content-Type": content_type},
                        request=Request("http://x.gov.cn/list.html"))


def test_gbk_body_declared_utf8_is_read_as_gbk() -> None:
    response = _response(HTML.encode("gbk"), "text/html; charset=utf-8")
    fixed = EncodingFallbackMiddleware().process_response(response.request, response)
    text = fixed.css("a::text").get()
    assert text == TITLE and classify_title(text) is not None


def test_a_correct_declaration_is_kept() -> None:
    for encoding in ("utf-8", "gbk"):
        response = _response(HTML.replace("utf-8", encoding).encode(encoding), f"text/html; charset={encoding}")
        assert EncodingFallbackMiddleware().process_response(response.request, response) is response
