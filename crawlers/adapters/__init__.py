"""CMS pagination styles: each adapter says which links on a list page are entries and how to get the next page.

An adapter is a module with `NAME`, `detects(response)`, `entries(response)` and
`next_pages(response)`. The report spider asks every adapter that detects its
style; it never knows which CMS it is talking to. Adding a style = one module
here + one saved page under tests/crawlers/pages/ + one test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import ModuleType

from scrapy import Request
from scrapy.http import TextResponse

from crawlers.adapters import epoint, hanweb, plain, query, trs
from crawlers.links import Anchor, anchors

ADAPTERS: tuple[ModuleType, ...] = (trs, hanweb, plain, query, epoint)

# Pager controls are navigation inside one list, never entries or columns.
_PAGER_TEXT = re.compile(r"^(首页|上一页|上页|下一页|下页|尾页|末页|前页|后页|跳转|转到|GO|go|Go|[<>«»‹›]+|\d{1,4}|\.\.\.|…)$")


@dataclass(frozen=True)
class ListPage:
    """What a list page offers: entry links (with listing titles) and next-page requests."""

    entries: list[Anchor]
    next_requests: list[Request]
    styles: tuple[str, ...]


def is_pager_anchor(anchor: Anchor) -> bool:
    return bool(_PAGER_TEXT.match(anchor.text.replace(" ", "")))


def is_markup(response: TextResponse) -> bool:
    """HTML or XML (a JSON answer of a list endpoint has no anchors to read)."""
    return response.selector.type != "json"


def read_list_page(response: TextResponse) -> ListPage:
    """Entries and next pages of `response`, merged over every adapter that recognises it."""
    markup = is_markup(response)
    found: dict[str, Anchor] = {a.url: a for a in anchors(response.selector, response.url)} if markup else {}
    next_requests: dict[str, Request] = {}
    styles: list[str] = []
    for adapter in ADAPTERS:
        if not (markup or getattr(adapter, "READS_JSON", False)) or not adapter.detects(response):
            continue
        styles.append(adapter.NAME)
        for anchor in adapter.entries(response):
            if anchor.url not in found or len(anchor.text) > len(found[anchor.url].text):
                found[anchor.url] = anchor
        for request in adapter.next_pages(response):
            next_requests.setdefault(request.url + (request.body or b"").decode("latin-1"), request)
    next_urls = {r.url for r in next_requests.values()}
    entries = [a for a in found.values() if a.url not in next_urls and not is_pager_anchor(a)]
    return ListPage(entries=entries, next_requests=list(next_requests.values()), styles=tuple(styles))
