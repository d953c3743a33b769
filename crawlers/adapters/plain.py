"""Plain pagers: an anchor labelled 下一页 / 下页 / 后页 points at the next list page."""

from __future__ import annotations

import re

from scrapy import Request
from scrapy.http import TextResponse

from crawlers.links import Anchor, anchors

NAME = "plain"

_NEXT_LABEL = re.compile(r"^(下一页|下页|后页|下一頁)[>»›\s]*$")


def _next_anchor(response: TextResponse) -> Anchor | None:
    for anchor in anchors(response.selector, response.url):
        label = anchor.text.replace(" ", "").replace("\u3000", "")
        if _NEXT_LABEL.match(label) and anchor.url.split("#")[0] != response.url.split("#")[0]:
            return anchor
    return None


def detects(response: TextResponse) -> bool:
    return _next_anchor(response) is not None


def entries(response: TextResponse) -> list[Anchor]:
    """Plain lists are ordinary anchors; the spider reads them itself."""
    return []


def next_pages(response: TextResponse) -> list[Request]:
    anchor = _next_anchor(response)
    return [Request(anchor.url)] if anchor else []
