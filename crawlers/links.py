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


def anchors(selector: Selector, base_url: str) -> list[Anchor]:
    """Every http(s) anchor of the page, with `title=` preferred when the text is cut short."""
    found: dict[str, Anchor] = {}
    for node in selector.css("a[href]"):
        url = absolute_url(base_url, node.attrib.get("href", ""))
        if url is None:
            continue
        text = " ".join(t.strip() for t in node.css("::text").getall() if t.strip())
        title_attr = (node.attrib.get("title") or "").strip()
        if len(title_attr) > len(text):
            text = title_attr
        previous = found.get(url)
        if previous is None or len(text) > len(previous.text):
            found[url] = Anchor(url=url, text=text)
    return list(found.values())


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
