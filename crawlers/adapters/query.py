"""Query-string pagers: list.html?page=2, ?pageNo=3 …, followed only when the page links the next number."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from scrapy import Request
from scrapy.http import TextResponse

from common.scope import canonical_url
from crawlers.links import anchors

NAME = "query"

PAGE_PARAMS = ("page", "pageNo", "pageno", "pageIndex", "pageindex", "currentPage", "pn", "p")


def _current(url: str) -> tuple[str, int] | None:
    """(page parameter, page number) of `url`; page 1 when the parameter is absent."""
    params = dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))
    for name in PAGE_PARAMS:
        if name in params:
            return (name, int(params[name])) if params[name].isdigit() else None
    return None


def _with_page(url: str, name: str, number: int) -> str:
    parts = urlsplit(url)
    params = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != name]
    params.append((name, str(number)))
    return canonical_url(urlunsplit(parts._replace(query=urlencode(params))))


def _next_url(response: TextResponse) -> str | None:
    """The URL of the next page, if this page links it (so the pager never runs past the end)."""
    path = urlsplit(response.url).path
    current = _current(response.url)
    for anchor in anchors(response.selector, response.url):
        if urlsplit(anchor.url).path != path:
            continue
        linked = _current(anchor.url)
        if linked is None:
            continue
        name, number = linked
        here = current[1] if current and current[0] == name else 1
        if number == here + 1:
            return _with_page(response.url, name, number)
    return None


def detects(response: TextResponse) -> bool:
    return _next_url(response) is not None


def entries(response: TextResponse) -> list:
    """Query-paged lists are ordinary anchors; the spider reads them itself."""
    return []


def next_pages(response: TextResponse) -> list[Request]:
    url = _next_url(response)
    return [Request(url)] if url else []
