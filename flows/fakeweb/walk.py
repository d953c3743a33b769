"""A naive reference walk over the fake web, proving every expected URL is reachable.

It is deliberately simple (regex hrefs, the two script pagers, no politeness) and
only serves the fake web's own tests; the real crawler lives in crawlers/.
"""

from __future__ import annotations

import html
import re
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlsplit

import httpx

HREF = re.compile(r'href="([^"]+)"')
TRS_PAGER = re.compile(r'createPageHTML\((\d+),\s*\d+,\s*"(\w+)",\s*"(\w+)"\)')
JPAGE = re.compile(r"totalRecord:(\d+), perpage:(\d+).*?columnid: (\d+).*?unitid: (\d+)", re.S)
DOCUMENT_SUFFIXES = (".pdf", ".doc", ".docx", ".wps")


@dataclass
class WalkResult:
    statuses: dict[str, int] = field(default_factory=dict)  # every URL requested
    documents: set[str] = field(default_factory=set)  # document links seen, not requested


def walk(client: httpx.Client, start_urls: list[str], hosts: set[str], skip_prefixes: list[str]) -> WalkResult:
    """Breadth-first over pages of `hosts`, never requesting URLs under `skip_prefixes`."""
    result = WalkResult()
    queue = deque(start_urls)
    while queue:
        url = queue.popleft()
        if url in result.statuses:
            continue
        response = _get(client, url)
        result.statuses[url] = response.status_code
        links = [response.headers["location"]] if response.is_redirect else _links(client, url, response)
        for href in links:
            target = urldefrag(urljoin(url, html.unescape(href)))[0]
            if urlsplit(target).hostname not in hosts or any(target.startswith(p) for p in skip_prefixes):
                continue
            if target.lower().endswith(DOCUMENT_SUFFIXES) or "downfile.jsp" in target:
                result.documents.add(target)
            else:
                queue.append(target)
    return result


def _get(client: httpx.Client, url: str) -> httpx.Response:
    for _attempt in range(3):  # flaky URLs answer 503 once or twice first
        response = client.get(url)
        if response.status_code != 503:
            break
    return response


def _links(client: httpx.Client, url: str, response: httpx.Response) -> list[str]:
    if response.status_code != 200 or not response.headers.get("content-type", "").startswith("text/html"):
        return []
    try:
        text = response.content.decode("utf-8")
    except UnicodeDecodeError:
        text = response.content.decode("gbk")
    links = HREF.findall(text)
    for count, name, ext in TRS_PAGER.findall(text):
        links += [f"{name}_{n}.{ext}" for n in range(1, int(count))]
    jpage = JPAGE.search(text)
    if jpage:
        links += _jpage_records(client, url, *(int(g) for g in jpage.groups()))
    return links


def _jpage_records(client: httpx.Client, url: str, total: int, per_page: int, column: int, unit: int) -> list[str]:
    proxy = urljoin(url, f"/module/web/jpage/dataproxy.jsp?startrecord={per_page + 1}&endrecord={total}&perpage={per_page}")
    response = client.post(proxy, data={"col": "1", "columnid": str(column), "unitid": str(unit)})
    return HREF.findall(response.text)
