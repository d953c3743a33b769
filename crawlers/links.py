"""Read links off a page: anchors with their text and the attachments of a report."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from parsel import Selector

from common.scope import canonical_url

DOCUMENT_EXTENSIONS = (".pdf", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".zip", ".rar", ".ofd", ".et")
# Download endpoints that serve a file without an extension in the URL.
_DOWNLOAD_PATH = re.compile(r"download|downfile|downloadfile|getfile|fileget|attach|/file/|/files/|fujian", re.I)
_NOT_HTTP = re.compile(r"^\s*(javascript:|mailto:|tel:|#|data:)", re.I)


@dataclass(frozen=True)
class Anchor:
    """A link as a listing shows it: absolute URL and the best title available."""

    url: str
    text: str


def absolute_url(base_url: str, href: str) -> str | None:
    """Resolve relative, `../` and protocol-relative hrefs; None for javascript:/mailto:/#."""
    href = (href or "").strip()
    if not href or _NOT_HTTP.match(href):
        return None
    url = urljoin(base_url, href)
    if urlsplit(url).scheme not in ("http", "https"):
        return None
    return canonical_url(url)


# JavaScript that sends the browser elsewhere: location(.href)=, location.replace/assign(), window.open().
_JS_TARGET = re.compile(
    r"""(?:\blocation(?:\.href)?\s*=\s*|\blocation\.(?:replace|assign)\(\s*|\bwindow\.open\(\s*)["']([^"'\s]+)["']"""
)
_REFRESH_URL = re.compile(r"url\s*=\s*['\"]?([^'\";\s]+)", re.I)


def anchors(selector: Selector, base_url: str) -> list[Anchor]:
    """Every http(s) link a visitor can click: <a>/<area href>, onclick="window.open(…)", jump-menu
    <option value>; with `title=` preferred when the text is cut short."""
    found: dict[str, Anchor] = {}
    for node, href in _clickables(selector):
        url = absolute_url(base_url, href)
        if url is None:
            continue
        text = " ".join(t.strip() for t in node.css("::text").getall() if t.strip())
        title_attr = (node.attrib.get("title") or node.attrib.get("alt") or "").strip()
        if len(title_attr) > len(text):
            text = title_attr
        previous = found.get(url)
        if previous is None or len(text) > len(previous.text):
            found[url] = Anchor(url=url, text=text)
    return list(found.values())


def _clickables(selector: Selector) -> list[tuple[Selector, str]]:
    """(node, target) for every clickable element, whatever carries its target."""
    found = [(node, node.attrib.get("href", "")) for node in selector.css("a[href], area[href]")]
    for node in selector.xpath("//*[@onclick]"):
        target = _JS_TARGET.search(node.attrib.get("onclick", ""))
        if target:
            found.append((node, target.group(1)))
    for node in selector.css("option[value]"):
        value = node.attrib.get("value", "").strip()
        if "/" in value or value.lower().endswith((".html", ".htm", ".shtml", ".jsp", ".php", ".aspx")):
            found.append((node, value))
    return found


def embedded_targets(selector: Selector, base_url: str) -> list[str]:
    """Where a page's content really is: <iframe>/<frame src>, meta refresh, script redirects.

    Such a page is often only a shell (a portal column in an iframe, an index that
    is only `window.location.href="…"`); these are followed like redirects.
    """
    targets = selector.css("iframe::attr(src), frame::attr(src)").getall()
    for content in selector.xpath("//meta[translate(@http-equiv, 'REFSH', 'refsh')='refresh']/@content").getall():
        found = _REFRESH_URL.search(content)
        if found:
            targets.append(found.group(1))
    for script in selector.xpath("//script[not(@src)]/text()").getall():
        targets.extend(match.group(1) for match in _JS_TARGET.finditer(script))
    urls = (absolute_url(base_url, target) for target in targets)
    return list(dict.fromkeys(url for url in urls if url))


def is_document_url(url: str) -> bool:
    """A URL whose path ends with a document extension."""
    return urlsplit(url).path.lower().endswith(DOCUMENT_EXTENSIONS)


def attachment_anchors(selector: Selector, base_url: str) -> list[Anchor]:
    """The documents a report page attaches: by extension, by download URL, or in a 附件 block."""
    in_attachment_block = {a.url for a in _anchors_after_attachment_label(selector, base_url)}
    result = []
    for anchor in anchors(selector, base_url):
        text_names_file = anchor.text.lower().endswith(DOCUMENT_EXTENSIONS)
        if (
            is_document_url(anchor.url)
            or text_names_file
            or anchor.url in in_attachment_block
            or (_DOWNLOAD_PATH.search(_path_and_query(anchor.url)) and not _looks_like_page(anchor.url))
        ):
            result.append(anchor)
    return result


def _path_and_query(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def _looks_like_page(url: str) -> bool:
    return urlsplit(url).path.lower().endswith((".html", ".htm", ".shtml", ".jhtml", "/"))


def _anchors_after_attachment_label(selector: Selector, base_url: str) -> list[Anchor]:
    """Anchors inside an element whose text starts with 附件 (the usual attachment block)."""
    blocks = selector.xpath(
        "//*[starts-with(normalize-space(string(.)), '附件') and .//a[@href]"
        " and string-length(normalize-space(string(.))) < 400]"
    )
    found: list[Anchor] = []
    for block in blocks:
        for anchor in anchors(block, base_url):
            if not _looks_like_page(anchor.url) or is_document_url(anchor.url):
                found.append(anchor)
    return found
