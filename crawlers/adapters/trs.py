"""TRS WCM lists: index.shtml, index_1.shtml, …; the page count is only in a createPageHTML(...) script call."""

from __future__ import annotations

import re

from scrapy import Request
from scrapy.http import TextResponse

NAME = "trs"

# createPageHTML(12, 0, "index", "shtml") — total pages, current page (0-based), stem, extension.
_CREATE_PAGE = re.compile(
    r"createPageHTML\(\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)['\"]?\s*,\s*['\"]([\w.-]+)['\"]\s*,\s*['\"](\w+)['\"]"
)
# Variant seen on TRS templates: var countPage = 12; var currentPage = 0; var prevPage = "index";
_COUNT_VAR = re.compile(r"countPage\s*=\s*['\"]?(\d+)")
_CURRENT_VAR = re.compile(r"currentPage\s*=\s*['\"]?(\d+)")


def _pager(response: TextResponse) -> tuple[int, int, str, str] | None:
    """(page count, current page, stem, extension) when the page carries a TRS pager."""
    found = _CREATE_PAGE.search(response.text)
    if found:
        return int(found.group(1)), int(found.group(2)), found.group(3), found.group(4)
    count, current = _COUNT_VAR.search(response.text), _CURRENT_VAR.search(response.text)
    if count and current:
        stem_ext = response.url.rsplit("/", 1)[-1].split("?")[0] or "index.html"
        stem, _, ext = stem_ext.partition(".")
        return int(count.group(1)), int(current.group(1)), re.sub(r"_\d+$", "", stem), ext or "html"
    return None


def detects(response: TextResponse) -> bool:
    return _pager(response) is not None


def entries(response: TextResponse) -> list:
    """TRS lists are ordinary anchors; the spider reads them itself."""
    return []


def next_pages(response: TextResponse) -> list[Request]:
    """The following page only: paging one step at a time lets incremental runs stop early."""
    pager = _pager(response)
    if pager is None:
        return []
    count, current, stem, ext = pager
    following = current + 1
    if following >= count:
        return []
    return [Request(response.urljoin(f"{stem}_{following}.{ext}"))]
