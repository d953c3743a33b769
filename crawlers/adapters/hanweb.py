"""Hanweb jcms lists: records sit in <script type="text/xml"> CDATA; more come from dataproxy.jsp by POST.

The first group of records is embedded in the column page; the next groups are
fetched with POST /module/web/jpage/dataproxy.jsp?startrecord=…&endrecord=…&perpage=…
whose form fields (col, appid, webid, path, columnid, unitid, …) the page
carries in its <nextgroup> link or its jpage script. The proxy answers with the
same <datastore> XML.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

from parsel import Selector
from scrapy import FormRequest, Request
from scrapy.http import TextResponse

from crawlers.links import Anchor, anchors

NAME = "hanweb"
DATAPROXY_PATH = "/module/web/jpage/dataproxy.jsp"

_DATASTORE = re.compile(r"<datastore>.*?</datastore>", re.S | re.I)
_TOTAL = re.compile(r"(?:<totalrecord>\s*|totalRecord\s*[:=]\s*['\"]?)(\d+)", re.I)
_PERPAGE = re.compile(r"perpage\s*[:=]\s*['\"]?(\d+)", re.I)
# ajaxParam: {col: 1, webid: 3086, path: '/', ...}: quoted strings or bare numbers.
_FORM_FIELD = re.compile(
    r"\b(col|appid|webid|path|columnid|sourceContentType|unitid|webname|permissiontype)\s*[:=]\s*"
    r"(?:['\"]([^'\"]*)['\"]|(\d+))"
)
_FORM_KEYS = ("col", "appid", "webid", "path", "columnid", "sourceContentType", "unitid", "webname", "permissiontype")


def _datastores(response: TextResponse) -> list[Selector]:
    """Each <datastore> block (embedded in a script, or the whole dataproxy answer) as XML."""
    stores = []
    for block in _DATASTORE.findall(response.text):
        try:
            stores.append(Selector(text=block, type="xml"))
        except ValueError:  # not well-formed XML: nothing to read from it
            continue
    return stores


def _records(store: Selector) -> list[str]:
    """The HTML fragments in the <record> elements (CDATA in the XML)."""
    return store.xpath("//record/text()").getall()


def detects(response: TextResponse) -> bool:
    return bool(_datastores(response))


def entries(response: TextResponse) -> list[Anchor]:
    """The anchors inside every <record> CDATA block."""
    found: list[Anchor] = []
    for store in _datastores(response):
        for record in _records(store):
            found.extend(anchors(Selector(text=f"<div>{record}</div>"), response.url))
    return found


def next_pages(response: TextResponse) -> list[Request]:
    """The next group of records, if the column has more than this page showed."""
    stores = _datastores(response)
    if not stores:
        return []
    records_here = sum(len(_records(s)) for s in stores)
    shown_to = _shown_up_to(response, records_here)
    total = _first_int(_TOTAL, response.text)
    if records_here == 0 or (total is not None and shown_to >= total):
        return []
    per_page = _first_int(_PERPAGE, response.text) or _first_int(_PERPAGE, response.url) or 15
    group = max(records_here, per_page)
    form = _form_fields(response, stores)
    if "columnid" not in form:
        return []
    start, end = shown_to + 1, shown_to + group
    if total is not None:
        end = min(end, total)
    url = response.urljoin(f"{DATAPROXY_PATH}?startrecord={start}&endrecord={end}&perpage={per_page}")
    return [FormRequest(url, formdata=form)]


def _shown_up_to(response: TextResponse, records_here: int) -> int:
    """The last record number this response holds (a dataproxy answer says so in its URL)."""
    params = dict(parse_qsl(urlsplit(response.url).query))
    if urlsplit(response.url).path.endswith("dataproxy.jsp") and params.get("startrecord", "").isdigit():
        return int(params["startrecord"]) - 1 + records_here
    return records_here


def _form_fields(response: TextResponse, stores: list[Selector]) -> dict[str, str]:
    """The dataproxy form: from the <nextgroup> link's query, else the page's jpage script, else the request."""
    form: dict[str, str] = {}
    for store in stores:
        for group in store.xpath("//nextgroup/text()").getall():
            for href in Selector(text=group).css("a::attr(href)").getall():
                form.update(parse_qsl(urlsplit(href).query, keep_blank_values=True))
    for key, quoted, number in _FORM_FIELD.findall(response.text):
        form.setdefault(key, quoted or number)
    if response.request is not None and response.request.method == "POST" and response.request.body:
        for key, value in parse_qsl(response.request.body.decode("utf-8", "replace"), keep_blank_values=True):
            form.setdefault(key, value)
    form.setdefault("col", "1")
    form.setdefault("appid", "1")
    return {k: v for k, v in form.items() if k in _FORM_KEYS}


def _first_int(pattern: re.Pattern[str], text: str) -> int | None:
    found = pattern.search(text)
    return int(found.group(1)) if found else None
