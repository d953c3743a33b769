"""HTML building blocks for fake gov.cn pages, and how a page's bytes are encoded."""

from __future__ import annotations

import re
from html import escape

from flows.fakeweb.model import Reply

GOV_PORTAL = "http://www.gov.cn/"  # 中国政府网: linked from every footer, outside every registry


def esc(text: str) -> str:
    return escape(text, quote=True)


def link(href: str, text: str, title: str | None = None) -> str:
    title_attr = f' title="{esc(title)}"' if title else ""
    return f'<a href="{esc(href)}"{title_attr} target="_blank">{esc(text)}</a>'


def page(title: str, body: str, head_extra: str = "", meta_charset: str | None = "utf-8") -> str:
    """A whole HTML document; `meta_charset=None` leaves the charset undeclared."""
    meta = f'<meta charset="{meta_charset}">\n' if meta_charset else ""
    return (
        "<!DOCTYPE html>\n<html>\n<head>\n"
        f"{meta}<title>{esc(title)}</title>\n{head_extra}</head>\n<body>\n{body}\n"
        f'<div class="footer"><a href="{GOV_PORTAL}">中国政府网</a> 版权所有 网站标识码 0000000000'
        "</div>\n</body>\n</html>\n"
    )


def list_items(items: list[tuple[str, str, str]]) -> str:
    """`<ul>` of (href, title, date) entries, the shape most gov.cn column lists use."""
    rows = [f"<li>{link(href, title, title)}<span>{esc(date)}</span></li>" for href, title, date in items]
    return '<ul class="list">\n' + "\n".join(rows) + "\n</ul>"


def encode_page(text: str, encoding: str, header_charset: bool) -> Reply:
    """Encode a page; GBK sites often send `text/html` with no charset at all."""
    body = text.encode(encoding, errors="xmlcharrefreplace")
    content_type = f"text/html; charset={encoding}" if header_charset else "text/html"
    return Reply(200, body, content_type)


def body_of(html_bytes: bytes) -> str:
    """The inside of <body> of a rendered report, to embed it into a site's own page."""
    try:
        text = html_bytes.decode("utf-8")
    except UnicodeDecodeError:
        text = html_bytes.decode("gb18030")
    match = re.search(r"<body[^>]*>(.*)</body>", text, flags=re.S | re.I)
    return match.group(1) if match else text


def attachment_block(links: list[tuple[str, str]]) -> str:
    """The `附件：` block under a report page's text: (href, link text) pairs."""
    rows = "".join(f"<p>{link(href, text)}</p>" for href, text in links)
    return f'<div class="fj"><p>附件：</p>{rows}</div>'


def report_article_html(rendered: bytes) -> str:
    """The article text (prose and tables) of a reportgen page, without its site chrome."""
    text = body_of(rendered)
    match = re.search(r'id="zoom">(.*?)</div>\s*<div class="share">', text, flags=re.S)
    return match.group(1) if match else text
