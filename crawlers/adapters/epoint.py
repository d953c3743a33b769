"""Epoint WebBuilder (新点) style sites: lists and details come from JSON endpoints under /EWB-FRONT/rest/.

A column page is a shell whose script names a list endpoint (`…/getGovInfoList`,
`…/getPageInfoListNew`) and a category number; the endpoint answers
`{"custom": {"infodata": [{"title", "infourl", "infodate"}…], "total": N}}` per
`pageIndex`. A detail page (`showinfo.html?infoGuid=…`) is a shell too: its text
and attachments come from a detail endpoint (`…/getGovInfoDetail?infoGuid=…`).
The adapter reads both with GET requests, so every list page has its own URL.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from parsel import Selector
from scrapy import Request
from scrapy.http import TextResponse

from crawlers.links import Anchor, absolute_url, attachment_anchors

NAME = "epoint"
READS_JSON = True  # the list endpoint answers JSON

_ENDPOINT = re.compile(r"""["'](/?EWB-FRONT/rest/[\w/]+)["']""")
_CATEGORY = re.compile(r"""category_?num["']?\s*[:=]\s*["'](\w+)["']""", re.I)
_GUID_PARAMS = ("infoGuid", "infoguid", "infoid", "infoId", "guid")
_TITLE_KEYS = ("title", "infotitle", "infoTitle", "name")
_URL_KEYS = ("infourl", "infoUrl", "linkurl", "url", "href")
_ATTACH_KEYS = ("attachments", "attachlist", "attachList", "fileList", "attach")
_ATTACH_URL = ("attachurl", "attachUrl", "fileurl", "url", "href")
_ATTACH_NAME = ("attachname", "attachName", "filename", "fileName", "name", "title")
PAGE_SIZE = 20


def _scripts(response: TextResponse) -> str:
    if not _looks_html(response):
        return ""
    return "\n".join(response.xpath("//script[not(@src)]/text()").getall())


def _looks_html(response: TextResponse) -> bool:
    return response.selector.type != "json" and response.text.lstrip()[:1] == "<"


def _endpoints(response: TextResponse, kind: str) -> list[str]:
    found = [m.group(1) for m in _ENDPOINT.finditer(_scripts(response))]
    return [absolute_url(response.url, "/" + e.lstrip("/")) or "" for e in found if kind in e.lower()]


def _json(response: TextResponse) -> dict[str, Any] | None:
    text = response.text.lstrip()
    if not text.startswith("{"):
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    custom = data.get("custom", data) if isinstance(data, dict) else None
    if isinstance(custom, str):
        try:
            custom = json.loads(custom)
        except ValueError:
            return None
    return custom if isinstance(custom, dict) else None


def _first(item: dict[str, Any], keys: tuple[str, ...]) -> str:
    return next((str(item[k]) for k in keys if item.get(k)), "")


def detects(response: TextResponse) -> bool:
    """A column shell naming a list endpoint, or a list endpoint's JSON answer."""
    data = _json(response)
    if data is not None:
        return isinstance(data.get("infodata"), list)
    return bool(_endpoints(response, "list") and _CATEGORY.search(_scripts(response)))


def entries(response: TextResponse) -> list[Anchor]:
    data = _json(response) or {}
    found = []
    for item in data.get("infodata") or []:
        if not isinstance(item, dict):
            continue
        url = absolute_url(response.url, _first(item, _URL_KEYS))
        if url:
            found.append(Anchor(url=url, text=_first(item, _TITLE_KEYS)))
    return found


def next_pages(response: TextResponse) -> list[Request]:
    data = _json(response)
    if data is None:  # the shell: ask for the first page
        category = _CATEGORY.search(_scripts(response))
        return [Request(_page_url(e, category.group(1), 0)) for e in _endpoints(response, "list")[:1]] if category else []
    params = dict(parse_qsl(urlsplit(response.url).query))
    index, asked = int(params.get("pageIndex", 0)), int(params.get("pageSize", PAGE_SIZE))
    served = len(data.get("infodata") or [])  # servers may cap the page size below what was asked
    if served == 0 or (index + 1) * served >= int(data.get("total") or 0):
        return []
    base = response.url.split("?")[0]
    return [Request(_page_url(base, params.get("categoryNum", ""), index + 1, asked))]


def _page_url(endpoint: str, category: str, index: int, size: int = PAGE_SIZE) -> str:
    return f"{endpoint}?{urlencode({'categoryNum': category, 'pageIndex': index, 'pageSize': size})}"


def detail_requests(response: TextResponse) -> list[Request]:
    """For a detail shell (`showinfo.html?infoGuid=…`): the detail endpoint's GET request."""
    params = dict(parse_qsl(urlsplit(response.url).query))
    guid = next((params[p] for p in _GUID_PARAMS if params.get(p)), None)
    if guid is None:
        return []
    return [Request(f"{endpoint}?{urlencode({'infoGuid': guid})}") for endpoint in _endpoints(response, "detail")[:1]]


def detail_attachments(response: TextResponse) -> list[Anchor]:
    """The documents a detail endpoint's JSON lists, and those its HTML content links."""
    data = _json(response) or {}
    found = []
    for key in _ATTACH_KEYS:
        for item in data.get(key) or []:
            url = absolute_url(response.url, _first(item, _ATTACH_URL)) if isinstance(item, dict) else None
            if url:
                found.append(Anchor(url=url, text=_first(item, _ATTACH_NAME)))
    content = data.get("content") or data.get("infocontent") or ""
    if isinstance(content, str) and content:
        found.extend(attachment_anchors(Selector(text=content), response.url))
    return list({a.url: a for a in found}.values())
